"""What every ISS case route shares: her ISS case as the ISS side is shown it, reaching it (404
to everyone outside the ISS side of her service, perpetrator workers included, so her record's
existence is not leaked) and the route of a change to it. A refusal is 400 naming the field and
the rule, a stale write 409: the API kit's exception handler (`tandem.api`) answers both."""

from abc import abstractmethod
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, REFUSED, STALE, not_found, signed_in
from tandem.api_schema import stored_integer
from tandem.audit.reads import AuditedListApi
from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.support import selectors
from tandem.support.barrier import PerpetratorCase, linkable_case_for_user
from tandem.support.models import (
    ContactAttempt,
    DashAssessment,
    IssCase,
    MaracReferral,
    PossibleDuplicateSurvivor,
    RiskIncident,
    SafeContactPreference,
    SharedRiskNote,
    Survivor,
    SurvivorLink,
)
from tandem.support.rules import CHANGE_ISS_CASE, VIEW_ISS_CASE, VIEW_ISS_CASE_LIST

ISS_CASE_NOT_FOUND = not_found("No such ISS case on the ISS side of your services")


class SurvivorSerializer(serializers.ModelSerializer[Survivor]):
    class Meta:
        model = Survivor
        fields = ["first_name", "last_name", "date_of_birth", "phone", "email"]


class SafeContactSerializer(serializers.ModelSerializer[SafeContactPreference]):
    preferred_methods = serializers.ListField(child=serializers.CharField())
    unsafe_methods = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = SafeContactPreference
        fields = ["preferred_methods", "unsafe_methods", "safe_times", "notes"]


class PerpetratorLinkSerializer(serializers.ModelSerializer[SurvivorLink]):
    case = serializers.CharField(source="perpetrator_case.reference")

    class Meta:
        model = SurvivorLink
        fields = ["case", "relationship", "position"]


class ContactAttemptSerializer(serializers.ModelSerializer[ContactAttempt]):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = ContactAttempt
        fields = [
            "attempted_at",
            "method",
            "outcome",
            "notes",
            "destination",
            "destination_address",
            "recorded_by",
        ]

    def get_recorded_by(self, attempt: ContactAttempt) -> str | None:
        return person_name(attempt.recorded_by)


class SharedRiskNoteSerializer(serializers.ModelSerializer[SharedRiskNote]):
    written_by = serializers.SerializerMethodField()

    class Meta:
        model = SharedRiskNote
        fields = [
            "note",
            "written_by",
            "written_at",
            "iss_manager_approved_at",
            "service_manager_approved_at",
            "released_at",
        ]

    def get_written_by(self, note: SharedRiskNote) -> str | None:
        return person_name(note.written_by)


class PossibleDuplicateSerializer(serializers.ModelSerializer[PossibleDuplicateSurvivor]):
    existing_iss_case = serializers.IntegerField(source="existing.iss_case.pk")

    class Meta:
        model = PossibleDuplicateSurvivor
        fields = ["id", "existing_iss_case", "matched_on", "flagged_at", "resolution"]


class DashAssessmentSerializer(serializers.ModelSerializer[DashAssessment]):
    class Meta:
        model = DashAssessment
        fields = [
            "id",
            "instrument_id",
            "instrument_version",
            "answers",
            "yes_count",
            "professional_judgement_high",
            "professional_judgement_reasons",
            "criteria",
            "assessed_at",
        ]


class RiskIncidentSerializer(serializers.ModelSerializer[RiskIncident]):
    class Meta:
        model = RiskIncident
        fields = ["occurred_on", "summary", "recorded_at"]


class MaracReferralSerializer(serializers.ModelSerializer[MaracReferral]):
    class Meta:
        model = MaracReferral
        fields = ["referred_on", "criteria", "dash_assessment", "recorded_at"]


class IssCaseSummarySerializer(serializers.ModelSerializer[IssCase]):
    survivor = SurvivorSerializer(read_only=True)
    perpetrator_cases = PerpetratorLinkSerializer(source="survivor.links", many=True)
    allocated_worker = serializers.SerializerMethodField()

    class Meta:
        model = IssCase
        fields = [
            "id",
            "version",
            "survivor",
            "perpetrator_cases",
            "allocated_worker",
            "referred_at",
            "contact_established_at",
            "contact_outcome",
            "closed_at",
        ]

    def get_allocated_worker(self, iss_case: IssCase) -> str | None:
        worker = iss_case.allocated_worker
        return person_name(worker) if worker else None


class IssCaseDetailSerializer(IssCaseSummarySerializer):
    safe_contact = SafeContactSerializer(source="survivor.safe_contact", allow_null=True)
    attempts = ContactAttemptSerializer(many=True, read_only=True)
    shared_risk_notes = SharedRiskNoteSerializer(many=True, read_only=True)
    possible_duplicates = PossibleDuplicateSerializer(
        source="survivor.possible_duplicates", many=True, read_only=True
    )
    dash_assessments = DashAssessmentSerializer(many=True, read_only=True)
    incidents = RiskIncidentSerializer(source="survivor.risk_incidents", many=True, read_only=True)
    marac_referrals = MaracReferralSerializer(
        source="survivor.marac_referrals", many=True, read_only=True
    )

    class Meta(IssCaseSummarySerializer.Meta):
        fields = [
            *IssCaseSummarySerializer.Meta.fields,
            "safe_contact",
            "contact_unsafe_reason",
            "closure_reason",
            "early_closure_reason",
            "attempts",
            "shared_risk_notes",
            "possible_duplicates",
            "dash_assessments",
            "incidents",
            "marac_referrals",
        ]


def with_related(cases: QuerySet[IssCase]) -> QuerySet[IssCase]:
    return cases.prefetch_related("survivor__links__perpetrator_case")


def iss_case_detail_response(
    iss_case: IssCase, *, status_code: int = status.HTTP_200_OK
) -> Response:
    """Everything the ISS side is shown of one ISS case, in a fixed number of queries."""
    prefetch_related_objects(
        [iss_case],
        "survivor__safe_contact",
        "survivor__links__perpetrator_case",
        "attempts__recorded_by",
        "shared_risk_notes__written_by",
        # Joined, not looked up by a list of ids that grows with the flags (over about 1,000
        # was too large an expression for SQLite).
        Prefetch(
            "survivor__possible_duplicates",
            queryset=PossibleDuplicateSurvivor.objects.select_related("existing__iss_case"),
        ),
        "dash_assessments",
        "survivor__risk_incidents",
        "survivor__marac_referrals",
    )
    return Response(IssCaseDetailSerializer(iss_case).data, status=status_code)


class IssCaseVersionInputSerializer(serializers.Serializer[Any]):
    version = stored_integer(
        min_value=1, help_text="The ISS case's version as last read: a stale one is refused (409)"
    )


@extend_schema(responses={200: IssCaseSummarySerializer, 403: NOT_ALLOWED})
class IssCaseListApi(AuditedListApi[IssCase]):
    """ISS cases of the services where you work on the ISS side: survivors' names and contact
    details are here and nowhere on the perpetrator side. Every page read is recorded."""

    permission_classes = [RulePermission]
    audit_summary = "ISS cases listed through the API"
    required_permission = VIEW_ISS_CASE_LIST
    serializer_class = IssCaseSummarySerializer

    def get_queryset(self) -> QuerySet[IssCase]:
        return with_related(selectors.iss_case_list_for_user(user=self.request.user))


class IssCaseWorkApi(APIView):
    permission_classes = [RulePermission]
    required_permission = VIEW_ISS_CASE


class IssCaseDetailApi(IssCaseWorkApi):
    @extend_schema(
        responses={200: IssCaseDetailSerializer, 403: NOT_ALLOWED, 404: ISS_CASE_NOT_FOUND}
    )
    def get(self, request: Request, pk: int) -> Response:
        """One ISS case: her details, how she can safely be contacted, every contact attempt, and
        the risk notes written for the perpetrator side. Every view is recorded."""
        iss_case = selectors.iss_case_get_for_user(user=request.user, pk=pk)
        audit_event_record(
            actor=request.user, action="viewed", target=iss_case, summary="viewed through the API"
        )
        return iss_case_detail_response(iss_case)


class IssCaseActionApi(IssCaseWorkApi):
    """A change to an ISS case by the ISS side of her service."""

    input_serializer: type[serializers.Serializer[Any]]
    created = False
    # How this request's input names the fields a refusal names (`field_names`), for the API
    # kit's exception handler.
    refusal_field_names: dict[str, str] = {}

    @abstractmethod
    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        """Call the service for this change with the validated input (with `version` where the
        change is checked against the case's version)."""

    def field_names(self, data: dict[str, Any]) -> dict[str, str]:
        """How this route names a field a service refusal names, where the two differ."""
        return {}

    def post(self, request: Request, pk: int, **kwargs: int) -> Response:
        user = signed_in(request)
        iss_case = selectors.iss_case_get_for_user(user=user, pk=pk)
        if not user.has_perm(CHANGE_ISS_CASE, iss_case):
            raise PermissionDenied("Only the ISS side of her service can do this.")
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {**serializer.validated_data, **kwargs}
        self.refusal_field_names = self.field_names(data)
        self.act(iss_case=iss_case, actor=user, data=data)
        return iss_case_detail_response(
            selectors.iss_case_get_for_user(user=user, pk=pk),
            status_code=status.HTTP_201_CREATED if self.created else status.HTTP_200_OK,
        )


def action_schema(
    input_serializer: type[serializers.Serializer[Any]], summary: str, *, created: bool = False
) -> Any:
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={
            201 if created else 200: IssCaseDetailSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: ISS_CASE_NOT_FOUND,
            409: STALE,
        },
    )


def case_of_her_service(*, iss_case: IssCase, actor: User, reference: str) -> PerpetratorCase:
    """One of her service's perpetrator cases this person may read, by reference; refused on
    `case` for any other, whether or not it exists elsewhere."""
    case = linkable_case_for_user(user=actor, survivor=iss_case.survivor, reference=reference)
    if case is None:
        raise ActionRefused(f"there is no case {reference.strip()} in her service", field="case")
    return case
