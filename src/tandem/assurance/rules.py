"""Who may do what in assurance: the permissions every process shares, and each sub-package's own
(`respect.rules`, `checklists.rules`, `reports.rules`), imported here so that rules'
autodiscovery, which imports this module, registers them.

Which assessments someone can open at all is each process's selectors' decision (404
otherwise). The permissions decide what they may do with one they can open; services ask the
same names (`tandem.access.permissions.refuse_unless_permitted`) before they act.
"""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role
from tandem.assurance.checklists import rules as checklist_rules
from tandem.assurance.predicates import manages_service
from tandem.assurance.reports import rules as report_rules
from tandem.assurance.respect import rules as respect_rules

# Lead assessors run the processes: they allocate assessors, verifiers and panel members, refer a
# verified report to the panel, and open 2008 audits and record their outcomes.
COORDINATE = "assurance.coordinate"
# A service manager working in the service (the target): applies for its accreditation, uploads
# its evidence, starts its self-evaluations and self-assessments, and closes its actions.
MANAGE_SERVICE = "assurance.manage_service"

rules.add_perm(COORDINATE, holds_role(Role.LEAD_ASSESSOR))
rules.add_perm(MANAGE_SERVICE, manages_service)

SUB_PACKAGE_RULES = (respect_rules, checklist_rules, report_rules)
