"""Reads of API tokens: a person sees only their own, and only those not yet expired."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from knox.models import AuthToken


def api_tokens_for_user(*, user: User) -> QuerySet[AuthToken]:
    """The person's live tokens, newest first (an expired token no longer signs anyone in)."""
    return AuthToken.objects.filter(
        Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user
    ).order_by("-created", "token_key")


def api_token_get_for_user(*, user: User, token_key: str) -> AuthToken:
    """One of the person's live tokens by its first characters; 404 for anyone else's."""
    token = api_tokens_for_user(user=user).filter(token_key=token_key).first()
    if token is None:
        raise Http404("No API token of yours starts with these characters")
    return token
