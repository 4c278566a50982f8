"""Reads of the 2008 safeguarding audit, the Welsh commissioning checklist, the West Midlands
self-evaluation and self-assessments, each taking the user; one someone may not open is a 404.

Who can open which (`checklist_get_for_user`):
- safeguarding audit: a lead assessor running audits (Respect's coordinator), the audit's own
  declared lead and second assessors, its link person, and the service's managers. The findings
  reach the service, link person and coordinator once the report is written.
- Welsh checklist: the commissioners who commission the service (`CommissioningRelationship`,
  current today), and the service's managers once it is complete. No one else: not Respect's
  assessors, nor a commissioner of other services.
- West Midlands self-evaluation: the agency's service managers; once submitted, its declared
  peer reviewer and the commissioners who are members of a local partnership the agency's
  organisation belongs to.
- self-assessment: the service's managers only.

The `*_summary` selectors return everything a report needs; call them only for an assessment
the person has opened through `checklist_get_for_user`.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import Person, Role, roles_of
from tandem.assurance import workflow
from tandem.assurance.checklists import gates
from tandem.assurance.checklists.deadlines import review_window_end
from tandem.assurance.checklists.gates import Readiness, Trend
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    AssessmentTransition,
    AuditScheduleItem,
    CommissioningRelationship,
    Judgement,
    LocalPartnership,
    Part,
    PeerReviewFinding,
    Process,
    RagRating,
    RequirementRecord,
    SafeguardingAudit,
    State,
    WelshChecklist,
)
from tandem.assurance.respect.selectors import current_respect_accreditation
from tandem.assurance.selectors import (
    active_participations,
    declared_parts,
    is_coordinator,
    managed_services,
)
from tandem.organisations.models import Organisation, Service, StaffMembership
from tandem.standards.models import Framework, Requirement

CHECKLIST_PROCESSES = frozenset(
    {
        Process.SAFEGUARDING_AUDIT_2008,
        Process.WELSH_COMMISSIONING,
        Process.WEST_MIDLANDS_SELF_EVALUATION,
        Process.SELF_ASSESSMENT,
    }
)
WELSH_COMPLETE = frozenset({State.MEETS_STANDARDS, State.PARTLY_MEETS, State.DOES_NOT_MEET})
WEST_MIDLANDS_SUBMITTED = frozenset({State.PEER_REVIEW, State.PEER_REVIEWED})
AUDIT_RUNNING = frozenset({State.DRAFT, State.SCHEDULED, State.VISITED, State.REPORTED})


# Commissioning and partnerships


def _current(today: date) -> Q:
    return Q(since__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))


def commissioned_services(*, user: Person, today: date | None = None) -> QuerySet[Service]:
    """Services this commissioner commissions today."""
    if Role.COMMISSIONER not in roles_of(user):
        return Service.objects.none()
    today = today or timezone.localdate()
    relationships = CommissioningRelationship.objects.filter(
        _current(today), commissioner_id=user.pk
    )
    return Service.objects.filter(pk__in=relationships.values("service"))


def commissions(*, user: Person, service: Service, today: date | None = None) -> bool:
    return commissioned_services(user=user, today=today).filter(pk=service.pk).exists()


def commissioners_of(*, service: Service, today: date | None = None) -> QuerySet[User]:
    today = today or timezone.localdate()
    relationships = CommissioningRelationship.objects.filter(_current(today), service=service)
    return User.objects.filter(pk__in=relationships.values("commissioner")).filter(
        groups__name=Role.COMMISSIONER.value
    )


def commissioning_relationships() -> QuerySet[CommissioningRelationship]:
    return CommissioningRelationship.objects.select_related(
        "commissioner", "service__organisation"
    ).order_by("service__organisation__name", "service__name", "since", "pk")


def partnerships_for_user(*, user: Person) -> QuerySet[LocalPartnership]:
    """The local partnerships whose agencies' results this person sees: those they are a member
    of, while they hold the commissioner role."""
    if not user.is_authenticated or Role.COMMISSIONER not in roles_of(user):
        return LocalPartnership.objects.none()
    return LocalPartnership.objects.filter(members__pk=user.pk).order_by("name")


def _partnership_organisations(*, user: Person) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        local_partnerships__in=partnerships_for_user(user=user)
    ).distinct()


# Opening one


@dataclass(frozen=True)
class ChecklistAccess:
    """An assessment of one of these processes and what this person may do with it."""

    assessment: Assessment
    parts: frozenset[Part]
    manages_service: bool
    coordinates: bool
    commissions: bool
    in_partnership: bool
    sees_findings: bool

    @property
    def read_only(self) -> bool:
        return workflow.is_read_only(process=self.assessment.process, state=self.assessment.state)

    @property
    def released(self) -> bool:
        return workflow.findings_released(
            process=self.assessment.process, state=self.assessment.state
        )


def _access(*, user: Person, assessment: Assessment) -> ChecklistAccess | None:
    parts = declared_parts(user=user, assessment=assessment)
    manages = managed_services(user=user).filter(pk=assessment.service_id).exists()
    released = workflow.findings_released(process=assessment.process, state=assessment.state)
    process = Process(assessment.process)
    coordinates = commissioning = in_partnership = False
    if process == Process.SAFEGUARDING_AUDIT_2008:
        coordinates = is_coordinator(user=user)
        assessing = bool(parts & {Part.LEAD_ASSESSOR, Part.SECOND_ASSESSOR})
        opens = manages or coordinates or bool(parts)
        sees_findings = assessing or released
    elif process == Process.WELSH_COMMISSIONING:
        commissioning = commissions(user=user, service=assessment.service)
        opens = commissioning or (manages and released)
        sees_findings = opens
    elif process == Process.WEST_MIDLANDS_SELF_EVALUATION:
        in_partnership = (
            _partnership_organisations(user=user)
            .filter(pk=assessment.service.organisation_id)
            .exists()
        )
        reviewer = Part.PEER_REVIEWER in parts
        opens = manages or (released and (reviewer or in_partnership))
        sees_findings = opens
    elif process == Process.SELF_ASSESSMENT:
        opens = sees_findings = manages
    else:
        return None
    if not opens:
        return None
    return ChecklistAccess(
        assessment=assessment,
        parts=parts,
        manages_service=manages,
        coordinates=coordinates,
        commissions=commissioning,
        in_partnership=in_partnership,
        sees_findings=sees_findings,
    )


def checklist_get_for_user(
    *, user: Person, assessment_id: int, process: Process
) -> ChecklistAccess:
    """One assessment of `process` this person may open; 404 for anything else (another
    process's, or one they may not see), so its existence is not leaked."""
    assessment = (
        Assessment.objects.select_related("service__organisation", "framework", "created_by")
        .filter(pk=assessment_id, process=process)
        .first()
    )
    access = None if assessment is None else _access(user=user, assessment=assessment)
    if access is None:
        raise Http404("No such assessment")
    return access


def checklist_get_any(*, user: Person, assessment_id: int) -> ChecklistAccess:
    """One assessment of any of these processes this person may open; 404 otherwise (a Respect
    accreditation included: `respect.selectors.assessment_get_for_user` opens those)."""
    process = (
        Assessment.objects.filter(pk=assessment_id, process__in=CHECKLIST_PROCESSES)
        .values_list("process", flat=True)
        .first()
    )
    if process is None:
        raise Http404("No such assessment")
    return checklist_get_for_user(user=user, assessment_id=assessment_id, process=Process(process))


def checklist_record_get(*, access: ChecklistAccess, record_id: int) -> RequirementRecord:
    record = (
        RequirementRecord.objects.select_related("assessment__service", "requirement")
        .filter(assessment=access.assessment, pk=record_id)
        .first()
    )
    if record is None:
        raise Http404("No such requirement in this assessment")
    return record


def service_for_checklist(*, user: Person, service_id: int, process: Process) -> Service:
    """A service this person may start `process` for: one they manage (audits: any service,
    for a lead assessor; Welsh checklists: one they commission). 404 otherwise."""
    if process == Process.SAFEGUARDING_AUDIT_2008 and is_coordinator(user=user):
        services = Service.objects.all()
    elif process == Process.WELSH_COMMISSIONING:
        services = commissioned_services(user=user)
    else:
        services = managed_services(user=user)
    service = services.select_related("organisation").filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service")
    return service


def participation_get(*, user: Person, participant_id: int) -> AssessmentParticipant:
    """One of this person's own parts in one of these processes that awaits their declaration of
    no conflict of interest; 404 for anything else."""
    participant = (
        AssessmentParticipant.objects.select_related("assessment__service__organisation")
        .filter(
            pk=participant_id,
            user_id=user.pk,
            declaration__isnull=True,
            assessment__process__in=CHECKLIST_PROCESSES,
        )
        .first()
        if user.is_authenticated
        else None
    )
    if participant is None:
        raise Http404("No declaration of yours is awaited here")
    return participant


# Lists


def _listed(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related("service__organisation", "framework").order_by(
        "-created_at", "-pk"
    )


def audits_for_user(*, user: Person) -> QuerySet[Assessment]:
    audits = Assessment.objects.filter(process=Process.SAFEGUARDING_AUDIT_2008)
    if not is_coordinator(user=user):
        audits = audits.filter(
            Q(service__in=managed_services(user=user))
            | Q(pk__in=active_participations(user=user).values("assessment"))
        )
    return _listed(audits)


def welsh_checklists_for_user(*, user: Person) -> QuerySet[Assessment]:
    return _listed(
        Assessment.objects.filter(process=Process.WELSH_COMMISSIONING).filter(
            Q(service__in=commissioned_services(user=user))
            | Q(service__in=managed_services(user=user), state__in=WELSH_COMPLETE)
        )
    )


def self_evaluations_for_user(*, user: Person) -> QuerySet[Assessment]:
    reviewing = active_participations(user=user).filter(part=Part.PEER_REVIEWER)
    return _listed(
        Assessment.objects.filter(process=Process.WEST_MIDLANDS_SELF_EVALUATION).filter(
            Q(service__in=managed_services(user=user))
            | Q(pk__in=reviewing.values("assessment"), state__in=WEST_MIDLANDS_SUBMITTED)
        )
    )


def self_assessments_for_user(*, user: Person) -> QuerySet[Assessment]:
    return _listed(
        Assessment.objects.filter(
            process=Process.SELF_ASSESSMENT, service__in=managed_services(user=user)
        )
    )


def declarations_awaited(*, user: Person) -> QuerySet[AssessmentParticipant]:
    """This person's parts in these processes that wait for their conflict-of-interest
    declaration (audit assessors, peer reviewers)."""
    if not user.is_authenticated:
        return AssessmentParticipant.objects.none()
    return AssessmentParticipant.objects.filter(
        user_id=user.pk,
        part__in=[Part.LEAD_ASSESSOR, Part.SECOND_ASSESSOR, Part.PEER_REVIEWER],
        declaration__isnull=True,
        assessment__process__in=CHECKLIST_PROCESSES,
    ).select_related("assessment__service__organisation")


def library_frameworks() -> QuerySet[Framework]:
    """The frameworks a service can assess itself against: the current edition of each."""
    return Framework.objects.filter(is_current=True).order_by("title")


def _memberships_on(today: date) -> QuerySet[StaffMembership]:
    return StaffMembership.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )


def peer_reviewer_candidates(*, service: Service, today: date | None = None) -> QuerySet[User]:
    """People working today for an agency other than the service's organisation, and for none
    of its services (the rule itself is `gates.peer_reviewer_refusal`)."""
    memberships = _memberships_on(today or timezone.localdate())
    same_organisation = memberships.filter(service__organisation_id=service.organisation_id)
    return (
        User.objects.filter(pk__in=memberships.values("user"))
        .exclude(pk__in=same_organisation.values("user"))
        .order_by("last_name", "first_name", "username")
    )


def staff_of(*, service: Service, today: date | None = None) -> QuerySet[User]:
    """People working in the service today: those who may own its actions."""
    memberships = _memberships_on(today or timezone.localdate()).filter(service=service)
    return User.objects.filter(pk__in=memberships.values("user")).order_by(
        "last_name", "first_name", "username"
    )


# What the pages and reports show


def _records(*, assessment: Assessment) -> list[RequirementRecord]:
    return list(
        RequirementRecord.objects.filter(assessment=assessment)
        .select_related(
            "requirement__parent__parent",
            "judged_by",
            "narrative_updated_by",
            "peer_review__reviewed_by",
        )
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("pk"))
        )
        .order_by("position")
    )


def _people(*, assessment: Assessment, part: Part) -> list[User]:
    return [
        participant.user
        for participant in AssessmentParticipant.objects.filter(
            assessment=assessment, part=part
        ).select_related("user", "declaration")
        if part not in (Part.LEAD_ASSESSOR, Part.SECOND_ASSESSOR, Part.PEER_REVIEWER)
        or (hasattr(participant, "declaration") and participant.declaration.no_conflict)
    ]


def _actions(*, assessment: Assessment) -> list[Action]:
    return list(
        Action.objects.filter(assessment=assessment)
        .select_related("owner", "record__requirement", "closed_by")
        .order_by("due_on", "pk")
    )


def _transitions(*, assessment: Assessment) -> list[AssessmentTransition]:
    return list(assessment.transitions.select_related("actor").order_by("occurred_at", "pk"))


def _root(requirement: Requirement) -> Requirement:
    """The top of the requirement's branch (a Welsh standard, or the commissioning section)."""
    node = requirement
    while node.parent is not None:
        node = node.parent
    return node


@dataclass(frozen=True)
class RecordGroup:
    """Records under one heading requirement (a standard, a section)."""

    heading: Requirement
    records: list[RequirementRecord]


def _grouped_by_parent(records: list[RequirementRecord]) -> list[RecordGroup]:
    groups: dict[int, RecordGroup] = {}
    for record in records:
        parent = record.requirement.parent or record.requirement
        groups.setdefault(parent.pk, RecordGroup(heading=parent, records=[]))
        groups[parent.pk].records.append(record)
    return list(groups.values())


@dataclass(frozen=True)
class AuditSummary:
    """The 2008 audit report: who took part, the visit and its schedule, each evidence
    indicator's finding, and the outcome with its reason."""

    assessment: Assessment
    audit: SafeguardingAudit
    link_person: User | None
    lead_assessors: list[User]
    second_assessors: list[User]
    schedule: list[AuditScheduleItem]
    standards: list[RecordGroup]
    met: int
    not_met: int
    unjudged: int
    actions: list[Action]
    transitions: list[AssessmentTransition]

    @property
    def outcome_reason(self) -> str:
        return self.audit.outcome_reason


def safeguarding_audit_summary(*, assessment: Assessment) -> AuditSummary:
    audit = SafeguardingAudit.objects.select_related("schedule_agreed_by", "reported_by").get(
        assessment=assessment
    )
    records = _records(assessment=assessment)
    judgements = Counter(record.judgement for record in records)
    link = _people(assessment=assessment, part=Part.LINK_PERSON)
    return AuditSummary(
        assessment=assessment,
        audit=audit,
        link_person=link[0] if link else None,
        lead_assessors=_people(assessment=assessment, part=Part.LEAD_ASSESSOR),
        second_assessors=_people(assessment=assessment, part=Part.SECOND_ASSESSOR),
        schedule=list(AuditScheduleItem.objects.filter(audit=audit).order_by("starts_at", "pk")),
        standards=_grouped_by_parent(records),
        met=judgements[Judgement.MET],
        not_met=judgements[Judgement.NOT_MET],
        unjudged=len(records) - judgements[Judgement.MET] - judgements[Judgement.NOT_MET],
        actions=_actions(assessment=assessment),
        transitions=_transitions(assessment=assessment),
    )


@dataclass(frozen=True)
class StandardStatus:
    """A Welsh standard (or the commissioning section) with its questions; its status is its
    worst question's (`gates.worst_rag`)."""

    standard: Requirement
    records: list[RequirementRecord]

    @property
    def status(self) -> RagRating | None:
        return gates.worst_rag(record.rating for record in self.records)


def welsh_standards(records: list[RequirementRecord]) -> list[StandardStatus]:
    groups: dict[int, StandardStatus] = {}
    for record in records:
        root = _root(record.requirement)
        groups.setdefault(root.pk, StandardStatus(standard=root, records=[]))
        groups[root.pk].records.append(record)
    return list(groups.values())


def _completed_before(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(
            service=assessment.service_id,
            process=assessment.process,
            state__in=WELSH_COMPLETE,
            decided_at__lt=assessment.decided_at or timezone.now(),
        )
        .exclude(pk=assessment.pk)
        .order_by("-decided_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class WelshSummary:
    """The Welsh checklist with its summary: the opening question, each standard's status and
    questions (evidence, RAG, improvement action), the overall status and outcome, the
    reassessment, and the trend against the previous review."""

    assessment: Assessment
    checklist: WelshChecklist
    commissioners: list[User]
    respect_accreditation: Assessment | None
    standards: list[StandardStatus]
    overall: RagRating | None
    outcome: State | None
    counts: dict[str, int]
    improvement_actions: list[Action]
    reassessment: Action | None
    previous: Assessment | None
    trend: Trend | None
    review_window_end: date


def welsh_checklist_summary(*, assessment: Assessment, today: date | None = None) -> WelshSummary:
    today = today or timezone.localdate()
    checklist = WelshChecklist.objects.get(assessment=assessment)
    records = _records(assessment=assessment)
    ratings = [record.rating for record in records]
    complete = State(assessment.state) in WELSH_COMPLETE
    previous = _completed_before(assessment) if complete else None
    actions = _actions(assessment=assessment)
    return WelshSummary(
        assessment=assessment,
        checklist=checklist,
        commissioners=_people(assessment=assessment, part=Part.COMMISSIONER),
        respect_accreditation=current_respect_accreditation(
            service=assessment.service, today=today
        ),
        standards=welsh_standards(records),
        overall=gates.worst_rag(ratings),
        outcome=State(assessment.state) if complete else None,
        counts={rating: ratings.count(rating) for rating in RagRating.values},
        improvement_actions=[action for action in actions if action.record_id is not None],
        reassessment=next((action for action in actions if action.record_id is None), None),
        previous=previous,
        trend=(
            gates.review_trend(
                previous=previous.state if previous else None, current=assessment.state
            )
            if complete
            else None
        ),
        review_window_end=review_window_end(today=today, weeks=checklist.review_within_weeks),
    )


@dataclass(frozen=True)
class WestMidlandsStandard:
    """A West Midlands standard's own self-rating record with its bullets' records."""

    record: RequirementRecord
    items: list[RequirementRecord]


@dataclass(frozen=True)
class WestMidlandsSummary:
    """The self-evaluation: each standard and bullet with its self-rating, evidence, actions and
    the peer reviewer's finding; the counts; who reviewed it; the action plan."""

    assessment: Assessment
    standards: list[WestMidlandsStandard]
    counts: Readiness
    reviewed: int
    challenged: int
    peer_reviewers: list[User]
    actions: list[Action]
    transitions: list[AssessmentTransition]


def west_midlands_self_evaluation_summary(*, assessment: Assessment) -> WestMidlandsSummary:
    records = _records(assessment=assessment)
    standards: list[WestMidlandsStandard] = []
    for record in records:
        if record.requirement.parent_id is None:
            standards.append(WestMidlandsStandard(record=record, items=[]))
        elif standards:
            standards[-1].items.append(record)
    findings = [record.peer_review for record in records if hasattr(record, "peer_review")]
    return WestMidlandsSummary(
        assessment=assessment,
        standards=standards,
        counts=gates.readiness(record.rating for record in records),
        reviewed=len(findings),
        challenged=sum(1 for finding in findings if not finding.agrees),
        peer_reviewers=_people(assessment=assessment, part=Part.PEER_REVIEWER),
        actions=_actions(assessment=assessment),
        transitions=_transitions(assessment=assessment),
    )


@dataclass(frozen=True)
class SelfAssessmentSummary:
    """How far the service is from meeting the framework, and each requirement's rating."""

    assessment: Assessment
    readiness: Readiness
    groups: list[RecordGroup]


def self_assessment_summary(*, assessment: Assessment) -> SelfAssessmentSummary:
    records = _records(assessment=assessment)
    return SelfAssessmentSummary(
        assessment=assessment,
        readiness=gates.readiness(record.rating for record in records),
        groups=_grouped_by_parent(records),
    )


# Side by side


@dataclass(frozen=True)
class CommissionedService:
    """One row of a commissioner's overview: the service's latest completed review, its RAG
    status and trend against the review before, and what is open."""

    service: Service
    latest: Assessment | None
    previous: Assessment | None
    in_progress: Assessment | None
    open_actions: int
    reassessment_due: date | None

    @property
    def status(self) -> RagRating | None:
        return gates.outcome_rag(self.latest.state) if self.latest else None

    @property
    def trend(self) -> Trend | None:
        if self.latest is None:
            return None
        return gates.review_trend(
            previous=self.previous.state if self.previous else None, current=self.latest.state
        )


def commissioned_services_overview(
    *, user: Person, today: date | None = None
) -> list[CommissionedService]:
    rows = []
    services = commissioned_services(user=user, today=today).select_related("organisation")
    for service in services.order_by("organisation__name", "name"):
        checklists = Assessment.objects.filter(service=service, process=Process.WELSH_COMMISSIONING)
        completed = list(
            checklists.filter(state__in=WELSH_COMPLETE).order_by("-decided_at", "-pk")[:2]
        )
        open_actions = Action.objects.filter(assessment__in=checklists, status=ActionStatus.OPEN)
        reassessment = (
            open_actions.filter(record__isnull=True, assessment=completed[0]).first()
            if completed
            else None
        )
        rows.append(
            CommissionedService(
                service=service,
                latest=completed[0] if completed else None,
                previous=completed[1] if len(completed) > 1 else None,
                in_progress=checklists.filter(state=State.DRAFT).order_by("-pk").first(),
                open_actions=open_actions.count(),
                reassessment_due=reassessment.due_on if reassessment else None,
            )
        )
    return rows


@dataclass(frozen=True)
class AgencyResult:
    """An agency (a service of an organisation in the partnership) and its latest submitted
    self-evaluation's summary."""

    organisation: Organisation
    service: Service
    latest: Assessment | None
    counts: Readiness | None
    challenged: int
    open_actions: int


@dataclass(frozen=True)
class PartnershipOverview:
    partnership: LocalPartnership
    agencies: list[AgencyResult]


def partnership_overview(*, user: Person, partnership_id: int) -> PartnershipOverview:
    """The partnership's agencies' latest submitted self-evaluations; 404 unless this person is
    a commissioner member of it."""
    partnership = partnerships_for_user(user=user).filter(pk=partnership_id).first()
    if partnership is None:
        raise Http404("No such partnership")
    agencies = []
    services = Service.objects.filter(
        organisation__in=partnership.organisations.all()
    ).select_related("organisation")
    for service in services.order_by("organisation__name", "name"):
        latest = (
            Assessment.objects.filter(
                service=service,
                process=Process.WEST_MIDLANDS_SELF_EVALUATION,
                state__in=WEST_MIDLANDS_SUBMITTED,
            )
            .order_by("-submitted_at", "-pk")
            .first()
        )
        counts = challenged = open_actions = None
        if latest is not None:
            counts = gates.readiness(latest.records.values_list("rating", flat=True))
            challenged = PeerReviewFinding.objects.filter(
                record__assessment=latest, agrees=False
            ).count()
            open_actions = latest.actions.filter(status=ActionStatus.OPEN).count()
        agencies.append(
            AgencyResult(
                organisation=service.organisation,
                service=service,
                latest=latest,
                counts=counts,
                challenged=challenged or 0,
                open_actions=open_actions or 0,
            )
        )
    return PartnershipOverview(partnership=partnership, agencies=agencies)
