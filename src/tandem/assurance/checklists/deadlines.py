"""The dates of the processes other than Respect accreditation: the Welsh checklist's agreed
timeframe for reviewing Amber items (WG Appendix 1; the refusal of a review date outside it is
`gates.review_date_refusal`)."""

from datetime import date, timedelta


def review_window_end(*, today: date, weeks: int) -> date:
    """The last day an Amber item's review may be set for: `weeks` weeks from today."""
    return today + timedelta(weeks=weeks)
