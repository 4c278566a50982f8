"""Who may do what in a Respect accreditation (rule respect-accreditation).

Which accreditations someone can open is `respect.selectors`' decision (404 otherwise, and for an
assessor, verifier or panel member until they have declared no conflict of interest). These
permissions decide what they may do with one they can open, taking the assessment; the
certificate's takes the `AssessmentAccess` with which the reader opened it. The separation of
duties is `gates.duty_conflict`'s, asked both when someone is given a part and when they act.
"""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role
from tandem.assurance.gates import ASSESSING_PARTS, SERVICE_PARTS
from tandem.assurance.models import Assessment, Part
from tandem.assurance.predicates import acts_as, manages_assessed_service
from tandem.assurance.respect.selectors import AssessmentAccess
from tandem.organisations.selectors import is_senior_manager_of

VIEW_ASSESSMENTS = "assurance.view_assessments"
APPLY_FOR_ACCREDITATION = "assurance.apply_for_accreditation"
# The service's manager prepares and submits its evidence, and meets a deferral's conditions.
PREPARE_EVIDENCE = "assurance.prepare_evidence"
ASSESS = "assurance.assess"
VERIFY = "assurance.verify"
DECIDE = "assurance.decide"
VIEW_CERTIFICATE = "assurance.view_certificate"
APPEAL = "assurance.appeal"
HEAR_APPEAL = "assurance.hear_appeal"

ASSURANCE_ROLES = (
    Role.SERVICE_MANAGER,
    Role.ASSESSOR,
    Role.LEAD_ASSESSOR,
    Role.INTERNAL_VERIFIER,
    Role.PANEL_MEMBER,
    Role.COMMISSIONER,
)

rules.add_perm(VIEW_ASSESSMENTS, holds_role(*ASSURANCE_ROLES))
rules.add_perm(APPLY_FOR_ACCREDITATION, holds_role(Role.SERVICE_MANAGER))
rules.add_perm(PREPARE_EVIDENCE, manages_assessed_service)
rules.add_perm(ASSESS, acts_as(*ASSESSING_PARTS))
rules.add_perm(VERIFY, acts_as(Part.INTERNAL_VERIFIER))
rules.add_perm(DECIDE, acts_as(Part.PANEL_MEMBER))


@rules.predicate
def reads_certificate(user: object, access: AssessmentAccess | None) -> bool:
    """A Respect accreditation's certificate (`views.certificate`): the assessed service's
    managers and contacts, its declared assessors and panel members; not the verifier, nor a
    lead assessor who only runs the process."""
    if not isinstance(access, AssessmentAccess):
        return False
    return access.manages_service or bool(
        access.parts & (SERVICE_PARTS | ASSESSING_PARTS | {Part.PANEL_MEMBER})
    )


rules.add_perm(VIEW_CERTIFICATE, reads_certificate)


# After the panel (`services.lifecycle`): a senior manager of the assessed service appeals; a
# declared panel member hears it (`gates.appeal_conflict` keeps out whoever decided); a lead
# assessor allocates the appeal panel (`tandem.assurance.rules.COORDINATE`).


@rules.predicate
def senior_manager_of_assessed_service(user: object, assessment: Assessment | None) -> bool:
    if assessment is None:
        return False
    return is_senior_manager_of(user=user, service=assessment.service)  # type: ignore[arg-type]


rules.add_perm(APPEAL, senior_manager_of_assessed_service)
rules.add_perm(HEAR_APPEAL, acts_as(Part.PANEL_MEMBER))
