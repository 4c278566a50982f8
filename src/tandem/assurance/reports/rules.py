"""Who may read which report and export of an assessment. The object of each permission is the
access with which the reader opened the assessment (who they are in it): a Respect
accreditation's `respect.selectors.AssessmentAccess`, or a checklist process's
`checklists.selectors.ChecklistAccess`. A permission that is one kind's answers no for the other.
"""

import rules

from tandem.assurance import workflow
from tandem.assurance.checklists.selectors import ChecklistAccess
from tandem.assurance.gates import ASSESSING_PARTS, SERVICE_PARTS
from tandem.assurance.models import Part
from tandem.assurance.respect.selectors import AssessmentAccess

# The Respect assessor's report, while it is written, verified and decided on and once released.
READ_ASSESSOR_REPORT = "assurance.read_assessor_report"
# The findings requirement by requirement (the generic report, the CSV and XLSX tables).
READ_FINDINGS = "assurance.read_findings"
# The evidence pack: every document a Respect accreditation cites.
EXPORT_EVIDENCE = "assurance.export_evidence"
# The report of a checklist process (`definitions.REPORTS`).
READ_CHECKLIST_REPORT = "assurance.read_checklist_report"

# Who reads the assessor's report while it is written, verified and decided on.
ASSESSOR_REPORT_READERS = ASSESSING_PARTS | {Part.INTERNAL_VERIFIER, Part.PANEL_MEMBER}


@rules.predicate
def reads_assessor_report(user: object, access: object) -> bool:
    """The declared assessors, internal verifier and panel members; the assessed service only
    once the findings are released (`workflow.findings_released`)."""
    if not isinstance(access, AssessmentAccess):
        return False
    if access.parts & ASSESSOR_REPORT_READERS:
        return True
    assessment = access.assessment
    return (access.manages_service or bool(access.parts & SERVICE_PARTS)) and (
        workflow.findings_released(process=assessment.process, state=assessment.state)
    )


@rules.predicate
def reads_findings(user: object, access: object) -> bool:
    return isinstance(access, AssessmentAccess | ChecklistAccess) and (access.sees_findings)


@rules.predicate
def reads_evidence(user: object, access: object) -> bool:
    return isinstance(access, AssessmentAccess) and access.sees_evidence


@rules.predicate
def reads_checklist_report(user: object, access: object) -> bool:
    """Whoever opened a checklist process's assessment and sees its findings there (an audit's
    once its report is written, except for its own assessors)."""
    return isinstance(access, ChecklistAccess) and access.sees_findings


rules.add_perm(READ_ASSESSOR_REPORT, reads_assessor_report)
rules.add_perm(READ_FINDINGS, reads_findings)
rules.add_perm(EXPORT_EVIDENCE, reads_evidence)
rules.add_perm(READ_CHECKLIST_REPORT, reads_checklist_report)
