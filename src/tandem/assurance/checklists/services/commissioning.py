"""Who commissions what, and local partnerships: an administrator records that a commissioner
commissions a service (they then run its Welsh checklists and see its results), and sets up the
West Midlands local partnerships whose commissioner members see their agencies'
self-evaluations."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.access.roles import Role, roles_of
from tandem.assurance.checklists.rules import (
    MANAGE_COMMISSIONING,
)
from tandem.assurance.models import (
    CommissioningRelationship,
    LocalPartnership,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.organisations.models import Organisation, Service


@transaction.atomic
def commissioning_relationship_start(
    *,
    commissioner: User,
    service: Service,
    since: date,
    actor: User,
    now: datetime | None = None,
) -> CommissioningRelationship:
    """An administrator records that a commissioner commissions a service, from `since`: they
    then run its Welsh checklists and see its results."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_COMMISSIONING,
        refusal="Only an administrator can record who commissions a service",
    )
    if Role.COMMISSIONER not in roles_of(commissioner):
        raise ActionRefused(
            f"{person_name(commissioner)} does not hold the commissioner role", field="commissioner"
        )
    if since > timezone.localdate(now):
        raise ActionRefused("The start date cannot be in the future", field="since")
    if CommissioningRelationship.objects.filter(
        commissioner=commissioner, service=service, ended_on__isnull=True
    ).exists():
        raise ActionRefused(
            f"{person_name(commissioner)} already commissions {service.name}", field="service"
        )
    relationship = CommissioningRelationship.objects.create(
        commissioner=commissioner, service=service, since=since, created_at=now, created_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=relationship,
        after=model_snapshot(instance=relationship),
    )
    return relationship


@transaction.atomic
def commissioning_relationship_end(
    *,
    relationship: CommissioningRelationship,
    ended_on: date,
    actor: User,
) -> CommissioningRelationship:
    """The last day the commissioner commissions the service."""
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_COMMISSIONING,
        refusal="Only an administrator can end a commissioning relationship",
    )
    current = CommissioningRelationship.objects.select_for_update().get(pk=relationship.pk)
    if current.ended_on is not None:
        raise ActionRefused("This commissioning has already ended", field="ended_on")
    if ended_on < current.since:
        raise ActionRefused("It cannot end before it started", field="ended_on")
    before = model_snapshot(instance=current)
    current.ended_on = ended_on
    current.save()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        before=before,
        after=model_snapshot(instance=current),
    )
    return current


# Local partnerships


@transaction.atomic
def local_partnership_create(*, name: str, actor: User) -> LocalPartnership:
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_COMMISSIONING,
        refusal="Only an administrator can set up a local partnership",
    )
    name = name.strip()
    if not name:
        raise ActionRefused("Enter the partnership's name", field="name")
    if LocalPartnership.objects.filter(name__iexact=name).exists():
        raise ActionRefused(f"There is already a partnership called {name}", field="name")
    partnership = LocalPartnership.objects.create(name=name[:200])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=partnership,
        after=model_snapshot(instance=partnership),
    )
    return partnership


@transaction.atomic
def local_partnership_organisation_add(
    *, partnership: LocalPartnership, organisation: Organisation, actor: User
) -> LocalPartnership:
    """An agency (organisation) joins the partnership: its self-evaluations show there."""
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_COMMISSIONING,
        refusal="Only an administrator can change a local partnership",
    )
    if partnership.organisations.filter(pk=organisation.pk).exists():
        raise ActionRefused(
            f"{organisation.name} is already in {partnership.name}", field="organisation"
        )
    partnership.organisations.add(organisation)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=partnership,
        summary=f"{organisation.name} joined",
    )
    return partnership


@transaction.atomic
def local_partnership_member_add(
    *, partnership: LocalPartnership, user: User, actor: User
) -> LocalPartnership:
    """A commissioner joins the partnership and sees its agencies' self-evaluations."""
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_COMMISSIONING,
        refusal="Only an administrator can change a local partnership",
    )
    if Role.COMMISSIONER not in roles_of(user):
        raise ActionRefused(
            f"{person_name(user)} does not hold the commissioner role: only commissioners see a "
            "partnership's results",
            field="user",
        )
    if partnership.members.filter(pk=user.pk).exists():
        raise ActionRefused(f"{person_name(user)} is already a member", field="user")
    partnership.members.add(user)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=partnership,
        summary=f"{person_name(user)} joined",
    )
    return partnership
