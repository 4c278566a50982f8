"""Her safety plans, support sessions and signposting through the API: listed and added by the
ISS side of her service only."""

from abc import abstractmethod
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.api import NOT_ALLOWED, REFUSED, STALE, signed_in
from tandem.api_schema import NOT_BLANK, recorded_moment
from tandem.audit.services import audit_event_record
from tandem.lib.people import person_name
from tandem.support import selectors
from tandem.support.apis.iss_cases import (
    ISS_CASE_NOT_FOUND,
    IssCaseVersionInputSerializer,
    IssCaseWorkApi,
)
from tandem.support.models import (
    IssCase,
    SafetyPlan,
    SessionMethod,
    Signposting,
    SignpostingKind,
    SupportSession,
)
from tandem.support.rules import CHANGE_ISS_CASE
from tandem.support.services import support_work


class SafetyPlanSerializer(serializers.ModelSerializer[SafetyPlan]):
    recorded_by = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()

    class Meta:
        model = SafetyPlan
        fields = [
            "id",
            "current",
            "agreed_on",
            "summary",
            "review_on",
            "reviewed_at",
            "superseded_at",
            "recorded_by",
            "recorded_at",
        ]

    def get_recorded_by(self, plan: SafetyPlan) -> str | None:
        return person_name(plan.recorded_by)

    def get_current(self, plan: SafetyPlan) -> bool:
        return plan.superseded_at is None


class SupportSessionSerializer(serializers.ModelSerializer[SupportSession]):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = SupportSession
        fields = ["id", "held_at", "method", "summary", "recorded_by", "recorded_at"]

    def get_recorded_by(self, session: SupportSession) -> str | None:
        return person_name(session.recorded_by)


class SignpostingSerializer(serializers.ModelSerializer[Signposting]):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Signposting
        fields = [
            "id",
            "made_on",
            "to_whom",
            "kind",
            "reason",
            "outcome",
            "recorded_by",
            "recorded_at",
        ]

    def get_recorded_by(self, signposting: Signposting) -> str | None:
        return person_name(signposting.recorded_by)


class SafetyPlanInputSerializer(IssCaseVersionInputSerializer):
    agreed_on = serializers.DateField()
    summary = serializers.CharField(allow_blank=True, style=NOT_BLANK)
    review_on = serializers.DateField(help_text="After agreed_on: her review is due by then")


class SafetyPlanReviewInputSerializer(IssCaseVersionInputSerializer):
    next_review_on = serializers.DateField(help_text="After today")


class SupportSessionInputSerializer(IssCaseVersionInputSerializer):
    held_at = recorded_moment(help_text="Not in the future")
    method = serializers.ChoiceField(choices=SessionMethod.choices)
    summary = serializers.CharField(allow_blank=True, style=NOT_BLANK)


class SignpostingInputSerializer(IssCaseVersionInputSerializer):
    made_on = serializers.DateField()
    to_whom = serializers.CharField(
        allow_blank=True, style=NOT_BLANK, help_text="The organisation or service"
    )
    kind = serializers.ChoiceField(choices=SignpostingKind.choices)
    reason = serializers.CharField(allow_blank=True, style=NOT_BLANK)
    outcome = serializers.CharField(required=False, default="", allow_blank=True)


class IssCaseRecordsApi(IssCaseWorkApi):
    """One kind of record on her ISS case: listed (GET) and added (POST) by the ISS side of her
    service only; 404 to everyone else, as for her case itself."""

    input_serializer: type[serializers.Serializer[Any]]
    output_serializer: type[serializers.ModelSerializer[Any]]
    what: str

    @abstractmethod
    def records(self, *, iss_case: IssCase) -> QuerySet[Any]:
        """Her records of this kind, as listed."""

    @abstractmethod
    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> Any:
        """Call the service with the validated input and return the record it made."""

    def get(self, request: Request, pk: int) -> Response:
        iss_case = selectors.iss_case_get_for_user(user=request.user, pk=pk)
        audit_event_record(
            actor=request.user,
            action="viewed",
            target=iss_case,
            summary=f"{self.what} viewed through the API",
        )
        records = self.records(iss_case=iss_case)
        return Response(self.output_serializer(records, many=True).data)

    def post(self, request: Request, pk: int) -> Response:
        user = signed_in(request)
        iss_case = selectors.iss_case_get_for_user(user=user, pk=pk)
        if not user.has_perm(CHANGE_ISS_CASE, iss_case):
            raise PermissionDenied("Only the ISS side of her service can do this.")
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        made = self.act(iss_case=iss_case, actor=user, data=serializer.validated_data)
        return Response(self.output_serializer(made).data, status=status.HTTP_201_CREATED)


def records_schema(
    output_serializer: type[serializers.Serializer[Any]],
    input_serializer: type[serializers.Serializer[Any]],
    *,
    listed: str,
    added: str,
) -> Any:
    not_refused = {403: NOT_ALLOWED, 404: ISS_CASE_NOT_FOUND}
    return extend_schema_view(
        get=extend_schema(
            summary=listed, responses={200: output_serializer(many=True), **not_refused}
        ),
        post=extend_schema(
            summary=added,
            request=input_serializer,
            responses={201: output_serializer, 400: REFUSED, 409: STALE, **not_refused},
        ),
    )


@records_schema(
    SafetyPlanSerializer,
    SafetyPlanInputSerializer,
    listed="Her safety plans, her current plan first",
    added="Record her safety plan: it supersedes her current one, and its review becomes due",
)
class SafetyPlansApi(IssCaseRecordsApi):
    input_serializer = SafetyPlanInputSerializer
    output_serializer = SafetyPlanSerializer
    what = "safety plans"

    def records(self, *, iss_case: IssCase) -> QuerySet[Any]:
        return selectors.safety_plans_of(iss_case=iss_case)

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> Any:
        return support_work.safety_plan_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            agreed_on=data["agreed_on"],
            summary=data["summary"],
            review_on=data["review_on"],
        )


class SafetyPlanReviewApi(IssCaseWorkApi):
    @extend_schema(
        summary="Record a review of her current safety plan, kept as it is, and its next review",
        request=SafetyPlanReviewInputSerializer,
        responses={
            200: SafetyPlanSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: ISS_CASE_NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = signed_in(request)
        iss_case = selectors.iss_case_get_for_user(user=user, pk=pk)
        if not user.has_perm(CHANGE_ISS_CASE, iss_case):
            raise PermissionDenied("Only the ISS side of her service can do this.")
        serializer = SafetyPlanReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = support_work.safety_plan_review(
            iss_case=iss_case,
            actor=user,
            expected_version=serializer.validated_data["version"],
            next_review_on=serializer.validated_data["next_review_on"],
        )
        return Response(SafetyPlanSerializer(plan).data)


@records_schema(
    SupportSessionSerializer,
    SupportSessionInputSerializer,
    listed="Support sessions with her, newest first",
    added="Record a support session held with her",
)
class SupportSessionsApi(IssCaseRecordsApi):
    input_serializer = SupportSessionInputSerializer
    output_serializer = SupportSessionSerializer
    what = "support sessions"

    def records(self, *, iss_case: IssCase) -> QuerySet[Any]:
        return selectors.support_sessions_of(iss_case=iss_case)

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> Any:
        return support_work.support_session_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            held_at=data["held_at"],
            method=data["method"],
            summary=data["summary"],
        )


@records_schema(
    SignpostingSerializer,
    SignpostingInputSerializer,
    listed="Organisations and services she was signposted or referred to, newest first",
    added="Record that she was signposted or referred to another organisation or service",
)
class SignpostingsApi(IssCaseRecordsApi):
    input_serializer = SignpostingInputSerializer
    output_serializer = SignpostingSerializer
    what = "signposting and referrals"

    def records(self, *, iss_case: IssCase) -> QuerySet[Any]:
        return selectors.signpostings_of(iss_case=iss_case)

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> Any:
        return support_work.signposting_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            made_on=data["made_on"],
            to_whom=data["to_whom"],
            kind=data["kind"],
            reason=data["reason"],
            outcome=data["outcome"],
        )
