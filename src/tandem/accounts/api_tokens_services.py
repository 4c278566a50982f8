"""API tokens: made and revoked by their owner, each one an audit event.

A token is shown once, when it is made: django-rest-knox keeps only its hash, and its first
characters (`token_key`) to name it in lists. Each expires (`REST_KNOX["TOKEN_TTL"]`), and stops
working at once when its owner's account is deactivated (knox checks `is_active` on every use).
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from knox.models import AuthToken

from tandem.accounts.api_tokens_selectors import api_token_get_for_user, api_tokens_for_user
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused


@transaction.atomic
def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new token for `user`, and its text: the only time the text is known."""
    limit = settings.TANDEM_API_TOKEN_LIMIT
    if api_tokens_for_user(user=user).count() >= limit:
        raise ActionRefused(
            f"You already have {limit} API tokens, the most one person may hold: "
            "revoke one you no longer use first"
        )
    token, text = AuthToken.objects.create(user=user)
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.CREATED,
        target=token,
        summary=f"API token {token.token_key}… made, expiring {token.expiry:%Y-%m-%d %H:%M %Z}",
    )
    return token, text


def _revoke(*, user: User, token: AuthToken) -> None:
    # Recorded before the row goes: the audit trail cannot name a deleted record.
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.DELETED,
        target=token,
        summary=f"API token {token.token_key}… revoked",
    )
    token.delete()


@transaction.atomic
def api_token_revoke(*, user: User, token_key: str) -> AuthToken:
    """Revoke one of `user`'s tokens (404 for a token that is not theirs)."""
    token = api_token_get_for_user(user=user, token_key=token_key)
    _revoke(user=user, token=token)
    return token


@transaction.atomic
def api_token_revoke_all(*, user: User) -> int:
    """Revoke every token `user` holds; how many there were."""
    tokens = list(AuthToken.objects.filter(user=user))
    for token in tokens:
        _revoke(user=user, token=token)
    return len(tokens)
