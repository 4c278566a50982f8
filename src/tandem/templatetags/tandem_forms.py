"""Template helpers that put GOV.UK classes and ARIA links on Django's own widgets."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def widget_type(field: BoundField) -> str:
    return (
        field.field.widget.__class__.__name__.lower().removesuffix("input").removesuffix("widget")
    )


@register.filter
def add_govuk_class(field: BoundField, css_class: str) -> SafeString:
    """Render the widget with the GOV.UK class (and its error modifier) and aria-describedby."""
    classes = [css_class]
    if field.errors and css_class in ("govuk-input", "govuk-textarea", "govuk-select"):
        classes.append(f"{css_class}--error")
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": " ".join(classes)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
