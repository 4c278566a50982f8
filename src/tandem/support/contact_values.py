"""Her numbers and email addresses as they are compared: normalised, and as a blind index.

Plain functions with no models, so the migration that encrypted them can use them too."""

import re

from django.db import models

from tandem.lib.encryption import blind_index


class ContactPointKind(models.TextChoices):
    PHONE = "phone", "Phone number"
    EMAIL = "email", "Email address"


def normalised_contact_value(*, kind: str, value: str) -> str:
    """The form in which two spellings of one number or email compare equal."""
    if kind == ContactPointKind.EMAIL:
        return value.strip().casefold()
    digits = re.sub(r"[^0-9+]", "", value)
    for international in ("+44", "0044"):
        if digits.startswith(international):
            national = digits.removeprefix(international)
            # "+44 (0)7700 ..." keeps its trunk zero; "+44 7700 ..." drops it.
            return national if national.startswith("0") else "0" + national
    return digits


def contact_lookup_text(*, kind: str, value: str) -> str:
    """What a number or email is indexed by ("" for none): equal for two spellings of one
    number, and never equal between a number and an email."""
    normalised = normalised_contact_value(kind=kind, value=value)
    return f"{kind}:{normalised}" if normalised else ""


def contact_value_index(*, kind: str, value: str) -> str:
    """The blind index a number or email is looked up by ("" for none)."""
    return blind_index(contact_lookup_text(kind=kind, value=value))
