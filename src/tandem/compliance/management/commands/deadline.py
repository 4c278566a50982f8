"""`tandem deadline START (--working-days N | --hours N) [--jurisdiction J]`: when is it due?

Prints only the due date-time, ISO 8601 with its UTC offset, so support staff can check a deadline
by hand and scripts can read it.
"""

from argparse import ArgumentParser
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.lib.calendar import (
    UK_TIME,
    Jurisdiction,
    due_after_hours,
    due_after_working_days,
)


class Command(BaseCommand):
    help = (
        "Print when something is due: START plus N working days (in the jurisdiction's "
        "calendar) or N real hours, in UK local time with its UTC offset."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        # Values are checked in handle() so every mistake ends in one CommandError line.
        parser.add_argument(
            "start",
            metavar="START",
            help="ISO 8601 date-time, e.g. 2027-06-03T09:30 (UK local time without an offset)",
        )
        parser.add_argument("--working-days", metavar="N", help="working days after START")
        parser.add_argument("--hours", metavar="N", help="real hours after START")
        parser.add_argument(
            "--jurisdiction",
            default=Jurisdiction.ENGLAND_AND_WALES.value,
            metavar="|".join(Jurisdiction.values),
            help="whose bank holidays count (default: england-and-wales)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = _start(options["start"])
        jurisdiction = _jurisdiction(options["jurisdiction"])
        working_days, hours = options["working_days"], options["hours"]
        if working_days is not None and hours is not None:
            raise CommandError("--working-days and --hours cannot be given together: give one")
        if working_days is None and hours is None:
            raise CommandError("give --working-days N or --hours N")
        option, raw = ("--working-days", working_days) if hours is None else ("--hours", hours)
        count = _count(option=option, raw=raw)
        try:
            if option == "--working-days":
                due = due_after_working_days(
                    start=start, working_days=count, jurisdiction=jurisdiction
                )
            else:
                due = due_after_hours(start=start, hours=count)
        except OverflowError:
            raise CommandError(
                f"{option} {count} after START falls beyond the year 9999, the calendar's end"
            ) from None
        self.stdout.write(due.isoformat())


def _start(raw: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            f"START {raw!r} is not an ISO 8601 date-time, e.g. 2027-06-03T09:30"
        ) from None
    if parsed.tzinfo is not None:
        return parsed
    local = parsed.replace(tzinfo=UK_TIME)
    # A time skipped when the clocks go forward would silently turn into another hour.
    if local.astimezone(UTC).astimezone(UK_TIME).replace(tzinfo=None) != parsed:
        raise CommandError(
            f"START {raw!r} does not exist in UK local time: the clocks went forward"
        )
    return local


def _count(*, option: str, raw: str) -> int:
    # Digits only: this refuses negatives, fractions and words alike.
    if not raw.isdecimal():
        raise CommandError(f"{option} must be a whole number, 0 or more, not {raw!r}")
    return int(raw)


def _jurisdiction(raw: str) -> Jurisdiction:
    if raw not in Jurisdiction.values:
        known = ", ".join(Jurisdiction.values)
        raise CommandError(f"--jurisdiction {raw!r} is not one of {known}")
    return Jurisdiction(raw)
