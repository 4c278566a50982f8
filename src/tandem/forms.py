"""Forms rendered as GOV.UK Frontend markup everywhere, so no template hand-writes a field."""

from collections.abc import Callable

from django.contrib import messages
from django.forms import Form
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest

from tandem.lib.errors import ActionRefused


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def add_refusal_to_form(form: Form, refusal: ActionRefused) -> None:
    """Show a service's refusal next to the field it names (or above the form), with its rule."""
    message = refusal.message + (f" (rule {refusal.rule_id})" if refusal.rule_id else "")
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, message)


def form_action_succeeded(
    request: HttpRequest, *, form: Form, act: Callable[[], object], done: str
) -> bool:
    """On a valid POST, run the service call `act`: True once it is done (with `done` as the
    success message, for the caller to redirect); False otherwise, its refusal shown on the
    form next to the field it names."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        act()
    except ActionRefused as refusal:
        add_refusal_to_form(form, refusal)
        return False
    messages.success(request, done)
    return True
