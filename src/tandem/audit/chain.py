"""The hash chain that makes the audit trail tamper-evident.

Each event carries `hash`: SHA-256 over the previous event's hash and a canonical serialisation
of the event's own fields. Changing any recorded field, deleting an event in the middle or
inserting one out of order breaks the chain at that event; deleting events from the end is seen
against the chain head, a single row that keeps the last event's id and hash.

Appending takes the chain head row FOR UPDATE, so concurrent writers on PostgreSQL chain one
after another; SQLite serialises write transactions anyway. The canonical form must never
change: every recorded hash depends on it.
"""

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# The fields an event's hash covers, in this order. Ids stand for related rows (a content type
# that moves app keeps its id, and so the hash).
CHAINED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "content_type_id",
    "object_id",
    "object_ids",
    "object_repr",
    "summary",
    "reason",
    "before",
    "after",
    "ip_address",
    "user_agent",
    "path",
)
GENESIS = ""
VERIFY_BATCH_SIZE = 1000


def _canonical_json(value: Any) -> Any:
    """JSON values as the database gives them back: a whole float reads back as an integer
    from PostgreSQL's jsonb, so it is written as one."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(key): _canonical_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_json(item) for item in value]
    return value


def _canonical_value(name: str, value: Any) -> Any:
    if name == "occurred_at":
        if not isinstance(value, datetime.datetime):
            raise TypeError(f"An audit event's occurred_at must be a datetime, not {value!r}")
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if name == "ip_address" and value:
        return str(ipaddress.ip_address(value))
    if name in ("before", "after"):
        return _canonical_json(value)
    return value


def event_hash(event: Any, previous_hash: str) -> str:
    """The hash of `event` (a recorded or historical AuditEvent) chained to `previous_hash`."""
    fields = {name: _canonical_value(name, getattr(event, name)) for name in CHAINED_FIELDS}
    canonical = json.dumps(
        [previous_hash, fields], sort_keys=True, separators=(",", ":"), ensure_ascii=True
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first event at which the chain does not hold, and why."""

    event_id: int | None
    occurred_at: datetime.datetime | None
    what: str
    reason: str

    def __str__(self) -> str:
        if self.event_id is None:
            return self.reason
        when = self.occurred_at.isoformat() if self.occurred_at else "unknown time"
        return f"event {self.event_id} ({when}, {self.what}): {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    verified: int
    broken: ChainBreak | None


def _described(event: Any) -> str:
    target = event.object_repr or event.object_ids or "no one record"
    return f"{event.actor_label} {event.action} {target}".strip()


def events_in_chain_order(model: Any, batch_size: int) -> Iterator[Any]:
    """Every event in id order, read `batch_size` at a time (keyset pagination)."""
    last_id = 0
    while True:
        batch = list(model.objects.filter(pk__gt=last_id).order_by("pk")[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        last_id = batch[-1].pk


def chain_verify(
    *, event_model: Any, head_model: Any, batch_size: int = VERIFY_BATCH_SIZE
) -> ChainReport:
    """Walk the whole chain, oldest first; stop at the first event that breaks it."""
    previous_hash, verified, last = GENESIS, 0, None
    for event in events_in_chain_order(event_model, batch_size):
        if event.previous_hash != previous_hash:
            reason = (
                f"it does not follow event {last.pk}: an event between them was deleted, "
                "or this one's link was changed"
                if last is not None
                else "it is not the first event of the chain: earlier events were deleted"
            )
            return ChainReport(
                verified, ChainBreak(event.pk, event.occurred_at, _described(event), reason)
            )
        if event_hash(event, previous_hash) != event.hash:
            return ChainReport(
                verified,
                ChainBreak(
                    event.pk,
                    event.occurred_at,
                    _described(event),
                    "its recorded fields were changed after it was recorded",
                ),
            )
        previous_hash, verified, last = event.hash, verified + 1, event
    head = head_model.objects.filter(pk=head_model.SINGLETON_ID).first()
    head_hash = head.last_hash if head is not None else GENESIS
    if head_hash != previous_hash:
        ends_at = f"event {last.pk}" if last is not None else "no event"
        if head is None:
            reason = f"the chain head is missing (the trail ends at {ends_at})"
        else:
            reason = (
                f"the trail ends at {ends_at}, but the last event recorded was event "
                f"{head.last_event_id}: events at the end were deleted"
            )
        return ChainReport(verified, ChainBreak(None, None, "", reason))
    return ChainReport(verified, None)
