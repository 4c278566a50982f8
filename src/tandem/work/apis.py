"""The worker's due tasks through the API, under /api/v1/, scoped as on the "My work" page."""

from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED
from tandem.audit.reads import AuditedListApi
from tandem.compliance.models import DUE_SOON, LATER, OVERDUE, DueTask
from tandem.lib.people import person_name
from tandem.work import selectors
from tandem.work.rules import VIEW_MY_WORK

URGENCY = {
    OVERDUE: "overdue",
    DUE_SOON: "due_soon",
    LATER: "later",
}


class DueTaskSerializer(serializers.ModelSerializer[DueTask]):
    rule = serializers.CharField(source="rule_id")
    urgency = serializers.SerializerMethodField()
    case = serializers.CharField(source="perpetrator_case.reference", allow_null=True)
    iss_case = serializers.IntegerField(source="iss_case_id", allow_null=True)
    assigned_to = serializers.SerializerMethodField()

    class Meta:
        model = DueTask
        fields = [
            "id",
            "rule",
            "title",
            "side",
            "due_at",
            "urgency",
            "case",
            "iss_case",
            "assigned_to",
        ]

    def get_urgency(self, task: DueTask) -> str:
        """overdue, due_soon (within the selector's working days) or later."""
        return URGENCY[task.urgency]  # type: ignore[attr-defined]

    def get_assigned_to(self, task: DueTask) -> str | None:
        return person_name(task.assigned_to) if task.assigned_to else None


@extend_schema(responses={200: DueTaskSerializer, 403: NOT_ALLOWED})
class MyWorkApi(AuditedListApi[DueTask]):
    """Open tasks the standards make due, yours or not yet anyone's, in the services and on the
    side of the barrier you work on: overdue first, then due soon, then later. A task's title
    may name the person it is about, so each read is audited."""

    audit_summary = "my work listed through the API"
    permission_classes = [RulePermission]
    required_permission = VIEW_MY_WORK
    serializer_class = DueTaskSerializer

    def get_queryset(self) -> QuerySet[DueTask]:
        return selectors.due_tasks_for_user(
            user=self.request.user, now=timezone.now()
        ).select_related("assigned_to")


urlpatterns = [path("my-work/", MyWorkApi.as_view(), name="my-work")]
