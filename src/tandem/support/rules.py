"""Who may do what with ISS records: only the ISS side of the survivor's service."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import ISS_WORK_ROLES, MANAGER_ROLES, PERPETRATOR_WORK_ROLES
from tandem.organisations.selectors import iss_side_services
from tandem.support.models import IssCase


@rules.predicate
def works_iss_side_of(user: object, iss_case: IssCase | None) -> bool:
    if iss_case is None:
        return False
    return iss_side_services(user=user).filter(pk=iss_case.survivor.service_id).exists()  # type: ignore[arg-type]


rules.add_perm("support.view_iss_case_list", holds_role(*ISS_WORK_ROLES))
# One ISS case is asked of anyone who does case work on either side: the selector then answers
# 404 to everyone off the ISS side of her service, so a perpetrator worker learns no more about
# her record than about one that does not exist. People who do no case work get a 403.
rules.add_perm("support.view_iss_case", holds_role(*(ISS_WORK_ROLES | PERPETRATOR_WORK_ROLES)))
# Managers approve shared risk notes: the ISS manager, and for ICM also the service manager
# (`shared_risk_note_approve` decides which approval each may give).
rules.add_perm("support.approve_shared_risk_notes", holds_role(*MANAGER_ROLES))
rules.add_perm("support.change_iss_case", works_iss_side_of)
