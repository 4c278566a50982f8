"""The service's reviews of its cases, for those who run them: the reviews page, case management
reviews (rule case-review), case-file audits (rule file-audit) and the weekly risk and engagement
exchange (rule weekly-exchange)."""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tandem.access.permissions import require_permission
from tandem.cases import selectors
from tandem.cases.forms.reviews import (
    CaseReviewMeetingForm,
    ExchangeForm,
    FileAuditForm,
    MeetingDateForm,
    ReviewEntryFormSet,
)
from tandem.cases.rules import MANAGE_CASE_REVIEWS
from tandem.cases.services.reviews import (
    case_review_meeting_record,
    file_audit_record,
    risk_engagement_exchange_record,
)
from tandem.compliance import deadlines
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service
from tandem.web import acting_user, add_refusal_to_form, form_page, posted


def reviews_url(service: Service) -> str:
    return reverse("cases:service_reviews", kwargs={"service_id": service.pk})


def service_reviews(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    require_permission(request.user, MANAGE_CASE_REVIEWS, service)
    today = timezone.localdate()
    meetings = list(selectors.case_review_history(service=service))
    audits = list(selectors.file_audit_history(service=service))
    exchanges = selectors.exchanges_as_read(service=service, user=request.user, limit=12)
    exchange_due = deadlines.weekly_exchange_due(
        last_held_on=exchanges[0].exchange.held_on if exchanges else None, today=today
    )
    review_due = deadlines.case_review_due(
        last_held_on=meetings[0].held_on if meetings else None, today=today
    )
    audit_due = deadlines.file_audit_due(
        last_audited_on=audits[0].audited_on if audits else None, today=today
    )
    return render(
        request,
        "cases/service_reviews.html",
        {
            "service": service,
            "meetings": meetings,
            "audits": audits,
            "review_due": review_due,
            "review_overdue": review_due < today,
            "audit_due": audit_due,
            "audit_overdue": audit_due < today,
            "exchanges": exchanges,
            "exchange_due": exchange_due,
            "exchange_overdue": exchange_due < today,
        },
    )


def case_review_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    require_permission(request.user, MANAGE_CASE_REVIEWS, service)
    today = timezone.localdate()
    date_form = MeetingDateForm(
        request.GET if "held_on" in request.GET else None, initial={"held_on": today}
    )
    if date_form.is_bound and not date_form.is_valid():
        return render(
            request,
            "cases/case_review_form.html",
            {"service": service, "date_form": date_form, "error_forms": [date_form]},
        )
    held_on: date = date_form.cleaned_data["held_on"] if date_form.is_bound else today
    cases = list(selectors.open_cases_at(service=service, on=held_on))
    data = posted(request)
    meeting_form = CaseReviewMeetingForm(
        data, staff=selectors.case_review_staff_of(service=service, on=held_on)
    )
    entries = ReviewEntryFormSet(
        data,
        cases=cases,
        children_to_reexamine=selectors.cases_with_children_to_reexamine(service=service),
    )
    # Both validated, so every error on the page shows at once; the meeting and its entries are
    # one service call, so this page does not fit the one-form page kit.
    valid = [meeting_form.is_valid(), entries.is_valid()] if data is not None else [False]
    if all(valid):
        try:
            case_review_meeting_record(
                service=service,
                actor=acting_user(request),
                held_on=held_on,
                chair=meeting_form.cleaned_data["chair"],
                attendees=list(meeting_form.cleaned_data["attendees"]),
                entries=entries.review_entries(),
                previous_actions_reviewed=meeting_form.cleaned_data["previous_actions_reviewed"],
            )
        except ActionRefused as refusal:
            add_refusal_to_form(meeting_form, refusal)
        else:
            messages.success(
                request, f"Case management review of {held_on.day} {held_on:%b %Y} recorded"
            )
            return redirect(reviews_url(service))
    return render(
        request,
        "cases/case_review_form.html",
        {
            "service": service,
            "date_form": date_form,
            "held_on": held_on,
            "form": meeting_form,
            "entries": entries,
            "error_forms": [form for form in (meeting_form, *entries.forms) if form.errors],
            "non_form_errors": entries.non_form_errors() if data is not None else [],
            "previous": selectors.previous_case_review(service=service),
        },
    )


def exchange_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    require_permission(request.user, MANAGE_CASE_REVIEWS, service)
    today = timezone.localdate()
    form = ExchangeForm(
        posted(request), staff=selectors.case_review_staff_of(service=service, on=today)
    )
    return form_page(
        request,
        form=form,
        act=lambda: risk_engagement_exchange_record(
            service=service,
            actor=acting_user(request),
            held_on=form.cleaned_data["held_on"],
            perpetrator_side_person=form.cleaned_data["perpetrator_side_person"],
            iss_side_person=form.cleaned_data["iss_side_person"],
            summary=form.cleaned_data["summary"],
            iss_account=form.cleaned_data["iss_account"],
        ),
        done="Weekly risk and engagement exchange recorded",
        success_url=reviews_url(service),
        template="cases/exchange_form.html",
        service=service,
    )


def file_audit_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    require_permission(request.user, MANAGE_CASE_REVIEWS, service)
    form = FileAuditForm(
        posted(request),
        candidates=selectors.file_audit_candidates(service=service, today=timezone.localdate()),
    )
    return form_page(
        request,
        form=form,
        act=lambda: file_audit_record(
            service=service,
            actor=acting_user(request),
            audited_on=form.cleaned_data["audited_on"],
            sample=list(form.cleaned_data["sample"]),
            findings=form.cleaned_data["findings"],
            feedback=form.cleaned_data["feedback"],
        ),
        done="Case-file audit recorded",
        success_url=reviews_url(service),
        template="cases/file_audit_form.html",
        service=service,
    )
