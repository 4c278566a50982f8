"""Writes to the audit trail: recording events, and the snapshots that show what changed.

A service that changes a record takes a snapshot before and after and records both in the same
transaction, so the change and its audit event are kept or lost together:

    before = model_snapshot(instance=record)
    ... change and save record ...
    after = model_snapshot(instance=record)
    audit_event_record(actor=user, action=AuditEvent.Action.CHANGED, target=record,
                       before=before, after=after)

A deletion is recorded before the row is deleted: Django clears the primary key afterwards.
"""

import datetime
import math
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise

from tandem.audit.context import current_request_context
from tandem.audit.models import (
    OBJECT_REPR_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    AuditEvent,
)

SYSTEM_LABEL = "system"
ANONYMOUS_LABEL = "anonymous"
# Field names never written into the trail, whatever the caller asks for.
SECRET_FIELD_NAMES = frozenset({"password"})


def _truncated(text: str, max_length: int) -> str:
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


@transaction.atomic
def audit_event_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditEvent.Action | str,
    target: models.Model | None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event: who (None for Tandem itself), did what, to which record, from where.

    `target` may be None only for an action about no one record (a search, a sign-in refused).
    The client address, user agent and path come from the current request, if there is one.
    `reason` is why, where the person was asked.
    """
    if target is not None and target.pk is None:
        raise ValueError(
            f"cannot audit an unsaved or already deleted {type(target).__name__}: "
            "record a deletion before deleting"
        )
    return _event_append(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target) if target is not None else "",
        summary=summary,
        before=before,
        after=after,
        reason=reason,
    )


def object_ids_text(ids: Iterable[Any]) -> str:
    """Ids as `object_ids` holds them: each between spaces, so ' 15 ' finds 15 and not 150."""
    listed = [str(pk) for pk in ids]
    return f" {' '.join(listed)} " if listed else ""


@transaction.atomic
def audit_records_read(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    model: type[models.Model],
    ids: Iterable[Any],
    summary: str,
    search: str = "",
    owner: models.Model | None = None,
) -> AuditEvent:
    """One event for one read of many records (a list page, an API page, a search): their kind
    (`model`), their ids and, for a search, its terms. `owner` is the one record they belong
    to, where they do (a case's children): the event is then about the owner, as a view of the
    owner's page would be, and the summary names the records' kind."""
    listed = list(ids)
    described = f"{summary}: {len(listed)} {model._meta.verbose_name_plural}"
    if search:
        described += f", searched for {search}"
    return _event_append(
        actor=actor,
        action=AuditEvent.Action.SEARCHED if search else AuditEvent.Action.VIEWED,
        content_type=ContentType.objects.get_for_model(owner if owner is not None else model),
        object_id=str(owner.pk) if owner is not None else "",
        object_repr=str(owner) if owner is not None else "",
        object_ids=object_ids_text(listed),
        summary=described,
    )


def _event_append(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditEvent.Action | str,
    content_type: ContentType | None,
    object_id: str,
    object_repr: str,
    summary: str,
    object_ids: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    action = AuditEvent.Action(action)
    user_model = get_user_model()
    if actor is None:
        user, label = None, SYSTEM_LABEL
    elif isinstance(actor, user_model) and actor.is_authenticated:
        user, label = actor, actor.get_username()
    elif not actor.is_authenticated:
        user, label = None, ANONYMOUS_LABEL
    else:
        raise TypeError(f"the actor must be a {user_model.__name__}, not {type(actor).__name__}")
    context = current_request_context()
    event = AuditEvent(
        actor=user,
        actor_label=label,
        action=action,
        content_type=content_type,
        object_id=object_id,
        object_repr=_truncated(object_repr, OBJECT_REPR_MAX_LENGTH),
        object_ids=object_ids,
        summary=_truncated(summary, SUMMARY_MAX_LENGTH),
        reason=_truncated(reason, REASON_MAX_LENGTH),
        before=_json_safe(before) if before is not None else None,
        after=_json_safe(after) if after is not None else None,
        ip_address=context.ip_address if context else None,
        user_agent=context.user_agent if context else "",
        path=context.path if context else "",
    )
    event.save()
    return event


def _is_secret(field: "models.Field[Any, Any]") -> bool:
    """Passwords, encrypted fields (by their class name) and raw bytes never enter the trail."""
    return (
        field.name in SECRET_FIELD_NAMES
        or "encrypt" in type(field).__name__.lower()
        or isinstance(field, models.BinaryField)
    )


def model_snapshot(
    *, instance: models.Model, fields: Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """The instance's field values as a JSON-safe dict, for an event's `before` and `after`.

    By default every concrete field; `fields` names others (a many-to-many gives its sorted ids).
    Foreign keys give the related id. Dates, times, decimals and UUIDs become strings. Secret
    fields (passwords, encrypted or binary fields) are always left out; name any other field that
    must not be copied into the trail in `exclude`.
    """
    excluded = set(exclude)
    opts = instance._meta
    if fields is None:
        chosen = [field for field in opts.concrete_fields if not _is_secret(field)]
    else:
        chosen = []
        for name in fields:
            field = opts.get_field(name)
            if not isinstance(field, models.Field) or not (field.concrete or field.many_to_many):
                raise ValueError(f"{opts.label}.{name} is not a field that can be snapshotted")
            if _is_secret(field):
                raise ValueError(f"{opts.label}.{name} is secret and never enters the audit trail")
            chosen.append(field)
    snapshot: dict[str, Any] = {}
    for field in chosen:
        if field.name in excluded:
            continue
        if field.many_to_many:
            related = getattr(instance, field.name)
            value: Any = (
                sorted(related.values_list("pk", flat=True)) if instance.pk is not None else []
            )
        elif field.is_relation:
            value = getattr(instance, field.attname)
        else:
            value = field.value_from_object(instance)
        snapshot[field.name] = _json_safe(value)
    return snapshot


def audit_changes(*, before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Only the fields whose values differ, as {field: [old, new]}; a missing field reads None."""
    names = [*before, *(name for name in after if name not in before)]
    return {
        name: [before.get(name), after.get(name)]
        for name in names
        if before.get(name) != after.get(name)
    }


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str | Promise):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_json_safe(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, bytes | bytearray | memoryview):
        raise TypeError("raw bytes never enter the audit trail")
    return str(value)
