"""Who may do what in an assessment, and the separation of duties between them.

Which assessments someone can open at all is the selectors' decision (404 otherwise, and for an
assessor, verifier or panel member until they have declared no conflict of interest). These
permissions decide what they may do with one they can open; `duty_conflict` is the separation of
duties, asked both when someone is given a part and when they act in it.
"""

import rules
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from tandem.access.predicates import holds_role
from tandem.access.roles import Role
from tandem.assurance import lifecycle_rules, workflow
from tandem.assurance.models import (
    Assessment,
    AssessmentParticipant,
    AssessorReport,
    MethodJudgement,
    PanelDecision,
    Part,
    ReportVerification,
    RequirementRecord,
)
from tandem.assurance.selectors import AssessmentAccess, declared_parts, managed_services
from tandem.organisations.selectors import current_memberships, is_senior_manager_of

User = AbstractBaseUser | AnonymousUser

ASSESSING_PARTS = frozenset({Part.ASSESSOR, Part.LEAD_ASSESSOR, Part.SECOND_ASSESSOR})

# The Tandem roles that may be given each part.
PART_ROLES: dict[Part, frozenset[Role]] = {
    Part.ASSESSOR: frozenset({Role.ASSESSOR, Role.LEAD_ASSESSOR}),
    Part.LEAD_ASSESSOR: frozenset({Role.LEAD_ASSESSOR}),
    Part.SECOND_ASSESSOR: frozenset({Role.ASSESSOR, Role.LEAD_ASSESSOR}),
    Part.INTERNAL_VERIFIER: frozenset({Role.INTERNAL_VERIFIER}),
    Part.PANEL_MEMBER: frozenset({Role.PANEL_MEMBER}),
    Part.LINK_PERSON: frozenset({Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER}),
    Part.COMMISSIONER: frozenset({Role.COMMISSIONER}),
    Part.PEER_REVIEWER: frozenset(Role),
    Part.SERVICE_CONTACT: frozenset({Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER}),
}

# Who must be independent of the service: they declare no conflict of interest before they see
# anything of it, and cannot work in it.
INDEPENDENT_PARTS = ASSESSING_PARTS | {
    Part.INTERNAL_VERIFIER,
    Part.PANEL_MEMBER,
    Part.PEER_REVIEWER,
}


def _person(user: object) -> str:
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or getattr(user, "username", "This person"))


def _has_assessed(*, assessment: Assessment, user_id: int) -> bool:
    return (
        RequirementRecord.objects.filter(assessment=assessment, judged_by_id=user_id).exists()
        or MethodJudgement.objects.filter(
            record__assessment=assessment, judged_by_id=user_id
        ).exists()
        or AssessorReport.objects.filter(assessment=assessment, submitted_by_id=user_id).exists()
    )


def _has_verified(*, assessment: Assessment, user_id: int) -> bool:
    return ReportVerification.objects.filter(assessment=assessment, verified_by_id=user_id).exists()


def _has_decided(*, assessment: Assessment, user_id: int) -> bool:
    return PanelDecision.objects.filter(assessment=assessment, decided_by_id=user_id).exists()


def duty_conflict(*, assessment: Assessment, user: User, part: Part) -> str | None:
    """Why this person cannot take (or act in) `part` in this assessment, or None.

    The assessor cannot verify their own report; panel members can be neither the assessor nor
    the verifier; and no one assesses, verifies or decides on a service they work in. Both the
    parts people hold and what they have already done count."""
    if part not in INDEPENDENT_PARTS or not user.is_authenticated:
        return None
    name = _person(user)
    if current_memberships(user=user).filter(service_id=assessment.service_id).exists():
        return (
            f"{name} works in {assessment.service.name}: no one assesses, verifies or decides "
            "on their own service"
        )
    parts = set(
        AssessmentParticipant.objects.filter(assessment=assessment, user_id=user.pk).values_list(
            "part", flat=True
        )
    )
    assessor = bool(parts & ASSESSING_PARTS) or _has_assessed(
        assessment=assessment, user_id=user.pk
    )
    verifier = Part.INTERNAL_VERIFIER in parts or _has_verified(
        assessment=assessment, user_id=user.pk
    )
    panel = Part.PANEL_MEMBER in parts or _has_decided(assessment=assessment, user_id=user.pk)
    if part == Part.INTERNAL_VERIFIER and assessor:
        return (
            f"{name} is an assessor of this assessment: the assessor cannot verify their own report"
        )
    if part == Part.PANEL_MEMBER and (assessor or verifier):
        which = "an assessor" if assessor else "the internal verifier"
        return (
            f"{name} is {which} of this assessment: panel members cannot be the assessor or "
            "the verifier"
        )
    if part in ASSESSING_PARTS and (verifier or panel):
        which = "the internal verifier" if verifier else "a panel member"
        return f"{name} is {which} of this assessment and cannot also assess it"
    if part == Part.PANEL_MEMBER:
        return lifecycle_rules.appeal_conflict(assessment=assessment, user_id=user.pk, name=name)
    return None


@rules.predicate
def manages_assessed_service(user: object, assessment: Assessment | None) -> bool:
    """A service manager working in the assessed service: who prepares and submits its evidence."""
    if assessment is None:
        return False
    return managed_services(user=user).filter(pk=assessment.service_id).exists()  # type: ignore[arg-type]


def acts_as(*parts: Part) -> rules.Predicate:
    """Holds one of `parts` in the assessment and has declared no conflict of interest."""
    wanted = frozenset(parts)

    def check(user: object, assessment: Assessment | None) -> bool:
        if assessment is None:
            return False
        return bool(declared_parts(user=user, assessment=assessment) & wanted)  # type: ignore[arg-type]

    return rules.Predicate(check, name=f"acts_as({', '.join(sorted(wanted))})")


ASSURANCE_ROLES = (
    Role.SERVICE_MANAGER,
    Role.ASSESSOR,
    Role.LEAD_ASSESSOR,
    Role.INTERNAL_VERIFIER,
    Role.PANEL_MEMBER,
    Role.COMMISSIONER,
)

rules.add_perm("assurance.view_assessments", holds_role(*ASSURANCE_ROLES))
rules.add_perm("assurance.apply_for_accreditation", holds_role(Role.SERVICE_MANAGER))
# Lead assessors run the process: they allocate assessors, verifiers and panel members, and
# refer a verified report to the panel.
rules.add_perm("assurance.coordinate", holds_role(Role.LEAD_ASSESSOR))
rules.add_perm("assurance.prepare_evidence", manages_assessed_service)
rules.add_perm("assurance.assess", acts_as(*ASSESSING_PARTS))
rules.add_perm("assurance.verify", acts_as(Part.INTERNAL_VERIFIER))
rules.add_perm("assurance.decide", acts_as(Part.PANEL_MEMBER))


# Reports and exports. The object is the `selectors.AssessmentAccess` with which the reader opened
# the assessment (who they are in it).

# Who reads the assessor's report while it is written, verified and decided on.
ASSESSOR_REPORT_READERS = ASSESSING_PARTS | {Part.INTERNAL_VERIFIER, Part.PANEL_MEMBER}
# Parts held for the assessed service itself.
SERVICE_PARTS = frozenset({Part.SERVICE_CONTACT, Part.LINK_PERSON})


@rules.predicate
def reads_assessor_report(user: object, access: AssessmentAccess | None) -> bool:
    """The declared assessors, internal verifier and panel members; the assessed service only
    once the findings are released (`workflow.findings_released`)."""
    if access is None:
        return False
    if access.parts & ASSESSOR_REPORT_READERS:
        return True
    assessment = access.assessment
    return (access.manages_service or bool(access.parts & SERVICE_PARTS)) and (
        workflow.findings_released(process=assessment.process, state=assessment.state)
    )


@rules.predicate
def reads_findings(user: object, access: AssessmentAccess | None) -> bool:
    return access is not None and access.sees_findings


@rules.predicate
def reads_evidence(user: object, access: AssessmentAccess | None) -> bool:
    return access is not None and access.sees_evidence


def access_permits(*, user: User, permission: str, access: AssessmentAccess) -> bool:
    """Whether `permission` holds for this person on the assessment they opened (these rules
    take the `AssessmentAccess`, not the assessment)."""
    has_perm = getattr(user, "has_perm", None)
    return bool(has_perm and has_perm(permission, access))


rules.add_perm("assurance.read_assessor_report", reads_assessor_report)
# The findings requirement by requirement (the generic report, the CSV and XLSX tables).
rules.add_perm("assurance.read_findings", reads_findings)
# The evidence pack: every document the assessment cites.
rules.add_perm("assurance.export_evidence", reads_evidence)


@rules.predicate
def reads_certificate(user: object, access: AssessmentAccess | None) -> bool:
    """A Respect accreditation's certificate (`certificate_views`): the assessed service's
    managers and contacts, its declared assessors and panel members; not the verifier, nor a
    lead assessor who only runs the process."""
    if access is None:
        return False
    return access.manages_service or bool(
        access.parts & (SERVICE_PARTS | ASSESSING_PARTS | {Part.PANEL_MEMBER})
    )


rules.add_perm("assurance.view_certificate", reads_certificate)


# The 2008 audit, the Welsh checklist, the West Midlands self-evaluation and self-assessment
# (`checklist_*.py`). Which assessment someone can open is `checklist_selectors`' decision (404);
# these decide whether they may open the pages at all, and act in one they can open.

from tandem.assurance import checklist_selectors  # noqa: E402


@rules.predicate
def takes_part_in_a_checklist(user: object) -> bool:
    """A link person or peer reviewer may hold any role: their part lets them in."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return False
    return AssessmentParticipant.objects.filter(
        user_id=pk,
        part__in=[Part.LINK_PERSON, Part.PEER_REVIEWER],
        assessment__process__in=checklist_selectors.CHECKLIST_PROCESSES,
    ).exists()


@rules.predicate
def commissions_assessed_service(user: object, assessment: Assessment | None) -> bool:
    if assessment is None:
        return False
    return checklist_selectors.commissions(user=user, service=assessment.service)  # type: ignore[arg-type]


CHECKLIST_ROLES = (Role.SERVICE_MANAGER, Role.LEAD_ASSESSOR, Role.ASSESSOR, Role.COMMISSIONER)

rules.add_perm(
    "assurance.view_checklists", holds_role(*CHECKLIST_ROLES) | takes_part_in_a_checklist
)
# The 2008 audit: Respect's lead assessors open audits and record outcomes ("coordinate"); the
# service (or Respect) names the link person, who agrees the schedule; the audit's lead assessor
# schedules, records the visit and reports; either assessor judges.
rules.add_perm(
    "assurance.name_link_person", manages_assessed_service | holds_role(Role.LEAD_ASSESSOR)
)
rules.add_perm("assurance.agree_audit_schedule", acts_as(Part.LINK_PERSON))
rules.add_perm("assurance.lead_audit", acts_as(Part.LEAD_ASSESSOR))
rules.add_perm("assurance.audit", acts_as(Part.LEAD_ASSESSOR, Part.SECOND_ASSESSOR))
# The Welsh checklist: commissioners of the service.
rules.add_perm("assurance.view_commissioning", holds_role(Role.COMMISSIONER))
rules.add_perm("assurance.commission", commissions_assessed_service)
rules.add_perm("assurance.manage_commissioning", holds_role(Role.ADMINISTRATOR))
# The West Midlands self-evaluation and self-assessment: the service's managers rate; a
# declared peer reviewer reviews; commissioner members of a partnership see its results.
rules.add_perm("assurance.start_self_evaluation", holds_role(Role.SERVICE_MANAGER))
rules.add_perm("assurance.self_evaluate", manages_assessed_service)
rules.add_perm("assurance.peer_review", acts_as(Part.PEER_REVIEWER))
rules.add_perm("assurance.view_partnerships", holds_role(Role.COMMISSIONER))


# Respect accreditation after the panel (`lifecycle_*.py`): a senior manager of the assessed
# service appeals; a declared panel member hears it (`lifecycle_rules.appeal_conflict` keeps out
# whoever decided); a lead assessor allocates the appeal panel ("coordinate").


@rules.predicate
def senior_manager_of_assessed_service(user: object, assessment: Assessment | None) -> bool:
    if assessment is None:
        return False
    return is_senior_manager_of(user=user, service=assessment.service)  # type: ignore[arg-type]


rules.add_perm("assurance.appeal", senior_manager_of_assessed_service)
rules.add_perm("assurance.hear_appeal", acts_as(Part.PANEL_MEMBER))
