"""The administrator's user list through the API, under /api/v1/users/: the same selectors,
rules and services as the pages."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.access.permissions import RulePermission
from tandem.accounts import selectors
from tandem.accounts.rules import DEACTIVATE_USER, VIEW_USERS
from tandem.accounts.services import REASON_MAX_LENGTH, user_deactivate
from tandem.api import NOT_ALLOWED, REFUSED, not_found, signed_in
from tandem.lib.people import person_name


class UserSerializer(serializers.ModelSerializer[User]):
    name = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    two_factor_enrolled = serializers.BooleanField(source="enrolled")
    last_sign_in = serializers.DateTimeField(source="last_login", allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "email",
            "roles",
            "services",
            "last_sign_in",
            "two_factor_enrolled",
            "is_active",
        ]

    def get_name(self, user: User) -> str:
        return person_name(user)

    def get_roles(self, user: User) -> list[str]:
        return sorted(group.name for group in user.groups.all())

    def get_services(self, user: User) -> list[str]:
        return [membership.service.name for membership in user.current_memberships]  # type: ignore[attr-defined]


class DeactivationSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


@extend_schema(
    summary="Every account, for administrators",
    parameters=[OpenApiParameter("q", str, description="Part of a username, name or email")],
    responses={200: UserSerializer(many=True), 403: NOT_ALLOWED},
)
class UserListApi(ListAPIView[User]):
    serializer_class = UserSerializer
    permission_classes = [RulePermission]
    required_permission = VIEW_USERS

    def get_queryset(self) -> QuerySet[User]:
        return selectors.users_for_administrator(search=self.request.query_params.get("q", ""))


class UserDeactivateApi(APIView):
    permission_classes = [RulePermission]
    required_permission = DEACTIVATE_USER

    @extend_schema(
        summary="Deactivate a leaver's account: no sign-in from now, every session ended",
        request=DeactivationSerializer,
        responses={
            200: UserSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: not_found("No such account"),
        },
    )
    def post(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(selectors.users_for_administrator(), pk=user_id)
        serializer = DeactivationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_deactivate(
            actor=signed_in(request), user=user, reason=serializer.validated_data["reason"]
        )
        return Response(UserSerializer(selectors.users_for_administrator().get(pk=user.pk)).data)


urlpatterns = [
    path("users/", UserListApi.as_view(), name="user-list"),
    path("users/<int:user_id>/deactivate/", UserDeactivateApi.as_view(), name="user-deactivate"),
]
