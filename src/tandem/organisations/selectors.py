"""Reads of services and who works in them, scoped to the person asking.

Which services, and which side of each, a person works on (`perpetrator_side_services`,
`iss_side_services`, ...) is the base of the information barrier: case and survivor selectors
scope every query with these, so the barrier holds in the query layer for pages, the API,
exports and search alike. Each helper names the sides it lets through, so someone on the
management side (no case records) is let through by none of them.

Services' settings and staff: an administrator sees every service, a senior manager the
services they manage, and a service they may not see is 404, so its existence is not leaked.
"""

from datetime import date

from django.contrib.auth.models import User as AuthUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import (
    ISS_WORK_ROLES,
    MANAGER_ROLES,
    PERPETRATOR_WORK_ROLES,
    Role,
    roles_of,
)
from tandem.access.roles import Person as User
from tandem.organisations.models import Organisation, Service, Side, StaffMembership


def current_memberships(*, user: User) -> QuerySet[StaffMembership]:
    if not user.is_authenticated:
        return StaffMembership.objects.none()
    today = timezone.localdate()
    return StaffMembership.objects.filter(user_id=user.pk).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today), started_on__lte=today
    )


def perpetrator_side_services(*, user: User) -> QuerySet[Service]:
    """Services where this person works on perpetrator cases."""
    if not roles_of(user) & PERPETRATOR_WORK_ROLES:
        return Service.objects.none()
    memberships = current_memberships(user=user).filter(side__in=[Side.PERPETRATOR, Side.BOTH])
    return Service.objects.filter(pk__in=memberships.values("service"))


def iss_side_services(*, user: User) -> QuerySet[Service]:
    """Services where this person may see survivors' records (the ISS side)."""
    if not roles_of(user) & ISS_WORK_ROLES:
        return Service.objects.none()
    memberships = current_memberships(user=user).filter(side__in=[Side.ISS, Side.BOTH])
    return Service.objects.filter(pk__in=memberships.values("service"))


def case_work_services(*, user: User) -> QuerySet[Service]:
    """Services whose perpetrator cases this person may read: either side (ISS staff see the
    perpetrator case's risk-relevant information)."""
    return perpetrator_side_services(user=user) | iss_side_services(user=user)


def is_senior_manager_of(*, user: User, service: Service) -> bool:
    return (
        bool(roles_of(user) & MANAGER_ROLES)
        and current_memberships(user=user).filter(service=service, is_senior_manager=True).exists()
    )


def senior_managed_services(*, user: User) -> QuerySet[Service]:
    """Services this person is a current senior manager of (on any side): those whose settings
    and staff they manage."""
    if not roles_of(user) & MANAGER_ROLES:
        return Service.objects.none()
    memberships = current_memberships(user=user).filter(is_senior_manager=True)
    return Service.objects.filter(pk__in=memberships.values("service"))


def services_for_user(*, user: User) -> QuerySet[Service]:
    """Services whose settings and staff this person may see."""
    if Role.ADMINISTRATOR in roles_of(user):
        services = Service.objects.all()
    else:
        services = senior_managed_services(user=user)
    return services.select_related("organisation", "external_iss_organisation").order_by(
        "organisation__name", "name", "pk"
    )


def service_get_for_user(*, user: User, service_id: int) -> Service:
    service = services_for_user(user=user).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service")
    return service


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def _memberships_of(*, service: Service) -> QuerySet[StaffMembership]:
    return StaffMembership.objects.filter(service=service).select_related("user")


def current_memberships_of(*, service: Service, today: date) -> QuerySet[StaffMembership]:
    """Who works in the service today, including anyone whose last day is still ahead."""
    return (
        _memberships_of(service=service)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today), started_on__lte=today)
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )


def past_memberships_of(*, service: Service, today: date) -> QuerySet[StaffMembership]:
    """Who worked in the service, latest leaver first."""
    return (
        _memberships_of(service=service)
        .filter(ended_on__lt=today)
        .order_by("-ended_on", "user__last_name", "pk")
    )


def memberships_latest_first_of(*, service: Service) -> QuerySet[StaffMembership]:
    """Everyone who works or worked in the service, latest start first."""
    return _memberships_of(service=service).order_by("-started_on", "-pk")


def membership_get(*, service: Service, membership_id: int) -> StaffMembership:
    membership = _memberships_of(service=service).filter(pk=membership_id).first()
    if membership is None:
        raise Http404("No such staff membership in this service")
    return membership


def user_by_username(*, username: str) -> AuthUser | None:
    """The account with this username (not case-sensitive), if there is one."""
    return AuthUser.objects.filter(username__iexact=username.strip()).first()
