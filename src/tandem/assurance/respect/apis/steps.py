"""The Respect accreditation routes that act in an assessment: each step of the process, the
service's documents, and declarations of conflicts of interest. Each answers with the
assessment as the person may now see it."""

from abc import abstractmethod
from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from tandem.api import NOT_ALLOWED, REFUSED, STALE, bounded_list, signed_in
from tandem.api_schema import record_id, stored_integer
from tandem.assurance.models import (
    DecisionOutcome,
    EvidenceDocument,
    Judgement,
    Part,
    Recommendation,
    RequirementRecord,
    VerificationOutcome,
)
from tandem.assurance.respect import selectors
from tandem.assurance.respect.apis.summaries import (
    ASSESSMENT_NOT_FOUND,
    AssessmentDetailSerializer,
    AssuranceApi,
    detail_response,
)
from tandem.assurance.respect.rules import (
    ASSESS,
    DECIDE,
    PREPARE_EVIDENCE,
    VERIFY,
)
from tandem.assurance.respect.selectors import AssessmentAccess
from tandem.assurance.respect.services import application, findings, panel
from tandem.assurance.rules import COORDINATE
from tandem.assurance.selectors import participation_get_for_declaration
from tandem.assurance.services import conflict_declare, participant_add
from tandem.lib.errors import ActionRefused
from tandem.standards.models import AssessmentMethod

# What is received


class AssessmentVersionInputSerializer(serializers.Serializer[Any]):
    version = stored_integer(
        min_value=1, help_text="The version as last read: a stale one is refused (409)"
    )


class ParticipantInputSerializer(serializers.Serializer[Any]):
    user = record_id()
    part = serializers.ChoiceField(choices=Part.choices)


class DeclarationInputSerializer(serializers.Serializer[Any]):
    no_conflict = serializers.BooleanField()
    details = serializers.CharField(required=False, default="", allow_blank=True)


class NarrativeInputSerializer(AssessmentVersionInputSerializer):
    narrative = serializers.CharField(allow_blank=True, trim_whitespace=False)


class CitationInputSerializer(AssessmentVersionInputSerializer):
    document = record_id()
    location = serializers.CharField(max_length=200, allow_blank=True)


class UploadInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    title = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)


class DocumentSerializer(serializers.ModelSerializer[EvidenceDocument]):
    class Meta:
        model = EvidenceDocument
        fields = ["id", "title", "original_name", "kind", "size", "sha256", "uploaded_at"]


class MethodJudgementInputSerializer(AssessmentVersionInputSerializer):
    method = serializers.ChoiceField(choices=AssessmentMethod.choices)
    result = serializers.ChoiceField(choices=Judgement.choices)
    evidence_notes = serializers.CharField(allow_blank=True)


class RecordJudgementInputSerializer(AssessmentVersionInputSerializer):
    judgement = serializers.ChoiceField(choices=Judgement.choices)
    basis = serializers.CharField(allow_blank=True)


class ReportInputSerializer(AssessmentVersionInputSerializer):
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    summary = serializers.CharField(allow_blank=True)


class VerificationInputSerializer(AssessmentVersionInputSerializer):
    outcome = serializers.ChoiceField(choices=VerificationOutcome.choices)
    notes = serializers.CharField(allow_blank=True)


class ConditionInputSerializer(serializers.Serializer[Any]):
    description = serializers.CharField()
    due_on = serializers.DateField()


class DecisionInputSerializer(AssessmentVersionInputSerializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    reasons = serializers.CharField(allow_blank=True)
    conditions = bounded_list(
        ConditionInputSerializer(),
        at_most=50,
        too_many="A decision can set at most 50 conditions",
        required=False,
        default=list,
    )


class ConditionMetInputSerializer(AssessmentVersionInputSerializer):
    evidence = serializers.CharField(allow_blank=True)


class ActionApi(AssuranceApi):
    """A write: the input, the permission in the assessment, then the service."""

    input_serializer: type[serializers.Serializer[Any]] = AssessmentVersionInputSerializer
    permission: str

    @abstractmethod
    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        """Call the service with the validated input."""

    def post(self, request: Request, assessment_id: int, **ids: int) -> Response:
        access = self.access(request, assessment_id, self.permission)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.ids = ids
        self.act(access=access, actor=signed_in(request), data=dict(serializer.validated_data))
        return detail_response(request, assessment_id)


def action_schema(input_serializer: type[serializers.Serializer[Any]], summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=input_serializer,
        responses={
            200: AssessmentDetailSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: ASSESSMENT_NOT_FOUND,
            409: STALE,
        },
    )


class RecordActionApi(ActionApi):
    def record(self, access: AssessmentAccess) -> RequirementRecord:
        return selectors.record_get_for(access=access, record_id=self.ids["record_id"])


@action_schema(ParticipantInputSerializer, "Allocate someone to a part (lead assessors)")
class ParticipantApi(ActionApi):
    input_serializer = ParticipantInputSerializer
    permission = COORDINATE

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        user = User.objects.filter(pk=data["user"], is_active=True).first()
        if user is None:
            raise ActionRefused("No such person", field="user")
        return participant_add(
            assessment=access.assessment, user=user, part=data["part"], actor=actor
        )


@action_schema(AssessmentVersionInputSerializer, "Submit the evidence (the service's manager)")
class SubmitApi(ActionApi):
    permission = PREPARE_EVIDENCE

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return application.assessment_submit(
            assessment=access.assessment, actor=actor, expected_version=data["version"]
        )


@action_schema(AssessmentVersionInputSerializer, "Start the desktop assessment (the assessor)")
class DesktopAssessmentApi(ActionApi):
    permission = ASSESS

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return findings.desktop_assessment_start(
            assessment=access.assessment, actor=actor, expected_version=data["version"]
        )


@action_schema(AssessmentVersionInputSerializer, "Start the site visit (the assessor)")
class SiteVisitApi(ActionApi):
    permission = ASSESS

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return findings.site_visit_start(
            assessment=access.assessment, actor=actor, expected_version=data["version"]
        )


@action_schema(NarrativeInputSerializer, "Save an indicator's narrative (at most 250 words)")
class NarrativeApi(RecordActionApi):
    input_serializer = NarrativeInputSerializer
    permission = PREPARE_EVIDENCE

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return application.record_narrative_save(
            record=self.record(access),
            actor=actor,
            expected_version=data["version"],
            narrative=data["narrative"],
        )


@action_schema(CitationInputSerializer, "Cite a document at a page or section")
class CitationApi(RecordActionApi):
    input_serializer = CitationInputSerializer
    permission = PREPARE_EVIDENCE

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        document = (
            selectors.documents_of(service=access.assessment.service)
            .filter(pk=data["document"])
            .first()
        )
        if document is None:
            raise ActionRefused("No such document of this service", field="document")
        return application.evidence_citation_add(
            record=self.record(access),
            document=document,
            location=data["location"],
            actor=actor,
            expected_version=data["version"],
        )


@action_schema(MethodJudgementInputSerializer, "Record the finding by one method (the assessor)")
class MethodJudgementApi(RecordActionApi):
    input_serializer = MethodJudgementInputSerializer
    permission = ASSESS

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return findings.method_judgement_record(
            record=self.record(access),
            method=data["method"],
            result=data["result"],
            evidence_notes=data["evidence_notes"],
            actor=actor,
            expected_version=data["version"],
        )


@action_schema(RecordJudgementInputSerializer, "Judge an indicator, with its basis (the assessor)")
class RecordJudgementApi(RecordActionApi):
    input_serializer = RecordJudgementInputSerializer
    permission = ASSESS

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return findings.record_judge(
            record=self.record(access),
            judgement=data["judgement"],
            basis=data["basis"],
            actor=actor,
            expected_version=data["version"],
        )


@action_schema(ReportInputSerializer, "Submit the report for internal verification")
class ReportApi(ActionApi):
    input_serializer = ReportInputSerializer
    permission = ASSESS

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return findings.assessor_report_submit(
            assessment=access.assessment,
            actor=actor,
            expected_version=data["version"],
            recommendation=data["recommendation"],
            summary=data["summary"],
        )


@action_schema(VerificationInputSerializer, "Verify the report (not by its assessor)")
class VerificationApi(ActionApi):
    input_serializer = VerificationInputSerializer
    permission = VERIFY

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return panel.assessor_report_verify(
            assessment=access.assessment,
            actor=actor,
            expected_version=data["version"],
            outcome=data["outcome"],
            notes=data["notes"],
        )


@action_schema(
    AssessmentVersionInputSerializer, "Refer the verified report to the panel (lead assessors)"
)
class ReferApi(ActionApi):
    permission = COORDINATE

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return panel.assessment_refer_to_panel(
            assessment=access.assessment, actor=actor, expected_version=data["version"]
        )


@action_schema(
    DecisionInputSerializer,
    "Record the panel's decision (rule respect-accreditation: every indicator met to accredit)",
)
class DecisionApi(ActionApi):
    input_serializer = DecisionInputSerializer
    permission = DECIDE

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        return panel.panel_decision_record(
            assessment=access.assessment,
            actor=actor,
            expected_version=data["version"],
            outcome=data["outcome"],
            reasons=data["reasons"],
            conditions=[
                panel.ConditionDetails(c["description"], c["due_on"]) for c in data["conditions"]
            ],
        )


@action_schema(ConditionMetInputSerializer, "Meet a condition of a deferral (the service)")
class ConditionMetApi(ActionApi):
    input_serializer = ConditionMetInputSerializer
    permission = PREPARE_EVIDENCE

    def act(self, *, access: AssessmentAccess, actor: User, data: dict[str, Any]) -> object:
        condition = (
            selectors.conditions_of(assessment=access.assessment)
            .filter(pk=self.ids["action_id"])
            .first()
        )
        if condition is None:
            raise ActionRefused("No such condition of this assessment", field="condition")
        return panel.deferral_condition_meet(
            condition=condition,
            actor=actor,
            expected_version=data["version"],
            evidence=data["evidence"],
        )


class DocumentListApi(AssuranceApi):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        responses={200: DocumentSerializer(many=True), 403: NOT_ALLOWED, 404: ASSESSMENT_NOT_FOUND}
    )
    def get(self, request: Request, assessment_id: int) -> Response:
        """The assessed service's evidence documents."""
        access = self.access(request, assessment_id)
        if not access.sees_evidence:
            raise PermissionDenied("You may not see this service's evidence.")
        documents = selectors.documents_of(service=access.assessment.service)
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(
        summary="Upload an evidence file (stored once; type read from its content)",
        request={"multipart/form-data": UploadInputSerializer},
        responses={201: DocumentSerializer, 200: DocumentSerializer, 400: REFUSED},
    )
    def post(self, request: Request, assessment_id: int) -> Response:
        """201 with the new document; 200 with the stored one when the same file was uploaded
        before."""
        access = self.access(request, assessment_id, PREPARE_EVIDENCE)
        serializer = UploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document, created = application.evidence_document_upload(
            service=access.assessment.service,
            actor=signed_in(request),
            title=serializer.validated_data["title"],
            upload=serializer.validated_data["file"],
        )
        return Response(
            DocumentSerializer(document).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class DeclarationApi(AssuranceApi):
    @extend_schema(
        summary="Declare for a part you were given: no conflict of interest, or the conflict",
        request=DeclarationInputSerializer,
        responses={204: None, 400: REFUSED, 404: ASSESSMENT_NOT_FOUND},
    )
    def post(self, request: Request, participant_id: int) -> Response:
        participant = participation_get_for_declaration(
            user=request.user, participant_id=participant_id
        )
        serializer = DeclarationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conflict_declare(
            participant=participant,
            actor=signed_in(request),
            no_conflict=serializer.validated_data["no_conflict"],
            details=serializer.validated_data["details"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
