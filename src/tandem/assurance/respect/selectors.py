"""Reads of Respect accreditations, each taking the user. An assessment someone may not open is a
404.

Who can open an accreditation (`assessment_get_for_user`):
- a service manager working in the assessed service: its evidence, and the findings once the
  report is released (the panel has decided);
- a participant, once they have declared no conflict of interest with the service (an assessor,
  verifier or panel member sees nothing before that); other parts (service contact) need no
  declaration;
- a lead assessor running the process: the overview (state, people, history) to allocate people
  and move it on, but not the evidence or findings unless they are also a declared participant.

These reads serve Respect accreditation only (`RESPECT_PROCESSES`): the other processes, whose
people and visibility differ (a Welsh checklist is the commissioner's until complete, a West
Midlands self-evaluation the agency's until submitted), are opened only through
`checklists.selectors`, so here they are a 404 like any assessment someone may not see.

After the panel: its appeals, and evidence offered from the service's earlier assessments.

The site-visit plan (`site_visit_get_for_user`):
- the assessment's declared assessors (assessor, lead, second) plan the visit and review: the
  whole plan, their checklists and observations, and the sampled case files, read-only;
- a service manager of the assessed service sees the plan (which files, interviews and
  recordings to prepare) but never the assessors' ticks, notes or observations;
- anyone else who can open the assessment (verifier, panel member, coordinating lead assessor)
  is refused the plan (403); anyone who cannot open it gets the assessment's 404.

A sampled case file is shown only to a declared assessor, only while the assessment is at the
site visit, and only while the case's consent record covers case-file review (R22 B3.2, rule
consent); anything else is a 404, so neither the file nor the sample is revealed.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import Person
from tandem.assurance import workflow
from tandem.assurance.gates import ASSESSING_PARTS
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Appeal,
    Assessment,
    AssessmentParticipant,
    CaseFileCheck,
    EvidenceCitation,
    EvidenceDocument,
    EvidenceOfferDecision,
    MethodJudgement,
    Part,
    Process,
    RecordedSession,
    RequirementRecord,
    SampledCaseFile,
    SessionObservation,
    SiteVisitInterview,
    SiteVisitPlan,
    State,
)
from tandem.assurance.respect.deadlines import is_accreditation_current
from tandem.assurance.respect.gates import LIVE_STAGES, Stratum, accepted_evidence, risk_stratum
from tandem.assurance.selectors import (
    active_participations,
    declared_parts,
    is_coordinator,
    managed_services,
    pending_declarations,
)
from tandem.cases import selectors as case_selectors
from tandem.cases.models import (
    ActionPlanItem,
    CaseTransition,
    Child,
    ContactNote,
    PerpetratorCase,
    RiskAssessment,
    RiskConcern,
)
from tandem.organisations.models import Service
from tandem.standards.models import InterventionType, RequirementMapping

# The processes these selectors (and the Respect pages and API built on them) open.
RESPECT_PROCESSES = frozenset({Process.RESPECT_ACCREDITATION})


def intervention_label(value: str) -> str:
    return InterventionType(value).label if value in InterventionType.values else value


def assessment_list_for_user(*, user: Person) -> QuerySet[Assessment]:
    visible = Q(service__in=managed_services(user=user)) | Q(
        pk__in=active_participations(user=user).values("assessment")
    )
    if is_coordinator(user=user):
        visible = Q()
    return (
        Assessment.objects.filter(visible, process__in=RESPECT_PROCESSES)
        .select_related("service__organisation", "framework")
        .order_by("-created_at", "-pk")
    )


def declarations_awaited_from(*, user: Person) -> QuerySet[AssessmentParticipant]:
    """This person's parts in Respect accreditations that wait for their conflict-of-interest
    declaration (the others are listed by `checklists.selectors.declarations_awaited`)."""
    return pending_declarations(user=user).filter(assessment__process__in=RESPECT_PROCESSES)


@dataclass(frozen=True)
class AssessmentAccess:
    """An assessment and what this person may see of it."""

    assessment: Assessment
    parts: frozenset[Part]
    manages_service: bool
    coordinates: bool

    @property
    def sees_evidence(self) -> bool:
        return self.manages_service or bool(self.parts)

    @property
    def sees_findings(self) -> bool:
        """Assessors' notes and judgements: the people assessing, verifying and deciding, and the
        service once the report is released."""
        if self.parts:
            return True
        return self.manages_service and workflow.findings_released(
            process=self.assessment.process, state=self.assessment.state
        )

    @property
    def read_only(self) -> bool:
        return workflow.is_read_only(process=self.assessment.process, state=self.assessment.state)


def assessment_get_for_user(*, user: Person, assessment_id: int) -> AssessmentAccess:
    assessment = (
        Assessment.objects.select_related("service__organisation", "framework", "created_by")
        .filter(pk=assessment_id, process__in=RESPECT_PROCESSES)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    access = AssessmentAccess(
        assessment=assessment,
        parts=declared_parts(user=user, assessment=assessment),
        manages_service=managed_services(user=user).filter(pk=assessment.service_id).exists(),
        coordinates=is_coordinator(user=user),
    )
    if not (access.sees_evidence or access.coordinates):
        raise Http404("No such assessment")
    return access


def _records(*, assessment: Assessment) -> QuerySet[RequirementRecord]:
    return (
        RequirementRecord.objects.filter(assessment=assessment)
        .select_related("requirement__framework", "requirement__parent", "judged_by")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=EvidenceCitation.objects.select_related("document").order_by("pk"),
            ),
            Prefetch(
                "method_judgements",
                queryset=MethodJudgement.objects.select_related("judged_by").order_by("pk"),
            ),
        )
        .order_by("position")
    )


def record_list_for(*, access: AssessmentAccess) -> list[RequirementRecord]:
    """The assessment's records, for someone who may see its evidence; none otherwise."""
    if not access.sees_evidence:
        return []
    return list(_records(assessment=access.assessment))


def record_get_for(*, access: AssessmentAccess, record_id: int) -> RequirementRecord:
    record = (
        _records(assessment=access.assessment).filter(pk=record_id).first()
        if access.sees_evidence
        else None
    )
    if record is None:
        raise Http404("No such requirement in this assessment")
    return record


def more_evidence_requested(record: RequirementRecord) -> bool:
    """An assessor has asked for more evidence on this record (by any method or as a whole).
    The service is told which records, not the assessors' notes."""
    return record.judgement == "more_evidence" or any(
        judgement.result == "more_evidence" for judgement in record.method_judgements.all()
    )


def documents_of(*, service: Service) -> QuerySet[EvidenceDocument]:
    return EvidenceDocument.objects.filter(service=service).order_by("title", "pk")


def document_get_for_user(*, user: Person, document_id: int) -> EvidenceDocument:
    """A document of a service this person manages, or of a service whose Respect accreditation
    they take part in (declared); 404 otherwise. A part in another process (a peer reviewer, an
    audit assessor) opens no documents: those processes keep their evidence in their records."""
    assessments = Assessment.objects.filter(
        pk__in=active_participations(user=user).values("assessment"),
        process__in=RESPECT_PROCESSES,
    )
    document = (
        EvidenceDocument.objects.filter(pk=document_id)
        .filter(
            Q(service__in=managed_services(user=user))
            | Q(service__in=assessments.values("service"))
        )
        .first()
    )
    if document is None:
        raise Http404("No such document")
    return document


def conditions_of(*, assessment: Assessment) -> QuerySet[Action]:
    """The conditions of the assessment's deferrals, newest decision first."""
    return (
        Action.objects.filter(assessment=assessment, panel_decision__isnull=False)
        .select_related("owner", "closed_by", "panel_decision")
        .order_by("-panel_decision__decided_at", "due_on", "pk")
    )


def open_conditions_of(*, assessment: Assessment) -> QuerySet[Action]:
    return conditions_of(assessment=assessment).filter(status=ActionStatus.OPEN)


def latest_accreditation_of(*, service: Service) -> Assessment | None:
    """The service's most recent Respect accreditation, current or expired: a new application
    is its reaccreditation."""
    return (
        Assessment.objects.filter(
            service=service,
            process=Process.RESPECT_ACCREDITATION,
            state__in=[State.ACCREDITED, State.EXPIRED],
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


def current_respect_accreditation(*, service: Service, today: date) -> Assessment | None:
    """The service's Respect accreditation holding today (`deadlines.is_accreditation_current`):
    what exempts it from the 2008 audit and counts as specialist accreditation in Wales."""
    accreditation = (
        Assessment.objects.filter(
            service=service, process=Process.RESPECT_ACCREDITATION, state=State.ACCREDITED
        )
        .exclude(expires_on__isnull=True)
        .order_by("-expires_on")
        .first()
    )
    if accreditation is None or not is_accreditation_current(
        expires_on=accreditation.expires_on, today=today
    ):
        return None
    return accreditation


@dataclass(frozen=True)
class RegisterEntry:
    organisation: str
    service: str
    scope: list[str]
    accredited_on: date
    expires_on: date


def public_register(*, today: date) -> list[RegisterEntry]:
    """Services holding Respect accreditation today, with what it covers and when it expires.
    Published: needs no sign-in, so it holds only what the register shows."""
    accredited = (
        Assessment.objects.filter(
            process=Process.RESPECT_ACCREDITATION,
            state=State.ACCREDITED,
            expires_on__gt=today,
            decided_at__isnull=False,
        )
        .select_related("service__organisation")
        .order_by("service__organisation__name", "service__name")
    )
    return [
        RegisterEntry(
            organisation=assessment.service.organisation.name,
            service=assessment.service.name,
            scope=[intervention_label(value) for value in assessment.scope],
            accredited_on=timezone.localdate(assessment.decided_at),
            expires_on=assessment.expires_on,  # type: ignore[arg-type]
        )
        for assessment in accredited
    ]


# After the panel: appeals, and evidence offered from earlier assessments


def appeals_of(*, assessment: Assessment) -> QuerySet[Appeal]:
    return Appeal.objects.filter(assessment=assessment).select_related(
        "decision__decided_by", "lodged_by", "heard_by"
    )


def open_appeal_of(*, assessment: Assessment) -> Appeal | None:
    return appeals_of(assessment=assessment).filter(outcome="").first()


@dataclass(frozen=True)
class EvidenceOffer:
    """Evidence already accepted in an earlier assessment of the same service, offered for a
    record instead of writing it again."""

    source: RequirementRecord
    # From the assessment this one follows (the last accreditation cycle).
    last_cycle: bool
    # The library's mapping between the two requirements; None for the same requirement.
    mapping: RequirementMapping | None


def evidence_offers_for(*, record: RequirementRecord) -> list[EvidenceOffer]:
    """Accepted evidence (`gates.accepted_evidence`) for the same requirement, or one
    the library maps to it in either direction in any framework, from the service's earlier
    assessments; leaving out what the service already accepted or declined for this record.
    The last cycle's first, then the newest."""
    assessment = record.assessment
    mappings: dict[int, RequirementMapping] = {}
    for mapping in RequirementMapping.objects.filter(
        Q(source_id=record.requirement_id) | Q(target_id=record.requirement_id)
    ).select_related("source__framework", "target__framework"):
        other = (
            mapping.target_id if mapping.source_id == record.requirement_id else mapping.source_id
        )
        mappings.setdefault(other, mapping)
    answered = EvidenceOfferDecision.objects.filter(record=record).values("source")
    sources = (
        RequirementRecord.objects.filter(accepted_evidence())
        .filter(
            requirement_id__in=[record.requirement_id, *mappings],
            assessment__service_id=assessment.service_id,
            assessment__created_at__lte=assessment.created_at,
        )
        .exclude(assessment_id=assessment.pk)
        .exclude(pk__in=answered)
        .exclude(pk=record.carried_from_id or 0)
        .distinct()
        .select_related("assessment__framework", "requirement__framework")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=EvidenceCitation.objects.select_related("document").order_by("pk"),
            )
        )
        .order_by("-assessment__created_at", "-pk")
    )
    offers = [
        EvidenceOffer(
            source=source,
            last_cycle=source.assessment_id == assessment.previous_id,
            mapping=mappings.get(source.requirement_id),
        )
        for source in sources
    ]
    return sorted(offers, key=lambda offer: not offer.last_cycle)


# The site visit


@dataclass(frozen=True)
class SiteVisitAccess:
    access: AssessmentAccess

    @property
    def plans(self) -> bool:
        """A declared assessor: plans the visit, reviews, and sees the notes."""
        return bool(self.access.parts & ASSESSING_PARTS)

    @property
    def sees_plan(self) -> bool:
        return self.plans or self.access.manages_service


def site_visit_get_for_user(*, user: Person, assessment_id: int) -> SiteVisitAccess:
    """404 for an assessment this person cannot open; the caller refuses (403) one whose plan
    they may not see (`sees_plan`)."""
    return SiteVisitAccess(assessment_get_for_user(user=user, assessment_id=assessment_id))


def plan_of(*, access: SiteVisitAccess) -> SiteVisitPlan | None:
    return SiteVisitPlan.objects.filter(assessment=access.access.assessment).first()


def live_cases_of(*, service: Service) -> QuerySet[PerpetratorCase]:
    """The service's live perpetrator cases, each with `latest_concern_imminent` (None when it
    raised no risk concern) and `consents_to_review`."""
    latest = RiskConcern.objects.filter(case=OuterRef("pk")).order_by("-raised_at", "-pk")
    return (
        PerpetratorCase.objects.filter(service=service, stage__in=LIVE_STAGES)
        .annotate(latest_concern_imminent=Subquery(latest.values("imminent")[:1]))
        .annotate(
            has_child_protection_plan=Exists(
                Child.objects.filter(case=OuterRef("pk"), plan=Child.Plan.CHILD_PROTECTION)
            )
        )
        .order_by("reference")
    )


def stratum_of(case: PerpetratorCase) -> Stratum:
    """The sampling stratum of a case from `live_cases_of` (annotated with its latest concern)."""
    imminent = getattr(case, "latest_concern_imminent", None)
    return (case.intervention_type, risk_stratum(latest_concern_imminent=imminent))


def reviewable(cases: QuerySet[PerpetratorCase]) -> QuerySet[PerpetratorCase]:
    """Cases whose consent record lets an accreditation assessor review the file (R22 B3.2)."""
    return cases.filter(consent_covers_case_file_review=True, consent_refused=False)


def sampled_files_of(*, plan: SiteVisitPlan) -> QuerySet[SampledCaseFile]:
    return plan.case_files.select_related("case", "added_by").order_by("position", "pk")


def checks_of(*, case_file: SampledCaseFile) -> dict[str, CaseFileCheck]:
    return {check.item: check for check in CaseFileCheck.objects.filter(case_file=case_file)}


def interviews_of(*, plan: SiteVisitPlan) -> QuerySet[SiteVisitInterview]:
    return plan.interviews.order_by("planned_on", "pk")


def recorded_sessions_of(*, plan: SiteVisitPlan) -> QuerySet[RecordedSession]:
    return plan.recorded_sessions.order_by("recorded_on", "pk")


def observations_of(*, session: RecordedSession) -> QuerySet[SessionObservation]:
    return session.observations.select_related("record__requirement", "noted_by").order_by(
        "at_seconds", "pk"
    )


def recorded_session_get(*, access: SiteVisitAccess, session_id: int) -> RecordedSession:
    session = (
        RecordedSession.objects.filter(pk=session_id, plan__assessment=access.access.assessment)
        .select_related("plan__assessment")
        .first()
    )
    if session is None or not access.plans:
        raise Http404("No such recorded session")
    return session


@dataclass(frozen=True)
class CaseFileSummary:
    """A sampled case file as the assessor reads it: the perpetrator side only. Never his or any
    survivor's contact details or address, nor the referrer's contact details."""

    sampled: SampledCaseFile
    case: PerpetratorCase
    transitions: list[CaseTransition]
    children: list[Child]
    risk_assessments: list[RiskAssessment]
    action_plan: list[ActionPlanItem]
    notes: list[ContactNote]
    risk_concerns: list[RiskConcern]


def sampled_file_get_for_user(
    *, user: Person, assessment_id: int, sampled_file_id: int
) -> CaseFileSummary:
    """A case file in the sample, read-only, for a declared assessor at the site visit, where the
    case's consent covers case-file review; 404 otherwise."""
    access = SiteVisitAccess(assessment_get_for_user(user=user, assessment_id=assessment_id))
    assessment = access.access.assessment
    if not access.plans or assessment.state != State.SITE_VISIT:
        raise Http404("No such case file")
    sampled = (
        SampledCaseFile.objects.filter(
            pk=sampled_file_id,
            plan__assessment=assessment,
            case__service_id=assessment.service_id,
            case__consent_covers_case_file_review=True,
            case__consent_refused=False,
        )
        .select_related("case", "plan")
        .first()
    )
    if sampled is None:
        raise Http404("No such case file")
    case = sampled.case
    return CaseFileSummary(
        sampled=sampled,
        case=case,
        transitions=list(case.transitions.select_related("actor").order_by("occurred_at", "pk")),
        children=list(case.children.order_by("date_of_birth", "pk")),
        risk_assessments=list(case_selectors.risk_assessments_of(case=case)),
        action_plan=list(case_selectors.action_plan_of(case=case)),
        notes=list(case_selectors.contact_notes_of(case=case)),
        risk_concerns=list(case.risk_concerns.order_by("-raised_at", "-pk")),
    )
