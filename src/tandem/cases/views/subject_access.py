"""NE 5.2: the data held about him, produced for him by a senior manager of the service, as a
printable page or a JSON download, built only from `subject_access_export`."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.access.permissions import require_permission
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.cases import selectors
from tandem.cases.models import PerpetratorCase
from tandem.cases.rules import EXPORT_SUBJECT_ACCESS
from tandem.cases.subject_access import Export, subject_access_export, subject_access_sections


def _subject_access(
    request: HttpRequest, reference: str, *, form: str
) -> tuple[PerpetratorCase, Export]:
    """404 for a case the person cannot see; 403 unless they may produce his data. Each
    production is recorded in the audit trail as an export."""
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, EXPORT_SUBJECT_ACCESS, case)
    export = subject_access_export(case=case, now=timezone.now())
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        target=case,
        summary=f"subject access: the data held about him, {form}",
    )
    return case, export


def case_subject_access(request: HttpRequest, reference: str) -> HttpResponse:
    """NE 5.2: the data held about him, printable, built only from `subject_access_export`."""
    case, export = _subject_access(request, reference, form="printable page")
    return render(
        request,
        "cases/subject_access.html",
        {"case": case, "sections": subject_access_sections(export)},
    )


def case_subject_access_json(request: HttpRequest, reference: str) -> HttpResponse:
    """NE 5.2: the same data as a JSON download."""
    case, export = _subject_access(request, reference, form="JSON download")
    response = JsonResponse(export, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="{case.reference}-data-held-about-you.json"'
    )
    response["Cache-Control"] = "no-store"
    return response
