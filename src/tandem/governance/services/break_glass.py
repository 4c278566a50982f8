"""Break-glass: a service manager opens one record outside their normal access, for a reason
they give, for a limited time. The opening is an audit event of its own (flagged, with the
reason) and the service's safeguarding lead is told by email.

The information barrier holds through it (rule survivor-confidentiality): a survivor's ISS case
is never opened by break-glass for anyone who works on the perpetrator side of any service.
In practice the person who breaks glass is a service manager on the management side of the
record's service, who runs it without opening case records; anyone already able to open the
record needs no break-glass and is told so.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.models import AuditEvent, BreakGlassGrant
from tandem.audit.services import audit_event_record
from tandem.cases.models import PerpetratorCase
from tandem.cases.selectors import perpetrator_case_list_for_user
from tandem.governance.rules import BREAK_GLASS
from tandem.governance.services.common import now_or_current
from tandem.lib.calendar import UK_TIME
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.organisations.models import NamedRole, NamedRoleKind, Service, Side, StaffMembership
from tandem.support.models import IssCase
from tandem.support.selectors import iss_case_list_for_user

logger = logging.getLogger(__name__)

CASE = "case"
ISS_CASE = "iss_case"
REASON_MIN_LENGTH = 20
BARRIER_RULE = "survivor-confidentiality"


@dataclass(frozen=True)
class BrokenGlass:
    grant: BreakGlassGrant
    record: models.Model
    notified: list[User]


def _record_and_service(kind: str, identifier: str) -> tuple[models.Model, Service] | None:
    identifier = identifier.strip()
    if kind == CASE:
        case = PerpetratorCase.objects.select_related("service").filter(reference=identifier)
        found = case.first()
        return (found, found.service) if found else None
    if kind == ISS_CASE and identifier.isdigit():
        iss_case = (
            IssCase.objects.select_related("survivor__service").filter(pk=int(identifier)).first()
        )
        return (iss_case, iss_case.survivor.service) if iss_case else None
    return None


def _already_open(*, actor: User, record: models.Model) -> bool:
    if isinstance(record, PerpetratorCase):
        return perpetrator_case_list_for_user(user=actor).filter(pk=record.pk).exists()
    return iss_case_list_for_user(user=actor).filter(pk=record.pk).exists()


def safeguarding_leads(*, service: Service, on: datetime) -> list[User]:
    day = on.astimezone(UK_TIME).date()
    named = NamedRole.objects.filter(
        service=service, kind=NamedRoleKind.SAFEGUARDING_LEAD, from_date__lte=day
    ).filter(Q(to_date__isnull=True) | Q(to_date__gte=day))
    return [role.user for role in named.select_related("user")]


def _notify(
    *, leads: list[User], actor: User, record: models.Model, service: Service, until: datetime
) -> None:
    """Tell the leads who opened what until when; never the record's contents or the reason
    (an email leaves Tandem): those are in the audit trail."""
    what = (
        f"perpetrator case {record.reference}"
        if isinstance(record, PerpetratorCase)
        else f"ISS case {record.pk}"
    )
    addresses = [lead.email for lead in leads if lead.email]
    if not addresses:
        return
    try:
        send_mail(
            subject=f"Break-glass access to a record of {service.name}",
            message=(
                f"{person_name(actor)} opened {what} of {service.name} by break-glass, with "
                f"access until {until.astimezone(UK_TIME):%H:%M on %d %b %Y}. "
                "Their reason is in Tandem's audit trail. You are told because you are the "
                "service's safeguarding lead."
            ),
            from_email=None,
            recipient_list=addresses,
        )
    except Exception:
        # The audit event is the record of the break-glass; a mail server that fails must not
        # undo it or fail the page.
        logger.exception("break-glass notification to the safeguarding lead was not sent")


@transaction.atomic
def break_glass_open(
    *, actor: User, kind: str, identifier: str, reason: str, now: datetime | None = None
) -> BrokenGlass:
    """Give `actor` access to one record for TANDEM_BREAK_GLASS_MINUTES, or refuse naming the
    field at fault."""
    now = now_or_current(now)
    refuse_unless_permitted(
        actor=actor,
        permission=BREAK_GLASS,
        refusal="only a service manager can open a record by break-glass",
    )
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ActionRefused(
            f"say why you need to open this record (at least {REASON_MIN_LENGTH} characters)",
            field="reason",
        )
    found = _record_and_service(kind, identifier)
    memberships = StaffMembership.objects.filter(user=actor, ended_on__isnull=True)
    if found is None or not memberships.filter(service=found[1]).exists():
        raise ActionRefused(
            "there is no such record in the services you manage", field="identifier"
        )
    record, service = found
    if isinstance(record, IssCase) and memberships.filter(side__in=[Side.PERPETRATOR]).exists():
        raise ActionRefused(
            "a survivor's record is never opened by anyone working on the perpetrator side, "
            "not even by break-glass",
            rule_id=BARRIER_RULE,
            field="identifier",
        )
    if _already_open(actor=actor, record=record):
        raise ActionRefused("you can open this record already", field="identifier")
    until = now + timedelta(minutes=settings.TANDEM_BREAK_GLASS_MINUTES)
    grant = BreakGlassGrant.objects.create(
        user=actor,
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        reason=reason,
        granted_at=now,
        expires_at=until,
    )
    leads = safeguarding_leads(service=service, on=now)
    told = ", ".join(person_name(lead) for lead in leads)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.BROKE_GLASS,
        target=record,
        summary=f"break-glass access until {until.astimezone(UK_TIME):%H:%M %d %b %Y}; "
        + (f"safeguarding lead told: {told}" if leads else "no safeguarding lead is named"),
        reason=reason,
    )
    transaction.on_commit(
        lambda: _notify(leads=leads, actor=actor, record=record, service=service, until=until)
    )
    return BrokenGlass(grant=grant, record=record, notified=leads)
