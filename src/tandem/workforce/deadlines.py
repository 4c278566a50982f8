"""The workforce's deadlines, one function per rule in rules.md sections 4 and 5.

Every interval here is in calendar days, weeks or months (none of these rules counts working
days), so none needs `tandem.lib.calendar`.
"""

import calendar
from datetime import date, timedelta
from decimal import Decimal

CHECK_RENEWAL_YEARS = 3
TRAINING_REFRESH_YEARS = 3
CPD_HOURS_PER_YEAR = Decimal(20)
CLINICAL_SUPERVISION_MAX_GAP = timedelta(weeks=6)
CLINICAL_SUPERVISION_MINUTES_PER_MONTH = 90
PEER_SUPERVISION_MAX_GAP = timedelta(weeks=8)
# Rule line-management gives no interval ("regular"): Tandem asks for one each quarter.
LINE_MANAGEMENT_MONTHS = 3
MENTORING_MONTHS = 6
MENTORING_SESSIONS = 26
CASE_MANAGER_EXPERIENCE_YEARS = 3


def add_months(*, day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), or that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(*, day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    return add_months(day=day, months=12 * years)


def criminal_record_check_renewal_due(*, issued_on: date) -> date:
    """Rule dbs (R22 A3.3, R08 A4.3, WG 12): a criminal record check is renewed every 3 years.

    The date returned is the first day on which the check is no longer current: exactly 3 years
    after the issue date."""
    return add_years(day=issued_on, years=CHECK_RENEWAL_YEARS)


def criminal_record_check_is_current(*, issued_on: date, on: date) -> bool:
    """Rule dbs (R22 A3.3, R08 A4.3, WG 12): issued on or before `on` and less than 3 years
    before it."""
    return issued_on <= on < criminal_record_check_renewal_due(issued_on=issued_on)


def mandatory_training_refresh_due(*, completed_on: date) -> date:
    """Rule mandatory-training (R22 A3.4): safeguarding, EDI, risk assessment and management,
    data protection (and, for service managers, the Respect Service Manager course) are
    refreshed every 3 years; the date returned is the first day the training is out of date."""
    return add_years(day=completed_on, years=TRAINING_REFRESH_YEARS)


def cpd_window(*, on: date) -> tuple[date, date]:
    """Rule cpd (R22 A3.4): the 12 months up to and including `on`, over which a worker's
    development hours are counted against 20 (first and last day, both included)."""
    return add_years(day=on, years=-1) + timedelta(days=1), on


def cpd_is_met(*, hours: Decimal) -> bool:
    """Rule cpd (R22 A3.4): at least 20 hours of professional development in 12 months."""
    return hours >= CPD_HOURS_PER_YEAR


def clinical_supervision_due(*, last_held_on: date) -> date:
    """Rule clinical-supervision (R22-S B6.5, R22-I B6.4, NE 3.13, WG 14): the next clinical
    supervision is due at most 6 weeks after the last (or after the worker started)."""
    return last_held_on + CLINICAL_SUPERVISION_MAX_GAP


def clinical_supervision_month_is_short(*, minutes_in_month: int) -> bool:
    """Rule clinical-supervision (NE 3.13): at least 1.5 hours of clinical supervision in each
    calendar month."""
    return minutes_in_month < CLINICAL_SUPERVISION_MINUTES_PER_MONTH


def line_management_due(*, last_held_on: date) -> date:
    """Rule line-management (R22 A3.5): regular line management with competency and training
    needs minuted. The standard gives no interval; Tandem makes the next due a quarter after the
    last (or after the worker started)."""
    return add_months(day=last_held_on, months=LINE_MANAGEMENT_MONTHS)


def practice_observation_due(*, last_held_on: date, probation_ends_on: date | None) -> date:
    """Rule practice-observation (R22-I B6.3): an ICM case manager's practice is observed
    monthly while in probation, quarterly after."""
    in_probation = probation_ends_on is not None and last_held_on < probation_ends_on
    return add_months(day=last_held_on, months=1 if in_probation else 3)


def peer_supervision_due(*, last_held_on: date) -> date:
    """Rule practice-observation (R22-I B6.3): ICM peer supervision at least every 8 weeks."""
    return last_held_on + PEER_SUPERVISION_MAX_GAP


def case_management_supervision_due(*, last_held_on: date) -> date:
    """Rule practice-observation (R22-I B6.3): ICM case management supervision monthly."""
    return add_months(day=last_held_on, months=1)


def mentoring_time_served_on(*, started_on: date) -> date:
    """Rule mentoring (NE 3.12): the day a mentoring has lasted 6 months."""
    return add_months(day=started_on, months=MENTORING_MONTHS)


def mentoring_months_served(*, started_on: date, on: date) -> int:
    """Rule mentoring (NE 3.12): whole months a mentoring has lasted on `on` (0 before a month),
    counted as `mentoring_time_served_on` counts them."""
    months = (on.year - started_on.year) * 12 + on.month - started_on.month
    while months > 0 and add_months(day=started_on, months=months) > on:
        months -= 1
    return max(months, 0)


def mentoring_is_complete(*, started_on: date, sessions_co_worked: int, on: date) -> bool:
    """Rule mentoring (NE 3.12): a new group worker co-works with an experienced worker for at
    least 6 months or 26 sessions, whichever comes first (the sessions are counted by
    tandem.delivery)."""
    return (
        on >= mentoring_time_served_on(started_on=started_on)
        or sessions_co_worked >= MENTORING_SESSIONS
    )


def has_case_manager_experience(*, relevant_experience_since: date | None, on: date) -> bool:
    """Rule case-manager-experience (R08 A5.6): a case manager has at least three years'
    relevant experience."""
    if relevant_experience_since is None:
        return False
    return add_years(day=relevant_experience_since, years=CASE_MANAGER_EXPERIENCE_YEARS) <= on
