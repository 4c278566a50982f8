"""Governance pages for a service: the policy register (every member of staff reads it and
acknowledges policies), and for its senior managers the governance calendar, the model of
work, reports to the governing body with meetings and actions, agreements, named roles and the
on-call rota, feedback; complaints for the service manager only.

Who may open them at all is the permission rules' decision (403); which service, the
governance selectors' (404 outside theirs); whether a change is allowed, the governance
services' (a refusal naming the field and rule, shown on the form). Views stay thin.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Model
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403
from tandem.access.roles import Role, roles_of
from tandem.compliance.models import DUE_SOON, OVERDUE
from tandem.lib.errors import ActionRefused
from tandem.organisations import governance_selectors as selectors
from tandem.organisations import governance_services as services
from tandem.organisations.governance_forms import (
    ActionForm,
    ActionStatusForm,
    AgreementForm,
    AgreementReviewForm,
    ComplaintForm,
    ComplaintUpdateForm,
    EdiReviewForm,
    FeedbackForm,
    MeetingForm,
    ModelOfWorkForm,
    NamedRoleEndForm,
    NamedRoleForm,
    OnCallForm,
    PeriodForm,
    PolicyForm,
    ReportDraftForm,
    ReportEditForm,
    ReportPresentForm,
)
from tandem.organisations.governance_rules import model_review_due
from tandem.organisations.models import ReportStatus, Service
from tandem.web import form_action_succeeded

READ_POLICY_REGISTER = "organisations.read_policy_register"
MANAGE_GOVERNANCE = "organisations.manage_governance"
MANAGE_COMPLAINTS = "organisations.manage_complaints"
SHOW_GOVERNANCE_MENU = "organisations.show_governance_menu"

# Where each rule's due item is dealt with, for the calendar's links.
SECTION_OF_RULE = {
    "policies": "organisations:governance_policies",
    "model-review": "organisations:governance_model_of_work",
    "governance-report": "organisations:governance_reports",
    "agreements": "organisations:governance_agreements",
    "edi-review": "organisations:governance_edi_reviews",
    "complaints": "organisations:governance_complaints",
}


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _today() -> date:
    return timezone.localdate()


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _cell(text: object, *, href: str = "", tag: str = "", colour: str = "") -> dict[str, object]:
    return {"text": text, "href": href, "tag": tag, "colour": colour}


def _date_text(day: date | None) -> str:
    return f"{day:%-d %b %Y}" if day else ""


def _form_page(
    request: HttpRequest,
    *,
    service: Service,
    form: Form,
    heading: str,
    button: str,
    back: str,
    save: Callable[[], Model | None],
    done: str,
    intro: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form page: on a valid POST, `save` runs the service; a refusal shows on the form."""
    if form_action_succeeded(request, form=form, act=save, done=done):
        return redirect(back)
    return render(
        request,
        "organisations/governance/form.html",
        {
            "form": form,
            "service": service,
            "heading": heading,
            "button": button,
            "back": back,
            "intro": intro,
            "multipart": form.is_multipart(),
            **(extra or {}),
        },
    )


def _section(
    request: HttpRequest,
    *,
    service: Service,
    heading: str,
    intro: str,
    tables: list[dict[str, Any]],
    buttons: list[tuple[str, str]],
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "organisations/governance/section.html",
        {
            "service": service,
            "heading": heading,
            "intro": intro,
            "tables": tables,
            "buttons": buttons,
            **(extra or {}),
        },
    )


def _url(name: str, service: Service, *args: int) -> str:
    return reverse(name, args=[service.pk, *args])


# Where to start: the services whose governance this person reads


@permission_required_or_403(SHOW_GOVERNANCE_MENU)
def governance_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/governance/home.html",
        {"services": selectors.policy_register_services_listed(user=request.user)},
    )


# The governance calendar


@permission_required_or_403(MANAGE_GOVERNANCE)
def calendar(request: HttpRequest, service_id: int) -> HttpResponse:
    """Every governance due item of the service in date order, overdue and due soon marked."""
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    items = selectors.governance_due_items_of(
        service=service,
        now=timezone.now(),
        with_complaints=Role.SERVICE_MANAGER in roles_of(request.user),
    )
    rows = [
        {
            "item": item,
            "overdue": item.urgency == OVERDUE,
            "due_soon": item.urgency == DUE_SOON,
            "href": _url(SECTION_OF_RULE[item.rule_id], service)
            if item.rule_id in SECTION_OF_RULE
            else "",
        }
        for item in items
    ]
    return render(
        request,
        "organisations/governance/calendar.html",
        {
            "service": service,
            "rows": rows,
            "overdue_count": sum(1 for row in rows if row["overdue"]),
            "can_see_complaints": Role.SERVICE_MANAGER in roles_of(request.user),
        },
    )


# The policy register (rule policies, R22 A1.1, WM 1)


@permission_required_or_403(READ_POLICY_REGISTER)
def policy_register(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.policy_register_service_get(user=request.user, service_id=service_id)
    rows = selectors.policy_register(service=service, user=request.user, now=timezone.now())
    return render(
        request,
        "organisations/governance/policy_register.html",
        {
            "service": service,
            "rows": rows,
            "missing_count": sum(1 for row in rows if row.policy is None),
            "overdue_count": sum(1 for row in rows if row.review_overdue),
            "can_manage": selectors.may_manage_governance(user=request.user, service=service),
        },
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def policy_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = PolicyForm(
        request.POST or None,
        request.FILES or None,
        staff=selectors.staff_choices_of(service=service, on=_today()),
    )

    def save() -> Model:
        data = form.cleaned_data
        return services.policy_record(
            service=service,
            required_policy=data["required_policy"],
            title=data["title"],
            version_label=data["version_label"],
            owner=data["owner"],
            approved_on=data["approved_on"],
            next_review_on=data["next_review_on"],
            document=data["document"],
            actor=_actor(request),
        )

    return _form_page(
        request,
        service=service,
        form=form,
        heading="Record an approved policy",
        button="Record the policy",
        back=_url("organisations:governance_policies", service),
        save=save,
        done="Policy recorded",
        intro="A new version of a policy is recorded the same way: the register shows the latest.",
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def policy_detail(request: HttpRequest, service_id: int, policy_id: int) -> HttpResponse:
    """A policy version and who acknowledged it when (R22 A1.1 guidance 2c)."""
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    policy = selectors.policy_get(service=service, policy_id=policy_id)
    return render(
        request,
        "organisations/governance/policy_detail.html",
        {
            "service": service,
            "policy": policy,
            "acknowledgements": selectors.acknowledgements_of(policy=policy),
            "not_acknowledged": selectors.staff_not_acknowledged(
                service=service, policy=policy, on=_today()
            ),
        },
    )


@require_POST
@permission_required_or_403(READ_POLICY_REGISTER)
def policy_acknowledge(request: HttpRequest, service_id: int, policy_id: int) -> HttpResponse:
    service = selectors.policy_register_service_get(user=request.user, service_id=service_id)
    policy = selectors.policy_get(service=service, policy_id=policy_id)
    try:
        services.policy_acknowledge(policy=policy, actor=_actor(request))
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"You acknowledged {policy}")
    return redirect("organisations:governance_policies", service_id=service.pk)


@permission_required_or_403(READ_POLICY_REGISTER)
def policy_document(request: HttpRequest, service_id: int, policy_id: int) -> HttpResponse:
    service = selectors.policy_register_service_get(user=request.user, service_id=service_id)
    policy = selectors.policy_get(service=service, policy_id=policy_id)
    try:
        handle = policy.document.open("rb")
    except FileNotFoundError:
        raise Http404("The document is missing from storage") from None
    response = FileResponse(handle, as_attachment=True, filename=policy.document_name)
    return response  # type: ignore[return-value]


# The model of work (rule model-review)


@permission_required_or_403(MANAGE_GOVERNANCE)
def model_of_work(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    reviews = list(selectors.model_of_work_reviews_of(service=service))
    due = model_review_due(
        last_reviewed_on=reviews[0].reviewed_on if reviews else None, today=_today()
    )
    return _section(
        request,
        service=service,
        heading="Model of work",
        intro=f"The model of work is reviewed every year, in consultation with the staff involved, "
        f"and each review's date and summary of changes recorded (rule model-review, R22 B1.2). "
        f"Next review due {due:%-d %B %Y}.",
        buttons=[("Record a review", _url("organisations:governance_model_of_work_new", service))],
        tables=[
            {
                "caption": "Reviews of the model of work, latest first",
                "head": ["Version", "Reviewed", "Summary of changes", "Consultation"],
                "rows": [
                    [
                        _cell(review.version_label),
                        _cell(_date_text(review.reviewed_on)),
                        _cell(review.summary_of_changes),
                        _cell(review.consultation),
                    ]
                    for review in reviews
                ],
                "empty": "No review of the model of work is recorded yet.",
            }
        ],
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def model_of_work_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = ModelOfWorkForm(request.POST or None)
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Record a review of the model of work",
        button="Record the review",
        back=_url("organisations:governance_model_of_work", service),
        save=lambda: services.model_of_work_review_record(
            service=service, actor=_actor(request), **form.cleaned_data
        ),
        done="Review of the model of work recorded",
    )


# Equality, diversity and inclusion reviews (rule edi-review)


@permission_required_or_403(MANAGE_GOVERNANCE)
def edi_reviews(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    rows = [
        [
            _cell(review.get_kind_display()),
            _cell(_date_text(review.reviewed_on)),
            _cell(review.summary),
        ]
        for review in selectors.edi_reviews_of(service=service)
    ]
    return _section(
        request,
        service=service,
        heading="Equality, diversity and inclusion reviews",
        intro="The equalities framework is reviewed every 3 years; the diversity goals and the "
        "service-user profile at least annually (rule edi-review, R22 D1.1, D1.3).",
        buttons=[("Record a review", _url("organisations:governance_edi_review_new", service))],
        tables=[
            {
                "caption": "Reviews, latest first",
                "head": ["What was reviewed", "Reviewed", "Found and changed"],
                "rows": rows,
                "empty": "No review recorded yet.",
            }
        ],
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def edi_review_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = EdiReviewForm(request.POST or None)
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Record an equality, diversity and inclusion review",
        button="Record the review",
        back=_url("organisations:governance_edi_reviews", service),
        save=lambda: services.edi_review_record(
            service=service, actor=_actor(request), **form.cleaned_data
        ),
        done="Review recorded",
    )


# The governing body (rule governance-report)


@permission_required_or_403(MANAGE_GOVERNANCE)
def reports(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    report_rows = [
        [
            _cell(
                f"{report.period_start:%-d %b %Y} to {report.period_end:%-d %b %Y}",
                href=_url("organisations:governance_report", service, report.pk),
            ),
            _cell(
                "",
                tag=report.get_status_display(),
                colour="green" if report.status == ReportStatus.PRESENTED else "grey",
            ),
            _cell(_date_text(report.presented_on)),
        ]
        for report in selectors.performance_reports_of(service=service)
    ]
    meeting_rows = [
        [
            _cell(_date_text(meeting.held_on)),
            _cell(meeting.body),
            _cell(meeting.minutes),
            _cell(
                "Add an action",
                href=_url("organisations:governance_action_new", service, meeting.pk),
            ),
        ]
        for meeting in selectors.meetings_of(service=service)
    ]
    today = _today()
    action_rows = [
        [
            _cell(action.description),
            _cell(_name(action.owner)),
            _cell(_date_text(action.due_on)),
            _cell(
                "",
                tag=action.get_status_display()
                + (" (overdue)" if action.status == "open" and action.due_on < today else ""),
                colour="red" if action.status == "open" and action.due_on < today else "grey",
            ),
            _cell(
                "Change status",
                href=_url("organisations:governance_action_status", service, action.pk),
            ),
        ]
        for action in selectors.actions_of(service=service)
    ]
    return _section(
        request,
        service=service,
        heading="Governing body",
        intro="The governing body or senior management team receives a performance report at "
        "least quarterly, reviews progress and agrees actions, which are monitored "
        "(rule governance-report, R22 A2.2).",
        buttons=[
            ("Draft a performance report", _url("organisations:governance_report_new", service)),
            ("Record a meeting", _url("organisations:governance_meeting_new", service)),
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
    created: list[Model] = []

    def save() -> Model:
        report = services.performance_report_draft(
            service=service, actor=_actor(request), **form.cleaned_data
        )
        created.append(report)
        return report

    response = _form_page(
        request,
        service=service,
        form=form,
        heading="Draft a performance report",
        button="Draft the report",
        back=_url("organisations:governance_reports", service),
        save=save,
        done="Report drafted from the service's records: edit it before presenting it",
        intro="Tandem drafts the report from the service's own records for the period; you "
        "then edit it.",
    )
    if created:
        return redirect(
            "organisations:governance_report", service_id=service.pk, report_id=created[0].pk
        )
    return response


@permission_required_or_403(MANAGE_GOVERNANCE)
def report_edit(request: HttpRequest, service_id: int, report_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    report = selectors.performance_report_get(service=service, report_id=report_id)
    if report.status == ReportStatus.PRESENTED:
        return render(
            request,
            "organisations/governance/report_presented.html",
            {"service": service, "report": report},
        )
    form = ReportEditForm(
        request.POST or None, version=report.version, initial={"text": report.text}
    )
    return _form_page(
        request,
        service=service,
        form=form,
        heading=f"Performance report {report.period_start:%-d %b %Y} to "
        f"{report.period_end:%-d %b %Y}",
        button="Save the report",
        back=_url("organisations:governance_reports", service),
        save=lambda: services.performance_report_update(
            report=report,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["expected_version"],
            actor=_actor(request),
        ),
        done="Report saved",
        intro="A draft from the service's records: edit it, then mark it presented.",
        extra={
            "secondary": (
                "Mark it presented",
                _url("organisations:governance_report_present", service, report.pk),
            )
        },
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
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Mark the report presented",
        button="Mark it presented",
        back=_url("organisations:governance_reports", service),
        save=lambda: services.performance_report_present(
            report=report,
            presented_on=form.cleaned_data["presented_on"],
            meeting=form.cleaned_data["meeting"],
            expected_version=form.cleaned_data["expected_version"],
            actor=_actor(request),
        ),
        done="Report marked presented: the next is due in 3 months",
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def meeting_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = MeetingForm(request.POST or None)
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Record a governing body meeting",
        button="Record the meeting",
        back=_url("organisations:governance_reports", service),
        save=lambda: services.governance_meeting_record(
            service=service, actor=_actor(request), **form.cleaned_data
        ),
        done="Meeting recorded",
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def action_new(request: HttpRequest, service_id: int, meeting_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    meeting = selectors.meeting_get(service=service, meeting_id=meeting_id)
    form = ActionForm(
        request.POST or None,
        staff=selectors.staff_choices_of(service=meeting.service, on=meeting.held_on),
    )
    return _form_page(
        request,
        service=service,
        form=form,
        heading=f"Add an action from the meeting on {meeting.held_on:%-d %B %Y}",
        button="Add the action",
        back=_url("organisations:governance_reports", service),
        save=lambda: services.governance_action_add(
            meeting=meeting, actor=_actor(request), **form.cleaned_data
        ),
        done="Action recorded",
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def action_status(request: HttpRequest, service_id: int, action_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    action = selectors.action_get(service=service, action_id=action_id)
    form = ActionStatusForm(
        request.POST or None, version=action.version, initial={"status": action.status}
    )
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Change the action's status",
        intro=action.description,
        button="Save the status",
        back=_url("organisations:governance_reports", service),
        save=lambda: services.governance_action_status_set(
            action=action,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["expected_version"],
            actor=_actor(request),
        ),
        done="Action status saved",
    )


# Agreements


@permission_required_or_403(MANAGE_GOVERNANCE)
def agreements(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    today = _today()
    rows = [
        [
            _cell(agreement.title),
            _cell(agreement.get_kind_display()),
            _cell(agreement.parties),
            _cell(_date_text(agreement.signed_on)),
            _cell(
                _date_text(agreement.review_on),
                tag="Ended"
                if agreement.ended_on
                else "Review overdue"
                if agreement.review_on < today
                else "",
                colour="grey" if agreement.ended_on else "red",
            ),
            _cell(
                "" if agreement.ended_on else "Record a review",
                href=""
                if agreement.ended_on
                else _url("organisations:governance_agreement_review", service, agreement.pk),
            ),
        ]
        for agreement in selectors.agreements_of(service=service)
    ]
    return _section(
        request,
        service=service,
        heading="Agreements",
        intro="Information sharing agreements, the partnership agreement with an external ISS "
        "(R22 C1.7) and service level agreements with specialist services (R22 D1.2), each "
        "reviewed by its review date.",
        buttons=[("Record an agreement", _url("organisations:governance_agreement_new", service))],
        tables=[
            {
                "caption": "Agreements by review date",
                "head": ["Title", "Kind", "Parties", "Signed", "Review", "Review it"],
                "rows": rows,
                "empty": "No agreement recorded yet.",
            }
        ],
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def agreement_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = AgreementForm(request.POST or None)
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Record an agreement",
        button="Record the agreement",
        back=_url("organisations:governance_agreements", service),
        save=lambda: services.agreement_record(
            service=service, actor=_actor(request), **form.cleaned_data
        ),
        done="Agreement recorded",
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def agreement_review(request: HttpRequest, service_id: int, agreement_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    agreement = selectors.agreement_get(service=service, agreement_id=agreement_id)
    form = AgreementReviewForm(request.POST or None, version=agreement.version)
    return _form_page(
        request,
        service=service,
        form=form,
        heading=f"Review {agreement.title}",
        intro=f"Signed {agreement.signed_on:%-d %B %Y}; review due "
        f"{agreement.review_on:%-d %B %Y}.",
        button="Record the review",
        back=_url("organisations:governance_agreements", service),
        save=lambda: services.agreement_review_record(
            agreement=agreement, actor=_actor(request), **form.cleaned_data
        ),
        done="Agreement review recorded",
    )


# Named roles and the on-call rota


@permission_required_or_403(MANAGE_GOVERNANCE)
def named_roles(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    today = _today()
    role_rows = [
        [
            _cell(role.get_kind_display()),
            _cell(_name(role.user)),
            _cell(_date_text(role.from_date)),
            _cell(
                _date_text(role.to_date),
                tag="Current"
                if role.from_date <= today and (role.to_date is None or role.to_date >= today)
                else "",
                colour="green",
            ),
            _cell(
                "" if role.to_date else "Record the last day",
                href=""
                if role.to_date
                else _url("organisations:governance_named_role_end", service, role.pk),
            ),
        ]
        for role in selectors.named_roles_of(service=service)
    ]
    shift_rows = [
        [
            _cell(_name(shift.user)),
            _cell(f"{timezone.localtime(shift.starts_at):%-d %b %Y %H:%M}"),
            _cell(f"{timezone.localtime(shift.ends_at):%-d %b %Y %H:%M}"),
        ]
        for shift in selectors.on_call_shifts_of(service=service, now=timezone.now())
    ]
    return _section(
        request,
        service=service,
        heading="Named roles and the on-call rota",
        intro="The safeguarding lead, the out-of-hours lead and on-call rota (R22 C1.7), the "
        "practice or treatment manager and the case management lead, who must not carry a "
        "caseload (rule case-management-lead).",
        buttons=[
            ("Name someone to a role", _url("organisations:governance_named_role_new", service)),
            ("Add an on-call shift", _url("organisations:governance_on_call_new", service)),
        ],
        tables=[
            {
                "title": "Named roles",
                "caption": "Named roles",
                "head": ["Role", "Person", "From", "To", "End"],
                "rows": role_rows,
                "empty": "No one is named to a role yet.",
            },
            {
                "title": "On-call rota",
                "caption": "On-call shifts from now",
                "head": ["On call", "From", "Until"],
                "rows": shift_rows,
                "empty": "No on-call shift from now on is recorded.",
            },
        ],
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def named_role_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = NamedRoleForm(
        request.POST or None, staff=selectors.staff_choices_of(service=service, on=_today())
    )
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Name someone to a role",
        button="Name them",
        back=_url("organisations:governance_named_roles", service),
        save=lambda: services.named_role_assign(
            service=service, actor=_actor(request), **form.cleaned_data
        ),
        done="Role recorded",
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def named_role_end(request: HttpRequest, service_id: int, role_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    role = selectors.named_role_get(service=service, role_id=role_id)
    form = NamedRoleEndForm(request.POST or None)
    return _form_page(
        request,
        service=service,
        form=form,
        heading=f"{_name(role.user)}'s last day as {role.get_kind_display().lower()}",
        button="Record the last day",
        back=_url("organisations:governance_named_roles", service),
        save=lambda: services.named_role_end(
            role=role, to_date=form.cleaned_data["to_date"], actor=_actor(request)
        ),
        done="Last day recorded",
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def on_call_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = OnCallForm(
        request.POST or None, staff=selectors.staff_choices_of(service=service, on=_today())
    )
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Add an on-call shift",
        button="Add the shift",
        back=_url("organisations:governance_named_roles", service),
        save=lambda: services.on_call_shift_add(
            service=service, actor=_actor(request), **form.cleaned_data
        ),
        done="On-call shift added",
    )


# Complaints (WG 18): the service manager only


@permission_required_or_403(MANAGE_COMPLAINTS)
def complaints(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.complaint_service_get(user=request.user, service_id=service_id)
    today = _today()
    rows = []
    for complaint in selectors.complaints_of(service=service):
        overdue = complaint.responded_on is None and complaint.response_due_on < today
        rows.append(
            [
                _cell(
                    _date_text(complaint.received_on),
                    href=_url("organisations:governance_complaint", service, complaint.pk),
                ),
                _cell(complaint.complainant),
                _cell(complaint.summary),
                _cell(
                    _date_text(complaint.response_due_on),
                    tag="Overdue" if overdue else "",
                    colour="red",
                ),
                _cell(complaint.get_outcome_display() or "Open"),
                _cell(_date_text(complaint.responded_on)),
            ]
        )
    return _section(
        request,
        service=service,
        heading="Complaints",
        intro="Each complaint is investigated objectively and its outcome told to the complainant "
        "within the service's timeframe: 20 working days unless the complaint says otherwise "
        "(WG 18).",
        buttons=[("Record a complaint", _url("organisations:governance_complaint_new", service))],
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
    )


@permission_required_or_403(MANAGE_COMPLAINTS)
def complaint_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.complaint_service_get(user=request.user, service_id=service_id)
    form = ComplaintForm(request.POST or None)
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Record a complaint",
        button="Record the complaint",
        back=_url("organisations:governance_complaints", service),
        save=lambda: services.complaint_receive(
            service=service, actor=_actor(request), **form.cleaned_data
        ),
        done="Complaint recorded",
    )


@permission_required_or_403(MANAGE_COMPLAINTS)
def complaint_edit(request: HttpRequest, service_id: int, complaint_id: int) -> HttpResponse:
    service = selectors.complaint_service_get(user=request.user, service_id=service_id)
    complaint = selectors.complaint_get(service=service, complaint_id=complaint_id)
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
    return _form_page(
        request,
        service=service,
        form=form,
        heading=f"Complaint received {complaint.received_on:%-d %B %Y}",
        intro=f"{complaint.complainant}: {complaint.summary} Response due "
        f"{complaint.response_due_on:%-d %B %Y}.",
        button="Save",
        back=_url("organisations:governance_complaints", service),
        save=lambda: services.complaint_update(
            complaint=complaint, actor=_actor(request), **form.cleaned_data
        ),
        done="Complaint saved",
    )


# Feedback (rule feedback)


@permission_required_or_403(MANAGE_GOVERNANCE)
def feedback(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    today = _today()
    period = PeriodForm(request.GET or None)
    start, end = today.replace(day=1) - relativedelta(months=6), today
    if request.GET and period.is_valid():
        start, end = period.cleaned_data["period_start"], period.cleaned_data["period_end"]
    summary = selectors.feedback_summary(service=service, period_start=start, period_end=end)
    rows = [
        [
            _cell(_date_text(entry.received_on)),
            _cell(entry.get_method_display()),
            _cell(entry.theme),
            _cell(entry.summary),
            _cell(entry.change_made),
        ]
        for entry in selectors.feedback_of(service=service).filter(
            received_on__gte=start, received_on__lte=end
        )
    ]
    return _section(
        request,
        service=service,
        heading="Service-user feedback",
        intro="Every service user is offered the chance to give their views; summaries show how "
        "they changed the service (rule feedback, R22 B7.3).",
        buttons=[("Record feedback", _url("organisations:governance_feedback_new", service))],
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
    return _form_page(
        request,
        service=service,
        form=form,
        heading="Record service-user feedback",
        button="Record the feedback",
        back=_url("organisations:governance_feedback", service),
        save=lambda: services.feedback_record(
            service=service, actor=_actor(request), **form.cleaned_data
        ),
        done="Feedback recorded",
    )
