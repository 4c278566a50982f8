"""`tandem remind_accreditation_expiry`: remind senior managers before accreditations expire.

Run once a day (e.g. from cron), like `expire_accreditations`. Each reminder date (6 months and
1 month before expiry) sends its due tasks once, however often it runs.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from tandem.assurance.respect.services.lifecycle import accreditation_expiry_reminders_send


class Command(BaseCommand):
    help = "Send the due reminders of Respect accreditations coming up to their expiry."

    def handle(self, *args: Any, **options: Any) -> None:
        count = accreditation_expiry_reminders_send(today=timezone.localdate())
        self.stdout.write(f"{count} reminder{'s' if count != 1 else ''} sent")
