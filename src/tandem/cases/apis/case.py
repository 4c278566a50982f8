"""What every case route shares: a case as the API shows it (his record, each survivor's
contact status only, released risk notes without their source), reaching a case (404 outside the
person's services, 403 when they may not act on it) and the routes of a transition or of a kind of
record on a case.

A rule's refusal is 400 with the field and the rule, a write based on a stale read 409: the API
kit's exception handler (`tandem.api`) answers both."""

from abc import abstractmethod
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
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
from tandem.cases import gates, selectors
from tandem.cases.models import Child, PerpetratorCase, ReferralSource, Stage
from tandem.cases.rules import CHANGE_CASE, VIEW_CASE_LIST
from tandem.lib.people import person_name
from tandem.organisations.models import Service
from tandem.support.barrier import released_risk_notes_for_user, survivor_contact_statuses

CASE_NOT_FOUND = not_found("No such case among the services you work in")


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
        worker = case.allocated_worker
        return person_name(worker) if worker else None


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


class CaseWorkApi(APIView):
    """Anyone doing case work on either side; which cases they see is the selectors' decision."""

    permission_classes = [RulePermission]
    required_permission = VIEW_CASE_LIST


def case_for(*, user: User, reference: str, permissions: tuple[str, ...]) -> PerpetratorCase:
    """404 for a case outside the person's services; 403 for one they can see but hold none of
    `permissions` on."""
    case = selectors.perpetrator_case_get_for_user(user=user, reference=reference)
    if not any(user.has_perm(permission, case) for permission in permissions):
        raise PermissionDenied("Only the perpetrator side of the case's service can do this.")
    return case


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


class CaseDetailApi(CaseWorkApi):
    @extend_schema(responses={200: CaseDetailSerializer, 403: NOT_ALLOWED, 404: CASE_NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """One case: his record, each survivor's contact status only (no names or contact
        details), children, and released shared risk notes without their source. Every view is
        recorded in the audit trail."""
        case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
        audit_event_record(
            actor=request.user, action="viewed", target=case, summary="viewed through the API"
        )
        return case_detail_response(request, case)


class CaseVersionInputSerializer(serializers.Serializer[Any]):
    version = stored_integer(
        min_value=1, help_text="The case's version as last read: a stale one is refused (409)"
    )


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
        case = self.act(case=case, actor=user, version=version, data=data)
        return case_detail_response(request, case)


def action_schema(input_serializer: type[CaseVersionInputSerializer], summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={
            200: CaseDetailSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: CASE_NOT_FOUND,
            409: STALE,
        },
    )


class CaseRecordListApi(AuditedListApi[Any]):
    """A case's records, read by whoever holds one of `read_permissions` on it (each read is
    recorded in the audit trail as a view of the case naming the records shown); POST adds
    one, by its perpetrator side."""

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

    audit_summary = "listed through the API"
    read_case: PerpetratorCase | None = None

    def get_queryset(self) -> QuerySet[Any]:
        self.read_case = self.case(self.read_permissions)
        return self.records_of(self.read_case)

    def audited_owner(self) -> PerpetratorCase | None:
        return self.read_case
