"""The separation of duties every process keeps (rules.md section 6): who may take which part in
an assessment, and who may not act in one because of another part they hold, or held.

`duty_conflict` is asked both when someone is given a part and when they act in it;
`appeal_conflict` keeps the panel members who decided a Respect accreditation's decision out of
hearing its appeal (rule respect-accreditation).
"""

from tandem.access.roles import Person, Role
from tandem.assurance.models import (
    AppealOutcome,
    Assessment,
    AssessmentParticipant,
    AssessorReport,
    MethodJudgement,
    PanelDecision,
    Part,
    ReportVerification,
    RequirementRecord,
)
from tandem.lib.people import person_name
from tandem.organisations.selectors import current_memberships

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

# Parts held for the assessed service itself.
SERVICE_PARTS = frozenset({Part.SERVICE_CONTACT, Part.LINK_PERSON})


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


def duty_conflict(*, assessment: Assessment, user: Person, part: Part) -> str | None:
    """Why this person cannot take (or act in) `part` in this assessment, or None.

    The assessor cannot verify their own report; panel members can be neither the assessor nor
    the verifier; and no one assesses, verifies or decides on a service they work in. Both the
    parts people hold and what they have already done count."""
    if part not in INDEPENDENT_PARTS or not user.is_authenticated:
        return None
    name = person_name(user)
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
        return appeal_conflict(assessment=assessment, user_id=user.pk, name=name)
    return None


def original_deciders(decision: PanelDecision) -> frozenset[int]:
    """Who decided: the panel member who recorded the decision and every panel member, declared
    free of conflict, who was on the panel when it was made."""
    on_panel = AssessmentParticipant.objects.filter(
        assessment_id=decision.assessment_id,
        part=Part.PANEL_MEMBER,
        declaration__no_conflict=True,
        added_at__lte=decision.decided_at,
    ).values_list("user_id", flat=True)
    return frozenset({decision.decided_by_id, *on_panel})


def appeal_conflict(*, assessment: Assessment, user_id: int, name: str) -> str | None:
    """An appeal is heard, and an overturned decision made again, by panel members who did not
    decide it: anyone who recorded or took part in a decision under appeal (or overturned on
    appeal) is refused. An upheld appeal leaves the original panel in place."""
    appeals = assessment.appeals.exclude(outcome=AppealOutcome.UPHELD).select_related("decision")
    for appeal in appeals:
        if user_id in original_deciders(appeal.decision):
            return (
                f"{name} took part in the panel decision of "
                f"{appeal.decision.decided_at:%-d %B %Y} under appeal: an appeal is heard and "
                "decided by panel members who did not decide it"
            )
    return None
