"""The data protection officer's audit trail: narrowed by record, person and date, paged, and
downloadable as CSV. Reading it and downloading it are themselves recorded."""

import csv
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.audit.forms import TrailFilterForm
from tandem.audit.models import AuditEvent
from tandem.audit.reads import audit_page_read, search_terms
from tandem.audit.rules import READ_WHOLE_TRAIL
from tandem.audit.selectors import audit_trail_for_user
from tandem.audit.services import audit_event_record

PAGE_SIZE = 50
CSV_HEADER = [
    "id",
    "when",
    "who",
    "action",
    "kind of record",
    "record",
    "records listed",
    "record as shown",
    "summary",
    "reason",
    "from address",
    "path",
    "hash",
]
# A cell a spreadsheet would run as a formula is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _trail(request: HttpRequest) -> tuple[TrailFilterForm, Any]:
    form = TrailFilterForm(request.GET)
    if not form.is_valid():
        return form, AuditEvent.objects.none()
    return form, audit_trail_for_user(user=request.user, narrowed=form.narrowed())


@permission_required_or_403(READ_WHOLE_TRAIL)
def audit_trail(request: HttpRequest) -> HttpResponse:
    form, events = _trail(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_page_read(request, records=page, model=AuditEvent, summary="audit trail page")
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {"form": form, "page": page, "filters": filters.urlencode()},
        status=200 if form.is_valid() else 400,
    )


def _safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_rows(events: Any) -> Iterator[str]:
    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line())
    yield writer.writerow(CSV_HEADER)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                _safe_cell(cell)
                for cell in (
                    event.pk,
                    event.occurred_at.isoformat(),
                    event.actor_label,
                    event.action,
                    event.content_type.model if event.content_type else "",
                    event.object_id,
                    event.object_ids.strip(),
                    event.object_repr,
                    event.summary,
                    event.reason,
                    event.ip_address,
                    event.path,
                    event.hash,
                )
            ]
        )


def audit_trail_download(request: HttpRequest) -> HttpResponseBase:
    # Asked here, not by the page decorator, which wraps views answering a plain HttpResponse.
    require_permission(request.user, READ_WHOLE_TRAIL)
    form, events = _trail(request)
    if not form.is_valid():
        page = Paginator(events, PAGE_SIZE).get_page(1)
        context = {"form": form, "page": page, "filters": ""}
        return render(request, "audit/trail.html", context, status=400)
    terms = search_terms(request.GET)
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        target=None,
        summary="audit trail downloaded as CSV" + (f", narrowed to {terms}" if terms else ""),
    )
    response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    response["Cache-Control"] = "no-store"
    return response
