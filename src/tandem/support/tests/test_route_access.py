"""Who may use the ISS routes added for linking, duplicates, risk notes, DASH, MARAC and closure:
only the ISS side of her service. Everyone else is refused with the status that leaks nothing,
and nothing is saved. Her case page stays a fixed number of queries however much it holds."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import ISS_WORK_ROLES, PERPETRATOR_WORK_ROLES, Role
from tandem.cases.services.intake import SurvivorDetails
from tandem.cases.tests.builders import iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.support.models import (
    DashAssessment,
    IssCase,
    MaracReferral,
    PossibleDuplicateSurvivor,
    Relationship,
    RiskIncident,
    SharedRiskNote,
    SurvivorLink,
)
from tandem.support.services.contact import contact_attempt_record
from tandem.support.services.dash import dash_assessment_record, risk_incident_record
from tandem.support.services.risk_notes import shared_risk_note_write
from tandem.support.tests.builders import (
    HER_PHONE,
    another_case,
    answers_with_yes,
    client_for,
    iss_worker_elsewhere,
    member,
    post_json,
    referred_case,
)

pytestmark = pytest.mark.django_db

CASE_WORK_ROLES = PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES


@dataclass(frozen=True)
class Her:
    """Her ISS case, with a DASH that met a criterion; another perpetrator of the service; and
    a later referral that named her again, flagged as a possible duplicate."""

    iss_case: IssCase
    other_reference: str
    assessment: DashAssessment
    new_case: IssCase
    flag: PossibleDuplicateSurvivor


@pytest.fixture
def her(staffed_service: ServiceStaff) -> Her:
    iss_case = referred_case(staffed_service)
    assessment = dash_assessment_record(
        iss_case=iss_case,
        actor=staffed_service.iss_worker,
        expected_version=iss_case.version,
        answers=answers_with_yes(14),
        professional_judgement_high=False,
        professional_judgement_reasons="",
    )
    other = another_case(staffed_service)
    named_again = received(
        staffed_service,
        first_name="Newperson",
        survivors=[SurvivorDetails("Ali", "Example", Relationship.NEW_PARTNER, phone=HER_PHONE)],
    )
    new_case = iss_case_of(named_again)
    return Her(
        iss_case=IssCase.objects.get(pk=iss_case.pk),
        other_reference=other.reference,
        assessment=assessment,
        new_case=new_case,
        flag=PossibleDuplicateSurvivor.objects.get(survivor=new_case.survivor),
    )


def today() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


@dataclass(frozen=True)
class Route:
    method: str
    url: Callable[[Her], str]
    body: Callable[[Her], dict[str, Any]]
    api: bool = False


def page(name: str, body: Callable[[Her], dict[str, Any]], method: str = "post") -> Route:
    return Route(method, lambda h: reverse(name, args=[h.iss_case.pk]), body)


def api(name: str, body: Callable[[Her], dict[str, Any]]) -> Route:
    return Route("post", lambda h: reverse(name, args=[h.iss_case.pk]), body, api=True)


def case_of(h: Her) -> int:
    return h.iss_case.survivor.links.get().perpetrator_case_id


ROUTES: dict[str, Route] = {
    "page-link": page(
        "support:survivor_link_to_case",
        lambda h: {"link-reference": h.other_reference, "link-relationship": "ex_partner"},
    ),
    "page-duplicate": Route(
        "post",
        lambda h: reverse("support:possible_duplicate_resolve", args=[h.new_case.pk, h.flag.pk]),
        lambda h: {"duplicate-version": h.new_case.version, "duplicate-decision": "same_person"},
    ),
    "page-risk-note": page(
        "support:shared_risk_note_write",
        lambda h: {"risk_note-perpetrator_case": case_of(h), "risk_note-note": "Synthetic"},
    ),
    "page-incident": page(
        "support:risk_incident_record",
        lambda h: {
            "incident-version": h.iss_case.version,
            "incident-occurred_on": today(),
            "incident-summary": "Synthetic",
        },
    ),
    "page-marac": page(
        "support:marac_referral_record",
        lambda h: {"marac-version": h.iss_case.version, "marac-referred_on": today()},
    ),
    "page-close": page(
        "support:iss_case_close",
        lambda h: {
            "close-version": h.iss_case.version,
            "close-reason": "Synthetic",
            "close-early_closure_reason": "Synthetic",
        },
    ),
    "page-dash-form": page("support:dash_assessment_record", lambda h: {}, method="get"),
    "page-dash": page(
        "support:dash_assessment_record",
        lambda h: {
            "dash-version": h.iss_case.version,
            **{f"dash-question_{n}": "yes" for n in range(1, 25)},
        },
    ),
    "page-dash-result": Route(
        "get",
        lambda h: reverse("support:dash_result", args=[h.iss_case.pk, h.assessment.pk]),
        lambda h: {},
    ),
    "api-link": api(
        "v1:iss-case-links", lambda h: {"case": h.other_reference, "relationship": "ex_partner"}
    ),
    "api-duplicate": Route(
        "post",
        lambda h: reverse("v1:iss-case-possible-duplicate", args=[h.new_case.pk, h.flag.pk]),
        lambda h: {"version": h.new_case.version, "same_person": True},
        api=True,
    ),
    "api-risk-note": api(
        "v1:iss-case-risk-notes",
        lambda h: {
            "case": h.iss_case.survivor.links.get().perpetrator_case.reference,
            "note": "Synthetic",
        },
    ),
    "api-incident": api(
        "v1:iss-case-incidents",
        lambda h: {"version": h.iss_case.version, "occurred_on": today(), "summary": "Synthetic"},
    ),
    "api-marac": api(
        "v1:iss-case-marac-referrals",
        lambda h: {"version": h.iss_case.version, "referred_on": today()},
    ),
    "api-close": api(
        "v1:iss-case-close",
        lambda h: {
            "version": h.iss_case.version,
            "reason": "Synthetic",
            "early_closure_reason": "Synthetic",
        },
    ),
    "api-dash": api(
        "v1:iss-case-dash",
        lambda h: {
            "version": h.iss_case.version,
            "answers": {str(n): "no" for n in range(1, 25)},
        },
    ),
}


def call(client: Client, route: Route, her: Her) -> Any:
    if route.method == "get":
        return client.get(route.url(her))
    if route.api:
        return post_json(client, route.url(her), route.body(her))
    return client.post(route.url(her), route.body(her))


def nothing_changed(her: Her) -> bool:
    her_now = IssCase.objects.get(pk=her.iss_case.pk)
    new_now = IssCase.objects.get(pk=her.new_case.pk)
    her.flag.refresh_from_db()
    return (
        her_now.version == her.iss_case.version
        and new_now.version == her.new_case.version
        and her_now.closed_at is None
        and new_now.closed_at is None
        and her.flag.resolved_at is None
        and SurvivorLink.objects.filter(survivor=her.iss_case.survivor).count() == 1
        and not SharedRiskNote.objects.exists()
        and not RiskIncident.objects.exists()
        and not MaracReferral.objects.exists()
        and DashAssessment.objects.count() == 1
    )


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who", ["iss_worker", "service_manager"])
def test_it_lets_the_iss_side_of_her_service_use_each_route(
    staffed_service: ServiceStaff, her: Her, route: str, who: str
) -> None:
    response = call(client_for(getattr(staffed_service, who)), ROUTES[route], her)

    expected = {200, 201} if ROUTES[route].api or ROUTES[route].method == "get" else {302}
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
    assert [name for name, r in answers.items() if "Alice" in r.content.decode()] == []
    assert nothing_changed(her)


@pytest.mark.parametrize("role", list(Role))
def test_it_refuses_each_route_to_every_role_without_a_membership(
    user_with_role: Callable[[Role], User], her: Her, role: Role
) -> None:
    client = client_for(user_with_role(role))

    statuses = {name: call(client, route, her).status_code for name, route in ROUTES.items()}

    assert statuses == dict.fromkeys(ROUTES, 404 if role in CASE_WORK_ROLES else 403)
    assert nothing_changed(her)


# Her case page holds more and more; its queries do not grow


def test_it_shows_her_case_page_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, her: Her, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(staffed_service.iss_worker)
    iss_case = her.iss_case
    case = iss_case.survivor.links.get().perpetrator_case

    def more() -> None:
        iss_case.refresh_from_db()
        contact_attempt_record(
            iss_case=iss_case,
            actor=staffed_service.second_iss_worker,
            expected_version=iss_case.version,
            attempted_at=timezone.now() - timedelta(minutes=1),
            method="phone",
            outcome="no_answer",
            destination=HER_PHONE,
        )
        iss_case.refresh_from_db()
        risk_incident_record(
            iss_case=iss_case,
            actor=staffed_service.second_iss_worker,
            expected_version=iss_case.version,
            occurred_on=timezone.localdate(),
            summary="Synthetic incident",
        )
        iss_case.refresh_from_db()
        dash_assessment_record(
            iss_case=iss_case,
            actor=staffed_service.second_iss_worker,
            expected_version=iss_case.version,
            answers=answers_with_yes(3),
            professional_judgement_high=False,
            professional_judgement_reasons="",
        )
        shared_risk_note_write(
            iss_case=iss_case,
            perpetrator_case=case,
            actor=staffed_service.second_iss_worker,
            note="Synthetic note",
        )

    more()
    url = reverse("support:iss_case_detail", args=[iss_case.pk])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(4):
        more()

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.text.count("Synthetic note") == 5
    assert response.text.count("Synthetic incident") == 5


def test_it_shows_the_new_case_page_with_its_flag_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, her: Her, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(staffed_service.iss_worker)
    url = reverse("support:iss_case_detail", args=[her.new_case.pk])
    with django_assert_max_num_queries(40) as one_flag:
        client.get(url)
    for number in range(3):
        received(
            staffed_service,
            first_name=f"Person{number}",
            survivors=[SurvivorDetails("Ali", "Example", Relationship.EX_PARTNER, phone=HER_PHONE)],
        )
    newest = IssCase.objects.latest("pk")

    with django_assert_max_num_queries(len(one_flag.captured_queries)):
        response = client.get(reverse("support:iss_case_detail", args=[newest.pk]))
    assert response.text.count("same phone number") == 4
