"""Legal holds through the API: a senior manager of the case's service places, lists and lifts
them; every other role is refused (issue 12, data protection)."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.cases.tests.builders import iss_case_of, non_senior_manager, received, signed_in
from tandem.conftest import ServiceStaff
from tandem.dataprotection.models import LegalHold
from tandem.support.tests.builders import member, other_service, post_json

pytestmark = pytest.mark.django_db

HOLDS = reverse("v1:legal-holds")


def test_a_senior_manager_places_lists_and_lifts_a_hold(staffed_service: ServiceStaff) -> None:
    case = received(staffed_service)
    client = signed_in(staffed_service.service_manager)

    placed = post_json(
        client, HOLDS, {"perpetrator_case": case.reference, "reason": "Court order (synthetic)"}
    )

    assert placed.status_code == 201, placed.content
    assert placed.json()["perpetrator_case"] == case.reference
    assert [hold["id"] for hold in client.get(HOLDS).json()] == [placed.json()["id"]]
    lift = reverse("v1:legal-hold-lift", args=[placed.json()["id"]])
    lifted = post_json(client, lift, {"reason": "Order discharged (synthetic)"})
    assert lifted.status_code == 200, lifted.content
    assert lifted.json()["lifted_at"] is not None
    again = post_json(client, lift, {"reason": "Twice"})
    assert again.status_code == 400
    assert again.json() == {"hold": ["This legal hold has already been lifted"]}


def test_a_hold_on_an_iss_case_names_no_survivor(staffed_service: ServiceStaff) -> None:
    iss_case = iss_case_of(received(staffed_service))

    placed = post_json(
        signed_in(staffed_service.service_manager),
        HOLDS,
        {"iss_case": iss_case.pk, "reason": "Civil claim (synthetic)"},
    )

    assert placed.status_code == 201, placed.content
    assert "Alice" not in placed.content.decode()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"perpetrator_case": "X", "reason": "  "}, "reason", "Give the reason"),
        (
            {"reason": "No case named"},
            "perpetrator_case",
            "Give either a perpetrator case or an ISS case, not both",
        ),
    ],
)
def test_a_hold_without_a_reason_or_a_case_is_refused_naming_the_field(
    staffed_service: ServiceStaff, body: dict[str, object], field: str, message: str
) -> None:
    case = received(staffed_service)
    if body.get("perpetrator_case"):
        body = {**body, "perpetrator_case": case.reference}

    refused = post_json(signed_in(staffed_service.service_manager), HOLDS, body)

    assert refused.status_code == 400
    assert message in str(refused.json()[field])
    assert not LegalHold.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_every_role_without_senior_management_of_a_service_is_refused(
    client_as: Callable[[Role], Client], role: Role
) -> None:
    client = client_as(role)

    assert client.get(HOLDS).status_code == 403
    assert post_json(client, HOLDS, {"iss_case": 1, "reason": "x"}).status_code == 403


def test_the_services_own_workers_and_a_manager_who_is_not_senior_are_refused(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    body = {"perpetrator_case": case.reference, "reason": "Synthetic"}
    for user in (
        staffed_service.perpetrator_worker,
        staffed_service.iss_worker,
        non_senior_manager(staffed_service),
    ):
        assert post_json(signed_in(user), HOLDS, body).status_code == 403, user
    assert not LegalHold.objects.exists()


def test_a_senior_manager_of_another_service_finds_no_such_case(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    elsewhere = member(
        "sm-elsewhere", Role.SERVICE_MANAGER, other_service(staffed_service), "both", senior=True
    )

    refused = post_json(
        signed_in(elsewhere), HOLDS, {"perpetrator_case": case.reference, "reason": "Synthetic"}
    )

    assert refused.status_code == 404
    assert signed_in(elsewhere).get(HOLDS).json() == []
