"""Perpetrator cases through the API under /api/v1/: who may call each route, what it answers,
how bad input and refusals come back, and the OpenAPI schema."""

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import ISS_WORK_ROLES, PERPETRATOR_WORK_ROLES, Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import CaseTransition, PerpetratorCase, Stage
from tandem.cases.services.intake import SurvivorDetails
from tandem.cases.tests.builders import assessed, consented, iss_case_of, received
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Service, StaffMembership
from tandem.support.models import IssCase, Relationship, SharedRiskNote, Survivor
from tandem.support.services.contact import iss_contact_unsafe_record, iss_referral_make

pytestmark = pytest.mark.django_db


def record_events() -> int:
    """Audit events other than sign-ins: signing in to try is itself one (force_login too)."""
    return AuditEvent.objects.exclude(action=AuditEvent.Action.PASSWORD_ACCEPTED).count()


ACTIONS = ["screen", "assess", "consent", "start", "close"]
CASE_WORK_ROLES = PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def list_url() -> str:
    return reverse("v1:case-list")


def detail_url(case: PerpetratorCase) -> str:
    return reverse("v1:case-detail", args=[case.reference])


def action_url(case: PerpetratorCase, action: str) -> str:
    return reverse(f"v1:case-{action}", args=[case.reference])


def post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def an_hour_ago() -> str:
    return (timezone.now() - timedelta(hours=1)).isoformat()


def referral_body(**overrides: object) -> dict[str, Any]:
    body: dict[str, Any] = {
        "first_name": "Testperson",
        "last_name": "Synthetic",
        "date_of_birth": "1985-03-01",
        "received_at": an_hour_ago(),
        "source": "agency",
        "referrer_name": "A. Referrer (synthetic)",
        "referrer_organisation": "Synthetic Probation",
        "survivors": [
            {
                "first_name": "Alice",
                "last_name": "Example",
                "relationship": "current_partner",
                "phone": "07700 900001",
                "email": "alice@example.invalid",
            }
        ],
        "children": [
            {
                "first_name": "Kit",
                "last_name": "Synthetic",
                "date_of_birth": "2015-06-01",
                "relationship_to_perpetrator": "son",
                "lives_with_perpetrator": True,
            }
        ],
    }
    body.update(overrides)
    return body


# Each action with input that moves a case at the stage `ready_for` builds.
ACTION_BODIES: dict[str, dict[str, Any]] = {
    "screen": {"criminal_justice": "none", "family_proceedings": "none"},
    "assess": {
        "risk_summary": "Synthetic risk summary",
        "need_summary": "Synthetic need",
        "responsivity_summary": "Synthetic responsivity",
        "motivation_summary": "Synthetic motivation",
        "accepted": True,
        "decision_statement": "Eligible and suitable for the group programme.",
        "intervention_type": "behaviour_change",
    },
    "consent": {
        "signed_on": "2026-11-20",
        "covers_case_file_review": True,
        "covers_recorded_sessions": True,
    },
    "start": {},
    "close": {"reason": "moved"},
}


def ready_for(action: str, staff: ServiceStaff) -> PerpetratorCase:
    """A case at the stage where `action` succeeds."""
    if action in ("screen", "close"):
        return received(staff)
    if action == "assess":
        case = received(staff)
        return case_after(staff, case, "screen")
    case = assessed(staff)
    if action == "consent":
        return case
    case = consented(staff, case)
    iss_contact_unsafe_record(
        iss_case=iss_case_of(case), actor=staff.iss_worker, expected_version=1, reason="Unsafe"
    )
    return case


def case_after(staff: ServiceStaff, case: PerpetratorCase, action: str) -> PerpetratorCase:
    response = post_json(
        as_user(staff.perpetrator_worker),
        action_url(case, action),
        {**ACTION_BODIES[action], "version": case.version},
    )
    assert response.status_code == 200, response.json()
    return PerpetratorCase.objects.get(pk=case.pk)


def practice_manager_on_perpetrator_side(staff: ServiceStaff) -> User:
    user = User.objects.create_user(username="pm", first_name="Test", last_name="Practice")
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user, service=staff.service, side="perpetrator", started_on="2024-01-01"
    )
    return user


# Where the routes are


def test_the_routes_are_where_clients_expect_them() -> None:
    assert list_url() == "/api/v1/cases/"
    assert reverse("v1:case-detail", args=["P000001"]) == "/api/v1/cases/P000001/"
    assert reverse("v1:case-start", args=["P000001"]) == "/api/v1/cases/P000001/start/"


# Who may call them


def every_route(case: PerpetratorCase) -> list[tuple[str, str]]:
    return [
        ("get", list_url()),
        ("post", list_url()),
        ("get", detail_url(case)),
        *(("post", action_url(case, action)) for action in ACTIONS),
    ]


def test_it_challenges_an_anonymous_client_on_every_route(
    client: Client, staffed_service: ServiceStaff
) -> None:
    case = received(staffed_service)

    for method, url in every_route(case):
        response = getattr(client, method)(url)
        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"] == "Token"


def test_it_refuses_a_user_without_a_role_on_every_route(
    user_without_role: User, staffed_service: ServiceStaff
) -> None:
    case = received(staffed_service)
    client = as_user(user_without_role)

    for method, url in every_route(case):
        assert getattr(client, method)(url).status_code == 403, (method, url)
    assert not AuditEvent.objects.filter(action="viewed").exists()


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_no_case_to_a_role_without_a_membership(
    user_with_role: Callable[[Role], User], staffed_service: ServiceStaff, role: Role
) -> None:
    """A role alone grants no case: case-work roles get an empty list and 404s, other roles 403."""
    case = received(staffed_service)
    client = as_user(user_with_role(role))

    listing = client.get(list_url())
    detail = client.get(detail_url(case))
    start = post_json(client, action_url(case, "start"), {"version": case.version})

    if role in CASE_WORK_ROLES:
        assert listing.status_code == 200
        assert listing.json()["count"] == 0
        assert (detail.status_code, start.status_code) == (404, 404)
    else:
        assert (listing.status_code, detail.status_code, start.status_code) == (403, 403, 403)


def test_it_hides_another_services_case_with_404_on_every_case_route(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    client = as_user(staffed_service.other_service_worker)

    missing = reverse("v1:case-detail", args=["P999999"])

    assert client.get(list_url()).json()["count"] == 0
    assert client.get(detail_url(case)).json() == client.get(missing).json()
    for action in ACTIONS:
        response = post_json(client, action_url(case, action), ACTION_BODIES[action])
        assert response.status_code == 404, action
        assert response.json() == {"detail": "No such case"}


@pytest.mark.parametrize("action", ACTIONS)
def test_it_lets_an_iss_worker_read_a_case_but_refuses_her_its_actions(
    staffed_service: ServiceStaff, action: str
) -> None:
    case = ready_for(action, staffed_service)
    client = as_user(staffed_service.iss_worker)

    response = post_json(
        client, action_url(case, action), {**ACTION_BODIES[action], "version": case.version}
    )

    assert client.get(detail_url(case)).status_code == 200
    assert response.status_code == 403
    assert PerpetratorCase.objects.get(pk=case.pk).version == case.version


def test_it_refuses_a_referral_from_an_iss_worker(staffed_service: ServiceStaff) -> None:
    response = post_json(as_user(staffed_service.iss_worker), list_url(), referral_body())

    assert response.status_code == 403
    assert not PerpetratorCase.objects.exists()


def test_it_refuses_a_referral_from_a_perpetrator_worker_with_no_service(
    user_with_role: Callable[[Role], User], db: None
) -> None:
    client = as_user(user_with_role(Role.PERPETRATOR_WORKER))

    response = post_json(client, list_url(), referral_body())
    unreadable = post_json(client, list_url(), {"first_name": ""})

    assert response.status_code == unreadable.status_code == 403
    assert response.json() == {"detail": "You do not work on the perpetrator side of any service."}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["perpetrator_worker", "service_manager", "practice_manager"])
def test_it_lets_the_perpetrator_side_take_each_action(
    staffed_service: ServiceStaff, action: str, who: str
) -> None:
    case = ready_for(action, staffed_service)
    user = (
        practice_manager_on_perpetrator_side(staffed_service)
        if who == "practice_manager"
        else getattr(staffed_service, who)
    )

    response = post_json(
        as_user(user), action_url(case, action), {**ACTION_BODIES[action], "version": case.version}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == case.version + 1
    latest = AuditEvent.objects.filter(object_id=str(case.pk)).latest("occurred_at", "pk")
    assert (latest.actor, latest.action) == (
        user,
        "changed" if action == "consent" else "transitioned",
    )


# Referrals


def test_it_records_a_referral_and_shows_survivors_only_as_contact_statuses(
    staffed_service: ServiceStaff,
) -> None:
    response = post_json(as_user(staffed_service.perpetrator_worker), list_url(), referral_body())

    assert response.status_code == 201
    body = response.json()
    case = PerpetratorCase.objects.get()
    assert body["reference"] == case.reference
    assert (body["stage"], body["version"], body["source"]) == ("referred", 1, "agency")
    assert body["survivors"] == [
        {
            "position": 1,
            "relationship": "Current partner",
            "contact_complete": False,
            "outcome": "",
        }
    ]
    assert body["children"][0]["first_name"] == "Kit"
    for survivor_detail in ("Alice", "Example", "07700 900001", "alice@example.invalid"):
        assert survivor_detail not in response.content.decode()
    survivor = Survivor.objects.get()
    assert (survivor.first_name, survivor.phone) == ("Alice", "07700 900001")
    assert DueTask.objects.filter(rule_id="iss-handover", iss_case__survivor=survivor).exists()


def test_it_writes_only_case_references_that_fit_their_column(
    staffed_service: ServiceStaff,
) -> None:
    written: list[str] = []

    def note_reference(instance: PerpetratorCase, **kwargs: object) -> None:
        written.append(instance.reference)

    pre_save.connect(note_reference, sender=PerpetratorCase, weak=False)
    try:
        response = post_json(
            as_user(staffed_service.perpetrator_worker), list_url(), referral_body()
        )
    finally:
        pre_save.disconnect(note_reference, sender=PerpetratorCase)

    assert response.status_code == 201
    longest = PerpetratorCase._meta.get_field("reference").max_length
    assert longest is not None
    assert [reference for reference in written if len(reference) > longest] == []


def test_it_flags_a_possible_duplicate_referral(staffed_service: ServiceStaff) -> None:
    first = received(staffed_service)

    response = post_json(as_user(staffed_service.perpetrator_worker), list_url(), referral_body())

    assert response.json()["possible_duplicates"] == [first.reference]
    assert PerpetratorCase.objects.count() == 2


def test_it_asks_which_service_when_the_referrer_works_in_two(
    staffed_service: ServiceStaff,
) -> None:
    other = Service.objects.get(name="Another service")
    StaffMembership.objects.create(
        user=staffed_service.perpetrator_worker,
        service=other,
        side="perpetrator",
        started_on="2024-01-01",
    )
    client = as_user(staffed_service.perpetrator_worker)

    unsaid = post_json(client, list_url(), referral_body())
    said = post_json(client, list_url(), referral_body(service=other.pk))

    assert unsaid.status_code == 400
    assert list(unsaid.json()) == ["service"]
    assert said.status_code == 201
    assert PerpetratorCase.objects.get().service == other


def test_it_refuses_a_referral_to_a_service_the_referrer_does_not_work_in(
    staffed_service: ServiceStaff,
) -> None:
    other = Service.objects.get(name="Another service")

    response = post_json(
        as_user(staffed_service.perpetrator_worker), list_url(), referral_body(service=other.pk)
    )

    assert response.status_code == 400
    assert response.json() == {
        "service": ["You do not work on the perpetrator side of that service."]
    }


def without(body: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != name}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            without(referral_body(), "first_name"),
            {"first_name": ["This field is required."]},
            id="missing-first-name",
        ),
        pytest.param(
            referral_body(last_name=" "),
            {"last_name": ["This field may not be blank."]},
            id="blank-last-name",
        ),
        pytest.param(
            referral_body(received_at=(timezone.now() + timedelta(days=1)).isoformat()),
            {"received_at": ["received at cannot be in the future"]},
            id="future-received-at",
        ),
        pytest.param(
            referral_body(received_at="yesterday"),
            {
                "received_at": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
            id="unreadable-received-at",
        ),
        pytest.param(
            referral_body(
                children=[
                    {
                        "first_name": "Kit",
                        "date_of_birth": "1980-01-01",
                        "relationship_to_perpetrator": "son",
                    }
                ]
            ),
            {"children": ["child 1: born on or before his date of birth: check both dates"]},
            id="child-born-before-him",
        ),
        pytest.param(
            referral_body(
                survivors=[
                    {
                        "first_name": "Alice",
                        "last_name": "Example",
                        "relationship": "neighbour",
                        "phone": "07700 900001",
                    }
                ]
            ),
            {"survivors": [{"relationship": ['"neighbour" is not a valid choice.']}]},
            id="unknown-survivor-relationship",
        ),
        pytest.param(
            referral_body(source="friend"),
            {"source": ['"friend" is not a valid choice.']},
            id="unknown-source",
        ),
        pytest.param(
            referral_body(
                survivors=[{"first_name": "Alice", "last_name": "Example", "relationship": "ex"}]
            ),
            {"survivors": [{"relationship": ['"ex" is not a valid choice.']}]},
            id="unknown-short-relationship",
        ),
        pytest.param(
            referral_body(
                survivors=[
                    {"first_name": "Alice", "last_name": "Example", "relationship": "ex_partner"}
                ]
            ),
            {
                "survivors": ["survivor 1: an agency referral must give a phone number or email"],
                "rule": "iss-handover",
            },
            id="agency-referral-without-contact-details",
        ),
    ],
)
def test_it_refuses_a_bad_referral_naming_the_field_and_saves_nothing(
    staffed_service: ServiceStaff, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    events_before = record_events()

    response = post_json(as_user(staffed_service.perpetrator_worker), list_url(), body)

    assert response.status_code == 400
    assert response.json() == expected
    assert not PerpetratorCase.objects.exists()
    assert not Survivor.objects.exists()
    assert not IssCase.objects.exists()
    assert not DueTask.objects.exists()
    assert record_events() == events_before


# Reading cases


def test_it_lists_and_searches_cases_by_his_name_or_reference(
    staffed_service: ServiceStaff,
) -> None:
    first = received(staffed_service)
    second = received(staffed_service, first_name="Otherman", date_of_birth=date(1990, 1, 1))
    client = as_user(staffed_service.perpetrator_worker)

    everything = client.get(list_url()).json()
    by_name = client.get(list_url(), {"q": "otherman synthetic"}).json()
    by_reference = client.get(list_url(), {"q": first.reference}).json()
    by_survivor = client.get(list_url(), {"q": "Alice"}).json()

    assert everything["count"] == 2
    assert set(everything["results"][0]) == {
        "reference",
        "version",
        "stage",
        "service",
        "first_name",
        "last_name",
        "date_of_birth",
        "received_at",
        "source",
        "allocated_worker",
    }
    assert [c["reference"] for c in by_name["results"]] == [second.reference]
    assert [c["reference"] for c in by_reference["results"]] == [first.reference]
    assert by_survivor["count"] == 0


def test_it_pages_the_case_list(staffed_service: ServiceStaff) -> None:
    for number in range(3):
        received(staffed_service, first_name=f"Person{number}")

    page = as_user(staffed_service.perpetrator_worker).get(list_url(), {"limit": 2}).json()

    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert "offset=2" in page["next"]


def test_it_caps_the_page_size_of_every_list_rather_than_failing(
    staffed_service: ServiceStaff,
) -> None:
    received(staffed_service)
    client = as_user(staffed_service.service_manager)

    for name in ("v1:case-list", "v1:iss-case-list", "v1:my-work"):
        response = client.get(reverse(name), {"limit": "99999999999999999999"})
        assert response.status_code == 200, name
        assert response.json()["count"] >= 1, name


def test_the_standards_lists_cap_the_page_size_too(
    client_as: Callable[[Role], Client], library: None
) -> None:
    response = client_as(Role.ASSESSOR).get(
        reverse("v1:framework-list"), {"limit": "99999999999999999999"}
    )

    assert response.status_code == 200


def test_it_lists_cases_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    received(staffed_service)
    client = as_user(staffed_service.perpetrator_worker)
    with django_assert_max_num_queries(15) as few:
        client.get(list_url())
    for number in range(5):
        received(staffed_service, first_name=f"Person{number}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(list_url())
    assert response.json()["count"] == 6


def test_it_shows_a_case_and_records_the_view(staffed_service: ServiceStaff) -> None:
    case = assessed(staffed_service)

    response = as_user(staffed_service.iss_worker).get(detail_url(case))

    body = response.json()
    assert response.status_code == 200
    assert (body["reference"], body["stage"]) == (case.reference, "assessed")
    assert body["risk_summary"] == "Synthetic risk summary"
    assert body["start_refusals"] == [
        {"rule": "consent", "message": "the confidentiality agreement has not been signed"},
        {
            "rule": "iss-before-start",
            "message": "no survivor contact established yet for survivor 1 "
            "(her details have not yet been passed to the ISS)",
        },
    ]
    viewed = AuditEvent.objects.get(action="viewed")
    assert viewed.actor == staffed_service.iss_worker
    assert viewed.object_id == str(case.pk)


def test_it_shows_released_risk_notes_without_their_source(
    staffed_service: ServiceStaff,
) -> None:
    case = received(staffed_service)
    now = timezone.now()
    note = dict(
        perpetrator_case=case,
        source_iss_case=iss_case_of(case),
        written_by=staffed_service.iss_worker,
        written_at=now,
    )
    SharedRiskNote.objects.create(**note, note="Synthetic released concern", released_at=now)
    SharedRiskNote.objects.create(**note, note="Synthetic unapproved concern")

    body = as_user(staffed_service.perpetrator_worker).get(detail_url(case)).json()

    assert [note["note"] for note in body["risk_notes"]] == ["Synthetic released concern"]
    assert set(body["risk_notes"][0]) == {"note", "released_at"}
    assert datetime.fromisoformat(body["risk_notes"][0]["released_at"]) == now


def test_it_shows_a_case_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    small = received(staffed_service)
    large = received(
        staffed_service,
        survivors=[
            SurvivorDetails(f"S{n}", "Example", Relationship.EX_PARTNER, phone="07700 900002")
            for n in range(4)
        ],
    )
    client = as_user(staffed_service.perpetrator_worker)
    with django_assert_max_num_queries(25) as few:
        client.get(detail_url(small))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(detail_url(large))
    assert len(response.json()["survivors"]) == 4


# Actions: refusals, bad input and concurrent edits


def test_it_refuses_to_start_naming_the_rule_and_what_is_missing(
    staffed_service: ServiceStaff,
) -> None:
    case = consented(staffed_service, assessed(staffed_service))
    iss_case = iss_case_of(case)
    iss_referral_make(iss_case=iss_case, actor=staffed_service.iss_worker, expected_version=1)
    referred = timezone.localtime(IssCase.objects.get(pk=iss_case.pk).referred_at)

    response = post_json(
        as_user(staffed_service.perpetrator_worker),
        action_url(case, "start"),
        {"version": case.version},
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "cannot start intervention: no survivor contact established yet for "
            f"survivor 1 (ISS referral pending since {referred:%-d %b %Y %H:%M})"
        ],
        "rule": "iss-before-start",
    }
    assert PerpetratorCase.objects.get(pk=case.pk).stage == Stage.ASSESSED


@pytest.mark.parametrize(
    ("action", "body", "expected"),
    [
        pytest.param(
            "start", {"version": "two"}, {"version": ["A valid integer is required."]}, id="word"
        ),
        pytest.param(
            "start", {"version": 1.5}, {"version": ["A valid integer is required."]}, id="fraction"
        ),
        pytest.param(
            "assess",
            {**ACTION_BODIES["assess"], "intervention_type": "anger_management"},
            {"intervention_type": ['"anger_management" is not a valid choice.']},
            id="unknown-intervention-type",
        ),
        pytest.param(
            "assess",
            {**ACTION_BODIES["assess"], "decision_statement": ""},
            {"decision_statement": ["enter the factual statement of the decision"]}
            | {"rule": "assessment-outcome"},
            id="assessment-without-statement",
        ),
        pytest.param(
            "screen",
            {**ACTION_BODIES["screen"], "criminal_justice": "maybe"},
            {"criminal_justice": ['"maybe" is not a valid choice.']},
            id="unknown-criminal-justice",
        ),
        pytest.param(
            "screen",
            {**ACTION_BODIES["screen"], "social_services_involved": True},
            {
                "social_worker_details": [
                    "social services are involved: record the social worker's details"
                ],
                "rule": "routine-enquiry",
            },
            id="social-worker-missing",
        ),
        pytest.param(
            "consent",
            {"signed_on": "2999-01-01"},
            {"signed_on": ["signed on cannot be in the future"]},
            id="future-consent",
        ),
        pytest.param(
            "close",
            {"reason": "not_accepted"},
            {"reason": ['"not_accepted" is not a valid choice.']},
            id="closure-reason-not-in-the-list",
        ),
        pytest.param(
            "close",
            {"reason": "other"},
            {"detail": ["say why the case is closing"]},
            id="other-closure-without-detail",
        ),
    ],
)
def test_it_refuses_bad_action_input_naming_the_field_and_changes_nothing(
    staffed_service: ServiceStaff, action: str, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    case = ready_for(action, staffed_service)
    body = {"version": case.version, **body}

    response = post_json(
        as_user(staffed_service.perpetrator_worker), action_url(case, action), body
    )

    assert response.status_code == 400
    assert response.json() == expected
    unchanged = PerpetratorCase.objects.get(pk=case.pk)
    assert (unchanged.stage, unchanged.version) == (case.stage, case.version)


def test_it_needs_the_version_the_change_is_based_on(staffed_service: ServiceStaff) -> None:
    case = received(staffed_service)

    response = post_json(
        as_user(staffed_service.perpetrator_worker), action_url(case, "close"), {"reason": "moved"}
    )

    assert response.status_code == 400
    assert response.json() == {"version": ["This field is required."]}
    assert PerpetratorCase.objects.get(pk=case.pk).stage == Stage.REFERRED


def test_it_refuses_an_action_out_of_order(staffed_service: ServiceStaff) -> None:
    case = received(staffed_service)

    response = post_json(
        as_user(staffed_service.perpetrator_worker),
        action_url(case, "start"),
        {"version": case.version},
    )

    assert response.status_code == 400
    assert response.json() == {
        "stage": ["cannot start intervention: the case is referred, not assessed: accepted"]
    }


@pytest.mark.parametrize("action", ACTIONS)
def test_it_refuses_a_stale_version_with_409_and_changes_nothing(
    staffed_service: ServiceStaff, action: str
) -> None:
    case = ready_for(action, staffed_service)
    transitions = CaseTransition.objects.filter(case=case).count()
    events = record_events()

    response = post_json(
        as_user(staffed_service.perpetrator_worker),
        action_url(case, action),
        {**ACTION_BODIES[action], "version": case.version - 1 or case.version + 1},
    )

    assert response.status_code == 409
    assert response.json() == {
        "version": [
            f"case {case.reference} was changed by someone else since you opened it: "
            "reload it and try again"
        ]
    }
    unchanged = PerpetratorCase.objects.get(pk=case.pk)
    assert (unchanged.stage, unchanged.version) == (case.stage, case.version)
    assert CaseTransition.objects.filter(case=case).count() == transitions
    assert record_events() == events


# The whole journey


def test_it_takes_a_referral_to_the_start_of_the_intervention_through_the_api(
    staffed_service: ServiceStaff,
) -> None:
    worker = as_user(staffed_service.perpetrator_worker)
    iss = as_user(staffed_service.iss_worker)
    case = post_json(worker, list_url(), referral_body()).json()
    for action in ("screen", "assess", "consent"):
        case = post_json(
            worker,
            reverse(f"v1:case-{action}", args=[case["reference"]]),
            {**ACTION_BODIES[action], "version": case["version"]},
        ).json()
    start_url = reverse("v1:case-start", args=[case["reference"]])
    refused = post_json(worker, start_url, {"version": case["version"]})

    iss_case = iss.get(reverse("v1:iss-case-list")).json()["results"][0]
    iss_case = post_json(
        iss,
        reverse("v1:iss-case-referral", args=[iss_case["id"]]),
        {"version": iss_case["version"]},
    ).json()
    post_json(
        iss,
        reverse("v1:iss-case-contact-attempts", args=[iss_case["id"]]),
        {
            "version": iss_case["version"],
            "attempted_at": timezone.now().isoformat(),
            "method": "phone",
            "outcome": "support_accepted",
            "destination": "07700 900001",
        },
    )
    started = post_json(worker, start_url, {"version": case["version"]})

    assert refused.json()["rule"] == "iss-before-start"
    assert started.status_code == 200
    assert started.json()["stage"] == "in_intervention"
    assert started.json()["survivors"] == [
        {
            "position": 1,
            "relationship": "Current partner",
            "contact_complete": True,
            "outcome": "Spoke: support accepted",
        }
    ]


# The OpenAPI schema


def test_it_documents_every_case_route_in_a_valid_schema(staffed_service: ServiceStaff) -> None:
    response = as_user(staffed_service.perpetrator_worker).get(
        reverse("api-schema"), {"format": "json"}
    )

    document = response.json()
    validate_schema(document)
    paths = document["paths"]
    assert {
        "/api/v1/cases/",
        "/api/v1/cases/{reference}/",
        *(f"/api/v1/cases/{{reference}}/{action}/" for action in ACTIONS),
    } <= set(paths)
    create = paths["/api/v1/cases/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReferralInput"
    }
    assert {"201", "400", "403"} <= set(create["responses"])
    assert {"200", "400", "403", "404", "409"} <= set(
        paths["/api/v1/cases/{reference}/start/"]["post"]["responses"]
    )
    survivor_status = document["components"]["schemas"]["SurvivorContactStatus"]
    assert set(survivor_status["properties"]) == {
        "position",
        "relationship",
        "contact_complete",
        "outcome",
    }
