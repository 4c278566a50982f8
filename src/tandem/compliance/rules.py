"""Who may see a work list of due tasks: anyone who does case work on either side."""

import rules

from tandem.organisations.access import ISS_WORK_ROLES, PERPETRATOR_WORK_ROLES
from tandem.organisations.predicates import holds_role

rules.add_perm("compliance.view_my_work", holds_role(*(PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES)))
