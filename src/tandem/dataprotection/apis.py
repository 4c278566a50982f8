"""Legal holds (/api/v1/legal-holds/) and subject access with its third-party review
(/api/v1/cases/<reference>/subject-access/) through the API: for senior managers of the service.

A hold names its case by reference (perpetrator side) or ISS case id, never a survivor's name.
Someone the rule refuses is 403; a case or hold outside their services is 404; a refused change
is 400 naming the field.
"""

from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission, require_permission
from tandem.api import NOT_ALLOWED, created, not_found, signed_in, write_schema
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.cases.models import PerpetratorCase
from tandem.cases.rules import EXPORT_SUBJECT_ACCESS
from tandem.cases.selectors import perpetrator_case_get_for_user
from tandem.cases.subject_access import Export, subject_access_export
from tandem.dataprotection import selectors
from tandem.dataprotection.models import LegalHold, SubjectAccessRelease
from tandem.dataprotection.rules import MANAGE_LEGAL_HOLDS
from tandem.dataprotection.services import REASON_MAX, legal_hold_lift, legal_hold_place
from tandem.dataprotection.subject_access import (
    NOTE_MAX,
    subject_access_release,
    subject_access_third_parties,
)

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


class ThirdPartyItemSerializer(serializers.Serializer[Any]):
    section = serializers.CharField()
    record = serializers.IntegerField(
        allow_null=True, help_text="Its number in a list section, from 1"
    )
    field = serializers.CharField()
    person = serializers.ChoiceField(choices=["survivor", "child", "staff member", "referrer"])
    name = serializers.CharField(help_text="The name found: for the reviewer, never released")


class SubjectAccessReleaseSerializer(serializers.ModelSerializer[SubjectAccessRelease]):
    released_by = serializers.CharField(source="released_by.username", read_only=True)

    class Meta:
        model = SubjectAccessRelease
        fields = ["id", "released_by", "released_at", "third_party_items", "review_note"]


class SubjectAccessReviewSerializer(serializers.Serializer[Any]):
    export = serializers.DictField(help_text="His data, as the printable page shows it")
    third_party_items = ThirdPartyItemSerializer(many=True)
    releases = SubjectAccessReleaseSerializer(many=True)


class SubjectAccessReleaseInputSerializer(serializers.Serializer[Any]):
    third_parties_reviewed = serializers.BooleanField(
        help_text="Each third-party item listed was reviewed: removed, or kept with consent or "
        "where reasonable"
    )
    review_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX
    )


class SubjectAccessReleasedSerializer(serializers.Serializer[Any]):
    release = SubjectAccessReleaseSerializer()
    export = serializers.DictField()


NO_SUCH_CASE_OF_YOURS = not_found("No such case among yours")


def _his_export(request: Request, reference: str, *, form: str) -> tuple[PerpetratorCase, Export]:
    """404 for a case the person cannot see; 403 unless they may produce his data (a senior
    manager of the service). Each production is an export in the audit trail."""
    user = signed_in(request)
    case = perpetrator_case_get_for_user(user=user, reference=reference)
    require_permission(user, EXPORT_SUBJECT_ACCESS, case)
    export = subject_access_export(case=case, now=timezone.now())
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.EXPORTED,
        target=case,
        summary=f"subject access: the data held about him, {form}",
    )
    return case, export


class SubjectAccessApi(APIView):
    """NE 5.2: his export, with the other people it names listed for review before release."""

    @extend_schema(
        summary="The data held about him, for review: his export, the third-party items it "
        "holds, and its releases so far (senior managers of the service)",
        responses={
            200: SubjectAccessReviewSerializer,
            403: NOT_ALLOWED,
            404: NO_SUCH_CASE_OF_YOURS,
        },
    )
    def get(self, request: Request, reference: str) -> Response:
        case, export = _his_export(request, reference, form="API, for review")
        items = subject_access_third_parties(case=case, export=export)
        releases = SubjectAccessRelease.objects.filter(case=case).select_related("released_by")
        response = Response(
            {
                "export": export,
                "third_party_items": ThirdPartyItemSerializer(items, many=True).data,
                "releases": SubjectAccessReleaseSerializer(releases, many=True).data,
            }
        )
        response["Cache-Control"] = "no-store"
        return response


class SubjectAccessReleaseApi(APIView):
    @write_schema(
        SubjectAccessReleaseInputSerializer,
        SubjectAccessReleasedSerializer,
        "Release the data held about him: needs confirmation that each third-party item was "
        "reviewed; recorded with the reviewer",
        not_found=NO_SUCH_CASE_OF_YOURS,
    )
    def post(self, request: Request, reference: str) -> Response:
        serializer = SubjectAccessReleaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case, export = _his_export(request, reference, form="API, released")
        release = subject_access_release(
            case=case,
            export=export,
            actor=signed_in(request),
            now=timezone.now(),
            **serializer.validated_data,
        )
        response = Response(
            {"release": SubjectAccessReleaseSerializer(release).data, "export": export},
            status=201,
        )
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("legal-holds/", LegalHoldListApi.as_view(), name="legal-holds"),
    path("legal-holds/<int:hold_id>/lift/", LegalHoldLiftApi.as_view(), name="legal-hold-lift"),
    path(
        "cases/<str:reference>/subject-access/",
        SubjectAccessApi.as_view(),
        name="case-subject-access",
    ),
    path(
        "cases/<str:reference>/subject-access/release/",
        SubjectAccessReleaseApi.as_view(),
        name="case-subject-access-release",
    ),
]
