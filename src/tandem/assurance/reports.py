"""Reports generated from an assessment: what each holds, for which processes, and who reads it.

A report is generated (`report_services.assessment_report_generate`) from the data built here
and kept as it was (`AssessmentReport`): its HTML body and its PDF. Reading one shows that
snapshot, never live data.

`REPORTS` lists each kind: the Respect assessor's report, the reports of the 2008 audit, the
Welsh checklist, the West Midlands self-evaluation and self-assessments (`checklist_reports`), and
the findings requirement by requirement that serves every process (from its `ProcessDefinition`).
A process adds its report by adding a `ReportKind`, a template and a `ReportDefinition` here.

Which assessments someone may open is decided per process, in one place (`report_access_get`):
Respect accreditation by `selectors.assessment_get_for_user`, the others by
`checklist_selectors.checklist_get_for_user`.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.template.loader import render_to_string

from tandem.assurance import checklist_reports, checklist_selectors, selectors, workflow
from tandem.assurance.checklist_selectors import ChecklistAccess
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    AssessmentReport,
    AssessorReport,
    EvidenceCitation,
    Judgement,
    MethodJudgement,
    PanelDecision,
    Part,
    Process,
    ReportKind,
    ReportVerification,
    RequirementRecord,
    State,
)
from tandem.assurance.selectors import AssessmentAccess
from tandem.lib.documents import DocumentKind
from tandem.lib.pdf import PageMarks, pdf_render
from tandem.standards.models import AssessmentMethod, InterventionType, Level, Requirement

User = AbstractBaseUser | AnonymousUser
# Who someone is in an assessment they opened: its process's selector says.
ReportAccess = AssessmentAccess | ChecklistAccess


def person_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    return str(getattr(user, "get_full_name", lambda: "")() or user.get_username())


# What a report shows: plain data, so that templates and exports read the same things.

# The colour of the tag showing a judgement, a method's finding or a rating (GOV.UK tag colours).
TONES = {
    Judgement.MET: "green",
    Judgement.NOT_MET: "red",
    Judgement.MORE_EVIDENCE: "yellow",
    "green": "green",
    "amber": "yellow",
    "red": "red",
    "partly": "yellow",
}


def tone_of(value: str) -> str:
    return TONES.get(value, "grey")


@dataclass(frozen=True)
class Cover:
    """The first page: what was assessed, how, by whom, and where it stands."""

    service: str
    organisation: str
    framework: str
    process: str
    state: str
    scope: list[str]
    dates: list[tuple[str, date]]
    participants: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Citation:
    title: str
    location: str
    kind: str
    original_name: str


@dataclass(frozen=True)
class MethodFinding:
    """A method the library names for the requirement, with its finding if it has one."""

    method: str
    result: str
    result_value: str
    notes: str
    judged_by: str
    judged_at: datetime | None

    @property
    def tone(self) -> str:
        return tone_of(self.result_value)


@dataclass(frozen=True)
class ActionItem:
    description: str
    owner: str
    due_on: date
    status: str
    closed_at: datetime | None
    closing_evidence: str


@dataclass(frozen=True)
class RequirementEntry:
    """One requirement's record: the service's evidence and the findings on it."""

    ref: str
    level: str
    heading: str
    text: str
    group: str
    group_level: str
    narrative: str
    carried_forward: bool
    citations: list[Citation]
    methods: list[MethodFinding]
    rating: str
    rating_value: str
    rating_notes: str
    judgement: str
    judgement_value: str
    judgement_basis: str
    judged_by: str
    judged_at: datetime | None
    actions: list[ActionItem]

    @property
    def rating_tone(self) -> str:
        return tone_of(self.rating_value)

    @property
    def judgement_tone(self) -> str:
        return tone_of(self.judgement_value)


@dataclass(frozen=True)
class Tally:
    """How many requirements of a group have each value (a judgement or a rating)."""

    heading: str
    total: int
    counts: list[int]


@dataclass(frozen=True)
class Summary:
    """A table of groups (the requirements' parents) against values, with a totals row."""

    group_label: str
    count_label: str
    values: list[tuple[str, str]]
    rows: list[Tally]
    totals: Tally


@dataclass(frozen=True)
class Group:
    heading: str
    entries: list[RequirementEntry] = field(default_factory=list)


NOT_JUDGED = ("", "Not yet judged")
NOT_RATED = ("", "Not yet rated")


def _framework_label(assessment: Assessment) -> str:
    framework = assessment.framework
    year = f" ({framework.published})" if framework.published else ""
    return f"{framework.title}, {framework.edition}{year}"


def _dates(assessment: Assessment) -> list[tuple[str, date]]:
    dates: list[tuple[str, date | datetime | None]] = [
        ("Started", assessment.created_at),
        ("Submitted", assessment.submitted_at),
        ("Decided", assessment.decided_at),
        ("Accreditation expires", assessment.expires_on),
    ]
    return [
        (label, value.date() if isinstance(value, datetime) else value)
        for label, value in dates
        if value is not None
    ]


def _participants(assessment: Assessment) -> list[tuple[str, list[str]]]:
    """Names by part, in the order of `Part`; leaving out anyone who declared a conflict of
    interest (someone else takes their part)."""
    names: dict[str, list[str]] = {}
    participants = (
        AssessmentParticipant.objects.filter(assessment=assessment)
        .exclude(declaration__no_conflict=False)
        .select_related("user")
        .order_by("pk")
    )
    for participant in participants:
        names.setdefault(participant.part, []).append(person_name(participant.user))
    return [(part.label, names[part.value]) for part in Part if part.value in names]


def cover_of(assessment: Assessment) -> Cover:
    return Cover(
        service=assessment.service.name,
        organisation=assessment.service.organisation.name,
        framework=_framework_label(assessment),
        process=Process(assessment.process).label,
        state=State(assessment.state).label,
        scope=[InterventionType(value).label for value in assessment.scope],
        dates=_dates(assessment),
        participants=_participants(assessment),
    )


def _records(assessment: Assessment) -> QuerySet[RequirementRecord]:
    return (
        RequirementRecord.objects.filter(assessment=assessment)
        .select_related("requirement__parent", "judged_by")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=EvidenceCitation.objects.select_related("document").order_by("pk"),
            ),
            Prefetch(
                "method_judgements",
                queryset=MethodJudgement.objects.select_related("judged_by").order_by("pk"),
            ),
            Prefetch(
                "actions", queryset=Action.objects.select_related("owner").order_by("due_on", "pk")
            ),
        )
        .order_by("position")
    )


def _action_item(action: Action) -> ActionItem:
    return ActionItem(
        description=action.description,
        owner=person_name(action.owner),
        due_on=action.due_on,
        status=ActionStatus(action.status).label,
        closed_at=action.closed_at,
        closing_evidence=action.closing_evidence,
    )


def _methods(record: RequirementRecord) -> list[MethodFinding]:
    """Every method the library names for the requirement, judged or not, then any other method
    judged."""
    judged = {judgement.method: judgement for judgement in record.method_judgements.all()}
    named = [m for m in record.requirement.assessment_methods if m in AssessmentMethod.values]
    methods = named + [m for m in judged if m not in named]
    findings = []
    for method in methods:
        judgement = judged.get(method)
        findings.append(
            MethodFinding(
                method=AssessmentMethod(method).label,
                result=Judgement(judgement.result).label if judgement else "Not yet assessed",
                result_value=judgement.result if judgement else "",
                notes=judgement.evidence_notes if judgement else "",
                judged_by=person_name(judgement.judged_by) if judgement else "",
                judged_at=judgement.judged_at if judgement else None,
            )
        )
    return findings


def _group_heading(requirement: Requirement) -> str:
    return requirement.parent.heading if requirement.parent else ""


def _group_level(requirement: Requirement) -> str:
    return Level(requirement.parent.level).label if requirement.parent else ""


def requirement_entries(assessment: Assessment) -> list[RequirementEntry]:
    """The assessment's records in the framework's order, as the reports and exports show them."""
    definition = workflow.definition_of(assessment.process)
    ratings = dict(definition.rating_choices) if definition else {}
    entries = []
    for record in _records(assessment):
        requirement = record.requirement
        entries.append(
            RequirementEntry(
                ref=requirement.ref,
                level=requirement.level,
                heading=requirement.heading,
                text=requirement.text,
                group=_group_heading(requirement),
                group_level=_group_level(requirement),
                narrative=record.narrative,
                carried_forward=record.carried_from_id is not None,
                citations=[
                    Citation(
                        title=citation.document.title,
                        location=citation.location,
                        kind=DocumentKind(citation.document.kind).label,
                        original_name=citation.document.original_name,
                    )
                    for citation in record.citations.all()
                ],
                methods=_methods(record),
                rating=ratings.get(record.rating, record.rating) if record.rating else "",
                rating_value=record.rating,
                rating_notes=record.rating_notes,
                judgement=Judgement(record.judgement).label if record.judgement else "",
                judgement_value=record.judgement,
                judgement_basis=record.judgement_basis,
                judged_by=person_name(record.judged_by),
                judged_at=record.judged_at,
                actions=[_action_item(action) for action in record.actions.all()],
            )
        )
    return entries


def grouped(entries: Iterable[RequirementEntry]) -> list[Group]:
    """Consecutive entries under the same parent requirement, in order."""
    groups: list[Group] = []
    for entry in entries:
        if not groups or groups[-1].heading != entry.group:
            groups.append(Group(heading=entry.group))
        groups[-1].entries.append(entry)
    return groups


def summary_of(
    groups: list[Group],
    *,
    values: list[tuple[str, str]],
    value_of: Callable[[RequirementEntry], str],
    count_label: str = "Requirements",
) -> Summary:
    """How many requirements of each group have each of `values` (the first value is the
    empty one: not yet judged or rated)."""
    rows = []
    totals: Counter[str] = Counter()
    for group in groups:
        counts = Counter(value_of(entry) for entry in group.entries)
        totals.update(counts)
        rows.append(
            Tally(
                heading=group.heading,
                total=len(group.entries),
                counts=[counts[value] for value, _ in values],
            )
        )
    levels = [group.entries[0].group_level for group in groups if group.entries]
    return Summary(
        group_label=levels[0] if levels and levels[0] else "Group",
        count_label=count_label,
        values=values,
        rows=rows,
        totals=Tally(
            heading="All",
            total=sum(row.total for row in rows),
            counts=[totals[value] for value, _ in values],
        ),
    )


def count_label(entries: list[RequirementEntry]) -> str:
    """What the records are, for a column heading: "Indicators", "Questions", …"""
    levels = {entry.level for entry in entries}
    return f"{Level(levels.pop()).label}s" if len(levels) == 1 else "Requirements"


def judgement_values() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Judgement.choices] + [NOT_JUDGED]


def rating_values(definition: workflow.ProcessDefinition | None) -> list[tuple[str, str]]:
    choices = list(definition.rating_choices) if definition else []
    return [(value, str(label)) for value, label in choices] + [NOT_RATED]


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
            (decision, [_action_item(a) for a in decision.conditions.all()])
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
            _action_item(action)
            for action in Action.objects.filter(assessment=assessment, record__isnull=True)
            .select_related("owner")
            .order_by("due_on", "pk")
        ],
    }


# The kinds of report


@dataclass(frozen=True)
class ReportDefinition:
    kind: ReportKind
    name: str
    template: str
    # The permission (on the reader's `AssessmentAccess`) that lets someone read and generate it.
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
        permission="assurance.read_assessor_report",
        context=assessor_report_context,
        processes=frozenset({Process.RESPECT_ACCREDITATION}),
    ),
    ReportKind.AUDIT_REPORT: ReportDefinition(
        kind=ReportKind.AUDIT_REPORT,
        name="Audit report",
        template="assurance/reports/audit_report.html",
        permission=checklist_reports.READ_REPORT,
        context=checklist_reports.audit_report_context,
        processes=frozenset({Process.SAFEGUARDING_AUDIT_2008}),
    ),
    ReportKind.WELSH_CHECKLIST: ReportDefinition(
        kind=ReportKind.WELSH_CHECKLIST,
        name="RAG checklist and summary",
        template="assurance/reports/welsh_checklist.html",
        permission=checklist_reports.READ_REPORT,
        context=checklist_reports.welsh_checklist_context,
        processes=frozenset({Process.WELSH_COMMISSIONING}),
    ),
    ReportKind.SELF_EVALUATION: ReportDefinition(
        kind=ReportKind.SELF_EVALUATION,
        name="Self-evaluation and peer review",
        template="assurance/reports/self_evaluation.html",
        permission=checklist_reports.READ_REPORT,
        context=checklist_reports.self_evaluation_context,
        processes=frozenset({Process.WEST_MIDLANDS_SELF_EVALUATION}),
    ),
    ReportKind.READINESS: ReportDefinition(
        kind=ReportKind.READINESS,
        name="Readiness summary",
        template="assurance/reports/readiness.html",
        permission=checklist_reports.READ_REPORT,
        context=checklist_reports.readiness_context,
        processes=frozenset({Process.SELF_ASSESSMENT}),
    ),
    ReportKind.REQUIREMENTS: ReportDefinition(
        kind=ReportKind.REQUIREMENTS,
        name="Findings by requirement",
        template="assurance/reports/requirements.html",
        permission="assurance.read_findings",
        context=requirements_context,
    ),
}


# Reads


def report_access_get(*, user: User, assessment_id: int) -> ReportAccess:
    """The assessment, opened by its own process's selector (404 when this person may not open
    it): the checklist processes are not Respect accreditation's to open."""
    process = Assessment.objects.filter(pk=assessment_id).values_list("process", flat=True).first()
    if process in checklist_selectors.CHECKLIST_PROCESSES:
        return checklist_selectors.checklist_get_for_user(
            user=user, assessment_id=assessment_id, process=Process(process)
        )
    return selectors.assessment_get_for_user(user=user, assessment_id=assessment_id)


# What each process's readers may have besides their reports: the requirements table where
# they see the findings; the evidence pack is Respect accreditation's (its cited documents).
CHECKLIST_EXPORTS = frozenset({"assurance.read_findings"})


def access_permits(*, user: User, permission: str, access: ReportAccess) -> bool:
    """Whether `permission` holds for this person on the assessment they opened (the report
    rules take the access, not the assessment)."""
    if isinstance(access, ChecklistAccess) and not (
        permission == checklist_reports.READ_REPORT or permission in CHECKLIST_EXPORTS
    ):
        return False
    has_perm = getattr(user, "has_perm", None)
    return bool(has_perm and has_perm(permission, access))


def report_definitions_for(*, user: User, access: ReportAccess) -> list[ReportDefinition]:
    """The kinds of report this person may read of this assessment."""
    return [
        definition
        for definition in REPORTS.values()
        if definition.applies_to(access.assessment)
        and access_permits(user=user, permission=definition.permission, access=access)
    ]


def report_definition_get(*, access: ReportAccess, kind: str) -> ReportDefinition:
    """The kind of report, if there is one for this assessment's process; 404 otherwise. Whether
    the person may read it is `ReportDefinition.permission`'s."""
    definition = REPORTS.get(ReportKind(kind)) if kind in ReportKind.values else None
    if definition is None or not definition.applies_to(access.assessment):
        raise Http404("No such report for this assessment")
    return definition


def reports_of(*, access: ReportAccess, kind: ReportKind) -> QuerySet[AssessmentReport]:
    """The versions generated of one kind, newest first, without their bodies."""
    return (
        AssessmentReport.objects.filter(assessment=access.assessment, kind=kind)
        .select_related("generated_by")
        .defer("html", "pdf")
        .order_by("-version")
    )


def report_get(*, access: ReportAccess, kind: ReportKind, version: int) -> AssessmentReport:
    report = AssessmentReport.objects.filter(
        assessment=access.assessment, kind=kind, version=version
    ).first()
    if report is None:
        raise Http404("No such version of this report")
    return report


# Rendering


def report_render(
    *,
    definition: ReportDefinition,
    assessment: Assessment,
    version: int,
    generated_at: datetime,
    generated_by: AbstractBaseUser,
) -> tuple[str, bytes]:
    """The report's HTML body and its PDF, as the assessment stands now."""
    title = definition.title_for(assessment)
    context = {
        **definition.context(assessment),
        "title": title,
        "name": definition.name,
        "cover": cover_of(assessment),
        "version": version,
        "generated_at": generated_at,
        "generated_by": person_name(generated_by),
    }
    html = render_to_string(definition.template, context)
    pdf = pdf_render(
        body_html=html,
        marks=PageMarks(title=title, generated_at=generated_at, version=version),
    )
    return html, pdf
