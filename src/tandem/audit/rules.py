"""Who may read the audit trail: those who answer for the service, not those who do the work."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role

VIEW_TRAIL = "audit.view_trail"

rules.add_perm(VIEW_TRAIL, holds_role(Role.SERVICE_MANAGER, Role.ADMINISTRATOR))
