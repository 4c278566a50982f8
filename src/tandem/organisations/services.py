"""Writes to organisations, their services and who works in them.

Each checks its rules, refuses with `ActionRefused` naming the field (and the rule, where
rules.md has one), and records an audit event in the same transaction.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from tandem.access.roles import (
    ISS_WORK_ROLES,
    MANAGER_ROLES,
    PERPETRATOR_WORK_ROLES,
    Role,
    roles_of,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.calendar import Jurisdiction
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.lib.people import person_name
from tandem.organisations.models import (
    OFFERS_FIELD,
    Delivery,
    IssProvision,
    Organisation,
    Service,
    Side,
    StaffMembership,
)
from tandem.standards.models import InterventionType

# The DASH checklist has 24 questions: a threshold above that could never be reached.
DASH_QUESTIONS = 24

# Which roles can work on each side. Managers may also hold both sides (rule not-same-staff).
SIDE_ROLES: dict[Side, frozenset[Role]] = {
    Side.PERPETRATOR: PERPETRATOR_WORK_ROLES,
    Side.ISS: ISS_WORK_ROLES,
    Side.BOTH: MANAGER_ROLES,
    Side.MANAGEMENT: MANAGER_ROLES,
}
SIDE_ROLE_NAMES = {
    Side.PERPETRATOR: "perpetrator worker, practice manager or service manager",
    Side.ISS: "ISS worker or IDVA, practice manager or service manager",
    Side.BOTH: "service manager or practice manager",
    Side.MANAGEMENT: "service manager or practice manager",
}


@dataclass(frozen=True)
class ServiceSettings:
    """What a service offers and how it is run: everything on its settings form."""

    name: str
    jurisdiction: str
    intervention_types: Collection[str]
    delivery: str
    iss_provision: str
    external_iss_organisation: Organisation | None = None
    partnership_agreement_signed_on: date | None = None
    information_sharing_agreement_signed_on: date | None = None
    has_youth_provision: bool = False
    dash_high_risk_threshold: int = 14
    marac_escalation_incidents: int = 3
    marac_escalation_window_days: int = 365
    referral_response_working_days: int = 5


def _refuse_future(*, value: date | None, field: str, what: str, today: date) -> None:
    if value is not None and value > today:
        raise ActionRefused(f"{what} cannot be in the future", field=field)


# Organisations


@transaction.atomic
def organisation_create(*, name: str, actor: User) -> Organisation:
    name = name.strip()
    if not name:
        raise ActionRefused("enter the organisation's name", field="name")
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ActionRefused(f"an organisation called {name} is already recorded", field="name")
    organisation = Organisation.objects.create(name=name)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=organisation,
        summary="organisation recorded",
        after=model_snapshot(instance=organisation),
    )
    return organisation


# Services


def iss_provision_refusal(
    *, organisation: Organisation, settings: ServiceSettings, today: date
) -> ActionRefused | None:
    """R22 scope: no perpetrator work without survivor support can be accredited, so every
    service has an ISS. One run by another organisation is on record with that organisation,
    the partnership agreement and the information sharing agreement; an internal one names no
    partner and no agreements with one."""
    if settings.iss_provision not in IssProvision.values:
        return ActionRefused(
            "choose whether the ISS is internal or external: no perpetrator work without "
            "survivor support can be accredited (R22 scope)",
            field="iss_provision",
        )
    partner = settings.external_iss_organisation
    partnership = settings.partnership_agreement_signed_on
    sharing = settings.information_sharing_agreement_signed_on
    if settings.iss_provision == IssProvision.INTERNAL:
        if partner is not None:
            return ActionRefused(
                "an internal ISS is run by the service's own organisation: name no partner "
                "organisation, or choose an external ISS",
                field="external_iss_organisation",
            )
        for value, field, what in (
            (partnership, "partnership_agreement_signed_on", "partnership agreement"),
            (sharing, "information_sharing_agreement_signed_on", "information sharing agreement"),
        ):
            if value is not None:
                return ActionRefused(
                    f"an internal ISS has no {what} with a partner: leave its date empty, or "
                    "choose an external ISS",
                    field=field,
                )
        return None
    if partner is None:
        return ActionRefused(
            "choose the partner organisation that runs the external ISS",
            field="external_iss_organisation",
        )
    if partner.pk == organisation.pk:
        return ActionRefused(
            f"an external ISS is run by another organisation, not {organisation.name}: choose "
            "the partner, or choose an internal ISS",
            field="external_iss_organisation",
        )
    for value, field, what in (
        (partnership, "partnership_agreement_signed_on", "the partnership agreement"),
        (sharing, "information_sharing_agreement_signed_on", "the information sharing agreement"),
    ):
        if value is None:
            return ActionRefused(
                f"enter the date {what} with the ISS partner was signed: an external ISS needs "
                "one on record",
                field=field,
            )
        if value > today:
            return ActionRefused(f"the date {what} was signed cannot be in the future", field=field)
    return None


def _validate_service(
    *, organisation: Organisation, settings: ServiceSettings, today: date, exclude_pk: int | None
) -> None:
    name = settings.name.strip()
    if not name:
        raise ActionRefused("enter the service's name", field="name")
    same_name = Service.objects.filter(organisation=organisation, name__iexact=name)
    if exclude_pk is not None:
        same_name = same_name.exclude(pk=exclude_pk)
    if same_name.exists():
        raise ActionRefused(
            f"{organisation.name} already runs a service called {name}", field="name"
        )
    if settings.jurisdiction not in Jurisdiction.values:
        raise ActionRefused(
            "choose the jurisdiction: it decides bank holidays and the criminal record body",
            field="jurisdiction",
        )
    if not settings.intervention_types:
        raise ActionRefused(
            "choose at least one intervention type the service offers", field="intervention_types"
        )
    unknown = set(settings.intervention_types) - set(InterventionType.values)
    if unknown:
        raise ActionRefused(
            f"not an intervention type: {', '.join(sorted(unknown))}", field="intervention_types"
        )
    if settings.delivery not in Delivery.values:
        raise ActionRefused(
            "choose how it is delivered: group, one-to-one or both", field="delivery"
        )
    refusal = iss_provision_refusal(organisation=organisation, settings=settings, today=today)
    if refusal is not None:
        raise refusal
    if not 1 <= settings.dash_high_risk_threshold <= DASH_QUESTIONS:
        raise ActionRefused(
            f"the DASH high-risk threshold is a number of yes answers from 1 to {DASH_QUESTIONS}",
            rule_id="dash",
            field="dash_high_risk_threshold",
        )
    for field, what in (
        ("marac_escalation_incidents", "the number of incidents that escalate to MARAC"),
        ("marac_escalation_window_days", "the MARAC escalation window"),
        ("referral_response_working_days", "the referral response timeframe"),
    ):
        if getattr(settings, field) < 1:
            raise ActionRefused(f"{what} must be at least 1", field=field)


def _apply(*, service: Service, settings: ServiceSettings) -> None:
    service.name = settings.name.strip()
    service.jurisdiction = settings.jurisdiction
    for intervention_type, field in OFFERS_FIELD.items():
        setattr(service, field, intervention_type in settings.intervention_types)
    service.delivery = settings.delivery
    service.iss_provision = settings.iss_provision
    service.external_iss_organisation = settings.external_iss_organisation
    service.partnership_agreement_signed_on = settings.partnership_agreement_signed_on
    service.information_sharing_agreement_signed_on = (
        settings.information_sharing_agreement_signed_on
    )
    service.has_youth_provision = settings.has_youth_provision
    service.dash_high_risk_threshold = settings.dash_high_risk_threshold
    service.marac_escalation_incidents = settings.marac_escalation_incidents
    service.marac_escalation_window_days = settings.marac_escalation_window_days
    service.referral_response_working_days = settings.referral_response_working_days


def service_settings_of(service: Service) -> ServiceSettings:
    """A service's settings as they are now, e.g. to fill its edit form."""
    return ServiceSettings(
        name=service.name,
        jurisdiction=service.jurisdiction,
        intervention_types=frozenset(service.intervention_types_offered()),
        delivery=service.delivery,
        iss_provision=service.iss_provision,
        external_iss_organisation=service.external_iss_organisation,
        partnership_agreement_signed_on=service.partnership_agreement_signed_on,
        information_sharing_agreement_signed_on=service.information_sharing_agreement_signed_on,
        has_youth_provision=service.has_youth_provision,
        dash_high_risk_threshold=service.dash_high_risk_threshold,
        marac_escalation_incidents=service.marac_escalation_incidents,
        marac_escalation_window_days=service.marac_escalation_window_days,
        referral_response_working_days=service.referral_response_working_days,
    )


@transaction.atomic
def service_create(
    *,
    organisation: Organisation,
    settings: ServiceSettings,
    actor: User,
    now: datetime | None = None,
) -> Service:
    today = timezone.localdate(now or timezone.now())
    _validate_service(organisation=organisation, settings=settings, today=today, exclude_pk=None)
    service = Service(organisation=organisation)
    _apply(service=service, settings=settings)
    service.save()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=service,
        summary="service recorded",
        after=model_snapshot(instance=service),
    )
    return service


@transaction.atomic
def service_update(
    *,
    service: Service,
    settings: ServiceSettings,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> Service:
    """Change a service's settings. Its organisation never changes: the service is what that
    organisation is assessed and accredited for."""
    today = timezone.localdate(now or timezone.now())
    current = Service.objects.select_for_update().select_related("organisation").get(pk=service.pk)
    if current.version != expected_version:
        raise StaleRecord(f"the service {current.name}")
    _validate_service(
        organisation=current.organisation, settings=settings, today=today, exclude_pk=current.pk
    )
    before = model_snapshot(instance=current)
    _apply(service=current, settings=settings)
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        summary="service settings changed",
        before=before,
        after=model_snapshot(instance=current),
    )
    return current


# Staff memberships


def side_refusal(*, user: User, side: str) -> ActionRefused | None:
    """Rule not-same-staff (R22 C1.5, NE 5.3): the ISS is not delivered by staff who deliver
    the perpetrator intervention, so only a manager works on both sides. Every other side needs
    a role that works on it (management: a manager who sees no case records)."""
    if side not in Side.values:
        return ActionRefused(
            "choose their side: perpetrator work, ISS, both or management", field="side"
        )
    roles = roles_of(user)
    if side == Side.BOTH and not roles & MANAGER_ROLES:
        return ActionRefused(
            f"only someone who holds the service manager or practice manager role can work on "
            f"both sides, and {person_name(user)} holds neither: choose one side",
            rule_id="not-same-staff",
            field="side",
        )
    if not roles & SIDE_ROLES[Side(side)]:
        return ActionRefused(
            f"{person_name(user)} holds no role that works there ({Side(side).label}): that "
            f"needs a {SIDE_ROLE_NAMES[Side(side)]}",
            field="side",
        )
    return None


@transaction.atomic
def staff_membership_add(
    *,
    service: Service,
    user: User,
    side: str,
    is_senior_manager: bool,
    started_on: date,
    actor: User,
    now: datetime | None = None,
) -> StaffMembership:
    today = timezone.localdate(now or timezone.now())
    if not user.is_active:
        raise ActionRefused(f"{user.get_username()}'s account is deactivated", field="user")
    refusal = side_refusal(user=user, side=side)
    if refusal is not None:
        raise refusal
    if is_senior_manager and not roles_of(user) & MANAGER_ROLES:
        raise ActionRefused(
            f"a senior manager must hold the service manager or practice manager role, and "
            f"{person_name(user)} holds neither",
            field="is_senior_manager",
        )
    _refuse_future(value=started_on, field="started_on", what="the day they started", today=today)
    # Locked, so two people adding the same person at once cannot both pass the check.
    overlapping = (
        StaffMembership.objects.select_for_update()
        .filter(user=user, service=service)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=started_on))
        .order_by("-started_on")
        .first()
    )
    if overlapping is not None:
        if overlapping.ended_on is None or overlapping.ended_on >= today:
            raise ActionRefused(
                f"{person_name(user)} already works in this service (since "
                f"{overlapping.started_on:%-d %b %Y}): end that membership first",
                field="user",
            )
        raise ActionRefused(
            f"{person_name(user)} worked in this service until {overlapping.ended_on:%-d %b %Y}:"
            " a new membership starts after that",
            field="started_on",
        )
    try:
        with transaction.atomic():
            membership = StaffMembership.objects.create(
                user=user,
                service=service,
                side=side,
                is_senior_manager=is_senior_manager,
                started_on=started_on,
            )
    except IntegrityError as error:
        raise ActionRefused(
            f"{person_name(user)} already works in this service: end that membership first",
            field="user",
        ) from error
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=membership,
        summary=f"joined {service.name}: {Side(side).label}"
        + (", senior manager" if is_senior_manager else ""),
        after=model_snapshot(instance=membership),
    )
    return membership


@transaction.atomic
def staff_membership_end(
    *, membership: StaffMembership, ended_on: date, actor: User
) -> StaffMembership:
    """Record the last day someone works in a service; from the day after, the barrier lets
    them see nothing of it. The day may be ahead (notice given)."""
    current = (
        StaffMembership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    )
    if current.ended_on is not None:
        raise ActionRefused(
            f"this membership already ended on {current.ended_on:%-d %b %Y}", field="ended_on"
        )
    if ended_on < current.started_on:
        raise ActionRefused(
            f"the last day cannot be before they started ({current.started_on:%-d %b %Y})",
            field="ended_on",
        )
    before = model_snapshot(instance=current)
    current.ended_on = ended_on
    current.save(update_fields=["ended_on"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        summary=f"membership ended on {ended_on:%-d %b %Y}",
        before=before,
        after=model_snapshot(instance=current),
    )
    return current
