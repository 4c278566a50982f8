"""The perpetrator side's own dates (the standards' deadlines are `tandem.compliance.deadlines`)."""

from datetime import date, datetime, time

from tandem.lib.calendar import UK_TIME


def close_of_day(day: date) -> datetime:
    """A task due "by" a date is due at the end of that working day, UK time."""
    return datetime.combine(day, time(17, 0), tzinfo=UK_TIME)
