"""Initial contact with her, her ISS worker and closing her ISS case, through the API (rules
iss-handover, iss-contact, iss-before-start, separate-workers, not-same-staff, iss-duration)."""

from typing import Any

from django.contrib.auth.models import User
from rest_framework import serializers

from tandem.api_schema import NOT_BLANK, BoundedPrimaryKeyRelatedField, record_id, recorded_moment
from tandem.lib.errors import ActionRefused
from tandem.support import selectors
from tandem.support.apis.iss_cases import (
    IssCaseActionApi,
    IssCaseVersionInputSerializer,
    action_schema,
)
from tandem.support.models import AttemptOutcome, ContactMethod, IssCase, SurvivorAddress
from tandem.support.services import contact, iss_cases


class ContactAttemptInputSerializer(IssCaseVersionInputSerializer):
    attempted_at = recorded_moment()
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
    destination_address = record_id(
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
    reason = serializers.CharField(allow_blank=True, style=NOT_BLANK)


class AllocationInputSerializer(IssCaseVersionInputSerializer):
    worker = BoundedPrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="The ISS worker's user id: an ISS worker of this service",
    )


class CloseInputSerializer(IssCaseVersionInputSerializer):
    reason = serializers.CharField(allow_blank=True, style=NOT_BLANK)
    early_closure_reason = serializers.CharField(required=False, default="", allow_blank=True)


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
