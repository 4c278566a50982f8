"""A service's reviews of its cases through the API, for those who run them: case management
reviews, case-file audits and the weekly risk and engagement exchange."""

from abc import abstractmethod
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.access.permissions import RulePermission
from tandem.api import bounded_list, created, list_schema, not_found, signed_in, write_schema
from tandem.api_schema import record_id
from tandem.cases import selectors
from tandem.cases.apis.case import staff_by_id
from tandem.cases.models import (
    CaseReviewMeeting,
    FileAudit,
    PerpetratorCase,
    RiskEngagementExchange,
)
from tandem.cases.rules import MANAGE_CASE_REVIEWS, VIEW_CASE_LIST
from tandem.cases.services import reviews
from tandem.lib.people import person_name
from tandem.organisations.models import Service

SERVICE_NOT_FOUND = not_found("No such service among those you work in")


def service_to_manage(*, user: User, service_id: int) -> Service:
    """404 for a service the person does no case work in; 403 unless they run its reviews."""
    service = selectors.service_get_for_user(user=user, service_id=service_id)
    if not user.has_perm(MANAGE_CASE_REVIEWS, service):
        raise PermissionDenied("Only those who run the service's case reviews can do this.")
    return service


def cases_by_reference(
    *, user: User, references: list[str], field: str
) -> dict[str, PerpetratorCase]:
    """The person's visible cases among `references`; any other is refused on `field` (whether
    it exists elsewhere is not said)."""
    found = {
        case.reference: case
        for case in selectors.perpetrator_case_list_for_user(user=user).filter(
            reference__in=references
        )
    }
    missing = [reference for reference in references if reference not in found]
    if missing:
        raise serializers.ValidationError(
            {field: [f"no such case among your services: {', '.join(missing)}"]}
        )
    return found


class CaseReviewMeetingSerializer(serializers.ModelSerializer[CaseReviewMeeting]):
    chair = serializers.SerializerMethodField()
    cases_considered = serializers.IntegerField()

    class Meta:
        model = CaseReviewMeeting
        fields = [
            "id",
            "held_on",
            "chair",
            "cases_considered",
            "previous_actions_reviewed",
            "recorded_at",
        ]

    def get_chair(self, meeting: CaseReviewMeeting) -> str | None:
        return person_name(meeting.chair)


class ReviewEntryInputSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(help_text="The case's reference")
    decisions = serializers.CharField(allow_blank=True)
    actions = serializers.CharField(required=False, default="", allow_blank=True)
    children_reexamined = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Completes the case's tasks to re-examine the children's needs",
    )


class CaseReviewInputSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    chair = record_id(help_text="The id of a member of the service's staff")
    attendees = bounded_list(
        record_id(),
        at_most=100,
        too_many="A case review can have at most 100 people attending",
        allow_empty=False,
    )
    entries = bounded_list(
        ReviewEntryInputSerializer(),
        at_most=1000,
        too_many="A case review can cover at most 1000 cases",
        help_text="Every case open that day, each with its decisions",
    )
    previous_actions_reviewed = serializers.CharField(required=False, default="", allow_blank=True)


class FileAuditSerializer(serializers.ModelSerializer[FileAudit]):
    auditor = serializers.SerializerMethodField()
    files_audited = serializers.IntegerField()

    class Meta:
        model = FileAudit
        fields = ["id", "audited_on", "auditor", "files_audited", "findings", "feedback"]

    def get_auditor(self, audit: FileAudit) -> str | None:
        return person_name(audit.auditor)


class FileAuditInputSerializer(serializers.Serializer[Any]):
    audited_on = serializers.DateField()
    sample = bounded_list(
        serializers.CharField(),
        at_most=100,
        too_many="A file audit can sample at most 100 case files",
        help_text="The references of the case files audited",
    )
    findings = serializers.CharField(allow_blank=True)
    feedback = serializers.CharField(allow_blank=True)


class ExchangeSerializer(serializers.ModelSerializer[RiskEngagementExchange]):
    """An exchange as the person asking may read it (rule survivor-confidentiality): off the ISS
    side of the service, the ISS side's person by role and what the ISS shared only once
    approved (context `reads_iss_side`, false unless the view says otherwise)."""

    perpetrator_side_person = serializers.SerializerMethodField()
    iss_side_person = serializers.SerializerMethodField(
        help_text="Named for the ISS side of the service; by role for the perpetrator side"
    )
    iss_account = serializers.SerializerMethodField(
        help_text="What the ISS shared; empty for the perpetrator side until approved"
    )
    iss_account_awaiting_approval = serializers.SerializerMethodField()

    class Meta:
        model = RiskEngagementExchange
        fields = [
            "id",
            "held_on",
            "perpetrator_side_person",
            "iss_side_person",
            "summary",
            "iss_account",
            "iss_account_awaiting_approval",
            "recorded_at",
        ]

    def _as_read(self, exchange: RiskEngagementExchange) -> selectors.ExchangeAsRead:
        reads_iss_side = bool(self.context.get("reads_iss_side", False))
        return selectors.exchange_as_read(exchange=exchange, reads_iss_side=reads_iss_side)

    def get_perpetrator_side_person(self, exchange: RiskEngagementExchange) -> str | None:
        return person_name(exchange.perpetrator_side_person)

    def get_iss_side_person(self, exchange: RiskEngagementExchange) -> str:
        return self._as_read(exchange).iss_side_person

    def get_iss_account(self, exchange: RiskEngagementExchange) -> str:
        return self._as_read(exchange).iss_account

    def get_iss_account_awaiting_approval(self, exchange: RiskEngagementExchange) -> bool:
        return self._as_read(exchange).iss_account_awaiting_approval


class ExchangeInputSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    perpetrator_side_person = record_id(help_text="The id of a member of staff")
    iss_side_person = record_id(help_text="The id of a member of staff")
    summary = serializers.CharField(allow_blank=True)
    iss_account = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="What the ISS shared: the perpetrator side reads it once a manager on the ISS "
        "side approves it, as with a shared risk note",
    )


class ServiceRecordListApi(ListAPIView[Any]):
    """A service's review records, for those who run its reviews; POST records one."""

    permission_classes = [RulePermission]
    required_permission = VIEW_CASE_LIST

    def service(self) -> Service:
        return service_to_manage(user=signed_in(self.request), service_id=self.kwargs["service_id"])

    @abstractmethod
    def records_of(self, service: Service) -> QuerySet[Any]:
        """The service's records of this kind, newest first."""

    def get_queryset(self) -> QuerySet[Any]:
        return self.records_of(self.service())


def service_write_schema(
    input_serializer: type[serializers.Serializer[Any]], output: Any, summary: str
) -> Any:
    return write_schema(input_serializer, output, summary, not_found=SERVICE_NOT_FOUND)


@extend_schema_view(
    get=list_schema("The service's case management reviews", not_found=SERVICE_NOT_FOUND)
)
class CaseReviewListApi(ServiceRecordListApi):
    serializer_class = CaseReviewMeetingSerializer

    def records_of(self, service: Service) -> QuerySet[Any]:
        return selectors.case_review_history(service=service)

    @service_write_schema(
        CaseReviewInputSerializer,
        CaseReviewMeetingSerializer,
        "Record a case management review (rule case-review)",
    )
    def post(self, request: Request, service_id: int) -> Response:
        user = signed_in(request)
        service = self.service()
        serializer = CaseReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        staff = staff_by_id(
            service=service,
            on=data["held_on"],
            ids=[data["chair"], *data["attendees"]],
            field="attendees",
        )
        cases = cases_by_reference(
            user=user, references=[entry["case"] for entry in data["entries"]], field="entries"
        )
        entries = [
            reviews.ReviewEntry(**{**entry, "case": cases[entry["case"]]})
            for entry in data["entries"]
        ]
        meeting = reviews.case_review_meeting_record(
            service=service,
            actor=user,
            held_on=data["held_on"],
            chair=staff[data["chair"]],
            attendees=[staff[pk] for pk in data["attendees"]],
            entries=entries,
            previous_actions_reviewed=data["previous_actions_reviewed"],
        )
        return created(
            CaseReviewMeetingSerializer,
            selectors.case_review_history(service=service).get(pk=meeting.pk),
        )


@extend_schema_view(get=list_schema("The service's case-file audits", not_found=SERVICE_NOT_FOUND))
class FileAuditListApi(ServiceRecordListApi):
    serializer_class = FileAuditSerializer

    def records_of(self, service: Service) -> QuerySet[Any]:
        return selectors.file_audit_history(service=service)

    @service_write_schema(
        FileAuditInputSerializer, FileAuditSerializer, "Record a case-file audit (rule file-audit)"
    )
    def post(self, request: Request, service_id: int) -> Response:
        user = signed_in(request)
        service = self.service()
        serializer = FileAuditInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cases = cases_by_reference(user=user, references=data["sample"], field="sample")
        audit = reviews.file_audit_record(
            service=service,
            actor=user,
            audited_on=data["audited_on"],
            sample=[cases[reference] for reference in data["sample"]],
            findings=data["findings"],
            feedback=data["feedback"],
        )
        return created(
            FileAuditSerializer, selectors.file_audit_history(service=service).get(pk=audit.pk)
        )


@extend_schema_view(
    get=list_schema(
        "The service's weekly risk and engagement exchanges", not_found=SERVICE_NOT_FOUND
    )
)
class ExchangeListApi(ServiceRecordListApi):
    serializer_class = ExchangeSerializer

    def records_of(self, service: Service) -> QuerySet[Any]:
        return selectors.exchange_history(service=service)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["reads_iss_side"] = selectors.reads_iss_side_of(
            user=signed_in(self.request), service=self.service()
        )
        return context

    @service_write_schema(
        ExchangeInputSerializer,
        ExchangeSerializer,
        "Record a weekly risk and engagement exchange (rule weekly-exchange)",
    )
    def post(self, request: Request, service_id: int) -> Response:
        user = signed_in(request)
        service = self.service()
        serializer = ExchangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        people = [data["perpetrator_side_person"], data["iss_side_person"]]
        staff = staff_by_id(
            service=service, on=data["held_on"], ids=people, field="iss_side_person"
        )
        exchange = reviews.risk_engagement_exchange_record(
            service=service,
            actor=user,
            held_on=data["held_on"],
            perpetrator_side_person=staff[data["perpetrator_side_person"]],
            iss_side_person=staff[data["iss_side_person"]],
            summary=data["summary"],
            iss_account=data["iss_account"],
        )
        return created(ExchangeSerializer, exchange)
