"""Rule survivor-confidentiality in the weekly exchange (rule weekly-exchange): what the ISS
shared is free text crossing the barrier, so the perpetrator side reads it only once approved as
a shared risk note is (the ISS manager, then for intensive case management the service
manager), through the same queue; the ISS side's person is named to it by role only."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tandem.access.roles import Role
from tandem.cases.models import RiskEngagementExchange
from tandem.cases.services.reviews import (
    exchange_iss_account_approve,
    risk_engagement_exchange_record,
)
from tandem.cases.tests.builders import FRIDAY
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import StaffMembership

pytestmark = pytest.mark.django_db

ISS_WORDS = "Synthetic: the ISS hears he has been seen near the school gates"
PERPETRATOR_WORDS = "Synthetic: P000001 missed two sessions"


def practice_manager(staff: ServiceStaff, side: str) -> User:
    user = User.objects.create_user(
        username=f"pm-{side}", first_name="Synthetic", last_name=f"Manager {side}"
    )
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user, service=staff.service, side=side, started_on=date(2024, 1, 1)
    )
    return user


@pytest.fixture
def exchange(staffed_service: ServiceStaff) -> RiskEngagementExchange:
    """Recorded by a practice manager on the perpetrator side, with what the ISS shared; the
    service offers intensive case management, so both approvals are needed."""
    iss_worker = staffed_service.iss_worker
    iss_worker.first_name, iss_worker.last_name = "Synthetic", "Ivy-Example"
    iss_worker.save()
    assert staffed_service.service.offers_icm
    return risk_engagement_exchange_record(
        service=staffed_service.service,
        actor=practice_manager(staffed_service, "perpetrator"),
        held_on=date(2026, 11, 20),
        perpetrator_side_person=staffed_service.perpetrator_worker,
        iss_side_person=iss_worker,
        summary=PERPETRATOR_WORDS,
        iss_account=ISS_WORDS,
        now=FRIDAY,
    )


def reviews_page(staff: ServiceStaff, user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("cases:service_reviews", args=[staff.service.pk])).text


def api_rows(staff: ServiceStaff, user: User) -> list[dict[str, object]]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(reverse("v1:service-exchanges", args=[staff.service.pk]))
    assert response.status_code == 200
    rows: list[dict[str, object]] = response.json()["results"]
    return rows


def test_the_perpetrator_side_reads_what_the_iss_shared_only_once_both_approve(
    staffed_service: ServiceStaff, exchange: RiskEngagementExchange
) -> None:
    perpetrator_side = User.objects.get(username="pm-perpetrator")

    for step, approver in enumerate(
        [practice_manager(staffed_service, "iss"), staffed_service.service_manager]
    ):
        page = reviews_page(staffed_service, perpetrator_side)
        assert PERPETRATOR_WORDS in page
        assert ISS_WORDS not in page
        assert "Awaiting approval" in page
        assert "Ivy-Example" not in page
        assert "an ISS worker or IDVA" in page
        (row,) = api_rows(staffed_service, perpetrator_side)
        assert (row["iss_account"], row["iss_account_awaiting_approval"]) == ("", True)
        assert row["iss_side_person"] == "an ISS worker or IDVA"
        exchange = exchange_iss_account_approve(exchange=exchange, actor=approver, now=FRIDAY)
        assert (exchange.iss_account_released_at is not None) is (step == 1)

    page = reviews_page(staffed_service, perpetrator_side)
    assert ISS_WORDS in page
    assert "Awaiting approval" not in page
    assert "Ivy-Example" not in page
    (row,) = api_rows(staffed_service, perpetrator_side)
    assert (row["iss_account"], row["iss_account_awaiting_approval"]) == (ISS_WORDS, False)


def test_the_iss_side_reads_what_it_shared_and_who_at_once(
    staffed_service: ServiceStaff, exchange: RiskEngagementExchange
) -> None:
    """The service manager works on both sides: on the ISS side, nothing is held from them."""
    page = reviews_page(staffed_service, staffed_service.service_manager)
    assert ISS_WORDS in page
    assert "Ivy-Example" in page
    (row,) = api_rows(staffed_service, staffed_service.service_manager)
    assert (row["iss_account"], row["iss_account_awaiting_approval"]) == (ISS_WORDS, True)


@pytest.mark.parametrize(
    ("who", "why"),
    [
        ("pm-perpetrator", "another manager must approve what you recorded"),
        ("perpetrator-side service manager", "only a manager on the ISS side"),
        ("iss_worker", "only a manager on the ISS side"),
    ],
)
def test_only_a_manager_on_the_iss_side_gives_the_first_approval(
    staffed_service: ServiceStaff, exchange: RiskEngagementExchange, who: str, why: str
) -> None:
    if who == "perpetrator-side service manager":
        actor = User.objects.create_user(username="sm-perpetrator")
        actor.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
        StaffMembership.objects.create(
            user=actor, service=staffed_service.service, side="perpetrator", started_on=FRIDAY
        )
    elif who == "iss_worker":
        actor = staffed_service.iss_worker
    else:
        actor = User.objects.get(username=who)
    with pytest.raises(ActionRefused) as refused:
        exchange_iss_account_approve(exchange=exchange, actor=actor, now=FRIDAY)
    assert why in refused.value.message
    assert refused.value.rule_id == "survivor-confidentiality"
    exchange.refresh_from_db()
    assert exchange.iss_manager_approved_at is None


def test_the_iss_manager_cannot_give_the_service_managers_approval_too(
    staffed_service: ServiceStaff, exchange: RiskEngagementExchange
) -> None:
    iss_manager = practice_manager(staffed_service, "iss")
    exchange_iss_account_approve(exchange=exchange, actor=iss_manager, now=FRIDAY)
    with pytest.raises(ActionRefused):
        exchange_iss_account_approve(exchange=exchange, actor=iss_manager, now=FRIDAY)
    exchange.refresh_from_db()
    assert exchange.iss_account_released_at is None


def test_it_is_approved_from_the_risk_notes_queue_and_404_to_others(
    staffed_service: ServiceStaff, exchange: RiskEngagementExchange
) -> None:
    queue = reverse("support:risk_notes_awaiting_approval")
    approve = reverse("support:exchange_iss_account_approve", args=[exchange.pk])
    perpetrator_side = Client()
    perpetrator_side.force_login(User.objects.get(username="pm-perpetrator"))
    assert ISS_WORDS not in perpetrator_side.get(queue).text
    assert perpetrator_side.post(approve).status_code == 404

    iss_manager = Client()
    iss_manager.force_login(practice_manager(staffed_service, "iss"))
    assert ISS_WORDS in iss_manager.get(queue).text
    assert iss_manager.post(approve).status_code == 302
    exchange.refresh_from_db()
    assert exchange.iss_manager_approved_at is not None
    assert ISS_WORDS not in iss_manager.get(queue).text


@pytest.mark.parametrize(
    "role",
    [
        Role.ISS_WORKER,
        Role.PERPETRATOR_WORKER,
        Role.ASSESSOR,
        Role.COMMISSIONER,
        Role.ADMINISTRATOR,
    ],
)
def test_the_approve_route_refuses_those_who_approve_nothing_403(
    staffed_service: ServiceStaff,
    exchange: RiskEngagementExchange,
    client_as: object,
    role: Role,
) -> None:
    client = client_as(role)  # type: ignore[operator]
    approve = reverse("support:exchange_iss_account_approve", args=[exchange.pk])
    assert client.post(approve).status_code == 403
    exchange.refresh_from_db()
    assert exchange.iss_manager_approved_at is None
