"""Forms rendered as GOV.UK Frontend markup everywhere, so no template hand-writes a field."""

from django.forms import Form
from django.forms.renderers import TemplatesSetting

from tandem.lib.errors import ActionRefused


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def add_refusal_to_form(form: Form, refusal: ActionRefused) -> None:
    """Show a service's refusal next to the field it names (or above the form), with its rule."""
    message = refusal.message + (f" (rule {refusal.rule_id})" if refusal.rule_id else "")
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, message)
