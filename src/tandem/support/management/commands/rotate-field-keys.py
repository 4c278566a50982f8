"""`tandem rotate-field-keys`: re-encrypt every encrypted value with the current field key."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tandem.lib.encryption import UndecryptableValue, field_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt survivors' encrypted data with the first key in TANDEM_FIELD_KEYS and "
        "re-compute the blind indexes. Put the new key first, keep the old ones after it, run "
        "this, then remove the old keys."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # All or nothing: a value left under a key about to be removed would be lost.
            with transaction.atomic():
                rotated = field_keys_rotate()
        except UndecryptableValue as problem:
            raise CommandError(f"{problem} Nothing was changed.") from problem
        self.stdout.write(
            f"Re-encrypted {rotated} value(s) with the current key: keys after the first in "
            "TANDEM_FIELD_KEYS can now be removed."
        )
