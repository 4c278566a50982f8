"""Pages and downloads for an assessment's reports and exports.

Which assessments someone can open is the selectors' decision (404), each process's own
(`selectors.report_access_get`); which reports and exports they may have of one is the permission
rules' (403, asked before anything is looked up, so a refusal tells nothing of what exists). A
stored report is shown exactly as it was generated.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.access.permissions import permitted, require_permission
from tandem.assurance.checklists.rules import VIEW_CHECKLISTS
from tandem.assurance.checklists.selectors import ChecklistAccess
from tandem.assurance.checklists.views.pages import checklist_detail_url
from tandem.assurance.downloads import as_attachment, export_filename
from tandem.assurance.models import AssessmentReport, ReportKind
from tandem.assurance.reports import exports, selectors
from tandem.assurance.reports.definitions import ReportDefinition
from tandem.assurance.reports.rules import EXPORT_EVIDENCE, READ_FINDINGS
from tandem.assurance.reports.selectors import ReportAccess
from tandem.assurance.reports.services import assessment_report_generate
from tandem.assurance.respect.rules import VIEW_ASSESSMENTS
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.web import acting_user, button_action, refusal_summary

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


Page = TypeVar("Page", bound=Callable[..., HttpResponseBase])


def _may_open_reports(request: HttpRequest) -> bool:
    # The checklist processes' pages: their link people and peer reviewers may hold any role.
    return request.user.has_perm(VIEW_ASSESSMENTS) or request.user.has_perm(VIEW_CHECKLISTS)


def reader_required(view: Page) -> Page:
    """Refuse (403) anyone who may open neither Respect accreditations nor the checklist
    processes; which assessment they may open is then `_access`'s (404)."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _may_open_reports(request):
            raise PermissionDenied(VIEW_ASSESSMENTS)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    wrapped.__module__ = view.__module__
    return wrapped  # type: ignore[return-value]


def _access(request: HttpRequest, assessment_id: int) -> ReportAccess:
    return selectors.report_access_get(user=request.user, assessment_id=assessment_id)


def _definition(request: HttpRequest, access: ReportAccess, kind: str) -> ReportDefinition:
    definition = selectors.report_definition_get(access=access, kind=kind)
    require_permission(request.user, definition.permission, access)
    return definition


def _back_url(access: ReportAccess) -> str:
    """The assessment's own page, which its process's pages serve."""
    if isinstance(access, ChecklistAccess):
        return checklist_detail_url(access.assessment)
    return reverse("assurance:assessment_detail", args=[access.assessment.pk])


def _list_url(assessment_id: int) -> str:
    return reverse("assurance:reports", args=[assessment_id])


def _report_page(
    request: HttpRequest, access: ReportAccess, refused: Form | None = None
) -> HttpResponse:
    definitions = selectors.report_definitions_for(user=request.user, access=access)
    exports_allowed = {
        "evidence": permitted(request.user, EXPORT_EVIDENCE, access),
        "table": permitted(request.user, READ_FINDINGS, access),
    }
    if not definitions and not any(exports_allowed.values()):
        raise PermissionDenied("no reports or exports of this assessment")
    return render(
        request,
        "assurance/reports/report_list.html",
        {
            "access": access,
            "assessment": access.assessment,
            "kinds": [
                (definition, list(selectors.reports_of(access=access, kind=definition.kind)))
                for definition in definitions
            ],
            "exports_allowed": exports_allowed,
            "back_url": _back_url(access),
            "form": refused,
        },
        status=400 if refused else 200,
    )


@reader_required
def report_list(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The reports this person may read, every version generated, and the exports."""
    return _report_page(request, _access(request, assessment_id))


@require_POST
@reader_required
def report_generate(request: HttpRequest, assessment_id: int, kind: str) -> HttpResponse:
    access = _access(request, assessment_id)
    definition = _definition(request, access, kind)
    return button_action(
        request,
        act=lambda: assessment_report_generate(
            assessment=access.assessment, actor=acting_user(request), kind=definition.kind
        ),
        done=lambda report: f"{definition.name}, version {report.version}, generated",
        success_url=lambda report: reverse(
            "assurance:report_detail", args=[assessment_id, kind, report.version]
        ),
        refused=lambda refusal: _report_page(request, access, refused=refusal_summary(refusal)),
    )


def _stored(
    request: HttpRequest, assessment_id: int, kind: str, version: int
) -> tuple[ReportAccess, ReportDefinition, AssessmentReport]:
    access = _access(request, assessment_id)
    definition = _definition(request, access, kind)
    report = selectors.report_get(access=access, kind=ReportKind(definition.kind), version=version)
    return access, definition, report


@reader_required
def report_detail(
    request: HttpRequest, assessment_id: int, kind: str, version: int
) -> HttpResponse:
    """The report as it was generated, never the assessment as it is now."""
    access, definition, report = _stored(request, assessment_id, kind, version)
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.VIEWED,
        target=report,
        summary=f"{definition.name}, version {report.version}",
    )
    latest = selectors.reports_of(access=access, kind=definition.kind).first()
    return render(
        request,
        "assurance/reports/report_detail.html",
        {
            "access": access,
            "assessment": access.assessment,
            "definition": definition,
            "report": report,
            "latest": latest,
        },
    )


@reader_required
def report_pdf(request: HttpRequest, assessment_id: int, kind: str, version: int) -> HttpResponse:
    access, definition, report = _stored(request, assessment_id, kind, version)
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        target=report,
        summary=f"{definition.name}, version {report.version}, PDF",
    )
    filename = export_filename(access.assessment, f"{definition.name} v{report.version}", "pdf")
    return _download(bytes(report.pdf), filename, "application/pdf")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    as_attachment(response, filename)
    return response


def evidence_pack(request: HttpRequest, assessment_id: int) -> FileResponse:
    """Every document the assessment cites, once, with an index of what each supports. Streamed
    (so not wrapped like the pages, whose wrapper expects a plain response): the same check."""
    if not _may_open_reports(request):
        raise PermissionDenied(VIEW_ASSESSMENTS)
    access = _access(request, assessment_id)
    require_permission(request.user, EXPORT_EVIDENCE, access)
    assessment = access.assessment
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        target=assessment,
        summary="evidence pack",
    )
    response = FileResponse(
        exports.evidence_pack(assessment=assessment), content_type="application/zip"
    )
    as_attachment(response, export_filename(assessment, "evidence pack", "zip"))
    return response


@reader_required
def requirements_csv(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    require_permission(request.user, READ_FINDINGS, access)
    assessment = access.assessment
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        target=assessment,
        summary="requirements table, CSV",
    )
    return _download(
        exports.requirement_csv(assessment=assessment),
        export_filename(assessment, "requirements", "csv"),
        "text/csv; charset=utf-8",
    )


@reader_required
def requirements_xlsx(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    require_permission(request.user, READ_FINDINGS, access)
    assessment = access.assessment
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        target=assessment,
        summary="requirements table, Excel",
    )
    return _download(
        exports.requirement_xlsx(assessment=assessment),
        export_filename(assessment, "requirements", "xlsx"),
        XLSX_TYPE,
    )
