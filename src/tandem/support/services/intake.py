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
    POSSIBLE_DUPLICATES_AT_MOST,
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
    flags = PossibleDuplicateSurvivor.objects.bulk_create(
        PossibleDuplicateSurvivor(
            survivor=survivor, existing_id=existing_pk, matched_on=matched_on, flagged_at=now
        )
        for existing_pk, matched_on in _possible_duplicates_of(survivor=survivor)
    )
    if flags:
        audit_event_record(
            actor=actor,
            action="changed",
            target=survivor,
            summary=f"flagged as possibly the same person as {len(flags)} other "
            f"survivor{'s' if len(flags) > 1 else ''}",
            after={
                "possible_duplicates": [
                    {"survivor": flag.existing_id, "same": flag.matched_on} for flag in flags
                ]
            },
        )
    return survivor


def _possible_duplicates_of(*, survivor: Survivor) -> list[tuple[int, str]]:
    """Other survivors of her service with her name and date of birth, or her phone number
    (on their record or among their other numbers), and what matched: the most recent
    `POSSIBLE_DUPLICATES_AT_MOST` of them, found in three indexed queries however many match
    (never compared with each survivor in turn)."""
    others = Survivor.objects.filter(service=survivor.service).exclude(pk=survivor.pk)
    at_most = POSSIBLE_DUPLICATES_AT_MOST
    same_name: list[int] = []
    same_number: set[int] = set()
    if survivor.date_of_birth is not None:
        same_name = list(
            others.filter(
                first_name__iexact=survivor.first_name,
                last_name__iexact=survivor.last_name,
                date_of_birth=survivor.date_of_birth,
            )
            .order_by("-pk")
            .values_list("pk", flat=True)[:at_most]
        )
    # Numbers are encrypted: equal numbers, however written, share a blind index instead.
    if survivor.phone_index:
        same_number.update(
            others.filter(phone_index=survivor.phone_index)
            .order_by("-pk")
            .values_list("pk", flat=True)[:at_most]
        )
        same_number.update(
            ContactPoint.objects.filter(
                survivor__service=survivor.service, value_index=survivor.phone_index
            )
            .exclude(survivor=survivor)
            .order_by("-survivor_id")
            .values_list("survivor_id", flat=True)
            .distinct()[:at_most]
        )
    matched = sorted({*same_name, *same_number}, reverse=True)[:at_most]
    return [
        (
            pk,
            " and ".join(
                reason
                for reason, among in (
                    ("name and date of birth", same_name),
                    ("phone number", same_number),
                )
                if pk in among
            ),
        )
        for pk in matched
    ]
