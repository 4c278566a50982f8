"""Writes about signing in, each with its audit event: two-factor enrolment and verification,
password changes and resets.

A second factor is checked against one device at a time through django-otp, whose devices
throttle wrong codes themselves (a growing wait after each wrong one). A refused code is
audited and answered with False, not an exception, so that its audit event is kept.
"""

from datetime import datetime

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from tandem.access.permissions import refuse_unless_permitted
from tandem.accounts.models import SignedInSession
from tandem.accounts.rules import DEACTIVATE_USER
from tandem.accounts.two_factor import (
    AUTHENTICATOR_APP,
    RECOVERY_CODE_COUNT,
    RECOVERY_CODES,
    authenticator_of,
    is_enrolled,
    recovery_codes_of,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused


@transaction.atomic
def two_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The authenticator app waiting to be confirmed with a code (the same one if the page is
    shown again). Refused once an app is confirmed: a password alone must never be able to add
    a second factor of its own."""
    if is_enrolled(user):
        raise ActionRefused("Two-factor authentication is already set up.", field="code")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_APP, confirmed=False)


@transaction.atomic
def two_factor_enrolment_confirm(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Confirm the waiting authenticator app with a code from it; make the recovery codes and
    return them, to be shown once; the session counts as verified from now on."""
    device = two_factor_enrolment_start(user=user)
    if not device.verify_token(_digits(code)):
        raise ActionRefused(
            "The code is not right: enter the 6-digit code your authenticator app shows now.",
            field="code",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user, name=RECOVERY_CODES).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_CODES, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    otp_login(request, device)
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.CREATED,
        target=user,
        summary=f"Set up two-factor authentication (authenticator app, {len(codes)} recovery "
        "codes); signed in with it",
    )
    return codes


def two_factor_verify(*, request: HttpRequest, user: User, code: str) -> bool:
    """Check a code from the authenticator app or an unused recovery code (which is then used
    up); on success the session counts as verified. Either way, the attempt is audited."""
    device = _device_accepting(user=user, code=code)
    with transaction.atomic():
        if device is None:
            audit_event_record(
                actor=user,
                action=AuditEvent.Action.REFUSED,
                target=user,
                summary="Sign-in refused: wrong two-factor code",
            )
            return False
        otp_login(request, device)
        how = "a recovery code" if isinstance(device, StaticDevice) else "the authenticator app"
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.SIGNED_IN,
            target=user,
            summary=f"Signed in with password and {how}",
        )
    return True


def _device_accepting(*, user: User, code: str) -> Device | None:
    authenticator, recovery = authenticator_of(user), recovery_codes_of(user)
    accepted = None
    if authenticator is not None and _digits(code).isdigit():
        accepted = verify_token(user, authenticator.persistent_id, _digits(code))
    if accepted is None and recovery is not None:
        accepted = verify_token(user, recovery.persistent_id, _digits(code).lower())
    return accepted


def _digits(code: str) -> str:
    """People type codes with spaces, as apps show them ("123 456")."""
    return "".join(code.split())


@transaction.atomic
def password_change(*, request: HttpRequest, user: User, password: str) -> None:
    """A signed-in person's new password (already checked against the password rules). This
    session stays signed in; every other session of theirs ends (Django's session hash)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    audit_event_record(
        actor=user, action=AuditEvent.Action.CHANGED, target=user, summary="Changed their password"
    )


@transaction.atomic
def password_reset_complete(*, user: User, password: str) -> None:
    """A new password set through the emailed reset link, which proved the person; every
    session of theirs ends, and they sign in again with both factors."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.CHANGED,
        target=user,
        summary="Reset their password through the emailed link",
    )


def session_record(*, user: User, session_key: str, signed_in_at: datetime) -> None:
    """Remember a sign-in's session, so that `sessions_end_all` finds it (bookkeeping: the
    sign-in itself is audited when its second factor is passed)."""
    SignedInSession.objects.update_or_create(
        session_id=session_key, defaults={"user": user, "signed_in_at": signed_in_at}
    )


@transaction.atomic
def sessions_end_all(*, user: User, actor: User, reason: str) -> None:
    """End every session `user` is signed in to, at once (their next request finds none)."""
    _sessions_end(user)
    audit_event_record(actor=actor, action=AuditEvent.Action.CHANGED, target=user, summary=reason)


def _sessions_end(user: User) -> None:
    """Every way `user` is signed in ends: their sessions and their API tokens."""
    AuthToken.objects.filter(user=user).delete()
    Session.objects.filter(
        session_key__in=SignedInSession.objects.filter(user=user).values("session_id")
    ).delete()
    SignedInSession.objects.filter(user=user).delete()


REASON_MAX_LENGTH = 200


@transaction.atomic
def user_deactivate(*, actor: User, user: User, reason: str) -> User:
    """A leaver: they cannot sign in from now on and every session of theirs ends at once."""
    refuse_unless_permitted(
        actor=actor,
        permission=DEACTIVATE_USER,
        refusal="Only an administrator can deactivate an account.",
    )
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Give the reason for deactivating the account", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ActionRefused(
            f"The reason must be {REASON_MAX_LENGTH} characters or fewer", field="reason"
        )
    if user.pk == actor.pk:
        raise ActionRefused("You cannot deactivate your own account", field="user")
    if not user.is_active:
        raise ActionRefused("This account is already deactivated", field="user")
    before = model_snapshot(instance=user, fields=["is_active"])
    user.is_active = False
    user.save(update_fields=["is_active"])
    _sessions_end(user)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=user,
        summary=f"Deactivated the account, its sessions ended: {reason}",
        before=before,
        after=model_snapshot(instance=user, fields=["is_active"]),
    )
    return user
