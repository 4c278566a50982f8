"""The checks every governance write makes on its input before its rules: a text given and not
too long, one of the choices, a date not in the future, a person who works in the service, an
uploaded document read and typed by its content. Each refuses with `ActionRefused` naming the
field at fault, for the page or API to show beside it."""

from datetime import date

from django.contrib.auth.models import User
from django.core.files import File

from tandem.lib import documents
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.organisations.models import Service, StaffMembership

# The longest text kept in one field of a governance record.
TEXT_MAX = 20_000


def require_text(value: str, *, field: str, what: str, limit: int = TEXT_MAX) -> str:
    """The text given, stripped: refused when empty or longer than `limit`."""
    value = (value or "").strip()
    if not value:
        raise ActionRefused(f"enter {what}", field=field)
    if len(value) > limit:
        raise ActionRefused(f"{what} is longer than {limit} characters", field=field)
    return value


def require_choice(value: str, *, choices: list[str], field: str, what: str) -> None:
    """Refused unless the value is one of `choices`."""
    if value not in choices:
        raise ActionRefused(f"choose {what}", field=field)


def require_staff(*, user: User, service: Service, field: str, on: date) -> None:
    """The person named works in the service on the day given."""
    works = (
        StaffMembership.objects.filter(user=user, service=service, started_on__lte=on)
        .exclude(ended_on__lt=on)
        .exists()
    )
    if not works:
        raise ActionRefused(
            f"{person_name(user)} does not work in {service.name} on "
            f"{on:%-d %B %Y}: add them to its staff first",
            field=field,
        )


def not_in_future(value: date, *, field: str, what: str, today: date) -> None:
    """Refused when the date is after `today`: what is recorded has happened."""
    if value > today:
        raise ActionRefused(f"{what} cannot be in the future", field=field)


def read_document(upload: File) -> tuple[bytes, str, str]:
    """The upload's content, name and type read from its content, as for evidence files."""
    name = (upload.name or "").rsplit("/", 1)[-1]
    limit = documents.EVIDENCE_MAX_BYTES
    too_large = f"{name} is larger than {documents.size_label(limit)}, the largest accepted"
    if (upload.size or 0) > limit:
        raise ActionRefused(too_large, field="document")
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ActionRefused(too_large, field="document")
    if not content:
        raise ActionRefused(f"{name or 'The file'} is empty", field="document")
    try:
        kind = documents.document_kind(content=content, name=name)
    except documents.NotAcceptedFile as not_accepted:
        raise ActionRefused(
            f"{name} cannot be accepted: {not_accepted}", field="document"
        ) from None
    return content, name, str(kind)
