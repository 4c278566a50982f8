"""Reads of legal holds, scoped to the person asking."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404

from tandem.cases.models import PerpetratorCase
from tandem.dataprotection.models import LegalHold
from tandem.organisations.selectors import senior_managed_services
from tandem.support.models import IssCase


def legal_holds_for_user(*, user: User) -> QuerySet[LegalHold]:
    """The holds on cases of the services this person senior-manages, standing ones first."""
    services = senior_managed_services(user=user)
    return (
        LegalHold.objects.filter(
            Q(perpetrator_case__service__in=services) | Q(iss_case__survivor__service__in=services)
        )
        .select_related("perpetrator_case", "iss_case", "placed_by", "lifted_by")
        .order_by("lifted_at", "-placed_at", "-pk")
    )


def legal_hold_get_for_user(*, user: User, hold_id: int) -> LegalHold:
    hold = legal_holds_for_user(user=user).filter(pk=hold_id).first()
    if hold is None:
        raise Http404("No such legal hold among yours")
    return hold


def held_case_get_for_user(
    *, user: User, case_reference: str | None, iss_case_id: int | None
) -> PerpetratorCase | IssCase:
    """The case a hold is to be placed on, among those of the services they senior-manage."""
    services = senior_managed_services(user=user)
    found: PerpetratorCase | IssCase | None
    if case_reference:
        found = PerpetratorCase.objects.filter(
            service__in=services, reference=case_reference
        ).first()
    else:
        found = (
            IssCase.objects.select_related("survivor__service")
            .filter(survivor__service__in=services, pk=iss_case_id)
            .first()
        )
    if found is None:
        raise Http404("No such case among yours")
    return found
