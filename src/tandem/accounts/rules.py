"""Who may see and change people's accounts: administrators only."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role

VIEW_USERS = "accounts.view_users"
DEACTIVATE_USER = "accounts.deactivate_user"

is_administrator = holds_role(Role.ADMINISTRATOR)

rules.add_perm(VIEW_USERS, is_administrator)
rules.add_perm(DEACTIVATE_USER, is_administrator)
