"""A case from screening to closing: screening (rules cj-pending, min-age, routine-enquiry,
child-contact-expert, language-parity), assessment and decision (rule assessment-outcome),
consent, the start of the intervention (rule iss-before-start), allocation (rule
not-same-staff) and closure."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases import gates
from tandem.cases.models import (
    ClosureReason,
    FamilyProceedings,
    PerpetratorCase,
    Stage,
    TransitionKind,
)
from tandem.cases.services.common import case_lock_for_write, case_transition, refuse_future
from tandem.cases.services.engagement import engagement_change_tasks_create
from tandem.compliance import deadlines
from tandem.compliance.models import DueTask, TaskSide
from tandem.compliance.services import due_task_create
from tandem.lib.calendar import Jurisdiction
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.organisations.gates import case_management_lead_refusal
from tandem.organisations.models import Service
from tandem.organisations.selectors import iss_side_services, perpetrator_side_services
from tandem.standards.models import InterventionType
from tandem.support.barrier import SURVIVOR, survivor_tasks_create
from tandem.workforce.gates import allocation_refusal


def _require_stage(*, case: PerpetratorCase, allowed: set[Stage], action: str) -> None:
    if case.stage not in allowed:
        expected = " or ".join(sorted(Stage(s).label.lower() for s in allowed))
        raise ActionRefused(
            f"cannot {action}: the case is {Stage(case.stage).label.lower()}, not {expected}",
            field="stage",
        )


@dataclass(frozen=True)
class ScreeningDetails:
    criminal_justice: str
    family_proceedings: str
    family_proceedings_judgement: str = ""
    substance_use: str = ""
    mental_health: str = ""
    social_services_involved: bool | None = None
    social_worker_details: str = ""
    protected_characteristics_barriers: str = ""
    barriers_delivery_plan: str = ""
    pursuing_child_contact: bool = False
    child_contact_expert_assessment: bool = False
    attendance_required_by_criminal_court: bool = False
    partner_language_needs_unmet: bool = False


def _referral_response_task(*, case: PerpetratorCase, now: datetime) -> None:
    """Rule referral-response: a referral not accepted is explained to the referrer, with
    alternatives, within the service's stated timeframe."""
    due_task_create(
        service=case.service,
        rule_id="referral-response",
        title=f"Tell the referrer why {case.reference} was not accepted, with alternatives",
        side=TaskSide.PERPETRATOR,
        due_at=deadlines.referral_response_due(
            decided_at=now,
            working_days=case.service.referral_response_working_days,
            jurisdiction=Jurisdiction(case.service.jurisdiction),
        ),
        now=now,
        perpetrator_case=case,
        assigned_to=case.allocated_worker,
    )


@transaction.atomic
def perpetrator_case_screen(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    screening: ScreeningDetails,
    now: datetime | None = None,
) -> PerpetratorCase:
    """Record screening. Pre-sentence criminal justice (rule cj-pending) and under-18 without
    youth provision (rule min-age) close the case as not accepted; 18-21 is flagged for extra
    care; routine enquiry (rule routine-enquiry) is recorded."""
    now = now or timezone.now()
    case = case_lock_for_write(case=case, expected_version=expected_version)
    _require_stage(case=case, allowed={Stage.REFERRED}, action="screen")
    if screening.social_services_involved and not screening.social_worker_details.strip():
        raise ActionRefused(
            "social services are involved: record the social worker's details",
            rule_id="routine-enquiry",
            field="social_worker_details",
        )
    if (
        screening.family_proceedings == FamilyProceedings.OLDER
        and not screening.family_proceedings_judgement.strip()
    ):
        raise ActionRefused(
            "private law proceedings ended over 12 months ago: record the professional judgement",
            rule_id="family-court",
            field="family_proceedings_judgement",
        )
    before = model_snapshot(instance=case)
    for name, value in screening.__dict__.items():
        setattr(case, name, value)
    today = timezone.localdate(now)
    case.screened_at = now
    case.needs_extra_care_young_adult = gates.needs_young_adult_care(
        date_of_birth=case.date_of_birth, on=today
    )
    refusals = gates.gate_cj_pending(criminal_justice=screening.criminal_justice)
    refusals += gates.gate_min_age(
        date_of_birth=case.date_of_birth,
        on=today,
        has_youth_provision=case.service.has_youth_provision,
    )
    refusals += gates.gate_child_contact_expert(
        pursuing_child_contact=screening.pursuing_child_contact,
        expert_assessment_on_file=screening.child_contact_expert_assessment,
        required_by_criminal_court=screening.attendance_required_by_criminal_court,
    )
    refusals += gates.gate_language_parity(
        partner_language_needs_unmet=screening.partner_language_needs_unmet
    )
    if refusals:
        case.closed_at = now
        case.closure_reason = ClosureReason.NOT_ACCEPTED
        case.closure_detail = "; ".join(f"{r.message} (rule {r.rule_id})" for r in refusals)
        _referral_response_task(case=case, now=now)
        return case_transition(
            case=case,
            actor=actor,
            kind=TransitionKind.NOT_ACCEPTED,
            to_stage=Stage.CLOSED,
            now=now,
            reason=case.closure_detail,
            before=before,
        )
    return case_transition(
        case=case,
        actor=actor,
        kind=TransitionKind.SCREENED,
        to_stage=Stage.SCREENED,
        now=now,
        before=before,
    )


@dataclass(frozen=True)
class AssessmentDetails:
    risk_summary: str
    need_summary: str
    responsivity_summary: str
    motivation_summary: str
    accepted: bool
    decision_statement: str
    intervention_type: str = ""
    acknowledges_some_abuse: bool = False
    sees_abuse_as_a_problem: bool = False
    accepts_some_responsibility: bool = False
    agrees_conditions: bool = False


def _offered(service: Service, intervention_type: str) -> bool:
    return {
        InterventionType.BEHAVIOUR_CHANGE: service.offers_behaviour_change,
        InterventionType.EARLY_RESPONSE: service.offers_early_response,
        InterventionType.ICM: service.offers_icm,
    }.get(InterventionType(intervention_type), False)


@transaction.atomic
def perpetrator_case_assess(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    assessment: AssessmentDetails,
    now: datetime | None = None,
) -> PerpetratorCase:
    """Record risk, need, responsivity and motivation and the decision with its factual
    statement; communicating the outcome to him (if safe), the survivors and the referrer is
    due within 1 working day (rule assessment-outcome)."""
    now = now or timezone.now()
    case = case_lock_for_write(case=case, expected_version=expected_version)
    _require_stage(case=case, allowed={Stage.SCREENED}, action="record the assessment")
    for name in ("risk_summary", "need_summary", "responsivity_summary", "motivation_summary"):
        if not getattr(assessment, name).strip():
            raise ActionRefused(f"enter the {name.replace('_summary', '')} assessment", field=name)
    if not assessment.decision_statement.strip():
        raise ActionRefused(
            "enter the factual statement of the decision",
            rule_id="assessment-outcome",
            field="decision_statement",
        )
    if assessment.accepted:
        if assessment.intervention_type not in InterventionType.values:
            raise ActionRefused(
                "choose the intervention he is accepted for", field="intervention_type"
            )
        if not _offered(case.service, assessment.intervention_type):
            offered = InterventionType(assessment.intervention_type).label.lower()
            raise ActionRefused(
                f"this service does not offer {offered}",
                field="intervention_type",
            )
        refusals = gates.gate_family_court(
            family_proceedings=case.family_proceedings,
            judgement=case.family_proceedings_judgement,
            intervention_type=assessment.intervention_type,
        )
        if refusals:
            raise ActionRefused(
                refusals[0].message, rule_id=refusals[0].rule_id, field="intervention_type"
            )
    before = model_snapshot(instance=case)
    for name, value in assessment.__dict__.items():
        if name != "accepted":
            setattr(case, name, value)
    case.assessed_at = now
    jurisdiction = Jurisdiction(case.service.jurisdiction)
    due = deadlines.assessment_outcome_due(decided_at=now, jurisdiction=jurisdiction)
    for who in ("him (if safe)", "the referrer"):
        due_task_create(
            service=case.service,
            rule_id="assessment-outcome",
            title=f"Tell {who} the assessment outcome for {case.reference}",
            side=TaskSide.PERPETRATOR,
            due_at=due,
            now=now,
            perpetrator_case=case,
            assigned_to=case.allocated_worker,
        )
    survivor_tasks_create(
        case=case,
        rule_id="assessment-outcome",
        title=f"Tell {SURVIVOR} the outcome of the assessment of {case.reference}",
        due_at=due,
        now=now,
    )
    if assessment.accepted:
        return case_transition(
            case=case,
            actor=actor,
            kind=TransitionKind.ASSESSED,
            to_stage=Stage.ASSESSED,
            now=now,
            before=before,
        )
    case.closed_at = now
    case.closure_reason = ClosureReason.NOT_ACCEPTED
    case.closure_detail = assessment.decision_statement
    _referral_response_task(case=case, now=now)
    return case_transition(
        case=case,
        actor=actor,
        kind=TransitionKind.NOT_ACCEPTED,
        to_stage=Stage.CLOSED,
        now=now,
        reason=assessment.decision_statement,
        before=before,
    )


@dataclass(frozen=True)
class ConsentDetails:
    signed_on: date | None
    covers_case_file_review: bool = False
    covers_recorded_sessions: bool = False
    agrees_not_to_block_iss: bool = False
    refused: bool = False
    not_sought_reason: str = ""


@transaction.atomic
def perpetrator_case_record_consent(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    consent: ConsentDetails,
    now: datetime | None = None,
) -> PerpetratorCase:
    """Rule consent: the signed agreement (with case-file review and recorded sessions), or his
    refusal (no place is offered), or why consent could not be sought."""
    now = now or timezone.now()
    case = case_lock_for_write(case=case, expected_version=expected_version)
    _require_stage(case=case, allowed={Stage.SCREENED, Stage.ASSESSED}, action="record consent")
    if consent.signed_on is not None:
        refuse_future(value=consent.signed_on, field_name="signed_on", now=now)
    if consent.refused and consent.signed_on is not None:
        raise ActionRefused("a refused agreement has no signed date", field="signed_on")
    if not consent.refused and consent.signed_on is None and not consent.not_sought_reason.strip():
        raise ActionRefused(
            "enter the date he signed, record that he refused, or say why consent cannot be sought",
            rule_id="consent",
            field="signed_on",
        )
    before = model_snapshot(instance=case)
    case.consent_signed_on = consent.signed_on
    case.consent_covers_case_file_review = consent.covers_case_file_review
    case.consent_covers_recorded_sessions = consent.covers_recorded_sessions
    # Rule iss-blocking (R22 C1.6): his undertaking not to block survivors' contact with the ISS.
    case.consent_agrees_not_to_block_iss = consent.agrees_not_to_block_iss
    case.consent_refused = consent.refused
    case.consent_not_sought_reason = consent.not_sought_reason
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db()
    audit_event_record(
        actor=actor,
        action="changed",
        target=case,
        summary="consent recorded" + (": refused" if consent.refused else ""),
        before=before,
        after=model_snapshot(instance=case),
    )
    if consent.refused:
        case.closed_at = now
        case.closure_reason = ClosureReason.NOT_ACCEPTED
        case.closure_detail = "refused the confidentiality agreement (rule consent)"
        return case_transition(
            case=case,
            actor=actor,
            kind=TransitionKind.NOT_ACCEPTED,
            to_stage=Stage.CLOSED,
            now=now,
            reason=case.closure_detail,
            before=before,
        )
    return case


@transaction.atomic
def perpetrator_case_start_intervention(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> PerpetratorCase:
    """Refused until consent is signed, every survivor has had contact established by the ISS (or
    the reason it is unsafe or impossible is recorded), and the screening gates pass."""
    now = now or timezone.now()
    case = case_lock_for_write(case=case, expected_version=expected_version)
    _require_stage(case=case, allowed={Stage.ASSESSED}, action="start intervention")
    refusals = gates.intervention_start_refusals(case=case)
    if refusals:
        raise ActionRefused(
            "cannot start intervention: " + "; ".join(r.message for r in refusals),
            rule_id=refusals[0].rule_id,
        )
    before = model_snapshot(instance=case)
    case.intervention_started_at = now
    return case_transition(
        case=case,
        actor=actor,
        kind=TransitionKind.INTERVENTION_STARTED,
        to_stage=Stage.IN_INTERVENTION,
        now=now,
        before=before,
    )


@transaction.atomic
def perpetrator_case_close(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    reason: str,
    detail: str = "",
    now: datetime | None = None,
) -> PerpetratorCase:
    """Close with a reason from the fixed list ('other' needs the detail). The ISS cases go on.

    Leaving an intervention (completed, dropped out, ...) is an engagement change: the ISS is
    told within 24 hours and each survivor within 3 working days (rule engagement-change).
    De-selection is not a closure reason here: it goes through the removal workflow (rule
    suspend-remove), which needs the ISS consulted, survivors told first and a sign-off.
    Closing, whichever way, ends the tasks it makes moot (TASKS_ENDED_BY_CLOSURE).
    """
    now = now or timezone.now()
    case = case_lock_for_write(case=case, expected_version=expected_version)
    if case.stage == Stage.CLOSED:
        raise ActionRefused("the case is already closed", field="stage")
    if reason == ClosureReason.DESELECTED:
        raise ActionRefused(
            "de-selection goes through the removal workflow: propose a removal instead",
            rule_id="suspend-remove",
            field="reason",
        )
    if reason not in ClosureReason.values or reason == ClosureReason.NOT_ACCEPTED:
        raise ActionRefused("choose a reason for closing from the list", field="reason")
    if reason == ClosureReason.OTHER and not detail.strip():
        raise ActionRefused("say why the case is closing", field="detail")
    before = model_snapshot(instance=case)
    left_intervention = case.stage in (Stage.IN_INTERVENTION, Stage.SUSPENDED)
    case.closed_at = now
    case.closure_reason = reason
    case.closure_detail = detail
    if left_intervention:
        engagement_change_tasks_create(
            case=case, change=f"case closed ({ClosureReason(reason).label.lower()})", now=now
        )
    return case_transition(
        case=case,
        actor=actor,
        kind=TransitionKind.CLOSED,
        to_stage=Stage.CLOSED,
        now=now,
        reason=ClosureReason(reason).label + (f": {detail}" if detail else ""),
        before=before,
    )


@transaction.atomic
def perpetrator_case_allocate(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    worker: User,
) -> PerpetratorCase:
    """Allocate his worker, who takes over the case's open perpetrator-side tasks. Only someone
    on the service's perpetrator side, and not also on its ISS side (rule not-same-staff: the
    ISS is never delivered by staff who deliver the intervention)."""
    case = case_lock_for_write(case=case, expected_version=expected_version)
    if case.stage == Stage.CLOSED:
        raise ActionRefused("the case is closed: there is no one to allocate", field="worker")
    if iss_side_services(user=worker).filter(pk=case.service_id).exists():
        raise ActionRefused(
            f"{person_name(worker)} works on the ISS side: the intervention must not be delivered "
            "by ISS staff",
            rule_id="not-same-staff",
            field="worker",
        )
    if not perpetrator_side_services(user=worker).filter(pk=case.service_id).exists():
        raise ActionRefused(
            f"{person_name(worker)} is not a perpetrator worker of this service", field="worker"
        )
    if case.allocated_worker_id == worker.pk:
        raise ActionRefused(
            f"the case is already allocated to {person_name(worker)}", field="worker"
        )
    dbs_refusal = allocation_refusal(user=worker, service=case.service, on=timezone.localdate())
    if dbs_refusal:
        raise ActionRefused(dbs_refusal, rule_id="dbs", field="worker")
    lead_refusal = case_management_lead_refusal(user=worker, service=case.service)
    if lead_refusal:
        raise ActionRefused(lead_refusal, rule_id="case-management-lead", field="worker")
    before = model_snapshot(instance=case)
    case.allocated_worker = worker
    case.version = F("version") + 1
    case.save(update_fields=["allocated_worker", "version"])
    case.refresh_from_db()
    reassigned = DueTask.objects.filter(
        perpetrator_case=case, side=TaskSide.PERPETRATOR, completed_at__isnull=True
    ).update(assigned_to=worker)
    audit_event_record(
        actor=actor,
        action="changed",
        target=case,
        summary=f"allocated to {person_name(worker)}, with {reassigned} open task(s)",
        before=before,
        after=model_snapshot(instance=case),
    )
    return case
