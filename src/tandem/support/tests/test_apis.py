"""ISS cases through the API under /api/v1/: only the ISS side of her service reaches her record;
bad input and refusals come back naming the field and the rule; stale writes are refused."""

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import ISS_WORK_ROLES, PERPETRATOR_WORK_ROLES, Role
from tandem.audit.models import AuditEvent
from tandem.cases.services.intake import SurvivorDetails
from tandem.cases.tests.builders import iss_case_of, received
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Service, StaffMembership
from tandem.support.models import (
    ContactAttempt,
    IssCase,
    Relationship,
    SafeContactPreference,
    SharedRiskNote,
)
from tandem.support.services.contact import contact_attempt_record, iss_referral_make

pytestmark = pytest.mark.django_db


def record_events() -> int:
    """Audit events other than sign-ins: signing in to try is itself one (force_login too)."""
    return AuditEvent.objects.exclude(action=AuditEvent.Action.PASSWORD_ACCEPTED).count()


ACTIONS = ["referral", "contact-attempts", "unsafe", "allocate"]
# Her number as the referral in `received` gives it.
HER_PHONE = "07700 900001"


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def list_url() -> str:
    return reverse("v1:iss-case-list")


def detail_url(iss_case: IssCase) -> str:
    return reverse("v1:iss-case-detail", args=[iss_case.pk])


def action_url(iss_case: IssCase, action: str) -> str:
    return reverse(f"v1:iss-case-{action}", args=[iss_case.pk])


def a_minute_ago() -> str:
    return (timezone.now() - timedelta(minutes=1)).isoformat()


def action_body(action: str, staff: ServiceStaff) -> dict[str, Any]:
    """Input with which each action succeeds on a case `ready_for` it."""
    bodies: dict[str, dict[str, Any]] = {
        "referral": {},
        "contact-attempts": {
            "attempted_at": a_minute_ago(),
            "method": "phone",
            "outcome": "no_answer",
            "destination": HER_PHONE,
        },
        "unsafe": {"reason": "She has moved abroad; no safe number (synthetic)"},
        "allocate": {"worker": staff.iss_worker.pk},
    }
    return bodies[action]


def ready_for(action: str, staff: ServiceStaff) -> IssCase:
    iss_case = iss_case_of(received(staff))
    if action == "contact-attempts":
        return iss_referral_make(
            iss_case=iss_case,
            actor=staff.iss_worker,
            expected_version=1,
            now=timezone.now() - timedelta(hours=1),
        )
    return iss_case


def member(username: str, role: Role, service: Service, side: str) -> User:
    user = User.objects.create_user(username=username, first_name="Test", last_name=role.label)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    StaffMembership.objects.create(user=user, service=service, side=side, started_on="2024-01-01")
    return user


def iss_worker_elsewhere() -> User:
    return member(
        "iss-elsewhere", Role.ISS_WORKER, Service.objects.get(name="Another service"), "iss"
    )


def every_route(iss_case: IssCase) -> list[tuple[str, str]]:
    return [
        ("get", list_url()),
        ("get", detail_url(iss_case)),
        *(("post", action_url(iss_case, action)) for action in ACTIONS),
    ]


def test_the_routes_are_where_clients_expect_them() -> None:
    assert list_url() == "/api/v1/iss-cases/"
    assert reverse("v1:iss-case-detail", args=[7]) == "/api/v1/iss-cases/7/"
    assert (
        reverse("v1:iss-case-contact-attempts", args=[7]) == "/api/v1/iss-cases/7/contact-attempts/"
    )


# Who may call them


def test_it_challenges_an_anonymous_client_on_every_route(
    client: Client, staffed_service: ServiceStaff
) -> None:
    iss_case = iss_case_of(received(staffed_service))

    for method, url in every_route(iss_case):
        response = getattr(client, method)(url)
        assert response.status_code == 401, (method, url)


def test_it_refuses_a_user_without_a_role_on_every_route(
    user_without_role: User, staffed_service: ServiceStaff
) -> None:
    iss_case = iss_case_of(received(staffed_service))
    client = as_user(user_without_role)

    for method, url in every_route(iss_case):
        assert getattr(client, method)(url).status_code == 403, (method, url)


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_no_iss_case_to_a_role_without_a_membership(
    user_with_role: Callable[[Role], User], staffed_service: ServiceStaff, role: Role
) -> None:
    iss_case = iss_case_of(received(staffed_service))
    client = as_user(user_with_role(role))

    listing = client.get(list_url())
    detail = client.get(detail_url(iss_case))
    referral = post_json(client, action_url(iss_case, "referral"), {"version": 1})

    if role in ISS_WORK_ROLES:
        assert listing.status_code == 200
        assert listing.json()["count"] == 0
    else:
        assert listing.status_code == 403
    expected = 404 if role in ISS_WORK_ROLES | PERPETRATOR_WORK_ROLES else 403
    assert (detail.status_code, referral.status_code) == (expected, expected)
    assert IssCase.objects.get(pk=iss_case.pk).referred_at is None


def test_it_refuses_the_list_to_a_perpetrator_worker_and_hides_each_iss_case(
    staffed_service: ServiceStaff,
) -> None:
    """A perpetrator worker is told no more about an ISS case than about one that never was."""
    iss_case = iss_case_of(received(staffed_service))
    client = as_user(staffed_service.perpetrator_worker)
    missing = reverse("v1:iss-case-detail", args=[iss_case.pk + 1000])

    assert client.get(list_url()).status_code == 403
    assert client.get(detail_url(iss_case)).status_code == 404
    assert client.get(detail_url(iss_case)).json() == client.get(missing).json()
    for action in ACTIONS:
        response = post_json(
            client,
            action_url(iss_case, action),
            {**action_body(action, staffed_service), "version": 1},
        )
        assert response.status_code == 404, action
    assert IssCase.objects.get(pk=iss_case.pk).version == 1
    assert not AuditEvent.objects.filter(action="viewed").exists()


@pytest.mark.parametrize("who", ["iss_worker_elsewhere", "practice_manager_perpetrator_side"])
def test_it_hides_an_iss_case_from_staff_not_on_the_iss_side_of_her_service(
    staffed_service: ServiceStaff, who: str
) -> None:
    iss_case = iss_case_of(received(staffed_service))
    user = (
        iss_worker_elsewhere()
        if who == "iss_worker_elsewhere"
        else member("pm", Role.PRACTICE_MANAGER, staffed_service.service, "perpetrator")
    )
    client = as_user(user)

    assert client.get(list_url()).json()["count"] == 0
    assert client.get(detail_url(iss_case)).status_code == 404
    for action in ACTIONS:
        response = post_json(
            client,
            action_url(iss_case, action),
            {**action_body(action, staffed_service), "version": 1},
        )
        assert response.status_code == 404, action


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["iss_worker", "service_manager"])
def test_it_lets_the_iss_side_of_her_service_take_each_action(
    staffed_service: ServiceStaff, action: str, who: str
) -> None:
    iss_case = ready_for(action, staffed_service)
    user = getattr(staffed_service, who)

    response = post_json(
        as_user(user),
        action_url(iss_case, action),
        {**action_body(action, staffed_service), "version": iss_case.version},
    )

    assert response.status_code == (201 if action == "contact-attempts" else 200), response.json()
    assert response.json()["version"] == iss_case.version + 1
    latest = AuditEvent.objects.filter(object_id=str(iss_case.pk)).latest("occurred_at", "pk")
    assert latest.actor == user


# What the ISS side sees


def test_it_lists_iss_cases_with_her_details_for_the_iss_side(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)

    body = as_user(staffed_service.iss_worker).get(list_url()).json()

    assert body["count"] == 1
    listed = body["results"][0]
    assert listed["id"] == iss_case_of(case).pk
    assert listed["survivor"] == {
        "first_name": "Alice",
        "last_name": "Example",
        "date_of_birth": None,
        "phone": "07700 900001",
        "email": "",
    }
    assert listed["perpetrator_cases"] == [
        {"case": case.reference, "relationship": "current_partner", "position": 1}
    ]


def test_it_shows_an_iss_case_with_safe_contact_attempts_and_notes_and_records_the_view(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    iss_case = iss_referral_make(
        iss_case=iss_case_of(case), actor=staffed_service.iss_worker, expected_version=1
    )
    SafeContactPreference.objects.create(
        survivor=iss_case.survivor,
        preferred_methods=["phone"],
        unsafe_methods=["letter"],
        safe_times="Tue/Thu 10-12",
        notes="Do not send letters (synthetic)",
    )
    contact_attempt_record(
        iss_case=iss_case,
        actor=staffed_service.iss_worker,
        expected_version=iss_case.version,
        attempted_at=timezone.now(),
        method="phone",
        outcome="no_answer",
        notes="Rang once, no voicemail (synthetic)",
        destination=HER_PHONE,
    )
    SharedRiskNote.objects.create(
        perpetrator_case=case,
        source_iss_case=iss_case,
        note="Synthetic concern awaiting approval",
        written_by=staffed_service.iss_worker,
        written_at=timezone.now(),
    )

    body = as_user(staffed_service.service_manager).get(detail_url(iss_case)).json()

    assert body["safe_contact"] == {
        "preferred_methods": ["phone"],
        "unsafe_methods": ["letter"],
        "safe_times": "Tue/Thu 10-12",
        "notes": "Do not send letters (synthetic)",
    }
    assert [(a["outcome"], a["notes"]) for a in body["attempts"]] == [
        ("no_answer", "Rang once, no voicemail (synthetic)")
    ]
    assert body["attempts"][0]["recorded_by"] == "Test ISS worker or IDVA"
    assert [(n["note"], n["released_at"]) for n in body["shared_risk_notes"]] == [
        ("Synthetic concern awaiting approval", None)
    ]
    viewed = AuditEvent.objects.get(action="viewed")
    assert (viewed.actor, viewed.object_id) == (staffed_service.service_manager, str(iss_case.pk))


def test_it_shows_no_safe_contact_when_none_is_recorded(staffed_service: ServiceStaff) -> None:
    iss_case = iss_case_of(received(staffed_service))

    body = as_user(staffed_service.iss_worker).get(detail_url(iss_case)).json()

    assert body["safe_contact"] is None


def test_it_lists_iss_cases_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    received(staffed_service)
    client = as_user(staffed_service.iss_worker)
    with django_assert_max_num_queries(15) as few:
        client.get(list_url())
    for number in range(4):
        received(staffed_service, first_name=f"Person{number}", date_of_birth=date(1990, 1, 1))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(list_url())
    assert response.json()["count"] == 5


def test_it_shows_an_iss_case_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    iss_case = ready_for("contact-attempts", staffed_service)
    client = as_user(staffed_service.iss_worker)

    def attempt() -> None:
        iss_case.refresh_from_db()
        contact_attempt_record(
            iss_case=iss_case,
            actor=staffed_service.second_iss_worker,
            expected_version=iss_case.version,
            attempted_at=timezone.now(),
            method="text",
            outcome="no_answer",
            destination=HER_PHONE,
        )

    attempt()
    with django_assert_max_num_queries(20) as few:
        client.get(detail_url(iss_case))
    for _ in range(4):
        attempt()

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(detail_url(iss_case))
    assert len(response.json()["attempts"]) == 5


# Recording the ISS's work


def test_it_makes_the_iss_referral_and_makes_initial_contact_due(
    staffed_service: ServiceStaff,
) -> None:
    iss_case = iss_case_of(received(staffed_service))
    client = as_user(staffed_service.iss_worker)

    made = post_json(client, action_url(iss_case, "referral"), {"version": 1})
    again = post_json(client, action_url(iss_case, "referral"), {"version": 2})

    assert made.status_code == 200
    assert made.json()["referred_at"] is not None
    assert DueTask.objects.get(rule_id="iss-handover", iss_case=iss_case).completed_at
    assert DueTask.objects.filter(rule_id="iss-contact", iss_case=iss_case).exists()
    assert again.status_code == 400
    assert again.json() == {"referred_at": ["her details were already passed to the ISS"]}


def test_it_records_every_attempt_and_successful_contact(staffed_service: ServiceStaff) -> None:
    iss_case = ready_for("contact-attempts", staffed_service)
    client = as_user(staffed_service.iss_worker)
    url = action_url(iss_case, "contact-attempts")

    no_answer = post_json(
        client,
        url,
        {**action_body("contact-attempts", staffed_service), "version": 2},
    )
    spoke = post_json(
        client,
        url,
        {
            **action_body("contact-attempts", staffed_service),
            "version": 3,
            "outcome": "support_declined",
        },
    )

    assert no_answer.status_code == 201
    assert no_answer.json()["contact_established_at"] is None
    assert spoke.json()["contact_outcome"] == "support_declined"
    assert ContactAttempt.objects.filter(iss_case=iss_case).count() == 2


@pytest.mark.parametrize(
    ("action", "body", "expected"),
    [
        pytest.param(
            "contact-attempts",
            {"attempted_at": "2999-01-01T10:00:00Z", "method": "phone", "outcome": "no_answer"},
            {"attempted_at": ["the attempt cannot be in the future"]},
            id="future-attempt",
        ),
        pytest.param(
            "contact-attempts",
            {"attempted_at": "2026-01-01T10:00:00Z", "method": "pigeon", "outcome": "no_answer"},
            {"method": ['"pigeon" is not a valid choice.']},
            id="unknown-method",
        ),
        pytest.param(
            "contact-attempts",
            {"attempted_at": "2026-01-01T10:00:00Z", "method": "phone"},
            {"outcome": ["This field is required."]},
            id="missing-outcome",
        ),
        pytest.param(
            "contact-attempts",
            {"attempted_at": a_minute_ago(), "method": "letter", "outcome": "no_answer"},
            {"method": ["she has said contact by letter is unsafe: use another way"]},
            id="method-she-said-is-unsafe",
        ),
        pytest.param(
            "contact-attempts",
            {"attempted_at": a_minute_ago(), "method": "phone", "outcome": "no_answer"},
            {"destination": ["give the number to use"]},
            id="call-without-a-number",
        ),
        pytest.param(
            "contact-attempts",
            {
                "attempted_at": a_minute_ago(),
                "method": "phone",
                "outcome": "no_answer",
                "destination": "07700 900999",
            },
            {
                "destination": [
                    "07700 900999 is not a number on her record: record it, and whether it is "
                    "safe, before using it"
                ]
            },
            id="number-not-hers",
        ),
        pytest.param(
            "contact-attempts",
            {
                "attempted_at": a_minute_ago(),
                "method": "text",
                "outcome": "no_answer",
                "destination": "07700 900001",
                "destination_address": 1,
            },
            {"destination_address": ["give a number or email, or an address, not both"]},
            id="number-and-address",
        ),
        pytest.param(
            "contact-attempts",
            {
                "attempted_at": a_minute_ago(),
                "method": "in_person",
                "outcome": "no_answer",
                "destination_address": 999999,
            },
            {"destination_address": ["that address is not one of hers"]},
            id="address-not-hers",
        ),
        pytest.param(
            "unsafe",
            {"reason": "  "},
            {"reason": ["say why contact is unsafe or impossible"]},
            id="blank-unsafe-reason",
        ),
        pytest.param(
            "allocate",
            {"worker": 999999},
            {"worker": ['Invalid pk "999999" - object does not exist.']},
            id="unknown-worker",
        ),
        pytest.param(
            "allocate",
            {"worker": "someone"},
            {"worker": ["Incorrect type. Expected pk value, received str."]},
            id="worker-not-an-id",
        ),
        pytest.param(
            "referral",
            {"version": "latest"},
            {"version": ["A valid integer is required."]},
            id="non-integer-version",
        ),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_changes_nothing(
    staffed_service: ServiceStaff, action: str, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    iss_case = ready_for(action, staffed_service)
    SafeContactPreference.objects.create(survivor=iss_case.survivor, unsafe_methods=["letter"])

    response = post_json(
        as_user(staffed_service.iss_worker),
        action_url(iss_case, action),
        {"version": iss_case.version, **body},
    )

    assert response.status_code == 400
    assert response.json() == expected
    assert IssCase.objects.get(pk=iss_case.pk).version == iss_case.version
    assert not ContactAttempt.objects.exists()


def test_it_refuses_a_contact_attempt_before_the_iss_referral(
    staffed_service: ServiceStaff,
) -> None:
    iss_case = iss_case_of(received(staffed_service))

    response = post_json(
        as_user(staffed_service.iss_worker),
        action_url(iss_case, "contact-attempts"),
        {**action_body("contact-attempts", staffed_service), "version": 1},
    )

    assert response.status_code == 400
    assert response.json() == {
        "outcome": ["make the ISS referral before recording contact"],
        "rule": "iss-handover",
    }


@pytest.mark.parametrize(
    ("worker", "expected"),
    [
        pytest.param(
            "perpetrator_worker",
            {"worker": ["choose an ISS worker of this service"]},
            id="perpetrator-worker",
        ),
        pytest.param(
            "service_manager",
            {
                "worker": [
                    "the ISS must not be delivered by staff who deliver the perpetrator intervention"
                ],
                "rule": "not-same-staff",
            },
            id="manager-on-both-sides",
        ),
    ],
)
def test_it_refuses_to_allocate_her_to_perpetrator_side_staff(
    staffed_service: ServiceStaff, worker: str, expected: dict[str, Any]
) -> None:
    iss_case = iss_case_of(received(staffed_service))

    response = post_json(
        as_user(staffed_service.service_manager),
        action_url(iss_case, "allocate"),
        {"version": 1, "worker": getattr(staffed_service, worker).pk},
    )

    assert response.status_code == 400
    assert response.json() == expected
    assert IssCase.objects.get(pk=iss_case.pk).allocated_worker is None


def test_it_gives_two_survivors_of_one_perpetrator_different_workers(
    staffed_service: ServiceStaff,
) -> None:
    case = received(
        staffed_service,
        survivors=[
            SurvivorDetails("Alice", "Example", Relationship.CURRENT_PARTNER, phone="07700 900001"),
            SurvivorDetails("Beth", "Example", Relationship.EX_PARTNER, phone="07700 900002"),
        ],
    )
    client = as_user(staffed_service.service_manager)
    worker = {"version": 1, "worker": staffed_service.iss_worker.pk}

    first = post_json(client, action_url(iss_case_of(case, 1), "allocate"), worker)
    second = post_json(client, action_url(iss_case_of(case, 2), "allocate"), worker)

    assert first.json()["allocated_worker"] == "Test ISS worker or IDVA"
    assert second.status_code == 400
    assert second.json()["rule"] == "separate-workers"


@pytest.mark.parametrize("action", ACTIONS)
def test_it_refuses_a_stale_version_with_409_and_changes_nothing(
    staffed_service: ServiceStaff, action: str
) -> None:
    iss_case = ready_for(action, staffed_service)
    events = record_events()

    response = post_json(
        as_user(staffed_service.iss_worker),
        action_url(iss_case, action),
        {**action_body(action, staffed_service), "version": iss_case.version + 1},
    )

    assert response.status_code == 409
    assert response.json() == {
        "version": [
            "this ISS case was changed by someone else since you opened it: reload it and try again"
        ]
    }
    unchanged = IssCase.objects.get(pk=iss_case.pk)
    assert unchanged.version == iss_case.version
    assert (unchanged.referred_at, unchanged.allocated_worker) == (
        iss_case.referred_at,
        iss_case.allocated_worker,
    )
    assert not ContactAttempt.objects.exists()
    assert record_events() == events


# The OpenAPI schema


def test_it_documents_every_iss_route_in_a_valid_schema(staffed_service: ServiceStaff) -> None:
    document = (
        as_user(staffed_service.iss_worker).get(reverse("api-schema"), {"format": "json"}).json()
    )

    validate_schema(document)
    assert {
        "/api/v1/iss-cases/",
        "/api/v1/iss-cases/{id}/",
        *(f"/api/v1/iss-cases/{{id}}/{action}/" for action in ACTIONS),
        *(
            f"/api/v1/iss-cases/{{id}}/{action}/"
            for action in ("links", "risk-notes", "close", "dash", "incidents", "marac-referrals")
        ),
        "/api/v1/iss-cases/{id}/possible-duplicates/{flag_pk}/",
        "/api/v1/risk-notes/awaiting-approval/",
        "/api/v1/risk-notes/{id}/approve/",
        "/api/v1/my-work/",
    } <= set(document["paths"])
    attempts = document["paths"]["/api/v1/iss-cases/{id}/contact-attempts/"]["post"]
    assert attempts["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ContactAttemptInput"
    }
    assert {"201", "400", "403", "404", "409"} <= set(attempts["responses"])
