"""Writes to the governing body's records: performance reports (rule governance-report, R22
A2.2), its meetings and their actions."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.audit.services import model_snapshot
from tandem.governance.inputs import (
    not_in_future,
    require_choice,
    require_staff,
    require_text,
)
from tandem.governance.models import (
    ActionStatus,
    GovernanceAction,
    GovernanceMeeting,
    PerformanceReport,
    ReportStatus,
)
from tandem.governance.selectors import performance_report_draft_text
from tandem.governance.services.common import (
    REPORT_TEXT_MAX,
    audit_created,
    locked_at_version,
    now_or_current,
    refuse_unless_governance_manager,
    saved_with_new_version,
)
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service

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
    now = now_or_current(now)
    refuse_unless_governance_manager(actor=actor, service=service)
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
    audit_created(actor=actor, target=report, summary="performance report drafted")
    return report


@transaction.atomic
def performance_report_update(
    *, report: PerformanceReport, text: str, expected_version: int, actor: User
) -> PerformanceReport:
    """The manager edits the draft; a presented report is the record of what was presented."""
    refuse_unless_governance_manager(actor=actor, service=report.service)
    current: PerformanceReport = locked_at_version(
        PerformanceReport, pk=report.pk, expected_version=expected_version, what="the report"
    )
    if current.status == ReportStatus.PRESENTED:
        raise ActionRefused("a presented report cannot be changed", field="text")
    before = model_snapshot(instance=current)
    current.text = require_text(text, field="text", what="the report's text", limit=REPORT_TEXT_MAX)
    saved_with_new_version(
        actor=actor, current=current, before=before, summary="performance report edited"
    )
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
    now = now_or_current(now)
    refuse_unless_governance_manager(actor=actor, service=report.service)
    current: PerformanceReport = locked_at_version(
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
    saved_with_new_version(
        actor=actor, current=current, before=before, summary="performance report presented"
    )
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
    now = now_or_current(now)
    refuse_unless_governance_manager(actor=actor, service=service)
    not_in_future(held_on, field="held_on", what="The meeting date", today=timezone.localdate(now))
    meeting = GovernanceMeeting.objects.create(
        service=service,
        held_on=held_on,
        body=require_text(body, field="body", what="who met (e.g. Board of trustees)", limit=200),
        minutes=require_text(minutes, field="minutes", what="the minutes"),
        recorded_by=actor,
        recorded_at=now,
    )
    audit_created(actor=actor, target=meeting, summary=f"{meeting.body} meeting recorded")
    return meeting


@transaction.atomic
def governance_action_add(
    *, meeting: GovernanceMeeting, description: str, owner: User, due_on: date, actor: User
) -> GovernanceAction:
    """An action the meeting agreed, with its owner and due date (R22 A2.2: actions are
    identified and monitored)."""
    refuse_unless_governance_manager(actor=actor, service=meeting.service)
    description = require_text(description, field="description", what="the action")
    if due_on < meeting.held_on:
        raise ActionRefused(
            "an action cannot be due before the meeting that agreed it", field="due_on"
        )
    require_staff(user=owner, service=meeting.service, field="owner", on=meeting.held_on)
    action = GovernanceAction.objects.create(
        meeting=meeting, description=description, owner=owner, due_on=due_on
    )
    audit_created(actor=actor, target=action, summary="governing body action recorded")
    return action


@transaction.atomic
def governance_action_status_set(
    *, action: GovernanceAction, status: str, expected_version: int, actor: User
) -> GovernanceAction:
    refuse_unless_governance_manager(actor=actor, service=action.meeting.service)
    require_choice(status, choices=ActionStatus.values, field="status", what="the action's status")
    current: GovernanceAction = locked_at_version(
        GovernanceAction, pk=action.pk, expected_version=expected_version, what="the action"
    )
    before = model_snapshot(instance=current)
    current.status = status
    saved_with_new_version(actor=actor, current=current, before=before, summary=f"action {status}")
    return current
