"""The site-visit plan's rules and services (rule respect-accreditation, R22 introduction): the
sample size, the stratified sample reproducible from its seed, requested files, the interview
plan and the times noted in recordings."""

import pytest

from tandem.assurance.models import (
    CaseFileCheck,
    InterviewKind,
    SampledCaseFile,
    SampleReason,
    State,
)
from tandem.assurance.respect import gates as respect_gates
from tandem.assurance.respect.gates import RiskStratum
from tandem.assurance.respect.selectors import live_cases_of, reviewable, stratum_of
from tandem.assurance.respect.services import findings as respect_findings
from tandem.assurance.respect.services import site_visit as site_visit_services
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import (
    Cast,
    live_case,
    record_of,
    with_child_protection_plan,
)
from tandem.cases.models import Stage
from tandem.lib.errors import ActionRefused, StaleRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


# Rules (pure)


@pytest.mark.parametrize(
    ("live", "size"),
    [(0, 0), (1, 1), (4, 4), (5, 5), (49, 5), (50, 5), (51, 6), (200, 20), (201, 20), (999, 20)],
)
def test_it_sizes_the_sample_from_live_cases_by_tandems_default(live: int, size: int) -> None:
    assert respect_gates.case_file_sample_size(live) == size


def _pool() -> dict[int, respect_gates.Stratum]:
    strata = [
        ("behaviour_change", "none"),
        ("behaviour_change", "imminent"),
        ("icm", "raised"),
        ("early_response", "none"),
    ]
    # Unequal strata: 30, 3, 10, 1 cases.
    counts = [30, 3, 10, 1]
    pool: dict[int, respect_gates.Stratum] = {}
    case_id = 1
    for stratum, count in zip(strata, counts, strict=True):
        for _ in range(count):
            pool[case_id] = stratum
            case_id += 1
    return pool


def test_it_draws_the_same_sample_from_the_same_seed_and_pool() -> None:
    pool = _pool()
    first = site_visit_services.draw_stratified_sample(pool=pool, size=8, seed=1234)
    again = site_visit_services.draw_stratified_sample(
        pool=dict(reversed(list(pool.items()))), size=8, seed=1234
    )
    assert first == again
    assert len(first) == len(set(first)) == 8
    assert site_visit_services.draw_stratified_sample(pool=pool, size=8, seed=4321) != first


@pytest.mark.parametrize("seed", range(20))
def test_it_represents_every_stratum_when_the_size_allows(seed: int) -> None:
    pool = _pool()
    drawn = site_visit_services.draw_stratified_sample(pool=pool, size=4, seed=seed)
    assert {pool[case_id] for case_id in drawn} == set(pool.values())


def test_it_draws_no_more_than_the_pool_and_fewer_strata_when_small() -> None:
    pool = _pool()
    assert sorted(
        site_visit_services.draw_stratified_sample(pool=pool, size=100, seed=1)
    ) == sorted(pool)
    assert len(site_visit_services.draw_stratified_sample(pool=pool, size=3, seed=1)) == 3


def test_it_refuses_an_interview_plan_naming_each_missing_kind() -> None:
    refusal = respect_gates.interview_plan_refusal([InterviewKind.SERVICE_MANAGER, "other"])
    assert refusal is not None
    assert "no perpetrator worker, iss worker or idva and trustee planned" in refusal
    assert "service manager planned" not in refusal
    complete = [kind.value for kind in respect_gates.REQUIRED_INTERVIEW_KINDS]
    assert respect_gates.interview_plan_refusal(complete) is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("00:00", 0), ("12:05", 725), ("9:59", 599), ("59:59", 3599), ("1:02:30", 3750)],
)
def test_it_reads_recording_times(text: str, seconds: int) -> None:
    assert respect_gates.parse_recording_time(text) == seconds
    assert (
        respect_gates.parse_recording_time(respect_gates.recording_time_label(seconds)) == seconds
    )


@pytest.mark.parametrize("text", ["", "12", "12:5", "60:00", "12:60", "1:60:00", "ab:cd", "-1:00"])
def test_it_refuses_malformed_recording_times(text: str) -> None:
    with pytest.raises(ValueError, match=r"mm:ss|00 to 59"):
        respect_gates.parse_recording_time(text)


def test_it_takes_the_risk_stratum_from_the_latest_concern() -> None:
    assert respect_gates.risk_stratum(latest_concern_imminent=None) == RiskStratum.NONE
    assert respect_gates.risk_stratum(latest_concern_imminent=True) == RiskStratum.IMMINENT
    assert respect_gates.risk_stratum(latest_concern_imminent=False) == RiskStratum.RAISED


# Services


def _cases(cast: Cast) -> None:
    service, by = cast.staff.service, cast.staff.perpetrator_worker
    for _ in range(20):
        live_case(service, by)
    for _ in range(3):
        live_case(service, by, intervention="icm", concern=True)
    live_case(service, by, concern=False)
    live_case(service, by, stage=Stage.CLOSED)  # not live
    live_case(service, by, stage=Stage.REFERRED)  # not live


def test_it_draws_a_stratified_sample_once_and_records_its_seed(cast: Cast) -> None:
    _cases(cast)
    no_consent = live_case(cast.staff.service, cast.staff.perpetrator_worker, consent=False)
    assessment = builders.at_site_visit(cast)
    plan = site_visit_services.case_file_sample_draw(
        assessment=assessment, actor=cast.assessor, seed=77
    )
    assert (plan.sample_seed, plan.live_cases, plan.sample_size) == (77, 25, 5)
    files = list(plan.case_files.order_by("position"))
    assert len(files) == 5
    assert no_consent.pk not in {file.case_id for file in files}
    assert {(f.intervention_type, f.risk_stratum) for f in files} >= {
        ("behaviour_change", "none"),
        ("icm", "imminent"),
        ("behaviour_change", "raised"),
    }
    with pytest.raises(ActionRefused, match="already been drawn"):
        site_visit_services.case_file_sample_draw(assessment=assessment, actor=cast.assessor)


def test_it_reproduces_the_sample_from_the_recorded_seed(cast: Cast) -> None:
    _cases(cast)
    assessment = builders.at_site_visit(cast)
    plan = site_visit_services.case_file_sample_draw(assessment=assessment, actor=cast.assessor)
    assert plan.sample_seed is not None
    drawn = [file.case_id for file in plan.case_files.order_by("position")]
    live = reviewable(live_cases_of(service=cast.staff.service))
    pool = {case.pk: stratum_of(case) for case in live}
    assert (
        site_visit_services.draw_stratified_sample(
            pool=pool, size=plan.sample_size or 0, seed=plan.sample_seed
        )
        == drawn
    )


def test_it_refuses_a_draw_with_nothing_to_sample(cast: Cast) -> None:
    live_case(cast.staff.service, cast.staff.perpetrator_worker, consent=False)
    assessment = builders.at_site_visit(cast)
    with pytest.raises(ActionRefused, match="no live case whose consent") as refused:
        site_visit_services.case_file_sample_draw(assessment=assessment, actor=cast.assessor)
    assert refused.value.rule_id == "respect-accreditation"


def test_it_adds_a_requested_file_with_a_child_protection_plan(cast: Cast) -> None:
    _cases(cast)
    wanted = with_child_protection_plan(
        live_case(cast.staff.service, cast.staff.perpetrator_worker)
    )
    assessment = builders.at_site_visit(cast)
    site_visit_services.case_file_sample_draw(assessment=assessment, actor=cast.assessor, seed=1)
    if SampledCaseFile.objects.filter(case=wanted).exists():  # drawn by chance: draw elsewhere
        SampledCaseFile.objects.filter(case=wanted).delete()
    added = site_visit_services.case_file_request(
        assessment=assessment, actor=cast.assessor, case=wanted, reason="Child Protection Plan"
    )
    assert added.reason == SampleReason.REQUESTED
    assert added.plan.case_files.count() == 6
    with pytest.raises(ActionRefused, match="already in the sample"):
        site_visit_services.case_file_request(
            assessment=assessment, actor=cast.assessor, case=wanted, reason="Again"
        )


def test_it_refuses_to_request_a_file_without_consent_or_not_live(cast: Cast) -> None:
    service, by = cast.staff.service, cast.staff.perpetrator_worker
    assessment = builders.at_site_visit(cast)
    without = live_case(service, by, consent=False)
    with pytest.raises(ActionRefused, match="does not cover case-file review") as refused:
        site_visit_services.case_file_request(
            assessment=assessment, actor=cast.assessor, case=without, reason="Synthetic"
        )
    assert refused.value.rule_id == "consent"
    closed = live_case(service, by, stage=Stage.CLOSED)
    with pytest.raises(ActionRefused, match="not a live case"):
        site_visit_services.case_file_request(
            assessment=assessment, actor=cast.assessor, case=closed, reason="Synthetic"
        )


def test_it_refuses_completing_interviews_until_the_four_kinds_are_planned(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast)
    on = assessment.created_at.date()

    def plan(kind: InterviewKind) -> None:
        site_visit_services.interview_add(
            assessment=assessment,
            actor=cast.assessor,
            kind=kind,
            name="Synthetic Name",
            role=kind.label,
            planned_on=on,
        )

    plan(InterviewKind.SERVICE_MANAGER)
    plan(InterviewKind.OTHER)
    with pytest.raises(
        ActionRefused, match="no perpetrator worker, iss worker or idva and trustee"
    ):
        site_visit_services.interview_plan_complete(assessment=assessment, actor=cast.assessor)
    plan(InterviewKind.PERPETRATOR_WORKER)
    plan(InterviewKind.ISS_WORKER_OR_IDVA)
    with pytest.raises(ActionRefused, match=r"no trustee planned") as refused:
        site_visit_services.interview_plan_complete(assessment=assessment, actor=cast.assessor)
    assert refused.value.field == "interviews"
    plan(InterviewKind.TRUSTEE)
    done = site_visit_services.interview_plan_complete(assessment=assessment, actor=cast.assessor)
    assert done.interviews_completed_by == cast.assessor


def test_it_notes_observations_at_a_valid_time_only(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast)
    session = site_visit_services.recorded_session_add(
        assessment=assessment,
        actor=cast.assessor,
        description="Synthetic group session 4",
        recorded_on=assessment.created_at.date(),
    )
    record = record_of(assessment, "A1.1")
    with pytest.raises(ActionRefused, match="mm:ss") as refused:
        site_visit_services.session_observation_add(
            session=session, actor=cast.assessor, record=record, at="75", observation="Seen"
        )
    assert refused.value.field == "at"
    noted = site_visit_services.session_observation_add(
        session=session, actor=cast.assessor, record=record, at="1:02:03", observation="Seen"
    )
    assert noted.at_seconds == 3723


def test_it_saves_the_checklist_with_optimistic_locking(cast: Cast) -> None:
    case = live_case(cast.staff.service, cast.staff.perpetrator_worker)
    assessment = builders.at_site_visit(cast)
    sampled = site_visit_services.case_file_request(
        assessment=assessment, actor=cast.assessor, case=case, reason="Synthetic"
    )
    saved = site_visit_services.case_file_review_save(
        case_file=sampled,
        actor=cast.assessor,
        expected_version=1,
        checks={"consent": (True, "Signed agreement seen"), "risk": (False, "")},
    )
    assert saved.version == 2
    assert CaseFileCheck.objects.get(case_file=sampled, item="consent").notes == (
        "Signed agreement seen"
    )
    with pytest.raises(StaleRecord):
        site_visit_services.case_file_review_save(
            case_file=sampled, actor=cast.assessor, expected_version=1, checks={}
        )


def test_it_refuses_planning_by_anyone_but_a_declared_assessor(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast)
    for actor in (cast.manager, cast.verifier, cast.panel, cast.coordinator):
        with pytest.raises(ActionRefused) as refused:
            site_visit_services.case_file_sample_draw(assessment=assessment, actor=actor)
        assert refused.value.field == "actor"


def test_it_refuses_reviewing_outside_the_site_visit(cast: Cast) -> None:
    case = live_case(cast.staff.service, cast.staff.perpetrator_worker)
    assessment = builders.at_site_visit(cast)
    sampled = site_visit_services.case_file_request(
        assessment=assessment, actor=cast.assessor, case=case, reason="Synthetic"
    )
    assessment = builders.all_judged(cast, assessment)
    respect_findings.assessor_report_submit(
        assessment=assessment,
        actor=cast.assessor,
        expected_version=assessment.version,
        recommendation="accredit",  # type: ignore[arg-type]
        summary="Synthetic summary.",
    )
    assert builders.fresh(assessment).state == State.REPORT_DRAFTED
    sampled.refresh_from_db()
    with pytest.raises(ActionRefused, match="Site visit"):
        site_visit_services.case_file_review_save(
            case_file=sampled, actor=cast.assessor, expected_version=1, checks={}
        )
