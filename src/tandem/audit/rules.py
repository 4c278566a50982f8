"""Who may read the audit trail: those who answer for the service, not those who do the work."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role

rules.add_perm("audit.view_trail", holds_role(Role.SERVICE_MANAGER, Role.ADMINISTRATOR))
