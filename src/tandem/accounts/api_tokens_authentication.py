"""How an API client proves who it is: an API token (django-rest-knox), or a signed-in session.

No password is checked on the API: HTTP Basic authentication cost 0.3 s of password hashing for
every request, however anonymous, and sent the password itself with each one.
"""

from typing import Any

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from rest_framework import exceptions

INVALID_TOKEN = "Invalid token."


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`; knox refuses a token that is wrong, expired or revoked, or
    whose owner's account is deactivated. A token that is not text is refused too (knox alone
    would fail on it with a 500)."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN) from None
        user, auth_token = super().authenticate_credentials(token)
        return user, auth_token


class ApiTokenScheme(KnoxTokenScheme):
    """Describes the scheme in the OpenAPI schema (drf-spectacular finds it by its class)."""

    target_class = "tandem.accounts.api_tokens_authentication.ApiTokenAuthentication"
    name = "apiToken"
