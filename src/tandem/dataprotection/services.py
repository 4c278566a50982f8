"""Writes to legal holds: placing and lifting, each by a senior manager of the case's service,
with a reason, in the audit trail."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.cases.models import PerpetratorCase
from tandem.dataprotection.models import LegalHold
from tandem.dataprotection.rules import MANAGE_LEGAL_HOLDS
from tandem.lib.errors import ActionRefused
from tandem.support.models import IssCase

REASON_MAX = 2000
ONLY_SENIOR_MANAGERS = "only a senior manager of the case's service places or lifts a legal hold"


def _reason_required(reason: str, *, field: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Give the reason for the legal hold", field=field)
    if len(reason) > REASON_MAX:
        raise ActionRefused(f"The reason must be {REASON_MAX} characters or fewer", field=field)
    return reason


@transaction.atomic
def legal_hold_place(
    *, case: PerpetratorCase | IssCase, reason: str, actor: User, now: datetime | None = None
) -> LegalHold:
    """Stop retention for the case and the cases linked to it until the hold is lifted."""
    service = case.service if isinstance(case, PerpetratorCase) else case.survivor.service
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_LEGAL_HOLDS, target=service, refusal=ONLY_SENIOR_MANAGERS
    )
    reason = _reason_required(reason, field="reason")
    on_case: dict[str, PerpetratorCase | IssCase] = (
        {"perpetrator_case": case} if isinstance(case, PerpetratorCase) else {"iss_case": case}
    )
    if LegalHold.objects.filter(lifted_at__isnull=True, **on_case).exists():
        raise ActionRefused("A legal hold already stands on this case", field="case")
    hold = LegalHold.objects.create(
        **on_case, reason=reason, placed_by=actor, placed_at=now or timezone.now()
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=hold,
        summary=f"legal hold placed: {reason}",
    )
    return hold


@transaction.atomic
def legal_hold_lift(
    *, hold: LegalHold, reason: str, actor: User, now: datetime | None = None
) -> LegalHold:
    """Let retention apply to the case again (from its next run)."""
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    service = (
        hold.perpetrator_case.service
        if hold.perpetrator_case is not None
        else hold.iss_case.survivor.service  # type: ignore[union-attr]
    )
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_LEGAL_HOLDS, target=service, refusal=ONLY_SENIOR_MANAGERS
    )
    if hold.lifted_at is not None:
        raise ActionRefused("This legal hold has already been lifted", field="hold")
    hold.lift_reason = _reason_required(reason, field="reason")
    hold.lifted_by = actor
    hold.lifted_at = now or timezone.now()
    hold.save(update_fields=["lift_reason", "lifted_by", "lifted_at"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=hold,
        summary=f"legal hold lifted: {hold.lift_reason}",
    )
    return hold
