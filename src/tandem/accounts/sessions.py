"""How long a session lasts: it ends after TANDEM_SESSION_IDLE_MINUTES without a request and
TANDEM_SESSION_MAX_HOURS after sign-in however busy (`SessionLifetimeMiddleware`).

The last request's time is written to the session at most once a minute (`ACTIVITY_PRECISION`),
not on every request: the idle limit is kept to the minute, and most requests write nothing.
Django's own session expiry (SESSION_COOKIE_AGE, the idle limit) runs from that same write, so
the database lets an idle session go at the same moment.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from tandem.accounts.services import session_record

SIGNED_IN_AT_SESSION_KEY = "tandem_signed_in_at"
LAST_SEEN_SESSION_KEY = "tandem_last_seen"
ACTIVITY_PRECISION = timedelta(minutes=1)


def on_sign_in(sender: type[User], request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Every sign-in (the form, or a test's force_login): stamp the session and record it."""
    now = timezone.now()
    request.session[SIGNED_IN_AT_SESSION_KEY] = now.isoformat()
    request.session[LAST_SEEN_SESSION_KEY] = now.isoformat()
    if request.session.session_key:
        session_record(user=user, session_key=request.session.session_key, signed_in_at=now)


class SessionLifetimeMiddleware:
    """Ends a session idle for TANDEM_SESSION_IDLE_MINUTES, or TANDEM_SESSION_MAX_HOURS after
    sign-in (or carrying no sign-in time: one from before these rules), before anything else
    reads who is signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            self._end_or_extend(request)
        return self.get_response(request)

    @staticmethod
    def _end_or_extend(request: HttpRequest) -> None:
        now = timezone.now()
        signed_in_at = _stamp(request, SIGNED_IN_AT_SESSION_KEY)
        last_seen = _stamp(request, LAST_SEEN_SESSION_KEY)
        if (
            signed_in_at is None
            or last_seen is None
            or now - signed_in_at >= timedelta(hours=settings.TANDEM_SESSION_MAX_HOURS)
            or now - last_seen >= timedelta(minutes=settings.TANDEM_SESSION_IDLE_MINUTES)
        ):
            logout(request)
        elif now - last_seen >= ACTIVITY_PRECISION:
            request.session[LAST_SEEN_SESSION_KEY] = now.isoformat()


def _stamp(request: HttpRequest, key: str) -> datetime | None:
    value = request.session.get(key)
    return datetime.fromisoformat(value) if value else None
