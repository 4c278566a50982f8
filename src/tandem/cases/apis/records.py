"""The perpetrator side's running records of a case through the API: contact notes, risk
assessments with their actions, changes in his engagement and risk concerns for the ISS."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.api import bounded_list, created, list_schema, signed_in, write_schema
from tandem.api_schema import NOT_BLANK, described_as, recorded_moment
from tandem.cases import selectors
from tandem.cases.apis.case import (
    CASE_NOT_FOUND,
    CaseRecordListApi,
    CaseVersionInputSerializer,
    CaseWorkApi,
    case_for,
)
from tandem.cases.models import (
    ActionPlanItem,
    ContactNote,
    EngagementChange,
    EngagementChangeKind,
    PerpetratorCase,
    RiskAssessment,
    RiskConcern,
    RiskPoint,
)
from tandem.cases.rules import CHANGE_CASE, RECORD_ENGAGEMENT_CHANGE, VIEW_CASE_LIST
from tandem.cases.services import engagement, records
from tandem.lib.people import person_name


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
    occurred_at = recorded_moment()
    # Checked by the service (which names the field): as an enum it would collide in the schema
    # with other fields named `kind`.
    kind = serializers.CharField(
        max_length=40,
        help_text="One of: " + "; ".join(records.CONTACT_KINDS),
        style=described_as(enum=list(records.CONTACT_KINDS)),
    )
    note = serializers.CharField(allow_blank=True, style=NOT_BLANK)


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
    summary = serializers.CharField(allow_blank=True, style=NOT_BLANK)
    actions = bounded_list(
        PlannedActionInputSerializer(),
        at_most=50,
        too_many="An assessment can add at most 50 actions to his action plan",
        required=False,
        default=list,
        help_text="Go into his action plan",
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


@extend_schema_view(
    get=list_schema("His contact notes (perpetrator side only)", not_found=CASE_NOT_FOUND)
)
class ContactNoteListApi(CaseRecordListApi):
    serializer_class = ContactNoteSerializer

    def records_of(self, case: PerpetratorCase) -> QuerySet[Any]:
        return selectors.contact_notes_of(case=case)

    @write_schema(
        ContactNoteInputSerializer,
        ContactNoteSerializer,
        "Record a contact (rule record-1wd: a late one is kept, flagged as late)",
        not_found=CASE_NOT_FOUND,
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((CHANGE_CASE,))
        serializer = ContactNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = records.contact_note_record(
            case=case, actor=signed_in(request), **serializer.validated_data
        )
        return created(ContactNoteSerializer, note)


@extend_schema_view(
    get=list_schema(
        "His risk assessments with their actions (shared with the ISS side)",
        not_found=CASE_NOT_FOUND,
    )
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
        not_found=CASE_NOT_FOUND,
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((CHANGE_CASE,))
        serializer = RiskAssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        actions = [records.PlannedAction(**planned) for planned in data.pop("actions")]
        assessment = records.risk_assessment_record(
            case=case, actor=signed_in(request), actions=actions, **data
        )
        return created(RiskAssessmentSerializer, assessment)


@extend_schema_view(
    get=list_schema(
        "Changes in his engagement, latest first (shared with the ISS side)",
        not_found=CASE_NOT_FOUND,
    )
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
        not_found=CASE_NOT_FOUND,
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((RECORD_ENGAGEMENT_CHANGE,))
        serializer = EngagementChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        change = engagement.engagement_change_record(
            case=case,
            actor=signed_in(request),
            expected_version=data["version"],
            change=data["change"],
            detail=data["detail"],
        )
        return created(EngagementChangeSerializer, change)


class RiskConcernApi(CaseWorkApi):
    @write_schema(
        RiskConcernInputSerializer,
        RiskConcernSerializer,
        "Share a risk concern with each survivor's ISS worker (rule concern-24h)",
        not_found=CASE_NOT_FOUND,
    )
    def post(self, request: Request, reference: str) -> Response:
        user = signed_in(request)
        case = case_for(user=user, reference=reference, permissions=(CHANGE_CASE,))
        serializer = RiskConcernInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        concern = records.risk_concern_raise(case=case, actor=user, **serializer.validated_data)
        return created(RiskConcernSerializer, concern)
