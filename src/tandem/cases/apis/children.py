"""The children connected to him through the API, and what makes their needs due for
re-examination (rules children-record, child-plan, child-retrigger)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.api import created, list_schema, signed_in, write_schema
from tandem.api_schema import NOT_BLANK, stored_integer
from tandem.cases import selectors
from tandem.cases.apis.case import (
    CASE_NOT_FOUND,
    CaseRecordListApi,
    CaseWorkApi,
    ChildSerializer,
    case_for,
)
from tandem.cases.models import Child, PerpetratorCase
from tandem.cases.rules import CHANGE_CASE, VIEW_CASE_LIST
from tandem.cases.services import children, intake
from tandem.compliance.models import DueTask


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
    # Refused blank by the service, naming the field.
    first_name = serializers.CharField(max_length=100, allow_blank=True, style=NOT_BLANK)
    last_name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    relationship_to_perpetrator = serializers.CharField(
        max_length=100, allow_blank=True, style=NOT_BLANK
    )
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

    version = stored_integer(
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


@extend_schema_view(get=list_schema("The children connected to him", not_found=CASE_NOT_FOUND))
class ChildListApi(CaseRecordListApi):
    serializer_class = ChildRecordSerializer
    read_permissions = (VIEW_CASE_LIST,)
    refusal_field_names = CHILD_FIELD_NAMES

    def records_of(self, case: PerpetratorCase) -> QuerySet[Any]:
        return case.children.all()

    @write_schema(
        ChildRecordInputSerializer,
        ChildRecordSerializer,
        "Add a child, with what children's social care knows (rules children-record, child-plan)",
        not_found=CASE_NOT_FOUND,
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case((CHANGE_CASE,))
        serializer = ChildRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        child = children.child_add(
            case=case,
            actor=signed_in(request),
            child=child_details(serializer.validated_data),
            social_care=child_social_care(serializer.validated_data),
        )
        return created(ChildRecordSerializer, child)


class ChildDetailApi(CaseWorkApi):
    refusal_field_names = CHILD_FIELD_NAMES

    @write_schema(
        ChildChangeInputSerializer,
        ChildRecordSerializer,
        "Change a child's details (only the fields sent)",
        created_status=status.HTTP_200_OK,
        stale=True,
        not_found=CASE_NOT_FOUND,
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
        child = children.child_update(
            child=child,
            actor=user,
            expected_version=data["version"],
            details=child_details(data),
            social_care=child_social_care(data),
        )
        return Response(ChildRecordSerializer(child).data)


class ChildrenReexaminationApi(CaseWorkApi):
    @write_schema(
        ReexaminationInputSerializer,
        ReexaminationTaskSerializer,
        "Record what makes the children's needs due for re-examination (rule child-retrigger)",
        not_found=CASE_NOT_FOUND,
    )
    def post(self, request: Request, reference: str) -> Response:
        user = signed_in(request)
        case = case_for(user=user, reference=reference, permissions=(CHANGE_CASE,))
        serializer = ReexaminationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = children.children_reexamination_trigger(
            case=case, actor=user, **serializer.validated_data
        )
        return created(ReexaminationTaskSerializer, task)
