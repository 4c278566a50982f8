"""Initial contact with her: the ISS referral (rule iss-handover), every contact attempt (rule
iss-contact), or why contact is unsafe or impossible (rule iss-before-start)."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.audit.services import audit_event_record
from tandem.compliance import deadlines
from tandem.compliance.models import TaskSide
from tandem.compliance.services import due_task_create, due_tasks_complete
from tandem.lib.calendar import Jurisdiction
from tandem.lib.errors import ActionRefused
from tandem.support.models import (
    AttemptOutcome,
    ContactAttempt,
    ContactOutcome,
    IssCase,
    SurvivorAddress,
)
from tandem.support.services.iss_cases import iss_case_lock, iss_case_save_with_version
from tandem.support.services.safe_contact import assert_safe_to_send


@transaction.atomic
def iss_referral_make(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> IssCase:
    """Her details are with the ISS: closes the 24-hour handover task (rule iss-handover) and
    makes initial contact due within 5 working days (rule iss-contact)."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    if iss_case.referred_at is not None:
        raise ActionRefused("her details were already passed to the ISS", field="referred_at")
    service = iss_case.survivor.service
    iss_case.referred_at = now
    iss_case = iss_case_save_with_version(iss_case)
    due_tasks_complete(rule_id="iss-handover", iss_case=iss_case, actor=actor, now=now)
    due_task_create(
        service=service,
        rule_id="iss-contact",
        title=f"Make initial contact with {iss_case.survivor}",
        side=TaskSide.ISS,
        due_at=deadlines.iss_contact_due(
            iss_referred_at=now, jurisdiction=Jurisdiction(service.jurisdiction)
        ),
        now=now,
        iss_case=iss_case,
        assigned_to=iss_case.allocated_worker,
    )
    audit_event_record(actor=actor, action="changed", target=iss_case, summary="ISS referral made")
    return iss_case


_SUCCESSFUL = {
    AttemptOutcome.SUPPORT_ACCEPTED: ContactOutcome.SUPPORT_ACCEPTED,
    AttemptOutcome.SUPPORT_DECLINED: ContactOutcome.SUPPORT_DECLINED,
}


@transaction.atomic
def contact_attempt_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    attempted_at: datetime,
    method: str,
    outcome: str,
    notes: str = "",
    destination: "str | SurvivorAddress | None" = None,
    now: datetime | None = None,
) -> ContactAttempt:
    """Rule iss-contact: every attempt is recorded, even with no answer. Speaking with her and
    her accepting or declining support is successful contact.

    `destination` is the number or email address used, or the `SurvivorAddress` written to or
    visited (an in-person meeting elsewhere needs none). Everything goes through
    `assert_safe_to_send`, so a method she has said is unsafe, or a number, email or address
    marked unsafe or known to him, is refused before anything is saved. The destination is kept
    on the attempt, never in the audit trail."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    if attempted_at > now:
        raise ActionRefused("the attempt cannot be in the future", field="attempted_at")
    if iss_case.referred_at is None:
        raise ActionRefused(
            "make the ISS referral before recording contact",
            rule_id="iss-handover",
            field="outcome",
        )
    # Attempts are recorded to the minute, as the form takes them: one made in the minute the
    # referral was made counts as after it.
    if attempted_at < iss_case.referred_at.replace(second=0, microsecond=0):
        referred = timezone.localtime(iss_case.referred_at)
        raise ActionRefused(
            f"the attempt cannot be before the ISS referral ({referred:%d %b %Y %H:%M})",
            rule_id="iss-contact",
            field="attempted_at",
        )
    if outcome not in AttemptOutcome.values:
        raise ActionRefused("choose the outcome, even if there was no answer", field="outcome")
    assert_safe_to_send(survivor=iss_case.survivor, method=method, destination=destination)
    attempt = ContactAttempt.objects.create(
        iss_case=iss_case,
        attempted_at=attempted_at,
        method=method,
        outcome=outcome,
        notes=notes,
        destination=destination.strip() if isinstance(destination, str) else "",
        destination_address=destination if isinstance(destination, SurvivorAddress) else None,
        recorded_by=actor,
    )
    if outcome in _SUCCESSFUL and iss_case.contact_established_at is None:
        iss_case.contact_established_at = attempted_at
        iss_case.contact_outcome = _SUCCESSFUL[AttemptOutcome(outcome)]
        due_tasks_complete(rule_id="iss-contact", iss_case=iss_case, actor=actor, now=now)
    iss_case_save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="created",
        target=iss_case,
        summary=f"contact attempt: {attempt.get_method_display()}, {attempt.get_outcome_display()}",
    )
    return attempt


@transaction.atomic
def iss_contact_unsafe_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    reason: str,
    now: datetime | None = None,
) -> IssCase:
    """Rule iss-before-start: the recorded reason contact is unsafe or impossible. It stands in
    for contact, so the initial-contact task (rule iss-contact) is done."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    if not reason.strip():
        raise ActionRefused("say why contact is unsafe or impossible", field="reason")
    iss_case.contact_unsafe_reason = reason.strip()
    iss_case = iss_case_save_with_version(iss_case)
    due_tasks_complete(rule_id="iss-contact", iss_case=iss_case, actor=actor, now=now)
    audit_event_record(
        actor=actor,
        action="changed",
        target=iss_case,
        summary="contact recorded as unsafe or impossible",
    )
    return iss_case
