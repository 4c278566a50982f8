"""Whether a session has passed its second factor, and which pages may be opened before it.

Kept apart from the middleware that enforces it (`tandem.middleware`) so that the API's
authentication (`tandem.accounts.authentication`) can ask it without importing DRF's views.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])

# Set at sign-in for a demo account while DEBUG is on (`make run`), so the demo stays usable
# without an authenticator app; honoured only while DEBUG is on.
TWO_FACTOR_WAIVED_SESSION_KEY = "tandem_two_factor_waived"


def two_factor_not_required(view: ViewFunc) -> ViewFunc:
    """Marks a page a signed-in person may open before their second factor: the two-factor
    pages themselves and signing out."""
    view.two_factor_required = False  # type: ignore[attr-defined]
    return view


def two_factor_verified(request: HttpRequest) -> bool:
    """Whether this session's person has passed both factors (django-otp's OTPMiddleware), or
    is a demo account under DEBUG."""
    is_verified = getattr(request.user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return True
    return settings.DEBUG and bool(request.session.get(TWO_FACTOR_WAIVED_SESSION_KEY))
