"""The governance deadlines, each one function named after its rule in rules.md (section 5) or
its source where rules.md has no id. Pages, the API, the governance calendar and the "My work"
items all call these; none computes a governance deadline itself. The refusals are in
`gates.py`."""

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta

from tandem.lib.calendar import UK_TIME, Jurisdiction, due_after_working_days

# Rule policies (R22 A1.1 guidance 2a, WM 1): reviewed at least every 3 years.
POLICY_REVIEW_MAX_YEARS = 3
# Rule model-review (R22-S/I B1.2): reviewed every year.
MODEL_REVIEW_MONTHS = 12
# Rule governance-report (R22 A2.2): reports at least quarterly.
GOVERNANCE_REPORT_MONTHS = 3


def policy_review_latest(*, approved_on: date) -> date:
    """Rule policies (R22 A1.1, WM 1): the latest a policy's next review may be, 3 years after
    the governing body approved it."""
    return approved_on + relativedelta(years=POLICY_REVIEW_MAX_YEARS)


def model_review_due(*, last_reviewed_on: date | None, today: date) -> date:
    """Rule model-review (R22-S B1.2, R22-I B1.2): the model of work is reviewed every year, 12
    months after the last review; with none recorded, one is due now."""
    if last_reviewed_on is None:
        return today
    return last_reviewed_on + relativedelta(months=MODEL_REVIEW_MONTHS)


def governance_report_due(*, last_presented_on: date | None, today: date) -> date:
    """Rule governance-report (R22 A2.2): the governing body receives a performance report at
    least quarterly, 3 months after the last one presented; with none presented, one is due
    now."""
    if last_presented_on is None:
        return today
    return last_presented_on + relativedelta(months=GOVERNANCE_REPORT_MONTHS)


# Rule edi-review (R22 D1.1, D1.3): the equalities framework every 3 years; diversity goals and
# the service-user profile at least annually.
EDI_REVIEW_MONTHS = {"framework": 36, "diversity_goals": 12, "service_user_profile": 12}


def edi_review_due(*, kind: str, last_reviewed_on: date | None, today: date) -> date:
    """Rule edi-review (R22 D1.1, D1.3): the equalities framework is reviewed every 3 years,
    the diversity goals and the service-user profile at least annually; with none recorded, a
    review is due now."""
    if last_reviewed_on is None:
        return today
    return last_reviewed_on + relativedelta(months=EDI_REVIEW_MONTHS[kind])


def complaint_response_due(
    *, received_on: date, working_days: int, jurisdiction: Jurisdiction
) -> date:
    """Complaints (WG 18 ii, no id in rules.md): the outcome is told to the complainant within
    the service's timeframe, in working days in its jurisdiction from the day it was received
    (20 working days unless the complaint says otherwise)."""
    start = datetime.combine(received_on, time(12), tzinfo=UK_TIME)
    return due_after_working_days(
        start=start, working_days=working_days, jurisdiction=jurisdiction
    ).date()
