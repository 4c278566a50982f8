"""A case's transitions through the API: screening, assessment, consent, the start of the
intervention, closing, and allocating his worker."""

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework import serializers

from tandem.api_schema import record_id
from tandem.cases.apis.case import (
    CaseActionApi,
    CaseVersionInputSerializer,
    action_schema,
    staff_by_id,
)
from tandem.cases.models import ClosureReason, CriminalJustice, FamilyProceedings, PerpetratorCase
from tandem.cases.services import lifecycle
from tandem.standards.models import InterventionType


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


class CaseAllocationInputSerializer(CaseVersionInputSerializer):
    worker = record_id(help_text="The id of a perpetrator worker of the service")


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
