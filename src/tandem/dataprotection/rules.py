"""Who may place and lift legal holds: a senior manager of the case's service (on either side;
the hold names no survivor to the perpetrator side). Asked about a service, for that service;
asked without one, for at least one service they manage (the list of holds)."""

import rules

from tandem.organisations.models import Service
from tandem.organisations.selectors import is_senior_manager_of, senior_managed_services

MANAGE_LEGAL_HOLDS = "dataprotection.manage_legal_holds"


@rules.predicate
def manages_legal_holds_of(user: object, service: Service | None) -> bool:
    if service is None:
        return senior_managed_services(user=user).exists()  # type: ignore[arg-type]
    return is_senior_manager_of(user=user, service=service)  # type: ignore[arg-type]


rules.add_perm(MANAGE_LEGAL_HOLDS, manages_legal_holds_of)
