"""The workforce deadlines, each at its boundary."""

from datetime import date
from decimal import Decimal

from tandem.workforce import deadlines


def test_it_refreshes_mandatory_training_exactly_three_years_on() -> None:
    """Rule mandatory-training (R22 A3.4)."""
    assert deadlines.mandatory_training_refresh_due(completed_on=date(2023, 5, 10)) == date(
        2026, 5, 10
    )


def test_it_counts_cpd_over_the_twelve_months_up_to_today() -> None:
    """Rule cpd (R22 A3.4): 20 hours in the last 12 months, both ends included."""
    assert deadlines.cpd_window(on=date(2026, 11, 23)) == (date(2025, 11, 24), date(2026, 11, 23))
    assert deadlines.cpd_is_met(hours=Decimal(20))
    assert not deadlines.cpd_is_met(hours=Decimal("19.75"))


def test_it_dues_clinical_supervision_six_weeks_after_the_last() -> None:
    """Rule clinical-supervision (R22-S B6.5, NE 3.13): at most 6 weeks apart; 1.5 h a month."""
    assert deadlines.clinical_supervision_due(last_held_on=date(2026, 10, 1)) == date(2026, 11, 12)
    assert deadlines.clinical_supervision_month_is_short(minutes_in_month=89)
    assert not deadlines.clinical_supervision_month_is_short(minutes_in_month=90)


def test_it_observes_practice_monthly_in_probation_and_quarterly_after() -> None:
    """Rule practice-observation (R22-I B6.3)."""
    in_probation = deadlines.practice_observation_due(
        last_held_on=date(2026, 1, 31), probation_ends_on=date(2026, 6, 1)
    )
    assert in_probation == date(2026, 2, 28)
    after = deadlines.practice_observation_due(
        last_held_on=date(2026, 6, 1), probation_ends_on=date(2026, 6, 1)
    )
    assert after == date(2026, 9, 1)
    assert deadlines.peer_supervision_due(last_held_on=date(2026, 1, 1)) == date(2026, 2, 26)


def test_it_ends_mentoring_at_six_months_or_twenty_six_sessions() -> None:
    """Rule mentoring (NE 3.12)."""
    start = date(2026, 1, 15)
    assert not deadlines.mentoring_is_complete(
        started_on=start, sessions_co_worked=25, on=date(2026, 7, 14)
    )
    assert deadlines.mentoring_is_complete(
        started_on=start, sessions_co_worked=0, on=date(2026, 7, 15)
    )
    assert deadlines.mentoring_is_complete(
        started_on=start, sessions_co_worked=26, on=date(2026, 2, 1)
    )


def test_it_asks_case_managers_for_three_years_experience() -> None:
    """Rule case-manager-experience (R08 A5.6)."""
    since = date(2023, 11, 23)
    assert deadlines.has_case_manager_experience(
        relevant_experience_since=since, on=date(2026, 11, 23)
    )
    assert not deadlines.has_case_manager_experience(
        relevant_experience_since=since, on=date(2026, 11, 22)
    )
    assert not deadlines.has_case_manager_experience(relevant_experience_since=None, on=since)
