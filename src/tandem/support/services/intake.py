"""A survivor named in a perpetrator referral: her record and her ISS case (rule iss-handover),
with any possible duplicate of her record flagged, never merged."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction

from tandem.audit.services import audit_event_record, model_snapshot
from tandem.compliance import deadlines
from tandem.compliance.models import TaskSide
from tandem.compliance.services import due_task_create
from tandem.support.models import (
    ContactPoint,
    IssCase,
    PossibleDuplicateSurvivor,
    Relationship,
    Survivor,
    SurvivorLink,
)

if TYPE_CHECKING:
    # Only a type: the barrier hands her here from his referral, and imports this module.
    from tandem.support.barrier import PerpetratorCase

# Her contact details (nor the blind index of her number) are never copied into the audit trail:
# managers on both sides read the trail, so it holds who did what, not where she can be reached.
_SURVIVOR_CONTACT_FIELDS = ("phone", "phone_index", "email")


@transaction.atomic
def survivor_receive_from_referral(
    *,
    case: "PerpetratorCase",
    position: int,
    first_name: str,
    last_name: str,
    relationship: Relationship,
    phone: str,
    email: str,
    date_of_birth: date | None,
    received_at: datetime,
    actor: User,
    now: datetime,
) -> Survivor:
    """A survivor named in a perpetrator referral: her record and ISS case, with the ISS
    referral due within 24 hours of her details being received (rule iss-handover)."""
    service = case.service
    survivor = Survivor.objects.create(
        service=service,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        date_of_birth=date_of_birth,
        contact_details_received_at=received_at,
    )
    SurvivorLink.objects.create(
        perpetrator_case=case, survivor=survivor, relationship=relationship, position=position
    )
    iss_case = IssCase.objects.create(survivor=survivor)
    due_task_create(
        service=service,
        rule_id="iss-handover",
        title=f"Pass {survivor}'s details to the ISS",
        side=TaskSide.ISS,
        due_at=deadlines.iss_handover_due(details_received_at=received_at),
        now=now,
        perpetrator_case=case,
        iss_case=iss_case,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=survivor,
        summary="survivor received from a perpetrator referral",
        after=model_snapshot(instance=survivor, exclude=_SURVIVOR_CONTACT_FIELDS),
    )
    for existing, matched_on in _possible_duplicates_of(survivor=survivor):
        PossibleDuplicateSurvivor.objects.create(
            survivor=survivor, existing=existing, matched_on=matched_on, flagged_at=now
        )
        audit_event_record(
            actor=actor,
            action="changed",
            target=survivor,
            summary=f"flagged as possibly the same person as survivor {existing.pk} "
            f"(same {matched_on})",
        )
    return survivor


def _possible_duplicates_of(*, survivor: Survivor) -> list[tuple[Survivor, str]]:
    """Other survivors of her service with her name and date of birth, or her phone number
    (on their record or among their other numbers), and what matched."""
    others = Survivor.objects.filter(service=survivor.service).exclude(pk=survivor.pk)
    matched: dict[int, tuple[Survivor, list[str]]] = {}
    if survivor.date_of_birth is not None:
        for other in others.filter(
            first_name__iexact=survivor.first_name,
            last_name__iexact=survivor.last_name,
            date_of_birth=survivor.date_of_birth,
        ):
            matched.setdefault(other.pk, (other, []))[1].append("name and date of birth")
    # Numbers are encrypted: equal numbers, however written, share a blind index instead.
    if survivor.phone_index:
        numbers = ContactPoint.objects.filter(
            survivor__in=others, value_index=survivor.phone_index
        ).select_related("survivor")
        same_number = [
            *others.filter(phone_index=survivor.phone_index),
            *(point.survivor for point in numbers),
        ]
        for other in same_number:
            reasons = matched.setdefault(other.pk, (other, []))[1]
            if "phone number" not in reasons:
                reasons.append("phone number")
    return [(other, " and ".join(reasons)) for other, reasons in matched.values() if reasons]
