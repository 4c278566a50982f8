"""The governing body (rule governance-report, R22 A2.2): performance reports drafted from the
service's records, edited and presented; its meetings and the actions they agree."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.access.permissions import permission_required_or_403
from tandem.governance import selectors
from tandem.governance.forms import (
    ActionForm,
    ActionStatusForm,
    MeetingForm,
    ReportDraftForm,
    ReportEditForm,
    ReportPresentForm,
)
from tandem.governance.models import PerformanceReport, ReportStatus
from tandem.governance.rules import MANAGE_GOVERNANCE
from tandem.governance.services.governing_body import (
    governance_action_add,
    governance_action_status_set,
    governance_meeting_record,
    performance_report_draft,
    performance_report_present,
    performance_report_update,
)
from tandem.governance.views.sections import cell, date_text, section_page, service_url, today
from tandem.lib.people import person_name
from tandem.web import acting_user, form_page


@permission_required_or_403(MANAGE_GOVERNANCE)
def reports(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    report_rows = [
        [
            cell(
                f"{report.period_start:%-d %b %Y} to {report.period_end:%-d %b %Y}",
                href=service_url("governance:report", service, report.pk),
            ),
            cell(
                "",
                tag=report.get_status_display(),
                colour="green" if report.status == ReportStatus.PRESENTED else "grey",
            ),
            cell(date_text(report.presented_on)),
        ]
        for report in selectors.performance_reports_of(service=service)
    ]
    meeting_rows = [
        [
            cell(date_text(meeting.held_on)),
            cell(meeting.body),
            cell(meeting.minutes),
            cell("Add an action", href=service_url("governance:action_new", service, meeting.pk)),
        ]
        for meeting in selectors.meetings_of(service=service)
    ]
    day = today()
    action_rows = [
        [
            cell(action.description),
            cell(person_name(action.owner)),
            cell(date_text(action.due_on)),
            cell(
                "",
                tag=action.get_status_display()
                + (" (overdue)" if action.status == "open" and action.due_on < day else ""),
                colour="red" if action.status == "open" and action.due_on < day else "grey",
            ),
            cell("Change status", href=service_url("governance:action_status", service, action.pk)),
        ]
        for action in selectors.actions_of(service=service)
    ]
    return section_page(
        request,
        service=service,
        heading="Governing body",
        intro="The governing body or senior management team receives a performance report at "
        "least quarterly, reviews progress and agrees actions, which are monitored "
        "(rule governance-report, R22 A2.2).",
        buttons=[
            ("Draft a performance report", service_url("governance:report_new", service)),
            ("Record a meeting", service_url("governance:meeting_new", service)),
        ],
        tables=[
            {
                "title": "Performance reports",
                "caption": "Performance reports, latest first",
                "head": ["Period", "Status", "Presented"],
                "rows": report_rows,
                "empty": "No performance report yet.",
            },
            {
                "title": "Meetings",
                "caption": "Meetings, latest first",
                "head": ["Held", "Who met", "Minutes", "Actions"],
                "rows": meeting_rows,
                "empty": "No meeting recorded yet.",
            },
            {
                "title": "Actions",
                "caption": "Actions agreed, open first",
                "head": ["Action", "Owner", "Due", "Status", "Change"],
                "rows": action_rows,
                "empty": "No action recorded yet.",
            },
        ],
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def report_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = ReportDraftForm(request.POST or None)

    def drafted(report: PerformanceReport) -> str:
        """The new draft's page, to edit it."""
        return service_url("governance:report", service, report.pk)

    return form_page(
        request,
        form=form,
        act=lambda: performance_report_draft(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="Report drafted from the service's records: edit it before presenting it",
        success_url=drafted,
        heading="Draft a performance report",
        caption=service.name,
        intro="Tandem drafts the report from the service's own records for the period; you "
        "then edit it.",
        button="Draft the report",
        back=service_url("governance:reports", service),
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def report_edit(request: HttpRequest, service_id: int, report_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    report = selectors.performance_report_get(service=service, report_id=report_id)
    if report.status == ReportStatus.PRESENTED:
        return render(
            request, "governance/report_presented.html", {"service": service, "report": report}
        )
    form = ReportEditForm(
        request.POST or None, version=report.version, initial={"text": report.text}
    )
    back = service_url("governance:reports", service)
    return form_page(
        request,
        form=form,
        act=lambda: performance_report_update(
            report=report,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["expected_version"],
            actor=acting_user(request),
        ),
        done="Report saved",
        success_url=back,
        template="governance/report_form.html",
        heading=f"Performance report {report.period_start:%-d %b %Y} to "
        f"{report.period_end:%-d %b %Y}",
        caption=service.name,
        intro="A draft from the service's records: edit it, then mark it presented.",
        button="Save the report",
        back=back,
        present=service_url("governance:report_present", service, report.pk),
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def report_present(request: HttpRequest, service_id: int, report_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    report = selectors.performance_report_get(service=service, report_id=report_id)
    form = ReportPresentForm(
        request.POST or None,
        version=report.version,
        meetings=selectors.meetings_of(service=service),
    )
    back = service_url("governance:reports", service)
    return form_page(
        request,
        form=form,
        act=lambda: performance_report_present(
            report=report,
            presented_on=form.cleaned_data["presented_on"],
            meeting=form.cleaned_data["meeting"],
            expected_version=form.cleaned_data["expected_version"],
            actor=acting_user(request),
        ),
        done="Report marked presented: the next is due in 3 months",
        success_url=back,
        heading="Mark the report presented",
        caption=service.name,
        button="Mark it presented",
        back=back,
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def meeting_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = MeetingForm(request.POST or None)
    back = service_url("governance:reports", service)
    return form_page(
        request,
        form=form,
        act=lambda: governance_meeting_record(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="Meeting recorded",
        success_url=back,
        heading="Record a governing body meeting",
        caption=service.name,
        button="Record the meeting",
        back=back,
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def action_new(request: HttpRequest, service_id: int, meeting_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    meeting = selectors.meeting_get(service=service, meeting_id=meeting_id)
    form = ActionForm(
        request.POST or None,
        staff=selectors.staff_choices_of(service=meeting.service, on=meeting.held_on),
    )
    back = service_url("governance:reports", service)
    return form_page(
        request,
        form=form,
        act=lambda: governance_action_add(
            meeting=meeting, actor=acting_user(request), **form.cleaned_data
        ),
        done="Action recorded",
        success_url=back,
        heading=f"Add an action from the meeting on {meeting.held_on:%-d %B %Y}",
        caption=service.name,
        button="Add the action",
        back=back,
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def action_status(request: HttpRequest, service_id: int, action_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    action = selectors.action_get(service=service, action_id=action_id)
    form = ActionStatusForm(
        request.POST or None, version=action.version, initial={"status": action.status}
    )
    back = service_url("governance:reports", service)
    return form_page(
        request,
        form=form,
        act=lambda: governance_action_status_set(
            action=action,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["expected_version"],
            actor=acting_user(request),
        ),
        done="Action status saved",
        success_url=back,
        heading="Change the action's status",
        caption=service.name,
        intro=action.description,
        button="Save the status",
        back=back,
    )
