"""The dates of Respect accreditation (rule respect-accreditation): how long an accreditation
holds, and how long a decision can be appealed. The standards set no appeal window:
`APPEAL_WINDOW_DAYS` is Tandem's setting, kept here."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

# R22 introduction: accredited "for a three-year period".
ACCREDITATION_YEARS = 3

# A decision can be appealed up to and including 28 days after the day it was made.
APPEAL_WINDOW_DAYS = 28


def accreditation_expires_on(decided_on: date) -> date:
    """The first day an accreditation no longer holds: 3 years from the panel's decision.

    Accredited on 10 March 2025, a service is accredited up to and including 9 March 2028 and
    not on 10 March 2028. A decision on 29 February expires on 28 February three years on."""
    return decided_on + relativedelta(years=ACCREDITATION_YEARS)


def is_accreditation_current(*, expires_on: date | None, today: date) -> bool:
    return expires_on is not None and today < expires_on


def appeal_closes_on(decided_on: date) -> date:
    """The last day an appeal may be lodged: decided on 1 March, appealable to 29 March."""
    return decided_on + timedelta(days=APPEAL_WINDOW_DAYS)
