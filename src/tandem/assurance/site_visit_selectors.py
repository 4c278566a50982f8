"""Reads of a Respect accreditation's site-visit plan and of the case files in its sample.

Who sees what (decided here, for the pages and any later API):
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

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404

from tandem.assurance.models import (
    CaseFileCheck,
    RecordedSession,
    SampledCaseFile,
    SessionObservation,
    SiteVisitInterview,
    SiteVisitPlan,
    State,
)
from tandem.assurance.rules import ASSESSING_PARTS
from tandem.assurance.selectors import AssessmentAccess, User, assessment_get_for_user
from tandem.assurance.site_visit import LIVE_STAGES, Stratum, risk_stratum
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


def site_visit_get_for_user(*, user: User, assessment_id: int) -> SiteVisitAccess:
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
    *, user: User, assessment_id: int, sampled_file_id: int
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
