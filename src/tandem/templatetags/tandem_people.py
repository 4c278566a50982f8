"""How the pages name people across the information barrier."""

from django import template

from tandem.access.roles import Person, iss_role_label

register = template.Library()


@register.filter
def iss_role(person: Person | None) -> str:
    """Someone on the ISS side by their role, for the perpetrator side's pages."""
    return iss_role_label(person)
