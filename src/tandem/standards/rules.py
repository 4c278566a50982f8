"""Who may read the standards library: everyone who holds a Tandem role.

The library is published material, but Tandem shows it only to signed-in people with a role,
like every other page, so that one rule governs the whole application.
"""

import rules

from tandem.access.predicates import holds_any_role

VIEW_LIBRARY = "standards.view_library"

rules.add_perm(VIEW_LIBRARY, holds_any_role)
