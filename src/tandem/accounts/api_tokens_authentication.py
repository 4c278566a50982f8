"""How an API client proves who it is: an API token (django-rest-knox), or a signed-in session.

No password is checked on the API: HTTP Basic authentication cost 0.3 s of password hashing for
every request, however anonymous, and sent the password itself with each one.

A refused token counts as a failed sign-in from the client's address (django-axes, see
`sign_in_lockout`): too many, and that address is locked out of the API and the sign-in page
alike, answered 429 with the wait, without the token being looked at.
"""

import math
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header
from rest_framework.request import Request

from tandem.accounts.demo_accounts import is_demo_account
from tandem.accounts.sign_in_lockout import ALREADY_LOCKED_OUT, lockout_message, wait

INVALID_TOKEN = "Invalid token."  # noqa: S105 (a message, not a secret)
# What axes is told of a token try: no account, so it is counted by address alone.
TOKEN_CREDENTIALS: dict[str, Any] = {"username": None}


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`; knox refuses a token that is wrong, expired or revoked, or
    whose owner's account is deactivated. A token that is not text is refused too (knox alone
    would fail on it with a 500)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.authenticate_header(request).lower().encode():
            return None
        http_request = request._request
        try:
            if not AxesProxyHandler.is_allowed(http_request, TOKEN_CREDENTIALS):
                setattr(http_request, ALREADY_LOCKED_OUT, True)
                raise exceptions.AuthenticationFailed(INVALID_TOKEN)
            result: tuple[Any, Any] = super().authenticate(request)
            return result
        except exceptions.AuthenticationFailed:
            user_login_failed.send(
                sender=type(self), credentials=TOKEN_CREDENTIALS, request=http_request
            )
            if getattr(http_request, "axes_locked_out", False):
                raise exceptions.Throttled(
                    wait=math.ceil(wait(http_request).total_seconds()),
                    detail=lockout_message(http_request),
                ) from None
            raise

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN) from None
        user, auth_token = super().authenticate_credentials(token)
        # The same refusal as the password's (tandem.accounts.backends): a demo account's token
        # works only while DEBUG is on.
        if is_demo_account(user) and not settings.DEBUG:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        return user, auth_token


class ApiTokenScheme(KnoxTokenScheme):
    """Describes the scheme in the OpenAPI schema (drf-spectacular finds it by its class)."""

    target_class = "tandem.accounts.api_tokens_authentication.ApiTokenAuthentication"
    name = "apiToken"
