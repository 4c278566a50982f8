"""ISS cases through the API, under /api/v1/: only the ISS side of a survivor's service ever gets
her record here, through the same selectors, rules and services as the pages.

The list is refused (403) to anyone without an ISS role. One ISS case is 404 to everyone outside
the ISS side of her service, perpetrator workers included, so her record's existence is not
leaked.
"""

from abc import abstractmethod
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db.models import QuerySet, prefetch_related_objects
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, REFUSED, STALE, signed_in
from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.lib.people import person_name
from tandem.support import selectors
from tandem.support.barrier import linkable_case_for_user
from tandem.support.gates import DASH_INSTRUMENT_ID
from tandem.support.instruments import instrument_get
from tandem.support.models import (
    AttemptOutcome,
    ContactAttempt,
    ContactMethod,
    DashAssessment,
    IssCase,
    MaracReferral,
    PossibleDuplicateSurvivor,
    Relationship,
    RiskIncident,
    SafeContactPreference,
    SafetyPlan,
    SessionMethod,
    SharedRiskNote,
    Signposting,
    SignpostingKind,
    SupportSession,
    Survivor,
    SurvivorAddress,
    SurvivorLink,
)
from tandem.support.rules import (
    APPROVE_SHARED_RISK_NOTES,
    CHANGE_ISS_CASE,
    VIEW_ISS_CASE,
    VIEW_ISS_CASE_LIST,
)
from tandem.support.services import contact, dash, iss_cases, links, risk_notes, support_work

NOT_FOUND = OpenApiResponse(description="No such ISS case on the ISS side of your services")
NOTE_NOT_FOUND = OpenApiResponse(description="No such risk note awaiting your approval")


# What is shown


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
        "survivor__possible_duplicates__existing__iss_case",
        "dash_assessments",
        "survivor__risk_incidents",
        "survivor__marac_referrals",
    )
    return Response(IssCaseDetailSerializer(iss_case).data, status=status_code)


# What is received


class IssCaseVersionInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="The ISS case's version as last read: a stale one is refused (409)"
    )


class ContactAttemptInputSerializer(IssCaseVersionInputSerializer):
    attempted_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    outcome = serializers.ChoiceField(choices=AttemptOutcome.choices)
    notes = serializers.CharField(required=False, default="", allow_blank=True)
    destination = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="The number (phone call or text) or email address used: one of hers, not "
        "marked unsafe or known to him",
    )
    destination_address = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of her address written to or visited (a letter, or a visit at home)",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["destination"] and attrs["destination_address"] is not None:
            raise serializers.ValidationError(
                {"destination_address": ["give a number or email, or an address, not both"]}
            )
        return attrs


class UnsafeInputSerializer(IssCaseVersionInputSerializer):
    # A blank reason reaches the service, which refuses it naming the field.
    reason = serializers.CharField(allow_blank=True)


class AllocationInputSerializer(IssCaseVersionInputSerializer):
    worker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="The ISS worker's user id: an ISS worker of this service",
    )


class SurvivorLinkInputSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(help_text="His case reference: a case of her service")
    relationship = serializers.ChoiceField(choices=Relationship.choices)


class SharedRiskNoteInputSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(help_text="The reference of one of her perpetrators' cases")
    # A blank note reaches the service, which refuses it naming the field.
    note = serializers.CharField(allow_blank=True)


class CloseInputSerializer(IssCaseVersionInputSerializer):
    reason = serializers.CharField(allow_blank=True)
    early_closure_reason = serializers.CharField(required=False, default="", allow_blank=True)


class DashInputSerializer(IssCaseVersionInputSerializer):
    answers = serializers.DictField(
        child=serializers.CharField(),
        help_text='Answer option id ("yes", "no" or "not-known") by question number, for '
        "every question of the checklist",
    )
    professional_judgement_high = serializers.BooleanField(required=False, default=False)
    professional_judgement_reasons = serializers.CharField(
        required=False, default="", allow_blank=True
    )

    def validate_answers(self, answers: dict[str, str]) -> dict[int, str]:
        numbered: dict[int, str] = {}
        for key, answer in answers.items():
            if not key.isdigit():
                raise serializers.ValidationError(f"{key!r} is not a question number")
            numbered[int(key)] = answer
        return numbered


class IncidentInputSerializer(IssCaseVersionInputSerializer):
    occurred_on = serializers.DateField()
    summary = serializers.CharField(allow_blank=True)


class MaracReferralInputSerializer(IssCaseVersionInputSerializer):
    referred_on = serializers.DateField()


class DuplicateInputSerializer(IssCaseVersionInputSerializer):
    same_person = serializers.BooleanField(
        help_text="true: link her existing record instead and close this ISS case; false: not "
        "the same person"
    )


# Routes


@extend_schema(responses={200: IssCaseSummarySerializer, 403: NOT_ALLOWED})
class IssCaseListApi(ListAPIView[IssCase]):
    """ISS cases of the services where you work on the ISS side: survivors' names and contact
    details are here and nowhere on the perpetrator side."""

    permission_classes = [RulePermission]
    required_permission = VIEW_ISS_CASE_LIST
    serializer_class = IssCaseSummarySerializer

    def get_queryset(self) -> QuerySet[IssCase]:
        return with_related(selectors.iss_case_list_for_user(user=self.request.user))


class IssCaseWorkApi(APIView):
    permission_classes = [RulePermission]
    required_permission = VIEW_ISS_CASE


class IssCaseDetailApi(IssCaseWorkApi):
    @extend_schema(responses={200: IssCaseDetailSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND})
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
        try:
            self.act(iss_case=iss_case, actor=user, data=data)
        except StaleRecord as stale:
            return Response(stale.as_api_error(), status=status.HTTP_409_CONFLICT)
        except ActionRefused as refused:
            return Response(
                refused.as_api_error(field_names=self.field_names(data)),
                status=status.HTTP_400_BAD_REQUEST,
            )
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
            404: NOT_FOUND,
            409: STALE,
        },
    )


@action_schema(
    IssCaseVersionInputSerializer,
    "Record that her details are with the ISS (rule iss-handover); initial contact becomes due",
)
class IssReferralApi(IssCaseActionApi):
    input_serializer = IssCaseVersionInputSerializer

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        contact.iss_referral_make(iss_case=iss_case, actor=actor, expected_version=data["version"])


@action_schema(
    ContactAttemptInputSerializer,
    "Record a contact attempt, even with no answer (rule iss-contact)",
    created=True,
)
class ContactAttemptApi(IssCaseActionApi):
    input_serializer = ContactAttemptInputSerializer
    created = True

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        destination: str | SurvivorAddress | None = data["destination"] or None
        if data["destination_address"] is not None:
            destination = selectors.survivor_address_of(
                survivor=iss_case.survivor, pk=data["destination_address"]
            )
            if destination is None:
                raise ActionRefused("that address is not one of hers", field="destination")
        contact.contact_attempt_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            attempted_at=data["attempted_at"],
            method=data["method"],
            outcome=data["outcome"],
            notes=data["notes"],
            destination=destination,
        )

    def field_names(self, data: dict[str, Any]) -> dict[str, str]:
        if data["destination_address"] is not None:
            return {"destination": "destination_address"}
        return {}


@action_schema(
    UnsafeInputSerializer,
    "Record why contact is unsafe or impossible (rule iss-before-start)",
)
class ContactUnsafeApi(IssCaseActionApi):
    input_serializer = UnsafeInputSerializer

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        contact.iss_contact_unsafe_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            reason=data["reason"],
        )


@action_schema(
    AllocationInputSerializer,
    "Allocate her ISS worker (rules separate-workers and not-same-staff)",
)
class IssCaseAllocateApi(IssCaseActionApi):
    input_serializer = AllocationInputSerializer

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        iss_cases.iss_case_allocate(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            worker=data["worker"],
        )


def _her_case(*, iss_case: IssCase, actor: User, reference: str) -> Any:
    case = linkable_case_for_user(user=actor, survivor=iss_case.survivor, reference=reference)
    if case is None:
        raise ActionRefused(f"there is no case {reference.strip()} in her service", field="case")
    return case


@action_schema(
    SurvivorLinkInputSerializer,
    "Link her to another perpetrator case of her service, as his next survivor",
    created=True,
)
class SurvivorLinkApi(IssCaseActionApi):
    input_serializer = SurvivorLinkInputSerializer
    created = True

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        links.survivor_link_to_case(
            survivor=iss_case.survivor,
            perpetrator_case=_her_case(iss_case=iss_case, actor=actor, reference=data["case"]),
            relationship=data["relationship"],
            actor=actor,
        )

    def field_names(self, data: dict[str, Any]) -> dict[str, str]:
        return {"reference": "case"}


@action_schema(
    DuplicateInputSerializer,
    "Settle a possible duplicate flagged on her record: the same person, or not",
)
class PossibleDuplicateApi(IssCaseActionApi):
    input_serializer = DuplicateInputSerializer

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        links.survivor_duplicate_resolve(
            flag=selectors.possible_duplicate_of(iss_case=iss_case, pk=data["flag_pk"]),
            actor=actor,
            expected_version=data["version"],
            same_person=data["same_person"],
        )


@action_schema(
    SharedRiskNoteInputSerializer,
    "Write a risk note for one of her perpetrators' cases: shared, without its source, once "
    "approved (rule survivor-confidentiality)",
    created=True,
)
class SharedRiskNoteWriteApi(IssCaseActionApi):
    input_serializer = SharedRiskNoteInputSerializer
    created = True

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        risk_notes.shared_risk_note_write(
            iss_case=iss_case,
            perpetrator_case=_her_case(iss_case=iss_case, actor=actor, reference=data["case"]),
            actor=actor,
            note=data["note"],
        )

    def field_names(self, data: dict[str, Any]) -> dict[str, str]:
        return {"perpetrator_case": "case"}


@action_schema(
    CloseInputSerializer,
    "Close her ISS case; within 4 months of him leaving the intervention, with the reason it "
    "ends early (rule iss-duration)",
)
class IssCaseCloseApi(IssCaseActionApi):
    input_serializer = CloseInputSerializer

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        iss_cases.iss_case_close(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            reason=data["reason"],
            early_closure_reason=data["early_closure_reason"],
        )


@action_schema(
    DashInputSerializer,
    "Record a DASH risk checklist with her; meeting a MARAC referral criterion makes a "
    "referral due (rule dash)",
    created=True,
)
class DashAssessmentApi(IssCaseActionApi):
    input_serializer = DashInputSerializer
    created = True

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        dash.dash_assessment_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            answers=data["answers"],
            professional_judgement_high=data["professional_judgement_high"],
            professional_judgement_reasons=data["professional_judgement_reasons"],
        )

    def field_names(self, data: dict[str, Any]) -> dict[str, str]:
        questions = instrument_get(instrument_id=DASH_INSTRUMENT_ID).questions
        return {f"question_{question.number}": "answers" for question in questions}


@action_schema(
    IncidentInputSerializer,
    "Record an incident against her, counted by her next DASH (rule dash)",
    created=True,
)
class RiskIncidentApi(IssCaseActionApi):
    input_serializer = IncidentInputSerializer
    created = True

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        dash.risk_incident_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            occurred_on=data["occurred_on"],
            summary=data["summary"],
        )


@action_schema(
    MaracReferralInputSerializer,
    "Record her MARAC referral on her latest DASH's criteria (rule dash)",
    created=True,
)
class MaracReferralApi(IssCaseActionApi):
    input_serializer = MaracReferralInputSerializer
    created = True

    def act(self, *, iss_case: IssCase, actor: User, data: dict[str, Any]) -> None:
        dash.marac_referral_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=data["version"],
            referred_on=data["referred_on"],
        )


# Safety plans, support sessions, signposting and referrals


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


# Blank text reaches the services, which refuse it naming the field.


class SafetyPlanInputSerializer(IssCaseVersionInputSerializer):
    agreed_on = serializers.DateField()
    summary = serializers.CharField(allow_blank=True)
    review_on = serializers.DateField(help_text="After agreed_on: her review is due by then")


class SafetyPlanReviewInputSerializer(IssCaseVersionInputSerializer):
    next_review_on = serializers.DateField(help_text="After today")


class SupportSessionInputSerializer(IssCaseVersionInputSerializer):
    held_at = serializers.DateTimeField(help_text="Not in the future")
    method = serializers.ChoiceField(choices=SessionMethod.choices)
    summary = serializers.CharField(allow_blank=True)


class SignpostingInputSerializer(IssCaseVersionInputSerializer):
    made_on = serializers.DateField()
    to_whom = serializers.CharField(allow_blank=True, help_text="The organisation or service")
    kind = serializers.ChoiceField(choices=SignpostingKind.choices)
    reason = serializers.CharField(allow_blank=True)
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
        try:
            made = self.act(iss_case=iss_case, actor=user, data=serializer.validated_data)
        except StaleRecord as stale:
            return Response(stale.as_api_error(), status=status.HTTP_409_CONFLICT)
        except ActionRefused as refused:
            return Response(refused.as_api_error(), status=status.HTTP_400_BAD_REQUEST)
        return Response(self.output_serializer(made).data, status=status.HTTP_201_CREATED)


def records_schema(
    output_serializer: type[serializers.Serializer[Any]],
    input_serializer: type[serializers.Serializer[Any]],
    *,
    listed: str,
    added: str,
) -> Any:
    not_refused = {403: NOT_ALLOWED, 404: NOT_FOUND}
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
            404: NOT_FOUND,
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
        try:
            plan = support_work.safety_plan_review(
                iss_case=iss_case,
                actor=user,
                expected_version=serializer.validated_data["version"],
                next_review_on=serializer.validated_data["next_review_on"],
            )
        except StaleRecord as stale:
            return Response(stale.as_api_error(), status=status.HTTP_409_CONFLICT)
        except ActionRefused as refused:
            return Response(refused.as_api_error(), status=status.HTTP_400_BAD_REQUEST)
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


# Shared risk notes awaiting approval (rule survivor-confidentiality)


class NoteAwaitingApprovalSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="note.pk")
    case = serializers.CharField(source="note.perpetrator_case.reference")
    note = serializers.CharField(source="note.note")
    written_at = serializers.DateTimeField(source="note.written_at")
    approval = serializers.ChoiceField(
        choices=["iss-manager", "service-manager"],
        help_text="The approval you would give: the ISS manager's, or for intensive case "
        "management the service manager's",
    )
    iss_case = serializers.SerializerMethodField(
        help_text="Her ISS case: given only for the ISS manager's approval"
    )

    def get_iss_case(self, item: selectors.NoteAwaitingApproval) -> int | None:
        return item.source.pk if item.source else None


class RiskNoteStatusSerializer(serializers.ModelSerializer[SharedRiskNote]):
    case = serializers.CharField(source="perpetrator_case.reference")
    status = serializers.SerializerMethodField()

    class Meta:
        model = SharedRiskNote
        fields = [
            "id",
            "case",
            "status",
            "iss_manager_approved_at",
            "service_manager_approved_at",
            "released_at",
        ]

    def get_status(
        self, note: SharedRiskNote
    ) -> Literal["released", "awaiting-service-manager", "awaiting-iss-manager"]:
        if note.released_at:
            return "released"
        if note.iss_manager_approved_at:
            return "awaiting-service-manager"
        return "awaiting-iss-manager"


@extend_schema(responses={200: NoteAwaitingApprovalSerializer(many=True), 403: NOT_ALLOWED})
class RiskNotesAwaitingApprovalApi(APIView):
    """Shared risk notes you may approve now, oldest first."""

    permission_classes = [RulePermission]
    required_permission = APPROVE_SHARED_RISK_NOTES

    def get(self, request: Request) -> Response:
        awaiting = selectors.risk_notes_awaiting_approval_for_user(user=request.user)
        return Response(NoteAwaitingApprovalSerializer(awaiting, many=True).data)


class RiskNoteApproveApi(APIView):
    permission_classes = [RulePermission]
    required_permission = APPROVE_SHARED_RISK_NOTES

    @extend_schema(
        request=None,
        responses={
            200: RiskNoteStatusSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: NOTE_NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        """Give your approval to a shared risk note; it is released once every approval it
        needs is given (rule survivor-confidentiality)."""
        user = signed_in(request)
        item = selectors.risk_note_awaiting_approval_for_user(user=user, pk=pk)
        try:
            note = risk_notes.shared_risk_note_approve(note=item.note, actor=user)
        except ActionRefused as refused:
            return Response(refused.as_api_error(), status=status.HTTP_400_BAD_REQUEST)
        return Response(RiskNoteStatusSerializer(note).data)


urlpatterns = [
    path("iss-cases/", IssCaseListApi.as_view(), name="iss-case-list"),
    path("iss-cases/<int:pk>/", IssCaseDetailApi.as_view(), name="iss-case-detail"),
    path("iss-cases/<int:pk>/referral/", IssReferralApi.as_view(), name="iss-case-referral"),
    path(
        "iss-cases/<int:pk>/contact-attempts/",
        ContactAttemptApi.as_view(),
        name="iss-case-contact-attempts",
    ),
    path("iss-cases/<int:pk>/unsafe/", ContactUnsafeApi.as_view(), name="iss-case-unsafe"),
    path("iss-cases/<int:pk>/allocate/", IssCaseAllocateApi.as_view(), name="iss-case-allocate"),
    path("iss-cases/<int:pk>/links/", SurvivorLinkApi.as_view(), name="iss-case-links"),
    path(
        "iss-cases/<int:pk>/possible-duplicates/<int:flag_pk>/",
        PossibleDuplicateApi.as_view(),
        name="iss-case-possible-duplicate",
    ),
    path(
        "iss-cases/<int:pk>/risk-notes/",
        SharedRiskNoteWriteApi.as_view(),
        name="iss-case-risk-notes",
    ),
    path("iss-cases/<int:pk>/close/", IssCaseCloseApi.as_view(), name="iss-case-close"),
    path("iss-cases/<int:pk>/dash/", DashAssessmentApi.as_view(), name="iss-case-dash"),
    path("iss-cases/<int:pk>/incidents/", RiskIncidentApi.as_view(), name="iss-case-incidents"),
    path(
        "iss-cases/<int:pk>/marac-referrals/",
        MaracReferralApi.as_view(),
        name="iss-case-marac-referrals",
    ),
    path(
        "iss-cases/<int:pk>/safety-plans/", SafetyPlansApi.as_view(), name="iss-case-safety-plans"
    ),
    path(
        "iss-cases/<int:pk>/safety-plans/review/",
        SafetyPlanReviewApi.as_view(),
        name="iss-case-safety-plan-review",
    ),
    path("iss-cases/<int:pk>/sessions/", SupportSessionsApi.as_view(), name="iss-case-sessions"),
    path("iss-cases/<int:pk>/referrals/", SignpostingsApi.as_view(), name="iss-case-referrals"),
    path(
        "risk-notes/awaiting-approval/",
        RiskNotesAwaitingApprovalApi.as_view(),
        name="risk-notes-awaiting-approval",
    ),
    path("risk-notes/<int:pk>/approve/", RiskNoteApproveApi.as_view(), name="risk-note-approve"),
]
