"""How a person is named on pages, in the API, in reports and in refusals."""

from django.contrib.auth.models import AbstractBaseUser


def person_name(user: AbstractBaseUser) -> str:
    """Their full name, or their username when no name is recorded."""
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]
