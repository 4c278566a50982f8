"""Reads of perpetrator case records are audited in one event per request: the cases of a list
page or API page by id, a search with its terms, a case's children with the case (issue 12)."""

from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.cases.models import PerpetratorCase
from tandem.cases.services.intake import ChildDetails
from tandem.cases.tests.builders import received
from tandem.conftest import ServiceStaff

pytestmark = pytest.mark.django_db

SEARCH = "Zebedee"


def as_user(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def cases(staffed_service: ServiceStaff) -> list[PerpetratorCase]:
    """Three cases; only the first's perpetrator is called Zebedee."""
    return [
        received(staffed_service, first_name=SEARCH),
        received(staffed_service, first_name="Testperson"),
        received(staffed_service, first_name="Otherperson"),
    ]


def read_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=["viewed", "searched"]).order_by("pk"))


def listed_ids(event: AuditEvent) -> set[int]:
    return {int(pk) for pk in event.object_ids.split()}


def test_the_case_list_api_records_the_page_of_cases_it_answered(
    staffed_service: ServiceStaff, cases: list[PerpetratorCase]
) -> None:
    as_user(staffed_service.perpetrator_worker).get(reverse("v1:case-list") + "?limit=2")
    [event] = read_events()
    assert event.action == "viewed"
    assert event.content_type == ContentType.objects.get_for_model(PerpetratorCase)
    assert len(listed_ids(event)) == 2
    assert listed_ids(event) <= {case.pk for case in cases}


def test_a_search_through_the_api_records_its_terms_and_what_it_found(
    staffed_service: ServiceStaff, cases: list[PerpetratorCase]
) -> None:
    response = as_user(staffed_service.perpetrator_worker).get(
        reverse("v1:case-list") + f"?q={SEARCH}&limit=10"
    )
    assert [row["reference"] for row in response.json()["results"]] == [cases[0].reference]
    [event] = read_events()
    assert event.action == "searched"
    assert f"searched for q={SEARCH}" in event.summary
    assert "limit" not in event.summary
    assert listed_ids(event) == {cases[0].pk}


def test_a_search_on_the_case_list_page_records_its_terms(
    staffed_service: ServiceStaff, cases: list[PerpetratorCase]
) -> None:
    as_user(staffed_service.perpetrator_worker).get(
        reverse("cases:case_list") + "?q=" + quote(f"{SEARCH} Synthetic")
    )
    [event] = read_events()
    assert event.action == "searched"
    assert f"q={SEARCH} Synthetic" in event.summary
    assert listed_ids(event) == {cases[0].pk}


def test_a_search_that_finds_nothing_is_still_recorded(
    staffed_service: ServiceStaff, cases: list[PerpetratorCase]
) -> None:
    as_user(staffed_service.perpetrator_worker).get(reverse("cases:case_list") + "?q=Nobody")
    [event] = read_events()
    assert (event.action, event.object_ids) == ("searched", "")
    assert "q=Nobody" in event.summary


def test_the_case_list_page_without_a_search_records_a_view(
    staffed_service: ServiceStaff, cases: list[PerpetratorCase]
) -> None:
    as_user(staffed_service.perpetrator_worker).get(reverse("cases:case_list"))
    [event] = read_events()
    assert event.action == "viewed"
    assert listed_ids(event) == {case.pk for case in cases}


def test_his_childrens_records_are_recorded_as_a_view_of_his_case_naming_them(
    staffed_service: ServiceStaff,
) -> None:
    case = received(
        staffed_service,
        children=[ChildDetails("Kit", "son"), ChildDetails("Lou", "daughter")],
    )
    as_user(staffed_service.perpetrator_worker).get(
        reverse("v1:case-children", args=[case.reference])
    )
    [event] = read_events()
    assert event.content_type == ContentType.objects.get_for_model(PerpetratorCase)
    assert event.object_id == str(case.pk)
    assert listed_ids(event) == set(case.children.values_list("pk", flat=True))
    assert "2 children" in event.summary
