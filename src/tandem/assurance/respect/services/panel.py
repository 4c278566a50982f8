"""Internal verification and the panel of a Respect accreditation, and what follows a decision:
a deferral's conditions met, and an accreditation expiring after its 3 years (rule
respect-accreditation). The verifier and panel members act only in their declared parts
(`rules.VERIFY`, `rules.DECIDE`), within the separation of duties.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.assurance.labels import records_named
from tandem.assurance.models import (
    Action,
    Assessment,
    AssessmentParticipant,
    DecisionOutcome,
    EvidenceDocument,
    PanelDecision,
    Part,
    Process,
    ReportVerification,
    State,
    VerificationOutcome,
)
from tandem.assurance.respect import deadlines, gates
from tandem.assurance.respect.rules import DECIDE, VERIFY
from tandem.assurance.respect.selectors import open_conditions_of
from tandem.assurance.respect.services.application import refuse_unless_preparing
from tandem.assurance.respect.services.findings import unmet_records
from tandem.assurance.rules import COORDINATE
from tandem.assurance.services import (
    action_close,
    action_create,
    lock_assessment,
    refuse_unless_acting,
    refuse_unless_state,
    transition,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused


@transaction.atomic
def assessor_report_verify(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    outcome: VerificationOutcome,
    notes: str,
    now: datetime | None = None,
) -> Assessment:
    """Internal verification, by someone other than the assessor: approved for the panel, or
    returned to the assessor for changes."""
    now = now or timezone.now()
    refuse_unless_acting(
        assessment=assessment,
        actor=actor,
        permission=VERIFY,
        parts=[Part.INTERNAL_VERIFIER],
        duty=Part.INTERNAL_VERIFIER,
        doing="verify the report",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_unless_state(assessment, [State.REPORT_DRAFTED], "verify the report")
    outcome = VerificationOutcome(outcome)
    notes = notes.strip()
    if not notes:
        raise ActionRefused("Write the verifier's notes", field="notes")
    before = model_snapshot(instance=assessment)
    verification = ReportVerification.objects.create(
        assessment=assessment, outcome=outcome, notes=notes, verified_at=now, verified_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=verification,
        after=model_snapshot(instance=verification),
    )
    to = (
        State.INTERNALLY_VERIFIED
        if outcome == VerificationOutcome.APPROVED
        else (State.REPORT_RETURNED)
    )
    return transition(assessment=assessment, to=to, actor=actor, now=now, before=before)


@transaction.atomic
def assessment_refer_to_panel(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """A lead assessor sends the verified report to the panel, once a panel member who has
    declared no conflict of interest is allocated."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=COORDINATE,
        refusal="Only a lead assessor can refer an assessment to the panel",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_unless_state(assessment, [State.INTERNALLY_VERIFIED], "refer it to the panel")
    declared_panel = AssessmentParticipant.objects.filter(
        assessment=assessment, part=Part.PANEL_MEMBER, declaration__no_conflict=True
    )
    if not declared_panel.exists():
        raise ActionRefused(
            "Allocate a panel member, who must declare no conflict of interest, first",
            field="participants",
        )
    return transition(assessment=assessment, to=State.PANEL, actor=actor, now=now)


@dataclass(frozen=True)
class ConditionDetails:
    description: str
    due_on: date


@transaction.atomic
def panel_decision_record(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    outcome: DecisionOutcome,
    reasons: str,
    conditions: list[ConditionDetails] | None = None,
    now: datetime | None = None,
) -> Assessment:
    """The panel's decision with its reasons. Accredited only when every applicable indicator is
    met and the service has survivor support, for 3 years; deferred with conditions, each with
    a due date, for the service to meet; or not accredited. The panel cannot change findings."""
    now = now or timezone.now()
    refuse_unless_acting(
        assessment=assessment,
        actor=actor,
        permission=DECIDE,
        parts=[Part.PANEL_MEMBER],
        duty=Part.PANEL_MEMBER,
        doing="record the panel's decision",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_unless_state(assessment, [State.PANEL], "record the panel's decision")
    outcome = DecisionOutcome(outcome)
    conditions = conditions or []
    reasons = reasons.strip()
    if not reasons:
        raise ActionRefused("Give the panel's reasons for its decision", field="reasons")
    today = timezone.localdate(now)
    if outcome == DecisionOutcome.ACCREDITED:
        not_met = unmet_records(assessment=assessment)
        if not_met:
            raise ActionRefused(
                f"Accreditation needs every applicable indicator met: {records_named(not_met)} "
                "not met",
                rule_id=gates.RULE_ID,
                field="outcome",
            )
        refusal = gates.survivor_support_refusal(service=assessment.service)
        if refusal:
            raise ActionRefused(refusal, rule_id=gates.RULE_ID, field="outcome")
    if outcome == DecisionOutcome.DEFERRED:
        if not conditions:
            raise ActionRefused("A deferral needs at least one condition", field="conditions")
        for number, condition in enumerate(conditions, start=1):
            if not condition.description.strip():
                raise ActionRefused(f"Describe condition {number}", field="conditions")
            if condition.due_on <= today:
                raise ActionRefused(
                    f"Condition {number} must be due after today", field="conditions"
                )
    elif conditions:
        raise ActionRefused("Only a deferral carries conditions", field="conditions")
    before = model_snapshot(instance=assessment)
    decision = PanelDecision.objects.create(
        assessment=assessment, outcome=outcome, reasons=reasons, decided_at=now, decided_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=decision,
        after=model_snapshot(instance=decision),
    )
    for condition in conditions:
        # The service meets its conditions: the manager who applied owns them.
        action_create(
            assessment=assessment,
            panel_decision=decision,
            description=condition.description,
            owner=assessment.created_by,
            due_on=condition.due_on,
            actor=actor,
            now=now,
        )
    assessment.decided_at = now
    if outcome == DecisionOutcome.ACCREDITED:
        assessment.expires_on = deadlines.accreditation_expires_on(today)
    assessment = transition(
        assessment=assessment,
        to=State(outcome.value),
        actor=actor,
        now=now,
        note=reasons,
        before=before,
    )
    previous = assessment.previous
    if outcome == DecisionOutcome.ACCREDITED and previous and previous.state == State.ACCREDITED:
        transition(
            assessment=lock_assessment(assessment=previous, expected_version=None),
            to=State.REACCREDITED,
            actor=actor,
            now=now,
            note=f"superseded by assessment {assessment.pk}",
        )
    return assessment


@transaction.atomic
def deferral_condition_meet(
    *,
    condition: Action,
    actor: User,
    expected_version: int,
    evidence: str,
    document: EvidenceDocument | None = None,
    now: datetime | None = None,
) -> Action:
    """The service shows it has met a condition of a deferral. When the last one is met, the
    assessment returns to the panel."""
    now = now or timezone.now()
    assessment = lock_assessment(assessment=condition.assessment, expected_version=None)
    refuse_unless_preparing(assessment=assessment, actor=actor)
    if condition.panel_decision_id is None:
        raise ActionRefused("This action is not a condition of a deferral", field="condition")
    refuse_unless_state(assessment, [State.DEFERRED], "meet a condition of a deferral")
    closed = action_close(
        action=condition,
        actor=actor,
        expected_version=expected_version,
        evidence=evidence,
        document=document,
        now=now,
    )
    if not open_conditions_of(assessment=assessment).exists():
        transition(
            assessment=assessment,
            to=State.PANEL,
            actor=actor,
            now=now,
            note="every condition of the deferral met",
        )
    return closed


@transaction.atomic
def accreditations_expire(*, today: date, now: datetime | None = None) -> int:
    """Accreditations whose 3 years are up on `today` become expired; returns how many. Run daily
    (the public register already leaves out an expired one by its date)."""
    now = now or timezone.now()
    due = Assessment.objects.select_for_update().filter(
        process=Process.RESPECT_ACCREDITATION, state=State.ACCREDITED, expires_on__lte=today
    )
    count = 0
    for assessment in due:
        transition(
            assessment=assessment,
            to=State.EXPIRED,
            actor=None,
            now=now,
            note=f"3 years from the decision ended on {assessment.expires_on:%d %B %Y}",
        )
        count += 1
    return count
