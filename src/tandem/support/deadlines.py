"""The ISS side's deadlines that are Tandem's own: the standards set none for these."""

from datetime import date, datetime, time

from tandem.lib.calendar import UK_TIME, Jurisdiction, due_after_working_days


def marac_referral_due(*, assessed_at: datetime, jurisdiction: Jurisdiction) -> datetime:
    """The standards set no deadline for a MARAC referral (rules.md, rule dash, has no number):
    1 working day is Tandem's service default, so a case at high risk does not wait."""
    return due_after_working_days(start=assessed_at, working_days=1, jurisdiction=jurisdiction)


# rules.md sets no deadline for reviewing a safety plan: the review date is the one agreed in the
# plan itself, so this rule id is Tandem's own, not one of rules.md's.
SAFETY_PLAN_REVIEW = "safety-plan-review"


def safety_plan_review_due(*, review_on: date) -> datetime:
    """A review is due by the end of its day, UK time."""
    return datetime.combine(review_on, time.max, tzinfo=UK_TIME)
