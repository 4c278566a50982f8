"""Her safety plans (with review dates), support sessions, and signposting and referrals: kept on
her ISS case, reachable only by the ISS side of her service, never half-saved, and shown on her
case page in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import ISS_WORK_ROLES, PERPETRATOR_WORK_ROLES, Role
from tandem.audit.models import AuditEvent
from tandem.compliance.models import DueTask, TaskSide
from tandem.conftest import ServiceStaff
from tandem.lib.calendar import UK_TIME
from tandem.support.deadlines import SAFETY_PLAN_REVIEW
from tandem.support.models import IssCase, SafetyPlan, Signposting, SupportSession
from tandem.support.services.support_work import (
    safety_plan_record,
    safety_plan_review,
    signposting_record,
    support_session_record,
)
from tandem.support.tests.builders import (
    HER_PHONE,
    client_for,
    iss_worker_elsewhere,
    member,
    post_json,
    referred_case,
)

pytestmark = pytest.mark.django_db

CASE_WORK_ROLES = PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES
PLAN_TEXT = "Synthetic plan: a safe word with her sister"


def today() -> date:
    return timezone.localdate()


def iso(day: date) -> str:
    return f"{day:%Y-%m-%d}"


def an_hour_ago() -> str:
    return f"{timezone.localtime() - timedelta(hours=1):%Y-%m-%dT%H:%M}"


@dataclass(frozen=True)
class Her:
    """Her ISS case with a safety plan agreed yesterday, due for review in a fortnight."""

    iss_case: IssCase
    plan: SafetyPlan


@pytest.fixture
def her(staffed_service: ServiceStaff) -> Her:
    iss_case = referred_case(staffed_service)
    plan = safety_plan_record(
        iss_case=iss_case,
        actor=staffed_service.iss_worker,
        expected_version=iss_case.version,
        agreed_on=today() - timedelta(days=1),
        summary=PLAN_TEXT,
        review_on=today() + timedelta(days=14),
    )
    return Her(iss_case=IssCase.objects.get(pk=iss_case.pk), plan=plan)


def nothing_changed(her: Her) -> bool:
    her_now = IssCase.objects.get(pk=her.iss_case.pk)
    plan_now = SafetyPlan.objects.get(pk=her.plan.pk)
    return (
        her_now.version == her.iss_case.version
        and SafetyPlan.objects.count() == 1
        and plan_now.review_on == her.plan.review_on
        and plan_now.reviewed_at is None
        and not SupportSession.objects.exists()
        and not Signposting.objects.exists()
    )


@dataclass(frozen=True)
class Route:
    method: str
    url: Callable[[Her], str]
    body: Callable[[Her], dict[str, Any]]
    api: bool = False


def page(name: str, body: Callable[[Her], dict[str, Any]]) -> Route:
    return Route("post", lambda h: reverse(name, args=[h.iss_case.pk]), body)


def api(name: str, body: Callable[[Her], dict[str, Any]] | None = None) -> Route:
    """A GET of the list without `body`, a POST to it with one."""

    def url(h: Her) -> str:
        return reverse(name, args=[h.iss_case.pk])

    if body is None:
        return Route("get", url, lambda h: {}, api=True)
    return Route("post", url, body, api=True)


ROUTES: dict[str, Route] = {
    "page-safety-plan": page(
        "support:safety_plan_record",
        lambda h: {
            "safety_plan-version": h.iss_case.version,
            "safety_plan-agreed_on": iso(today()),
            "safety_plan-summary": "Synthetic new plan",
            "safety_plan-review_on": iso(today() + timedelta(days=7)),
        },
    ),
    "page-plan-review": page(
        "support:safety_plan_review",
        lambda h: {
            "plan_review-version": h.iss_case.version,
            "plan_review-next_review_on": iso(today() + timedelta(days=28)),
        },
    ),
    "page-session": page(
        "support:support_session_record",
        lambda h: {
            "session-version": h.iss_case.version,
            "session-held_at": an_hour_ago(),
            "session-method": "phone",
            "session-summary": "Synthetic session",
        },
    ),
    "page-referral": page(
        "support:signposting_record",
        lambda h: {
            "signposting-version": h.iss_case.version,
            "signposting-made_on": iso(today()),
            "signposting-kind": "referred",
            "signposting-to_whom": "Synthetic Housing Service",
            "signposting-reason": "Synthetic reason",
        },
    ),
    "api-safety-plans": api("v1:iss-case-safety-plans"),
    "api-safety-plan-add": api(
        "v1:iss-case-safety-plans",
        lambda h: {
            "version": h.iss_case.version,
            "agreed_on": iso(today()),
            "summary": "Synthetic new plan",
            "review_on": iso(today() + timedelta(days=7)),
        },
    ),
    "api-plan-review": api(
        "v1:iss-case-safety-plan-review",
        lambda h: {"version": h.iss_case.version, "next_review_on": iso(today() + timedelta(28))},
    ),
    "api-sessions": api("v1:iss-case-sessions"),
    "api-session-add": api(
        "v1:iss-case-sessions",
        lambda h: {
            "version": h.iss_case.version,
            "held_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "method": "video",
            "summary": "Synthetic session",
        },
    ),
    "api-referrals": api("v1:iss-case-referrals"),
    "api-referral-add": api(
        "v1:iss-case-referrals",
        lambda h: {
            "version": h.iss_case.version,
            "made_on": iso(today()),
            "kind": "signposted",
            "to_whom": "Synthetic Helpline",
            "reason": "Synthetic reason",
        },
    ),
}


def call(client: Client, route: Route, her: Her) -> Any:
    if route.method == "get":
        return client.get(route.url(her))
    if route.api:
        return post_json(client, route.url(her), route.body(her))
    return client.post(route.url(her), route.body(her))


# Who may use them


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who", ["iss_worker", "service_manager"])
def test_it_lets_the_iss_side_of_her_service_use_each_route(
    staffed_service: ServiceStaff, her: Her, route: str, who: str
) -> None:
    response = call(client_for(getattr(staffed_service, who)), ROUTES[route], her)

    expected = {200, 201} if ROUTES[route].api else {302}
    assert response.status_code in expected, response.content[:500]


# The refusals change nothing, so each test tries every route against the same records: a
# failure names each route that answered otherwise.


def test_it_sends_an_anonymous_visitor_away_from_each_route(client: Client, her: Her) -> None:
    answers = {name: call(client, route, her) for name, route in ROUTES.items()}

    assert {name: response.status_code for name, response in answers.items()} == {
        name: 401 if route.api else 302 for name, route in ROUTES.items()
    }
    assert {
        name: urlsplit(response["Location"]).path
        for name, response in answers.items()
        if not ROUTES[name].api
    } == {name: reverse("login") for name, route in ROUTES.items() if not route.api}
    assert nothing_changed(her)


def test_it_refuses_each_route_to_a_user_without_a_role(user_without_role: User, her: Her) -> None:
    client = client_for(user_without_role)

    statuses = {name: call(client, route, her).status_code for name, route in ROUTES.items()}

    assert statuses == dict.fromkeys(ROUTES, 403)
    assert nothing_changed(her)


@pytest.mark.parametrize(
    "who", ["perpetrator_worker", "iss_worker_elsewhere", "practice_manager_perpetrator_side"]
)
def test_it_answers_staff_off_her_iss_side_as_if_her_record_did_not_exist(
    staffed_service: ServiceStaff, her: Her, who: str
) -> None:
    if who == "iss_worker_elsewhere":
        user = iss_worker_elsewhere(staffed_service)
    elif who == "practice_manager_perpetrator_side":
        user = member("pm-perp", Role.PRACTICE_MANAGER, staffed_service.service, "perpetrator")
    else:
        user = getattr(staffed_service, who)
    client = client_for(user)

    answers = {name: call(client, route, her) for name, route in ROUTES.items()}

    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(ROUTES, 404)
    leaks = [
        name
        for name, r in answers.items()
        if "Alice" in r.content.decode() or "Synthetic plan" in r.content.decode()
    ]
    assert leaks == []
    assert nothing_changed(her)


@pytest.mark.parametrize("role", list(Role))
def test_it_refuses_each_route_to_every_role_without_a_membership(
    user_with_role: Callable[[Role], User], her: Her, role: Role
) -> None:
    client = client_for(user_with_role(role))

    statuses = {name: call(client, route, her).status_code for name, route in ROUTES.items()}

    assert statuses == dict.fromkeys(ROUTES, 404 if role in CASE_WORK_ROLES else 403)
    assert nothing_changed(her)


def test_it_shows_none_of_it_on_his_case_page(staffed_service: ServiceStaff, her: Her) -> None:
    case = her.iss_case.survivor.links.get().perpetrator_case
    client = client_for(staffed_service.perpetrator_worker)

    response = client.get(reverse("cases:case_detail", args=[case.reference]))

    assert response.status_code == 200
    assert "Synthetic plan" not in response.text
    assert "safety plan" not in response.text.lower()


# Bad input: refused naming the field, nothing saved


@pytest.mark.parametrize(
    ("route", "change", "field", "message"),
    [
        (
            "page-session",
            {"session-held_at": f"{timezone.localtime() + timedelta(days=1):%Y-%m-%dT%H:%M}"},
            "session-held_at",
            "the session cannot be in the future",
        ),
        (
            "page-safety-plan",
            {"safety_plan-review_on": iso(today() - timedelta(days=1))},
            "safety_plan-review_on",
            "the review date must be after the plan was agreed",
        ),
        (
            "page-safety-plan",
            {"safety_plan-summary": "   "},
            "safety_plan-summary",
            "Say what was agreed in the plan",
        ),
        (
            "page-session",
            {"session-summary": ""},
            "session-summary",
            "Say what the session covered",
        ),
        (
            "page-referral",
            {"signposting-to_whom": ""},
            "signposting-to_whom",
            "Name the organisation or service",
        ),
        (
            "page-plan-review",
            {"plan_review-next_review_on": iso(today())},
            "plan_review-next_review_on",
            "the next review date must be after today",
        ),
    ],
)
def test_it_shows_bad_input_on_her_page_next_to_the_field_and_saves_nothing(
    staffed_service: ServiceStaff,
    her: Her,
    route: str,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    body = {**ROUTES[route].body(her), **change}

    response = client_for(staffed_service.iss_worker).post(ROUTES[route].url(her), body)

    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert f'href="#id_{field}"' in response.text
    assert message in response.text
    assert nothing_changed(her)


@pytest.mark.parametrize(
    ("route", "change", "field", "message"),
    [
        (
            "api-session-add",
            {"held_at": (timezone.now() + timedelta(days=1)).isoformat()},
            "held_at",
            "the session cannot be in the future",
        ),
        (
            "api-safety-plan-add",
            {"review_on": iso(today())},
            "review_on",
            "the review date must be after the plan was agreed",
        ),
        ("api-safety-plan-add", {"summary": " "}, "summary", "say what was agreed in the plan"),
        ("api-session-add", {"summary": ""}, "summary", "say what the session covered"),
        ("api-referral-add", {"reason": ""}, "reason", "say why"),
        ("api-referral-add", {"to_whom": "x" * 201}, "to_whom", "200 characters or fewer"),
        ("api-session-add", {"method": "carrier pigeon"}, "method", "not a valid choice"),
    ],
)
def test_it_answers_bad_input_through_the_api_with_400_naming_the_field(
    staffed_service: ServiceStaff,
    her: Her,
    route: str,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    body = {**ROUTES[route].body(her), **change}

    response = post_json(client_for(staffed_service.iss_worker), ROUTES[route].url(her), body)

    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert nothing_changed(her)


def test_it_refuses_a_stale_version_through_the_api(
    staffed_service: ServiceStaff, her: Her
) -> None:
    body = {**ROUTES["api-session-add"].body(her), "version": her.iss_case.version - 1}

    response = post_json(
        client_for(staffed_service.iss_worker), ROUTES["api-session-add"].url(her), body
    )

    assert response.status_code == 409
    assert "version" in response.json()
    assert nothing_changed(her)


# The safety plan's review


def open_review_tasks(iss_case: IssCase) -> list[DueTask]:
    return list(
        DueTask.objects.filter(
            iss_case=iss_case, rule_id=SAFETY_PLAN_REVIEW, completed_at__isnull=True
        )
    )


def test_it_makes_her_plans_review_due_by_the_end_of_its_review_date(her: Her) -> None:
    [task] = open_review_tasks(her.iss_case)

    review_on = today() + timedelta(days=14)
    assert task.due_at == datetime.combine(review_on, time.max, tzinfo=UK_TIME)
    assert timezone.localtime(task.due_at).date() == review_on
    assert task.side == TaskSide.ISS
    assert task.title == "Review Alice Example's safety plan"


def test_it_closes_the_review_task_on_review_and_makes_the_next_one_due(
    staffed_service: ServiceStaff, her: Her
) -> None:
    [first] = open_review_tasks(her.iss_case)
    next_review_on = today() + timedelta(days=30)

    plan = safety_plan_review(
        iss_case=her.iss_case,
        actor=staffed_service.iss_worker,
        expected_version=her.iss_case.version,
        next_review_on=next_review_on,
    )

    first.refresh_from_db()
    assert first.completed_at is not None
    assert first.completed_by == staffed_service.iss_worker
    [second] = open_review_tasks(her.iss_case)
    assert timezone.localtime(second.due_at).date() == next_review_on
    assert plan.review_on == next_review_on
    assert plan.reviewed_at is not None
    assert plan.summary == PLAN_TEXT


def test_it_lets_a_new_plan_supersede_her_current_one_and_its_review(
    staffed_service: ServiceStaff, her: Her
) -> None:
    [first] = open_review_tasks(her.iss_case)

    new = safety_plan_record(
        iss_case=her.iss_case,
        actor=staffed_service.iss_worker,
        expected_version=her.iss_case.version,
        agreed_on=today(),
        summary="Synthetic new plan",
        review_on=today() + timedelta(days=7),
    )

    her.plan.refresh_from_db()
    assert her.plan.superseded_at is not None
    assert her.plan.summary == PLAN_TEXT
    first.refresh_from_db()
    assert first.completed_at is not None
    [second] = open_review_tasks(her.iss_case)
    assert timezone.localtime(second.due_at).date() == new.review_on


def test_it_refuses_a_review_when_she_has_no_plan(staffed_service: ServiceStaff) -> None:
    iss_case = referred_case(staffed_service)

    response = post_json(
        client_for(staffed_service.iss_worker),
        reverse("v1:iss-case-safety-plan-review", args=[iss_case.pk]),
        {"version": iss_case.version, "next_review_on": iso(today() + timedelta(days=7))},
    )

    assert response.status_code == 400
    assert "no safety plan" in response.json()["next_review_on"][0]
    assert not open_review_tasks(iss_case)


# What is shown and recorded


def test_it_shows_her_plan_sessions_and_referrals_on_her_case_page(
    staffed_service: ServiceStaff, her: Her
) -> None:
    client = client_for(staffed_service.iss_worker)
    for name in ("page-session", "page-referral"):
        her.iss_case.refresh_from_db()
        assert call(client, ROUTES[name], her).status_code == 302

    response = client.get(reverse("support:iss_case_detail", args=[her.iss_case.pk]))

    assert PLAN_TEXT in response.text
    assert f"{today() + timedelta(days=14):%-d %b %Y}" in response.text
    assert "Synthetic session" in response.text
    assert "Referred to Synthetic Housing Service" in response.text


def test_it_keeps_what_she_said_and_her_contact_details_out_of_the_audit_trail(
    staffed_service: ServiceStaff, her: Her
) -> None:
    client = client_for(staffed_service.iss_worker)
    before = AuditEvent.objects.latest("pk").pk
    for name in ("api-safety-plan-add", "api-session-add", "api-referral-add", "api-plan-review"):
        her.iss_case.refresh_from_db()
        assert call(client, ROUTES[name], her).status_code in {200, 201}

    trail = " ".join(
        f"{event.object_repr} {event.summary} {event.before} {event.after}"
        for event in AuditEvent.objects.filter(pk__gt=before)
    )
    assert "safety plan recorded" in trail
    assert "safety plan reviewed" in trail
    assert "support session recorded" in trail
    for private in (
        "Synthetic new plan",
        "Synthetic session",
        "Synthetic Helpline",
        HER_PHONE,
        "Alice",
    ):
        assert private not in trail


def test_it_lists_them_through_the_api_newest_first(
    staffed_service: ServiceStaff, her: Her
) -> None:
    for hours in (3, 1):
        her.iss_case.refresh_from_db()
        support_session_record(
            iss_case=her.iss_case,
            actor=staffed_service.iss_worker,
            expected_version=her.iss_case.version,
            held_at=timezone.now() - timedelta(hours=hours),
            method="in_person",
            summary=f"Synthetic session {hours}",
        )
    client = client_for(staffed_service.iss_worker)

    sessions = client.get(reverse("v1:iss-case-sessions", args=[her.iss_case.pk])).json()
    plans = client.get(reverse("v1:iss-case-safety-plans", args=[her.iss_case.pk])).json()

    assert [s["summary"] for s in sessions] == ["Synthetic session 1", "Synthetic session 3"]
    assert [(p["summary"], p["current"]) for p in plans] == [(PLAN_TEXT, True)]


# Her case page holds more and more; its queries do not grow


def add_support_work(staff: ServiceStaff, iss_case: IssCase, count: int) -> None:
    for number in range(count):
        iss_case.refresh_from_db()
        support_session_record(
            iss_case=iss_case,
            actor=staff.second_iss_worker,
            expected_version=iss_case.version,
            held_at=timezone.now() - timedelta(hours=number + 1),
            method="phone",
            summary="Synthetic session",
        )
        iss_case.refresh_from_db()
        signposting_record(
            iss_case=iss_case,
            actor=staff.second_iss_worker,
            expected_version=iss_case.version,
            made_on=today(),
            to_whom="Synthetic Helpline",
            kind="signposted",
            reason="Synthetic reason",
        )
        iss_case.refresh_from_db()
        safety_plan_record(
            iss_case=iss_case,
            actor=staff.second_iss_worker,
            expected_version=iss_case.version,
            agreed_on=today(),
            summary="Synthetic plan",
            review_on=today() + timedelta(days=7),
        )


def test_it_shows_her_case_page_in_a_fixed_number_of_queries_however_many_sessions(
    staffed_service: ServiceStaff, her: Her, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(staffed_service.iss_worker)
    url = reverse("support:iss_case_detail", args=[her.iss_case.pk])
    add_support_work(staffed_service, her.iss_case, 3)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    add_support_work(staffed_service, her.iss_case, 27)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.text.count("Synthetic session") == 30
    assert response.text.count("Synthetic Helpline") == 30
