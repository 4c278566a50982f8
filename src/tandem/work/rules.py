"""Who may see a work list of due tasks: anyone who does case work on either side."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import ISS_WORK_ROLES, PERPETRATOR_WORK_ROLES

VIEW_MY_WORK = "work.view_my_work"

rules.add_perm(VIEW_MY_WORK, holds_role(*(PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES)))
