"""The page kit: what every app's views build on, so that forms, refusals, the acting person and
the success message look and behave the same on every page.

- Forms render as GOV.UK Frontend markup (`GovukFormRenderer`, set in settings).
- `form_page` is the one form page: show the form; on a valid POST run the service call; on
  success say so and redirect; on a refusal (`ActionRefused`) show it on the field it names.
- `button_action` is the one-button action (no fields): the same, with the refusal shown on
  the page the button is on.
- `acting_user`, `posted` and `refusal_summary` are the small steps views share.

Whether someone may open a page at all is `tandem.access.permissions`' decision; which records
they can open, each app's selectors'.
"""

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render, resolve_url

from tandem.idempotency.services import (
    KEY_MAX_LENGTH,
    AlreadyDone,
    Answer,
    already_done,
    write_once,
)
from tandem.lib.errors import ActionRefused

# The one template of a form page; an app's own template may extend it (blocks `caption`,
# `back`, `before_form`, `after_form`).
FORM_PAGE_TEMPLATE = "form_page.html"


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def acting_user(request: HttpRequest) -> User:
    """The signed-in person acting on a page: sign-in itself is the middleware's, so a view
    behind a permission check always has one."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("a page that acts needs a signed-in user")
    return user


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data on a POST, None otherwise: a form built from it is bound only when
    something was sent."""
    return request.POST if request.method == "POST" else None


def add_refusal_to_form(form: Form, refusal: ActionRefused) -> None:
    """Show a service's refusal next to the field it names (or above the form), with its rule."""
    message = refusal.message + (f" (rule {refusal.rule_id})" if refusal.rule_id else "")
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, message)


def refusal_summary(refusal: ActionRefused) -> Form:
    """A refused one-button action (no fields of its own), ready for the error summary."""
    form = Form(data={})
    form.is_valid()
    add_refusal_to_form(form, refusal)
    return form


def show_refusal(form: Form, refusal: ActionRefused) -> None:
    """Show a refusal on the form: through the form's own `add_refusal` where it places
    refusals itself (a refusal about a row of several fields), else on the field it names."""
    place = getattr(form, "add_refusal", None)
    if callable(place):
        place(refusal)
    else:
        add_refusal_to_form(form, refusal)


# What `form_submission` returns when nothing was done: not a POST, invalid, or refused.
NOT_DONE = object()


def form_submission(request: HttpRequest, *, form: Form, act: Callable[[], Any]) -> Any:
    """On a valid POST, run the service call `act` and return what it returned; otherwise
    (not a POST, invalid input, or refused, the refusal shown on the form) `NOT_DONE`."""
    if request.method != "POST" or not form.is_valid():
        return NOT_DONE
    try:
        return act()
    except ActionRefused as refusal:
        show_refusal(form, refusal)
        return NOT_DONE


def form_action_succeeded(
    request: HttpRequest, *, form: Form, act: Callable[[], object], done: str
) -> bool:
    """For a page that renders its form itself: True once a valid POST's service call is done
    (with `done` as the success message, for the caller to redirect)."""
    if form_submission(request, form=form, act=act) is NOT_DONE:
        return False
    messages.success(request, done)
    return True


def button_action(
    request: HttpRequest,
    *,
    act: Callable[[], Any],
    done: str | Callable[[Any], str],
    success_url: str | Callable[[Any], str],
    refused: Callable[[ActionRefused], HttpResponse],
) -> HttpResponse:
    """A one-button action (a POST with no fields of its own): run the service call `act`;
    when it succeeds, show `done` and redirect to `success_url` (either may be a function of
    what `act` returned); when the service refuses, answer with `refused(refusal)`, usually the
    page the button is on with the refusal in its error summary (`refusal_summary`)."""
    try:
        result = act()
    except ActionRefused as refusal:
        return refused(refusal)
    messages.success(request, done if isinstance(done, str) else done(result))
    return redirect(success_url if isinstance(success_url, str) else success_url(result))


def refusal_message_redirect(
    request: HttpRequest, refusal: ActionRefused, *, to: str
) -> HttpResponse:
    """For a button on a list: say the refusal as an error message on the list it came from."""
    messages.error(request, refusal.message)
    return redirect(to)


def form_page(
    request: HttpRequest,
    *,
    form: Form,
    act: Callable[[], Any],
    done: str | Callable[[Any], str],
    success_url: str | Callable[[Any], str],
    template: str = FORM_PAGE_TEMPLATE,
    **context: Any,
) -> HttpResponse:
    """The form page: on a valid POST run `act` (a service call); when it succeeds, show `done`
    and redirect to `success_url`; otherwise show the form, with a refusal on the field it names.

    `done` and `success_url` may be functions of what `act` returned (the record it made).
    `context` goes to the template: `heading`, `caption`, `button`, `back`, `intro`, `title`
    and `multipart` for the shared one.

    The form carries a token (`idempotency_token`, in the template through
    includes/idempotency_token.html): the same form sent twice (a double click, a resend after
    a timeout) is done once, and the repeat goes where the first went.
    """
    token = _form_token(request)
    where_to = success_url if callable(success_url) else (lambda _result: success_url)
    first = _first_answer(request, token=token)
    if first is not None:
        messages.info(request, SENT_TWICE)
        return redirect(first.location)
    try:
        result = form_submission(
            request, form=form, act=lambda: _act_once(request, token=token, act=act, to=where_to)
        )
    except AlreadyDone as sent_at_once:
        messages.info(request, SENT_TWICE)
        return redirect(sent_at_once.answer.location)
    if result is NOT_DONE:
        return render(request, template, {"form": form, IDEMPOTENCY_TOKEN_FIELD: token, **context})
    messages.success(request, done if isinstance(done, str) else done(result))
    return redirect(where_to(result))


# The hidden field of a form page's token, and the name of its value in the template.
IDEMPOTENCY_TOKEN_FIELD = "idempotency_token"  # noqa: S105 (a field name)
SENT_TWICE = "That form was sent twice: it was recorded once."


def _first_answer(request: HttpRequest, *, token: str) -> Answer | None:
    """Where the first of this form's submissions went, if it was done before."""
    if request.method != "POST" or not request.POST.get(IDEMPOTENCY_TOKEN_FIELD):
        return None
    return already_done(user=acting_user(request), route=request.path, key=token)


def _form_token(request: HttpRequest) -> str:
    """The token the form was sent with (kept when it is shown again with errors), or a new
    one for a form about to be shown."""
    sent = request.POST.get(IDEMPOTENCY_TOKEN_FIELD, "") if request.method == "POST" else ""
    return sent[:KEY_MAX_LENGTH] if sent else uuid4().hex


def _act_once(
    request: HttpRequest, *, token: str, act: Callable[[], Any], to: Callable[[Any], str]
) -> Any:
    """`act`, done once under the form's token; sent without one (a form page of its own
    template), done as sent."""
    if not request.POST.get(IDEMPOTENCY_TOKEN_FIELD):
        return act()
    return write_once(
        user=acting_user(request),
        route=request.path,
        key=token,
        write=act,
        answer=lambda result: Answer(status=302, location=resolve_url(to(result))),
    )
