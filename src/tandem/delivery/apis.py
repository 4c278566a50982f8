"""Groups, sessions and attendance through the API, under /api/v1/delivery/: the same selectors,
rules and services as the pages. A record outside someone's services is 404; ISS workers and
everyone off the perpetrator side are refused (403). A rule's refusal is 400 with the field and
the rule (with the standards' warnings, `warnings` lists them and `exception_reason` is asked
for); a write based on a stale read is 409."""

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.api import (
    NOT_ALLOWED,
    STALE,
    LimitOffsetWithCeiling,
    bounded_list,
    not_found,
    signed_in,
)
from tandem.api_schema import stored_integer
from tandem.audit.reads import AuditedListApi
from tandem.audit.services import audit_event_record
from tandem.delivery import selectors, services
from tandem.delivery.models import (
    Attendance,
    AttendanceStatus,
    DeliverySession,
    Group,
    GroupParticipant,
)
from tandem.delivery.rules import RECORD_DELIVERY, VIEW_DELIVERY
from tandem.lib.people import person_name

NOT_FOUND = not_found("No such record among the services you work in")
# The shared 400, and the standards' delivery warnings a write may meet (`WarningsNeedReason`).
REFUSED_OR_WARNED = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input, or refused by the standards: `{field: [message]}` with `rule`; "
    "with the standards' delivery warnings, `warnings` lists them and a reason is asked for in "
    "`exception_reason`",
)


class GroupParticipantSerializer(serializers.ModelSerializer[GroupParticipant]):
    case = serializers.CharField(source="case.reference")

    class Meta:
        model = GroupParticipant
        fields = ["id", "case", "joined_on", "left_on", "leaving_reason"]


class GroupSerializer(serializers.ModelSerializer[Group]):
    service = serializers.CharField(source="service.name")
    programme = serializers.CharField(source="programme.name")
    facilitators = serializers.SerializerMethodField()
    participants = GroupParticipantSerializer(many=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "version",
            "name",
            "service",
            "programme",
            "format",
            "starts_on",
            "facilitators",
            "participants",
        ]

    def get_facilitators(self, group: Group) -> list[str]:
        return [person_name(person) for person in group.facilitators.all()]


class SessionSerializer(serializers.ModelSerializer[DeliverySession]):
    service = serializers.CharField(source="service.name")
    group = serializers.IntegerField(source="group_id", allow_null=True)
    case = serializers.CharField(source="case.reference", allow_null=True, default=None)
    module = serializers.SerializerMethodField()
    facilitators = serializers.SerializerMethodField()

    class Meta:
        model = DeliverySession
        fields = [
            "id",
            "version",
            "service",
            "session_type",
            "group",
            "case",
            "module",
            "held_on",
            "starts_at",
            "ends_at",
            "planning_minutes",
            "debrief_minutes",
            "facilitators",
            "notes",
            "attendance_recorded_at",
        ]

    def get_module(self, session: DeliverySession) -> str | None:
        return str(session.programme_session) if session.programme_session else None

    def get_facilitators(self, session: DeliverySession) -> list[str]:
        return [person_name(person) for person in session.facilitators.all()]


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    case = serializers.CharField(source="case.reference")
    engagement_change_recorded = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ["case", "status", "minutes_attended", "engagement_change_recorded", "recorded_at"]

    def get_engagement_change_recorded(self, mark: Attendance) -> bool:
        return mark.engagement_change_id is not None


class AttendanceEntryInputSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(help_text="His case reference")
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    minutes_attended = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=1440
    )


class AttendanceInputSerializer(serializers.Serializer[Any]):
    version = stored_integer(min_value=1, help_text="The session's version as read")
    attendance = bounded_list(
        AttendanceEntryInputSerializer(),
        at_most=100,
        too_many="A session's attendance can name at most 100 participants",
    )
    exception_reason = serializers.CharField(required=False, allow_blank=True, default="")


class LeaveInputSerializer(serializers.Serializer[Any]):
    version = stored_integer(min_value=1, help_text="The group's version as read")
    left_on = serializers.DateField(help_text="His last day in the group")
    reason = serializers.CharField(
        allow_blank=True, help_text="Why he left: completed, suspended, removed, dropped out"
    )


@extend_schema(summary="Groups of your services", responses={403: NOT_ALLOWED})
class GroupListApi(AuditedListApi[Group]):
    """Each page read is recorded: the groups name their participants."""

    permission_classes = [RulePermission]
    required_permission = VIEW_DELIVERY
    serializer_class = GroupSerializer
    pagination_class = LimitOffsetWithCeiling
    audit_summary = "groups and their participants listed through the API"

    def get_queryset(self) -> QuerySet[Group]:
        return (
            selectors.group_list_for_user(user=self.request.user)
            .prefetch_related("participants__case")
            .order_by("pk")
        )


@extend_schema(
    summary="A group with its participants", responses={403: NOT_ALLOWED, 404: NOT_FOUND}
)
class GroupDetailApi(RetrieveAPIView[Group]):
    permission_classes = [RulePermission]
    required_permission = VIEW_DELIVERY
    serializer_class = GroupSerializer

    def get_object(self) -> Group:
        return selectors.group_get_for_user(
            user=self.request.user, group_id=self.kwargs["group_id"]
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group = self.get_object()
        audit_event_record(
            actor=request.user,
            action="viewed",
            target=group,
            summary="group and its participants through the API",
        )
        return Response(self.get_serializer(group).data)


@extend_schema(
    summary="Sessions of your services, latest first",
    parameters=[OpenApiParameter("group", int, description="Only this group's sessions")],
    responses={403: NOT_ALLOWED},
)
class SessionListApi(ListAPIView[DeliverySession]):
    permission_classes = [RulePermission]
    required_permission = VIEW_DELIVERY
    serializer_class = SessionSerializer
    pagination_class = LimitOffsetWithCeiling

    def get_queryset(self) -> QuerySet[DeliverySession]:
        sessions = selectors.session_list_for_user(user=self.request.user).order_by(
            "-held_on", "-starts_at", "-pk"
        )
        group = self.request.query_params.get("group", "")
        if group:
            if not group.isdigit():
                return sessions.none()
            sessions = sessions.filter(group_id=int(group))
        return sessions


@extend_schema(summary="A session", responses={403: NOT_ALLOWED, 404: NOT_FOUND})
class SessionDetailApi(RetrieveAPIView[DeliverySession]):
    permission_classes = [RulePermission]
    required_permission = VIEW_DELIVERY
    serializer_class = SessionSerializer

    def get_object(self) -> DeliverySession:
        return selectors.session_get_for_user(
            user=self.request.user, session_id=self.kwargs["session_id"]
        )


class SessionAttendanceApi(APIView):
    permission_classes = [RulePermission]
    required_permission = VIEW_DELIVERY
    # Set for each request to its participants (tandem.api's refusal handler reads it).
    refusal_field_names: dict[str, str] = {}

    def _session(self) -> DeliverySession:
        return selectors.session_get_for_user(
            user=self.request.user, session_id=self.kwargs["session_id"]
        )

    @extend_schema(
        summary="The session's attendance",
        responses={200: AttendanceSerializer(many=True), 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    def get(self, request: Request, session_id: int) -> Response:
        session = self._session()
        audit_event_record(
            actor=request.user,
            action="viewed",
            target=session,
            summary="attendance through the API",
        )
        marks = selectors.attendance_of(session=session)
        return Response(AttendanceSerializer(marks, many=True).data)

    @extend_schema(
        summary="Record every participant's attendance (an absence or exclusion is a missed "
        "session for his case: rule engagement-change; fewer than 6 or more than 12 present "
        "needs a reason: rule group-size)",
        request=AttendanceInputSerializer,
        responses={
            200: AttendanceSerializer(many=True),
            400: REFUSED_OR_WARNED,
            403: NOT_ALLOWED,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = self._session()
        actor = signed_in(request)
        if not actor.has_perm(RECORD_DELIVERY, session.service):
            raise PermissionDenied(
                "Only the perpetrator side of the session's service can do this."
            )
        serializer = AttendanceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        by_reference = {
            case.reference: case for case in selectors.session_participants(session=session)
        }
        entries = []
        for entry in data["attendance"]:
            case = by_reference.get(entry["case"])
            if case is None:
                return Response(
                    {"attendance": [f"{entry['case']} is not a participant of the session"]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            entries.append(
                services.AttendanceEntry(
                    case_id=case.pk,
                    status=entry["status"],
                    minutes_attended=entry.get("minutes_attended"),
                )
            )
        # The services name a row's field by case id; the API by the case reference.
        self.refusal_field_names = {
            f"{field}_{case.pk}": f"attendance.{reference}.{field}"
            for reference, case in by_reference.items()
            for field in ("status", "minutes")
        }
        services.attendance_record(
            session=session,
            actor=actor,
            expected_version=data["version"],
            entries=entries,
            exception_reason=data["exception_reason"],
        )
        return Response(
            AttendanceSerializer(selectors.attendance_of(session=session), many=True).data
        )


class ParticipantLeaveApi(APIView):
    permission_classes = [RulePermission]
    required_permission = VIEW_DELIVERY

    @extend_schema(
        summary="Record that he left the group (sessions after that day are not his, and he no "
        "longer counts towards its size: rule group-size)",
        request=LeaveInputSerializer,
        responses={
            200: GroupParticipantSerializer,
            400: REFUSED_OR_WARNED,
            403: NOT_ALLOWED,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, group_id: int, participant_id: int) -> Response:
        group = selectors.group_get_for_user(user=request.user, group_id=group_id)
        place = selectors.group_participant_get(group=group, participant_id=participant_id)
        actor = signed_in(request)
        if not actor.has_perm(RECORD_DELIVERY, group.service):
            raise PermissionDenied("Only the perpetrator side of the group's service can do this.")
        serializer = LeaveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        place = services.group_participant_leave(
            participant=place,
            actor=actor,
            expected_version=data["version"],
            left_on=data["left_on"],
            reason=data["reason"],
        )
        return Response(GroupParticipantSerializer(place).data)


urlpatterns = [
    path("delivery/groups/", GroupListApi.as_view(), name="delivery-groups"),
    path("delivery/groups/<int:group_id>/", GroupDetailApi.as_view(), name="delivery-group"),
    path(
        "delivery/groups/<int:group_id>/participants/<int:participant_id>/leave/",
        ParticipantLeaveApi.as_view(),
        name="delivery-participant-leave",
    ),
    path("delivery/sessions/", SessionListApi.as_view(), name="delivery-sessions"),
    path(
        "delivery/sessions/<int:session_id>/", SessionDetailApi.as_view(), name="delivery-session"
    ),
    path(
        "delivery/sessions/<int:session_id>/attendance/",
        SessionAttendanceApi.as_view(),
        name="delivery-session-attendance",
    ),
]
