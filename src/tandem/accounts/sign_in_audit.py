"""Sign-ins, refused sign-ins, lockouts and sign-outs as audit events: who, what, when, and from
where (the address, user agent and path come from the request, as for every event).

A refused sign-in names the account tried when there is one (the person it was tried against can
be shown it), and says whether the account or address was already locked out; a refused API
token names no account. A lockout is recorded once, by the failure that begins it.
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from tandem.accounts.sign_in_lockout import ALREADY_LOCKED_OUT
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record

# The audit trail has no "signed out" or "locked out" action (yet): a sign-out changes the
# person's sign-in state, and a lockout is a refusal. The summaries say which.
USERNAME_SHOWN = 150


def _account_named(username: str | None) -> AbstractBaseUser | None:
    if not username:
        return None
    user_model = get_user_model()
    return user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()


def _tried(username: str | None) -> str:
    return f"«{username[:USERNAME_SHOWN]}»" if username else "an API token"


@receiver(user_logged_in, dispatch_uid="tandem.accounts.audit_signed_in")
def audit_signed_in(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.PASSWORD_ACCEPTED,
        target=user,
        summary="Password accepted",
    )


@receiver(user_logged_out, dispatch_uid="tandem.accounts.audit_signed_out")
def audit_signed_out(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    if user is None or not user.is_authenticated:
        return
    audit_event_record(
        actor=user, action=AuditEvent.Action.SIGNED_OUT, target=user, summary="Signed out"
    )


@receiver(user_login_failed, dispatch_uid="tandem.accounts.audit_sign_in_refused")
def audit_sign_in_refused(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get(get_user_model().USERNAME_FIELD)
    if getattr(request, ALREADY_LOCKED_OUT, False):
        why = "the account or address is locked out after too many failures"
    elif username:
        why = "wrong username or password"
    else:
        why = "invalid, expired or revoked"
    audit_event_record(
        actor=AnonymousUser(),
        action=AuditEvent.Action.REFUSED,
        target=_account_named(username),
        summary=f"Sign-in refused for {_tried(username)}: {why}",
    )


@receiver(user_locked_out, dispatch_uid="tandem.accounts.audit_locked_out")
def audit_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    if getattr(request, ALREADY_LOCKED_OUT, False):
        return
    audit_event_record(
        actor=AnonymousUser(),
        action=AuditEvent.Action.LOCKED_OUT,
        target=_account_named(username),
        summary=(
            f"Locked out after too many failed sign-ins: {_tried(username)} "
            f"from {ip_address or 'an unknown address'}"
        ),
    )
