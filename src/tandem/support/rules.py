"""Who may do what with ISS records: only the ISS side of the survivor's service."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import ISS_WORK_ROLES, MANAGER_ROLES, PERPETRATOR_WORK_ROLES, Role
from tandem.organisations.selectors import iss_side_services, perpetrator_side_services
from tandem.support.models import IssCase, SharedRiskNote, Survivor


@rules.predicate
def works_iss_side_of(user: object, iss_case: IssCase | None) -> bool:
    if iss_case is None:
        return False
    return iss_side_services(user=user).filter(pk=iss_case.survivor.service_id).exists()  # type: ignore[arg-type]


@rules.predicate
def works_iss_side_of_her_service(user: object, survivor: Survivor | None) -> bool:
    if survivor is None:
        return False
    return iss_side_services(user=user).filter(pk=survivor.service_id).exists()  # type: ignore[arg-type]


@rules.predicate
def works_iss_side_of_note_source(user: object, note: SharedRiskNote | None) -> bool:
    """On the ISS side of the service of the survivor whose ISS case the note came from."""
    if note is None:
        return False
    service_id = note.source_iss_case.survivor.service_id
    return iss_side_services(user=user).filter(pk=service_id).exists()  # type: ignore[arg-type]


@rules.predicate
def works_perpetrator_side_of_note_case(user: object, note: SharedRiskNote | None) -> bool:
    """On the perpetrator side of the service of the case the note is for."""
    if note is None:
        return False
    service_id = note.perpetrator_case.service_id
    return perpetrator_side_services(user=user).filter(pk=service_id).exists()  # type: ignore[arg-type]


# The permission names, for views, APIs and services to import (templates say perms.support.*).
VIEW_ISS_CASE_LIST = "support.view_iss_case_list"
VIEW_ISS_CASE = "support.view_iss_case"
APPROVE_SHARED_RISK_NOTES = "support.approve_shared_risk_notes"
CHANGE_ISS_CASE = "support.change_iss_case"
WORK_WITH_SURVIVOR = "support.work_with_survivor"
GIVE_ISS_MANAGER_APPROVAL = "support.give_iss_manager_approval"
GIVE_SERVICE_MANAGER_APPROVAL = "support.give_service_manager_approval"

rules.add_perm(VIEW_ISS_CASE_LIST, holds_role(*ISS_WORK_ROLES))
# One ISS case is asked of anyone who does case work on either side: the selector then answers
# 404 to everyone off the ISS side of her service, so a perpetrator worker learns no more about
# her record than about one that does not exist. People who do no case work get a 403.
rules.add_perm(VIEW_ISS_CASE, holds_role(*(ISS_WORK_ROLES | PERPETRATOR_WORK_ROLES)))
# Managers approve shared risk notes: the ISS manager, and for ICM also the service manager
# (`shared_risk_note_approve` decides which approval each may give).
rules.add_perm(APPROVE_SHARED_RISK_NOTES, holds_role(*MANAGER_ROLES))
rules.add_perm(CHANGE_ISS_CASE, works_iss_side_of)
# Linking her to another of her service's cases, settling a possible duplicate of her record and
# writing a risk note for one of her perpetrators' cases: the ISS side of her service only (rule
# survivor-confidentiality).
rules.add_perm(WORK_WITH_SURVIVOR, works_iss_side_of_her_service)
# A shared risk note's approvals (rule survivor-confidentiality): first the ISS manager, a service
# or practice manager on the ISS side of her service; then, for intensive case management, the
# service manager on the perpetrator side of his service (R22-I B3.3: both service managers agree).
rules.add_perm(
    GIVE_ISS_MANAGER_APPROVAL, holds_role(*MANAGER_ROLES) & works_iss_side_of_note_source
)
rules.add_perm(
    GIVE_SERVICE_MANAGER_APPROVAL,
    holds_role(Role.SERVICE_MANAGER) & works_perpetrator_side_of_note_case,
)
