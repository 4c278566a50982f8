"""The governance rules and deadlines at their boundaries (rules policies, model-review,
governance-report, WG 18 complaints)."""

from datetime import date

from tandem.governance import deadlines, gates
from tandem.lib.calendar import Jurisdiction


def test_it_allows_a_policy_review_exactly_3_years_after_approval_rule_policies() -> None:
    assert (
        gates.policy_review_refusal(approved_on=date(2024, 2, 29), next_review_on=date(2027, 2, 28))
        is None
    )


def test_it_refuses_a_policy_review_a_day_past_3_years_naming_field_and_rule_policies() -> None:
    refusal = gates.policy_review_refusal(
        approved_on=date(2024, 3, 1), next_review_on=date(2027, 3, 2)
    )
    assert refusal is not None
    assert (refusal.field, refusal.rule_id) == ("next_review_on", "policies")
    assert "1 March 2027" in refusal.message


def test_it_refuses_a_policy_review_on_the_approval_day_rule_policies() -> None:
    refusal = gates.policy_review_refusal(
        approved_on=date(2025, 1, 1), next_review_on=date(2025, 1, 1)
    )
    assert refusal is not None
    assert refusal.field == "next_review_on"


def test_it_makes_the_model_review_due_12_months_after_the_last_rule_model_review() -> None:
    assert deadlines.model_review_due(
        last_reviewed_on=date(2025, 11, 18), today=date(2026, 1, 1)
    ) == date(2026, 11, 18)
    assert deadlines.model_review_due(last_reviewed_on=None, today=date(2026, 1, 1)) == date(
        2026, 1, 1
    )


def test_it_makes_the_next_report_due_3_months_after_the_last_presented_rule_governance_report() -> (
    None
):
    assert deadlines.governance_report_due(
        last_presented_on=date(2026, 8, 31), today=date(2026, 9, 1)
    ) == date(2026, 11, 30)
    assert deadlines.governance_report_due(last_presented_on=None, today=date(2026, 9, 1)) == date(
        2026, 9, 1
    )


def test_it_counts_complaint_responses_in_working_days_skipping_bank_holidays_wg_18() -> None:
    # Received Monday 21 Dec 2026: 25 and 28 Dec are bank holidays in England and Wales.
    due = deadlines.complaint_response_due(
        received_on=date(2026, 12, 21), working_days=5, jurisdiction=Jurisdiction.ENGLAND_AND_WALES
    )
    assert due == date(2026, 12, 30)


def test_it_refuses_an_agreement_reviewed_before_it_was_signed() -> None:
    refusal = gates.agreement_dates_refusal(signed_on=date(2026, 1, 1), review_on=date(2026, 1, 1))
    assert refusal is not None
    assert refusal.field == "review_on"


def test_it_makes_edi_reviews_due_3_yearly_or_annually_rule_edi_review() -> None:
    last = date(2025, 11, 18)
    today = date(2026, 1, 1)
    assert deadlines.edi_review_due(kind="framework", last_reviewed_on=last, today=today) == date(
        2028, 11, 18
    )
    assert deadlines.edi_review_due(
        kind="service_user_profile", last_reviewed_on=last, today=today
    ) == date(2026, 11, 18)
    assert (
        deadlines.edi_review_due(kind="diversity_goals", last_reviewed_on=None, today=today)
        == today
    )
