"""API tokens through the API, under /api/v1/api-tokens/: for a person signed in with a session.

A token cannot make or revoke tokens: whoever holds a stolen token could otherwise make
themselves more, outliving the revocation of the first.
"""

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.accounts.api_tokens_selectors import api_tokens_for_user
from tandem.accounts.api_tokens_services import (
    api_token_create,
    api_token_revoke,
    api_token_revoke_all,
)
from tandem.api import REFUSED, signed_in

SESSION_ONLY = OpenApiResponse(
    description="Not signed in with a session (a token cannot make or revoke tokens)"
)
NO_SUCH_TOKEN = OpenApiResponse(description="No live API token of yours starts with this key")


class SignedInWithSession(BasePermission):
    """A person signed in through the sign-in page, not a client holding an API token."""

    message = "API tokens are made and revoked when signed in with a session, not with a token."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.auth is None)


class ApiTokenSerializer(serializers.ModelSerializer[AuthToken]):
    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry"]
        read_only_fields = fields


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.SerializerMethodField(help_text="The token itself: shown only this once")

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
        read_only_fields = fields

    def get_token(self, token: AuthToken) -> str:
        return str(self.context["text"])


class ApiTokenListApi(APIView):
    """Your live API tokens (newest first); make a new one; revoke them all."""

    permission_classes = [IsAuthenticated, SignedInWithSession]

    @extend_schema(
        summary="List your API tokens",
        responses={200: ApiTokenSerializer(many=True), 403: SESSION_ONLY},
    )
    def get(self, request: Request) -> Response:
        tokens = api_tokens_for_user(user=signed_in(request))
        return Response(ApiTokenSerializer(tokens, many=True).data)

    @extend_schema(
        summary="Make an API token (its text is in this answer only)",
        request=None,
        responses={201: NewApiTokenSerializer, 400: REFUSED, 403: SESSION_ONLY},
    )
    def post(self, request: Request) -> Response:
        token, text = api_token_create(user=signed_in(request))
        data = NewApiTokenSerializer(token, context={"text": text}).data
        response = Response(data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="Revoke all your API tokens",
        operation_id="v1_api_tokens_revoke_all",
        responses={
            200: inline_serializer("RevokedTokens", {"revoked": serializers.IntegerField()}),
            403: SESSION_ONLY,
        },
    )
    def delete(self, request: Request) -> Response:
        return Response({"revoked": api_token_revoke_all(user=signed_in(request))})


class ApiTokenDetailApi(APIView):
    permission_classes = [IsAuthenticated, SignedInWithSession]

    @extend_schema(
        summary="Revoke one of your API tokens",
        operation_id="v1_api_tokens_revoke",
        responses={204: None, 403: SESSION_ONLY, 404: NO_SUCH_TOKEN},
    )
    def delete(self, request: Request, token_key: str, **kwargs: Any) -> Response:
        api_token_revoke(user=signed_in(request), token_key=token_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("api-tokens/", ApiTokenListApi.as_view(), name="api-tokens"),
    path("api-tokens/<str:token_key>/", ApiTokenDetailApi.as_view(), name="api-token"),
]
