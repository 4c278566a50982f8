"""Writes to a Respect accreditation's site-visit plan (rule respect-accreditation; the rules are
in `gates.py`). Only the assessment's declared assessors act, within the separation of duties.

The plan is prepared from the desktop assessment on and through the site visit (the sample is
drawn once, and files and interviews can be added until the visit ends); what is reviewed (a
file's checklist, observations on a recording) is recorded only during the site visit.
"""

import random
import secrets
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from tandem.assurance.models import (
    Assessment,
    CaseFileCheck,
    InterviewKind,
    RecordedSession,
    RequirementRecord,
    SampledCaseFile,
    SampleReason,
    SessionObservation,
    SiteVisitInterview,
    SiteVisitPlan,
    State,
)
from tandem.assurance.respect import gates
from tandem.assurance.respect.gates import RULE_ID, Stratum
from tandem.assurance.respect.selectors import live_cases_of, reviewable, stratum_of
from tandem.assurance.respect.services.findings import refuse_unless_assessing
from tandem.assurance.services import lock_assessment, refuse_unless_state
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases.models import PerpetratorCase
from tandem.lib.errors import ActionRefused, StaleRecord

PLANNING_STATES = (State.DESKTOP_ASSESSMENT, State.SITE_VISIT)
REVIEWING_STATES = (State.SITE_VISIT,)
SEED_LIMIT = 2**62


def _plan_for_change(
    *, assessment: Assessment, actor: User, doing: str, states: tuple[State, ...]
) -> SiteVisitPlan:
    refuse_unless_assessing(assessment=assessment, actor=actor, doing=doing)
    assessment = lock_assessment(assessment=assessment, expected_version=None)
    refuse_unless_state(assessment, states, doing)
    plan, _ = SiteVisitPlan.objects.select_for_update().get_or_create(assessment=assessment)
    return plan


def _next_position(plan: SiteVisitPlan) -> int:
    return (plan.case_files.aggregate(last=Max("position"))["last"] or 0) + 1


def draw_stratified_sample(*, pool: Mapping[int, Stratum], size: int, seed: int) -> list[int]:
    """Case ids drawn from `pool` (case id → stratum), reproducible: the same seed and the same
    pool always give the same ids, in the same order.

    Stratified: first one case from each stratum (strata in a random order, so that when the
    sample is smaller than the number of strata it is chance which go unrepresented), then the
    remaining places at random from all the rest, so larger strata get more in proportion."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw from a recorded seed, not a secret
    by_stratum: dict[Stratum, list[int]] = defaultdict(list)
    for case_id in sorted(pool):
        by_stratum[pool[case_id]].append(case_id)
    strata = sorted(by_stratum)
    rng.shuffle(strata)
    for stratum in strata:
        rng.shuffle(by_stratum[stratum])
    drawn = [by_stratum[stratum].pop() for stratum in strata][:size]
    rest = sorted(case_id for ids in by_stratum.values() for case_id in ids)
    rng.shuffle(rest)
    return drawn + rest[: max(0, size - len(drawn))]


@transaction.atomic
def case_file_sample_draw(
    *, assessment: Assessment, actor: User, seed: int | None = None, now: datetime | None = None
) -> SiteVisitPlan:
    """Draw the case-file sample once: its size from the number of live cases
    (`gates.case_file_sample_size`), stratified by intervention type and risk, from the live
    cases whose consent covers case-file review. The seed is recorded with the drawn files."""
    now = now or timezone.now()
    plan = _plan_for_change(
        assessment=assessment,
        actor=actor,
        doing="draw the case-file sample",
        states=PLANNING_STATES,
    )
    if plan.sample_drawn_at is not None:
        raise ActionRefused(
            "The case-file sample has already been drawn (seed "
            f"{plan.sample_seed}); request any further files by name",
            rule_id=RULE_ID,
            field="sample",
        )
    live = live_cases_of(service=plan.assessment.service)
    pool = {case.pk: stratum_of(case) for case in reviewable(live)}
    live_count = live.count()
    size = min(gates.case_file_sample_size(live_count), len(pool))
    if size == 0:
        raise ActionRefused(
            f"{plan.assessment.service.name} has no live case whose consent covers case-file "
            "review: there is nothing to sample",
            rule_id=RULE_ID,
            field="sample",
        )
    seed = secrets.randbelow(SEED_LIMIT) if seed is None else seed
    drawn = draw_stratified_sample(pool=pool, size=size, seed=seed)
    already = set(plan.case_files.values_list("case_id", flat=True))
    position = _next_position(plan)
    for case_id in drawn:
        if case_id in already:  # requested before the draw: it stays as requested
            continue
        SampledCaseFile.objects.create(
            plan=plan,
            case_id=case_id,
            reason=SampleReason.DRAWN,
            intervention_type=pool[case_id][0],
            risk_stratum=pool[case_id][1],
            position=position,
            added_at=now,
            added_by=actor,
        )
        position += 1
    before = model_snapshot(instance=plan)
    plan.sample_seed = seed
    plan.sample_size = size
    plan.live_cases = live_count
    plan.sample_drawn_at = now
    plan.sample_drawn_by = actor
    plan.save()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=plan,
        summary=f"Case-file sample of {size} drawn from {live_count} live cases (seed {seed})",
        before=before,
        after=model_snapshot(instance=plan),
    )
    return plan


@transaction.atomic
def case_file_request(
    *,
    assessment: Assessment,
    actor: User,
    case: PerpetratorCase,
    reason: str,
    now: datetime | None = None,
) -> SampledCaseFile:
    """Add a specific file to the sample (R22: "The Assessor may request specific case files"),
    e.g. one with a child under a Child Protection Plan, or of a man seen in a recorded session."""
    now = now or timezone.now()
    plan = _plan_for_change(
        assessment=assessment, actor=actor, doing="request a case file", states=PLANNING_STATES
    )
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Say why this case file is requested", field="reason")
    live = live_cases_of(service=plan.assessment.service).filter(pk=case.pk).first()
    if live is None:
        raise ActionRefused(
            f"Case {case.reference} is not a live case of {plan.assessment.service.name}",
            rule_id=RULE_ID,
            field="case",
        )
    if not reviewable(PerpetratorCase.objects.filter(pk=case.pk)).exists():
        raise ActionRefused(
            f"Case {case.reference}'s consent record does not cover case-file review by "
            "accreditation assessors (R22 B3.2)",
            rule_id="consent",
            field="case",
        )
    if plan.case_files.filter(case=case).exists():
        raise ActionRefused(f"Case {case.reference} is already in the sample", field="case")
    sampled = SampledCaseFile.objects.create(
        plan=plan,
        case=case,
        reason=SampleReason.REQUESTED,
        request_reason=reason,
        intervention_type=live.intervention_type,
        risk_stratum=stratum_of(live)[1],
        position=_next_position(plan),
        added_at=now,
        added_by=actor,
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=sampled,
        summary=f"Case file {case.reference} requested: {reason}",
        after=model_snapshot(instance=sampled),
    )
    return sampled


@transaction.atomic
def case_file_review_save(
    *,
    case_file: SampledCaseFile,
    actor: User,
    expected_version: int,
    checks: dict[str, tuple[bool, str]],
    now: datetime | None = None,
) -> SampledCaseFile:
    """Record the assessor's ticks and notes on the file's checklist (`CASE_FILE_CHECKLIST`)."""
    now = now or timezone.now()
    _plan_for_change(
        assessment=case_file.plan.assessment,
        actor=actor,
        doing="review a case file",
        states=REVIEWING_STATES,
    )
    current = SampledCaseFile.objects.select_for_update().get(pk=case_file.pk)
    if current.version != expected_version:
        raise StaleRecord("The case file's review")
    unknown = sorted(set(checks) - gates.CHECKLIST_ITEMS)
    if unknown:
        raise ActionRefused(f"No such checklist item: {', '.join(unknown)}", field="checks")
    for item, (ticked, notes) in checks.items():
        CaseFileCheck.objects.update_or_create(
            case_file=current,
            item=item,
            defaults={
                "ticked": ticked,
                "notes": notes.strip(),
                "checked_at": now,
                "checked_by": actor,
            },
        )
    current.version = F("version") + 1
    current.save(update_fields=["version"])
    current.refresh_from_db()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        summary=f"Case-file review checklist saved ({sum(t for t, _ in checks.values())} ticked)",
    )
    return current


@transaction.atomic
def interview_add(
    *,
    assessment: Assessment,
    actor: User,
    kind: InterviewKind,
    name: str,
    role: str,
    planned_on: date,
    now: datetime | None = None,
) -> SiteVisitInterview:
    now = now or timezone.now()
    plan = _plan_for_change(
        assessment=assessment, actor=actor, doing="plan an interview", states=PLANNING_STATES
    )
    if plan.interviews_completed_at is not None:
        raise ActionRefused("The interview plan is already marked complete", field="kind")
    if not name.strip():
        raise ActionRefused("Enter the name of the person to interview", field="name")
    if not role.strip():
        raise ActionRefused("Enter their role", field="role")
    interview = SiteVisitInterview.objects.create(
        plan=plan,
        kind=kind,
        name=name.strip(),
        role=role.strip(),
        planned_on=planned_on,
        added_at=now,
        added_by=actor,
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=interview,
        after=model_snapshot(instance=interview),
    )
    return interview


@transaction.atomic
def interview_plan_complete(
    *, assessment: Assessment, actor: User, now: datetime | None = None
) -> SiteVisitPlan:
    """Mark the interview plan complete; refused, naming what is missing, without an interview
    of each kind R22 requires (`gates.interview_plan_refusal`)."""
    now = now or timezone.now()
    plan = _plan_for_change(
        assessment=assessment,
        actor=actor,
        doing="complete the interview plan",
        states=PLANNING_STATES,
    )
    refusal = gates.interview_plan_refusal(plan.interviews.values_list("kind", flat=True))
    if refusal:
        raise ActionRefused(refusal, rule_id=RULE_ID, field="interviews")
    before = model_snapshot(instance=plan)
    plan.interviews_completed_at = now
    plan.interviews_completed_by = actor
    plan.save()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=plan,
        summary="Interview plan complete",
        before=before,
        after=model_snapshot(instance=plan),
    )
    return plan


@transaction.atomic
def recorded_session_add(
    *,
    assessment: Assessment,
    actor: User,
    description: str,
    recorded_on: date,
    now: datetime | None = None,
) -> RecordedSession:
    now = now or timezone.now()
    plan = _plan_for_change(
        assessment=assessment, actor=actor, doing="add a recorded session", states=PLANNING_STATES
    )
    if not description.strip():
        raise ActionRefused("Describe the recorded session", field="description")
    if recorded_on > timezone.localdate(now):
        raise ActionRefused("The recording date cannot be in the future", field="recorded_on")
    session = RecordedSession.objects.create(
        plan=plan,
        description=description.strip(),
        recorded_on=recorded_on,
        added_at=now,
        added_by=actor,
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=session,
        after=model_snapshot(instance=session),
    )
    return session


@transaction.atomic
def session_observation_add(
    *,
    session: RecordedSession,
    actor: User,
    record: RequirementRecord,
    at: str,
    observation: str,
    now: datetime | None = None,
) -> SessionObservation:
    """An observation against an indicator at a time in the recording ("mm:ss" or "hh:mm:ss")."""
    now = now or timezone.now()
    plan = _plan_for_change(
        assessment=session.plan.assessment,
        actor=actor,
        doing="note an observation",
        states=REVIEWING_STATES,
    )
    if record.assessment_id != plan.assessment_id:
        raise ActionRefused("Choose an indicator of this assessment", field="record")
    try:
        seconds = gates.parse_recording_time(at)
    except ValueError as error:
        raise ActionRefused(str(error), rule_id=RULE_ID, field="at") from error
    if not observation.strip():
        raise ActionRefused("Enter what you observed", field="observation")
    noted = SessionObservation.objects.create(
        session=session,
        record=record,
        at_seconds=seconds,
        observation=observation.strip(),
        noted_at=now,
        noted_by=actor,
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=noted,
        after=model_snapshot(instance=noted),
    )
    return noted
