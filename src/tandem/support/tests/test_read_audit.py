"""Every read of survivors' records is audited, lists included: one event per request naming
the ISS cases shown (the page, not the whole list), whoever and from wherever (issue 12:
`GET /api/v1/iss-cases/?limit=1000` returned every survivor's details and wrote nothing)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.cases.tests.builders import TWO_SURVIVORS, iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.support.models import IssCase, SharedRiskNote
from tandem.support.services.risk_notes import shared_risk_note_write
from tandem.support.tests.builders import client_for

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.9"


@pytest.fixture
def her_cases(staffed_service: ServiceStaff) -> list[IssCase]:
    """Four survivors' ISS cases in the service: two cases of two survivors each."""
    for _ in range(2):
        received(staffed_service, survivors=TWO_SURVIVORS)
    return list(IssCase.objects.order_by("pk"))


def read_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=["viewed", "searched"]).order_by("pk"))


def listed_ids(event: AuditEvent) -> set[int]:
    return {int(pk) for pk in event.object_ids.split()}


def test_the_iss_case_list_api_writes_one_event_naming_every_survivor_on_the_page(
    staffed_service: ServiceStaff, her_cases: list[IssCase]
) -> None:
    client = client_for(staffed_service.iss_worker)
    before = AuditEvent.objects.count()
    response = client.get(reverse("v1:iss-case-list") + "?limit=1000", REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4
    assert AuditEvent.objects.count() == before + 1
    [event] = read_events()
    assert (event.actor, event.action) == (staffed_service.iss_worker, "viewed")
    assert event.content_type == ContentType.objects.get_for_model(IssCase)
    assert listed_ids(event) == {iss_case.pk for iss_case in her_cases}
    assert (event.ip_address, event.path) == (CLIENT_IP, "/api/v1/iss-cases/")
    assert "4 iss cases" in event.summary


def test_a_page_of_the_list_names_only_the_survivors_on_that_page(
    staffed_service: ServiceStaff, her_cases: list[IssCase]
) -> None:
    response = client_for(staffed_service.iss_worker).get(
        reverse("v1:iss-case-list") + "?limit=3&offset=3"
    )
    shown = {row["id"] for row in response.json()["results"]}
    assert len(shown) == 1
    [event] = read_events()
    assert listed_ids(event) == shown
    assert event.action == "viewed"  # paging is not a search


def test_an_empty_list_is_still_recorded(staffed_service: ServiceStaff) -> None:
    client_for(staffed_service.iss_worker).get(reverse("v1:iss-case-list"))
    [event] = read_events()
    assert (event.object_ids, event.summary) == (
        "",
        "ISS cases listed through the API: 0 iss cases",
    )


def test_the_list_costs_the_same_queries_for_one_survivor_or_four(
    staffed_service: ServiceStaff,
) -> None:
    client = client_for(staffed_service.iss_worker)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("v1:iss-case-list"))
        return len(captured)

    received(staffed_service)
    client.get(reverse("v1:iss-case-list"))  # sessions and content types warmed
    with_one = queries()
    received(staffed_service, survivors=TWO_SURVIVORS)
    assert queries() == with_one


def test_the_iss_case_list_page_writes_one_event_naming_the_cases_shown(
    staffed_service: ServiceStaff, her_cases: list[IssCase]
) -> None:
    response = client_for(staffed_service.iss_worker).get(reverse("support:iss_case_list"))
    assert response.status_code == 200
    [event] = read_events()
    assert listed_ids(event) == {iss_case.pk for iss_case in her_cases}
    assert event.summary.startswith("ISS case list page")


def test_her_case_page_writes_one_event_about_her_case(
    staffed_service: ServiceStaff, her_cases: list[IssCase]
) -> None:
    iss_case = her_cases[0]
    client_for(staffed_service.iss_worker).get(
        reverse("support:iss_case_detail", args=[iss_case.pk])
    )
    [event] = read_events()
    assert (event.action, event.object_id) == ("viewed", str(iss_case.pk))
    assert event.content_type == ContentType.objects.get_for_model(IssCase)


def test_a_refused_reader_leaves_no_read_event(
    staffed_service: ServiceStaff, her_cases: list[IssCase]
) -> None:
    response = client_for(staffed_service.perpetrator_worker).get(reverse("v1:iss-case-list"))
    assert response.status_code == 403
    assert read_events() == []


def test_the_risk_notes_awaiting_approval_are_recorded_as_read_on_the_page_and_the_api(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    note = shared_risk_note_write(
        iss_case=iss_case_of(case),
        perpetrator_case=case,
        actor=staffed_service.iss_worker,
        note="Synthetic: he has been seen near her workplace.",
    )
    client = client_for(staffed_service.service_manager)

    client.get(reverse("support:risk_notes_awaiting_approval"))
    client.get(reverse("v1:risk-notes-awaiting-approval"))

    page, api = read_events()
    assert listed_ids(page) == listed_ids(api) == {note.pk}
    assert page.content_type == ContentType.objects.get_for_model(SharedRiskNote)
