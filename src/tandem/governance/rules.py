"""Who may open the governance pages and routes, and who may record governance.

Anyone with a role working in a service reads its policy register and acknowledges its
policies; its senior managers manage the rest of its governance; the service manager alone
sees complaints. Which service is the governance selectors' decision (404 outside theirs).

What survivors said stays on the ISS side of the barrier (rule survivor-confidentiality):
feedback from the ISS side and complaints involving a survivor are read only by the managers
who work on the ISS side of the service (`READ_ISS_FEEDBACK`, `READ_SURVIVOR_COMPLAINTS`); the
perpetrator side's managers see how many there are, never their words.

A permission asked about one service (`target`: the service, or a record of it that names it by
`service_id`) holds for that service only; asked without one, for at least one service: the
pages ask that before opening a service, the services ask it about the service they write to.
"""

import rules
from django.db.models import QuerySet

from tandem.access.predicates import holds_role
from tandem.access.roles import Role, roles_of
from tandem.governance.selectors import (
    complaint_services_for_user,
    governance_services_for_user,
    iss_feedback_services_for_user,
    policy_register_services_for_user,
    survivor_complaint_services_for_user,
)
from tandem.organisations.models import Service

SHOW_GOVERNANCE_MENU = "governance.show_governance_menu"
READ_POLICY_REGISTER = "governance.read_policy_register"
MANAGE_GOVERNANCE = "governance.manage_governance"
MANAGE_COMPLAINTS = "governance.manage_complaints"
SEE_COMPLAINTS = "governance.see_complaints"
READ_ISS_FEEDBACK = "governance.read_iss_feedback"
READ_SURVIVOR_COMPLAINTS = "governance.read_survivor_complaints"
# Open one record outside one's normal access, for a reason (services/break_glass.py decides
# which record; the rule decides who may ask).
BREAK_GLASS = "governance.break_glass"

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


def _among(services: QuerySet[Service], target: object) -> bool:
    """Whether `target`'s service is among `services` (any service when there is no target),
    in one query; a record of a service is matched by its `service_id`, without loading it."""
    if target is None:
        return services.exists()
    service_id: int | None = (
        target.pk if isinstance(target, Service) else getattr(target, "service_id", None)
    )
    return service_id is not None and services.filter(pk=service_id).exists()


@rules.predicate
def holds_a_service_role(user: object) -> bool:
    """Holds a role people working in a service hold; from the roles alone (no query), so the
    menu costs no page a query. Which services is the governance pages' decision."""
    return bool(roles_of(user) - ASSURANCE_ROLES)  # type: ignore[arg-type]


@rules.predicate
def works_in_the_service_with_a_role(user: object, target: object) -> bool:
    return _among(policy_register_services_for_user(user=user), target)  # type: ignore[arg-type]


@rules.predicate
def is_senior_manager_of_the_service(user: object, target: object) -> bool:
    return _among(governance_services_for_user(user=user), target)  # type: ignore[arg-type]


@rules.predicate
def is_service_manager_of_the_service(user: object, target: object) -> bool:
    return _among(complaint_services_for_user(user=user), target)  # type: ignore[arg-type]


@rules.predicate
def manages_the_iss_side_of_the_service(user: object, target: object) -> bool:
    return _among(iss_feedback_services_for_user(user=user), target)  # type: ignore[arg-type]


@rules.predicate
def is_service_manager_on_the_iss_side(user: object, target: object) -> bool:
    return _among(survivor_complaint_services_for_user(user=user), target)  # type: ignore[arg-type]


rules.add_perm(SHOW_GOVERNANCE_MENU, holds_a_service_role)
rules.add_perm(READ_POLICY_REGISTER, works_in_the_service_with_a_role)
rules.add_perm(MANAGE_GOVERNANCE, is_senior_manager_of_the_service)
rules.add_perm(MANAGE_COMPLAINTS, is_service_manager_of_the_service)
rules.add_perm(BREAK_GLASS, holds_role(Role.SERVICE_MANAGER))
# Complaints among the governance items of the services someone manages (the calendar, "My
# work"): the service manager's only (WG 18). From the roles alone, as the services are
# already theirs.
rules.add_perm(SEE_COMPLAINTS, holds_role(Role.SERVICE_MANAGER))
# What survivors said (rule survivor-confidentiality): the ISS side's managers only.
rules.add_perm(READ_ISS_FEEDBACK, manages_the_iss_side_of_the_service)
rules.add_perm(READ_SURVIVOR_COMPLAINTS, is_service_manager_on_the_iss_side)
