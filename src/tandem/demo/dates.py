"""Dates and times in the demo: everything happens in working hours on working days, in UK
time, in the demo service's jurisdiction."""

import random
from datetime import date, datetime, time, timedelta

from tandem.demo.organisation import JURISDICTION
from tandem.lib.calendar import UK_TIME, due_after_working_days, is_working_day


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day=day, jurisdiction=JURISDICTION):
        day += timedelta(days=1)
    return day


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day=day, jurisdiction=JURISDICTION):
        day -= timedelta(days=1)
    return day


def working_days_before(day: date, working_days: int) -> date:
    while working_days:
        day -= timedelta(days=1)
        if is_working_day(day=day, jurisdiction=JURISDICTION):
            working_days -= 1
    return day


def at_work(day: date, rng: random.Random) -> datetime:
    minutes = rng.randint(9 * 60, 17 * 60)
    return datetime.combine(
        working_day_on_or_after(day), time(minutes // 60, minutes % 60), tzinfo=UK_TIME
    )


def working_days_after(moment: datetime, working_days: int, rng: random.Random) -> datetime:
    """Some time in working hours `working_days` working days after `moment`."""
    day = due_after_working_days(start=moment, working_days=working_days, jurisdiction=JURISDICTION)
    return at_work(day.date(), rng)


def minutes_after(moment: datetime, low: int, high: int, rng: random.Random) -> datetime:
    return moment + timedelta(minutes=rng.randint(low, high))


def local_date(moment: datetime) -> date:
    return moment.astimezone(UK_TIME).date()


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    return years_before(day, -years)
