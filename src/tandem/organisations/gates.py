"""Tenancy's gates on other apps' actions, one function per rule in rules.md.

A gate returns a refusal message (naming the person and the rule) or None when it passes.
Allocation of cases (tandem.cases, tandem.support) calls them.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.utils import timezone

from tandem.organisations.models import NamedRole, NamedRoleKind, Service

User = AbstractBaseUser | AnonymousUser


def case_management_lead_refusal(
    *, user: User, service: Service, on: date | None = None
) -> str | None:
    """Rule case-management-lead (R22-S B2.1 guidance: the person responsible for case
    management "does not work directly with perpetrators or survivors"): the lead carries no
    caseload. For case allocation: a message refusing to allocate a case in `service` to `user`
    when they are its case management lead today (or on `on`), else None."""
    day = on or timezone.localdate()
    is_lead = (
        NamedRole.objects.filter(
            service=service,
            kind=NamedRoleKind.CASE_MANAGEMENT_LEAD,
            user_id=user.pk or 0,
            from_date__lte=day,
        )
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=day))
        .exists()
    )
    if is_lead:
        return (
            f"they are the case management lead of {service.name}, who must not carry a "
            "caseload (rule case-management-lead): allocate the case to someone else"
        )
    return None
