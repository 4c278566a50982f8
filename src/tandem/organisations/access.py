"""Which services, and which side of each, a person works on: the base of the information barrier.

Case and survivor selectors scope every query with these, so the barrier holds in the query
layer for pages, the API, exports and search alike. Each helper names the sides it lets through,
so someone on the management side (no case records) is let through by none of them.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.organisations.models import Service, Side, StaffMembership
from tandem.organisations.roles import Role, roles_of

User = AbstractBaseUser | AnonymousUser

# Roles that do case work on each side; managers may hold both sides.
PERPETRATOR_WORK_ROLES = frozenset(
    {Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER, Role.PERPETRATOR_WORKER}
)
ISS_WORK_ROLES = frozenset({Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER, Role.ISS_WORKER})
MANAGER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER})


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
