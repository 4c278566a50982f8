"""The DASH risk checklist, the incidents against her and her MARAC referrals, through the API
(rule dash)."""

from typing import Any

from django.contrib.auth.models import User
from rest_framework import serializers

from tandem.api import bounded_map
from tandem.api_schema import NOT_BLANK
from tandem.support.apis.iss_cases import (
    IssCaseActionApi,
    IssCaseVersionInputSerializer,
    action_schema,
)
from tandem.support.gates import DASH_INSTRUMENT_ID
from tandem.support.instruments import instrument_get
from tandem.support.models import IssCase
from tandem.support.services import dash


class DashInputSerializer(IssCaseVersionInputSerializer):
    answers = bounded_map(
        serializers.CharField(),
        at_most=100,
        too_many="Answer each question of the checklist once: at most 100 answers",
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
    summary = serializers.CharField(allow_blank=True, style=NOT_BLANK)


class MaracReferralInputSerializer(IssCaseVersionInputSerializer):
    referred_on = serializers.DateField()


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
