"""Services and staff memberships through the API: who may read and add (the same rules as the
pages), the 400 shape of a refusal, and the routes in the OpenAPI schema."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Service, StaffMembership

pytestmark = pytest.mark.django_db


def record_events() -> int:
    """Audit events other than sign-ins: signing in to try is itself one (force_login too)."""
    return AuditEvent.objects.exclude(action=AuditEvent.Action.PASSWORD_ACCEPTED).count()


TODAY = timezone.localdate().isoformat()


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def senior_manager_elsewhere(staff: ServiceStaff) -> User:
    user = User.objects.create_user(username="sm-elsewhere")
    user.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user,
        service=Service.objects.exclude(pk=staff.service.pk).get(),
        side="both",
        is_senior_manager=True,
        started_on="2024-01-01",
    )
    return user


def test_it_lists_every_service_to_an_administrator_and_only_theirs_to_a_senior_manager(
    staffed_service: ServiceStaff, user_with_role: Callable[[Role], User]
) -> None:
    admin = as_user(user_with_role(Role.ADMINISTRATOR)).get(reverse("v1:service-list")).json()
    manager = as_user(staffed_service.service_manager).get(reverse("v1:service-list")).json()

    assert [s["name"] for s in admin["results"]] == ["Another service", "Test DAPP"]
    assert [s["name"] for s in manager["results"]] == ["Test DAPP"]
    assert manager["results"][0] == {
        "id": staffed_service.service.pk,
        "version": 1,
        "name": "Test DAPP",
        "organisation": "Synthetic Test Services (not real)",
        "jurisdiction": "england-and-wales",
        "criminal_record_body": "Disclosure and Barring Service (DBS)",
        "intervention_types": ["behaviour_change", "icm"],
        "delivery": "both",
        "iss_provision": "internal",
        "external_iss_organisation": None,
        "partnership_agreement_signed_on": None,
        "information_sharing_agreement_signed_on": None,
        "has_youth_provision": False,
        "dash_high_risk_threshold": 14,
        "marac_escalation_incidents": 3,
        "marac_escalation_window_days": 365,
        "referral_response_working_days": 5,
    }


def test_it_gives_a_service_with_its_current_staff_and_their_sides(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service

    body = (
        as_user(staff.service_manager)
        .get(reverse("v1:service-detail", args=[staff.service.pk]))
        .json()
    )

    assert {(m["username"], m["side"], m["is_senior_manager"]) for m in body["current_staff"]} == {
        ("pw", "perpetrator", False),
        ("iss1", "iss", False),
        ("iss2", "iss", False),
        ("sm", "both", True),
    }


ROLES_REFUSED = [
    Role.ASSESSOR,
    Role.COMMISSIONER,
    Role.PERPETRATOR_WORKER,
    Role.ISS_WORKER,
    Role.PRACTICE_MANAGER,
    Role.SERVICE_MANAGER,
]


@pytest.mark.parametrize("role", ROLES_REFUSED)
def test_it_refuses_every_route_to_a_role_that_manages_no_service(
    staffed_service: ServiceStaff, user_with_role: Callable[[Role], User], role: Role
) -> None:
    """A manager's role alone, without a senior membership, manages nothing."""
    client = as_user(user_with_role(role))
    service = staffed_service.service.pk

    statuses = [
        client.get(reverse("v1:service-list")).status_code,
        client.get(reverse("v1:service-detail", args=[service])).status_code,
        client.get(reverse("v1:service-memberships", args=[service])).status_code,
        post_json(
            client,
            reverse("v1:service-memberships", args=[service]),
            {"username": "pw", "side": "perpetrator", "started_on": TODAY},
        ).status_code,
    ]

    assert statuses == [403, 403, 403, 403]


@pytest.mark.parametrize("worker", ["perpetrator_worker", "iss_worker"])
def test_it_refuses_the_services_own_workers(staffed_service: ServiceStaff, worker: str) -> None:
    client = as_user(getattr(staffed_service, worker))

    response = client.get(reverse("v1:service-detail", args=[staffed_service.service.pk]))

    assert response.status_code == 403


def test_it_answers_404_to_another_services_senior_manager(staffed_service: ServiceStaff) -> None:
    client = as_user(senior_manager_elsewhere(staffed_service))
    service = staffed_service.service.pk

    statuses = [
        client.get(reverse("v1:service-detail", args=[service])).status_code,
        client.get(reverse("v1:service-memberships", args=[service])).status_code,
        post_json(
            client,
            reverse("v1:service-memberships", args=[service]),
            {"username": "pw", "side": "perpetrator", "started_on": TODAY},
        ).status_code,
    ]

    assert statuses == [404, 404, 404]


def test_it_challenges_an_anonymous_client(staffed_service: ServiceStaff) -> None:
    response = Client().get(reverse("v1:service-list"))

    assert response.status_code == 401


@pytest.mark.parametrize("who", ["administrator", "senior manager"])
def test_it_adds_a_staff_member(
    staffed_service: ServiceStaff, user_with_role: Callable[[Role], User], who: str
) -> None:
    staff = staffed_service
    actor = user_with_role(Role.ADMINISTRATOR) if who == "administrator" else staff.service_manager
    manager = User.objects.create_user(username="new-pm", first_name="Synthetic", last_name="Pm")
    manager.groups.add(Group.objects.get_or_create(name=Role.PRACTICE_MANAGER.value)[0])

    response = post_json(
        as_user(actor),
        reverse("v1:service-memberships", args=[staff.service.pk]),
        {
            "username": "new-pm",
            "side": "management",
            "is_senior_manager": True,
            "started_on": TODAY,
        },
    )

    assert response.status_code == 201
    assert response.json() == {
        "id": StaffMembership.objects.get(user=manager).pk,
        "username": "new-pm",
        "name": "Synthetic Pm",
        "side": "management",
        "is_senior_manager": True,
        "started_on": TODAY,
        "ended_on": None,
    }
    listed = as_user(actor).get(reverse("v1:service-memberships", args=[staff.service.pk]))
    assert "new-pm" in [m["username"] for m in listed.json()["results"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"username": "pw", "side": "both", "started_on": TODAY},
            {
                "side": [
                    "only someone who holds the service manager or practice manager role can "
                    "work on both sides, and Test Perpetrator worker holds neither: choose one "
                    "side"
                ],
                "rule": "not-same-staff",
            },
        ),
        (
            {"username": "pw", "side": "perpetrator", "started_on": TODAY},
            {
                "username": [
                    "Test Perpetrator worker already works in this service (since 1 Jan 2024):"
                    " end that membership first"
                ]
            },
        ),
        (
            {"username": "nobody", "side": "perpetrator", "started_on": TODAY},
            {"username": ["No one has that username."]},
        ),
        ({"username": "pw", "side": "director", "started_on": TODAY}, {"side": None}),
        ({"username": "pw", "side": "perpetrator"}, {"started_on": None}),
    ],
)
def test_it_refuses_a_membership_with_400_naming_the_field_and_rule(
    staffed_service: ServiceStaff, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    memberships, events = StaffMembership.objects.count(), record_events()

    response = post_json(
        as_user(staffed_service.service_manager),
        reverse("v1:service-memberships", args=[staffed_service.service.pk]),
        body,
    )

    assert response.status_code == 400
    answer = response.json()
    assert set(answer) == set(expected)
    for field, messages in expected.items():
        if messages is not None:
            assert answer[field] == messages
    assert (StaffMembership.objects.count(), record_events()) == (memberships, events)


def test_it_documents_the_service_routes_in_a_valid_schema(staffed_service: ServiceStaff) -> None:
    response = as_user(staffed_service.service_manager).get(
        reverse("api-schema"), {"format": "json"}
    )

    document = response.json()
    validate_schema(document)
    paths = document["paths"]
    assert {
        "/api/v1/services/",
        "/api/v1/services/{service_id}/",
        "/api/v1/services/{service_id}/memberships/",
    } <= set(paths)
    create = paths["/api/v1/services/{service_id}/memberships/"]["post"]
    assert {"201", "400", "403", "404"} <= set(create["responses"])
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MembershipInput"
    }
    sides = document["components"]["schemas"]["StaffSideEnum"]["enum"]
    assert set(sides) == {"perpetrator", "iss", "both", "management"}
