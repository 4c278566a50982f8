"""Throttling and lockout of sign-ins, with growing waits (django-axes; the callables its settings
name are here).

- What counts: each failed sign-in on the sign-in page, and each refused API token (by address
  only: a token names no account).
- What locks: `AXES_FAILURE_LIMIT` failures for one account (from any address), or from one
  address (for any accounts), within the current wait. A locked sign-in checks no password, and
  each try while locked counts as another failure, so the lock lasts the wait after the last.
- Growing waits: `TANDEM_SIGN_IN_WAIT_MINUTES` after the first lockout of the past day, doubled
  for each further one (counted from axes' failure log), up to `TANDEM_SIGN_IN_WAIT_MAX_MINUTES`.
- The address is the one the audit trail records: `TANDEM_TRUSTED_PROXY_COUNT` decides how far
  X-Forwarded-For is believed, so a client cannot spread its tries over invented addresses.
"""

import math
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.audit.middleware import client_ip
from tandem.lib.errors import ActionRefused
from tandem.web import refusal_summary

# Lockouts are counted over this long when the next wait is worked out.
LOCKOUT_MEMORY = timedelta(days=1)
SIGN_IN_TEMPLATE = "registration/login.html"
# Set on a request refused because its account or address was locked out before it came, so the
# audit trail records the lockout once, when it begins (`sign_in_audit`).
ALREADY_LOCKED_OUT = "tandem_already_locked_out"


def client_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client's address as the audit trail has it."""
    return client_ip(request)


def lockout_parameters(
    request_or_attempt: HttpRequest | AccessAttempt, credentials: dict[str, Any] | None = None
) -> list[str]:
    """AXES_LOCKOUT_PARAMETERS: per account and, apart, per address; per address alone when no
    account is named (an API token), or every such try would share one count."""
    if isinstance(request_or_attempt, AccessAttempt):
        username = request_or_attempt.username
    else:
        username = get_client_username(request_or_attempt, credentials)
    return ["username", "ip_address"] if username else ["ip_address"]


def _failures_remembered(request: HttpRequest) -> int:
    """Failures in the past day for the account this request names, or from its address,
    whichever are more."""
    failures = AccessFailureLog.objects.filter(attempt_time__gte=timezone.now() - LOCKOUT_MEMORY)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    by_address = failures.filter(ip_address=address).count()
    username = get_client_username(request)
    by_account = failures.filter(username=username).count() if username else 0
    return max(by_address, by_account)


def wait(request: HttpRequest | None) -> timedelta:
    """AXES_COOLOFF_TIME: how long a lockout lasts after the last failure, doubling with each
    lockout of the past day (the failure that locks counts towards the wait it announces)."""
    first = timedelta(minutes=settings.TANDEM_SIGN_IN_WAIT_MINUTES)
    if request is None:
        return first
    lockouts = _failures_remembered(request) // settings.AXES_FAILURE_LIMIT
    longest = timedelta(minutes=settings.TANDEM_SIGN_IN_WAIT_MAX_MINUTES)
    # The exponent is capped too: a day of hammering must not overflow the multiplication.
    return min(first * 2 ** min(max(lockouts - 1, 0), 32), longest)


def lockout_message(request: HttpRequest) -> str:
    minutes = math.ceil(wait(request).total_seconds() / 60)
    return (
        "Too many failed sign-ins for this account or from this address. Wait "
        f"{minutes} minute{'s' if minutes != 1 else ''} before you try again: each lockout "
        "makes the wait longer. If you have forgotten your password, ask your administrator."
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 Too Many Requests, saying how long to wait: as JSON on the
    API, as the sign-in page with the message in its error summary elsewhere."""
    message = lockout_message(request)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request,
            SIGN_IN_TEMPLATE,
            {"form": refusal_summary(ActionRefused(message)), "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = str(math.ceil(wait(request).total_seconds()))
    return response


class SignInLockoutBackend(AxesStandaloneBackend):
    """Axes' first backend: refuses a locked-out sign-in before any password is checked.

    A check with no request (a command, the shell) is no sign-in from anywhere: it is left to
    the next backend rather than refused with an error."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        try:
            super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            setattr(request, ALREADY_LOCKED_OUT, True)
            raise
        return None
