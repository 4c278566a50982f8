"""The reports Tandem generates from an assessment: what each holds, for which processes, and who
reads it (`REPORTS`).

`REPORTS` lists each kind: the Respect assessor's report, the reports of the 2008 audit, the
Welsh checklist, the West Midlands self-evaluation and self-assessments (from the checklist
selectors' summaries), and the findings requirement by requirement that serves every process
(from its `ProcessDefinition`). A process adds its report by adding a `ReportKind`, a template and
a `ReportDefinition` here. Rules of the processes (a standard's status is its worst question's,
the outcome, the trend) are the selectors' and the gates'; nothing is decided here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch

from tandem.assurance import workflow
from tandem.assurance.checklists import selectors as checklist_selectors
from tandem.assurance.checklists.selectors import StandardStatus
from tandem.assurance.models import (
    Action,
    Assessment,
    AssessorReport,
    Judgement,
    PanelDecision,
    Process,
    RagRating,
    ReportKind,
    ReportVerification,
    State,
)
from tandem.assurance.reports.content import (
    action_item,
    count_label,
    grouped,
    judgement_values,
    rating_values,
    requirement_entries,
    summary_of,
)
from tandem.assurance.reports.rules import (
    READ_ASSESSOR_REPORT,
    READ_CHECKLIST_REPORT,
    READ_FINDINGS,
)

# Each report's data


def assessor_report_context(assessment: Assessment) -> dict[str, object]:
    """The Respect assessor's report: for every applicable indicator the evidence seen and
    verified, by which methods, the judgement and its basis; the recommendation to the panel;
    the internal verification and the panel's decision when there are any."""
    entries = requirement_entries(assessment)
    groups = grouped(entries)
    report = AssessorReport.objects.filter(assessment=assessment).select_related("submitted_by")
    decisions = (
        PanelDecision.objects.filter(assessment=assessment)
        .select_related("decided_by")
        .prefetch_related(
            Prefetch(
                "conditions", queryset=Action.objects.select_related("owner").order_by("due_on")
            )
        )
        .order_by("decided_at", "pk")
    )
    return {
        "groups": groups,
        "summary": summary_of(
            groups,
            values=judgement_values(),
            value_of=lambda e: e.judgement_value,
            count_label=count_label(entries),
        ),
        "not_met": [e for e in entries if e.judgement_value != Judgement.MET],
        "assessor_report": report.first(),
        "verifications": list(
            ReportVerification.objects.filter(assessment=assessment)
            .select_related("verified_by")
            .order_by("verified_at", "pk")
        ),
        "decisions": [
            (decision, [action_item(a) for a in decision.conditions.all()])
            for decision in decisions
        ],
    }


def requirements_context(assessment: Assessment) -> dict[str, object]:
    """Any process's findings requirement by requirement: the rating where the process rates,
    the judgement where there is one, the evidence and the actions."""
    definition = workflow.definition_of(assessment.process)
    entries = requirement_entries(assessment)
    groups = grouped(entries)
    rates = bool(definition and definition.rating_choices)
    judges = not rates or any(e.judgement_value for e in entries)
    summaries = []
    if rates:
        summaries.append(
            (
                "Ratings",
                summary_of(
                    groups,
                    values=rating_values(definition),
                    value_of=lambda e: e.rating_value,
                    count_label=count_label(entries),
                ),
            )
        )
    if judges:
        summaries.append(
            (
                "Judgements",
                summary_of(
                    groups,
                    values=judgement_values(),
                    value_of=lambda e: e.judgement_value,
                    count_label=count_label(entries),
                ),
            )
        )
    return {
        "groups": groups,
        "summaries": summaries,
        "rates": rates,
        "judges": judges,
        "other_actions": [
            action_item(action)
            for action in Action.objects.filter(assessment=assessment, record__isnull=True)
            .select_related("owner")
            .order_by("due_on", "pk")
        ],
    }


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


# The kinds of report


@dataclass(frozen=True)
class ReportDefinition:
    kind: ReportKind
    name: str
    template: str
    # The permission (on the reader's access, `selectors.ReportAccess`) that lets someone read and
    # generate it.
    permission: str
    context: Callable[[Assessment], dict[str, object]]
    # The processes it is for; empty: every process.
    processes: frozenset[Process] = frozenset()

    def applies_to(self, assessment: Assessment) -> bool:
        return not self.processes or Process(assessment.process) in self.processes

    def title_for(self, assessment: Assessment) -> str:
        first_word = self.name.split(maxsplit=1)[0]
        # Mid-sentence the name starts lower case, except an acronym such as "RAG".
        name = self.name if first_word.isupper() else self.name[:1].lower() + self.name[1:]
        return f"{Process(assessment.process).label}: {name}, {assessment.service.name}"


REPORTS: dict[ReportKind, ReportDefinition] = {
    ReportKind.ASSESSOR_REPORT: ReportDefinition(
        kind=ReportKind.ASSESSOR_REPORT,
        name="Assessor's report",
        template="assurance/reports/assessor_report.html",
        permission=READ_ASSESSOR_REPORT,
        context=assessor_report_context,
        processes=frozenset({Process.RESPECT_ACCREDITATION}),
    ),
    ReportKind.AUDIT_REPORT: ReportDefinition(
        kind=ReportKind.AUDIT_REPORT,
        name="Audit report",
        template="assurance/reports/audit_report.html",
        permission=READ_CHECKLIST_REPORT,
        context=audit_report_context,
        processes=frozenset({Process.SAFEGUARDING_AUDIT_2008}),
    ),
    ReportKind.WELSH_CHECKLIST: ReportDefinition(
        kind=ReportKind.WELSH_CHECKLIST,
        name="RAG checklist and summary",
        template="assurance/reports/welsh_checklist.html",
        permission=READ_CHECKLIST_REPORT,
        context=welsh_checklist_context,
        processes=frozenset({Process.WELSH_COMMISSIONING}),
    ),
    ReportKind.SELF_EVALUATION: ReportDefinition(
        kind=ReportKind.SELF_EVALUATION,
        name="Self-evaluation and peer review",
        template="assurance/reports/self_evaluation.html",
        permission=READ_CHECKLIST_REPORT,
        context=self_evaluation_context,
        processes=frozenset({Process.WEST_MIDLANDS_SELF_EVALUATION}),
    ),
    ReportKind.READINESS: ReportDefinition(
        kind=ReportKind.READINESS,
        name="Readiness summary",
        template="assurance/reports/readiness.html",
        permission=READ_CHECKLIST_REPORT,
        context=readiness_context,
        processes=frozenset({Process.SELF_ASSESSMENT}),
    ),
    ReportKind.REQUIREMENTS: ReportDefinition(
        kind=ReportKind.REQUIREMENTS,
        name="Findings by requirement",
        template="assurance/reports/requirements.html",
        permission=READ_FINDINGS,
        context=requirements_context,
    ),
}
