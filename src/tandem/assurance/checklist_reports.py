"""The reports of the 2008 safeguarding audit, the Welsh commissioning checklist, the West
Midlands self-evaluation and self-assessments: what each holds, from the checklist selectors'
summaries (`reports.REPORTS` names them, with their templates).

Who may read one: whoever opened the assessment through `checklist_selectors.
checklist_get_for_user` and sees its findings there (an audit's once its report is written,
except for its own assessors). Rules of the processes (a standard's status is its worst
question's, the outcome, the trend) are the selectors' and `checklist_rules`'; nothing is
decided here.
"""

from dataclasses import dataclass

import rules

from tandem.assurance import checklist_selectors
from tandem.assurance.checklist_selectors import ChecklistAccess, StandardStatus
from tandem.assurance.models import Assessment, RagRating, State

READ_REPORT = "assurance.read_checklist_report"


@rules.predicate
def reads_checklist_report(user: object, access: object) -> bool:
    return isinstance(access, ChecklistAccess) and access.sees_findings


rules.add_perm(READ_REPORT, reads_checklist_report)


# The outcomes an audit ends in, as the report's headline says them.
AUDIT_OUTCOMES = {
    State.PASSED: "Passed",
    State.FAILED: "Failed",
    State.EXEMPT: "Exempt: holds current Respect accreditation",
}


def audit_report_context(assessment: Assessment) -> dict[str, object]:
    """The 2008 audit: link person, assessors, the visit day and its schedule, each evidence
    indicator met or not met, the outcome with its reason (an automatic fail or an exemption
    included) and the actions."""
    summary = checklist_selectors.safeguarding_audit_summary(assessment=assessment)
    state = State(assessment.state)
    return {
        "summary": summary,
        "outcome": AUDIT_OUTCOMES.get(state, ""),
        "outcome_tone": {State.PASSED: "green", State.FAILED: "red"}.get(state, "grey"),
    }


@dataclass(frozen=True)
class StandardRow:
    """One line of the Welsh summary: a standard, its status and how its questions rate."""

    standard: StandardStatus
    red: int
    amber: int
    green: int
    unrated: int


def _standard_row(standard: StandardStatus) -> StandardRow:
    ratings = [record.rating for record in standard.records]
    return StandardRow(
        standard=standard,
        red=ratings.count(RagRating.RED),
        amber=ratings.count(RagRating.AMBER),
        green=ratings.count(RagRating.GREEN),
        unrated=sum(1 for rating in ratings if not rating),
    )


def welsh_checklist_context(assessment: Assessment) -> dict[str, object]:
    """The Welsh RAG checklist with its summary: each standard's status and questions (RAG and
    evidence), the overall outcome, the reassessment and the improvement actions with their
    owners and review dates, and the trend against the previous review."""
    summary = checklist_selectors.welsh_checklist_summary(assessment=assessment)
    rows = [_standard_row(standard) for standard in summary.standards]
    return {
        "summary": summary,
        "rows": rows,
        "unrated": sum(row.unrated for row in rows),
        "rag_labels": dict(RagRating.choices),
    }


def self_evaluation_context(assessment: Assessment) -> dict[str, object]:
    """The West Midlands self-evaluation: each standard's and bullet's self-rating, evidence and
    actions, with the peer reviewer's agreement or challenge."""
    return {
        "summary": checklist_selectors.west_midlands_self_evaluation_summary(assessment=assessment),
    }


def readiness_context(assessment: Assessment) -> dict[str, object]:
    """A self-assessment: how far the service is from meeting the framework, and each
    requirement's rating and evidence."""
    return {"summary": checklist_selectors.self_assessment_summary(assessment=assessment)}
