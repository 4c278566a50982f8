"""Legal holds through the API, under /api/v1/legal-holds/: for senior managers of the service.

A hold names its case by reference (perpetrator side) or ISS case id, never a survivor's name.
Someone the rule refuses is 403; a case or hold outside their services is 404; a refused change
is 400 naming the field.
"""

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, created, not_found, signed_in, write_schema
from tandem.dataprotection import selectors
from tandem.dataprotection.models import LegalHold
from tandem.dataprotection.rules import MANAGE_LEGAL_HOLDS
from tandem.dataprotection.services import REASON_MAX, legal_hold_lift, legal_hold_place

NO_SUCH_CASE = not_found("No such case among those of the services you manage")
NO_SUCH_HOLD = not_found("No such legal hold among yours")
REASON_MESSAGES: dict[str, Any] = {"blank": "Give the reason", "required": "Give the reason"}


class LegalHoldSerializer(serializers.ModelSerializer[LegalHold]):
    perpetrator_case = serializers.CharField(
        source="perpetrator_case.reference", read_only=True, allow_null=True
    )
    placed_by = serializers.CharField(source="placed_by.username", read_only=True)
    lifted_by = serializers.CharField(source="lifted_by.username", read_only=True, allow_null=True)

    class Meta:
        model = LegalHold
        fields = [
            "id",
            "perpetrator_case",
            "iss_case",
            "reason",
            "placed_by",
            "placed_at",
            "lifted_by",
            "lifted_at",
            "lift_reason",
        ]


class LegalHoldInputSerializer(serializers.Serializer[Any]):
    perpetrator_case = serializers.CharField(
        required=False, max_length=20, help_text="The case reference, for a perpetrator case"
    )
    iss_case = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="For an ISS case"
    )
    reason = serializers.CharField(max_length=REASON_MAX, error_messages=REASON_MESSAGES)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("perpetrator_case")) == bool(attrs.get("iss_case")):
            raise serializers.ValidationError(
                {"perpetrator_case": ["Give either a perpetrator case or an ISS case, not both"]}
            )
        return attrs


class LiftInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=REASON_MAX, error_messages=REASON_MESSAGES)


class LegalHoldListApi(APIView):
    permission_classes = [RulePermission]
    required_permission = MANAGE_LEGAL_HOLDS

    @extend_schema(
        summary="Legal holds on the cases of the services you manage, standing ones first",
        responses={200: LegalHoldSerializer(many=True), 403: NOT_ALLOWED},
    )
    def get(self, request: Request) -> Response:
        holds = selectors.legal_holds_for_user(user=signed_in(request))
        return Response(LegalHoldSerializer(holds, many=True).data)

    @write_schema(
        LegalHoldInputSerializer,
        LegalHoldSerializer,
        "Place a legal hold: retention stops for the case and the cases linked to it",
        not_found=NO_SUCH_CASE,
    )
    def post(self, request: Request) -> Response:
        serializer = LegalHoldInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = selectors.held_case_get_for_user(
            user=signed_in(request),
            case_reference=serializer.validated_data.get("perpetrator_case"),
            iss_case_id=serializer.validated_data.get("iss_case"),
        )
        hold = legal_hold_place(
            case=case, reason=serializer.validated_data["reason"], actor=signed_in(request)
        )
        return created(LegalHoldSerializer, hold)


class LegalHoldLiftApi(APIView):
    permission_classes = [RulePermission]
    required_permission = MANAGE_LEGAL_HOLDS

    @write_schema(
        LiftInputSerializer,
        LegalHoldSerializer,
        "Lift a legal hold: retention applies to the case again from its next run",
        not_found=NO_SUCH_HOLD,
        created_status=200,
    )
    def post(self, request: Request, hold_id: int) -> Response:
        hold = selectors.legal_hold_get_for_user(user=signed_in(request), hold_id=hold_id)
        serializer = LiftInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hold = legal_hold_lift(
            hold=hold, reason=serializer.validated_data["reason"], actor=signed_in(request)
        )
        return Response(LegalHoldSerializer(hold).data)


urlpatterns = [
    path("legal-holds/", LegalHoldListApi.as_view(), name="legal-holds"),
    path("legal-holds/<int:hold_id>/lift/", LegalHoldLiftApi.as_view(), name="legal-hold-lift"),
]
