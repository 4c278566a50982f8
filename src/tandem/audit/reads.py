"""Reads of personal records are audited in one place per front door: `AuditedListApi` for an
API list, `audit_page_read` for a page that lists records. Either writes one event per request
naming the ids of the records shown (the page, not the whole list) and, for a search, its terms;
one record's page or route records its own view (`audit_event_record`).

They live here rather than in the page and API kits (`tandem.web`, `tandem.api`) because those
sit below the audit trail in the layers.
"""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_records_read

# Query parameters that only page through a list: what is left is a search or a filter.
PAGING_PARAMETERS = frozenset({"limit", "offset", "page"})

ListedModel = TypeVar("ListedModel", bound=Model)


def search_terms(query: QueryDict) -> str:
    """The search and filter terms of a request, as `q=jones&status=open` (sorted, paging left
    out), or "" for a plain list."""
    terms = [
        f"{name}={value.strip()}"
        for name in sorted(query)
        if name not in PAGING_PARAMETERS
        for value in query.getlist(name)
        if value.strip()
    ]
    return "&".join(terms)


def audit_page_read(
    request: HttpRequest, *, records: Any, model: type[Model], summary: str
) -> AuditEvent:
    """Record that the signed-in person was shown `records` (the page's rows) on a list page,
    with the page's search terms, if any."""
    return audit_records_read(
        actor=request.user,
        model=model,
        ids=[record.pk for record in records],
        summary=summary,
        search=search_terms(request.GET),
    )


class AuditedListApi(ListAPIView[ListedModel]):
    """A list route whose every GET is audited: one event naming the ids of the page answered
    and the search terms. `audit_summary` says what was read; `audited_owner` names the one
    record the list belongs to, where it does (a case, for its children)."""

    audit_summary = "listed through the API"

    def audited_owner(self) -> Model | None:
        return None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset: QuerySet[ListedModel] = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset) if page is None else page
        audit_records_read(
            actor=request.user,
            model=queryset.model,
            ids=[row.pk for row in rows],
            summary=self.audit_summary,
            search=search_terms(request.query_params),
            owner=self.audited_owner(),
        )
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)
