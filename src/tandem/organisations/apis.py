"""Services and their staff through the API, under /api/v1/: the same selectors, rules and
services as the pages.

Someone who may manage no service is 403; a service they may not see is 404 (its existence is
not leaked); a refused change is 400 naming the field and, where one refuses, the rule.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, REFUSED, created, not_found, signed_in
from tandem.lib.people import person_name
from tandem.organisations import selectors
from tandem.organisations.models import Service, Side, StaffMembership
from tandem.organisations.rules import MANAGE_SERVICE, VIEW_SERVICES
from tandem.organisations.services import staff_membership_add
from tandem.standards.models import InterventionType

NO_SUCH_SERVICE = not_found("No such service among those you manage")

# The service names the person `user`; the API takes their username.
MEMBERSHIP_FIELD_NAMES = {"user": "username"}


class MembershipSerializer(serializers.ModelSerializer[StaffMembership]):
    username = serializers.CharField(source="user.username")
    name = serializers.SerializerMethodField()

    class Meta:
        model = StaffMembership
        fields = ["id", "username", "name", "side", "is_senior_manager", "started_on", "ended_on"]

    def get_name(self, membership: StaffMembership) -> str:
        return person_name(membership.user)


class ServiceSerializer(serializers.ModelSerializer[Service]):
    organisation = serializers.CharField(source="organisation.name")
    criminal_record_body = serializers.CharField()
    intervention_types = serializers.ListField(
        source="intervention_types_offered",
        child=serializers.ChoiceField(choices=InterventionType.choices),
    )
    external_iss_organisation = serializers.CharField(
        source="external_iss_organisation.name", allow_null=True, default=None
    )

    class Meta:
        model = Service
        fields = [
            "id",
            "version",
            "name",
            "organisation",
            "jurisdiction",
            "criminal_record_body",
            "intervention_types",
            "delivery",
            "iss_provision",
            "external_iss_organisation",
            "partnership_agreement_signed_on",
            "information_sharing_agreement_signed_on",
            "has_youth_provision",
            "dash_high_risk_threshold",
            "marac_escalation_incidents",
            "marac_escalation_window_days",
            "referral_response_working_days",
        ]


class ServiceDetailSerializer(ServiceSerializer):
    current_staff = serializers.SerializerMethodField()

    class Meta(ServiceSerializer.Meta):
        fields = [*ServiceSerializer.Meta.fields, "current_staff"]

    @extend_schema_field(MembershipSerializer(many=True))
    def get_current_staff(self, service: Service) -> Any:
        memberships = selectors.current_memberships_of(service=service, today=timezone.localdate())
        return MembershipSerializer(memberships, many=True).data


class MembershipInputSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    side = serializers.ChoiceField(choices=Side.choices)
    is_senior_manager = serializers.BooleanField(required=False, default=False)
    started_on = serializers.DateField()


@extend_schema_view(
    get=extend_schema(responses={200: ServiceSerializer(many=True), 403: NOT_ALLOWED})
)
class ServiceListApi(ListAPIView[Service]):
    """Services you may see: every one for an administrator, otherwise those you are a senior
    manager of."""

    permission_classes = [RulePermission]
    required_permission = VIEW_SERVICES
    serializer_class = ServiceSerializer

    def get_queryset(self) -> QuerySet[Service]:
        return selectors.services_for_user(user=self.request.user)


class ServiceDetailApi(APIView):
    permission_classes = [RulePermission]
    required_permission = VIEW_SERVICES

    @extend_schema(responses={200: ServiceDetailSerializer, 403: NOT_ALLOWED, 404: NO_SUCH_SERVICE})
    def get(self, request: Request, service_id: int) -> Response:
        """One service's settings and its current staff, each with their side."""
        service = selectors.service_get_for_user(user=request.user, service_id=service_id)
        return Response(ServiceDetailSerializer(service).data)


@extend_schema_view(
    get=extend_schema(
        summary="Everyone who works or worked in the service, latest start first",
        responses={200: MembershipSerializer(many=True), 403: NOT_ALLOWED, 404: NO_SUCH_SERVICE},
    )
)
class MembershipListApi(ListAPIView[StaffMembership]):
    """The service's staff memberships; POST adds someone to its staff."""

    permission_classes = [RulePermission]
    required_permission = VIEW_SERVICES
    serializer_class = MembershipSerializer
    refusal_field_names = MEMBERSHIP_FIELD_NAMES

    def service(self) -> Service:
        """404 for a service the person may not see; 403 unless they may manage it."""
        service = selectors.service_get_for_user(
            user=self.request.user, service_id=self.kwargs["service_id"]
        )
        if not self.request.user.has_perm(MANAGE_SERVICE, service):
            raise PermissionDenied("Only an administrator or its senior manager can do this.")
        return service

    def get_queryset(self) -> QuerySet[StaffMembership]:
        return selectors.memberships_latest_first_of(service=self.service())

    @extend_schema(
        summary="Add someone to the service's staff, on one side of the information barrier "
        "(both sides: managers only, rule not-same-staff)",
        request=MembershipInputSerializer,
        responses={201: MembershipSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NO_SUCH_SERVICE},
    )
    def post(self, request: Request, service_id: int) -> Response:
        service = self.service()
        serializer = MembershipInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = selectors.user_by_username(username=data["username"])
        if user is None:
            raise serializers.ValidationError({"username": ["No one has that username."]})
        membership = staff_membership_add(
            service=service,
            user=user,
            side=data["side"],
            is_senior_manager=data["is_senior_manager"],
            started_on=data["started_on"],
            actor=signed_in(request),
        )
        return created(MembershipSerializer, membership)


urlpatterns = [
    path("services/", ServiceListApi.as_view(), name="service-list"),
    path("services/<int:service_id>/", ServiceDetailApi.as_view(), name="service-detail"),
    path(
        "services/<int:service_id>/memberships/",
        MembershipListApi.as_view(),
        name="service-memberships",
    ),
]
