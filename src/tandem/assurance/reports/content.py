"""What a report shows, as plain data, so that templates and exports read the same things: the
cover (what was assessed, how, by whom, where it stands), each requirement's record (evidence,
findings by method, rating, judgement, actions) in the framework's order, grouped under their
parents, and tallies of them."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet

from tandem.assurance import workflow
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    EvidenceCitation,
    Judgement,
    MethodJudgement,
    Part,
    Process,
    RequirementRecord,
    State,
)
from tandem.lib.documents import DocumentKind
from tandem.lib.people import person_name
from tandem.standards.models import AssessmentMethod, InterventionType, Level, Requirement

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


def action_item(action: Action) -> ActionItem:
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
                judged_by=person_name(record.judged_by) if record.judged_by else "",
                judged_at=record.judged_at,
                actions=[action_item(action) for action in record.actions.all()],
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
