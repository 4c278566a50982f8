"""The perpetrator side's running records of a case: contact notes (rule record-1wd), risk
assessments and the action plan (rules risk-points, outcome-comment) and risk concerns shared
with the ISS (rule concern-24h)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases.deadlines import close_of_day
from tandem.cases.models import (
    ActionPlanItem,
    ContactNote,
    PerpetratorCase,
    RiskAssessment,
    RiskConcern,
    RiskPoint,
    Stage,
)
from tandem.cases.services.common import refuse_future
from tandem.compliance import deadlines
from tandem.compliance.models import TaskSide
from tandem.compliance.services import due_task_create, due_tasks_complete
from tandem.lib.calendar import Jurisdiction, recorded_late
from tandem.lib.errors import ActionRefused
from tandem.standards.models import InterventionType
from tandem.support.barrier import SURVIVOR, survivor_tasks_create

# The contacts rule record-1wd covers, stored as written here so a note reads the same everywhere.
CONTACT_KINDS = (
    "Session with him",
    "Phone call or message with him",
    "Contact with a professional",
    "Multi-agency meeting",
    "Case-specific supervision",
    "Risk or need review",
)


@transaction.atomic
def contact_note_record(
    *,
    case: PerpetratorCase,
    actor: User,
    occurred_at: datetime,
    kind: str,
    note: str,
    now: datetime | None = None,
) -> ContactNote:
    """Rule record-1wd (R22-S B2.2, R22-I B2.1): contacts are recorded within 1 working day of
    happening. A note recorded later is kept all the same, flagged as recorded late."""
    now = now or timezone.now()
    refuse_future(value=occurred_at, field_name="occurred_at", now=now)
    if kind not in CONTACT_KINDS:
        raise ActionRefused("choose what kind of contact it was", field="kind")
    if not note.strip():
        raise ActionRefused("write what happened", field="note")
    contact_note = ContactNote.objects.create(
        case=case,
        occurred_at=occurred_at,
        recorded_at=now,
        recorded_by=actor,
        kind=kind,
        note=note.strip(),
        recorded_late=recorded_late(
            occurred_at=occurred_at,
            recorded_at=now,
            jurisdiction=Jurisdiction(case.service.jurisdiction),
        ),
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=contact_note,
        summary=f"contact note on {case.reference}"
        + (": recorded more than 1 working day late" if contact_note.recorded_late else ""),
        after=model_snapshot(instance=contact_note),
    )
    return contact_note


@dataclass(frozen=True)
class PlannedAction:
    action: str
    due_on: date | None = None


# The scheduled assessment after each scheduled point of a behaviour-change intervention.
_NEXT_RISK_POINT = {RiskPoint.INTAKE: RiskPoint.HALFWAY, RiskPoint.HALFWAY: RiskPoint.END}


@transaction.atomic
def risk_assessment_record(
    *,
    case: PerpetratorCase,
    actor: User,
    point: str,
    summary: str,
    actions: list[PlannedAction],
    event_description: str = "",
    next_assessment_due_on: date | None = None,
    outcome_told_to_him: bool = False,
    his_comment: str = "",
    outcome_not_told_reason: str = "",
    now: datetime | None = None,
) -> RiskAssessment:
    """Rule risk-points (R22-S/I B3.6, WG 7): risk is assessed at intake, half-way and end of a
    behaviour-change intervention and on any event that changes it. Its actions go into his
    action plan; the next scheduled assessment becomes a due task, and recording a scheduled
    assessment completes the one that was due (an event's assessment does not replace it).

    Rule outcome-comment (R08 D1.5): he is told the outcome and may comment, unless that is
    unsafe, in which case the reason is recorded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if point not in RiskPoint.values:
        raise ActionRefused("choose which assessment this is", field="point")
    point = RiskPoint(point)
    if not summary.strip():
        raise ActionRefused("write the assessment of his risk", field="summary")
    if point == RiskPoint.EVENT and not event_description.strip():
        raise ActionRefused(
            "say what happened that changes the risk",
            rule_id="risk-points",
            field="event_description",
        )
    behaviour_change = case.intervention_type == InterventionType.BEHAVIOUR_CHANGE
    if behaviour_change and point in _NEXT_RISK_POINT and next_assessment_due_on is None:
        raise ActionRefused(
            f"set when the {_NEXT_RISK_POINT[point].label.lower()} assessment is due",
            rule_id="risk-points",
            field="next_assessment_due_on",
        )
    if next_assessment_due_on is not None and next_assessment_due_on <= today:
        raise ActionRefused(
            "the next assessment must be due after today", field="next_assessment_due_on"
        )
    if not outcome_told_to_him and not outcome_not_told_reason.strip():
        raise ActionRefused(
            "record that he was told the outcome, or why telling him is unsafe",
            rule_id="outcome-comment",
            field="outcome_not_told_reason",
        )
    for number, planned in enumerate(actions, start=1):
        if not planned.action.strip():
            raise ActionRefused(f"action {number}: say what is to be done", field="actions")
        if planned.due_on is not None and planned.due_on < today:
            raise ActionRefused(
                f"action {number}: the due date cannot be in the past", field="actions"
            )
    assessment = RiskAssessment.objects.create(
        case=case,
        point=point,
        assessed_at=now,
        assessed_by=actor,
        summary=summary.strip(),
        event_description=event_description.strip(),
        outcome_told_to_him=outcome_told_to_him,
        his_comment=his_comment.strip() if outcome_told_to_him else "",
        outcome_not_told_reason="" if outcome_told_to_him else outcome_not_told_reason.strip(),
    )
    ActionPlanItem.objects.bulk_create(
        ActionPlanItem(
            risk_assessment=assessment, action=planned.action.strip(), due_on=planned.due_on
        )
        for planned in actions
    )
    if point != RiskPoint.EVENT:
        due_tasks_complete(rule_id="risk-points", perpetrator_case=case, actor=actor, now=now)
    if next_assessment_due_on is not None:
        next_point = _NEXT_RISK_POINT.get(point) if behaviour_change else None
        due_task_create(
            service=case.service,
            rule_id="risk-points",
            title=f"{next_point.label if next_point else 'Next'} risk assessment of "
            f"{case.reference}",
            side=TaskSide.PERPETRATOR,
            due_at=close_of_day(next_assessment_due_on),
            now=now,
            perpetrator_case=case,
            assigned_to=case.allocated_worker,
        )
    audit_event_record(
        actor=actor,
        action="created",
        target=assessment,
        summary=f"{point.label.lower()} risk assessment of {case.reference} with "
        f"{len(actions)} action(s)",
        after=model_snapshot(instance=assessment),
    )
    return assessment


@transaction.atomic
def risk_concern_raise(
    *,
    case: PerpetratorCase,
    actor: User,
    concern: str,
    imminent: bool,
    now: datetime | None = None,
) -> RiskConcern:
    """Rule concern-24h (R22 C1.7, R08 B3.5): a specific risk concern from the perpetrator side
    goes to each survivor's ISS worker, due within 24 hours, or at once when imminent."""
    now = now or timezone.now()
    if not concern.strip():
        raise ActionRefused("describe the risk concern", rule_id="concern-24h", field="concern")
    if case.stage == Stage.CLOSED:
        raise ActionRefused("the case is closed: share the concern with the ISS directly")
    raised = RiskConcern.objects.create(
        case=case, concern=concern.strip(), imminent=imminent, raised_by=actor, raised_at=now
    )
    due = deadlines.concern_shared_due(raised_at=now, imminent=imminent)
    survivor_tasks_create(
        case=case,
        rule_id="concern-24h",
        title=f"{'Imminent r' if imminent else 'R'}isk concern about {case.reference}: act on it "
        f"with {SURVIVOR}",
        due_at=due,
        now=now,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=case,
        summary=f"{'imminent ' if imminent else ''}risk concern raised with the ISS",
    )
    return raised
