"""The delivery pages and API: who may open them (ISS workers, assessors, commissioners and anyone
without a role never; staff of other services get 404 for records), the warnings shown with a
reason asked for, attendance feeding his case, and set-based pages."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import EngagementChange
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.delivery.models import (
    DeliveryException,
    DeliverySession,
    Group,
    Programme,
    Recording,
)
from tandem.delivery.selectors import session_participants
from tandem.delivery.services import recording_register
from tandem.delivery.tests.builders import (
    MONDAY,
    NOW,
    facilitators,
    group_session,
    group_with,
    men_in_intervention,
)

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def delivered(staffed_service: ServiceStaff) -> tuple[Group, DeliverySession, Recording]:
    group = group_with(staffed_service, men=6)
    session = group_session(staffed_service, group)
    recording = recording_register(
        session=session,
        actor=staffed_service.perpetrator_worker,
        medium="video",
        storage_location="synthetic://recordings/1",
        checksum_sha256="b" * 64,
        retain_until=MONDAY + timedelta(days=365),
        now=NOW,
    )
    return group, session, recording


def page_urls(group: Group, session: DeliverySession, recording: Recording) -> list[str]:
    return [
        reverse("delivery:index"),
        reverse("delivery:recordings"),
        reverse("delivery:exceptions"),
        reverse("delivery:programme_new", args=[group.service_id]),
        reverse("delivery:one_to_one_session_new", args=[group.service_id]),
        reverse("delivery:programme_detail", args=[group.programme_id]),
        reverse("delivery:group_new", args=[group.programme_id]),
        reverse("delivery:group_register", args=[group.pk]),
        reverse("delivery:participant_new", args=[group.pk]),
        reverse("delivery:session_new", args=[group.pk]),
        reverse("delivery:session_detail", args=[session.pk]),
        reverse("delivery:recording_new", args=[session.pk]),
        reverse("delivery:recording_review", args=[recording.pk]),
    ]


def api_urls(group: Group, session: DeliverySession) -> list[str]:
    return [
        "/api/v1/delivery/groups/",
        f"/api/v1/delivery/groups/{group.pk}/",
        "/api/v1/delivery/sessions/",
        f"/api/v1/delivery/sessions/{session.pk}/",
        f"/api/v1/delivery/sessions/{session.pk}/attendance/",
    ]


@pytest.mark.parametrize(
    "role", [Role.ISS_WORKER, Role.ASSESSOR, Role.COMMISSIONER, Role.ADMINISTRATOR, None]
)
def test_it_refuses_every_page_and_api_route_to_those_off_the_perpetrator_side(
    staffed_service: ServiceStaff,
    delivered: tuple[Group, DeliverySession, Recording],
    user_with_role: Callable[[Role], User],
    user_without_role: User,
    role: Role | None,
) -> None:
    """The information barrier: ISS workers (403) see none of it, nor assessors, commissioners,
    administrators or anyone without a role."""
    client = signed_in(user_with_role(role) if role else user_without_role)
    for url in page_urls(*delivered):
        assert client.get(url).status_code == 403, url
    for url in api_urls(*delivered[:2]):
        assert client.get(url).status_code == 403, url
    assert client.post(api_urls(*delivered[:2])[-1], {}).status_code == 403


def test_it_refuses_the_service_iss_worker_everything(
    staffed_service: ServiceStaff, delivered: tuple[Group, DeliverySession, Recording]
) -> None:
    """Rule not-same-staff and the information barrier: the service's own ISS worker."""
    client = signed_in(staffed_service.iss_worker)
    for url in page_urls(*delivered) + api_urls(*delivered[:2]):
        assert client.get(url).status_code in (403, 404), url


def test_it_answers_404_for_another_services_records(
    staffed_service: ServiceStaff, delivered: tuple[Group, DeliverySession, Recording]
) -> None:
    client = signed_in(staffed_service.other_service_worker)
    for url in page_urls(*delivered)[3:] + api_urls(*delivered[:2])[1::2]:
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/delivery/groups/").json()["count"] == 0
    post = client.post(
        f"/api/v1/delivery/sessions/{delivered[1].pk}/attendance/",
        {},
        content_type="application/json",
    )
    assert post.status_code == 404


def test_it_lets_only_managers_set_up_programmes_and_review_recordings(
    staffed_service: ServiceStaff, delivered: tuple[Group, DeliverySession, Recording]
) -> None:
    group, _session, recording = delivered
    worker = signed_in(staffed_service.perpetrator_worker)
    for url in (
        reverse("delivery:programme_new", args=[group.service_id]),
        reverse("delivery:group_new", args=[group.programme_id]),
        reverse("delivery:recording_review", args=[recording.pk]),
    ):
        assert worker.get(url).status_code == 403, url
    manager = signed_in(staffed_service.service_manager)
    for url in page_urls(*delivered):
        assert manager.get(url).status_code == 200, url


def test_it_shows_the_group_register_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    """The register (participants by sessions) does not grow its queries with rows shown."""
    group = group_with(staffed_service, men=10)
    for week in range(4):
        group_session(staffed_service, group, held_on=MONDAY - timedelta(weeks=week))
    client = signed_in(staffed_service.perpetrator_worker)
    url = reverse("delivery:group_register", args=[group.pk])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Below dose so far") == 10


def test_it_shows_the_warnings_and_plans_the_session_only_with_a_reason(
    staffed_service: ServiceStaff,
) -> None:
    """Rules group-size and facilitator-load: shown on the form; going ahead needs a reason,
    which the exceptions page lists."""
    group = group_with(staffed_service, men=5)
    client = signed_in(staffed_service.perpetrator_worker)
    url = reverse("delivery:session_new", args=[group.pk])
    data = {
        "held_on": MONDAY.isoformat(),
        "starts_at": "18:00",
        "ends_at": "20:30",
        "facilitators": [person.pk for person in group.facilitators.all()],
        "planning_minutes": "30",
        "debrief_minutes": "15",
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "rule group-size" in page
    assert "rule facilitator-load" in page
    assert not DeliverySession.objects.exists()
    response = client.post(url, {**data, "exception_reason": "Synthetic: room booked late"})
    session = DeliverySession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("delivery:session_detail", args=[session.pk])
    listed = client.get(reverse("delivery:exceptions")).content.decode()
    assert "Synthetic: room booked late" in listed
    assert "facilitator-load, group-size" in listed


def test_it_records_attendance_on_the_page_and_tells_his_case(
    staffed_service: ServiceStaff,
) -> None:
    """Rule engagement-change: an absence recorded on the session page makes the tasks due."""
    group = group_with(staffed_service, men=6)
    session = group_session(staffed_service, group)
    men = session_participants(session=session)
    client = signed_in(staffed_service.perpetrator_worker)
    url = reverse("delivery:session_detail", args=[session.pk])
    data: dict[str, object] = {"expected_version": session.version}
    for man in men:
        data[f"status_{man.pk}"] = "attended"
    data[f"status_{men[0].pk}"] = "absent_without_notice"
    response = client.post(url, {**data, f"status_{men[1].pk}": ""})
    assert response.status_code == 200
    assert f"Choose {men[1].reference}" in response.content.decode()
    response = client.post(url, {**data, "exception_reason": "Synthetic: five present"})
    assert response.status_code == 302
    assert EngagementChange.objects.get().case == men[0]
    assert DueTask.objects.filter(perpetrator_case=men[0], rule_id="engagement-change").exists()


def test_it_records_attendance_through_the_api_naming_the_field_and_rule(
    staffed_service: ServiceStaff,
) -> None:
    group = group_with(staffed_service, men=6)
    session = group_session(staffed_service, group)
    men = session_participants(session=session)
    client = signed_in(staffed_service.perpetrator_worker)
    url = f"/api/v1/delivery/sessions/{session.pk}/attendance/"
    entries = [{"case": man.reference, "status": "attended"} for man in men]
    entries[0] = {"case": men[0].reference, "status": "late"}
    body = {"version": session.version, "attendance": entries}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["rule"] == "dose"
    assert f"attendance.{men[0].reference}.minutes" in response.json()
    entries[0] = {"case": men[0].reference, "status": "absent_with_notice"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["rule"] == "group-size"
    assert response.json()["warnings"][0]["rule"] == "group-size"
    body["exception_reason"] = "Synthetic: one away"
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()[0]["engagement_change_recorded"] is True
    stale = client.post(url, body, content_type="application/json")
    assert stale.status_code == 409
    assert DeliveryException.objects.count() == 1
    listed = client.get(f"/api/v1/delivery/sessions/?group={group.pk}").json()
    assert listed["count"] == 1
    assert listed["results"][0]["group"] == group.pk


def test_it_adds_a_programme_below_the_dose_only_with_a_reason(
    staffed_service: ServiceStaff,
) -> None:
    """Rule dose (NE 4.8): the page shows the warning; the reason lets it go ahead."""
    client = signed_in(staffed_service.service_manager)
    url = reverse("delivery:programme_new", args=[staffed_service.service.pk])
    data = {
        "name": "Synthetic short programme",
        "kind": "behaviour_change",
        "planned_contact_hours": "50",
        "planned_weeks": "20",
        "for_men_abusive_to_female_partners": "on",
        "sessions": "Module 1 | Welcome | 150\nModule 1 | Noticing | 150",
    }
    page = client.post(url, data).content.decode()
    assert "rule dose" in page
    assert not Programme.objects.exists()
    assert client.post(url, {**data, "sessions": "Module 1 | no minutes"}).status_code == 200
    response = client.post(url, {**data, "exception_reason": "Synthetic pilot"})
    assert response.status_code == 302
    assert Programme.objects.get().sessions.count() == 2


def test_it_plans_a_one_to_one_session_and_records_his_absence(
    staffed_service: ServiceStaff,
) -> None:
    """One-to-one work is a session with one man; his absence tells his case too (rule
    engagement-change)."""
    facilitators(staffed_service)
    (man,) = men_in_intervention(staffed_service, 1)
    client = signed_in(staffed_service.perpetrator_worker)
    url = reverse("delivery:one_to_one_session_new", args=[staffed_service.service.pk])
    response = client.post(
        url,
        {
            "session_type": "case_manager_contact",
            "case": man.pk,
            "held_on": MONDAY.isoformat(),
            "starts_at": "10:00",
            "ends_at": "11:00",
            "facilitators": [staffed_service.perpetrator_worker.pk],
            "planning_minutes": "0",
            "debrief_minutes": "0",
        },
    )
    session = DeliverySession.objects.get()
    assert response.status_code == 302
    assert (session.case, session.group) == (man, None)
    response = client.post(
        reverse("delivery:session_detail", args=[session.pk]),
        {"expected_version": session.version, f"status_{man.pk}": "absent_with_notice"},
    )
    assert response.status_code == 302
    assert EngagementChange.objects.get().case == man
    assert not DeliveryException.objects.exists()
    assert man.reference in client.get(reverse("delivery:index")).content.decode()


def test_it_shows_the_lists_in_queries_that_do_not_grow_with_rows(
    staffed_service: ServiceStaff,
) -> None:
    """Index, recordings register and exceptions: the same number of queries for 1 row as for 3."""
    group = group_with(staffed_service, men=5)
    client = signed_in(staffed_service.service_manager)
    urls = [
        reverse(name) for name in ("delivery:index", "delivery:recordings", "delivery:exceptions")
    ]

    def add_week(week: int) -> None:
        session = group_session(
            staffed_service,
            group,
            held_on=MONDAY - timedelta(weeks=week),
            exception_reason="Synthetic: small group",
        )
        recording_register(
            session=session,
            actor=staffed_service.perpetrator_worker,
            medium="video",
            storage_location=f"synthetic://recordings/{week}",
            checksum_sha256="c" * 64,
            retain_until=MONDAY + timedelta(days=365),
            now=NOW,
        )

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    add_week(0)
    one = counts()
    add_week(1)
    add_week(2)
    assert counts() == one


def test_it_documents_the_delivery_routes_in_a_valid_schema(staffed_service: ServiceStaff) -> None:
    response = signed_in(staffed_service.perpetrator_worker).get(
        reverse("api-schema"), {"format": "json"}
    )
    document = response.json()
    validate_schema(document)
    paths = document["paths"]
    assert {
        "/api/v1/delivery/groups/",
        "/api/v1/delivery/groups/{group_id}/",
        "/api/v1/delivery/sessions/",
        "/api/v1/delivery/sessions/{session_id}/",
        "/api/v1/delivery/sessions/{session_id}/attendance/",
    } <= set(paths)
    record = paths["/api/v1/delivery/sessions/{session_id}/attendance/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(record["responses"])


def test_it_sends_someone_not_signed_in_to_sign_in(
    staffed_service: ServiceStaff, delivered: tuple[Group, DeliverySession, Recording]
) -> None:
    client = Client()
    for url in page_urls(*delivered):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    for url in api_urls(*delivered[:2]):
        assert client.get(url).status_code in (401, 403), url


def test_reads_of_groups_and_their_participants_through_the_api_are_recorded(
    staffed_service: ServiceStaff, delivered: tuple[Group, DeliverySession, Recording]
) -> None:
    """Issue 12: every read of personal records is audited, one event per request."""
    group = delivered[0]
    client = signed_in(staffed_service.perpetrator_worker)
    before = AuditEvent.objects.count()

    client.get("/api/v1/delivery/groups/")
    client.get(f"/api/v1/delivery/groups/{group.pk}/")

    listed, opened = AuditEvent.objects.order_by("pk")[before:]
    assert (listed.action, listed.object_ids) == ("viewed", f" {group.pk} ")
    assert (opened.action, opened.object_id) == ("viewed", str(group.pk))
    assert AuditEvent.objects.count() == before + 2
