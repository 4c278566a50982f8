"""Password rules beyond Django's own validators (see AUTH_PASSWORD_VALIDATORS in settings)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from tandem.accounts.demo_accounts import PUBLISHED_DEMO_PASSWORDS


class PublishedDemoPasswordValidator:
    """The demo accounts' password is printed by `make run`: no account may choose it."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        if password in PUBLISHED_DEMO_PASSWORDS:
            raise ValidationError(
                "This password is published with Tandem's demo: choose another.",
                code="password_published",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be the demo accounts' published password."
