"""The audit trail through the API, under /api/v1/audit-events/: read-only, for the data
protection officer; narrowed by the same filters as the page. There is no route that writes."""

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, REFUSED
from tandem.audit.forms import TrailFilterForm
from tandem.audit.models import AuditEvent
from tandem.audit.reads import AuditedListApi
from tandem.audit.rules import READ_WHOLE_TRAIL
from tandem.audit.selectors import audit_trail_for_user


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    who = serializers.CharField(source="actor_label")
    record_type = serializers.SerializerMethodField()
    records_listed = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "who",
            "action",
            "record_type",
            "object_id",
            "records_listed",
            "object_repr",
            "summary",
            "reason",
            "ip_address",
            "user_agent",
            "path",
            "previous_hash",
            "hash",
        ]

    def get_record_type(self, event: AuditEvent) -> str | None:
        kind = event.content_type
        return f"{kind.app_label}.{kind.model}" if kind else None

    def get_records_listed(self, event: AuditEvent) -> list[str]:
        return event.object_ids.split()


FILTERS = [
    OpenApiParameter(
        "record_type", OpenApiTypes.STR, description="A kind of record, e.g. support.isscase"
    ),
    OpenApiParameter(
        "record_id", OpenApiTypes.STR, description="The record's id (needs record_type)"
    ),
    OpenApiParameter("person", OpenApiTypes.STR, description="Who acted: their username"),
    OpenApiParameter("since", OpenApiTypes.DATE, description="From this day (inclusive)"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="To this day (inclusive)"),
]


@extend_schema_view(
    get=extend_schema(
        summary="The audit trail, newest first (data protection officer)",
        parameters=FILTERS,
        responses={200: AuditEventSerializer(many=True), 400: REFUSED, 403: NOT_ALLOWED},
    )
)
class AuditEventListApi(AuditedListApi[AuditEvent]):
    permission_classes = [RulePermission]
    required_permission = READ_WHOLE_TRAIL
    serializer_class = AuditEventSerializer
    http_method_names = ["get", "head", "options"]
    audit_summary = "audit trail read through the API"

    def get_queryset(self) -> QuerySet[AuditEvent]:
        form = TrailFilterForm(self.request.query_params)
        if not form.is_valid():
            errors: dict[str, Any] = {
                field: [str(message) for message in messages]
                for field, messages in form.errors.items()
            }
            raise serializers.ValidationError(errors)
        return audit_trail_for_user(user=self.request.user, narrowed=form.narrowed())


urlpatterns = [path("audit-events/", AuditEventListApi.as_view(), name="audit-event-list")]
