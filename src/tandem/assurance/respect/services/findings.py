"""The assessor's findings on a Respect accreditation: starting the desktop assessment and the
site visit, each method's finding and each indicator's judgement, and the report to internal
verification (rule respect-accreditation: accreditation needs every applicable indicator met).
Only the assessment's declared assessors act (`rules.ASSESS`), within the separation of duties.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.assurance.gates import ASSESSING_PARTS
from tandem.assurance.labels import records_named
from tandem.assurance.models import (
    Assessment,
    AssessorReport,
    Judgement,
    MethodJudgement,
    Part,
    Recommendation,
    RequirementRecord,
    State,
)
from tandem.assurance.respect import gates
from tandem.assurance.respect.rules import ASSESS
from tandem.assurance.services import (
    lock_assessment,
    lock_record,
    refuse_read_only,
    refuse_unless_acting,
    refuse_unless_state,
    save_record,
    transition,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused
from tandem.standards.models import AssessmentMethod

# Where the assessor records findings: the desktop assessment, the site visit, and a report
# returned for changes.
JUDGING_STATES = frozenset({State.DESKTOP_ASSESSMENT, State.SITE_VISIT, State.REPORT_RETURNED})
# R22: the desktop assessment judges the written submission; the other methods are the site
# visit's (case files, interviews, recorded sessions, documents seen on site).
DESKTOP_METHODS = frozenset({AssessmentMethod.WRITTEN_SUBMISSION})


def refuse_unless_assessing(*, assessment: Assessment, actor: User, doing: str) -> None:
    """One of the assessment's assessors, declared free of conflict (`rules.ASSESS`), whom the
    separation of duties lets act as assessor."""
    refuse_unless_acting(
        assessment=assessment,
        actor=actor,
        permission=ASSESS,
        parts=ASSESSING_PARTS,
        duty=Part.ASSESSOR,
        doing=doing,
    )


@transaction.atomic
def desktop_assessment_start(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    now = now or timezone.now()
    refuse_unless_assessing(
        assessment=assessment, actor=actor, doing="start the desktop assessment"
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    return transition(assessment=assessment, to=State.DESKTOP_ASSESSMENT, actor=actor, now=now)


@transaction.atomic
def site_visit_start(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """From the desktop assessment to the site visit: case files, interviews, recorded sessions
    and documents seen on site."""
    now = now or timezone.now()
    refuse_unless_assessing(assessment=assessment, actor=actor, doing="start the site visit")
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    return transition(assessment=assessment, to=State.SITE_VISIT, actor=actor, now=now)


def findings_open(assessment: Assessment) -> bool:
    """Whether the assessor records findings now: at the desktop assessment, the site visit, and
    on a report returned for changes."""
    return assessment.state in JUDGING_STATES


def refuse_unless_judging(*, record: RequirementRecord) -> None:
    assessment = record.assessment
    refuse_read_only(assessment)
    refuse_unless_state(assessment, JUDGING_STATES, "record findings")


@transaction.atomic
def method_judgement_record(
    *,
    record: RequirementRecord,
    method: AssessmentMethod,
    result: Judgement,
    evidence_notes: str,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> MethodJudgement:
    """The finding by one of the methods the library names for the requirement, with the
    evidence seen and verified. Changing a method's finding away from met reopens a requirement
    judged met."""
    now = now or timezone.now()
    refuse_unless_assessing(assessment=record.assessment, actor=actor, doing="record findings")
    record = lock_record(record=record, expected_version=expected_version)
    refuse_unless_judging(record=record)
    method, result = AssessmentMethod(method), Judgement(result)
    ref = record.requirement.ref
    methods = record.requirement.assessment_methods
    if method not in methods:
        named = "; ".join(AssessmentMethod(value).label.lower() for value in methods) or "none"
        raise ActionRefused(
            f"{ref} is not assessed by {method.label.lower()}: its methods are {named}",
            field="method",
        )
    if record.assessment.state == State.DESKTOP_ASSESSMENT and method not in DESKTOP_METHODS:
        raise ActionRefused(
            f"{method.label} is done at the site visit: the desktop assessment judges the "
            "written submission",
            field="method",
        )
    evidence_notes = evidence_notes.strip()
    if not evidence_notes:
        raise ActionRefused(
            f"Note the evidence seen and verified by {method.label.lower()} for {ref}",
            field="evidence_notes",
        )
    before = model_snapshot(instance=record)
    judgement, created = MethodJudgement.objects.update_or_create(
        record=record,
        method=method,
        defaults={
            "result": result,
            "evidence_notes": evidence_notes,
            "judged_at": now,
            "judged_by": actor,
        },
    )
    if record.judgement == Judgement.MET and result != Judgement.MET:
        record.judgement = ""
    save_record(record=record, actor=actor, before=before)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED,
        target=judgement,
        after=model_snapshot(instance=judgement),
    )
    return judgement


def methods_not_met(record: RequirementRecord) -> list[str]:
    """Why the requirement cannot be judged met: each of its methods not yet judged, or judged
    other than met. Empty when every method is done and met."""
    found = {judgement.method: judgement.result for judgement in record.method_judgements.all()}
    reasons = []
    for value in record.requirement.assessment_methods:
        label = AssessmentMethod(value).label.lower()
        if value not in found:
            reasons.append(f"not yet judged by {label}")
        elif found[value] != Judgement.MET:
            reasons.append(f"{Judgement(found[value]).label.lower()} by {label}")
    return reasons


@transaction.atomic
def record_judge(
    *,
    record: RequirementRecord,
    judgement: Judgement,
    basis: str,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> RequirementRecord:
    """The assessor's judgement of the requirement and its basis: the recommendation to the panel.
    Met only when every method the library names for it is done and met."""
    now = now or timezone.now()
    refuse_unless_assessing(assessment=record.assessment, actor=actor, doing="record findings")
    record = lock_record(record=record, expected_version=expected_version)
    refuse_unless_judging(record=record)
    judgement = Judgement(judgement)
    basis = basis.strip()
    if not basis:
        raise ActionRefused(
            f"Give the basis of the judgement of {record.requirement.ref}: the evidence seen "
            "and verified",
            field="basis",
        )
    if judgement == Judgement.MET:
        reasons = methods_not_met(record)
        if reasons:
            raise ActionRefused(
                f"{record.requirement.ref} cannot be judged met: {'; '.join(reasons)}",
                field="judgement",
            )
    before = model_snapshot(instance=record)
    record.judgement = judgement
    record.judgement_basis = basis
    record.judged_at = now
    record.judged_by = actor
    save_record(record=record, actor=actor, before=before)
    return record


def unmet_records(*, assessment: Assessment) -> list[RequirementRecord]:
    """The applicable requirements not judged met: accreditation needs none (R22 "must pass all
    applicable requirements")."""
    return list(
        assessment.records.exclude(judgement=Judgement.MET)
        .select_related("requirement")
        .order_by("position")
    )


@transaction.atomic
def assessor_report_submit(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    recommendation: Recommendation,
    summary: str,
    now: datetime | None = None,
) -> Assessment:
    """The assessor's report goes to internal verification: every indicator judged met or not
    met with its basis, and the recommendation to the panel."""
    now = now or timezone.now()
    refuse_unless_assessing(assessment=assessment, actor=actor, doing="submit the report")
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_unless_state(assessment, [State.SITE_VISIT, State.REPORT_RETURNED], "submit the report")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    unjudged = [r for r in records if r.judgement not in (Judgement.MET, Judgement.NOT_MET)]
    if unjudged:
        raise ActionRefused(
            f"Judge {records_named(unjudged)} met or not met before submitting the report",
            field="judgement",
        )
    recommendation = Recommendation(recommendation)
    not_met = [r for r in records if r.judgement != Judgement.MET]
    if recommendation == Recommendation.ACCREDIT and not_met:
        raise ActionRefused(
            f"Accreditation needs every applicable indicator met: {records_named(not_met)} not met",
            rule_id=gates.RULE_ID,
            field="recommendation",
        )
    summary = summary.strip()
    if not summary:
        raise ActionRefused("Summarise the basis of the recommendation", field="summary")
    before = model_snapshot(instance=assessment)
    AssessorReport.objects.update_or_create(
        assessment=assessment,
        defaults={
            "recommendation": recommendation,
            "summary": summary,
            "submitted_at": now,
            "submitted_by": actor,
        },
    )
    return transition(
        assessment=assessment,
        to=State.REPORT_DRAFTED,
        actor=actor,
        now=now,
        note=f"recommends: {recommendation.label.lower()}",
        before=before,
    )
