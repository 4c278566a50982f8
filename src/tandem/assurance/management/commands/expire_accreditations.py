"""`tandem expire_accreditations`: mark Respect accreditations whose 3 years are up as expired.

Run once a day (e.g. from cron). The public register already leaves an accreditation out from its
expiry date; this records the change of state, with Tandem as the actor.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from tandem.assurance.respect.services.panel import accreditations_expire


class Command(BaseCommand):
    help = "Mark Respect accreditations that reached their expiry date as expired."

    def handle(self, *args: Any, **options: Any) -> None:
        count = accreditations_expire(today=timezone.localdate())
        self.stdout.write(f"{count} accreditation{'s' if count != 1 else ''} expired")
