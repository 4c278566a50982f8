"""A referral received: his record, the survivors handed straight to the ISS side (rule
iss-handover) and the children; possible duplicates flagged, never merged."""

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import uuid4

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases.models import Child, PerpetratorCase, ReferralSource
from tandem.cases.services.common import refuse_future
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service
from tandem.support.barrier import Relationship, survivors_receive_from_referral

# How many survivors and children one referral may name. A referral names the people at risk
# from one man; more than this is a mistake (or an attack), and each survivor named starts her
# own ISS case with its own duplicate check.
SURVIVORS_AT_MOST = 10
CHILDREN_AT_MOST = 20
# How many earlier cases a new one is flagged as possibly duplicating (the most recent): beyond a
# handful a match says little, and each is a row written in the referral's transaction.
POSSIBLE_DUPLICATES_AT_MOST = 20
TOO_MANY_SURVIVORS = f"A referral can name at most {SURVIVORS_AT_MOST} survivors and others at risk"
TOO_MANY_CHILDREN = (
    f"A referral can name at most {CHILDREN_AT_MOST} children: "
    "add any more to his case once it is recorded"
)


@dataclass(frozen=True)
class SurvivorDetails:
    first_name: str
    last_name: str
    relationship: Relationship
    phone: str = ""
    email: str = ""
    date_of_birth: date | None = None


@dataclass(frozen=True)
class ChildDetails:
    first_name: str
    relationship_to_perpetrator: str
    last_name: str = ""
    date_of_birth: date | None = None
    lives_with_perpetrator: bool = False


@dataclass(frozen=True)
class ReferralDetails:
    first_name: str
    last_name: str
    date_of_birth: date
    received_at: datetime
    source: ReferralSource
    phone: str = ""
    referrer_name: str = ""
    referrer_organisation: str = ""
    referrer_contact: str = ""
    survivors: list[SurvivorDetails] = field(default_factory=list)
    children: list[ChildDetails] = field(default_factory=list)


def _validate_referral(*, details: ReferralDetails, now: datetime) -> None:
    if not details.first_name.strip() or not details.last_name.strip():
        raise ActionRefused("enter his first and last name", field="last_name")
    refuse_future(value=details.received_at, field_name="received_at", now=now)
    refuse_future(value=details.date_of_birth, field_name="date_of_birth", now=now)
    if len(details.survivors) > SURVIVORS_AT_MOST:
        raise ActionRefused(TOO_MANY_SURVIVORS, field="survivors")
    if len(details.children) > CHILDREN_AT_MOST:
        raise ActionRefused(TOO_MANY_CHILDREN, field="children")
    if details.source == ReferralSource.AGENCY:
        if not details.survivors:
            raise ActionRefused(
                "an agency referral must give the survivors' and others at risk's contact details",
                rule_id="iss-handover",
                field="survivors",
            )
        for number, survivor in enumerate(details.survivors, start=1):
            if not (survivor.phone.strip() or survivor.email.strip()):
                raise ActionRefused(
                    f"survivor {number}: an agency referral must give a phone number or email",
                    rule_id="iss-handover",
                    field="survivors",
                )
    for number, child in enumerate(details.children, start=1):
        if child.date_of_birth is None:
            continue
        refuse_future(value=child.date_of_birth, field_name="child_date_of_birth", now=now)
        if child.date_of_birth <= details.date_of_birth:
            raise ActionRefused(
                f"child {number}: born on or before his date of birth: check both dates",
                field="child_date_of_birth",
            )


def _possible_duplicates(*, service: Service, details: ReferralDetails) -> list[PerpetratorCase]:
    same_person = Q(
        first_name__iexact=details.first_name.strip(),
        last_name__iexact=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
    )
    if details.phone.strip():
        same_person |= Q(phone=details.phone.strip())
    matches = PerpetratorCase.objects.filter(same_person, service=service).order_by("-pk")
    return list(matches[:POSSIBLE_DUPLICATES_AT_MOST])


@transaction.atomic
def perpetrator_referral_receive(
    *,
    service: Service,
    actor: User,
    details: ReferralDetails,
    now: datetime | None = None,
) -> PerpetratorCase:
    """Record a referral with its survivors and children. Survivors' details go straight to the
    ISS side, each with an ISS referral due within 24 hours (rule iss-handover). Possible
    duplicates (same name and date of birth, or same phone) are flagged, never merged."""
    now = now or timezone.now()
    _validate_referral(details=details, now=now)
    duplicates = _possible_duplicates(service=service, details=details)
    case = PerpetratorCase.objects.create(
        service=service,
        # A placeholder unique until the row has its id, which the reference is made from.
        reference=f"new-{uuid4().hex[:16]}",
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
        phone=details.phone.strip(),
        referral_received_at=details.received_at,
        referral_source=details.source,
        referrer_name=details.referrer_name,
        referrer_organisation=details.referrer_organisation,
        referrer_contact=details.referrer_contact,
        created_by=actor,
    )
    case.reference = f"P{case.pk:06d}"
    case.save(update_fields=["reference"])
    case.possible_duplicate_of.set(duplicates)
    survivors_receive_from_referral(
        case=case,
        survivors=details.survivors,
        received_at=details.received_at,
        actor=actor,
        now=now,
    )
    Child.objects.bulk_create(
        Child(
            case=case,
            first_name=child.first_name,
            last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            relationship_to_perpetrator=child.relationship_to_perpetrator,
            lives_with_perpetrator=child.lives_with_perpetrator,
        )
        for child in details.children
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=case,
        summary=f"referral received ({case.get_referral_source_display().lower()})"
        + (
            f"; possible duplicate of {', '.join(d.reference for d in duplicates)}"
            if duplicates
            else ""
        ),
        after=model_snapshot(instance=case),
    )
    return case
