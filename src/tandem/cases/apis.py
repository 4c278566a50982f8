"""Perpetrator cases through the API, under /api/v1/: the same selectors, rules and services as the
pages, so the information barrier and the standards' gates hold here too.

A case outside someone's services is 404 (its existence is not leaked); a case they can see but
may not act on (an ISS worker's view of it) is 403. A rule's refusal is 400 with the field and
the rule; a write based on a stale read is 409.
"""

from abc import abstractmethod
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.audit.services import audit_event_record
from tandem.cases import gates, selectors
from tandem.cases.models import (
    ActionPlanItem,
    CaseReviewMeeting,
    Child,
    ClosureReason,
    ContactNote,
    CriminalJustice,
    EngagementChange,
    EngagementChangeKind,
    ExternalReport,
    FamilyProceedings,
    FileAudit,
    PerpetratorCase,
    ReferralSource,
    RiskAssessment,
    RiskConcern,
    RiskEngagementExchange,
    RiskPoint,
    Stage,
)
from tandem.cases.rules import (
    ADD_REFERRAL,
    CHANGE_CASE,
    MANAGE_CASE_REVIEWS,
    RECORD_ENGAGEMENT_CHANGE,
    RECORD_REFERRAL,
    SIGN_OFF,
    VIEW_CASE_LIST,
)
from tandem.cases.services import children, engagement, intake, lifecycle, records, reports, reviews
from tandem.compliance.models import DueTask
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.models import Service
from tandem.organisations.selectors import perpetrator_side_services
from tandem.standards.models import InterventionType
from tandem.support.barrier import (
    Relationship,
    released_risk_notes_for_user,
    survivor_contact_statuses,
)

REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "Invalid input, or refused by the standards: `{field: [message]}` (`detail` when no one "
        "field is at fault), with `rule` naming the rule in rules.md when one refuses"
    ),
)
NOT_ALLOWED = OpenApiResponse(description="Signed in, but may not do this")
NOT_FOUND = OpenApiResponse(description="No such case among the services you work in")
SERVICE_NOT_FOUND = OpenApiResponse(description="No such service among those you work in")
STALE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Someone changed the case since `version` was read: `{version: [message]}`",
)


def signed_in(request: Request) -> User:
    """The acting person; RulePermission has already refused anyone not signed in."""
    return cast(User, request.user)


def person_name(user: User | None) -> str | None:
    return (user.get_full_name() or user.get_username()) if user else None


# What is shown


# The services name a child's date of birth apart from his; the API takes it inside `children`.
REFERRAL_FIELD_NAMES = {"child_date_of_birth": "children"}


class CaseSummarySerializer(serializers.ModelSerializer[PerpetratorCase]):
    service = serializers.CharField(source="service.name")
    # Named as a referral is received (ReferralInputSerializer), so one name means one thing.
    received_at = serializers.DateTimeField(source="referral_received_at")
    source = serializers.ChoiceField(  # type: ignore[assignment]
        source="referral_source", choices=ReferralSource.choices
    )
    allocated_worker = serializers.SerializerMethodField()

    class Meta:
        model = PerpetratorCase
        fields = [
            "reference",
            "version",
            "stage",
            "service",
            "first_name",
            "last_name",
            "date_of_birth",
            "received_at",
            "source",
            "allocated_worker",
        ]

    def get_allocated_worker(self, case: PerpetratorCase) -> str | None:
        return person_name(case.allocated_worker)


class SurvivorContactStatusSerializer(serializers.Serializer[Any]):
    """All the perpetrator side may know of a survivor (R22 C1.3): no name, no contact details."""

    position = serializers.IntegerField()
    relationship = serializers.CharField()
    contact_complete = serializers.BooleanField()
    outcome = serializers.CharField()


class ReleasedRiskNoteSerializer(serializers.Serializer[Any]):
    """A shared risk note once approved, without who wrote it or which ISS case it came from."""

    note = serializers.CharField()
    released_at = serializers.DateTimeField()


class GateRefusalSerializer(serializers.Serializer[Any]):
    rule = serializers.CharField(source="rule_id")
    message = serializers.CharField()


class ChildSerializer(serializers.ModelSerializer[Child]):
    class Meta:
        model = Child
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_on",
            "relationship_to_perpetrator",
            "lives_with_perpetrator",
            "known_to_childrens_social_care",
            "plan",
            "plan_review_on",
            "proceedings",
        ]


class CaseDetailSerializer(CaseSummarySerializer):
    possible_duplicates: serializers.SlugRelatedField[PerpetratorCase] = (
        serializers.SlugRelatedField(
            source="possible_duplicate_of", slug_field="reference", many=True, read_only=True
        )
    )
    children = ChildSerializer(many=True, read_only=True)
    survivors = serializers.SerializerMethodField()
    risk_notes = serializers.SerializerMethodField()
    start_refusals = serializers.SerializerMethodField()

    class Meta(CaseSummarySerializer.Meta):
        fields = [
            *CaseSummarySerializer.Meta.fields,
            "phone",
            "referrer_name",
            "referrer_organisation",
            "referrer_contact",
            "possible_duplicates",
            "screened_at",
            "criminal_justice",
            "family_proceedings",
            "family_proceedings_judgement",
            "substance_use",
            "mental_health",
            "social_services_involved",
            "social_worker_details",
            "protected_characteristics_barriers",
            "barriers_delivery_plan",
            "needs_extra_care_young_adult",
            "assessed_at",
            "risk_summary",
            "need_summary",
            "responsivity_summary",
            "motivation_summary",
            "intervention_type",
            "decision_statement",
            "consent_signed_on",
            "consent_covers_case_file_review",
            "consent_covers_recorded_sessions",
            "consent_refused",
            "consent_not_sought_reason",
            "intervention_started_at",
            "closed_at",
            "closure_reason",
            "closure_detail",
            "children",
            "survivors",
            "risk_notes",
            "start_refusals",
        ]

    @extend_schema_field(SurvivorContactStatusSerializer(many=True))
    def get_survivors(self, case: PerpetratorCase) -> Any:
        return SurvivorContactStatusSerializer(survivor_contact_statuses(case=case), many=True).data

    @extend_schema_field(ReleasedRiskNoteSerializer(many=True))
    def get_risk_notes(self, case: PerpetratorCase) -> Any:
        notes = released_risk_notes_for_user(user=self.context["user"], case=case)
        return ReleasedRiskNoteSerializer(notes, many=True).data

    @extend_schema_field(GateRefusalSerializer(many=True))
    def get_start_refusals(self, case: PerpetratorCase) -> Any:
        """Why the intervention cannot start yet, shown before anyone tries (assessed cases)."""
        if case.stage != Stage.ASSESSED:
            return []
        return GateRefusalSerializer(gates.intervention_start_refusals(case=case), many=True).data


def case_detail_response(
    request: Request, case: PerpetratorCase, *, status_code: int = status.HTTP_200_OK
) -> Response:
    return Response(
        CaseDetailSerializer(case, context={"user": request.user}).data, status=status_code
    )


# What is received


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
    service = serializers.IntegerField(
        required=False,
        help_text="The service referred to; may be left out by someone who works in only one",
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    phone = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    received_at = serializers.DateTimeField()
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
    survivors = SurvivorInputSerializer(many=True, required=False, default=list)
    children = ChildInputSerializer(many=True, required=False, default=list)

    def referral_details(self) -> intake.ReferralDetails:
        data = dict(self.validated_data)
        data.pop("service", None)
        survivors = [intake.SurvivorDetails(**s) for s in data.pop("survivors")]
        children = [intake.ChildDetails(**c) for c in data.pop("children")]
        return intake.ReferralDetails(**data, survivors=survivors, children=children)


class CaseVersionInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="The case's version as last read: a stale one is refused (409)"
    )


class ScreeningInputSerializer(CaseVersionInputSerializer):
    criminal_justice = serializers.ChoiceField(choices=CriminalJustice.choices)
    family_proceedings = serializers.ChoiceField(choices=FamilyProceedings.choices)
    family_proceedings_judgement = serializers.CharField(
        required=False, default="", allow_blank=True
    )
    substance_use = serializers.CharField(required=False, default="", allow_blank=True)
    mental_health = serializers.CharField(required=False, default="", allow_blank=True)
    social_services_involved = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )
    social_worker_details = serializers.CharField(
        max_length=300, required=False, default="", allow_blank=True
    )
    protected_characteristics_barriers = serializers.CharField(
        required=False, default="", allow_blank=True
    )
    barriers_delivery_plan = serializers.CharField(required=False, default="", allow_blank=True)


class AssessmentInputSerializer(CaseVersionInputSerializer):
    # Blank summaries reach the service, which refuses them naming the field (and the rule).
    risk_summary = serializers.CharField(allow_blank=True)
    need_summary = serializers.CharField(allow_blank=True)
    responsivity_summary = serializers.CharField(allow_blank=True)
    motivation_summary = serializers.CharField(allow_blank=True)
    accepted = serializers.BooleanField()
    decision_statement = serializers.CharField(allow_blank=True)
    intervention_type = serializers.ChoiceField(
        choices=InterventionType.choices, required=False, default="", allow_blank=True
    )


class ConsentInputSerializer(CaseVersionInputSerializer):
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    covers_case_file_review = serializers.BooleanField(required=False, default=False)
    covers_recorded_sessions = serializers.BooleanField(required=False, default=False)
    refused = serializers.BooleanField(required=False, default=False)
    not_sought_reason = serializers.CharField(required=False, default="", allow_blank=True)


class ClosureInputSerializer(CaseVersionInputSerializer):
    reason = serializers.ChoiceField(
        choices=[c for c in ClosureReason.choices if c[0] != ClosureReason.NOT_ACCEPTED]
    )
    detail = serializers.CharField(required=False, default="", allow_blank=True)


# Routes


class CaseWorkApi(APIView):
    """Anyone doing case work on either side; which cases they see is the selectors' decision."""

    permission_classes = [RulePermission]
    required_permission = VIEW_CASE_LIST


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
class CaseListApi(ListAPIView[PerpetratorCase]):
    """Perpetrator cases of the services you work in (either side), newest referral first.

    POST records a referral: his details, the survivors' contact details (these go to the ISS
    side and are never shown here again) and the children."""

    permission_classes = [RulePermission]
    serializer_class = CaseSummarySerializer

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
        try:
            case = intake.perpetrator_referral_receive(
                service=service, actor=user, details=serializer.referral_details()
            )
        except ActionRefused as refused:
            return Response(
                refused.as_api_error(field_names=REFERRAL_FIELD_NAMES),
                status=status.HTTP_400_BAD_REQUEST,
            )
        return case_detail_response(request, case, status_code=status.HTTP_201_CREATED)


class CaseDetailApi(CaseWorkApi):
    @extend_schema(responses={200: CaseDetailSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """One case: his record, each survivor's contact status only (no names or contact
        details), children, and released shared risk notes without their source. Every view is
        recorded in the audit trail."""
        case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
        audit_event_record(
            actor=request.user, action="viewed", target=case, summary="viewed through the API"
        )
        return case_detail_response(request, case)


class CaseActionApi(CaseWorkApi):
    """A transition on a visible case by someone on its service's perpetrator side."""

    input_serializer: type[CaseVersionInputSerializer]

    @abstractmethod
    def act(
        self, *, case: PerpetratorCase, actor: User, version: int, data: dict[str, Any]
    ) -> PerpetratorCase:
        """Call the service for this transition with the validated input."""

    def post(self, request: Request, reference: str) -> Response:
        user = signed_in(request)
        case = selectors.perpetrator_case_get_for_user(user=user, reference=reference)
        if not user.has_perm(CHANGE_CASE, case):
            raise PermissionDenied("Only the perpetrator side of the case's service can do this.")
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        try:
            case = self.act(case=case, actor=user, version=version, data=data)
        except StaleRecord as stale:
            return Response(stale.as_api_error(), status=status.HTTP_409_CONFLICT)
        except ActionRefused as refused:
            return Response(refused.as_api_error(), status=status.HTTP_400_BAD_REQUEST)
        return case_detail_response(request, case)


def action_schema(input_serializer: type[CaseVersionInputSerializer], summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={
            200: CaseDetailSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: NOT_FOUND,
            409: STALE,
        },
    )


@action_schema(
    ScreeningInputSerializer,
    "Record screening (gates cj-pending, min-age, family-court, routine-enquiry)",
)
class CaseScreenApi(CaseActionApi):
    input_serializer = ScreeningInputSerializer

    def act(
        self, *, case: PerpetratorCase, actor: User, version: int, data: dict[str, Any]
    ) -> PerpetratorCase:
        return lifecycle.perpetrator_case_screen(
            case=case,
            actor=actor,
            expected_version=version,
            screening=lifecycle.ScreeningDetails(**data),
        )


@action_schema(AssessmentInputSerializer, "Record the assessment and decision")
class CaseAssessApi(CaseActionApi):
    input_serializer = AssessmentInputSerializer

    def act(
        self, *, case: PerpetratorCase, actor: User, version: int, data: dict[str, Any]
    ) -> PerpetratorCase:
        return lifecycle.perpetrator_case_assess(
            case=case,
            actor=actor,
            expected_version=version,
            assessment=lifecycle.AssessmentDetails(**data),
        )


@action_schema(ConsentInputSerializer, "Record the confidentiality agreement (rule consent)")
class CaseConsentApi(CaseActionApi):
    input_serializer = ConsentInputSerializer

    def act(
        self, *, case: PerpetratorCase, actor: User, version: int, data: dict[str, Any]
    ) -> PerpetratorCase:
        return lifecycle.perpetrator_case_record_consent(
            case=case,
            actor=actor,
            expected_version=version,
            consent=lifecycle.ConsentDetails(**data),
        )


@action_schema(
    CaseVersionInputSerializer,
    "Start the intervention (refused until consent and survivor contact: iss-before-start)",
)
class CaseStartApi(CaseActionApi):
    input_serializer = CaseVersionInputSerializer

    def act(
        self, *, case: PerpetratorCase, actor: User, version: int, data: dict[str, Any]
    ) -> PerpetratorCase:
        return lifecycle.perpetrator_case_start_intervention(
            case=case, actor=actor, expected_version=version
        )


@action_schema(ClosureInputSerializer, "Close the case with a reason from the list")
class CaseCloseApi(CaseActionApi):
    input_serializer = ClosureInputSerializer

    def act(
        self, *, case: PerpetratorCase, actor: User, version: int, data: dict[str, Any]
    ) -> PerpetratorCase:
        return lifecycle.perpetrator_case_close(
            case=case,
            actor=actor,
            expected_version=version,
            reason=data["reason"],
            detail=data["detail"],
        )


# Case records: the perpetrator side's running records of a case, and the service's reviews


def refusal_response(
    refused: ActionRefused, *, field_names: dict[str, str] | None = None
) -> Response:
    """409 when the record changed since it was read, otherwise 400 naming the field and rule."""
    if isinstance(refused, StaleRecord):
        return Response(refused.as_api_error(), status=status.HTTP_409_CONFLICT)
    return Response(
        refused.as_api_error(field_names=field_names), status=status.HTTP_400_BAD_REQUEST
    )


def case_for(*, user: User, reference: str, permissions: tuple[str, ...]) -> PerpetratorCase:
    """404 for a case outside the person's services; 403 for one they can see but hold none of
    `permissions` on."""
    case = selectors.perpetrator_case_get_for_user(user=user, reference=reference)
    if not any(user.has_perm(permission, case) for permission in permissions):
        raise PermissionDenied("Only the perpetrator side of the case's service can do this.")
    return case


def service_to_manage(*, user: User, service_id: int) -> Service:
    """404 for a service the person does no case work in; 403 unless they run its reviews."""
    service = selectors.service_get_for_user(user=user, service_id=service_id)
    if not user.has_perm(MANAGE_CASE_REVIEWS, service):
        raise PermissionDenied("Only those who run the service's case reviews can do this.")
    return service


def staff_by_id(*, service: Service, on: Any, ids: list[int], field: str) -> dict[int, User]:
    """The service's staff on the day among `ids`; anyone else is refused on `field`."""
    staff = {
        person.pk: person
        for person in selectors.case_review_staff_of(service=service, on=on).filter(pk__in=ids)
    }
    missing = [str(pk) for pk in ids if pk not in staff]
    if missing:
        raise serializers.ValidationError(
            {field: [f"not on this service's staff that day: {', '.join(missing)}"]}
        )
    return staff


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


class ContactNoteSerializer(serializers.ModelSerializer[ContactNote]):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = ContactNote
        fields = [
            "id",
            "occurred_at",
            "recorded_at",
            "recorded_by",
            "kind",
            "note",
            "recorded_late",
        ]

    def get_recorded_by(self, note: ContactNote) -> str | None:
        return person_name(note.recorded_by)


class ContactNoteInputSerializer(serializers.Serializer[Any]):
    occurred_at = serializers.DateTimeField()
    # Checked by the service (which names the field): as an enum it would collide in the schema
    # with other fields named `kind`.
    kind = serializers.CharField(
        max_length=40, help_text="One of: " + "; ".join(records.CONTACT_KINDS)
    )
    note = serializers.CharField(allow_blank=True)


class ActionPlanItemSerializer(serializers.ModelSerializer[ActionPlanItem]):
    class Meta:
        model = ActionPlanItem
        fields = ["action", "due_on", "done_on"]


class RiskAssessmentSerializer(serializers.ModelSerializer[RiskAssessment]):
    assessed_by = serializers.SerializerMethodField()
    actions = ActionPlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "point",
            "assessed_at",
            "assessed_by",
            "summary",
            "event_description",
            "outcome_told_to_him",
            "his_comment",
            "outcome_not_told_reason",
            "actions",
        ]

    def get_assessed_by(self, assessment: RiskAssessment) -> str | None:
        return person_name(assessment.assessed_by)


class PlannedActionInputSerializer(serializers.Serializer[Any]):
    action = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class RiskAssessmentInputSerializer(serializers.Serializer[Any]):
    point = serializers.ChoiceField(choices=RiskPoint.choices)
    summary = serializers.CharField(allow_blank=True)
    actions = PlannedActionInputSerializer(
        many=True, required=False, default=list, help_text="Go into his action plan"
    )
    event_description = serializers.CharField(required=False, default="", allow_blank=True)
    next_assessment_due_on = serializers.DateField(required=False, allow_null=True, default=None)
    outcome_told_to_him = serializers.BooleanField(required=False, default=False)
    his_comment = serializers.CharField(required=False, default="", allow_blank=True)
    outcome_not_told_reason = serializers.CharField(required=False, default="", allow_blank=True)


class EngagementChangeSerializer(serializers.ModelSerializer[EngagementChange]):
    recorded_by = serializers.SerializerMethodField()
    case_version = serializers.IntegerField(
        source="case.version", help_text="The case's version now, to send with its next change"
    )

    class Meta:
        model = EngagementChange
        fields = ["id", "change", "detail", "recorded_at", "recorded_by", "case_version"]

    def get_recorded_by(self, change: EngagementChange) -> str | None:
        return person_name(change.recorded_by)


class EngagementChangeInputSerializer(CaseVersionInputSerializer):
    change = serializers.ChoiceField(choices=EngagementChangeKind.choices)
    # A blank detail reaches the service, which refuses it naming the rule.
    detail = serializers.CharField(allow_blank=True)


class RiskConcernSerializer(serializers.ModelSerializer[RiskConcern]):
    class Meta:
        model = RiskConcern
        fields = ["id", "concern", "imminent", "raised_at"]


class RiskConcernInputSerializer(serializers.Serializer[Any]):
    concern = serializers.CharField(allow_blank=True)
    imminent = serializers.BooleanField(required=False, default=False)


class ChildRecordSerializer(serializers.ModelSerializer[Child]):
    case_version = serializers.IntegerField(
        source="case.version", help_text="The case's version, to send when changing a child"
    )

    class Meta:
        model = Child
        fields = ["id", *ChildSerializer.Meta.fields, "plan_copy_on_file", "case_version"]


# The services name the relationship field more briefly than the API does.
CHILD_FIELD_NAMES = {"relationship": "relationship_to_perpetrator"}


class ChildRecordInputSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    relationship_to_perpetrator = serializers.CharField(max_length=100, allow_blank=True)
    lives_with_perpetrator = serializers.BooleanField(required=False, default=False)
    known_to_childrens_social_care = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )
    plan = serializers.ChoiceField(
        choices=Child.Plan.choices, required=False, default=Child.Plan.NONE
    )
    plan_review_on = serializers.DateField(required=False, allow_null=True, default=None)
    plan_copy_on_file = serializers.BooleanField(required=False, default=False)
    proceedings = serializers.ChoiceField(
        choices=Child.Proceedings.choices, required=False, default=Child.Proceedings.NONE
    )


class ChildChangeInputSerializer(ChildRecordInputSerializer):
    """Only the fields sent change; the rest keep their recorded values."""

    version = serializers.IntegerField(
        min_value=1, help_text="The case's version as last read: a stale one is refused (409)"
    )


CHILD_DETAIL_FIELDS = [
    "first_name",
    "relationship_to_perpetrator",
    "last_name",
    "date_of_birth",
    "lives_with_perpetrator",
]
CHILD_SOCIAL_CARE_FIELDS = [
    "known_to_childrens_social_care",
    "plan",
    "plan_review_on",
    "plan_copy_on_file",
    "proceedings",
]


CHILD_RECORD_FIELDS = [*CHILD_DETAIL_FIELDS, *CHILD_SOCIAL_CARE_FIELDS]


def child_details(data: dict[str, Any]) -> intake.ChildDetails:
    return intake.ChildDetails(**{name: data[name] for name in CHILD_DETAIL_FIELDS})


def child_social_care(data: dict[str, Any]) -> children.ChildSocialCare:
    return children.ChildSocialCare(**{name: data[name] for name in CHILD_SOCIAL_CARE_FIELDS})


class ReexaminationInputSerializer(serializers.Serializer[Any]):
    trigger = serializers.ChoiceField(choices=children.ChildTrigger.choices)
    details = serializers.CharField(allow_blank=True)


class ReexaminationTaskSerializer(serializers.ModelSerializer[DueTask]):
    rule = serializers.CharField(source="rule_id")

    class Meta:
        model = DueTask
        fields = ["rule", "title", "due_at"]


class CaseAllocationInputSerializer(CaseVersionInputSerializer):
    worker = serializers.IntegerField(help_text="The id of a perpetrator worker of the service")


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
        return person_name(report.signed_off_by)


class ExternalReportInputSerializer(serializers.Serializer[Any]):
    recipient = serializers.ChoiceField(choices=ExternalReport.Recipient.choices)
    recipient_name = serializers.CharField(max_length=200, allow_blank=True)
    # Blank sections reach the service, which refuses them naming the rule.
    intervention_and_attendance = serializers.CharField(allow_blank=True)
    further_abuse = serializers.CharField(allow_blank=True)
    concerns_with_evidence = serializers.CharField(allow_blank=True)
    limitations = serializers.CharField(allow_blank=True)


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
    chair = serializers.IntegerField(help_text="The id of a member of the service's staff")
    attendees = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    entries = ReviewEntryInputSerializer(
        many=True, help_text="Every case open that day, each with its decisions"
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
    sample = serializers.ListField(
        child=serializers.CharField(), help_text="The references of the case files audited"
    )
    findings = serializers.CharField(allow_blank=True)
    feedback = serializers.CharField(allow_blank=True)


class ExchangeSerializer(serializers.ModelSerializer[RiskEngagementExchange]):
    perpetrator_side_person = serializers.SerializerMethodField()
    iss_side_person = serializers.SerializerMethodField()

    class Meta:
        model = RiskEngagementExchange
        fields = [
            "id",
            "held_on",
            "perpetrator_side_person",
            "iss_side_person",
            "summary",
            "recorded_at",
        ]

    def get_perpetrator_side_person(self, exchange: RiskEngagementExchange) -> str | None:
        return person_name(exchange.perpetrator_side_person)

    def get_iss_side_person(self, exchange: RiskEngagementExchange) -> str | None:
        return person_name(exchange.iss_side_person)


class ExchangeInputSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    perpetrator_side_person = serializers.IntegerField(help_text="The id of a member of staff")
    iss_side_person = serializers.IntegerField(help_text="The id of a member of staff")
    summary = serializers.CharField(allow_blank=True)


def created(serializer_class: type[serializers.Serializer[Any]], record: Any) -> Response:
    return Response(serializer_class(record).data, status=status.HTTP_201_CREATED)


def write_schema(
    input_serializer: type[serializers.Serializer[Any]],
    output: Any,
    summary: str,
    *,
    created_status: int = status.HTTP_201_CREATED,
    stale: bool = False,
    not_found: OpenApiResponse = NOT_FOUND,
) -> Any:
    responses = {created_status: output, 400: REFUSED, 403: NOT_ALLOWED, 404: not_found}
    if stale:
        responses[409] = STALE
    return extend_schema(summary=summary, request=input_serializer, responses=responses)


def list_schema(summary: str, *, not_found: OpenApiResponse = NOT_FOUND) -> Any:
    return extend_schema(summary=summary, responses={403: NOT_ALLOWED, 404: not_found})


class CaseRecordListApi(ListAPIView[Any]):
    """A case's records, read by whoever holds one of `read_permissions` on it (each read is
    recorded in the audit trail); POST adds one, by its perpetrator side."""

    permission_classes = [RulePermission]
    required_permission = VIEW_CASE_LIST
    read_permissions: tuple[str, ...] = (CHANGE_CASE,)

    def case(self, permissions: tuple[str, ...]) -> PerpetratorCase:
        return case_for(
            user=signed_in(self.request),
            reference=self.kwargs["reference"],
            permissions=permissions,
        )

    @abstractmethod
    def records_of(self, case: PerpetratorCase) -> QuerySet[Any]:
        """The case's records of this kind, in the order shown."""

    def get_queryset(self) -> QuerySet[Any]:
        case = self.case(self.read_permissions)
        records = self.records_of(case)
        audit_event_record(
            actor=self.request.user,
            action="viewed",
            target=case,
            summary=f"{records.model._meta.verbose_name_plural} through the API",
        )
        return records


@extend_schema_view(get=list_schema("His contact notes (perpetrator side only)"))
class ContactNoteListApi(CaseRecordListApi):
    serializer_class = ContactNoteSerializer

    def records_of(self, case: PerpetratorCase) -> QuerySet[Any]:
        return selectors.contact_notes_of(case=case)

    @write_schema(
        ContactNoteInputSerializer,
        ContactNoteSerializer,
        "Record a contact (rule record-1wd: a late one is kept, flagged as late)",
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((CHANGE_CASE,))
        serializer = ContactNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            note = records.contact_note_record(
                case=case, actor=signed_in(request), **serializer.validated_data
            )
        except ActionRefused as refused:
            return refusal_response(refused)
        return created(ContactNoteSerializer, note)


@extend_schema_view(
    get=list_schema("His risk assessments with their actions (shared with the ISS side)")
)
class RiskAssessmentListApi(CaseRecordListApi):
    serializer_class = RiskAssessmentSerializer
    # Risk is shared with the ISS (rule risk-points): anyone who can see the case reads it.
    read_permissions = (VIEW_CASE_LIST,)

    def records_of(self, case: PerpetratorCase) -> QuerySet[Any]:
        return selectors.risk_assessments_of(case=case).prefetch_related("actions")

    @write_schema(
        RiskAssessmentInputSerializer,
        RiskAssessmentSerializer,
        "Record a risk assessment and its actions (rules risk-points, outcome-comment)",
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((CHANGE_CASE,))
        serializer = RiskAssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        actions = [records.PlannedAction(**planned) for planned in data.pop("actions")]
        try:
            assessment = records.risk_assessment_record(
                case=case, actor=signed_in(request), actions=actions, **data
            )
        except ActionRefused as refused:
            return refusal_response(refused)
        return created(RiskAssessmentSerializer, assessment)


@extend_schema_view(
    get=list_schema("Changes in his engagement, latest first (shared with the ISS side)")
)
class EngagementChangeListApi(CaseRecordListApi):
    serializer_class = EngagementChangeSerializer
    # The ISS tells each survivor of them (rule engagement-change): anyone who sees the case reads
    # them.
    read_permissions = (VIEW_CASE_LIST,)

    def records_of(self, case: PerpetratorCase) -> QuerySet[Any]:
        return case.engagement_changes.select_related("recorded_by", "case")

    @write_schema(
        EngagementChangeInputSerializer,
        EngagementChangeSerializer,
        "Record a missed session, lost contact, a suspension considered or his being unsuitable "
        "(rule engagement-change: the ISS told within 24 hours, each survivor within 3 working "
        "days)",
        stale=True,
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((RECORD_ENGAGEMENT_CHANGE,))
        serializer = EngagementChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            change = engagement.engagement_change_record(
                case=case,
                actor=signed_in(request),
                expected_version=data["version"],
                change=data["change"],
                detail=data["detail"],
            )
        except ActionRefused as refused:
            return refusal_response(refused)
        return created(EngagementChangeSerializer, change)


class RiskConcernApi(CaseWorkApi):
    @write_schema(
        RiskConcernInputSerializer,
        RiskConcernSerializer,
        "Share a risk concern with each survivor's ISS worker (rule concern-24h)",
    )
    def post(self, request: Request, reference: str) -> Response:
        user = signed_in(request)
        case = case_for(user=user, reference=reference, permissions=(CHANGE_CASE,))
        serializer = RiskConcernInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            concern = records.risk_concern_raise(case=case, actor=user, **serializer.validated_data)
        except ActionRefused as refused:
            return refusal_response(refused)
        return created(RiskConcernSerializer, concern)


@extend_schema_view(get=list_schema("The children connected to him"))
class ChildListApi(CaseRecordListApi):
    serializer_class = ChildRecordSerializer
    read_permissions = (VIEW_CASE_LIST,)

    def records_of(self, case: PerpetratorCase) -> QuerySet[Any]:
        return case.children.all()

    @write_schema(
        ChildRecordInputSerializer,
        ChildRecordSerializer,
        "Add a child, with what children's social care knows (rules children-record, child-plan)",
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((CHANGE_CASE,))
        serializer = ChildRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            child = children.child_add(
                case=case,
                actor=signed_in(request),
                child=child_details(serializer.validated_data),
                social_care=child_social_care(serializer.validated_data),
            )
        except ActionRefused as refused:
            return refusal_response(refused, field_names=CHILD_FIELD_NAMES)
        return created(ChildRecordSerializer, child)


class ChildDetailApi(CaseWorkApi):
    @write_schema(
        ChildChangeInputSerializer,
        ChildRecordSerializer,
        "Change a child's details (only the fields sent)",
        created_status=status.HTTP_200_OK,
        stale=True,
    )
    def patch(self, request: Request, reference: str, child_id: int) -> Response:
        user = signed_in(request)
        case = case_for(user=user, reference=reference, permissions=(CHANGE_CASE,))
        child = selectors.child_get(case=case, child_id=child_id)
        serializer = ChildChangeInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "version" not in serializer.validated_data:
            raise serializers.ValidationError({"version": ["This field is required."]})
        recorded = {name: getattr(child, name) for name in CHILD_RECORD_FIELDS}
        data = {**recorded, **serializer.validated_data}
        try:
            child = children.child_update(
                child=child,
                actor=user,
                expected_version=data["version"],
                details=child_details(data),
                social_care=child_social_care(data),
            )
        except ActionRefused as refused:
            return refusal_response(refused, field_names=CHILD_FIELD_NAMES)
        return Response(ChildRecordSerializer(child).data)


class ChildrenReexaminationApi(CaseWorkApi):
    @write_schema(
        ReexaminationInputSerializer,
        ReexaminationTaskSerializer,
        "Record what makes the children's needs due for re-examination (rule child-retrigger)",
    )
    def post(self, request: Request, reference: str) -> Response:
        user = signed_in(request)
        case = case_for(user=user, reference=reference, permissions=(CHANGE_CASE,))
        serializer = ReexaminationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            task = children.children_reexamination_trigger(
                case=case, actor=user, **serializer.validated_data
            )
        except ActionRefused as refused:
            return refusal_response(refused)
        return created(ReexaminationTaskSerializer, task)


@action_schema(
    CaseAllocationInputSerializer,
    "Allocate his worker, who takes over the open tasks (rule not-same-staff)",
)
class CaseAllocateApi(CaseActionApi):
    input_serializer = CaseAllocationInputSerializer

    def act(
        self, *, case: PerpetratorCase, actor: User, version: int, data: dict[str, Any]
    ) -> PerpetratorCase:
        staff = staff_by_id(
            service=case.service, on=timezone.localdate(), ids=[data["worker"]], field="worker"
        )
        return lifecycle.perpetrator_case_allocate(
            case=case, actor=actor, expected_version=version, worker=staff[data["worker"]]
        )


@extend_schema_view(
    get=list_schema("Reports to other agencies (his perpetrator side and senior managers)")
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
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((CHANGE_CASE,))
        serializer = ExternalReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = reports.external_report_draft(
                case=case,
                actor=signed_in(request),
                sections=reports.ReportSections(**serializer.validated_data),
            )
        except ActionRefused as refused:
            return refusal_response(refused)
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
        try:
            report = self.step(report=report, actor=user)
        except ActionRefused as refused:
            return refusal_response(refused)
        return Response(ExternalReportSerializer(report).data)


def report_step_schema(summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=None,
        responses={
            200: ExternalReportSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: NOT_FOUND,
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
        try:
            meeting = reviews.case_review_meeting_record(
                service=service,
                actor=user,
                held_on=data["held_on"],
                chair=staff[data["chair"]],
                attendees=[staff[pk] for pk in data["attendees"]],
                entries=entries,
                previous_actions_reviewed=data["previous_actions_reviewed"],
            )
        except ActionRefused as refused:
            return refusal_response(refused)
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
        try:
            audit = reviews.file_audit_record(
                service=service,
                actor=user,
                audited_on=data["audited_on"],
                sample=[cases[reference] for reference in data["sample"]],
                findings=data["findings"],
                feedback=data["feedback"],
            )
        except ActionRefused as refused:
            return refusal_response(refused)
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
        try:
            exchange = reviews.risk_engagement_exchange_record(
                service=service,
                actor=user,
                held_on=data["held_on"],
                perpetrator_side_person=staff[data["perpetrator_side_person"]],
                iss_side_person=staff[data["iss_side_person"]],
                summary=data["summary"],
            )
        except ActionRefused as refused:
            return refusal_response(refused)
        return created(ExchangeSerializer, exchange)


urlpatterns = [
    path("cases/", CaseListApi.as_view(), name="case-list"),
    path("cases/<str:reference>/", CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<str:reference>/screen/", CaseScreenApi.as_view(), name="case-screen"),
    path("cases/<str:reference>/assess/", CaseAssessApi.as_view(), name="case-assess"),
    path("cases/<str:reference>/consent/", CaseConsentApi.as_view(), name="case-consent"),
    path("cases/<str:reference>/start/", CaseStartApi.as_view(), name="case-start"),
    path("cases/<str:reference>/close/", CaseCloseApi.as_view(), name="case-close"),
    path("cases/<str:reference>/notes/", ContactNoteListApi.as_view(), name="case-notes"),
    path(
        "cases/<str:reference>/risk-assessments/",
        RiskAssessmentListApi.as_view(),
        name="case-risk-assessments",
    ),
    path(
        "cases/<str:reference>/risk-concerns/", RiskConcernApi.as_view(), name="case-risk-concerns"
    ),
    path(
        "cases/<str:reference>/engagement-changes/",
        EngagementChangeListApi.as_view(),
        name="case-engagement-changes",
    ),
    path("cases/<str:reference>/children/", ChildListApi.as_view(), name="case-children"),
    path(
        "cases/<str:reference>/children/<int:child_id>/",
        ChildDetailApi.as_view(),
        name="case-child",
    ),
    path(
        "cases/<str:reference>/children-reexamination/",
        ChildrenReexaminationApi.as_view(),
        name="case-children-reexamination",
    ),
    path("cases/<str:reference>/allocate/", CaseAllocateApi.as_view(), name="case-allocate"),
    path("cases/<str:reference>/reports/", ExternalReportListApi.as_view(), name="case-reports"),
    path(
        "cases/<str:reference>/reports/<int:report_id>/sign-off/",
        ExternalReportSignOffApi.as_view(),
        name="case-report-sign-off",
    ),
    path(
        "cases/<str:reference>/reports/<int:report_id>/release/",
        ExternalReportReleaseApi.as_view(),
        name="case-report-release",
    ),
    path(
        "services/<int:service_id>/case-reviews/",
        CaseReviewListApi.as_view(),
        name="service-case-reviews",
    ),
    path(
        "services/<int:service_id>/file-audits/",
        FileAuditListApi.as_view(),
        name="service-file-audits",
    ),
    path(
        "services/<int:service_id>/exchanges/", ExchangeListApi.as_view(), name="service-exchanges"
    ),
]
