"""The one deadline calculator every rule uses: working days, calendar hours and lateness.

A working day is a weekday that is not a bank holiday in the service's jurisdiction (England and
Wales, Scotland and Northern Ireland keep different bank holidays). Deadlines are counted and
shown in UK local time, Europe/London, whatever zone they were given in.
"""

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.db import models

UK_TIME = ZoneInfo("Europe/London")


class Jurisdiction(models.TextChoices):
    """Where a service operates; it decides which bank holidays are not working days."""

    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


# England and Wales share their bank holidays, so the package's England list serves both.
_HOLIDAY_SUBDIVISION = {
    Jurisdiction.ENGLAND_AND_WALES: "ENG",
    Jurisdiction.SCOTLAND: "SCT",
    Jurisdiction.NORTHERN_IRELAND: "NIR",
}


@cache
def _bank_holidays(*, jurisdiction: Jurisdiction, year: int) -> frozenset[date]:
    # Built once per jurisdiction and year: deadline loops ask about the same few years often.
    return frozenset(
        holidays.country_holidays("GB", subdiv=_HOLIDAY_SUBDIVISION[jurisdiction], years=year)
    )


def is_working_day(*, day: date, jurisdiction: Jurisdiction) -> bool:
    """A weekday that is not a bank holiday in `jurisdiction`.

    Used by every working-day rule: iss-contact, engagement-change, assessment-outcome, record-1wd.
    """
    if isinstance(day, datetime):
        # A datetime's calendar day depends on its zone; make the caller choose it.
        raise TypeError("day must be a date, not a datetime: take .date() in UK local time")
    is_weekday = day.weekday() < 5
    return is_weekday and day not in _bank_holidays(jurisdiction=jurisdiction, year=day.year)


def due_after_working_days(
    *, start: datetime, working_days: int, jurisdiction: Jurisdiction
) -> datetime:
    """The moment `working_days` working days after `start`, at the same UK local time of day.

    Counting begins the day after `start`, so a start on a weekend or bank holiday counts from the
    next working day (Friday or Saturday 10:00 + 1 working day = Monday 10:00), and 0 working days
    is `start` itself. Used by iss-contact (5 working days), engagement-change (survivor told
    within 3 working days), assessment-outcome (1 working day) and record-1wd (1 working day).
    """
    _require_aware(name="start", moment=start)
    if working_days < 0:
        raise ValueError(f"working_days must be 0 or more, not {working_days}")
    local_start = start.astimezone(UK_TIME)
    day = local_start.date()
    remaining = working_days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day=day, jurisdiction=jurisdiction):
            remaining -= 1
    # Combining with the local wall-clock time keeps 09:30 as 09:30 across a clock change.
    return datetime.combine(day, local_start.timetz())


def due_after_hours(*, start: datetime, hours: int) -> datetime:
    """The moment `hours` real hours after `start` (24 hours is 24 hours, even over a clock change).

    Used by iss-handover (24 h) and engagement-change (ISS told within 24 h).
    """
    _require_aware(name="start", moment=start)
    if hours < 0:
        raise ValueError(f"hours must be 0 or more, not {hours}")
    # In UTC every hour is an hour; local arithmetic would gain or lose one at a clock change.
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(UK_TIME)


def is_late(*, due: datetime, done: datetime) -> bool:
    """Whether `done` came after `due`; done exactly on the deadline is on time.

    Used by every deadline rule: iss-handover, iss-contact, engagement-change,
    assessment-outcome, record-1wd.
    """
    _require_aware(name="due", moment=due)
    _require_aware(name="done", moment=done)
    # Compared in UTC: Python compares two times in the same zone by wall clock, which gets the
    # repeated hour when the clocks go back wrong.
    return done.astimezone(UTC) > due.astimezone(UTC)


def recorded_late(
    *,
    occurred_at: datetime,
    recorded_at: datetime,
    jurisdiction: Jurisdiction,
    working_days: int = 1,
) -> bool:
    """Rule record-1wd: whether a contact was recorded more than 1 working day after it happened."""
    due = due_after_working_days(
        start=occurred_at, working_days=working_days, jurisdiction=jurisdiction
    )
    return is_late(due=due, done=recorded_at)


def _require_aware(*, name: str, moment: datetime) -> None:
    # A naive time could be UK local or UTC; guessing would shift deadlines by an hour.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not naive: {moment.isoformat()}")
