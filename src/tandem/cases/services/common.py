"""What the writes to a case share: refusing a date in the future, re-reading the case under a
lock against a stale form, and moving it from stage to stage (ending the tasks a closure makes
moot)."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases.models import ClosureReason, PerpetratorCase, Stage, TransitionKind
from tandem.compliance.models import DueTask, TaskSide
from tandem.lib.errors import ActionRefused, StaleRecord


def refuse_future(*, value: date | datetime, field_name: str, now: datetime) -> None:
    if isinstance(value, datetime) and value > now:
        raise ActionRefused(
            f"{field_name.replace('_', ' ')} cannot be in the future", field=field_name
        )
    if not isinstance(value, datetime) and value > timezone.localdate(now):
        raise ActionRefused(
            f"{field_name.replace('_', ' ')} cannot be in the future", field=field_name
        )


def case_lock_for_write(*, case: PerpetratorCase, expected_version: int) -> PerpetratorCase:
    """Re-read the case under a row lock and refuse if someone changed it since it was read."""
    current = PerpetratorCase.objects.select_for_update().select_related("service").get(pk=case.pk)
    if current.version != expected_version:
        raise StaleRecord(f"case {current.reference}")
    return current


# Perpetrator-side tasks that lapse when the case closes, whichever way it closes: there is no
# next risk assessment of a man who has left (rule risk-points), and after closure concerns about
# the children go to children's social care, not to a case review (rule child-retrigger). Telling
# the ISS and the survivors that he left (rule engagement-change) and every ISS-side task go on.
TASKS_ENDED_BY_CLOSURE = ("risk-points", "child-retrigger")


def tasks_ended_by_closure(*, reason: str) -> tuple[str, ...]:
    """The rules whose open tasks a closure for `reason` ends. A man who completed the
    intervention is still due his end-of-intervention risk assessment (rule risk-points), so
    that task stays open until it is recorded."""
    if reason == ClosureReason.COMPLETED:
        return tuple(rule for rule in TASKS_ENDED_BY_CLOSURE if rule != "risk-points")
    return TASKS_ENDED_BY_CLOSURE


def _end_tasks_closure_makes_moot(*, case: PerpetratorCase, actor: User, now: datetime) -> int:
    """Mark the case's open tasks that the closure ends done (a due task has no other way to
    end); how many is said in the closing transition's audit event."""
    return DueTask.objects.filter(
        perpetrator_case=case,
        side=TaskSide.PERPETRATOR,
        rule_id__in=tasks_ended_by_closure(reason=case.closure_reason),
        completed_at__isnull=True,
    ).update(completed_at=now, completed_by=actor)


def case_transition(
    *,
    case: PerpetratorCase,
    actor: User,
    kind: TransitionKind,
    to_stage: Stage,
    now: datetime,
    reason: str = "",
    before: dict[str, object],
) -> PerpetratorCase:
    from_stage = case.stage
    case.stage = to_stage
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db()
    case.transitions.create(
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor,
        occurred_at=now,
        reason=reason,
    )
    ended = (
        _end_tasks_closure_makes_moot(case=case, actor=actor, now=now)
        if to_stage == Stage.CLOSED
        else 0
    )
    audit_event_record(
        actor=actor,
        action="transitioned",
        target=case,
        summary=f"{Stage(from_stage).label} → {Stage(to_stage).label}"
        + (f": {reason}" if reason else "")
        + (f" ({ended} task(s) that closing ends marked done)" if ended else ""),
        before=before,
        after=model_snapshot(instance=case),
    )
    return case
