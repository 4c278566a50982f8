"""The data protection officer reads the audit trail of their organisation ("who viewed this
survivor's record?") through a page, a CSV download and a read-only API; every other role is
refused, and nobody can change or delete an event through the application (issue 12)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, audit_records_read
from tandem.cases.tests.builders import TWO_SURVIVORS, received
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Organisation, Service, Side, StaffMembership
from tandem.support.models import IssCase

pytestmark = pytest.mark.django_db

PAGE = "audit:trail"
DOWNLOAD = "audit:trail_download"


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_service(staff: ServiceStaff, username: str, role: Role) -> User:
    user = User.objects.create_user(username=username, password=None)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    StaffMembership.objects.create(
        user=user, service=staff.service, side=Side.MANAGEMENT, started_on="2024-01-01"
    )
    return user


@pytest.fixture
def officer(staffed_service: ServiceStaff) -> User:
    return in_service(staffed_service, "dpo", Role.DATA_PROTECTION_OFFICER)


@pytest.fixture
def her_cases(staffed_service: ServiceStaff) -> list[IssCase]:
    received(staffed_service, survivors=TWO_SURVIVORS)
    return list(IssCase.objects.order_by("pk"))


def events_shown(response: object) -> list[AuditEvent]:
    return list(response.context["page"])  # type: ignore[attr-defined]


def trail_url(**filters: object) -> str:
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return reverse(PAGE) + (f"?{query}" if query else "")


def test_who_viewed_her_record_includes_lists_that_named_her(
    staffed_service: ServiceStaff, officer: User, her_cases: list[IssCase]
) -> None:
    alice, beth = her_cases
    audit_event_record(actor=staffed_service.iss_worker, action="viewed", target=alice)
    audit_records_read(
        actor=staffed_service.second_iss_worker,
        model=IssCase,
        ids=[alice.pk, beth.pk],
        summary="list",
    )
    audit_event_record(actor=staffed_service.iss_worker, action="viewed", target=beth)
    # An id that merely contains hers (1 in 10, 11...) is not hers.
    audit_records_read(
        actor=staffed_service.iss_worker, model=IssCase, ids=[alice.pk * 10 + 1], summary="list"
    )

    response = as_user(officer).get(trail_url(record_type="support.isscase", record_id=alice.pk))

    assert response.status_code == 200
    shown = events_shown(response)
    assert [event.actor for event in shown] == [
        staffed_service.second_iss_worker,
        staffed_service.iss_worker,
    ]


def test_it_narrows_by_person_and_by_date(
    staffed_service: ServiceStaff, officer: User, her_cases: list[IssCase]
) -> None:
    audit_event_record(actor=staffed_service.iss_worker, action="viewed", target=her_cases[0])
    audit_event_record(actor=staffed_service.perpetrator_worker, action="viewed", target=None)
    client = as_user(officer)

    by_person = events_shown(client.get(trail_url(person=staffed_service.iss_worker.username)))
    assert {event.actor for event in by_person} == {staffed_service.iss_worker}

    today = timezone.localdate()
    assert len(events_shown(client.get(trail_url(since=today, until=today)))) >= 2
    assert events_shown(client.get(trail_url(since=today + timedelta(days=1)))) == []
    assert events_shown(client.get(trail_url(until=today - timedelta(days=1)))) == []


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"record_id": "12"}, "record_type"),
        ({"since": "2026-03-02", "until": "2026-03-01"}, "until"),
        ({"since": "yesterday"}, "since"),
        ({"record_type": "auth.permission"}, "record_type"),
    ],
)
def test_bad_filters_are_named_on_the_page_and_in_the_api(
    officer: User, filters: dict[str, str], field: str
) -> None:
    client = as_user(officer)
    page = client.get(trail_url(**filters))
    assert page.status_code == 400
    assert field in page.context["form"].errors
    api = client.get(reverse("v1:audit-event-list"), filters)
    assert api.status_code == 400
    assert field in api.json()


def test_the_trail_is_paged_and_each_page_read_is_itself_recorded(
    staffed_service: ServiceStaff, officer: User
) -> None:
    for _ in range(51):
        audit_event_record(actor=staffed_service.iss_worker, action="viewed", target=None)
    client = as_user(officer)
    first = client.get(trail_url(person=staffed_service.iss_worker.username))
    assert len(events_shown(first)) == 50
    second = client.get(trail_url(person=staffed_service.iss_worker.username, page=2))
    assert len(events_shown(second)) == 1
    reads = AuditEvent.objects.filter(actor=officer, summary__startswith="audit trail page")
    assert reads.count() == 2


def test_it_shows_only_the_events_of_people_of_the_officers_organisation(
    staffed_service: ServiceStaff, officer: User
) -> None:
    other_organisation = Organisation.objects.create(name="Another synthetic organisation")
    their_service = Service.objects.create(
        organisation=other_organisation,
        name="Their DAPP",
        jurisdiction="england-and-wales",
        delivery="group",
        iss_provision="internal",
    )
    outsider = User.objects.create_user(username="their-worker", password=None)
    StaffMembership.objects.create(
        user=outsider, service=their_service, side=Side.ISS, started_on="2024-01-01"
    )
    audit_event_record(actor=outsider, action="viewed", target=None)
    audit_event_record(actor=staffed_service.other_service_worker, action="viewed", target=None)
    audit_event_record(actor=None, action="changed", target=None)

    actors = {event.actor_label for event in events_shown(as_user(officer).get(trail_url()))}

    assert "their-worker" not in actors
    assert "system" not in actors
    # Another service of the same organisation is the officer's to see.
    assert staffed_service.other_service_worker.username in actors


def test_the_download_is_a_csv_of_the_narrowed_trail_and_is_recorded(
    staffed_service: ServiceStaff, officer: User, her_cases: list[IssCase]
) -> None:
    audit_event_record(
        actor=staffed_service.iss_worker,
        action="viewed",
        target=her_cases[0],
        summary='=HYPERLINK("http://example.invalid")',
    )
    response = as_user(officer).get(
        reverse(DOWNLOAD), {"record_type": "support.isscase", "record_id": str(her_cases[0].pk)}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0][:3] == ["id", "when", "who"]
    assert [row[2] for row in rows[1:]] == [staffed_service.iss_worker.username]
    assert rows[1][8].startswith("'=")  # a formula is text in a spreadsheet
    exported = AuditEvent.objects.get(actor=officer, action="exported")
    assert "record_type=support.isscase" in exported.summary


def test_the_api_lists_the_trail_read_only(
    staffed_service: ServiceStaff, officer: User, her_cases: list[IssCase]
) -> None:
    viewed = audit_event_record(
        actor=staffed_service.iss_worker, action="viewed", target=her_cases[0]
    )
    client = as_user(officer)
    url = reverse("v1:audit-event-list")
    body = client.get(
        url, {"record_type": "support.isscase", "record_id": str(her_cases[0].pk)}
    ).json()
    [row] = body["results"]
    assert (row["id"], row["who"], row["record_type"], row["hash"]) == (
        viewed.pk,
        staffed_service.iss_worker.username,
        "support.isscase",
        viewed.hash,
    )
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url).status_code == 405, method
    assert AuditEvent.objects.get(pk=viewed.pk).summary == viewed.summary


EVERY_OTHER_ROLE = [role for role in Role if role != Role.DATA_PROTECTION_OFFICER]


@pytest.mark.parametrize("role", EVERY_OTHER_ROLE)
def test_every_other_role_is_refused_the_page_the_download_and_the_api(
    staffed_service: ServiceStaff, role: Role
) -> None:
    client = as_user(in_service(staffed_service, f"someone-{role.value}", role))
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.get(reverse(DOWNLOAD)).status_code == 403
    assert client.get(reverse("v1:audit-event-list")).status_code == 403
    assert not AuditEvent.objects.filter(action="exported").exists()


def test_someone_without_a_role_is_refused(user_without_role: User) -> None:
    client = as_user(user_without_role)
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.get(reverse("v1:audit-event-list")).status_code == 403


def test_the_officers_menu_leads_to_the_trail(officer: User) -> None:
    assert reverse(PAGE) in as_user(officer).get(reverse("home")).content.decode()


def test_the_record_types_are_tandems_own(officer: User) -> None:
    form = as_user(officer).get(reverse(PAGE)).context["form"]
    values = {value for value, _ in form.fields["record_type"].choices}
    assert "support.isscase" in values
    assert ContentType.objects.get_for_model(User).app_label not in {
        v.split(".")[0] for v in values if v
    }


def test_a_case_is_found_by_its_reference_as_its_address_shows_it(
    staffed_service: ServiceStaff, officer: User
) -> None:
    case = received(staffed_service)
    audit_event_record(actor=staffed_service.perpetrator_worker, action="viewed", target=case)
    response = as_user(officer).get(
        trail_url(record_type="cases.perpetratorcase", record_id=case.reference)
    )
    shown = events_shown(response)
    assert {event.object_id for event in shown} == {str(case.pk)}
    assert "viewed" in {event.action for event in shown}  # and the referral's "created"
