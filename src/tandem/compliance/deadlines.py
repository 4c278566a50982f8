"""Every deadline the standards set, each one function named after its rule in rules.md.

Pages, the API and compliance measurement all call these; none computes a deadline itself.
All go through the one calendar in `tandem.lib.calendar`.
"""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from tandem.lib.calendar import Jurisdiction, due_after_hours, due_after_working_days


def iss_handover_due(*, details_received_at: datetime) -> datetime:
    """Rule iss-handover (R22-S B3.3, C1.3; R08 B3.5): survivor contact details passed to the
    ISS within 24 hours of being received."""
    return due_after_hours(start=details_received_at, hours=24)


def iss_contact_due(*, iss_referred_at: datetime, jurisdiction: Jurisdiction) -> datetime:
    """Rule iss-contact (R22 C1.3, NE 5.4.1): initial contact within 5 working days of the ISS
    referral."""
    return due_after_working_days(start=iss_referred_at, working_days=5, jurisdiction=jurisdiction)


def assessment_outcome_due(*, decided_at: datetime, jurisdiction: Jurisdiction) -> datetime:
    """Rule assessment-outcome (R22-S/I B3.7): communicating the outcome starts within 1
    working day."""
    return due_after_working_days(start=decided_at, working_days=1, jurisdiction=jurisdiction)


def engagement_change_iss_due(*, changed_at: datetime) -> datetime:
    """Rule engagement-change (R22 C1.8): the ISS told within 24 hours."""
    return due_after_hours(start=changed_at, hours=24)


def engagement_change_survivor_due(*, changed_at: datetime, jurisdiction: Jurisdiction) -> datetime:
    """Rule engagement-change (R22 C1.8): the survivor told within 3 working days."""
    return due_after_working_days(start=changed_at, working_days=3, jurisdiction=jurisdiction)


def case_review_due(*, last_held_on: date | None, today: date) -> date:
    """Rule case-review (R22-S B2.1): case management reviews at least monthly; with none yet,
    one is due now."""
    return last_held_on + relativedelta(months=1) if last_held_on else today


def file_audit_due(*, last_audited_on: date | None, today: date) -> date:
    """Rule file-audit (R22-S B2.3): never more than 8 weeks apart; with none yet, due now."""
    return last_audited_on + timedelta(weeks=8) if last_audited_on else today


def referral_response_due(
    *, decided_at: datetime, working_days: int, jurisdiction: Jurisdiction
) -> datetime:
    """Rule referral-response (WG 1.ii, 2.iii-iv): a referrer is told why a referral was not
    accepted, with alternatives, within the service's stated timeframe."""
    return due_after_working_days(
        start=decided_at, working_days=working_days, jurisdiction=jurisdiction
    )


def concern_shared_due(*, raised_at: datetime, imminent: bool) -> datetime:
    """Rule concern-24h (R22 C1.7, R08 B3.5): a specific risk concern is shared with the other
    side within 24 hours, and at once when the risk is imminent."""
    return raised_at if imminent else due_after_hours(start=raised_at, hours=24)


def weekly_exchange_due(*, last_held_on: date | None, today: date) -> date:
    """Rule weekly-exchange (R08 B3.5): the DVPP and the ISS exchange changes in risk and
    engagement at least weekly; with none yet, one is due now."""
    return last_held_on + timedelta(days=7) if last_held_on else today


def accreditation_expiry_reminders_on(*, expires_on: date) -> tuple[date, date]:
    """Rule respect-accreditation (R22 introduction: accredited for 3 years, then reassessed):
    the service's senior managers are reminded 6 months and again 1 month before the expiry
    date (the first day not accredited), in time to apply for reaccreditation. Expiring on
    31 August, the reminders fall on 28 February (the month's last day) and 31 July."""
    return expires_on - relativedelta(months=6), expires_on - relativedelta(months=1)
