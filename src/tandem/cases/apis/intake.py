"""The case list, and a referral received through the API: his details, the survivors' contact
details (which go to the ISS side and are never shown here again) and the children."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, REFUSED, bounded_list, signed_in
from tandem.api_schema import record_id, recorded_moment
from tandem.audit.reads import AuditedListApi
from tandem.cases import selectors
from tandem.cases.apis.case import CaseDetailSerializer, CaseSummarySerializer, case_detail_response
from tandem.cases.models import PerpetratorCase, ReferralSource
from tandem.cases.rules import ADD_REFERRAL, RECORD_REFERRAL, VIEW_CASE_LIST
from tandem.cases.services import intake
from tandem.organisations.models import Service
from tandem.organisations.selectors import perpetrator_side_services
from tandem.support.barrier import Relationship

# The services name a child's date of birth apart from his; the API takes it inside `children`.
REFERRAL_FIELD_NAMES = {"child_date_of_birth": "children"}


class SurvivorInputSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    phone = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, default="", allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)


class ChildInputSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    relationship_to_perpetrator = serializers.CharField(max_length=100)
    lives_with_perpetrator = serializers.BooleanField(required=False, default=False)


class ReferralInputSerializer(serializers.Serializer[Any]):
    service = record_id(
        required=False,
        help_text="The service referred to; may be left out by someone who works in only one",
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    phone = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    received_at = recorded_moment()
    # DRF's stubs type Field.source, which this input name shadows.
    source = serializers.ChoiceField(choices=ReferralSource.choices)  # type: ignore[assignment]
    referrer_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    referrer_organisation = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    referrer_contact = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    survivors = bounded_list(
        SurvivorInputSerializer(),
        at_most=intake.SURVIVORS_AT_MOST,
        too_many=intake.TOO_MANY_SURVIVORS,
        required=False,
        default=list,
    )
    children = bounded_list(
        ChildInputSerializer(),
        at_most=intake.CHILDREN_AT_MOST,
        too_many=intake.TOO_MANY_CHILDREN,
        required=False,
        default=list,
    )

    def referral_details(self) -> intake.ReferralDetails:
        data = dict(self.validated_data)
        data.pop("service", None)
        survivors = [intake.SurvivorDetails(**s) for s in data.pop("survivors")]
        children = [intake.ChildDetails(**c) for c in data.pop("children")]
        return intake.ReferralDetails(**data, survivors=survivors, children=children)


def referral_service(*, user: User, service_id: int | None) -> Service:
    """The service a referral is recorded in: one where the person works on the perpetrator side
    (which they need not name if it is their only one)."""
    services_here = perpetrator_side_services(user=user)
    if service_id is not None:
        chosen = services_here.filter(pk=service_id).first()
        if chosen is None:
            raise serializers.ValidationError(
                {"service": ["You do not work on the perpetrator side of that service."]}
            )
        return chosen
    candidates = list(services_here[:2])
    if len(candidates) > 1:
        raise serializers.ValidationError(
            {"service": ["You work in more than one service: say which this referral is for."]}
        )
    return candidates[0]


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Words in the reference or his name (survivors are never searched)",
            )
        ],
        responses={200: CaseSummarySerializer(many=True), 403: NOT_ALLOWED},
    )
)
class CaseListApi(AuditedListApi[PerpetratorCase]):
    """Perpetrator cases of the services you work in (either side), newest referral first.

    POST records a referral: his details, the survivors' contact details (these go to the ISS
    side and are never shown here again) and the children."""

    permission_classes = [RulePermission]
    serializer_class = CaseSummarySerializer
    refusal_field_names = REFERRAL_FIELD_NAMES
    audit_summary = "cases listed through the API"

    @property
    def required_permission(self) -> str:
        return ADD_REFERRAL if self.request.method == "POST" else VIEW_CASE_LIST

    def get_queryset(self) -> QuerySet[PerpetratorCase]:
        query = self.request.query_params.get("q", "").strip()
        if query:
            return selectors.perpetrator_case_search_for_user(user=self.request.user, query=query)
        return selectors.perpetrator_case_list_for_user(user=self.request.user)

    @extend_schema(
        request=ReferralInputSerializer,
        responses={201: CaseDetailSerializer, 400: REFUSED, 403: NOT_ALLOWED},
    )
    def post(self, request: Request) -> Response:
        user = signed_in(request)
        if not user.has_perm(RECORD_REFERRAL):
            raise PermissionDenied("You do not work on the perpetrator side of any service.")
        serializer = ReferralInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = referral_service(user=user, service_id=serializer.validated_data.get("service"))
        case = intake.perpetrator_referral_receive(
            service=service, actor=user, details=serializer.referral_details()
        )
        return case_detail_response(request, case, status_code=status.HTTP_201_CREATED)
