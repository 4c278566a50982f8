"""Workforce records through the API, under /api/v1/workforce/: the same selectors, rules and
services as the pages.

Someone who manages no staff is 403; a service or worker outside the organisations they manage
is 404 (its existence is not leaked); a refused record is 400 naming the field and, where one
refuses, the rule.
"""

from decimal import Decimal
from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, REFUSED, created, not_found, signed_in
from tandem.lib.people import person_name
from tandem.workforce import selectors
from tandem.workforce.matrix import compliance_matrix
from tandem.workforce.models import (
    CheckLevel,
    CheckScheme,
    CriminalRecordCheck,
    Supervision,
    SupervisionKind,
    TrainingKind,
    TrainingRecord,
    Worker,
)
from tandem.workforce.rules import (
    MANAGE_WORKER,
    MANAGE_WORKFORCE,
    RECORD_ANY_SUPERVISION,
    RECORD_SUPERVISION,
)
from tandem.workforce.services import (
    criminal_record_check_record,
    supervision_record,
    training_record,
)

NOT_FOUND = not_found("No such service or worker among those you manage")


class WorkerSerializer(serializers.ModelSerializer[Worker]):
    username = serializers.CharField(source="user.username")
    name = serializers.SerializerMethodField()

    class Meta:
        model = Worker
        fields = [
            "id",
            "version",
            "username",
            "name",
            "employment_type",
            "job_title",
            "started_on",
            "probation_ends_on",
            "gender",
            "job_description_on_file_since",
            "person_specification_on_file_since",
            "relevant_experience_since",
            "is_icm_case_manager",
        ]

    def get_name(self, worker: Worker) -> str:
        return person_name(worker.user)


class CellSerializer(serializers.Serializer[Any]):
    requirement = serializers.CharField(source="requirement.key")
    title = serializers.CharField(source="requirement.label")
    rule = serializers.CharField(source="requirement.rule_id")
    status = serializers.ChoiceField(choices=["green", "amber", "red", "n/a"])
    text = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)


class MatrixRowSerializer(serializers.Serializer[Any]):
    worker = serializers.IntegerField(source="worker.pk")
    name = serializers.SerializerMethodField()
    sides = serializers.ListField(child=serializers.CharField())
    cells = CellSerializer(many=True)

    def get_name(self, row: Any) -> str:
        return person_name(row.worker.user)


class CheckSerializer(serializers.ModelSerializer[CriminalRecordCheck]):
    """The certificate number is written, never read back through the API."""

    certificate_number = serializers.CharField(write_only=True, max_length=40)
    scheme = serializers.ChoiceField(choices=CheckScheme.choices)
    level = serializers.ChoiceField(choices=CheckLevel.choices)

    class Meta:
        model = CriminalRecordCheck
        fields = ["id", "scheme", "level", "certificate_number", "issued_on"]


class TrainingSerializer(serializers.ModelSerializer[TrainingRecord]):
    kind = serializers.ChoiceField(choices=TrainingKind.choices)
    # A number in the schema, with its bounds (as a string its pattern would admit "" and ".").
    hours = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.25"), coerce_to_string=False
    )

    class Meta:
        model = TrainingRecord
        fields = ["id", "kind", "title", "provider", "completed_on", "hours"]


class SupervisionInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=SupervisionKind.choices)
    supervisor = serializers.CharField(max_length=150, help_text="The supervisor's username")
    held_on = serializers.DateField()
    minutes = serializers.IntegerField(min_value=1, max_value=480)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    competency = serializers.CharField(required=False, allow_blank=True, default="")
    training_needs = serializers.CharField(required=False, allow_blank=True, default="")


class SupervisionSerializer(serializers.ModelSerializer[Supervision]):
    supervisor = serializers.CharField(source="supervisor.username")

    class Meta:
        model = Supervision
        fields = ["id", "kind", "supervisor", "held_on", "minutes"]


class ServiceWorkersApi(APIView):
    permission_classes = [RulePermission]
    required_permission = MANAGE_WORKFORCE

    @extend_schema(responses={200: WorkerSerializer(many=True), 403: NOT_ALLOWED, 404: NOT_FOUND})
    def get(self, request: Request, service_id: int) -> Response:
        """The worker records of the people with a current place in the service."""
        service = selectors.service_get_for_user(user=request.user, service_id=service_id)
        return Response(
            WorkerSerializer(selectors.service_workers(service=service), many=True).data
        )


class MatrixApi(APIView):
    permission_classes = [RulePermission]
    required_permission = MANAGE_WORKFORCE

    @extend_schema(
        responses={200: MatrixRowSerializer(many=True), 403: NOT_ALLOWED, 404: NOT_FOUND}
    )
    def get(self, request: Request, service_id: int) -> Response:
        """The staff compliance matrix: each worker's requirements, green, amber or red (red:
        overdue or missing; amber: due within a month), each naming its rule."""
        service = selectors.service_get_for_user(user=request.user, service_id=service_id)
        rows = compliance_matrix(
            service=service,
            workers=list(selectors.service_workers(service=service)),
            on=timezone.localdate(),
        )
        return Response(MatrixRowSerializer(rows, many=True).data)


def _worker(request: Request, worker_id: int, permission: str) -> Worker:
    worker = selectors.worker_get_for_user(user=request.user, worker_id=worker_id)
    if not request.user.has_perm(permission, worker):
        raise PermissionDenied("You may not do this for this worker.")
    return worker


class CheckApi(APIView):
    permission_classes = [RulePermission]
    required_permission = MANAGE_WORKFORCE

    @extend_schema(responses={200: CheckSerializer(many=True), 403: NOT_ALLOWED, 404: NOT_FOUND})
    def get(self, request: Request, worker_id: int) -> Response:
        """The worker's criminal record checks (rule dbs), latest first."""
        worker = _worker(request, worker_id, MANAGE_WORKER)
        checks = selectors.criminal_record_checks_of(worker=worker)
        return Response(CheckSerializer(checks, many=True).data)

    @extend_schema(
        request=CheckSerializer,
        responses={201: CheckSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def post(self, request: Request, worker_id: int) -> Response:
        """Record a criminal record check (rule dbs: renewed every 3 years)."""
        worker = _worker(request, worker_id, MANAGE_WORKER)
        serializer = CheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check = criminal_record_check_record(
            actor=signed_in(request),
            worker=worker,
            today=timezone.localdate(),
            **serializer.validated_data,
        )
        return created(CheckSerializer, check)


class TrainingApi(APIView):
    permission_classes = [RulePermission]
    required_permission = MANAGE_WORKFORCE

    @extend_schema(responses={200: TrainingSerializer(many=True), 403: NOT_ALLOWED, 404: NOT_FOUND})
    def get(self, request: Request, worker_id: int) -> Response:
        """The worker's training and development (rules cpd, mandatory-training)."""
        worker = _worker(request, worker_id, MANAGE_WORKER)
        return Response(
            TrainingSerializer(selectors.training_records_of(worker=worker), many=True).data
        )

    @extend_schema(
        request=TrainingSerializer,
        responses={201: TrainingSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def post(self, request: Request, worker_id: int) -> Response:
        """Record a course or development activity with its hours."""
        worker = _worker(request, worker_id, MANAGE_WORKER)
        serializer = TrainingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = training_record(
            actor=signed_in(request),
            worker=worker,
            today=timezone.localdate(),
            **serializer.validated_data,
        )
        return created(TrainingSerializer, record)


class SupervisionApi(APIView):
    """Supervision: that it happened (kind, date, supervisor, length). What was said is never
    given through the API; it is read on the worker's page by those the rules allow."""

    permission_classes = [RulePermission]
    required_permission = RECORD_ANY_SUPERVISION

    @extend_schema(
        responses={200: SupervisionSerializer(many=True), 403: NOT_ALLOWED, 404: NOT_FOUND}
    )
    def get(self, request: Request, worker_id: int) -> Response:
        worker = _worker(request, worker_id, RECORD_SUPERVISION)
        return Response(
            SupervisionSerializer(selectors.supervisions_for_worker(worker=worker), many=True).data
        )

    @extend_schema(
        request=SupervisionInputSerializer,
        responses={201: SupervisionSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def post(self, request: Request, worker_id: int) -> Response:
        """Record supervision (rules clinical-supervision, line-management,
        practice-observation)."""
        worker = _worker(request, worker_id, RECORD_SUPERVISION)
        serializer = SupervisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        supervisor = selectors.staff_member_of(
            organisation_id=worker.organisation_id, username=data.pop("supervisor")
        )
        if supervisor is None:
            raise serializers.ValidationError(
                {"supervisor": ["No one in the worker's organisation has that username."]}
            )
        supervision = supervision_record(
            actor=signed_in(request),
            supervisee=worker,
            supervisor=supervisor,
            today=timezone.localdate(),
            **data,
        )
        return created(SupervisionSerializer, supervision)


urlpatterns = [
    path(
        "services/<int:service_id>/workers/",
        ServiceWorkersApi.as_view(),
        name="workforce-service-workers",
    ),
    path("services/<int:service_id>/matrix/", MatrixApi.as_view(), name="workforce-matrix"),
    path("workers/<int:worker_id>/checks/", CheckApi.as_view(), name="workforce-checks"),
    path("workers/<int:worker_id>/training/", TrainingApi.as_view(), name="workforce-training"),
    path(
        "workers/<int:worker_id>/supervision/",
        SupervisionApi.as_view(),
        name="workforce-supervision",
    ),
]
