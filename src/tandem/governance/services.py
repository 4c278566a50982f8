"""Writes to governance records: policies and their acknowledgement, the model of work, reports
to the governing body, meetings and actions, agreements, named roles and the on-call rota,
complaints and feedback.

Each is keyword-only and transactional, checks who may (`rules.py`), its input (`inputs.py`) and
its rules (`gates.py`, `deadlines.py`), refuses with `ActionRefused` naming the field (and the
rule, where one refuses), and records an audit event in the same transaction: nothing is
half-saved.
"""

import hashlib
from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.governance import deadlines, gates
from tandem.governance.inputs import (
    TEXT_MAX,
    not_in_future,
    read_document,
    require_choice,
    require_staff,
    require_text,
)
from tandem.governance.models import (
    COMPLAINT_RESPONSE_WORKING_DAYS,
    ActionStatus,
    Agreement,
    AgreementKind,
    Complaint,
    ComplaintOutcome,
    EdiReview,
    EdiReviewKind,
    FeedbackEntry,
    FeedbackMethod,
    GovernanceAction,
    GovernanceMeeting,
    ModelOfWorkReview,
    OnCallShift,
    PerformanceReport,
    Policy,
    PolicyAcknowledgement,
    ReportStatus,
    RequiredPolicy,
)
from tandem.governance.rules import MANAGE_COMPLAINTS, MANAGE_GOVERNANCE, READ_POLICY_REGISTER
from tandem.governance.selectors import performance_report_draft_text
from tandem.lib.calendar import Jurisdiction
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.models import NamedRole, NamedRoleKind, Service

# The longest report kept (other texts: `inputs.TEXT_MAX`).
REPORT_TEXT_MAX = 100_000


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _only_managers(service: Service) -> str:
    return f"only a senior manager of {service.name} can record its governance"


def _created(*, actor: User, target: Model, summary: str, exclude: tuple[str, ...] = ()) -> None:
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=target,
        summary=summary,
        after=model_snapshot(instance=target, exclude=exclude),
    )


# The policy register (rule policies, R22 A1.1, WM 1)


@transaction.atomic
def policy_record(
    *,
    service: Service,
    required_policy: str,
    title: str,
    version_label: str,
    owner: User,
    approved_on: date,
    next_review_on: date,
    document: File | None,
    actor: User,
    now: datetime | None = None,
) -> Policy:
    """Record a version of a policy the governing body approved: it satisfies one required
    policy (R22 A1.1 a-k) and is reviewed within 3 years (rule policies)."""
    now = _now(now)
    today = timezone.localdate(now)
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_GOVERNANCE, target=service, refusal=_only_managers(service)
    )
    require_choice(
        required_policy,
        choices=RequiredPolicy.values,
        field="required_policy",
        what="which required policy (R22 A1.1 a-k) this satisfies",
    )
    title = require_text(title, field="title", what="the policy's title", limit=200)
    version_label = require_text(version_label, field="version_label", what="the version", limit=40)
    not_in_future(approved_on, field="approved_on", what="The approval date", today=today)
    refusal = gates.policy_review_refusal(approved_on=approved_on, next_review_on=next_review_on)
    if refusal is not None:
        raise refusal
    require_staff(user=owner, service=service, field="owner", on=today)
    if document is None:
        raise ActionRefused("choose the policy document to upload", field="document")
    content, name, kind = read_document(document)
    sha256 = hashlib.sha256(content).hexdigest()
    policy = Policy(
        service=service,
        required_policy=required_policy,
        title=title,
        version_label=version_label,
        owner=owner,
        approved_on=approved_on,
        next_review_on=next_review_on,
        document_name=name[:255],
        document_kind=kind,
        document_sha256=sha256,
        document_size=len(content),
        recorded_by=actor,
        recorded_at=now,
    )
    path = policy.document.field.generate_filename(policy, name)
    if policy.document.storage.exists(path):
        policy.document.name = path  # the same bytes, stored before
    else:
        policy.document.save(name, ContentFile(content), save=False)
    policy.save()
    _created(actor=actor, target=policy, summary=f"policy {title} {version_label} recorded")
    return policy


@transaction.atomic
def policy_acknowledge(
    *, policy: Policy, actor: User, now: datetime | None = None
) -> PolicyAcknowledgement:
    """A member of staff acknowledges that they have read this version of a policy (R22 A1.1
    guidance 2c: policies are part of every induction)."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor,
        permission=READ_POLICY_REGISTER,
        target=policy,
        refusal="only staff of the service can acknowledge its policies",
    )
    if PolicyAcknowledgement.objects.filter(policy=policy, user=actor).exists():
        raise ActionRefused(f"you have already acknowledged {policy}", field="policy")
    try:
        with transaction.atomic():
            acknowledgement = PolicyAcknowledgement.objects.create(
                policy=policy, user=actor, acknowledged_at=now
            )
    except IntegrityError:
        raise ActionRefused(f"you have already acknowledged {policy}", field="policy") from None
    _created(actor=actor, target=acknowledgement, summary=f"acknowledged {policy}")
    return acknowledgement


# The model of work (rule model-review, R22-S/I B1.2)


@transaction.atomic
def model_of_work_review_record(
    *,
    service: Service,
    version_label: str,
    reviewed_on: date,
    summary_of_changes: str,
    consultation: str,
    actor: User,
    now: datetime | None = None,
) -> ModelOfWorkReview:
    """Record a reviewed version of the model of work: its review date, a summary of the
    changes and the consultation with staff (rule model-review). The next is due 12 months
    later."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_GOVERNANCE, target=service, refusal=_only_managers(service)
    )
    version_label = require_text(version_label, field="version_label", what="the version", limit=40)
    not_in_future(
        reviewed_on, field="reviewed_on", what="The review date", today=timezone.localdate(now)
    )
    latest = ModelOfWorkReview.objects.filter(service=service).order_by("-reviewed_on").first()
    if latest is not None and reviewed_on < latest.reviewed_on:
        raise ActionRefused(
            f"a later review ({latest.reviewed_on:%-d %B %Y}) is already recorded",
            field="reviewed_on",
            rule_id="model-review",
        )
    review = ModelOfWorkReview.objects.create(
        service=service,
        version_label=version_label,
        reviewed_on=reviewed_on,
        summary_of_changes=require_text(
            summary_of_changes,
            field="summary_of_changes",
            what="a summary of the changes made (rule model-review)",
        ),
        consultation=require_text(
            consultation,
            field="consultation",
            what="the consultation held with the staff involved (R22 B1.2)",
        ),
        recorded_by=actor,
        recorded_at=now,
    )
    _created(actor=actor, target=review, summary=f"model of work {version_label} reviewed")
    return review


@transaction.atomic
def edi_review_record(
    *,
    service: Service,
    kind: str,
    reviewed_on: date,
    summary: str,
    actor: User,
    now: datetime | None = None,
) -> EdiReview:
    """Record a review of the equalities framework, the diversity goals or the service-user
    profile (rule edi-review, R22 D1.1, D1.3)."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_GOVERNANCE, target=service, refusal=_only_managers(service)
    )
    require_choice(kind, choices=EdiReviewKind.values, field="kind", what="what was reviewed")
    not_in_future(
        reviewed_on, field="reviewed_on", what="The review date", today=timezone.localdate(now)
    )
    review = EdiReview.objects.create(
        service=service,
        kind=kind,
        reviewed_on=reviewed_on,
        summary=require_text(summary, field="summary", what="what the review found and changed"),
        recorded_by=actor,
        recorded_at=now,
    )
    _created(actor=actor, target=review, summary=f"{review.get_kind_display()} reviewed")
    return review


# The governing body (rule governance-report, R22 A2.2)


@transaction.atomic
def performance_report_draft(
    *,
    service: Service,
    period_start: date,
    period_end: date,
    actor: User,
    now: datetime | None = None,
) -> PerformanceReport:
    """Draft a performance report for a period from the service's own records; the manager
    edits it, then marks it presented (rule governance-report)."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_GOVERNANCE, target=service, refusal=_only_managers(service)
    )
    if period_end < period_start:
        raise ActionRefused("the period must end on or after its start", field="period_end")
    if period_end > period_start + relativedelta(years=1):
        raise ActionRefused(
            "a performance report covers at most 12 months (at least quarterly, rule "
            "governance-report)",
            field="period_end",
            rule_id="governance-report",
        )
    not_in_future(
        period_start, field="period_start", what="The period's start", today=timezone.localdate(now)
    )
    report = PerformanceReport.objects.create(
        service=service,
        period_start=period_start,
        period_end=period_end,
        text=performance_report_draft_text(
            service=service, period_start=period_start, period_end=period_end, now=now
        ),
        created_by=actor,
        created_at=now,
    )
    _created(actor=actor, target=report, summary="performance report drafted")
    return report


def _locked(model: type[Model], *, pk: int, expected_version: int, what: str) -> Any:
    current: Any = model._default_manager.select_for_update().get(pk=pk)
    if current.version != expected_version:
        raise StaleRecord(what)
    return current


def _changed(*, actor: User, current: Model, before: dict[str, object], summary: str) -> None:
    current.version = F("version") + 1  # type: ignore[attr-defined]
    current.save()
    current.refresh_from_db()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        summary=summary,
        before=before,
        after=model_snapshot(instance=current),
    )


@transaction.atomic
def performance_report_update(
    *, report: PerformanceReport, text: str, expected_version: int, actor: User
) -> PerformanceReport:
    """The manager edits the draft; a presented report is the record of what was presented."""
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_GOVERNANCE,
        target=report.service,
        refusal=_only_managers(report.service),
    )
    current: PerformanceReport = _locked(
        PerformanceReport, pk=report.pk, expected_version=expected_version, what="the report"
    )
    if current.status == ReportStatus.PRESENTED:
        raise ActionRefused("a presented report cannot be changed", field="text")
    before = model_snapshot(instance=current)
    current.text = require_text(text, field="text", what="the report's text", limit=REPORT_TEXT_MAX)
    _changed(actor=actor, current=current, before=before, summary="performance report edited")
    return current


@transaction.atomic
def performance_report_present(
    *,
    report: PerformanceReport,
    presented_on: date,
    meeting: GovernanceMeeting | None,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> PerformanceReport:
    """Mark the report presented to the governing body on a meeting date (rule
    governance-report: the next is due 3 months later)."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_GOVERNANCE,
        target=report.service,
        refusal=_only_managers(report.service),
    )
    current: PerformanceReport = _locked(
        PerformanceReport, pk=report.pk, expected_version=expected_version, what="the report"
    )
    if current.status == ReportStatus.PRESENTED:
        raise ActionRefused(
            f"already presented on {current.presented_on:%-d %B %Y}", field="presented_on"
        )
    not_in_future(
        presented_on, field="presented_on", what="The meeting date", today=timezone.localdate(now)
    )
    if presented_on < current.period_start:
        raise ActionRefused(
            "a report cannot be presented before its period starts", field="presented_on"
        )
    if meeting is not None:
        if meeting.service_id != current.service_id:
            raise ActionRefused("choose a meeting of this service", field="meeting")
        if meeting.held_on != presented_on:
            raise ActionRefused(
                f"that meeting was held on {meeting.held_on:%-d %B %Y}, not on the date given",
                field="presented_on",
            )
    before = model_snapshot(instance=current)
    current.status = ReportStatus.PRESENTED
    current.presented_on = presented_on
    current.meeting = meeting
    _changed(actor=actor, current=current, before=before, summary="performance report presented")
    return current


@transaction.atomic
def governance_meeting_record(
    *,
    service: Service,
    held_on: date,
    body: str,
    minutes: str,
    actor: User,
    now: datetime | None = None,
) -> GovernanceMeeting:
    """The minutes of a governing body or senior management team meeting (R22 A2.2)."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_GOVERNANCE, target=service, refusal=_only_managers(service)
    )
    not_in_future(held_on, field="held_on", what="The meeting date", today=timezone.localdate(now))
    meeting = GovernanceMeeting.objects.create(
        service=service,
        held_on=held_on,
        body=require_text(body, field="body", what="who met (e.g. Board of trustees)", limit=200),
        minutes=require_text(minutes, field="minutes", what="the minutes"),
        recorded_by=actor,
        recorded_at=now,
    )
    _created(actor=actor, target=meeting, summary=f"{meeting.body} meeting recorded")
    return meeting


@transaction.atomic
def governance_action_add(
    *, meeting: GovernanceMeeting, description: str, owner: User, due_on: date, actor: User
) -> GovernanceAction:
    """An action the meeting agreed, with its owner and due date (R22 A2.2: actions are
    identified and monitored)."""
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_GOVERNANCE,
        target=meeting.service,
        refusal=_only_managers(meeting.service),
    )
    description = require_text(description, field="description", what="the action")
    if due_on < meeting.held_on:
        raise ActionRefused(
            "an action cannot be due before the meeting that agreed it", field="due_on"
        )
    require_staff(user=owner, service=meeting.service, field="owner", on=meeting.held_on)
    action = GovernanceAction.objects.create(
        meeting=meeting, description=description, owner=owner, due_on=due_on
    )
    _created(actor=actor, target=action, summary="governing body action recorded")
    return action


@transaction.atomic
def governance_action_status_set(
    *, action: GovernanceAction, status: str, expected_version: int, actor: User
) -> GovernanceAction:
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_GOVERNANCE,
        target=action.meeting.service,
        refusal=_only_managers(action.meeting.service),
    )
    require_choice(status, choices=ActionStatus.values, field="status", what="the action's status")
    current: GovernanceAction = _locked(
        GovernanceAction, pk=action.pk, expected_version=expected_version, what="the action"
    )
    before = model_snapshot(instance=current)
    current.status = status
    _changed(actor=actor, current=current, before=before, summary=f"action {status}")
    return current


# Agreements (R22 C1.7 partnership with an external ISS; D1.2 information sharing and service
# level agreements with specialist services)


@transaction.atomic
def agreement_record(
    *,
    service: Service,
    kind: str,
    title: str,
    parties: str,
    signed_on: date,
    review_on: date,
    actor: User,
    now: datetime | None = None,
) -> Agreement:
    now = _now(now)
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_GOVERNANCE, target=service, refusal=_only_managers(service)
    )
    require_choice(kind, choices=AgreementKind.values, field="kind", what="the kind of agreement")
    title = require_text(title, field="title", what="the agreement's title", limit=200)
    parties = require_text(parties, field="parties", what="the parties to the agreement")
    not_in_future(
        signed_on, field="signed_on", what="The date it was signed", today=timezone.localdate(now)
    )
    refusal = gates.agreement_dates_refusal(signed_on=signed_on, review_on=review_on)
    if refusal is not None:
        raise refusal
    agreement = Agreement.objects.create(
        service=service,
        kind=kind,
        title=title,
        parties=parties,
        signed_on=signed_on,
        review_on=review_on,
        recorded_by=actor,
        recorded_at=now,
    )
    _created(actor=actor, target=agreement, summary=f"{agreement.get_kind_display()} recorded")
    return agreement


@transaction.atomic
def agreement_review_record(
    *,
    agreement: Agreement,
    reviewed_on: date,
    next_review_on: date | None,
    ended_on: date | None,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> Agreement:
    """Record an agreement's review: renewed with its next review date, or ended (no review
    is due after it ends)."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_GOVERNANCE,
        target=agreement.service,
        refusal=_only_managers(agreement.service),
    )
    current: Agreement = _locked(
        Agreement, pk=agreement.pk, expected_version=expected_version, what="the agreement"
    )
    if current.ended_on is not None:
        raise ActionRefused(
            f"it ended on {current.ended_on:%-d %B %Y}: record a new agreement instead",
            field="reviewed_on",
        )
    today = timezone.localdate(now)
    not_in_future(reviewed_on, field="reviewed_on", what="The review date", today=today)
    if reviewed_on < current.signed_on:
        raise ActionRefused("it cannot be reviewed before it was signed", field="reviewed_on")
    if (next_review_on is None) == (ended_on is None):
        raise ActionRefused(
            "give either the next review date (renewed) or the date it ended, not both",
            field="next_review_on",
        )
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise ActionRefused("the next review must be after this one", field="next_review_on")
    if ended_on is not None and ended_on < current.signed_on:
        raise ActionRefused("it cannot end before it was signed", field="ended_on")
    before = model_snapshot(instance=current)
    if next_review_on is not None:
        current.review_on = next_review_on
    current.ended_on = ended_on
    _changed(
        actor=actor,
        current=current,
        before=before,
        summary="agreement ended" if ended_on else "agreement reviewed",
    )
    return current


# Named roles (R22 C1.7 out-of-hours lead and on-call rota; A2.1 case, risk and treatment
# management)


@transaction.atomic
def named_role_assign(
    *,
    service: Service,
    kind: str,
    user: User,
    from_date: date,
    to_date: date | None,
    actor: User,
) -> NamedRole:
    """Name a person of the service to a role. The case management lead must carry no caseload
    (rule case-management-lead)."""
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_GOVERNANCE, target=service, refusal=_only_managers(service)
    )
    require_choice(kind, choices=NamedRoleKind.values, field="kind", what="the role")
    if to_date is not None and to_date < from_date:
        raise ActionRefused("the last day cannot be before the first", field="to_date")
    require_staff(user=user, service=service, field="user", on=from_date)
    if kind == NamedRoleKind.CASE_MANAGEMENT_LEAD:
        refusal = gates.case_management_lead_caseload_refusal(user=user, service=service)
        if refusal is not None:
            raise refusal
    role = NamedRole.objects.create(
        service=service,
        kind=kind,
        user=user,
        from_date=from_date,
        to_date=to_date,
        recorded_by=actor,
    )
    _created(actor=actor, target=role, summary=f"named {role.get_kind_display()}")
    return role


@transaction.atomic
def named_role_end(*, role: NamedRole, to_date: date, actor: User) -> NamedRole:
    """Record the last day someone holds a named role."""
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_GOVERNANCE,
        target=role.service,
        refusal=_only_managers(role.service),
    )
    current = NamedRole.objects.select_for_update().get(pk=role.pk)
    if current.to_date is not None:
        raise ActionRefused(f"it already ends on {current.to_date:%-d %B %Y}", field="to_date")
    if to_date < current.from_date:
        raise ActionRefused("the last day cannot be before the first", field="to_date")
    before = model_snapshot(instance=current)
    current.to_date = to_date
    current.save(update_fields=["to_date"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        summary=f"{current.get_kind_display()} ends",
        before=before,
        after=model_snapshot(instance=current),
    )
    return current


@transaction.atomic
def on_call_shift_add(
    *, service: Service, user: User, starts_at: datetime, ends_at: datetime, actor: User
) -> OnCallShift:
    """Put someone of the service on the out-of-hours on-call rota (R22 C1.7)."""
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_GOVERNANCE, target=service, refusal=_only_managers(service)
    )
    if ends_at <= starts_at:
        raise ActionRefused("the shift must end after it starts", field="ends_at")
    require_staff(user=user, service=service, field="user", on=timezone.localdate(starts_at))
    overlapping = OnCallShift.objects.filter(
        service=service, user=user, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exists()
    if overlapping:
        raise ActionRefused("they are already on call for part of that time", field="starts_at")
    shift = OnCallShift.objects.create(
        service=service, user=user, starts_at=starts_at, ends_at=ends_at, recorded_by=actor
    )
    _created(actor=actor, target=shift, summary="on-call shift added")
    return shift


# Complaints (WG 18) and feedback (rule feedback, R22-S/I B7.3)


def _only_the_service_manager(service: Service) -> str:
    return f"only the service manager of {service.name} can record its complaints"


@transaction.atomic
def complaint_receive(
    *,
    service: Service,
    received_on: date,
    complainant: str,
    summary: str,
    response_working_days: int | None,
    actor: User,
    now: datetime | None = None,
) -> Complaint:
    """Record a complaint; its response is due within the service's timeframe (WG 18 ii: 20
    working days unless another is given)."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_COMPLAINTS,
        target=service,
        refusal=_only_the_service_manager(service),
    )
    not_in_future(
        received_on, field="received_on", what="The date received", today=timezone.localdate(now)
    )
    days = (
        COMPLAINT_RESPONSE_WORKING_DAYS if response_working_days is None else response_working_days
    )
    if not 1 <= days <= 60:
        raise ActionRefused(
            "the response timeframe must be between 1 and 60 working days",
            field="response_working_days",
            rule_id="complaints",
        )
    complaint = Complaint.objects.create(
        service=service,
        received_on=received_on,
        complainant=require_text(
            complainant, field="complainant", what="who complained", limit=200
        ),
        summary=require_text(summary, field="summary", what="what the complaint is about"),
        response_working_days=days,
        response_due_on=deadlines.complaint_response_due(
            received_on=received_on,
            working_days=days,
            jurisdiction=Jurisdiction(service.jurisdiction),
        ),
        recorded_by=actor,
    )
    _created(actor=actor, target=complaint, summary="complaint received")
    return complaint


@transaction.atomic
def complaint_update(
    *,
    complaint: Complaint,
    investigator: User | None,
    investigation: str,
    outcome: str,
    responded_on: date | None,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> Complaint:
    """Record the investigation, its outcome and when the complainant was told (WG 18 ii)."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_COMPLAINTS,
        target=complaint.service,
        refusal=_only_the_service_manager(complaint.service),
    )
    current: Complaint = _locked(
        Complaint, pk=complaint.pk, expected_version=expected_version, what="the complaint"
    )
    if outcome and outcome not in ComplaintOutcome.values:
        raise ActionRefused("choose the outcome", field="outcome")
    if investigator is not None:
        require_staff(
            user=investigator, service=current.service, field="investigator", on=current.received_on
        )
    if responded_on is not None:
        not_in_future(
            responded_on,
            field="responded_on",
            what="The response date",
            today=timezone.localdate(now),
        )
        if responded_on < current.received_on:
            raise ActionRefused(
                "the response cannot be before the complaint was received", field="responded_on"
            )
        if not outcome:
            raise ActionRefused(
                "record the outcome the complainant was told (WG 18 ii)",
                field="outcome",
                rule_id="complaints",
            )
    before = model_snapshot(instance=current)
    current.investigator = investigator
    current.investigation = (investigation or "").strip()[:TEXT_MAX]
    current.outcome = outcome
    current.responded_on = responded_on
    _changed(actor=actor, current=current, before=before, summary="complaint updated")
    return current


@transaction.atomic
def feedback_record(
    *,
    service: Service,
    received_on: date,
    method: str,
    from_side: str,
    theme: str,
    summary: str,
    change_made: str,
    actor: User,
    now: datetime | None = None,
) -> FeedbackEntry:
    """A service user's views and any change made because of them (rule feedback)."""
    now = _now(now)
    refuse_unless_permitted(
        actor=actor, permission=MANAGE_GOVERNANCE, target=service, refusal=_only_managers(service)
    )
    require_choice(method, choices=FeedbackMethod.values, field="method", what="how it was given")
    require_choice(
        from_side,
        choices=["perpetrator", "iss"],
        field="from_side",
        what="which part of the service it is about",
    )
    not_in_future(
        received_on, field="received_on", what="The date received", today=timezone.localdate(now)
    )
    entry = FeedbackEntry.objects.create(
        service=service,
        received_on=received_on,
        method=method,
        from_side=from_side,
        theme=require_text(theme, field="theme", what="the theme", limit=100),
        summary=require_text(summary, field="summary", what="what was said"),
        change_made=(change_made or "").strip()[:TEXT_MAX],
        recorded_by=actor,
    )
    _created(actor=actor, target=entry, summary="service-user feedback recorded")
    return entry
