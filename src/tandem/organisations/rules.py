"""Who may see and change services and their staff: administrators everywhere; a senior manager
of a service, that service. Which service someone can open at all is the selectors' decision
(404 outside theirs); these rules decide whether they may open the pages at all (403)."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role
from tandem.organisations.models import Service
from tandem.organisations.selectors import is_senior_manager_of, senior_managed_services

VIEW_SERVICES = "organisations.view_services"
CREATE_ORGANISATION = "organisations.create_organisation"
CREATE_SERVICE = "organisations.create_service"
MANAGE_SERVICE = "organisations.manage_service"

is_administrator = holds_role(Role.ADMINISTRATOR)


@rules.predicate
def is_a_senior_manager(user: object) -> bool:
    return senior_managed_services(user=user).exists()  # type: ignore[arg-type]


@rules.predicate
def is_senior_manager_of_service(user: object, service: Service | None) -> bool:
    return service is not None and is_senior_manager_of(user=user, service=service)  # type: ignore[arg-type]


rules.add_perm(VIEW_SERVICES, is_administrator | is_a_senior_manager)
rules.add_perm(CREATE_ORGANISATION, is_administrator)
rules.add_perm(CREATE_SERVICE, is_administrator)
rules.add_perm(MANAGE_SERVICE, is_administrator | is_senior_manager_of_service)
