"""The rules of the 2008 audit, the Welsh checklist, the West Midlands self-evaluation and
self-assessment (`checklists/gates.py`), with their boundaries."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth.models import User

from tandem.assurance import workflow
from tandem.assurance.checklists import deadlines as checklist_deadlines
from tandem.assurance.checklists import gates as checklist_gates
from tandem.assurance.checklists.gates import ScheduleItemDetails, Trend
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.models import (
    Process,
    RagRating,
    ScheduleItemKind,
    SelfRating,
    SpecialistAccreditation,
    State,
)
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Organisation, Service
from tandem.standards.models import Framework, Level

RED, AMBER, GREEN = RagRating.RED, RagRating.AMBER, RagRating.GREEN
TODAY = date(2025, 3, 10)


@pytest.mark.parametrize(
    ("ratings", "worst"),
    [
        ([GREEN, GREEN], GREEN),
        ([GREEN, AMBER, GREEN], AMBER),
        ([AMBER, RED, GREEN], RED),
        ([RED], RED),
        ([GREEN, ""], None),  # one unrated: no status yet
        ([], None),
    ],
)
def test_it_gives_a_standard_its_worst_questions_status(
    ratings: list[str], worst: RagRating | None
) -> None:
    """WG Appendix 1 (rule welsh-checklist): Red over Amber over Green."""
    assert checklist_gates.worst_rag(ratings) == worst


@pytest.mark.parametrize(
    ("ratings", "outcome"),
    [
        ([GREEN, GREEN], State.MEETS_STANDARDS),
        ([GREEN, AMBER], State.PARTLY_MEETS),
        ([RED, AMBER, GREEN], State.DOES_NOT_MEET),
        ([GREEN, ""], None),
    ],
)
def test_it_decides_the_checklists_outcome_from_its_worst_item(
    ratings: list[str], outcome: State | None
) -> None:
    assert checklist_gates.welsh_outcome(ratings) == outcome


def test_it_accepts_a_review_date_on_the_last_day_of_the_window_and_refuses_the_next() -> None:
    """WG Appendix 1: Amber items are reviewed within the agreed timeframe (rule
    welsh-checklist). 4 weeks from 10 March 2025 is 7 April 2025, that day included."""
    assert checklist_deadlines.review_window_end(today=TODAY, weeks=4) == date(2025, 4, 7)
    assert (
        checklist_gates.review_date_refusal(review_on=date(2025, 4, 7), today=TODAY, weeks=4)
        is None
    )
    assert (
        checklist_gates.review_date_refusal(review_on=date(2025, 3, 11), today=TODAY, weeks=4)
        is None
    )
    assert checklist_gates.review_date_refusal(
        review_on=date(2025, 4, 8), today=TODAY, weeks=4
    ) == (
        "The review date must be within the agreed timeframe of 4 weeks: on or before 7 April 2025"
    )
    assert checklist_gates.review_date_refusal(review_on=TODAY, today=TODAY, weeks=4) == (
        "The review date must be after today"
    )


@pytest.mark.parametrize(("weeks", "refused"), [(0, True), (1, False), (52, False), (53, True)])
def test_it_bounds_the_agreed_timeframe(weeks: int, refused: bool) -> None:
    assert (checklist_gates.review_weeks_refusal(weeks) is not None) is refused


@pytest.mark.parametrize(
    ("previous", "current", "trend"),
    [
        (None, State.PARTLY_MEETS, Trend.FIRST),
        (State.DOES_NOT_MEET, State.PARTLY_MEETS, Trend.IMPROVED),
        (State.PARTLY_MEETS, State.MEETS_STANDARDS, Trend.IMPROVED),
        (State.MEETS_STANDARDS, State.MEETS_STANDARDS, Trend.SAME),
        (State.MEETS_STANDARDS, State.DOES_NOT_MEET, Trend.WORSE),
    ],
)
def test_it_compares_a_review_with_the_previous_one(
    previous: State | None, current: State, trend: Trend
) -> None:
    assert checklist_gates.review_trend(previous=previous, current=current) == trend


def test_it_rates_only_the_commissioning_section_for_a_specially_accredited_service(
    library: None,
) -> None:
    """WG section 4 and rules.md section 6: specialist accreditation (Respect, CSAAP) goes
    straight to the commissioning section. The opening question itself is not rated."""
    framework = Framework.objects.get(slug="wales-perpetrator", is_current=True)
    every = checklist_gates.welsh_checklist_questions(
        framework=framework, accreditation=SpecialistAccreditation.NONE
    )
    for accreditation in (SpecialistAccreditation.RESPECT, SpecialistAccreditation.CSAAP):
        commissioning = checklist_gates.welsh_checklist_questions(
            framework=framework, accreditation=accreditation
        )
        assert [q.code for q in commissioning] == [f"C.Q{n}" for n in range(2, 15)]
    assert len(every) == 64
    assert all(q.level == Level.QUESTION for q in every)
    assert checklist_gates.WELSH_ACCREDITATION_QUESTION not in {q.code for q in every}


def test_it_needs_evidence_of_a_claimed_accreditation_unless_tandem_records_it() -> None:
    respect, csaap = SpecialistAccreditation.RESPECT, SpecialistAccreditation.CSAAP
    refusal = checklist_gates.specialist_accreditation_refusal
    assert refusal(accreditation=csaap, evidence="", respect_confirmed=True) is not None
    assert refusal(accreditation=csaap, evidence="Certificate", respect_confirmed=False) is None
    assert refusal(accreditation=respect, evidence="", respect_confirmed=True) is None
    assert refusal(accreditation=respect, evidence=" ", respect_confirmed=False) is not None
    none = SpecialistAccreditation.NONE
    assert refusal(accreditation=none, evidence="", respect_confirmed=False) is None


def _schedule(*kinds: ScheduleItemKind) -> list[ScheduleItemDetails]:
    return [ScheduleItemDetails(kind, time(10, 0), "Synthetic item") for kind in kinds]


def test_it_needs_a_visit_day_after_today_and_each_kind_of_schedule_item() -> None:
    """R08 audit process: one day, a pre-agreed schedule of case file reviews, staff
    interviews and group recordings (rule safeguarding-audit-2008)."""
    every = _schedule(*checklist_gates.SCHEDULE_KINDS_NEEDED)
    tomorrow = TODAY + timedelta(days=1)
    assert checklist_gates.schedule_refusal(visit_on=tomorrow, items=every, today=TODAY) is None
    assert checklist_gates.schedule_refusal(visit_on=TODAY, items=every, today=TODAY) == (
        "The site visit must be on a day after today",
        "visit_on",
    )
    assert checklist_gates.schedule_refusal(visit_on=None, items=every, today=TODAY) == (
        "Enter the day of the site visit",
        "visit_on",
    )
    message, field = checklist_gates.schedule_refusal(  # type: ignore[misc]
        visit_on=tomorrow,
        items=_schedule(ScheduleItemKind.CASE_FILE_REVIEW, ScheduleItemKind.STAFF_INTERVIEW),
        today=TODAY,
    )
    assert field == "schedule"
    assert message.endswith("add group recording")


def _service(**fields: object) -> Service:
    defaults: dict[str, object] = {
        "organisation": Organisation(pk=1, name="Synthetic"),
        "name": "Synthetic DVPP",
        "iss_provision": "internal",
    }
    return Service(**(defaults | fields))


def test_it_fails_a_service_without_an_iss_automatically() -> None:
    """R08 introduction: "Organisations running a DVPP without an ISS ... will automatically
    fail"."""
    assert checklist_gates.iss_automatic_fail(service=_service()) is None
    assert checklist_gates.iss_automatic_fail(service=_service(), runs_iss=False) is not None
    reason = checklist_gates.iss_automatic_fail(service=_service(iss_provision=""))
    assert reason is not None
    assert "without an Integrated Support Service" in reason


@pytest.mark.django_db
def test_it_exempts_a_service_accredited_until_tomorrow_but_not_one_expiring_today(
    library: None, staffed_service: ServiceStaff
) -> None:
    """R08: Respect-accredited organisations are exempt; `expires_on` is the first day not
    accredited."""
    service = staffed_service.service
    by = staffed_service.service_manager
    assert checklist_gates.audit_exemption(service=service, today=TODAY) is None
    accreditation = build.respect_accredited(service, expires_on=TODAY, by=by)
    assert checklist_gates.audit_exemption(service=service, today=TODAY) is None
    accreditation.expires_on = TODAY + timedelta(days=1)
    accreditation.save()
    assert checklist_gates.audit_exemption(service=service, today=TODAY) == (
        "Test DAPP holds Respect accreditation until 10 March 2025: organisations that have "
        "met the Respect accreditation standard are exempt from the audit"
    )


@pytest.mark.django_db
def test_it_refuses_a_peer_reviewer_from_the_same_organisation(
    staffed_service: ServiceStaff,
) -> None:
    """WM implementation: peer review is by another agency (rule
    west-midlands-self-evaluation)."""
    service = staffed_service.service
    same_organisation = staffed_service.other_service_worker  # works in a sibling service
    assert "works for Synthetic Test Services" in (
        checklist_gates.peer_reviewer_refusal(service=service, reviewer=same_organisation) or ""
    )
    nowhere = User.objects.create_user(username="nowhere")
    assert "works in no agency" in (
        checklist_gates.peer_reviewer_refusal(service=service, reviewer=nowhere) or ""
    )
    assert (
        checklist_gates.peer_reviewer_refusal(service=service, reviewer=build.peer_reviewer())
        is None
    )


@pytest.mark.parametrize(
    ("ratings", "percent", "to_go"),
    [
        ([SelfRating.MET] * 3, 100, 0),
        ([SelfRating.MET, SelfRating.PARTLY, SelfRating.NOT_MET], 33, 2),
        ([SelfRating.MET] * 2 + [""], 66, 1),  # 66.7% rounds down
        ([], 0, 0),
    ],
)
def test_it_counts_how_far_a_service_is_from_meeting_a_framework(
    ratings: list[str], percent: int, to_go: int
) -> None:
    readiness = checklist_gates.readiness(ratings)
    assert readiness.percent_met == percent
    assert readiness.to_go == to_go
    assert readiness.applicable == len(ratings)


@pytest.mark.parametrize(
    ("slug", "scope", "count", "levels"),
    [
        ("respect-2022", [], 79, {Level.INDICATOR}),
        ("respect-2022", ["icm"], 27 + 8 + 10 + 3, {Level.INDICATOR}),
        ("respect-audit-2008", [], 60, {Level.INDICATOR}),
        ("wales-perpetrator", [], 63, {Level.ITEM}),
        ("west-midlands-dva", [], 71, {Level.ITEM}),
        ("home-office-2022", [], 7, {Level.STANDARD}),
        ("respect-ne-minimum", [], 42, {Level.STANDARD, Level.ITEM}),
    ],
)
def test_it_rates_the_finest_requirements_of_any_framework_for_readiness(
    library: None, slug: str, scope: list[str], count: int, levels: set[Level]
) -> None:
    framework = Framework.objects.get(slug=slug, is_current=True)
    requirements = checklist_gates.readiness_requirements(framework=framework, scope=scope)
    assert len(requirements) == count
    assert {r.level for r in requirements} == levels


def test_it_defines_every_process_on_the_one_state_machine() -> None:
    for process in Process:
        assert workflow.definition_of(process) is not None
    assert workflow.next_states(
        process=Process.SAFEGUARDING_AUDIT_2008, state=State.DRAFT
    ) == frozenset({State.SCHEDULED, State.EXEMPT, State.FAILED})
    assert workflow.is_read_only(process=Process.WELSH_COMMISSIONING, state=State.DOES_NOT_MEET)
    assert workflow.transition_refusal(
        process=Process.WEST_MIDLANDS_SELF_EVALUATION, state=State.DRAFT, to=State.PEER_REVIEWED
    )
