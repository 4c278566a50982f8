"""Changes in his engagement (rule engagement-change, R22 C1.8, NE 5.4.3): the ISS is told within
24 hours and each survivor, through her ISS worker, within 3 working days."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases.models import EngagementChange, EngagementChangeKind, PerpetratorCase, Stage
from tandem.cases.services.common import case_lock_for_write
from tandem.compliance import deadlines
from tandem.compliance.models import TaskSide
from tandem.compliance.services import due_task_create
from tandem.lib.calendar import Jurisdiction
from tandem.lib.errors import ActionRefused
from tandem.support.barrier import SURVIVOR, survivor_tasks_create


def engagement_change_tasks_create(*, case: PerpetratorCase, change: str, now: datetime) -> None:
    """Rule engagement-change (R22 C1.8): the ISS told within 24 hours, and each survivor (by her
    ISS worker) within 3 working days."""
    due_task_create(
        service=case.service,
        rule_id="engagement-change",
        title=f"Tell the ISS: {change} for {case.reference}",
        side=TaskSide.PERPETRATOR,
        due_at=deadlines.engagement_change_iss_due(changed_at=now),
        now=now,
        perpetrator_case=case,
        assigned_to=case.allocated_worker,
    )
    survivor_due = deadlines.engagement_change_survivor_due(
        changed_at=now, jurisdiction=Jurisdiction(case.service.jurisdiction)
    )
    survivor_tasks_create(
        case=case,
        rule_id="engagement-change",
        title=f"Tell {SURVIVOR}: {change} for {case.reference}",
        due_at=survivor_due,
        now=now,
    )


def engagement_changes_allowed(*, stage: str) -> list[EngagementChangeKind]:
    """Rule engagement-change (R22 C1.8, NE 5.4.3): the changes that can be recorded at a stage.
    Only a man in the intervention or suspended from it has engagement to change; a suspended
    man's suspension is no longer being considered."""
    if stage == Stage.IN_INTERVENTION:
        return list(EngagementChangeKind)
    if stage == Stage.SUSPENDED:
        return [k for k in EngagementChangeKind if k != EngagementChangeKind.SUSPENSION_CONSIDERED]
    return []


@transaction.atomic
def engagement_change_record(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    change: str,
    detail: str,
    now: datetime | None = None,
) -> EngagementChange:
    """Rule engagement-change (R22 C1.8, NE 5.4.3): a missed session, lost contact, a suspension
    being considered or his being assessed as unsuitable. Telling the ISS becomes due within 24
    hours and each survivor, through her ISS worker, within 3 working days."""
    now = now or timezone.now()
    case = case_lock_for_write(case=case, expected_version=expected_version)
    allowed = engagement_changes_allowed(stage=case.stage)
    if not allowed:
        raise ActionRefused(
            f"cannot record an engagement change: the case is {Stage(case.stage).label.lower()}, "
            "not in intervention or suspended",
            rule_id="engagement-change",
            field="stage",
        )
    if change not in EngagementChangeKind.values:
        raise ActionRefused("choose what changed", rule_id="engagement-change", field="change")
    kind = EngagementChangeKind(change)
    if kind not in allowed:
        raise ActionRefused(
            f"he is {Stage(case.stage).label.lower()}: choose another change",
            rule_id="engagement-change",
            field="change",
        )
    if not detail.strip():
        raise ActionRefused(
            "say what happened, for the ISS and the survivors",
            rule_id="engagement-change",
            field="detail",
        )
    record = EngagementChange.objects.create(
        case=case, change=kind, detail=detail.strip(), recorded_at=now, recorded_by=actor
    )
    # The case's record of changes grew: a form opened before it is stale.
    case.version = F("version") + 1
    case.save(update_fields=["version"])
    case.refresh_from_db()
    engagement_change_tasks_create(case=case, change=kind.label.lower(), now=now)
    audit_event_record(
        actor=actor,
        action="created",
        target=record,
        summary=f"engagement change on {case.reference}: {kind.label.lower()}",
        after=model_snapshot(instance=record),
    )
    return record
