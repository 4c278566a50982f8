"""Who may see and change services and their staff: administrators everywhere; a senior manager
of a service, that service. Which service someone can open at all is the selectors' decision
(404 outside theirs); these rules decide whether they may open the pages at all (403)."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role
from tandem.organisations.models import Service
from tandem.organisations.selectors import is_senior_manager_of, senior_managed_services

is_administrator = holds_role(Role.ADMINISTRATOR)


@rules.predicate
def is_a_senior_manager(user: object) -> bool:
    return senior_managed_services(user=user).exists()  # type: ignore[arg-type]


@rules.predicate
def is_senior_manager_of_service(user: object, service: Service | None) -> bool:
    return service is not None and is_senior_manager_of(user=user, service=service)  # type: ignore[arg-type]


rules.add_perm("organisations.view_services", is_administrator | is_a_senior_manager)
rules.add_perm("organisations.create_organisation", is_administrator)
rules.add_perm("organisations.create_service", is_administrator)
rules.add_perm("organisations.manage_service", is_administrator | is_senior_manager_of_service)


# Governance (issue 5): anyone with a role working in a service reads its policy register
# and acknowledges its policies; its senior managers manage the rest of its governance; the
# service manager alone sees complaints. Which service is the governance selectors' decision
# (404 outside theirs).


@rules.predicate
def works_in_a_service_with_a_role(user: object) -> bool:
    from tandem.organisations.governance_selectors import policy_register_services_for_user

    return policy_register_services_for_user(user=user).exists()  # type: ignore[arg-type]


@rules.predicate
def is_service_manager_of_a_service(user: object) -> bool:
    from tandem.organisations.governance_selectors import complaint_services_for_user

    return complaint_services_for_user(user=user).exists()  # type: ignore[arg-type]


# Roles that assure services rather than work in one: no governance menu for them.
ASSURANCE_ROLES = frozenset(
    {
        Role.ASSESSOR,
        Role.LEAD_ASSESSOR,
        Role.INTERNAL_VERIFIER,
        Role.PANEL_MEMBER,
        Role.COMMISSIONER,
        Role.ADMINISTRATOR,
    }
)


@rules.predicate
def holds_a_service_role(user: object) -> bool:
    """Holds a role people working in a service hold; from the roles alone (no query), so the
    menu costs no page a query. Which services is the governance pages' decision."""
    from tandem.access.roles import roles_of

    return bool(roles_of(user) - ASSURANCE_ROLES)  # type: ignore[arg-type]


rules.add_perm("organisations.show_governance_menu", holds_a_service_role)
rules.add_perm("organisations.read_policy_register", works_in_a_service_with_a_role)
rules.add_perm("organisations.manage_governance", is_a_senior_manager)
rules.add_perm("organisations.manage_complaints", is_service_manager_of_a_service)
