"""The pages of reports to other agencies (rules external-report, limitations): drafting one to
the template, reading it, a senior manager's sign-off and its release."""

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tandem.access.permissions import require_permission
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.cases import selectors
from tandem.cases.forms.reports import ExternalReportForm
from tandem.cases.models import PerpetratorCase
from tandem.cases.rules import CHANGE_CASE, SIGN_OFF
from tandem.cases.services.reports import (
    external_report_draft,
    external_report_release,
    external_report_sign_off,
)
from tandem.cases.views.case import case_url
from tandem.cases.views.lifecycle import CASE_FORM_PAGE
from tandem.web import acting_user, button_action, form_page, posted, refusal_summary


def case_report_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = ExternalReportForm(posted(request))
    return form_page(
        request,
        form=form,
        act=lambda: external_report_draft(
            case=case, actor=acting_user(request), sections=form.report_sections()
        ),
        done="Report drafted: a senior manager must sign it off before it is released",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Draft a report to children's social care or a court",
        button="Save the draft",
        intro="Write to the template: every section is needed, including what can and cannot be "
        "concluded (rules external-report and limitations). It cannot be released until a "
        "senior manager signs it off.",
    )


def _report_page(
    request: HttpRequest,
    case: PerpetratorCase,
    report_id: int,
    *,
    refused: Form | None = None,
    signing_off: bool = False,
) -> HttpResponse:
    """A report is perpetrator-side work: shown to that side and to whoever may sign it off."""
    user = request.user
    can_change = user.has_perm(CHANGE_CASE, case)
    can_sign_off = user.has_perm(SIGN_OFF, case)
    if not (can_change or can_sign_off):
        raise PermissionDenied(CHANGE_CASE)
    report = selectors.external_report_get(case=case, report_id=report_id)
    audit_event_record(
        actor=user, action=AuditEvent.Action.VIEWED, target=report, summary="report page"
    )
    return render(
        request,
        "cases/report_detail.html",
        {
            "case": case,
            "report": report,
            "refused": refused,
            "signing_off": signing_off,
            "can_sign_off": can_sign_off and report.signed_off_at is None,
            "can_release": can_change
            and report.signed_off_at is not None
            and report.released_at is None,
        },
    )


def case_report_detail(request: HttpRequest, reference: str, report_id: int) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    return _report_page(request, case, report_id)


def case_report_sign_off(request: HttpRequest, reference: str, report_id: int) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, SIGN_OFF, case)
    if request.method != "POST":
        return _report_page(request, case, report_id, signing_off=True)
    report = selectors.external_report_get(case=case, report_id=report_id)
    return button_action(
        request,
        act=lambda: external_report_sign_off(report=report, actor=acting_user(request)),
        done=f"Report to {report.recipient_name} signed off: it can be released",
        success_url=case_url(case),
        refused=lambda refusal: _report_page(
            request, case, report_id, refused=refusal_summary(refusal), signing_off=True
        ),
    )


@require_POST
def case_report_release(request: HttpRequest, reference: str, report_id: int) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    report = selectors.external_report_get(case=case, report_id=report_id)
    return button_action(
        request,
        act=lambda: external_report_release(report=report, actor=acting_user(request)),
        done=f"Report released to {report.recipient_name}",
        success_url=case_url(case),
        refused=lambda refusal: _report_page(
            request, case, report_id, refused=refusal_summary(refusal)
        ),
    )
