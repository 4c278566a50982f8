"""Who may read the audit trail: those who answer for the service, not those who do the work;
and, across the whole trail of their organisation, its data protection officer."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role

# One record's trail, beside the record.
VIEW_TRAIL = "audit.view_trail"
# The whole trail, filtered by record, person and date; downloadable.
READ_WHOLE_TRAIL = "audit.read_whole_trail"

rules.add_perm(VIEW_TRAIL, holds_role(Role.SERVICE_MANAGER, Role.ADMINISTRATOR))
rules.add_perm(READ_WHOLE_TRAIL, holds_role(Role.DATA_PROTECTION_OFFICER))
