"""Who may do what in the 2008 audit, the Welsh checklist, the West Midlands self-evaluation and
self-assessment. Which assessment someone can open is `checklists.selectors`' decision (404);
these decide whether they may open the pages at all, and act in one they can open (taking the
assessment, or for a step that starts one, the service).
"""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role
from tandem.assurance.checklists.selectors import CHECKLIST_PROCESSES, commissions
from tandem.assurance.models import Assessment, AssessmentParticipant, Part
from tandem.assurance.predicates import acts_as, manages_assessed_service
from tandem.organisations.models import Service

VIEW_CHECKLISTS = "assurance.view_checklists"
# The 2008 audit: Respect's lead assessors open audits and record outcomes
# (`tandem.assurance.rules.COORDINATE`); the service (or Respect) names the link person, who
# agrees the schedule; the audit's lead assessor schedules, records the visit and reports;
# either assessor judges.
NAME_LINK_PERSON = "assurance.name_link_person"
AGREE_AUDIT_SCHEDULE = "assurance.agree_audit_schedule"
LEAD_AUDIT = "assurance.lead_audit"
AUDIT = "assurance.audit"
# The Welsh checklist: commissioners of the service (`COMMISSION_SERVICE` to start one,
# `COMMISSION` in one); administrators record who commissions what, and local partnerships.
VIEW_COMMISSIONING = "assurance.view_commissioning"
COMMISSION = "assurance.commission"
COMMISSION_SERVICE = "assurance.commission_service"
MANAGE_COMMISSIONING = "assurance.manage_commissioning"
# The West Midlands self-evaluation and self-assessment: the service's managers rate; a
# declared peer reviewer reviews; commissioner members of a partnership see its results.
START_SELF_EVALUATION = "assurance.start_self_evaluation"
SELF_EVALUATE = "assurance.self_evaluate"
PEER_REVIEW = "assurance.peer_review"
VIEW_PARTNERSHIPS = "assurance.view_partnerships"


@rules.predicate
def takes_part_in_a_checklist(user: object) -> bool:
    """A link person or peer reviewer may hold any role: their part lets them in."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return False
    return AssessmentParticipant.objects.filter(
        user_id=pk,
        part__in=[Part.LINK_PERSON, Part.PEER_REVIEWER],
        assessment__process__in=CHECKLIST_PROCESSES,
    ).exists()


@rules.predicate
def commissions_service(user: object, service: Service | None) -> bool:
    if service is None:
        return False
    return commissions(user=user, service=service)  # type: ignore[arg-type]


@rules.predicate
def commissions_assessed_service(user: object, assessment: Assessment | None) -> bool:
    if assessment is None:
        return False
    return commissions(user=user, service=assessment.service)  # type: ignore[arg-type]


CHECKLIST_ROLES = (Role.SERVICE_MANAGER, Role.LEAD_ASSESSOR, Role.ASSESSOR, Role.COMMISSIONER)

rules.add_perm(VIEW_CHECKLISTS, holds_role(*CHECKLIST_ROLES) | takes_part_in_a_checklist)
rules.add_perm(NAME_LINK_PERSON, manages_assessed_service | holds_role(Role.LEAD_ASSESSOR))
rules.add_perm(AGREE_AUDIT_SCHEDULE, acts_as(Part.LINK_PERSON))
rules.add_perm(LEAD_AUDIT, acts_as(Part.LEAD_ASSESSOR))
rules.add_perm(AUDIT, acts_as(Part.LEAD_ASSESSOR, Part.SECOND_ASSESSOR))
rules.add_perm(VIEW_COMMISSIONING, holds_role(Role.COMMISSIONER))
rules.add_perm(COMMISSION, commissions_assessed_service)
rules.add_perm(COMMISSION_SERVICE, commissions_service)
rules.add_perm(MANAGE_COMMISSIONING, holds_role(Role.ADMINISTRATOR))
rules.add_perm(START_SELF_EVALUATION, holds_role(Role.SERVICE_MANAGER))
rules.add_perm(SELF_EVALUATE, manages_assessed_service)
rules.add_perm(PEER_REVIEW, acts_as(Part.PEER_REVIEWER))
rules.add_perm(VIEW_PARTNERSHIPS, holds_role(Role.COMMISSIONER))
