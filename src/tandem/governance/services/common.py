"""What the governance services share: the longest report, who may record, and the audit
event of a record made or changed (each write records one in its own transaction)."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F, Model
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.governance.rules import MANAGE_GOVERNANCE
from tandem.lib.errors import StaleRecord
from tandem.organisations.models import Service

# The longest report kept (other texts: `inputs.TEXT_MAX`).
REPORT_TEXT_MAX = 100_000


def now_or_current(now: datetime | None) -> datetime:
    return now or timezone.now()


def refuse_unless_governance_manager(*, actor: User, service: Service) -> None:
    """Only a senior manager of the service records its governance (`MANAGE_GOVERNANCE`)."""
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_GOVERNANCE,
        target=service,
        refusal=f"only a senior manager of {service.name} can record its governance",
    )


def audit_created(
    *, actor: User, target: Model, summary: str, exclude: tuple[str, ...] = ()
) -> None:
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=target,
        summary=summary,
        after=model_snapshot(instance=target, exclude=exclude),
    )


def locked_at_version(model: type[Model], *, pk: int, expected_version: int, what: str) -> Any:
    current: Any = model._default_manager.select_for_update().get(pk=pk)
    if current.version != expected_version:
        raise StaleRecord(what)
    return current


def saved_with_new_version(
    *, actor: User, current: Model, before: dict[str, object], summary: str
) -> None:
    current.version = F("version") + 1  # type: ignore[attr-defined]
    current.save()
    current.refresh_from_db()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        summary=summary,
        before=before,
        after=model_snapshot(instance=current),
    )
