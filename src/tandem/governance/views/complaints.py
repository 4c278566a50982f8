"""Complaints (WG 18), for the service manager only: received, investigated and answered within
the service's timeframe. And service-user feedback with the changes it led to (rule feedback,
R22 B7.3)."""

from dateutil.relativedelta import relativedelta
from django.http import HttpRequest, HttpResponse

from tandem.access.permissions import permission_required_or_403
from tandem.governance import selectors
from tandem.governance.forms import ComplaintForm, ComplaintUpdateForm, FeedbackForm, PeriodForm
from tandem.governance.rules import MANAGE_COMPLAINTS, MANAGE_GOVERNANCE
from tandem.governance.services.complaints import (
    complaint_receive,
    complaint_update,
    feedback_record,
)
from tandem.governance.views.sections import cell, date_text, section_page, service_url, today
from tandem.web import acting_user, form_page


@permission_required_or_403(MANAGE_COMPLAINTS)
def complaints(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.complaint_service_get(user=request.user, service_id=service_id)
    day = today()
    rows = []
    for complaint in selectors.complaints_of(service=service, user=request.user):
        overdue = complaint.responded_on is None and complaint.response_due_on < day
        rows.append(
            [
                cell(
                    date_text(complaint.received_on),
                    href=service_url("governance:complaint", service, complaint.pk),
                ),
                cell(complaint.complainant),
                cell(complaint.summary),
                cell(
                    date_text(complaint.response_due_on),
                    tag="Overdue" if overdue else "",
                    colour="red",
                ),
                cell(complaint.get_outcome_display() or "Open"),
                cell(date_text(complaint.responded_on)),
            ]
        )
    return section_page(
        request,
        service=service,
        heading="Complaints",
        intro="Each complaint is investigated objectively and its outcome told to the complainant "
        "within the service's timeframe: 20 working days unless the complaint says otherwise "
        "(WG 18).",
        buttons=[("Record a complaint", service_url("governance:complaint_new", service))],
        tables=[
            {
                "caption": "Complaints, latest first",
                "head": [
                    "Received",
                    "Complainant",
                    "About",
                    "Response due",
                    "Outcome",
                    "Responded",
                ],
                "rows": rows,
                "empty": "No complaint recorded.",
            }
        ],
        extra={
            "withheld": selectors.complaints_withheld(service=service, user=request.user),
            "withheld_what": "complaints involving a survivor",
        },
    )


@permission_required_or_403(MANAGE_COMPLAINTS)
def complaint_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.complaint_service_get(user=request.user, service_id=service_id)
    form = ComplaintForm(request.POST or None)
    back = service_url("governance:complaints", service)
    return form_page(
        request,
        form=form,
        act=lambda: complaint_receive(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="Complaint recorded",
        success_url=back,
        heading="Record a complaint",
        caption=service.name,
        button="Record the complaint",
        back=back,
    )


@permission_required_or_403(MANAGE_COMPLAINTS)
def complaint_edit(request: HttpRequest, service_id: int, complaint_id: int) -> HttpResponse:
    service = selectors.complaint_service_get(user=request.user, service_id=service_id)
    complaint = selectors.complaint_get(
        service=service, complaint_id=complaint_id, user=request.user
    )
    form = ComplaintUpdateForm(
        request.POST or None,
        version=complaint.version,
        staff=selectors.staff_choices_of(service=service, on=complaint.received_on),
        initial={
            "investigator": complaint.investigator_id,
            "investigation": complaint.investigation,
            "outcome": complaint.outcome,
            "responded_on": complaint.responded_on,
        },
    )
    back = service_url("governance:complaints", service)
    return form_page(
        request,
        form=form,
        act=lambda: complaint_update(
            complaint=complaint, actor=acting_user(request), **form.cleaned_data
        ),
        done="Complaint saved",
        success_url=back,
        heading=f"Complaint received {complaint.received_on:%-d %B %Y}",
        caption=service.name,
        intro=f"{complaint.complainant}: {complaint.summary} Response due "
        f"{complaint.response_due_on:%-d %B %Y}.",
        button="Save",
        back=back,
    )


# Feedback (rule feedback)


@permission_required_or_403(MANAGE_GOVERNANCE)
def feedback(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    day = today()
    period = PeriodForm(request.GET or None)
    start, end = day.replace(day=1) - relativedelta(months=6), day
    if request.GET and period.is_valid():
        start, end = period.cleaned_data["period_start"], period.cleaned_data["period_end"]
    summary = selectors.feedback_summary(
        service=service, user=request.user, period_start=start, period_end=end
    )
    rows = [
        [
            cell(date_text(entry.received_on)),
            cell(entry.get_method_display()),
            cell(entry.theme),
            cell(entry.summary),
            cell(entry.change_made),
        ]
        for entry in selectors.feedback_of(service=service, user=request.user).filter(
            received_on__gte=start, received_on__lte=end
        )
    ]
    return section_page(
        request,
        service=service,
        heading="Service-user feedback",
        intro="Every service user is offered the chance to give their views; summaries show how "
        "they changed the service (rule feedback, R22 B7.3).",
        buttons=[("Record feedback", service_url("governance:feedback_new", service))],
        tables=[
            {
                "title": "Feedback in the period",
                "caption": "Feedback in the period, latest first",
                "head": ["Received", "How", "Theme", "What was said", "Change made"],
                "rows": rows,
                "empty": "No feedback in this period.",
            }
        ],
        extra={"summary": summary, "period_form": period},
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def feedback_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = FeedbackForm(request.POST or None)
    back = service_url("governance:feedback", service)
    return form_page(
        request,
        form=form,
        act=lambda: feedback_record(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="Feedback recorded",
        success_url=back,
        heading="Record service-user feedback",
        caption=service.name,
        button="Record the feedback",
        back=back,
    )
