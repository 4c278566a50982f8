"""Shared risk notes through the API (rule survivor-confidentiality): written by the ISS side for
one of her perpetrators' cases, and approved by the managers who must agree before it is released
to the perpetrator side without its source."""

from typing import Any, Literal

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import NOT_ALLOWED, REFUSED, not_found, signed_in
from tandem.audit.services import audit_records_read
from tandem.support import selectors
from tandem.support.apis.iss_cases import IssCaseActionApi, action_schema, case_of_her_service
from tandem.support.models import IssCase, SharedRiskNote
from tandem.support.rules import APPROVE_SHARED_RISK_NOTES
from tandem.support.services import risk_notes

NOTE_NOT_FOUND = not_found("No such risk note awaiting your approval")


class SharedRiskNoteInputSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(help_text="The reference of one of her perpetrators' cases")
    # A blank note reaches the service, which refuses it naming the field.
    note = serializers.CharField(allow_blank=True)


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
            perpetrator_case=case_of_her_service(
                iss_case=iss_case, actor=actor, reference=data["case"]
            ),
            actor=actor,
            note=data["note"],
        )

    def field_names(self, data: dict[str, Any]) -> dict[str, str]:
        return {"perpetrator_case": "case"}


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
        audit_records_read(
            actor=request.user,
            model=SharedRiskNote,
            ids=[item.note.pk for item in awaiting],
            summary="risk notes awaiting approval through the API",
        )
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
        note = risk_notes.shared_risk_note_approve(note=item.note, actor=user)
        return Response(RiskNoteStatusSerializer(note).data)
