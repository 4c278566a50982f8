"""Governance through the API, under /api/v1/services/<id>/governance/: the same selectors,
rules and services as the pages.

Read: the policy register (anyone with a role working in the service) and the governance
calendar (its senior managers). Write: a policy version (multipart, its senior managers) and a
complaint (the service manager only). Someone the rule refuses is 403; a service outside theirs
is 404; a refused change is 400 naming the field and, where one refuses, the rule.
"""

from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission, permitted
from tandem.api import NOT_ALLOWED, REFUSED, created, not_found, signed_in
from tandem.api_schema import described_as
from tandem.governance import selectors
from tandem.governance.models import Complaint, Policy, RequiredPolicy
from tandem.governance.rules import (
    MANAGE_COMPLAINTS,
    MANAGE_GOVERNANCE,
    READ_POLICY_REGISTER,
    SEE_COMPLAINTS,
)
from tandem.governance.services.complaints import complaint_receive
from tandem.governance.services.policies import policy_record

NO_SUCH_SERVICE = not_found("No such service among yours")


class PolicySerializer(serializers.ModelSerializer[Policy]):
    owner = serializers.CharField(source="owner.username")

    class Meta:
        model = Policy
        fields = [
            "id",
            "required_policy",
            "title",
            "version_label",
            "owner",
            "approved_on",
            "next_review_on",
            "document_name",
            "document_kind",
        ]


class RegisterRowSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    missing = serializers.SerializerMethodField()
    policy = PolicySerializer(allow_null=True)
    review_overdue = serializers.BooleanField()
    review_due_soon = serializers.BooleanField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)

    def get_missing(self, row: selectors.RegisterRow) -> bool:
        return row.policy is None


class PolicyInputSerializer(serializers.Serializer[Any]):
    required_policy = serializers.ChoiceField(choices=RequiredPolicy.choices)
    title = serializers.CharField(max_length=200)
    version_label = serializers.CharField(max_length=40)
    owner = serializers.CharField(max_length=150, help_text="The owner's username")
    approved_on = serializers.DateField()
    next_review_on = serializers.DateField()
    document = serializers.FileField()


class DueItemSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    rule_id = serializers.CharField()
    due_on = serializers.DateField()
    urgency = serializers.SerializerMethodField()

    def get_urgency(self, item: Any) -> str:
        return {0: "overdue", 1: "due soon"}.get(item.urgency, "later")


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    class Meta:
        model = Complaint
        fields = [
            "id",
            "version",
            "received_on",
            "complainant",
            "summary",
            "involves_survivor",
            "response_working_days",
            "response_due_on",
            "outcome",
            "responded_on",
        ]


class ComplaintInputSerializer(serializers.Serializer[Any]):
    received_on = serializers.DateField()
    complainant = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    involves_survivor = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Made by or about a survivor: read on the ISS side only (true unless said)",
    )
    # Refused outside 1 to 60 by the service, naming rule complaints.
    response_working_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        style=described_as(minimum=1, maximum=60),
    )


class PolicyRegisterApi(APIView):
    permission_classes = [RulePermission]
    required_permission = READ_POLICY_REGISTER
    parser_classes = [MultiPartParser, FormParser]

    def get_permissions(self) -> Any:
        if self.request.method == "POST":
            self.required_permission = MANAGE_GOVERNANCE
        return super().get_permissions()

    @extend_schema(
        summary="The policy register: every required policy (R22 A1.1 a-k), missing ones "
        "included, with its current version and review status (rule policies)",
        responses={200: RegisterRowSerializer(many=True), 403: NOT_ALLOWED, 404: NO_SUCH_SERVICE},
    )
    def get(self, request: Request, service_id: int) -> Response:
        service = selectors.policy_register_service_get(user=request.user, service_id=service_id)
        rows = selectors.policy_register(service=service, user=request.user, now=timezone.now())
        return Response(RegisterRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="Record an approved policy version with its document (rule policies: next "
        "review at most 3 years after approval)",
        request={"multipart/form-data": PolicyInputSerializer},
        responses={201: PolicySerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NO_SUCH_SERVICE},
    )
    def post(self, request: Request, service_id: int) -> Response:
        service = selectors.governance_service_get(user=request.user, service_id=service_id)
        serializer = PolicyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        owner = next(
            (
                person
                for person in selectors.staff_of(service=service, on=timezone.localdate())
                if person.get_username().lower() == data["owner"].strip().lower()
            ),
            None,
        )
        if owner is None:
            raise serializers.ValidationError({"owner": ["No one of that username works here."]})
        policy = policy_record(
            service=service,
            required_policy=data["required_policy"],
            title=data["title"],
            version_label=data["version_label"],
            owner=owner,
            approved_on=data["approved_on"],
            next_review_on=data["next_review_on"],
            document=data["document"],
            actor=signed_in(request),
        )
        return created(PolicySerializer, policy)


class GovernanceCalendarApi(APIView):
    permission_classes = [RulePermission]
    required_permission = MANAGE_GOVERNANCE

    @extend_schema(
        summary="Every governance item due in the service, in date order",
        responses={200: DueItemSerializer(many=True), 403: NOT_ALLOWED, 404: NO_SUCH_SERVICE},
    )
    def get(self, request: Request, service_id: int) -> Response:
        service = selectors.governance_service_get(user=request.user, service_id=service_id)
        items = selectors.governance_due_items_of(
            service=service,
            now=timezone.now(),
            complaints_for=request.user if permitted(request.user, SEE_COMPLAINTS) else None,
        )
        return Response(DueItemSerializer(items, many=True).data)


class ComplaintListApi(APIView):
    permission_classes = [RulePermission]
    required_permission = MANAGE_COMPLAINTS

    @extend_schema(
        summary="The service's complaints, latest first (the service manager only; one "
        "involving a survivor only on the ISS side)",
        responses={200: ComplaintSerializer(many=True), 403: NOT_ALLOWED, 404: NO_SUCH_SERVICE},
    )
    def get(self, request: Request, service_id: int) -> Response:
        service = selectors.complaint_service_get(user=request.user, service_id=service_id)
        return Response(
            ComplaintSerializer(
                selectors.complaints_of(service=service, user=request.user), many=True
            ).data
        )

    @extend_schema(
        summary="Record a complaint; its response is due within the timeframe given or 20 "
        "working days (WG 18)",
        request=ComplaintInputSerializer,
        responses={201: ComplaintSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NO_SUCH_SERVICE},
    )
    def post(self, request: Request, service_id: int) -> Response:
        service = selectors.complaint_service_get(user=request.user, service_id=service_id)
        serializer = ComplaintInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = complaint_receive(
            service=service, actor=signed_in(request), **serializer.validated_data
        )
        return created(ComplaintSerializer, complaint)


urlpatterns = [
    path(
        "services/<int:service_id>/governance/policies/",
        PolicyRegisterApi.as_view(),
        name="governance-policies",
    ),
    path(
        "services/<int:service_id>/governance/calendar/",
        GovernanceCalendarApi.as_view(),
        name="governance-calendar",
    ),
    path(
        "services/<int:service_id>/governance/complaints/",
        ComplaintListApi.as_view(),
        name="governance-complaints",
    ),
]
