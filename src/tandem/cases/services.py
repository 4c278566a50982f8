"""Writes to perpetrator cases. Each transition checks the standards' gates, records who, when and
why, writes the audit event, and creates the tasks the standards make due."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from uuid import uuid4

from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.access.roles import Role, roles_of
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases import gates
from tandem.cases.models import (
    ActionPlanItem,
    CaseReviewEntry,
    CaseReviewMeeting,
    Child,
    ClosureReason,
    ContactNote,
    EngagementChange,
    EngagementChangeKind,
    ExternalReport,
    FamilyProceedings,
    FileAudit,
    PerpetratorCase,
    ReferralSource,
    RiskAssessment,
    RiskConcern,
    RiskEngagementExchange,
    RiskPoint,
    Stage,
    SuspensionKind,
    SuspensionProposal,
    TransitionKind,
)
from tandem.cases.rules import MANAGE_CASE_REVIEWS, RECORD_SUSPENSION_ISS_STEPS, SIGN_OFF
from tandem.cases.selectors import (
    file_audit_candidates,
    open_cases_at,
)
from tandem.compliance import deadlines
from tandem.compliance.models import DueTask, TaskSide
from tandem.compliance.services import due_task_create, due_tasks_complete
from tandem.lib.calendar import UK_TIME, Jurisdiction, recorded_late
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.gates import case_management_lead_refusal
from tandem.organisations.models import Service, Side, StaffMembership
from tandem.organisations.selectors import (
    iss_side_services,
    perpetrator_side_services,
)
from tandem.standards.models import InterventionType
from tandem.support.models import Relationship
from tandem.support.services import survivor_receive_from_referral
from tandem.workforce.gates import allocation_refusal


@dataclass(frozen=True)
class SurvivorDetails:
    first_name: str
    last_name: str
    relationship: Relationship
    phone: str = ""
    email: str = ""
    date_of_birth: date | None = None


@dataclass(frozen=True)
class ChildDetails:
    first_name: str
    relationship_to_perpetrator: str
    last_name: str = ""
    date_of_birth: date | None = None
    lives_with_perpetrator: bool = False


@dataclass(frozen=True)
class ReferralDetails:
    first_name: str
    last_name: str
    date_of_birth: date
    received_at: datetime
    source: ReferralSource
    phone: str = ""
    referrer_name: str = ""
    referrer_organisation: str = ""
    referrer_contact: str = ""
    survivors: list[SurvivorDetails] = field(default_factory=list)
    children: list[ChildDetails] = field(default_factory=list)


def _refuse_future(*, value: date | datetime, field_name: str, now: datetime) -> None:
    if isinstance(value, datetime) and value > now:
        raise ActionRefused(
            f"{field_name.replace('_', ' ')} cannot be in the future", field=field_name
        )
    if not isinstance(value, datetime) and value > timezone.localdate(now):
        raise ActionRefused(
            f"{field_name.replace('_', ' ')} cannot be in the future", field=field_name
        )


def _validate_referral(*, details: ReferralDetails, now: datetime) -> None:
    if not details.first_name.strip() or not details.last_name.strip():
        raise ActionRefused("enter his first and last name", field="last_name")
    _refuse_future(value=details.received_at, field_name="received_at", now=now)
    _refuse_future(value=details.date_of_birth, field_name="date_of_birth", now=now)
    if details.source == ReferralSource.AGENCY:
        if not details.survivors:
            raise ActionRefused(
                "an agency referral must give the survivors' and others at risk's contact details",
                rule_id="iss-handover",
                field="survivors",
            )
        for number, survivor in enumerate(details.survivors, start=1):
            if not (survivor.phone.strip() or survivor.email.strip()):
                raise ActionRefused(
                    f"survivor {number}: an agency referral must give a phone number or email",
                    rule_id="iss-handover",
                    field="survivors",
                )
    for number, child in enumerate(details.children, start=1):
        if child.date_of_birth is None:
            continue
        _refuse_future(value=child.date_of_birth, field_name="child_date_of_birth", now=now)
        if child.date_of_birth <= details.date_of_birth:
            raise ActionRefused(
                f"child {number}: born on or before his date of birth: check both dates",
                field="child_date_of_birth",
            )


def _possible_duplicates(*, service: Service, details: ReferralDetails) -> list[PerpetratorCase]:
    same_person = Q(
        first_name__iexact=details.first_name.strip(),
        last_name__iexact=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
    )
    if details.phone.strip():
        same_person |= Q(phone=details.phone.strip())
    return list(PerpetratorCase.objects.filter(same_person, service=service))


@transaction.atomic
def perpetrator_referral_receive(
    *,
    service: Service,
    actor: User,
    details: ReferralDetails,
    now: datetime | None = None,
) -> PerpetratorCase:
    """Record a referral with its survivors and children. Survivors' details go straight to the
    ISS side, each with an ISS referral due within 24 hours (rule iss-handover). Possible
    duplicates (same name and date of birth, or same phone) are flagged, never merged."""
    now = now or timezone.now()
    _validate_referral(details=details, now=now)
    duplicates = _possible_duplicates(service=service, details=details)
    case = PerpetratorCase.objects.create(
        service=service,
        # A placeholder unique until the row has its id, which the reference is made from.
        reference=f"new-{uuid4().hex[:16]}",
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
        phone=details.phone.strip(),
        referral_received_at=details.received_at,
        referral_source=details.source,
        referrer_name=details.referrer_name,
        referrer_organisation=details.referrer_organisation,
        referrer_contact=details.referrer_contact,
        created_by=actor,
    )
    case.reference = f"P{case.pk:06d}"
    case.save(update_fields=["reference"])
    case.possible_duplicate_of.set(duplicates)
    for position, survivor in enumerate(details.survivors, start=1):
        survivor_receive_from_referral(
            case=case,
            position=position,
            first_name=survivor.first_name,
            last_name=survivor.last_name,
            relationship=survivor.relationship,
            phone=survivor.phone,
            email=survivor.email,
            date_of_birth=survivor.date_of_birth,
            received_at=details.received_at,
            actor=actor,
            now=now,
        )
    Child.objects.bulk_create(
        Child(
            case=case,
            first_name=child.first_name,
            last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            relationship_to_perpetrator=child.relationship_to_perpetrator,
            lives_with_perpetrator=child.lives_with_perpetrator,
        )
        for child in details.children
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=case,
        summary=f"referral received ({case.get_referral_source_display().lower()})"
        + (
            f"; possible duplicate of {', '.join(d.reference for d in duplicates)}"
            if duplicates
            else ""
        ),
        after=model_snapshot(instance=case),
    )
    return case


def _lock_for_write(*, case: PerpetratorCase, expected_version: int) -> PerpetratorCase:
    """Re-read the case under a row lock and refuse if someone changed it since it was read."""
    current = PerpetratorCase.objects.select_for_update().select_related("service").get(pk=case.pk)
    if current.version != expected_version:
        raise StaleRecord(f"case {current.reference}")
    return current


# Perpetrator-side tasks that lapse when the case closes, whichever way it closes: there is no
# next risk assessment of a man who has left (rule risk-points), and after closure concerns about
# the children go to children's social care, not to a case review (rule child-retrigger). Telling
# the ISS and the survivors that he left (rule engagement-change) and every ISS-side task go on.
TASKS_ENDED_BY_CLOSURE = ("risk-points", "child-retrigger")


def tasks_ended_by_closure(*, reason: str) -> tuple[str, ...]:
    """The rules whose open tasks a closure for `reason` ends. A man who completed the
    intervention is still due his end-of-intervention risk assessment (rule risk-points), so
    that task stays open until it is recorded."""
    if reason == ClosureReason.COMPLETED:
        return tuple(rule for rule in TASKS_ENDED_BY_CLOSURE if rule != "risk-points")
    return TASKS_ENDED_BY_CLOSURE


def _end_tasks_closure_makes_moot(*, case: PerpetratorCase, actor: User, now: datetime) -> int:
    """Mark the case's open tasks that the closure ends done (a due task has no other way to
    end); how many is said in the closing transition's audit event."""
    return DueTask.objects.filter(
        perpetrator_case=case,
        side=TaskSide.PERPETRATOR,
        rule_id__in=tasks_ended_by_closure(reason=case.closure_reason),
        completed_at__isnull=True,
    ).update(completed_at=now, completed_by=actor)


def _transition(
    *,
    case: PerpetratorCase,
    actor: User,
    kind: TransitionKind,
    to_stage: Stage,
    now: datetime,
    reason: str = "",
    before: dict[str, object],
) -> PerpetratorCase:
    from_stage = case.stage
    case.stage = to_stage
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db()
    case.transitions.create(
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor,
        occurred_at=now,
        reason=reason,
    )
    ended = (
        _end_tasks_closure_makes_moot(case=case, actor=actor, now=now)
        if to_stage == Stage.CLOSED
        else 0
    )
    audit_event_record(
        actor=actor,
        action="transitioned",
        target=case,
        summary=f"{Stage(from_stage).label} → {Stage(to_stage).label}"
        + (f": {reason}" if reason else "")
        + (f" ({ended} task(s) that closing ends marked done)" if ended else ""),
        before=before,
        after=model_snapshot(instance=case),
    )
    return case


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
    case = _lock_for_write(case=case, expected_version=expected_version)
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
        return _transition(
            case=case,
            actor=actor,
            kind=TransitionKind.NOT_ACCEPTED,
            to_stage=Stage.CLOSED,
            now=now,
            reason=case.closure_detail,
            before=before,
        )
    return _transition(
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
    case = _lock_for_write(case=case, expected_version=expected_version)
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
    for link in case.survivor_links.select_related("survivor__iss_case"):
        due_task_create(
            service=case.service,
            rule_id="assessment-outcome",
            title=f"Tell {link.survivor} the outcome of the assessment of {case.reference}",
            side=TaskSide.ISS,
            due_at=due,
            now=now,
            perpetrator_case=case,
            iss_case=link.survivor.iss_case,
            assigned_to=link.survivor.iss_case.allocated_worker,
        )
    if assessment.accepted:
        return _transition(
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
    return _transition(
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
    case = _lock_for_write(case=case, expected_version=expected_version)
    _require_stage(case=case, allowed={Stage.SCREENED, Stage.ASSESSED}, action="record consent")
    if consent.signed_on is not None:
        _refuse_future(value=consent.signed_on, field_name="signed_on", now=now)
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
        return _transition(
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
    case = _lock_for_write(case=case, expected_version=expected_version)
    _require_stage(case=case, allowed={Stage.ASSESSED}, action="start intervention")
    refusals = gates.intervention_start_refusals(case=case)
    if refusals:
        raise ActionRefused(
            "cannot start intervention: " + "; ".join(r.message for r in refusals),
            rule_id=refusals[0].rule_id,
        )
    before = model_snapshot(instance=case)
    case.intervention_started_at = now
    return _transition(
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
    case = _lock_for_write(case=case, expected_version=expected_version)
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
        _engagement_change_tasks(
            case=case, change=f"case closed ({ClosureReason(reason).label.lower()})", now=now
        )
    return _transition(
        case=case,
        actor=actor,
        kind=TransitionKind.CLOSED,
        to_stage=Stage.CLOSED,
        now=now,
        reason=ClosureReason(reason).label + (f": {detail}" if detail else ""),
        before=before,
    )


# Suspension and removal (rule suspend-remove, R22-S B4.2, R22 C1.6, WG 8-9): proposed by the
# perpetrator side, decided with the ISS, survivors told first, then a senior manager signs off.

SUSPEND_REMOVE = "suspend-remove"


def _engagement_change_tasks(*, case: PerpetratorCase, change: str, now: datetime) -> None:
    """Rule engagement-change (R22 C1.8): the ISS told within 24 hours, and each survivor (by her
    ISS worker) within 3 working days."""
    due_task_create(
        service=case.service,
        rule_id="engagement-change",
        title=f"Tell the ISS: {change} for {case.reference}",
        side=TaskSide.PERPETRATOR,
        due_at=deadlines.engagement_change_iss_due(changed_at=now),
        now=now,
        perpetrator_case=case,
        assigned_to=case.allocated_worker,
    )
    survivor_due = deadlines.engagement_change_survivor_due(
        changed_at=now, jurisdiction=Jurisdiction(case.service.jurisdiction)
    )
    for link in case.survivor_links.select_related("survivor__iss_case"):
        iss_case = link.survivor.iss_case
        due_task_create(
            service=case.service,
            rule_id="engagement-change",
            title=f"Tell {link.survivor}: {change} for {case.reference}",
            side=TaskSide.ISS,
            due_at=survivor_due,
            now=now,
            perpetrator_case=case,
            iss_case=iss_case,
            assigned_to=iss_case.allocated_worker,
        )


def engagement_changes_allowed(*, stage: str) -> list[EngagementChangeKind]:
    """Rule engagement-change (R22 C1.8, NE 5.4.3): the changes that can be recorded at a stage.
    Only a man in the intervention or suspended from it has engagement to change; a suspended
    man's suspension is no longer being considered."""
    if stage == Stage.IN_INTERVENTION:
        return list(EngagementChangeKind)
    if stage == Stage.SUSPENDED:
        return [k for k in EngagementChangeKind if k != EngagementChangeKind.SUSPENSION_CONSIDERED]
    return []


@transaction.atomic
def engagement_change_record(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    change: str,
    detail: str,
    now: datetime | None = None,
) -> EngagementChange:
    """Rule engagement-change (R22 C1.8, NE 5.4.3): a missed session, lost contact, a suspension
    being considered or his being assessed as unsuitable. Telling the ISS becomes due within 24
    hours and each survivor, through her ISS worker, within 3 working days."""
    now = now or timezone.now()
    case = _lock_for_write(case=case, expected_version=expected_version)
    allowed = engagement_changes_allowed(stage=case.stage)
    if not allowed:
        raise ActionRefused(
            f"cannot record an engagement change: the case is {Stage(case.stage).label.lower()}, "
            "not in intervention or suspended",
            rule_id="engagement-change",
            field="stage",
        )
    if change not in EngagementChangeKind.values:
        raise ActionRefused("choose what changed", rule_id="engagement-change", field="change")
    kind = EngagementChangeKind(change)
    if kind not in allowed:
        raise ActionRefused(
            f"he is {Stage(case.stage).label.lower()}: choose another change",
            rule_id="engagement-change",
            field="change",
        )
    if not detail.strip():
        raise ActionRefused(
            "say what happened, for the ISS and the survivors",
            rule_id="engagement-change",
            field="detail",
        )
    record = EngagementChange.objects.create(
        case=case, change=kind, detail=detail.strip(), recorded_at=now, recorded_by=actor
    )
    # The case's record of changes grew: a form opened before it is stale.
    case.version = F("version") + 1
    case.save(update_fields=["version"])
    case.refresh_from_db()
    _engagement_change_tasks(case=case, change=kind.label.lower(), now=now)
    audit_event_record(
        actor=actor,
        action="created",
        target=record,
        summary=f"engagement change on {case.reference}: {kind.label.lower()}",
        after=model_snapshot(instance=record),
    )
    return record


@transaction.atomic
def suspension_propose(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    kind: str,
    reason: str,
    now: datetime | None = None,
) -> SuspensionProposal:
    """Propose suspending him (on hold) or removing him. Nothing changes for him until the ISS is
    consulted, the survivors are told first and a senior manager signs off. Considering it is an
    engagement change, so telling the ISS and each survivor becomes due at once."""
    now = now or timezone.now()
    case = _lock_for_write(case=case, expected_version=expected_version)
    if case.stage != Stage.IN_INTERVENTION:
        raise ActionRefused(
            "cannot propose a suspension or removal: the case is "
            f"{Stage(case.stage).label.lower()}, not in intervention",
            rule_id=SUSPEND_REMOVE,
            field="stage",
        )
    if kind not in SuspensionKind.values:
        raise ActionRefused(
            "choose whether he is to be suspended or removed", rule_id=SUSPEND_REMOVE, field="kind"
        )
    if not reason.strip():
        raise ActionRefused(
            "say why he is to be suspended or removed", rule_id=SUSPEND_REMOVE, field="reason"
        )
    waiting = gates.suspension_awaiting_sign_off(case=case)
    if waiting is not None:
        raise ActionRefused(
            f"a {waiting.get_kind_display().lower()} is already proposed and awaiting sign-off",
            rule_id=SUSPEND_REMOVE,
            field="kind",
        )
    proposal = SuspensionProposal.objects.create(
        case=case, kind=kind, reason=reason.strip(), proposed_by=actor, proposed_at=now
    )
    # Proposing changes what the case page offers, so a form opened before it is stale.
    case.version = F("version") + 1
    case.save(update_fields=["version"])
    case.refresh_from_db()
    label = SuspensionKind(kind).label
    audit_event_record(
        actor=actor,
        action="created",
        target=proposal,
        summary=f"{label} proposed: {proposal.reason}",
        after=model_snapshot(instance=proposal),
    )
    considered = (
        "suspension considered" if kind == SuspensionKind.SUSPENSION else "removal considered"
    )
    _engagement_change_tasks(case=case, change=considered, now=now)
    return proposal


def _lock_proposal(*, proposal: SuspensionProposal, action: str) -> SuspensionProposal:
    current = (
        SuspensionProposal.objects.select_for_update()
        .select_related("case__service")
        .get(pk=proposal.pk)
    )
    if current.signed_off_at is not None:
        raise ActionRefused(
            f"cannot {action}: the {current.get_kind_display().lower()} was already signed off",
            rule_id=SUSPEND_REMOVE,
        )
    return current


def _complete_proposal_tasks(
    *, proposal: SuspensionProposal, side: TaskSide, actor: User, now: datetime
) -> None:
    """Close the engagement-change tasks this proposal created on one side of the barrier."""
    DueTask.objects.filter(
        rule_id="engagement-change",
        side=side,
        perpetrator_case=proposal.case,
        created_at=proposal.proposed_at,
        completed_at__isnull=True,
    ).update(completed_at=now, completed_by=actor)


def _suspension_step_record(
    *,
    proposal: SuspensionProposal,
    actor: User,
    now: datetime | None,
    action: str,
    step: str,
    tasks_side: TaskSide,
    summary: str,
) -> SuspensionProposal:
    """Record one of the ISS's steps on a proposal (`step` names its `<step>_at` and `<step>_by`
    fields) and complete that side's engagement-change tasks of the proposal."""
    now = now or timezone.now()
    proposal = _lock_proposal(proposal=proposal, action=action)
    refuse_unless_permitted(
        actor=actor,
        permission=RECORD_SUSPENSION_ISS_STEPS,
        target=proposal.case,
        refusal=f"cannot {action}: only the ISS of this service can record it",
        rule_id=SUSPEND_REMOVE,
        field="",
    )
    if getattr(proposal, f"{step}_at") is not None:
        raise ActionRefused(f"cannot {action}: it is already recorded", rule_id=SUSPEND_REMOVE)
    before = model_snapshot(instance=proposal)
    setattr(proposal, f"{step}_at", now)
    setattr(proposal, f"{step}_by", actor)
    proposal.save(update_fields=[f"{step}_at", f"{step}_by"])
    _complete_proposal_tasks(proposal=proposal, side=tasks_side, actor=actor, now=now)
    audit_event_record(
        actor=actor,
        action="changed",
        target=proposal,
        summary=summary,
        before=before,
        after=model_snapshot(instance=proposal),
    )
    return proposal


@transaction.atomic
def suspension_record_iss_consultation(
    *, proposal: SuspensionProposal, actor: User, now: datetime | None = None
) -> SuspensionProposal:
    """The ISS records that it was consulted on the proposal, which also means it has been told
    of the engagement change (rule engagement-change): only the "tell the ISS" task completes,
    as each survivor still has to be told."""
    return _suspension_step_record(
        proposal=proposal,
        actor=actor,
        now=now,
        action="record the ISS consultation",
        step="iss_consulted",
        tasks_side=TaskSide.PERPETRATOR,
        summary="ISS consulted on the proposal",
    )


@transaction.atomic
def suspension_record_survivors_informed(
    *, proposal: SuspensionProposal, actor: User, now: datetime | None = None
) -> SuspensionProposal:
    """The ISS records that the survivors were told first, so each could be safety-planned."""
    return _suspension_step_record(
        proposal=proposal,
        actor=actor,
        now=now,
        action="record that the survivors were told",
        step="survivors_informed",
        tasks_side=TaskSide.ISS,
        summary="survivors told of the proposal first",
    )


@transaction.atomic
def suspension_sign_off(
    *, proposal: SuspensionProposal, actor: User, now: datetime | None = None
) -> PerpetratorCase:
    """A senior manager of the service signs off, once the ISS consultation and the survivors
    being told are recorded. A suspension puts the case on hold; a removal closes it as
    de-selected. The survivors' ISS cases go on either way."""
    now = now or timezone.now()
    proposal = _lock_proposal(proposal=proposal, action="sign off")
    label = proposal.get_kind_display().lower()
    refuse_unless_permitted(
        actor=actor,
        permission=SIGN_OFF,
        target=proposal.case,
        refusal=f"cannot sign off the {label}: only a senior manager of the service can",
        rule_id=SUSPEND_REMOVE,
        field="",
    )
    case = (
        PerpetratorCase.objects.select_for_update()
        .select_related("service")
        .get(pk=proposal.case_id)
    )
    if case.stage != Stage.IN_INTERVENTION:
        raise ActionRefused(
            f"cannot sign off the {label}: the case is {Stage(case.stage).label.lower()}, "
            "not in intervention",
            rule_id=SUSPEND_REMOVE,
        )
    refusals = gates.gate_suspension_sign_off(proposal=proposal)
    if refusals:
        raise ActionRefused(
            f"cannot sign off the {label}: " + "; ".join(r.message for r in refusals),
            rule_id=SUSPEND_REMOVE,
        )
    before = model_snapshot(instance=case)
    proposal.signed_off_at = now
    proposal.signed_off_by = actor
    proposal.save(update_fields=["signed_off_at", "signed_off_by"])
    audit_event_record(
        actor=actor,
        action="changed",
        target=proposal,
        summary=f"{label} signed off",
    )
    if proposal.kind == SuspensionKind.SUSPENSION:
        return _transition(
            case=case,
            actor=actor,
            kind=TransitionKind.SUSPENDED,
            to_stage=Stage.SUSPENDED,
            now=now,
            reason=proposal.reason,
            before=before,
        )
    case.closed_at = now
    case.closure_reason = ClosureReason.DESELECTED
    case.closure_detail = proposal.reason
    return _transition(
        case=case,
        actor=actor,
        kind=TransitionKind.CLOSED,
        to_stage=Stage.CLOSED,
        now=now,
        reason=f"{ClosureReason.DESELECTED.label}: {proposal.reason}",
        before=before,
    )


@transaction.atomic
def perpetrator_case_reengage(
    *,
    case: PerpetratorCase,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> PerpetratorCase:
    """A suspended man re-engages and goes back into the intervention (rule suspend-remove:
    re-engagement is tried before de-selection where it is safe)."""
    now = now or timezone.now()
    case = _lock_for_write(case=case, expected_version=expected_version)
    if case.stage != Stage.SUSPENDED:
        raise ActionRefused(
            f"cannot re-engage him: the case is {Stage(case.stage).label.lower()}, not suspended",
            rule_id=SUSPEND_REMOVE,
            field="stage",
        )
    return _transition(
        case=case,
        actor=actor,
        kind=TransitionKind.REENGAGED,
        to_stage=Stage.IN_INTERVENTION,
        now=now,
        before=model_snapshot(instance=case),
    )


# Case records: contact notes, risk assessments and the action plan, children, allocation, case
# management reviews, case-file audits and reports to other agencies.


def _close_of_day(day: date) -> datetime:
    """A task due "by" a date is due at the end of that working day, UK time."""
    return datetime.combine(day, time(17, 0), tzinfo=UK_TIME)


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


# The contacts rule record-1wd covers, stored as written here so a note reads the same everywhere.
CONTACT_KINDS = (
    "Session with him",
    "Phone call or message with him",
    "Contact with a professional",
    "Multi-agency meeting",
    "Case-specific supervision",
    "Risk or need review",
)


@transaction.atomic
def contact_note_record(
    *,
    case: PerpetratorCase,
    actor: User,
    occurred_at: datetime,
    kind: str,
    note: str,
    now: datetime | None = None,
) -> ContactNote:
    """Rule record-1wd (R22-S B2.2, R22-I B2.1): contacts are recorded within 1 working day of
    happening. A note recorded later is kept all the same, flagged as recorded late."""
    now = now or timezone.now()
    _refuse_future(value=occurred_at, field_name="occurred_at", now=now)
    if kind not in CONTACT_KINDS:
        raise ActionRefused("choose what kind of contact it was", field="kind")
    if not note.strip():
        raise ActionRefused("write what happened", field="note")
    contact_note = ContactNote.objects.create(
        case=case,
        occurred_at=occurred_at,
        recorded_at=now,
        recorded_by=actor,
        kind=kind,
        note=note.strip(),
        recorded_late=recorded_late(
            occurred_at=occurred_at,
            recorded_at=now,
            jurisdiction=Jurisdiction(case.service.jurisdiction),
        ),
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=contact_note,
        summary=f"contact note on {case.reference}"
        + (": recorded more than 1 working day late" if contact_note.recorded_late else ""),
        after=model_snapshot(instance=contact_note),
    )
    return contact_note


@dataclass(frozen=True)
class PlannedAction:
    action: str
    due_on: date | None = None


# The scheduled assessment after each scheduled point of a behaviour-change intervention.
_NEXT_RISK_POINT = {RiskPoint.INTAKE: RiskPoint.HALFWAY, RiskPoint.HALFWAY: RiskPoint.END}


@transaction.atomic
def risk_assessment_record(
    *,
    case: PerpetratorCase,
    actor: User,
    point: str,
    summary: str,
    actions: list[PlannedAction],
    event_description: str = "",
    next_assessment_due_on: date | None = None,
    outcome_told_to_him: bool = False,
    his_comment: str = "",
    outcome_not_told_reason: str = "",
    now: datetime | None = None,
) -> RiskAssessment:
    """Rule risk-points (R22-S/I B3.6, WG 7): risk is assessed at intake, half-way and end of a
    behaviour-change intervention and on any event that changes it. Its actions go into his
    action plan; the next scheduled assessment becomes a due task, and recording a scheduled
    assessment completes the one that was due (an event's assessment does not replace it).

    Rule outcome-comment (R08 D1.5): he is told the outcome and may comment, unless that is
    unsafe, in which case the reason is recorded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if point not in RiskPoint.values:
        raise ActionRefused("choose which assessment this is", field="point")
    point = RiskPoint(point)
    if not summary.strip():
        raise ActionRefused("write the assessment of his risk", field="summary")
    if point == RiskPoint.EVENT and not event_description.strip():
        raise ActionRefused(
            "say what happened that changes the risk",
            rule_id="risk-points",
            field="event_description",
        )
    behaviour_change = case.intervention_type == InterventionType.BEHAVIOUR_CHANGE
    if behaviour_change and point in _NEXT_RISK_POINT and next_assessment_due_on is None:
        raise ActionRefused(
            f"set when the {_NEXT_RISK_POINT[point].label.lower()} assessment is due",
            rule_id="risk-points",
            field="next_assessment_due_on",
        )
    if next_assessment_due_on is not None and next_assessment_due_on <= today:
        raise ActionRefused(
            "the next assessment must be due after today", field="next_assessment_due_on"
        )
    if not outcome_told_to_him and not outcome_not_told_reason.strip():
        raise ActionRefused(
            "record that he was told the outcome, or why telling him is unsafe",
            rule_id="outcome-comment",
            field="outcome_not_told_reason",
        )
    for number, planned in enumerate(actions, start=1):
        if not planned.action.strip():
            raise ActionRefused(f"action {number}: say what is to be done", field="actions")
        if planned.due_on is not None and planned.due_on < today:
            raise ActionRefused(
                f"action {number}: the due date cannot be in the past", field="actions"
            )
    assessment = RiskAssessment.objects.create(
        case=case,
        point=point,
        assessed_at=now,
        assessed_by=actor,
        summary=summary.strip(),
        event_description=event_description.strip(),
        outcome_told_to_him=outcome_told_to_him,
        his_comment=his_comment.strip() if outcome_told_to_him else "",
        outcome_not_told_reason="" if outcome_told_to_him else outcome_not_told_reason.strip(),
    )
    ActionPlanItem.objects.bulk_create(
        ActionPlanItem(
            risk_assessment=assessment, action=planned.action.strip(), due_on=planned.due_on
        )
        for planned in actions
    )
    if point != RiskPoint.EVENT:
        due_tasks_complete(rule_id="risk-points", perpetrator_case=case, actor=actor, now=now)
    if next_assessment_due_on is not None:
        next_point = _NEXT_RISK_POINT.get(point) if behaviour_change else None
        due_task_create(
            service=case.service,
            rule_id="risk-points",
            title=f"{next_point.label if next_point else 'Next'} risk assessment of "
            f"{case.reference}",
            side=TaskSide.PERPETRATOR,
            due_at=_close_of_day(next_assessment_due_on),
            now=now,
            perpetrator_case=case,
            assigned_to=case.allocated_worker,
        )
    audit_event_record(
        actor=actor,
        action="created",
        target=assessment,
        summary=f"{point.label.lower()} risk assessment of {case.reference} with "
        f"{len(actions)} action(s)",
        after=model_snapshot(instance=assessment),
    )
    return assessment


def case_review_due_for_service(*, service: Service, today: date) -> date:
    last = CaseReviewMeeting.objects.filter(service=service).order_by("-held_on").first()
    return deadlines.case_review_due(last_held_on=last.held_on if last else None, today=today)


class ChildTrigger(models.TextChoices):
    """What makes the children's needs due for re-examination (rule child-retrigger)."""

    INCIDENT = "incident", "A new incident of domestic abuse"
    PREGNANCY = "pregnancy", "A pregnancy"
    BIRTH = "birth", "A birth"
    NEW_CHILD = "new_child", "A new child in his household"


@transaction.atomic
def children_reexamination_trigger(
    *,
    case: PerpetratorCase,
    actor: User,
    trigger: str,
    details: str,
    now: datetime | None = None,
) -> DueTask:
    """Rule child-retrigger (R08 B7.10): a new incident, a pregnancy, a birth or a new child in
    his household prompts a re-examination of the children's needs through the case
    management process, so it is due by the next case management review (today, if that is
    already overdue)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if case.stage == Stage.CLOSED:
        raise ActionRefused(
            "the case is closed: raise it with children's social care instead", field="trigger"
        )
    if trigger not in ChildTrigger.values:
        raise ActionRefused("choose what happened", field="trigger")
    if not details.strip():
        raise ActionRefused("say what happened", field="details")
    next_review = case_review_due_for_service(service=case.service, today=today)
    label = ChildTrigger(trigger).label
    task = due_task_create(
        service=case.service,
        rule_id="child-retrigger",
        title=f"Re-examine the children's needs in {case.reference}: {label.lower()}",
        side=TaskSide.PERPETRATOR,
        due_at=_close_of_day(max(next_review, today)),
        now=now,
        perpetrator_case=case,
        assigned_to=case.allocated_worker,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=task,
        summary=f"children's needs to re-examine in {case.reference}: {label.lower()}: "
        f"{details.strip()}",
    )
    return task


@dataclass(frozen=True)
class ChildSocialCare:
    """What children's social care knows of the child (rules children-record and child-plan)."""

    known_to_childrens_social_care: bool | None = None
    plan: str = Child.Plan.NONE
    plan_review_on: date | None = None
    plan_copy_on_file: bool = False
    proceedings: str = Child.Proceedings.NONE


def _validate_child(
    *,
    case: PerpetratorCase,
    child: ChildDetails,
    social_care: ChildSocialCare,
    now: datetime,
) -> None:
    if not child.first_name.strip():
        raise ActionRefused("enter the child's first name", field="first_name")
    if not child.relationship_to_perpetrator.strip():
        raise ActionRefused("enter the child's relationship to him", field="relationship")
    if child.date_of_birth is not None:
        _refuse_future(value=child.date_of_birth, field_name="date_of_birth", now=now)
        if child.date_of_birth <= case.date_of_birth:
            raise ActionRefused(
                "the child would be older than him: check both dates of birth",
                rule_id="children-record",
                field="date_of_birth",
            )
    if social_care.plan not in Child.Plan.values:
        raise ActionRefused("choose the child's plan, or none", field="plan")
    if social_care.proceedings not in Child.Proceedings.values:
        raise ActionRefused("choose the proceedings about the child, or none", field="proceedings")
    has_plan = social_care.plan != Child.Plan.NONE
    if has_plan and social_care.known_to_childrens_social_care is False:
        raise ActionRefused(
            "a child with a plan is known to children's social care",
            field="known_to_childrens_social_care",
        )
    if has_plan and social_care.plan_review_on is None:
        raise ActionRefused(
            f"enter the {Child.Plan(social_care.plan).label.lower()}'s review date",
            rule_id="child-plan",
            field="plan_review_on",
        )
    if not has_plan and social_care.plan_review_on is not None:
        raise ActionRefused(
            "there is no plan to review: leave the review date blank", field="plan_review_on"
        )
    if social_care.plan == Child.Plan.CHILD_PROTECTION and not social_care.plan_copy_on_file:
        raise ActionRefused(
            "a copy of the child protection plan, with its review dates, must be on file",
            rule_id="child-plan",
            field="plan_copy_on_file",
        )
    if not has_plan and social_care.plan_copy_on_file:
        raise ActionRefused(
            "there is no plan to keep a copy of: choose the plan or untick this",
            field="plan_copy_on_file",
        )


def _set_child_fields(*, record: Child, child: ChildDetails, social_care: ChildSocialCare) -> None:
    record.first_name = child.first_name.strip()
    record.last_name = child.last_name.strip()
    record.date_of_birth = child.date_of_birth
    record.relationship_to_perpetrator = child.relationship_to_perpetrator.strip()
    record.lives_with_perpetrator = child.lives_with_perpetrator
    record.known_to_childrens_social_care = social_care.known_to_childrens_social_care
    record.plan = social_care.plan
    record.plan_review_on = social_care.plan_review_on
    record.plan_copy_on_file = social_care.plan_copy_on_file
    record.proceedings = social_care.proceedings


def _in_intervention(case: PerpetratorCase) -> bool:
    return case.stage in (Stage.IN_INTERVENTION, Stage.SUSPENDED)


@transaction.atomic
def child_add(
    *,
    case: PerpetratorCase,
    actor: User,
    child: ChildDetails,
    social_care: ChildSocialCare | None = None,
    now: datetime | None = None,
) -> Child:
    """Rule children-record (R22-S/I B5.1): every child connected to him. During the
    intervention, a child born since it started, or a child now living with him, also makes the
    children's needs due for re-examination (rule child-retrigger)."""
    now = now or timezone.now()
    social_care = social_care or ChildSocialCare()
    _validate_child(case=case, child=child, social_care=social_care, now=now)
    record = Child(case=case)
    _set_child_fields(record=record, child=child, social_care=social_care)
    record.save()
    audit_event_record(
        actor=actor,
        action="created",
        target=record,
        summary=f"child added to {case.reference}",
        after=model_snapshot(instance=record),
    )
    if _in_intervention(case):
        started = case.intervention_started_at
        born_since_start = (
            child.date_of_birth is not None
            and started is not None
            and child.date_of_birth >= timezone.localdate(started)
        )
        if born_since_start:
            trigger = ChildTrigger.BIRTH
        elif child.lives_with_perpetrator:
            trigger = ChildTrigger.NEW_CHILD
        else:
            return record
        children_reexamination_trigger(
            case=case,
            actor=actor,
            trigger=trigger,
            details=f"{record} added to the case",
            now=now,
        )
    return record


@transaction.atomic
def child_update(
    *,
    child: Child,
    actor: User,
    expected_version: int,
    details: ChildDetails,
    social_care: ChildSocialCare,
    now: datetime | None = None,
) -> Child:
    """Correct a child's details and record what children's social care knows: whether the
    child is known to it, a child in need or child protection plan with its review date (and,
    for child protection, a copy on file: rule child-plan), and any care or contact proceedings.
    A child newly living with him during the intervention is a child-retrigger. The case's
    version guards against two people editing the case at once."""
    now = now or timezone.now()
    case = _lock_for_write(case=child.case, expected_version=expected_version)
    record = Child.objects.select_for_update().get(pk=child.pk, case=case)
    _validate_child(case=case, child=details, social_care=social_care, now=now)
    before = model_snapshot(instance=record)
    moved_in = details.lives_with_perpetrator and not record.lives_with_perpetrator
    _set_child_fields(record=record, child=details, social_care=social_care)
    record.save()
    case.version = F("version") + 1
    case.save(update_fields=["version"])
    case.refresh_from_db()
    audit_event_record(
        actor=actor,
        action="changed",
        target=record,
        summary=f"child's details on {case.reference} changed",
        before=before,
        after=model_snapshot(instance=record),
    )
    if moved_in and _in_intervention(case):
        children_reexamination_trigger(
            case=case,
            actor=actor,
            trigger=ChildTrigger.NEW_CHILD,
            details=f"{record} now lives with him",
            now=now,
        )
    return record


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
    case = _lock_for_write(case=case, expected_version=expected_version)
    if case.stage == Stage.CLOSED:
        raise ActionRefused("the case is closed: there is no one to allocate", field="worker")
    if iss_side_services(user=worker).filter(pk=case.service_id).exists():
        raise ActionRefused(
            f"{_person(worker)} works on the ISS side: the intervention must not be delivered by "
            "ISS staff",
            rule_id="not-same-staff",
            field="worker",
        )
    if not perpetrator_side_services(user=worker).filter(pk=case.service_id).exists():
        raise ActionRefused(
            f"{_person(worker)} is not a perpetrator worker of this service", field="worker"
        )
    if case.allocated_worker_id == worker.pk:
        raise ActionRefused(f"the case is already allocated to {_person(worker)}", field="worker")
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
        summary=f"allocated to {_person(worker)}, with {reassigned} open task(s)",
        before=before,
        after=model_snapshot(instance=case),
    )
    return case


@dataclass(frozen=True)
class ReviewEntry:
    case: PerpetratorCase
    decisions: str
    actions: str = ""
    children_reexamined: bool = False


def _both_sides_represented(*, perpetrator_side: set[int], iss_side: set[int]) -> bool:
    """Two different people, one for each side. A manager on both sides can speak for either
    side, but not for both at once."""
    return any(one != other for one in perpetrator_side for other in iss_side)


def _staff_sides_on(*, service: Service, people: set[int], on: date) -> dict[int, str]:
    """Each person's side in the service on the day, for those on its staff that day."""
    memberships = StaffMembership.objects.filter(
        service=service, user_id__in=people, started_on__lte=on
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    return dict(memberships.values_list("user_id", "side"))


@transaction.atomic
def case_review_meeting_record(
    *,
    service: Service,
    actor: User,
    held_on: date,
    chair: User,
    attendees: list[User],
    entries: list[ReviewEntry],
    previous_actions_reviewed: str = "",
    now: datetime | None = None,
) -> CaseReviewMeeting:
    """Rule case-review (R22-S B2.1, R22-I B3.3): every case open that day considered, with
    decisions; the previous meeting's actions reviewed; the intervention and the ISS both
    represented; chaired by someone who does not work directly with service users. Ticking
    that a case's children's needs were re-examined completes its child-retrigger tasks."""
    now = now or timezone.now()
    _refuse_future(value=held_on, field_name="held_on", now=now)
    sides = _staff_sides_on(
        service=service, people={chair.pk, *(person.pk for person in attendees)}, on=held_on
    )
    if chair.pk not in sides:
        raise ActionRefused(f"{_person(chair)} is not on this service's staff", field="chair")
    if roles_of(chair) & {Role.PERPETRATOR_WORKER, Role.ISS_WORKER}:
        raise ActionRefused(
            f"{_person(chair)} works directly with service users: the chair must not",
            rule_id="case-review",
            field="chair",
        )
    outsiders = [_person(person) for person in attendees if person.pk not in sides]
    if outsiders:
        raise ActionRefused(
            f"not on this service's staff: {', '.join(outsiders)}", field="attendees"
        )
    represented = _both_sides_represented(
        perpetrator_side={
            pk for pk, side in sides.items() if side in (Side.PERPETRATOR, Side.BOTH)
        },
        iss_side={pk for pk, side in sides.items() if side in (Side.ISS, Side.BOTH)},
    )
    if not represented:
        raise ActionRefused(
            "the intervention and the ISS must both be represented, by different people",
            rule_id="case-review",
            field="attendees",
        )
    considered = [entry for entry in entries if entry.decisions.strip() or entry.actions.strip()]
    for entry in considered:
        if entry.case.service_id != service.pk:
            raise ActionRefused(
                f"{entry.case.reference} is not a case of this service", field="entries"
            )
        if not entry.decisions.strip():
            raise ActionRefused(
                f"record the decisions about {entry.case.reference}",
                rule_id="case-review",
                field="entries",
            )
    considered_ids = [entry.case.pk for entry in considered]
    if len(set(considered_ids)) != len(considered_ids):
        raise ActionRefused("each case is considered once per meeting", field="entries")
    missing = list(
        open_cases_at(service=service, on=held_on)
        .exclude(pk__in=considered_ids)
        .values_list("reference", flat=True)
    )
    if missing:
        raise ActionRefused(
            f"every open case must be considered, with decisions: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing",
            rule_id="case-review",
            field="entries",
        )
    previous = (
        CaseReviewMeeting.objects.filter(service=service, held_on__lte=held_on)
        .order_by("-held_on", "-recorded_at")
        .first()
    )
    actions_to_review = previous is not None and previous.entries.exclude(actions="").exists()
    if actions_to_review and not previous_actions_reviewed.strip():
        raise ActionRefused(
            "review the actions from the previous meeting",
            rule_id="case-review",
            field="previous_actions_reviewed",
        )
    meeting = CaseReviewMeeting.objects.create(
        service=service,
        held_on=held_on,
        chair=chair,
        previous_actions_reviewed=previous_actions_reviewed.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    meeting.attendees.set(attendees)
    CaseReviewEntry.objects.bulk_create(
        CaseReviewEntry(
            meeting=meeting,
            case=entry.case,
            decisions=entry.decisions.strip(),
            actions=entry.actions.strip(),
        )
        for entry in considered
    )
    DueTask.objects.filter(
        rule_id="child-retrigger",
        perpetrator_case__in=[entry.case.pk for entry in considered if entry.children_reexamined],
        completed_at__isnull=True,
    ).update(completed_at=now, completed_by=actor)
    audit_event_record(
        actor=actor,
        action="created",
        target=meeting,
        summary=f"case management review of {service.name}: {len(considered)} case(s) considered",
        after=model_snapshot(instance=meeting, fields=["held_on", "chair", "attendees"]),
    )
    return meeting


@transaction.atomic
def file_audit_record(
    *,
    service: Service,
    actor: User,
    audited_on: date,
    sample: list[PerpetratorCase],
    findings: str,
    feedback: str,
    now: datetime | None = None,
) -> FileAudit:
    """Rule file-audit (R22-S B2.3, R22-I B2.2): done by the intervention manager, with a record
    of the files sampled, the findings and the feedback given to the workers."""
    now = now or timezone.now()
    _refuse_future(value=audited_on, field_name="audited_on", now=now)
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_CASE_REVIEWS,
        target=service,
        refusal="case-file audits are done by the intervention manager of this service",
        rule_id="file-audit",
        field="",
    )
    if not sample:
        raise ActionRefused("choose the case files audited", rule_id="file-audit", field="sample")
    elsewhere = [case.reference for case in sample if case.service_id != service.pk]
    if elsewhere:
        raise ActionRefused(f"not a case of this service: {', '.join(elsewhere)}", field="sample")
    auditable = set(
        file_audit_candidates(service=service, today=audited_on)
        .filter(pk__in=[case.pk for case in sample])
        .values_list("pk", flat=True)
    )
    not_auditable = [case.reference for case in sample if case.pk not in auditable]
    if not_auditable:
        raise ActionRefused(
            f"not a file that could be audited on {audited_on:%d %b %Y} (referred after it, or "
            f"closed over 8 weeks before it): {', '.join(not_auditable)}",
            rule_id="file-audit",
            field="sample",
        )
    if not findings.strip():
        raise ActionRefused("record the findings", rule_id="file-audit", field="findings")
    if not feedback.strip():
        raise ActionRefused(
            "record the feedback given to the workers", rule_id="file-audit", field="feedback"
        )
    audit = FileAudit.objects.create(
        service=service,
        audited_on=audited_on,
        auditor=actor,
        findings=findings.strip(),
        feedback=feedback.strip(),
    )
    audit.sample.set(sample)
    audit_event_record(
        actor=actor,
        action="created",
        target=audit,
        summary=f"case-file audit of {service.name}: {len(sample)} file(s)",
        after=model_snapshot(instance=audit, fields=["audited_on", "auditor", "sample"]),
    )
    return audit


@dataclass(frozen=True)
class ReportSections:
    recipient: str
    recipient_name: str
    intervention_and_attendance: str
    further_abuse: str
    concerns_with_evidence: str
    limitations: str


# The report template's sections (rule external-report), in the order they are written.
REPORT_SECTIONS = {
    "intervention_and_attendance": "The nature of the intervention and his attendance",
    "further_abuse": "Further abuse",
    "concerns_with_evidence": "Concerns, with the evidence for each",
    "limitations": "Limitations: what can and cannot be concluded",
}


@transaction.atomic
def external_report_draft(
    *,
    case: PerpetratorCase,
    actor: User,
    sections: ReportSections,
    now: datetime | None = None,
) -> ExternalReport:
    """Rules external-report and limitations (R22-S B5.5-B5.6, B4.3): a report to children's
    social care, a court or another agency is written to the template, every section required,
    including what can and cannot be concluded. It is a draft until a senior manager signs it
    off."""
    now = now or timezone.now()
    if sections.recipient not in ExternalReport.Recipient.values:
        raise ActionRefused("choose who the report is for", field="recipient")
    if not sections.recipient_name.strip():
        raise ActionRefused("name the agency or court it is for", field="recipient_name")
    for name, heading in REPORT_SECTIONS.items():
        if not getattr(sections, name).strip():
            raise ActionRefused(
                f'write the section "{heading}"',
                rule_id="limitations" if name == "limitations" else "external-report",
                field=name,
            )
    report = ExternalReport.objects.create(
        case=case,
        drafted_by=actor,
        drafted_at=now,
        recipient=sections.recipient,
        **{name: getattr(sections, name).strip() for name in ("recipient_name", *REPORT_SECTIONS)},
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=report,
        summary=f"report on {case.reference} drafted for {report.recipient_name}",
    )
    return report


def _lock_report(*, report: ExternalReport) -> ExternalReport:
    return (
        ExternalReport.objects.select_for_update().select_related("case__service").get(pk=report.pk)
    )


@transaction.atomic
def external_report_sign_off(
    *, report: ExternalReport, actor: User, now: datetime | None = None
) -> ExternalReport:
    """Rule external-report: a senior manager of the service signs the report off before it can
    be released."""
    now = now or timezone.now()
    report = _lock_report(report=report)
    refuse_unless_permitted(
        actor=actor,
        permission=SIGN_OFF,
        target=report.case,
        refusal="only a senior manager of the service can sign off a report",
        rule_id="external-report",
        field="",
    )
    if report.signed_off_at is not None:
        raise ActionRefused("the report is already signed off", rule_id="external-report")
    report.signed_off_by = actor
    report.signed_off_at = now
    report.save(update_fields=["signed_off_by", "signed_off_at"])
    audit_event_record(
        actor=actor,
        action="changed",
        target=report,
        summary=f"report to {report.recipient_name} signed off",
    )
    return report


@transaction.atomic
def external_report_release(
    *, report: ExternalReport, actor: User, now: datetime | None = None
) -> ExternalReport:
    """Rule external-report: a report is never released without a senior manager's sign-off."""
    now = now or timezone.now()
    report = _lock_report(report=report)
    if report.signed_off_at is None:
        raise ActionRefused(
            "cannot release the report: a senior manager has not signed it off",
            rule_id="external-report",
        )
    if report.released_at is not None:
        raise ActionRefused(
            f"the report was already released on {report.released_at.astimezone(UK_TIME):%d %b %Y}"
        )
    report.released_at = now
    report.save(update_fields=["released_at"])
    audit_event_record(
        actor=actor,
        action="exported",
        target=report,
        summary=f"report on {report.case.reference} released to {report.recipient_name}",
    )
    return report


@transaction.atomic
def risk_concern_raise(
    *,
    case: PerpetratorCase,
    actor: User,
    concern: str,
    imminent: bool,
    now: datetime | None = None,
) -> RiskConcern:
    """Rule concern-24h (R22 C1.7, R08 B3.5): a specific risk concern from the perpetrator side
    goes to each survivor's ISS worker, due within 24 hours, or at once when imminent."""
    now = now or timezone.now()
    if not concern.strip():
        raise ActionRefused("describe the risk concern", rule_id="concern-24h", field="concern")
    if case.stage == Stage.CLOSED:
        raise ActionRefused("the case is closed: share the concern with the ISS directly")
    raised = RiskConcern.objects.create(
        case=case, concern=concern.strip(), imminent=imminent, raised_by=actor, raised_at=now
    )
    due = deadlines.concern_shared_due(raised_at=now, imminent=imminent)
    for link in case.survivor_links.select_related("survivor__iss_case"):
        iss_case = link.survivor.iss_case
        due_task_create(
            service=case.service,
            rule_id="concern-24h",
            title=f"{'Imminent r' if imminent else 'R'}isk concern about {case.reference}: act "
            f"on it with {link.survivor}",
            side=TaskSide.ISS,
            due_at=due,
            now=now,
            perpetrator_case=case,
            iss_case=iss_case,
            assigned_to=iss_case.allocated_worker,
        )
    audit_event_record(
        actor=actor,
        action="created",
        target=case,
        summary=f"{'imminent ' if imminent else ''}risk concern raised with the ISS",
    )
    return raised


@transaction.atomic
def risk_engagement_exchange_record(
    *,
    service: Service,
    actor: User,
    held_on: date,
    perpetrator_side_person: User,
    iss_side_person: User,
    summary: str,
    now: datetime | None = None,
) -> RiskEngagementExchange:
    """Rule weekly-exchange (R08 B3.5): a record of the weekly exchange of changes in risk and
    engagement between someone on the perpetrator side and someone on the ISS side."""
    now = now or timezone.now()
    _refuse_future(value=held_on, field_name="held_on", now=now)
    if not perpetrator_side_services(user=perpetrator_side_person).filter(pk=service.pk).exists():
        raise ActionRefused(
            "choose someone on the perpetrator side of this service",
            rule_id="weekly-exchange",
            field="perpetrator_side_person",
        )
    if not iss_side_services(user=iss_side_person).filter(pk=service.pk).exists():
        raise ActionRefused(
            "choose someone on the ISS side of this service",
            rule_id="weekly-exchange",
            field="iss_side_person",
        )
    if perpetrator_side_person.pk == iss_side_person.pk:
        raise ActionRefused(
            "an exchange is between two people, one from each side",
            rule_id="weekly-exchange",
            field="iss_side_person",
        )
    if not summary.strip():
        raise ActionRefused("record the changes in risk and engagement exchanged", field="summary")
    exchange = RiskEngagementExchange.objects.create(
        service=service,
        held_on=held_on,
        perpetrator_side_person=perpetrator_side_person,
        iss_side_person=iss_side_person,
        summary=summary.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    audit_event_record(actor=actor, action="created", target=exchange, summary="weekly exchange")
    return exchange
