"""The "API tokens" page: a signed-in person makes, lists and revokes their own tokens.

A new token is shown on the page that answers the POST that made it, once: it is never put in a
message, a redirect or a cache (`Cache-Control: no-store`).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts.api_tokens_selectors import api_tokens_for_user
from tandem.accounts.api_tokens_services import (
    api_token_create,
    api_token_revoke,
    api_token_revoke_all,
)
from tandem.lib.errors import ActionRefused
from tandem.web import acting_user, refusal_summary

TEMPLATE = "accounts/api_tokens.html"


def _page(request: HttpRequest, *, status: int = 200, **context: object) -> HttpResponse:
    user = acting_user(request)
    response = render(
        request,
        TEMPLATE,
        {"tokens": api_tokens_for_user(user=user), **context},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def api_tokens_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
def api_token_new_page(request: HttpRequest) -> HttpResponse:
    try:
        token, text = api_token_create(user=acting_user(request))
    except ActionRefused as refusal:
        return _page(request, status=400, form=refusal_summary(refusal))
    return _page(request, new_token=token, new_token_text=text)


@require_POST
def api_token_revoke_page(request: HttpRequest, token_key: str) -> HttpResponse:
    token = api_token_revoke(user=acting_user(request), token_key=token_key)
    messages.success(request, f"API token {token.token_key}… revoked: it no longer works")
    return redirect("accounts:api_token_list")


@require_POST
def api_token_revoke_all_page(request: HttpRequest) -> HttpResponse:
    count = api_token_revoke_all(user=acting_user(request))
    messages.success(
        request,
        f"{count} API token{'s' if count != 1 else ''} revoked: none of yours works any more",
    )
    return redirect("accounts:api_token_list")
