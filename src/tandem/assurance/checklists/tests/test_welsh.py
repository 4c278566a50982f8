"""The Welsh commissioning checklist through the services (rule welsh-checklist; WG section 4,
section 6, Appendix 1): the opening accreditation question, RAG ratings with evidence, the
worst-item status, the reassessment on Red, improvement actions on Amber within the agreed
timeframe, the commissioner's side-by-side view with its trend, and who is refused."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import Role
from tandem.assurance.checklists import selectors as checklist_selectors
from tandem.assurance.checklists.gates import Trend
from tandem.assurance.checklists.services import commissioning as commissioning_services
from tandem.assurance.checklists.services import ratings
from tandem.assurance.checklists.services import welsh as welsh_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.checklists.tests.builders import TODAY
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Assessment,
    CommissioningRelationship,
    Part,
    Process,
    RagRating,
    State,
)
from tandem.assurance.tests.builders import fresh
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused, StaleRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]
WELSH = Process.WELSH_COMMISSIONING
# Standard 1's questions: "What is the referral pathway?" and "Can you self-refer?"
RED_QUESTION, AMBER_QUESTION = "1.Q1", "1.Q2"


@pytest.fixture
def commissioner(staffed_service: ServiceStaff) -> User:
    return build.commissioner_of(staffed_service.service)


def refused(message: str) -> pytest.RaisesExc[ActionRefused]:
    return pytest.raises(ActionRefused, match=message)


def rate(
    assessment: Assessment,
    code: str,
    actor: User,
    rating: str,
    *,
    improvement: ratings.ActionDetails | None = None,
) -> None:
    record = build.record(assessment, code)
    welsh_services.welsh_question_rate(
        record=record,
        actor=actor,
        expected_version=record.version,
        rating=rating,
        evidence=build.EVIDENCE,
        improvement=improvement,
    )


def test_it_rates_every_question_for_a_service_without_specialist_accreditation(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.welsh_started(staffed_service.service, commissioner)
    assert assessment.records.count() == 64
    assert assessment.participants.get().part == Part.COMMISSIONER
    assert assessment.welsh_checklist.review_within_weeks == 12


@pytest.mark.parametrize("accreditation", ["respect", "csaap"])
def test_it_rates_only_the_commissioning_section_for_an_accredited_service(
    staffed_service: ServiceStaff, commissioner: User, accreditation: str
) -> None:
    """WG section 4: specialist accreditation goes straight to the commissioning section."""
    assessment = build.welsh_started(
        staffed_service.service, commissioner, accreditation=accreditation
    )
    codes = list(assessment.records.values_list("requirement__code", flat=True))
    assert codes == [f"C.Q{n}" for n in range(2, 15)]


def test_it_needs_evidence_of_csaap_accreditation_but_not_of_respect_on_record(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    service = staffed_service.service
    with refused("Give the evidence of the service's Correctional") as refusal:
        welsh_services.welsh_checklist_start(
            service=service,
            actor=commissioner,
            accreditation="csaap",
            accreditation_evidence="",
            review_within_weeks=12,
        )
    assert (refusal.value.field, refusal.value.rule_id) == (
        "accreditation_evidence",
        "welsh-checklist",
    )
    build.respect_accredited(service, expires_on=TODAY + timedelta(days=30), by=commissioner)
    assessment = welsh_services.welsh_checklist_start(
        service=service,
        actor=commissioner,
        accreditation="respect",
        accreditation_evidence="",
        review_within_weeks=12,
    )
    assert assessment.records.count() == 13
    assert checklist_selectors.welsh_checklist_summary(assessment=assessment).respect_accreditation


def test_it_refuses_an_agreed_timeframe_outside_1_to_52_weeks(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    with refused("1 to 52 weeks") as refusal:
        build.welsh_started(staffed_service.service, commissioner, weeks=53)
    assert refusal.value.field == "review_within_weeks"


@pytest.mark.parametrize(
    "who", ["service_manager", "perpetrator_worker", "iss_worker", "assessor", "other_commissioner"]
)
def test_it_lets_only_a_commissioner_of_the_service_start_its_checklist(
    staffed_service: ServiceStaff, commissioner: User, who: str
) -> None:
    actor = {
        "service_manager": staffed_service.service_manager,
        "perpetrator_worker": staffed_service.perpetrator_worker,
        "iss_worker": staffed_service.iss_worker,
        "assessor": build.person("welsh-assessor", Role.ASSESSOR),
        "other_commissioner": build.commissioner_of(build.other_agency(), "other-commissioner"),
    }[who]
    with refused("Only a commissioner of Test DAPP can start its checklist"):
        build.welsh_started(staffed_service.service, actor)


def test_it_stops_commissioning_the_day_after_it_ends(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    relationship = CommissioningRelationship.objects.get(commissioner=commissioner)
    relationship.ended_on = TODAY - timedelta(days=1)
    relationship.save()
    with refused("Only a commissioner of Test DAPP"):
        build.welsh_started(staffed_service.service, commissioner)


def test_it_refuses_a_second_checklist_while_one_is_in_progress(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    build.welsh_started(staffed_service.service, commissioner)
    with refused("already has a checklist in progress"):
        build.welsh_started(staffed_service.service, commissioner)


def test_it_turns_one_red_and_one_amber_into_a_reassessment_and_an_improvement_action(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    """WG Appendix 1: any Red → does not meet the standards, address and reassess; Amber →
    reviewed within the agreed timeframe."""
    owner = staffed_service.service_manager
    assessment = build.welsh_started(staffed_service.service, commissioner)
    assessment = build.rate_welsh(
        assessment, commissioner, red=RED_QUESTION, amber=AMBER_QUESTION, owner=owner
    )
    summary = checklist_selectors.welsh_checklist_summary(assessment=assessment)
    standard_1 = summary.standards[0]
    assert standard_1.standard.code == "1"
    assert standard_1.status == RagRating.RED
    assert summary.standards[1].status == RagRating.GREEN
    with refused("Give the date the service is to be reassessed by") as refusal:
        welsh_services.welsh_checklist_complete(
            assessment=assessment, actor=commissioner, expected_version=assessment.version
        )
    assert refusal.value.field == "reassess_by"
    reassess_by = TODAY + timedelta(days=90)
    assessment = welsh_services.welsh_checklist_complete(
        assessment=assessment,
        actor=commissioner,
        expected_version=assessment.version,
        reassess_by=reassess_by,
    )
    assert assessment.state == State.DOES_NOT_MEET
    assert assessment.get_state_display() == ("Does not meet the standards: address and reassess")
    reassessment = Action.objects.get(assessment=assessment, record__isnull=True)
    assert (reassessment.owner, reassessment.due_on) == (commissioner, reassess_by)
    assert "Red items: 1.Q1" in reassessment.description
    improvement = Action.objects.get(assessment=assessment, record__isnull=False)
    assert improvement.record.requirement.code == AMBER_QUESTION  # type: ignore[union-attr]
    assert (improvement.owner, improvement.due_on, improvement.status) == (
        owner,
        TODAY + timedelta(weeks=4),
        ActionStatus.OPEN,
    )
    summary = checklist_selectors.welsh_checklist_summary(assessment=assessment)
    assert summary.outcome == State.DOES_NOT_MEET
    assert summary.overall == RagRating.RED
    assert summary.reassessment == reassessment
    assert summary.improvement_actions == [improvement]
    assert summary.counts == {"red": 1, "amber": 1, "green": 62}
    assert summary.trend == Trend.FIRST


def test_it_finds_a_checklist_with_every_item_green_meets_the_standards(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.rate_welsh(
        build.welsh_started(staffed_service.service, commissioner), commissioner
    )
    with refused("A reassessment date is set only when an item is Red"):
        welsh_services.welsh_checklist_complete(
            assessment=assessment,
            actor=commissioner,
            expected_version=assessment.version,
            reassess_by=TODAY + timedelta(days=30),
        )
    assessment = welsh_services.welsh_checklist_complete(
        assessment=assessment, actor=commissioner, expected_version=assessment.version
    )
    assert assessment.state == State.MEETS_STANDARDS
    assert not Action.objects.filter(assessment=assessment).exists()


def test_it_finds_amber_without_red_partly_meets(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.rate_welsh(
        build.welsh_started(staffed_service.service, commissioner),
        commissioner,
        amber=AMBER_QUESTION,
    )
    assessment = welsh_services.welsh_checklist_complete(
        assessment=assessment, actor=commissioner, expected_version=assessment.version
    )
    assert assessment.state == State.PARTLY_MEETS


def test_it_refuses_a_review_date_outside_the_agreed_timeframe_naming_the_field(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.welsh_started(staffed_service.service, commissioner, weeks=6)
    last_day = TODAY + timedelta(weeks=6)

    def amber(due_on: date | None, owner: User | None = commissioner) -> None:
        rate(
            fresh(assessment),
            AMBER_QUESTION,
            commissioner,
            RagRating.AMBER,
            improvement=ratings.ActionDetails("Synthetic improvement", owner, due_on),
        )

    with refused("within the agreed timeframe of 6 weeks") as refusal:
        amber(last_day + timedelta(days=1))
    assert (refusal.value.field, refusal.value.rule_id) == ("review_on", "welsh-checklist")
    with refused("must be after today"):
        amber(TODAY)
    with refused("Enter the action's date") as refusal:
        amber(None)
    assert refusal.value.field == "review_on"
    with refused("must work in the service") as refusal:
        amber(last_day, owner=staffed_service.other_service_worker)
    assert refusal.value.field == "owner"
    assert not Action.objects.exists()
    amber(last_day)
    assert Action.objects.get().due_on == last_day


def test_it_needs_an_improvement_action_for_amber_and_drops_it_when_rerated(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.welsh_started(staffed_service.service, commissioner)
    with refused("Set the action for 1.Q2") as refusal:
        rate(assessment, AMBER_QUESTION, commissioner, RagRating.AMBER)
    assert refusal.value.field == "action"
    rate(
        assessment,
        AMBER_QUESTION,
        commissioner,
        RagRating.AMBER,
        improvement=ratings.ActionDetails("Synthetic", commissioner, TODAY + timedelta(days=7)),
    )
    rate(assessment, AMBER_QUESTION, commissioner, RagRating.AMBER)  # keeps the action set
    assert Action.objects.count() == 1
    rate(assessment, AMBER_QUESTION, commissioner, RagRating.GREEN)
    assert not Action.objects.exists()


def test_it_refuses_a_rating_without_evidence_or_rag(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.welsh_started(staffed_service.service, commissioner)
    record = build.record(assessment, RED_QUESTION)
    with refused("Give the evidence for 1.Q1") as refusal:
        welsh_services.welsh_question_rate(
            record=record,
            actor=commissioner,
            expected_version=record.version,
            rating=RagRating.GREEN,
            evidence="  ",
        )
    assert refusal.value.field == "evidence"
    with refused("Rate 1.Q1 Red, Amber or Green") as refusal:
        welsh_services.welsh_question_rate(
            record=record,
            actor=commissioner,
            expected_version=record.version,
            rating="purple",
            evidence=build.EVIDENCE,
        )
    assert refusal.value.field == "rating"


def test_it_refuses_a_rating_based_on_a_stale_read(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.welsh_started(staffed_service.service, commissioner)
    record = build.record(assessment, RED_QUESTION)
    rate(assessment, RED_QUESTION, commissioner, RagRating.GREEN)
    with pytest.raises(StaleRecord):
        welsh_services.welsh_question_rate(
            record=record,
            actor=commissioner,
            expected_version=record.version,
            rating=RagRating.RED,
            evidence=build.EVIDENCE,
        )


def test_it_refuses_to_complete_with_questions_unrated(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.welsh_started(staffed_service.service, commissioner)
    with refused("Rate 1.Q1, 1.Q2, 2.Q1, 3.Q1, 4.Q1 and 59 more with evidence") as refusal:
        welsh_services.welsh_checklist_complete(
            assessment=assessment, actor=commissioner, expected_version=assessment.version
        )
    assert refusal.value.field == "rating"


@pytest.mark.parametrize(
    "who", ["service_manager", "perpetrator_worker", "iss_worker", "other_commissioner"]
)
def test_it_lets_only_a_commissioner_of_the_service_rate_and_complete(
    staffed_service: ServiceStaff, commissioner: User, who: str
) -> None:
    actor = {
        "service_manager": staffed_service.service_manager,
        "perpetrator_worker": staffed_service.perpetrator_worker,
        "iss_worker": staffed_service.iss_worker,
        "other_commissioner": build.commissioner_of(build.other_agency(), "other-commissioner"),
    }[who]
    assessment = build.welsh_started(staffed_service.service, commissioner)
    with refused("Only a commissioner of Test DAPP can complete its checklist"):
        rate(assessment, RED_QUESTION, actor, RagRating.GREEN)
    with refused("Only a commissioner of Test DAPP can complete its checklist"):
        welsh_services.welsh_checklist_complete(
            assessment=assessment, actor=actor, expected_version=assessment.version
        )


def test_it_keeps_a_completed_checklist_read_only(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.rate_welsh(
        build.welsh_started(staffed_service.service, commissioner), commissioner
    )
    welsh_services.welsh_checklist_complete(
        assessment=assessment, actor=commissioner, expected_version=assessment.version
    )
    with refused("can no longer be changed"):
        rate(assessment, RED_QUESTION, commissioner, RagRating.RED)


def test_it_shows_a_checklist_to_commissioners_of_the_service_and_the_service_once_complete(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    assessment = build.welsh_started(staffed_service.service, commissioner)
    second_commissioner = build.commissioner_of(staffed_service.service, "second-commissioner")
    for user in (commissioner, second_commissioner):
        assert checklist_selectors.checklist_get_for_user(
            user=user, assessment_id=assessment.pk, process=WELSH
        ).commissions
    outsiders = [
        staffed_service.service_manager,  # not until it is complete
        staffed_service.perpetrator_worker,
        staffed_service.iss_worker,
        build.person("welsh-lead-assessor", Role.LEAD_ASSESSOR),
        build.commissioner_of(build.other_agency(), "other-commissioner"),
    ]
    for user in outsiders:
        with pytest.raises(Http404):
            checklist_selectors.checklist_get_for_user(
                user=user, assessment_id=assessment.pk, process=WELSH
            )
    assessment = build.rate_welsh(assessment, commissioner)
    welsh_services.welsh_checklist_complete(
        assessment=assessment, actor=commissioner, expected_version=assessment.version
    )
    access = checklist_selectors.checklist_get_for_user(
        user=staffed_service.service_manager, assessment_id=assessment.pk, process=WELSH
    )
    assert access.read_only
    assert not access.commissions


def test_it_shows_a_commissioner_their_services_side_by_side_with_status_and_trend(
    staffed_service: ServiceStaff, commissioner: User
) -> None:
    service = staffed_service.service
    elsewhere = build.other_agency()
    CommissioningRelationship.objects.create(
        commissioner=commissioner,
        service=elsewhere,
        since=date(2024, 4, 1),
        created_at=timezone.now(),
        created_by=commissioner,
    )
    build.commissioner_of(build.other_agency("Synthetic Not Commissioned (not real)"), "nobody")
    first = build.rate_welsh(build.welsh_started(service, commissioner), commissioner, red="1.Q1")
    first = welsh_services.welsh_checklist_complete(
        assessment=first,
        actor=commissioner,
        expected_version=first.version,
        reassess_by=TODAY + timedelta(days=30),
    )
    second = build.rate_welsh(build.welsh_started(service, commissioner), commissioner)
    assert second.previous == first
    second = welsh_services.welsh_checklist_complete(
        assessment=second, actor=commissioner, expected_version=second.version
    )
    build.welsh_started(service, commissioner)  # the next review, in progress
    rows = checklist_selectors.commissioned_services_overview(user=commissioner)
    assert [row.service for row in rows] == [elsewhere, service]
    assert (rows[0].latest, rows[0].status, rows[0].trend) == (None, None, None)
    row = rows[1]
    assert (row.latest, row.previous) == (second, first)
    assert (row.status, row.trend) == (RagRating.GREEN, Trend.IMPROVED)
    assert row.in_progress is not None
    assert row.open_actions == 1  # the first review's reassessment
    assert row.reassessment_due is None  # the latest review needs none
    summary = checklist_selectors.welsh_checklist_summary(assessment=second)
    assert (summary.previous, summary.trend) == (first, Trend.IMPROVED)


def test_it_lets_only_an_administrator_record_who_commissions_a_service(
    staffed_service: ServiceStaff,
) -> None:
    administrator = build.person("admin", Role.ADMINISTRATOR)
    commissioner = build.person("new-commissioner", Role.COMMISSIONER)
    service = staffed_service.service
    with refused("Only an administrator"):
        commissioning_services.commissioning_relationship_start(
            commissioner=commissioner, service=service, since=TODAY, actor=commissioner
        )
    with refused("does not hold the commissioner role"):
        commissioning_services.commissioning_relationship_start(
            commissioner=staffed_service.service_manager,
            service=service,
            since=TODAY,
            actor=administrator,
        )
    with refused("cannot be in the future"):
        commissioning_services.commissioning_relationship_start(
            commissioner=commissioner,
            service=service,
            since=TODAY + timedelta(days=1),
            actor=administrator,
        )
    relationship = commissioning_services.commissioning_relationship_start(
        commissioner=commissioner, service=service, since=TODAY, actor=administrator
    )
    with refused("already commissions"):
        commissioning_services.commissioning_relationship_start(
            commissioner=commissioner, service=service, since=TODAY, actor=administrator
        )
    with refused("cannot end before it started"):
        commissioning_services.commissioning_relationship_end(
            relationship=relationship, ended_on=TODAY - timedelta(days=1), actor=administrator
        )
    commissioning_services.commissioning_relationship_end(
        relationship=relationship, ended_on=TODAY, actor=administrator
    )
    assert checklist_selectors.commissions(user=commissioner, service=service)  # its last day
    assert not checklist_selectors.commissions(
        user=commissioner, service=service, today=TODAY + timedelta(days=1)
    )
