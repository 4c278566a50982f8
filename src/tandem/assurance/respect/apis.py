"""Respect accreditations through the API, under /api/v1/assurance/: the same selectors, rules
and services as the pages.

An assessment someone may not open (including an assessor, verifier or panel member who has not
declared no conflict of interest) is 404; one they can open but may not act on is 403. A refusal
is 400 with the field and, where a rule refuses, the rule; a write based on a stale read is 409
(`tandem.api.refusal_exception_handler` answers both).
The register of accredited services is public: no sign-in.
"""

from abc import abstractmethod
from typing import Any

from django.contrib.auth.models import User
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, REFUSED, STALE, not_found, signed_in
from tandem.assurance.models import (
    Assessment,
    DecisionOutcome,
    EvidenceDocument,
    Judgement,
    Part,
    Recommendation,
    RequirementRecord,
    VerificationOutcome,
)
from tandem.assurance.respect import gates, selectors
from tandem.assurance.respect.rules import (
    APPLY_FOR_ACCREDITATION,
    ASSESS,
    DECIDE,
    PREPARE_EVIDENCE,
    VERIFY,
    VIEW_ASSESSMENTS,
)
from tandem.assurance.respect.selectors import AssessmentAccess
from tandem.assurance.respect.services import application, findings, panel
from tandem.assurance.rules import COORDINATE
from tandem.assurance.selectors import managed_services, participation_get_for_declaration
from tandem.assurance.services import conflict_declare, participant_add
from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.standards.models import AssessmentMethod, InterventionType

ASSESSMENT_NOT_FOUND = not_found(
    "No such assessment among those you may open (assessors, verifiers and panel members first "
    "declare no conflict of interest)"
)


# What is shown


class MethodJudgementSerializer(serializers.Serializer[Any]):
    method = serializers.ChoiceField(choices=AssessmentMethod.choices)
    result = serializers.ChoiceField(choices=Judgement.choices)
    evidence_notes = serializers.CharField()
    judged_by = serializers.CharField()
    judged_at = serializers.DateTimeField()


class FindingsSerializer(serializers.Serializer[Any]):
    """The assessors' findings: hidden from the service until the report is released."""

    judgement = serializers.CharField(help_text="met, not_met, more_evidence or empty")
    basis = serializers.CharField()
    judged_by = serializers.CharField(allow_null=True)
    judged_at = serializers.DateTimeField(allow_null=True)
    methods = MethodJudgementSerializer(many=True)


class CitationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    document = serializers.IntegerField()
    title = serializers.CharField()
    location = serializers.CharField()


class RecordSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    code = serializers.CharField()
    ref = serializers.CharField()
    text = serializers.CharField()
    assessment_methods = serializers.ListField(child=serializers.CharField())
    narrative = serializers.CharField()
    narrative_words = serializers.IntegerField()
    citations = CitationSerializer(many=True)
    more_evidence_requested = serializers.BooleanField()
    findings = FindingsSerializer(allow_null=True)


class ParticipantSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    person = serializers.CharField()
    part = serializers.ChoiceField(choices=Part.choices)
    declared = serializers.CharField(help_text="no_conflict, conflict or awaited")


class ConditionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    description = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()
    closing_evidence = serializers.CharField()


class DecisionSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    reasons = serializers.CharField()
    decided_by = serializers.CharField()
    decided_at = serializers.DateTimeField()


class ReportSerializer(serializers.Serializer[Any]):
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    summary = serializers.CharField()
    submitted_by = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class AssessmentSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    process = serializers.CharField()
    state = serializers.CharField()
    service = serializers.CharField()
    organisation = serializers.CharField()
    framework = serializers.CharField()
    edition = serializers.CharField()
    scope = serializers.ListField(child=serializers.CharField())
    previous = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)


class AssessmentDetailSerializer(AssessmentSummarySerializer):
    findings_visible = serializers.BooleanField()
    participants = ParticipantSerializer(many=True)
    records = RecordSerializer(many=True, help_text="Empty for a lead assessor not taking part")
    report = ReportSerializer(allow_null=True)
    decisions = DecisionSerializer(many=True)
    conditions = ConditionSerializer(many=True)


def summary_of(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "version": assessment.version,
        "process": assessment.process,
        "state": assessment.state,
        "service": assessment.service.name,
        "organisation": assessment.service.organisation.name,
        "framework": assessment.framework.slug,
        "edition": assessment.framework.edition,
        "scope": assessment.scope,
        "previous": assessment.previous_id,
        "created_at": assessment.created_at,
        "submitted_at": assessment.submitted_at,
        "decided_at": assessment.decided_at,
        "expires_on": assessment.expires_on,
    }


def _record(record: RequirementRecord, *, findings: bool) -> dict[str, Any]:
    return {
        "id": record.pk,
        "version": record.version,
        "code": record.requirement.code,
        "ref": record.requirement.ref,
        "text": record.requirement.text,
        "assessment_methods": record.requirement.assessment_methods,
        "narrative": record.narrative,
        "narrative_words": gates.narrative_word_count(record.narrative),
        "citations": [
            {
                "id": citation.pk,
                "document": citation.document_id,
                "title": citation.document.title,
                "location": citation.location,
            }
            for citation in record.citations.all()
        ],
        "more_evidence_requested": selectors.more_evidence_requested(record),
        "findings": {
            "judgement": record.judgement,
            "basis": record.judgement_basis,
            "judged_by": person_name(record.judged_by) if record.judged_by else None,
            "judged_at": record.judged_at,
            "methods": [
                {
                    "method": m.method,
                    "result": m.result,
                    "evidence_notes": m.evidence_notes,
                    "judged_by": person_name(m.judged_by),
                    "judged_at": m.judged_at,
                }
                for m in record.method_judgements.all()
            ],
        }
        if findings
        else None,
    }


def detail_of(access: AssessmentAccess) -> dict[str, Any]:
    assessment = access.assessment
    report = getattr(assessment, "assessor_report", None) if access.sees_findings else None
    participants = assessment.participants.select_related("user", "declaration")

    def declared(participant: Any) -> str:
        declaration = getattr(participant, "declaration", None)
        if declaration is None:
            return "awaited"
        return "no_conflict" if declaration.no_conflict else "conflict"

    return {
        **summary_of(assessment),
        "findings_visible": access.sees_findings,
        "participants": [
            {"id": p.pk, "person": person_name(p.user), "part": p.part, "declared": declared(p)}
            for p in participants
        ],
        "records": [
            _record(record, findings=access.sees_findings)
            for record in selectors.record_list_for(access=access)
        ],
        "report": {
            "recommendation": report.recommendation,
            "summary": report.summary,
            "submitted_by": person_name(report.submitted_by),
            "submitted_at": report.submitted_at,
        }
        if report
        else None,
        "decisions": [
            {
                "outcome": d.outcome,
                "reasons": d.reasons,
                "decided_by": person_name(d.decided_by),
                "decided_at": d.decided_at,
            }
            for d in assessment.panel_decisions.select_related("decided_by")
        ]
        if access.sees_findings
        else [],
        "conditions": [
            {
                "id": c.pk,
                "version": c.version,
                "description": c.description,
                "due_on": c.due_on,
                "status": c.status,
                "closing_evidence": c.closing_evidence,
            }
            for c in selectors.conditions_of(assessment=assessment)
        ],
    }


def detail_response(
    request: Request, assessment_id: int, code: int = status.HTTP_200_OK
) -> Response:
    access = selectors.assessment_get_for_user(user=request.user, assessment_id=assessment_id)
    return Response(AssessmentDetailSerializer(detail_of(access)).data, status=code)


# What is received


class AssessmentVersionInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="The version as last read: a stale one is refused (409)"
    )


class ApplicationInputSerializer(serializers.Serializer[Any]):
    service = serializers.IntegerField(help_text="A service you manage")
    scope = serializers.ListField(
        child=serializers.ChoiceField(choices=InterventionType.choices), allow_empty=True
    )


class ParticipantInputSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField()
    part = serializers.ChoiceField(choices=Part.choices)


class DeclarationInputSerializer(serializers.Serializer[Any]):
    no_conflict = serializers.BooleanField()
    details = serializers.CharField(required=False, default="", allow_blank=True)


class NarrativeInputSerializer(AssessmentVersionInputSerializer):
    narrative = serializers.CharField(allow_blank=True, trim_whitespace=False)


class CitationInputSerializer(AssessmentVersionInputSerializer):
    document = serializers.IntegerField()
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
    conditions = ConditionInputSerializer(many=True, required=False, default=list)


class ConditionMetInputSerializer(AssessmentVersionInputSerializer):
    evidence = serializers.CharField(allow_blank=True)


# Routes


class AssuranceApi(APIView):
    permission_classes = [RulePermission]
    required_permission = VIEW_ASSESSMENTS

    def access(
        self, request: Request, assessment_id: int, permission: str = ""
    ) -> AssessmentAccess:
        """404 for an assessment the person cannot open; 403 if they may not do this with it."""
        access = selectors.assessment_get_for_user(user=request.user, assessment_id=assessment_id)
        if permission and not request.user.has_perm(permission, access.assessment):
            raise PermissionDenied("You may not do this in this assessment.")
        return access


class AssessmentListApi(AssuranceApi):
    @property
    def required_permission(self) -> str:  # type: ignore[override]
        return APPLY_FOR_ACCREDITATION if self.request.method == "POST" else VIEW_ASSESSMENTS

    @extend_schema(responses={200: AssessmentSummarySerializer(many=True), 403: NOT_ALLOWED})
    def get(self, request: Request) -> Response:
        """The assessments you may open: of services you manage, those you take part in (once
        declared), or all of them for a lead assessor."""
        assessments = selectors.assessment_list_for_user(user=request.user)
        return Response(
            AssessmentSummarySerializer([summary_of(a) for a in assessments], many=True).data
        )

    @extend_schema(
        summary="Apply for Respect accreditation (rule respect-accreditation)",
        request=ApplicationInputSerializer,
        responses={201: AssessmentDetailSerializer, 400: REFUSED, 403: NOT_ALLOWED},
    )
    def post(self, request: Request) -> Response:
        user = signed_in(request)
        serializer = ApplicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = (
            managed_services(user=user).filter(pk=serializer.validated_data["service"]).first()
        )
        if service is None:
            return Response(
                {"service": ["You are not a service manager of that service."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        assessment = application.respect_accreditation_apply(
            service=service,
            actor=user,
            scope=serializer.validated_data["scope"],
            previous=selectors.latest_accreditation_of(service=service),
        )
        return detail_response(request, assessment.pk, status.HTTP_201_CREATED)


class AssessmentDetailApi(AssuranceApi):
    @extend_schema(
        responses={200: AssessmentDetailSerializer, 403: NOT_ALLOWED, 404: ASSESSMENT_NOT_FOUND}
    )
    def get(self, request: Request, assessment_id: int) -> Response:
        """One assessment: its people, records and, where you may see them, the findings."""
        access = self.access(request, assessment_id)
        if access.sees_evidence:
            audit_event_record(
                actor=request.user,
                action="viewed",
                target=access.assessment,
                summary="viewed through the API",
            )
        return Response(AssessmentDetailSerializer(detail_of(access)).data)


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


class RegisterEntrySerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    service = serializers.CharField()
    scope = serializers.ListField(child=serializers.CharField())
    accredited_on = serializers.DateField()
    expires_on = serializers.DateField()


class RegisterApi(APIView):
    """The public register of Respect-accredited services: no sign-in."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(auth=[], responses={200: RegisterEntrySerializer(many=True)})
    def get(self, request: Request) -> Response:
        entries = selectors.public_register(today=timezone.localdate())
        return Response(RegisterEntrySerializer(entries, many=True).data)


_RECORD = "assessments/<int:assessment_id>/records/<int:record_id>"
urlpatterns = [
    path("register/", RegisterApi.as_view(), name="assurance-register"),
    path("assessments/", AssessmentListApi.as_view(), name="assurance-assessments"),
    path(
        "assessments/<int:assessment_id>/",
        AssessmentDetailApi.as_view(),
        name="assurance-assessment",
    ),
    path(
        "assessments/<int:assessment_id>/participants/",
        ParticipantApi.as_view(),
        name="assurance-participants",
    ),
    path(
        "declarations/<int:participant_id>/",
        DeclarationApi.as_view(),
        name="assurance-declaration",
    ),
    path(
        "assessments/<int:assessment_id>/documents/",
        DocumentListApi.as_view(),
        name="assurance-documents",
    ),
    path("assessments/<int:assessment_id>/submit/", SubmitApi.as_view(), name="assurance-submit"),
    path(
        "assessments/<int:assessment_id>/desktop-assessment/",
        DesktopAssessmentApi.as_view(),
        name="assurance-desktop-assessment",
    ),
    path(
        "assessments/<int:assessment_id>/site-visit/",
        SiteVisitApi.as_view(),
        name="assurance-site-visit",
    ),
    path(f"{_RECORD}/narrative/", NarrativeApi.as_view(), name="assurance-narrative"),
    path(f"{_RECORD}/citations/", CitationApi.as_view(), name="assurance-citations"),
    path(f"{_RECORD}/methods/", MethodJudgementApi.as_view(), name="assurance-methods"),
    path(f"{_RECORD}/judgement/", RecordJudgementApi.as_view(), name="assurance-judgement"),
    path("assessments/<int:assessment_id>/report/", ReportApi.as_view(), name="assurance-report"),
    path(
        "assessments/<int:assessment_id>/verification/",
        VerificationApi.as_view(),
        name="assurance-verification",
    ),
    path("assessments/<int:assessment_id>/refer/", ReferApi.as_view(), name="assurance-refer"),
    path(
        "assessments/<int:assessment_id>/decision/",
        DecisionApi.as_view(),
        name="assurance-decision",
    ),
    path(
        "assessments/<int:assessment_id>/conditions/<int:action_id>/meet/",
        ConditionMetApi.as_view(),
        name="assurance-condition-meet",
    ),
]
