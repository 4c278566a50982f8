"""Rules of rules.md sections 1-3 met at screening, assessment, consent and while he attends:
child-contact-expert, language-parity, referral-response, acceptance, iss-blocking,
outcome-comment and concern-24h."""

from datetime import date, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tandem.cases import gates
from tandem.cases.due import recurring_items_for_user
from tandem.cases.models import ClosureReason, RiskConcern, Stage
from tandem.cases.services.intake import SurvivorDetails
from tandem.cases.services.records import risk_assessment_record, risk_concern_raise
from tandem.cases.services.reviews import risk_engagement_exchange_record
from tandem.cases.tests.builders import (
    FRIDAY,
    LONDON,
    assessed,
    consented,
    iss_case_of,
    received,
    screened,
)
from tandem.compliance import deadlines
from tandem.compliance.models import OVERDUE, DueTask
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.support.models import Relationship
from tandem.support.services.contact import iss_contact_unsafe_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("expert_assessment", "criminal_court_order", "accepted"),
    [(False, False, False), (True, False, True), (False, True, True)],
)
def test_it_refuses_a_man_pursuing_child_contact_without_an_expert_assessment(
    staffed_service: ServiceStaff,
    expert_assessment: bool,
    criminal_court_order: bool,
    accepted: bool,
) -> None:
    """Rule child-contact-expert (R08 B8.1): unless a criminal court order requires him to attend."""
    case = screened(
        staffed_service,
        pursuing_child_contact=True,
        child_contact_expert_assessment=expert_assessment,
        attendance_required_by_criminal_court=criminal_court_order,
    )

    assert (case.stage == Stage.SCREENED) is accepted
    if not accepted:
        assert case.closure_reason == ClosureReason.NOT_ACCEPTED
        assert "rule child-contact-expert" in case.closure_detail


def test_it_refuses_a_man_whose_partner_cannot_be_offered_an_adequate_service(
    staffed_service: ServiceStaff,
) -> None:
    """Rule language-parity (R08 C1.5)."""
    case = screened(staffed_service, partner_language_needs_unmet=True)

    assert case.stage == Stage.CLOSED
    assert "rule language-parity" in case.closure_detail


def test_it_makes_telling_the_referrer_why_due_in_the_services_timeframe(
    staffed_service: ServiceStaff,
) -> None:
    """Rule referral-response (WG 1.ii, 2.iii-iv): refused at screening on a Friday, the referrer
    is told, with alternatives, within 5 working days (the service's setting): the next Friday."""
    case = screened(staffed_service, criminal_justice="pre_sentence")

    task = DueTask.objects.get(rule_id="referral-response", perpetrator_case=case)
    assert task.due_at == datetime(2026, 11, 27, 10, 14, tzinfo=LONDON)
    assert "with alternatives" in task.title


def test_it_makes_the_referral_response_due_when_not_accepted_at_assessment(
    staffed_service: ServiceStaff,
) -> None:
    """Rule referral-response: a service with a 2-working-day timeframe, decided on a Friday."""
    staffed_service.service.referral_response_working_days = 2
    staffed_service.service.save()

    case = assessed(staffed_service, accepted=False, intervention_type="")

    task = DueTask.objects.get(rule_id="referral-response", perpetrator_case=case)
    assert task.due_at == datetime(2026, 11, 24, 10, 14, tzinfo=LONDON)


def test_it_records_the_grounds_for_acceptance_and_shows_those_not_met(
    staffed_service: ServiceStaff,
) -> None:
    """Rule acceptance (NE 4.6): the four grounds are recorded with the decision."""
    case = assessed(
        staffed_service,
        acknowledges_some_abuse=True,
        sees_abuse_as_a_problem=True,
        accepts_some_responsibility=True,
    )

    assert gates.acceptance_not_met(case=case) == [
        "agrees the conditions, including partners' contact details"
    ]
    page = _client(staffed_service).get(reverse("cases:case_detail", args=[case.reference])).text
    assert "Not recorded as met: agrees the conditions" in page


def test_it_records_his_undertaking_not_to_block_iss_contact(staffed_service: ServiceStaff) -> None:
    """Rule iss-blocking (R22 C1.6): recorded with the signed agreement and shown on the case."""
    case = consented(staffed_service, assessed(staffed_service), agrees_not_to_block_iss=True)

    assert case.consent_agrees_not_to_block_iss is True
    page = _client(staffed_service).get(reverse("cases:case_detail", args=[case.reference])).text
    assert "Not blocking ISS contact" in page


def test_it_records_that_he_was_told_the_risk_outcome_or_why_not(
    staffed_service: ServiceStaff,
) -> None:
    """Rule outcome-comment (R08 D1.5): told, with his comment, or the reason it is unsafe."""
    case = assessed(staffed_service, intervention_type="icm")
    values = {
        "case": case,
        "actor": staffed_service.perpetrator_worker,
        "point": "intake",
        "summary": "Synthetic risk",
        "actions": [],
        "now": FRIDAY,
    }

    with pytest.raises(ActionRefused) as refused:
        risk_assessment_record(**values)  # type: ignore[arg-type]
    told = risk_assessment_record(**values, outcome_told_to_him=True, his_comment="Disagrees")  # type: ignore[arg-type]
    unsafe = risk_assessment_record(**values, outcome_not_told_reason="Would raise the risk to her")  # type: ignore[arg-type]

    assert (refused.value.rule_id, refused.value.field) == (
        "outcome-comment",
        "outcome_not_told_reason",
    )
    assert (told.outcome_told_to_him, told.his_comment) == (True, "Disagrees")
    assert (unsafe.outcome_told_to_him, unsafe.outcome_not_told_reason) == (
        False,
        "Would raise the risk to her",
    )


def test_it_puts_a_risk_concern_on_each_iss_workers_list_within_24_hours(
    staffed_service: ServiceStaff,
) -> None:
    """Rule concern-24h (R22 C1.7): 24 calendar hours, across the weekend; imminent: at once."""
    case = assessed(staffed_service)
    iss_contact_unsafe_record(
        iss_case=iss_case_of(case), actor=staffed_service.iss_worker, expected_version=1, reason="x"
    )

    risk_concern_raise(
        case=case,
        actor=staffed_service.perpetrator_worker,
        concern="Synthetic: threats made in session",
        imminent=False,
        now=FRIDAY,
    )
    risk_concern_raise(
        case=case,
        actor=staffed_service.perpetrator_worker,
        concern="Synthetic: said he is going to her house tonight",
        imminent=True,
        now=FRIDAY,
    )

    tasks = DueTask.objects.filter(rule_id="concern-24h", perpetrator_case=case).order_by("due_at")
    assert [(t.side, t.due_at) for t in tasks] == [
        ("iss", FRIDAY),
        ("iss", datetime(2026, 11, 21, 10, 14, tzinfo=LONDON)),
    ]
    assert RiskConcern.objects.filter(case=case).count() == 2


def test_it_refuses_an_empty_risk_concern_and_saves_nothing(staffed_service: ServiceStaff) -> None:
    case = assessed(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        risk_concern_raise(
            case=case, actor=staffed_service.perpetrator_worker, concern=" ", imminent=False
        )

    assert (refused.value.rule_id, refused.value.field) == ("concern-24h", "concern")
    assert not RiskConcern.objects.exists()
    assert not DueTask.objects.filter(rule_id="concern-24h").exists()


@pytest.mark.parametrize("who", ["iss_worker", "other_service_worker"])
def test_it_refuses_the_concern_page_to_those_who_cannot_change_the_case(
    staffed_service: ServiceStaff, who: str
) -> None:
    case = assessed(staffed_service)
    client = _client(staffed_service, getattr(staffed_service, who))

    response = client.get(reverse("cases:case_risk_concern_new", args=[case.reference]))

    assert response.status_code == (403 if who == "iss_worker" else 404)


def test_it_shares_a_concern_through_the_page(staffed_service: ServiceStaff) -> None:
    case = assessed(staffed_service)
    client = _client(staffed_service)

    empty = client.post(reverse("cases:case_risk_concern_new", args=[case.reference]), {})
    done = client.post(
        reverse("cases:case_risk_concern_new", args=[case.reference]),
        {"concern": "Synthetic: threats made in session"},
    )

    assert empty.status_code == 200
    assert "There is a problem" in empty.text
    assert done.status_code == 302
    page = client.get(reverse("cases:case_detail", args=[case.reference])).text
    assert "Synthetic: threats made in session" in page


def _client(staff: ServiceStaff, user: User | None = None) -> Client:
    client = Client()
    client.force_login(user or staff.perpetrator_worker)
    return client


def test_it_offers_the_iss_to_current_ex_and_new_partners_and_family(
    staffed_service: ServiceStaff,
) -> None:
    """Rule iss-offer-all (R22 C1.2, C1.3): every survivor named, whatever her relationship to
    him, gets an ISS case with its referral due within 24 hours."""
    case = received(
        staffed_service,
        survivors=[
            SurvivorDetails("Ann", "Example", relationship, phone=f"07700 90010{number}")
            for number, relationship in enumerate(Relationship, start=1)
        ],
    )

    handovers = DueTask.objects.filter(rule_id="iss-handover", perpetrator_case=case)
    assert handovers.count() == len(Relationship) == 4
    assert {link.relationship for link in case.survivor_links.all()} == set(Relationship.values)


def test_it_records_barriers_and_the_delivery_plan_for_them(staffed_service: ServiceStaff) -> None:
    """Rule diversity-barriers (R22-S/I B3.5): barriers against the protected characteristics and
    a delivery plan are recorded at screening and shown on the case."""
    case = screened(
        staffed_service,
        protected_characteristics_barriers="Synthetic: hearing impairment",
        barriers_delivery_plan="Synthetic: BSL interpreter at every session",
    )

    page = _client(staffed_service).get(reverse("cases:case_detail", args=[case.reference])).text
    assert "Synthetic: hearing impairment" in page
    assert "Synthetic: BSL interpreter at every session" in page


def test_it_records_the_weekly_exchange_between_the_two_sides(
    staffed_service: ServiceStaff,
) -> None:
    """Rule weekly-exchange (R08 B3.5): one person from each side; the next is due 7 days on."""
    exchange = risk_engagement_exchange_record(
        service=staffed_service.service,
        actor=staffed_service.service_manager,
        held_on=date(2026, 11, 20),
        perpetrator_side_person=staffed_service.perpetrator_worker,
        iss_side_person=staffed_service.iss_worker,
        summary="Synthetic: P000001 missed a session; no change in risk",
        now=FRIDAY,
    )

    assert exchange.pk is not None
    assert deadlines.weekly_exchange_due(
        last_held_on=exchange.held_on, today=date(2026, 11, 27)
    ) == (date(2026, 11, 27))


@pytest.mark.parametrize(
    ("perpetrator_side", "iss_side", "field"),
    [
        ("iss_worker", "iss_worker", "perpetrator_side_person"),
        ("perpetrator_worker", "perpetrator_worker", "iss_side_person"),
        ("service_manager", "service_manager", "iss_side_person"),
    ],
)
def test_it_refuses_an_exchange_not_between_the_two_sides(
    staffed_service: ServiceStaff, perpetrator_side: str, iss_side: str, field: str
) -> None:
    """Rule weekly-exchange: someone from each side, and two different people."""
    with pytest.raises(ActionRefused) as refused:
        risk_engagement_exchange_record(
            service=staffed_service.service,
            actor=staffed_service.service_manager,
            held_on=date(2026, 11, 20),
            perpetrator_side_person=getattr(staffed_service, perpetrator_side),
            iss_side_person=getattr(staffed_service, iss_side),
            summary="Synthetic",
            now=FRIDAY,
        )
    assert (refused.value.rule_id, refused.value.field) == ("weekly-exchange", field)


def test_it_shows_the_weekly_exchange_due_on_the_managers_work_list(
    staffed_service: ServiceStaff,
) -> None:
    """Rule weekly-exchange: with none recorded, due now; recorded 8 days ago, overdue."""
    manager = staffed_service.service_manager
    due_now = {item.rule_id: item for item in recurring_items_for_user(user=manager, now=FRIDAY)}[
        "weekly-exchange"
    ]
    risk_engagement_exchange_record(
        service=staffed_service.service,
        actor=manager,
        held_on=date(2026, 11, 12),
        perpetrator_side_person=staffed_service.perpetrator_worker,
        iss_side_person=staffed_service.iss_worker,
        summary="Synthetic",
        now=FRIDAY,
    )
    overdue = {item.rule_id: item for item in recurring_items_for_user(user=manager, now=FRIDAY)}[
        "weekly-exchange"
    ]

    assert due_now.due_on == date(2026, 11, 20)
    assert (overdue.due_on, overdue.urgency) == (date(2026, 11, 19), OVERDUE)


def test_it_records_the_exchange_through_its_page(staffed_service: ServiceStaff) -> None:
    client = _client(staffed_service, staffed_service.service_manager)
    url = reverse("cases:exchange_new", args=[staffed_service.service.pk])

    empty = client.post(url, {})
    done = client.post(
        url,
        {
            "held_on": "2026-11-20",
            "perpetrator_side_person": staffed_service.perpetrator_worker.pk,
            "iss_side_person": staffed_service.iss_worker.pk,
            "summary": "Synthetic: no change",
        },
    )

    assert "There is a problem" in empty.text
    assert done.status_code == 302
    reviews = client.get(reverse("cases:service_reviews", args=[staffed_service.service.pk]))
    assert "Synthetic: no change" in reviews.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("perpetrator_worker", 403), ("iss_worker", 403), ("other_service_worker", 404)],
)
def test_it_refuses_the_exchange_page_to_those_who_do_not_run_the_reviews(
    staffed_service: ServiceStaff, who: str, status: int
) -> None:
    """404 where the person does no case work in the service, 403 where they do but do not run
    its reviews."""
    response = _client(staffed_service, getattr(staffed_service, who)).get(
        reverse("cases:exchange_new", args=[staffed_service.service.pk])
    )
    assert response.status_code == status
