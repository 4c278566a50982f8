"""What the Respect accreditation routes show, and their base: the list, one assessment as this
person may see it, and the public register of accredited services."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, REFUSED, bounded_list, not_found, signed_in
from tandem.api_schema import record_id
from tandem.assurance.models import (
    Assessment,
    DecisionOutcome,
    Judgement,
    Part,
    Recommendation,
    RequirementRecord,
)
from tandem.assurance.respect import gates, selectors
from tandem.assurance.respect.rules import (
    APPLY_FOR_ACCREDITATION,
    VIEW_ASSESSMENTS,
)
from tandem.assurance.respect.selectors import AssessmentAccess
from tandem.assurance.respect.services import application
from tandem.assurance.selectors import managed_services
from tandem.audit.services import audit_event_record
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


class ApplicationInputSerializer(serializers.Serializer[Any]):
    service = record_id(help_text="A service you manage")
    scope = bounded_list(
        serializers.ChoiceField(choices=InterventionType.choices),
        at_most=len(InterventionType.choices),
        too_many="Name each intervention type at most once",
        allow_empty=True,
    )


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
