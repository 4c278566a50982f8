"""What the rating processes share: a record rated with its evidence, and the action that goes
with a rating short of met (a Welsh Amber item's improvement action, a West Midlands rating's
action), kept in step with the rating while the assessment is a draft."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User

from tandem.assurance.labels import record_label
from tandem.assurance.models import (
    Action,
    ActionStatus,
    RequirementRecord,
)
from tandem.assurance.services import (
    action_create,
    save_record,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused


def _action_delete(action: Action, *, actor: User) -> None:
    """Drop an action set while the assessment is still a draft (its rating changed): nothing
    has been sent to anyone yet."""
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.DELETED,
        target=action,
        before=model_snapshot(instance=action),
    )
    action.delete()


@dataclass(frozen=True)
class ActionDetails:
    """An action on one requirement: what to do, who does it, and by when (for an Amber Welsh
    item, the review date)."""

    description: str
    owner: User | None
    due_on: date | None


def record_action_set(
    *,
    record: RequirementRecord,
    details: ActionDetails | None,
    needed: bool,
    owners: Iterable[User],
    due_field: str,
    due_refusal: str | None,
    actor: User,
    now: datetime,
    rule_id: str,
) -> None:
    """Keep the record's draft action in step with its rating: set when `needed` (required
    unless one is already set), dropped when no longer needed."""
    current = list(record.actions.filter(status=ActionStatus.OPEN))
    if not needed:
        for action in current:
            _action_delete(action, actor=actor)
        return
    if details is None:
        if current:
            return
        raise ActionRefused(
            f"Set the action for {record_label(record)}: what will be done, who owns it and by "
            "when",
            rule_id=rule_id,
            field="action",
        )
    if not details.description.strip():
        raise ActionRefused(
            f"Describe the action for {record_label(record)}", rule_id=rule_id, field="action"
        )
    if details.owner is None or details.owner.pk not in {owner.pk for owner in owners}:
        raise ActionRefused(
            "The action's owner must work in the service (or commission it)", field="owner"
        )
    if details.due_on is None:
        raise ActionRefused("Enter the action's date", rule_id=rule_id, field=due_field)
    if due_refusal:
        raise ActionRefused(due_refusal, rule_id=rule_id, field=due_field)
    for action in current:
        _action_delete(action, actor=actor)
    action_create(
        assessment=record.assessment,
        record=record,
        description=details.description,
        owner=details.owner,
        due_on=details.due_on,
        actor=actor,
        now=now,
    )


def rated_record_save(
    *, record: RequirementRecord, actor: User, now: datetime, rating: str, evidence: str
) -> RequirementRecord:
    """Save the record's rating with its evidence (kept as its narrative), as its next version."""
    before = model_snapshot(instance=record)
    record.rating = rating
    record.narrative = evidence
    record.narrative_updated_at = now
    record.narrative_updated_by = actor
    save_record(record=record, actor=actor, before=before)
    return record


def unrated_records(records: Iterable[RequirementRecord]) -> list[RequirementRecord]:
    """The records still without a rating or without evidence."""
    return [record for record in records if not record.rating or not record.narrative.strip()]
