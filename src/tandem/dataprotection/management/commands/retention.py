"""`tandem retention run [--dry-run]`: anonymise what is past the retention schedule."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tandem.dataprotection.retention import retention_run


class Command(BaseCommand):
    help = (
        "Anonymise the records past their retention period (TANDEM_RETAIN_*_YEARS after "
        "closure) that no legal hold keeps, and report what was done per record type. Run it "
        "daily, e.g. from cron. --dry-run reports what would be done and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would be done; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        lines = retention_run(now=timezone.now(), dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
        for line in lines:
            self.stdout.write(
                f"{line.record_type.label} (kept {line.years} years): "
                f"{line.past_retention} past retention, {line.held} kept by a legal hold, "
                f"{line.anonymised if not dry_run else line.past_retention - line.held} {verb}."
            )
