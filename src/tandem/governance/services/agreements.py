"""Writes to agreements (R22 C1.7, D1.2), named roles and the on-call rota (R22 C1.7, A2.1)."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.governance import gates
from tandem.governance.inputs import (
    not_in_future,
    require_choice,
    require_staff,
    require_text,
)
from tandem.governance.models import (
    Agreement,
    AgreementKind,
    OnCallShift,
)
from tandem.governance.services.common import (
    audit_created,
    locked_at_version,
    now_or_current,
    refuse_unless_governance_manager,
    saved_with_new_version,
)
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import NamedRole, NamedRoleKind, Service

# Agreements (R22 C1.7 partnership with an external ISS; D1.2 information sharing and service
# level agreements with specialist services)


@transaction.atomic
def agreement_record(
    *,
    service: Service,
    kind: str,
    title: str,
    parties: str,
    signed_on: date,
    review_on: date,
    actor: User,
    now: datetime | None = None,
) -> Agreement:
    now = now_or_current(now)
    refuse_unless_governance_manager(actor=actor, service=service)
    require_choice(kind, choices=AgreementKind.values, field="kind", what="the kind of agreement")
    title = require_text(title, field="title", what="the agreement's title", limit=200)
    parties = require_text(parties, field="parties", what="the parties to the agreement")
    not_in_future(
        signed_on, field="signed_on", what="The date it was signed", today=timezone.localdate(now)
    )
    refusal = gates.agreement_dates_refusal(signed_on=signed_on, review_on=review_on)
    if refusal is not None:
        raise refusal
    agreement = Agreement.objects.create(
        service=service,
        kind=kind,
        title=title,
        parties=parties,
        signed_on=signed_on,
        review_on=review_on,
        recorded_by=actor,
        recorded_at=now,
    )
    audit_created(actor=actor, target=agreement, summary=f"{agreement.get_kind_display()} recorded")
    return agreement


@transaction.atomic
def agreement_review_record(
    *,
    agreement: Agreement,
    reviewed_on: date,
    next_review_on: date | None,
    ended_on: date | None,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> Agreement:
    """Record an agreement's review: renewed with its next review date, or ended (no review
    is due after it ends)."""
    now = now_or_current(now)
    refuse_unless_governance_manager(actor=actor, service=agreement.service)
    current: Agreement = locked_at_version(
        Agreement, pk=agreement.pk, expected_version=expected_version, what="the agreement"
    )
    if current.ended_on is not None:
        raise ActionRefused(
            f"it ended on {current.ended_on:%-d %B %Y}: record a new agreement instead",
            field="reviewed_on",
        )
    today = timezone.localdate(now)
    not_in_future(reviewed_on, field="reviewed_on", what="The review date", today=today)
    if reviewed_on < current.signed_on:
        raise ActionRefused("it cannot be reviewed before it was signed", field="reviewed_on")
    if (next_review_on is None) == (ended_on is None):
        raise ActionRefused(
            "give either the next review date (renewed) or the date it ended, not both",
            field="next_review_on",
        )
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise ActionRefused("the next review must be after this one", field="next_review_on")
    if ended_on is not None and ended_on < current.signed_on:
        raise ActionRefused("it cannot end before it was signed", field="ended_on")
    before = model_snapshot(instance=current)
    if next_review_on is not None:
        current.review_on = next_review_on
    current.ended_on = ended_on
    saved_with_new_version(
        actor=actor,
        current=current,
        before=before,
        summary="agreement ended" if ended_on else "agreement reviewed",
    )
    return current


# Named roles (R22 C1.7 out-of-hours lead and on-call rota; A2.1 case, risk and treatment
# management)


@transaction.atomic
def named_role_assign(
    *,
    service: Service,
    kind: str,
    user: User,
    from_date: date,
    to_date: date | None,
    actor: User,
) -> NamedRole:
    """Name a person of the service to a role. The case management lead must carry no caseload
    (rule case-management-lead)."""
    refuse_unless_governance_manager(actor=actor, service=service)
    require_choice(kind, choices=NamedRoleKind.values, field="kind", what="the role")
    if to_date is not None and to_date < from_date:
        raise ActionRefused("the last day cannot be before the first", field="to_date")
    require_staff(user=user, service=service, field="user", on=from_date)
    if kind == NamedRoleKind.CASE_MANAGEMENT_LEAD:
        refusal = gates.case_management_lead_caseload_refusal(user=user, service=service)
        if refusal is not None:
            raise refusal
    role = NamedRole.objects.create(
        service=service,
        kind=kind,
        user=user,
        from_date=from_date,
        to_date=to_date,
        recorded_by=actor,
    )
    audit_created(actor=actor, target=role, summary=f"named {role.get_kind_display()}")
    return role


@transaction.atomic
def named_role_end(*, role: NamedRole, to_date: date, actor: User) -> NamedRole:
    """Record the last day someone holds a named role."""
    refuse_unless_governance_manager(actor=actor, service=role.service)
    current = NamedRole.objects.select_for_update().get(pk=role.pk)
    if current.to_date is not None:
        raise ActionRefused(f"it already ends on {current.to_date:%-d %B %Y}", field="to_date")
    if to_date < current.from_date:
        raise ActionRefused("the last day cannot be before the first", field="to_date")
    before = model_snapshot(instance=current)
    current.to_date = to_date
    current.save(update_fields=["to_date"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        summary=f"{current.get_kind_display()} ends",
        before=before,
        after=model_snapshot(instance=current),
    )
    return current


@transaction.atomic
def on_call_shift_add(
    *, service: Service, user: User, starts_at: datetime, ends_at: datetime, actor: User
) -> OnCallShift:
    """Put someone of the service on the out-of-hours on-call rota (R22 C1.7)."""
    refuse_unless_governance_manager(actor=actor, service=service)
    if ends_at <= starts_at:
        raise ActionRefused("the shift must end after it starts", field="ends_at")
    require_staff(user=user, service=service, field="user", on=timezone.localdate(starts_at))
    overlapping = OnCallShift.objects.filter(
        service=service, user=user, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exists()
    if overlapping:
        raise ActionRefused("they are already on call for part of that time", field="starts_at")
    shift = OnCallShift.objects.create(
        service=service, user=user, starts_at=starts_at, ends_at=ends_at, recorded_by=actor
    )
    audit_created(actor=actor, target=shift, summary="on-call shift added")
    return shift
