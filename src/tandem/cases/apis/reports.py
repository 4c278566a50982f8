"""Reports to other agencies through the API: drafted to the template, signed off by a senior
manager, then released (rules external-report, limitations)."""

from abc import abstractmethod
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.api import NOT_ALLOWED, REFUSED, created, list_schema, signed_in, write_schema
from tandem.cases import selectors
from tandem.cases.apis.case import CASE_NOT_FOUND, CaseRecordListApi, CaseWorkApi, case_for
from tandem.cases.models import ExternalReport, PerpetratorCase
from tandem.cases.rules import CHANGE_CASE, SIGN_OFF
from tandem.cases.services import reports
from tandem.lib.people import person_name


class ExternalReportSerializer(serializers.ModelSerializer[ExternalReport]):
    drafted_by = serializers.SerializerMethodField()
    signed_off_by = serializers.SerializerMethodField()

    class Meta:
        model = ExternalReport
        fields = [
            "id",
            "recipient",
            "recipient_name",
            *reports.REPORT_SECTIONS,
            "drafted_by",
            "drafted_at",
            "signed_off_by",
            "signed_off_at",
            "released_at",
        ]

    def get_drafted_by(self, report: ExternalReport) -> str | None:
        return person_name(report.drafted_by)

    def get_signed_off_by(self, report: ExternalReport) -> str | None:
        signer = report.signed_off_by
        return person_name(signer) if signer else None


class ExternalReportInputSerializer(serializers.Serializer[Any]):
    recipient = serializers.ChoiceField(choices=ExternalReport.Recipient.choices)
    recipient_name = serializers.CharField(max_length=200, allow_blank=True)
    # Blank sections reach the service, which refuses them naming the rule.
    intervention_and_attendance = serializers.CharField(allow_blank=True)
    further_abuse = serializers.CharField(allow_blank=True)
    concerns_with_evidence = serializers.CharField(allow_blank=True)
    limitations = serializers.CharField(allow_blank=True)


@extend_schema_view(
    get=list_schema(
        "Reports to other agencies (his perpetrator side and senior managers)",
        not_found=CASE_NOT_FOUND,
    )
)
class ExternalReportListApi(CaseRecordListApi):
    serializer_class = ExternalReportSerializer
    read_permissions = (CHANGE_CASE, SIGN_OFF)

    def records_of(self, case: PerpetratorCase) -> QuerySet[Any]:
        return selectors.external_reports_of(case=case)

    @write_schema(
        ExternalReportInputSerializer,
        ExternalReportSerializer,
        "Draft a report to the template (rules external-report, limitations)",
        not_found=CASE_NOT_FOUND,
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((CHANGE_CASE,))
        serializer = ExternalReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = reports.external_report_draft(
            case=case,
            actor=signed_in(request),
            sections=reports.ReportSections(**serializer.validated_data),
        )
        return created(ExternalReportSerializer, report)


class ExternalReportStepApi(CaseWorkApi):
    """A step in a drafted report's life, by whoever holds `permission` on its case."""

    permission: str

    @abstractmethod
    def step(self, *, report: ExternalReport, actor: User) -> ExternalReport:
        """Call the service for this step."""

    def post(self, request: Request, reference: str, report_id: int) -> Response:
        user = signed_in(request)
        case = case_for(user=user, reference=reference, permissions=(self.permission,))
        report = selectors.external_report_get(case=case, report_id=report_id)
        report = self.step(report=report, actor=user)
        return Response(ExternalReportSerializer(report).data)


def report_step_schema(summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=None,
        responses={
            200: ExternalReportSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: CASE_NOT_FOUND,
        },
    )


@report_step_schema("Sign the report off (a senior manager of the service: external-report)")
class ExternalReportSignOffApi(ExternalReportStepApi):
    permission = SIGN_OFF

    def step(self, *, report: ExternalReport, actor: User) -> ExternalReport:
        return reports.external_report_sign_off(report=report, actor=actor)


@report_step_schema("Release a signed-off report (never before sign-off: external-report)")
class ExternalReportReleaseApi(ExternalReportStepApi):
    permission = CHANGE_CASE

    def step(self, *, report: ExternalReport, actor: User) -> ExternalReport:
        return reports.external_report_release(report=report, actor=actor)
