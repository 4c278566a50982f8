"""The API's session authentication: a session counts only once it has passed both factors."""

from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from tandem.lib.two_factor import two_factor_verified

SECOND_FACTOR_NEEDED = (
    "This session has not passed two-factor authentication: finish signing in with your "
    "authenticator app or a recovery code first."
)


class VerifiedSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, None] | None:
        signed_in = super().authenticate(request)
        if signed_in is not None and not two_factor_verified(request._request):
            raise NotAuthenticated(SECOND_FACTOR_NEEDED)
        return signed_in


class VerifiedSessionScheme(SessionScheme):
    """The API schema's description of it: the session cookie, as for Django's sessions."""

    target_class = "tandem.accounts.authentication.VerifiedSessionAuthentication"
