"""The deadline calculator: working days by jurisdiction, real hours, and lateness.

Every expected bank holiday was checked against the `holidays` package (0.109) and the GOV.UK
bank-holiday calendar.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tandem.lib.calendar import (
    UK_TIME,
    Jurisdiction,
    due_after_hours,
    due_after_working_days,
    is_late,
    is_working_day,
    recorded_late,
)

ENGLAND_AND_WALES = Jurisdiction.ENGLAND_AND_WALES
SCOTLAND = Jurisdiction.SCOTLAND
NORTHERN_IRELAND = Jurisdiction.NORTHERN_IRELAND
EVERYWHERE = list(Jurisdiction)


def uk(year: int, month: int, day: int, hour: int = 9, minute: int = 30) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UK_TIME)


def one_working_day_after(start: datetime, jurisdiction: Jurisdiction) -> datetime:
    return due_after_working_days(start=start, working_days=1, jurisdiction=jurisdiction)


@pytest.mark.parametrize(
    ("day", "jurisdiction", "working"),
    [
        (date(2026, 12, 24), ENGLAND_AND_WALES, True),
        (date(2026, 12, 25), ENGLAND_AND_WALES, False),  # Christmas Day, a Friday
        (date(2026, 12, 28), SCOTLAND, False),  # Boxing Day (Saturday) moved to Monday
        (date(2026, 12, 28), NORTHERN_IRELAND, False),
        (date(2026, 12, 26), ENGLAND_AND_WALES, False),  # a Saturday
        (date(2027, 3, 26), SCOTLAND, False),  # Good Friday everywhere
        (date(2027, 3, 29), ENGLAND_AND_WALES, False),  # Easter Monday...
        (date(2027, 3, 29), NORTHERN_IRELAND, False),
        (date(2027, 3, 29), SCOTLAND, True),  # ...but not in Scotland
        (date(2026, 1, 2), SCOTLAND, False),  # 2 January, Scotland only
        (date(2026, 1, 2), ENGLAND_AND_WALES, True),
        (date(2026, 11, 30), SCOTLAND, False),  # St Andrew's Day, a Monday in 2026
        (date(2026, 11, 30), NORTHERN_IRELAND, True),
        (date(2026, 8, 3), SCOTLAND, False),  # Scotland's summer holiday: first Monday in August
        (date(2026, 8, 3), ENGLAND_AND_WALES, True),
        (date(2026, 8, 31), ENGLAND_AND_WALES, False),  # elsewhere: last Monday in August
        (date(2026, 8, 31), NORTHERN_IRELAND, False),
        (date(2026, 8, 31), SCOTLAND, True),
        (date(2027, 3, 17), NORTHERN_IRELAND, False),  # St Patrick's Day, Northern Ireland only
        (date(2027, 3, 17), ENGLAND_AND_WALES, True),
        (date(2027, 7, 12), NORTHERN_IRELAND, False),  # Battle of the Boyne, a Monday in 2027
        (date(2027, 7, 12), SCOTLAND, True),
    ],
)
def test_it_tells_working_days_from_weekends_and_each_jurisdictions_bank_holidays(
    day: date, jurisdiction: Jurisdiction, working: bool
) -> None:
    # Rules iss-contact, engagement-change, assessment-outcome, record-1wd count these days.
    assert is_working_day(day=day, jurisdiction=jurisdiction) is working


def test_it_accepts_a_jurisdiction_read_back_from_the_database_as_a_plain_string() -> None:
    # A model field with Jurisdiction choices hands back a str, not the enum member.
    assert is_working_day(day=date(2026, 11, 30), jurisdiction="scotland") is False  # type: ignore[arg-type]


def test_it_refuses_a_datetime_where_a_calendar_day_is_meant() -> None:
    with pytest.raises(TypeError, match="day must be a date"):
        is_working_day(day=uk(2026, 12, 25), jurisdiction=ENGLAND_AND_WALES)


def test_it_returns_the_start_itself_for_zero_working_days() -> None:
    saturday = uk(2026, 12, 26)

    assert (
        due_after_working_days(start=saturday, working_days=0, jurisdiction=ENGLAND_AND_WALES)
        == saturday
    )


def test_it_skips_the_weekend_friday_plus_one_working_day_is_monday_same_time() -> None:
    # record-1wd: a contact on Friday 10:00 must be recorded by Monday 10:00.
    due = one_working_day_after(uk(2027, 6, 4, 10, 0), ENGLAND_AND_WALES)

    assert due == uk(2027, 6, 7, 10, 0)


def test_it_counts_from_the_next_working_day_when_started_on_a_saturday() -> None:
    due = one_working_day_after(uk(2027, 6, 5, 10, 0), ENGLAND_AND_WALES)

    assert due == uk(2027, 6, 7, 10, 0)


def test_it_counts_from_the_next_working_day_when_started_on_a_bank_holiday() -> None:
    # assessment-outcome: an assessment finished on Good Friday 2027.
    good_friday = uk(2027, 3, 26)

    assert one_working_day_after(good_friday, ENGLAND_AND_WALES) == uk(2027, 3, 30)
    assert one_working_day_after(good_friday, SCOTLAND) == uk(2027, 3, 29)


@pytest.mark.parametrize("jurisdiction", EVERYWHERE)
def test_it_skips_christmas_and_the_boxing_day_substitute_in_2026_everywhere(
    jurisdiction: Jurisdiction,
) -> None:
    # 25 Dec 2026 is a Friday; Boxing Day falls on Saturday and is observed on Monday 28 Dec.
    christmas_eve = uk(2026, 12, 24)

    assert one_working_day_after(christmas_eve, jurisdiction) == uk(2026, 12, 29)


@pytest.mark.parametrize(
    ("jurisdiction", "due"),
    [
        (ENGLAND_AND_WALES, uk(2027, 1, 4)),
        (NORTHERN_IRELAND, uk(2027, 1, 4)),
        # Scotland's 2 January falls on a Saturday in 2027 and is observed on Monday 4 January.
        (SCOTLAND, uk(2027, 1, 5)),
    ],
)
def test_it_gives_iss_contact_five_working_days_over_christmas_and_new_year(
    jurisdiction: Jurisdiction, due: datetime
) -> None:
    # iss-contact: referral Wed 23 Dec 2026; working days 24, 29, 30, 31 Dec, then January.
    referral = uk(2026, 12, 23)

    assert due_after_working_days(start=referral, working_days=5, jurisdiction=jurisdiction) == due


@pytest.mark.parametrize(
    ("jurisdiction", "due"),
    [
        (ENGLAND_AND_WALES, uk(2027, 3, 30)),
        (NORTHERN_IRELAND, uk(2027, 3, 30)),
        (SCOTLAND, uk(2027, 3, 29)),  # Easter Monday is not a bank holiday in Scotland
    ],
)
def test_it_skips_good_friday_everywhere_and_easter_monday_outside_scotland(
    jurisdiction: Jurisdiction, due: datetime
) -> None:
    # record-1wd over Easter 2027 (Good Friday 26 March).
    assert one_working_day_after(uk(2027, 3, 25), jurisdiction) == due


@pytest.mark.parametrize(
    ("start", "jurisdiction", "due"),
    [
        # Wed 31 Dec 2025 + 1: Thu 1 Jan is a holiday everywhere, Fri 2 Jan only in Scotland.
        (uk(2025, 12, 31), SCOTLAND, uk(2026, 1, 5)),
        (uk(2025, 12, 31), ENGLAND_AND_WALES, uk(2026, 1, 2)),
        # Fri 27 Nov 2026 + 1: St Andrew's Day, Monday 30 Nov.
        (uk(2026, 11, 27), SCOTLAND, uk(2026, 12, 1)),
        (uk(2026, 11, 27), ENGLAND_AND_WALES, uk(2026, 11, 30)),
        # Fri 31 Jul 2026 + 1: Scotland's summer holiday, Monday 3 Aug.
        (uk(2026, 7, 31), SCOTLAND, uk(2026, 8, 4)),
        (uk(2026, 7, 31), NORTHERN_IRELAND, uk(2026, 8, 3)),
        # Fri 28 Aug 2026 + 1: the late summer holiday, Monday 31 Aug, everywhere but Scotland.
        (uk(2026, 8, 28), ENGLAND_AND_WALES, uk(2026, 9, 1)),
        (uk(2026, 8, 28), NORTHERN_IRELAND, uk(2026, 9, 1)),
        (uk(2026, 8, 28), SCOTLAND, uk(2026, 8, 31)),
    ],
)
def test_it_skips_scotlands_own_bank_holidays_only_in_scotland(
    start: datetime, jurisdiction: Jurisdiction, due: datetime
) -> None:
    # assessment-outcome: the outcome process starts within 1 working day.
    assert one_working_day_after(start, jurisdiction) == due


@pytest.mark.parametrize(
    ("start", "jurisdiction", "due"),
    [
        # Tue 16 Mar 2027 + 1: St Patrick's Day, Wednesday 17 March.
        (uk(2027, 3, 16), NORTHERN_IRELAND, uk(2027, 3, 18)),
        (uk(2027, 3, 16), ENGLAND_AND_WALES, uk(2027, 3, 17)),
        # Fri 9 Jul 2027 + 1: Battle of the Boyne, Monday 12 July.
        (uk(2027, 7, 9), NORTHERN_IRELAND, uk(2027, 7, 13)),
        (uk(2027, 7, 9), SCOTLAND, uk(2027, 7, 12)),
    ],
)
def test_it_skips_northern_irelands_own_bank_holidays_only_in_northern_ireland(
    start: datetime, jurisdiction: Jurisdiction, due: datetime
) -> None:
    assert one_working_day_after(start, jurisdiction) == due


def test_it_gives_engagement_change_three_working_days_for_the_survivor_in_the_issue_example() -> (
    None
):
    due = due_after_working_days(
        start=uk(2027, 6, 3), working_days=3, jurisdiction=NORTHERN_IRELAND
    )

    assert due.isoformat() == "2027-06-08T09:30:00+01:00"


@pytest.mark.parametrize(
    ("start", "due", "offset_after"),
    [
        # Clocks go forward on Sunday 29 March 2026: 09:30 GMT on Friday, 09:30 BST on Monday.
        (uk(2026, 3, 27), uk(2026, 3, 30), timedelta(hours=1)),
        # Clocks go back on Sunday 25 October 2026: 09:30 BST on Friday, 09:30 GMT on Monday.
        (uk(2026, 10, 23), uk(2026, 10, 26), timedelta(0)),
    ],
)
def test_it_keeps_the_local_time_of_day_across_a_clock_change_for_working_days(
    start: datetime, due: datetime, offset_after: timedelta
) -> None:
    result = one_working_day_after(start, ENGLAND_AND_WALES)

    assert (result.hour, result.minute) == (9, 30)
    assert result == due
    assert result.utcoffset() == offset_after


def test_it_counts_working_days_in_uk_local_time_whatever_zone_the_start_is_in() -> None:
    # 23:30 UTC on Friday 23 Oct 2026 is already 00:30 on Saturday in the UK.
    start = datetime(2026, 10, 23, 23, 30, tzinfo=UTC)

    due = one_working_day_after(start, ENGLAND_AND_WALES)

    assert due.tzinfo is UK_TIME
    assert due.isoformat() == "2026-10-26T00:30:00+00:00"


def test_it_gives_iss_handover_24_real_hours_even_when_the_clocks_go_forward() -> None:
    # iss-handover: details received Saturday noon before the clocks go forward on 29 Mar 2026.
    due = due_after_hours(start=uk(2026, 3, 28, 12, 0), hours=24)

    assert due.isoformat() == "2026-03-29T13:00:00+01:00"


def test_it_gives_engagement_change_24_real_hours_even_when_the_clocks_go_back() -> None:
    # engagement-change: the ISS is told within 24 h; the clocks go back on 25 Oct 2026.
    due = due_after_hours(start=uk(2026, 10, 24, 12, 0), hours=24)

    assert due.isoformat() == "2026-10-25T11:00:00+00:00"


def test_it_answers_in_uk_local_time_for_a_start_given_with_another_offset() -> None:
    start = datetime(2027, 6, 3, 10, 30, tzinfo=timezone(timedelta(hours=2)))

    due = due_after_hours(start=start, hours=24)

    assert due.isoformat() == "2027-06-04T09:30:00+01:00"


@pytest.mark.parametrize(
    "calculate",
    [
        lambda start: due_after_hours(start=start, hours=24),
        lambda start: due_after_working_days(
            start=start, working_days=1, jurisdiction=ENGLAND_AND_WALES
        ),
    ],
    ids=["hours", "working days"],
)
def test_it_refuses_a_naive_start(calculate: Callable[[datetime], datetime]) -> None:
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        calculate(datetime(2027, 6, 3, 9, 30))


def test_it_refuses_negative_counts_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="working_days must be 0 or more"):
        due_after_working_days(start=uk(2027, 6, 3), working_days=-1, jurisdiction=SCOTLAND)
    with pytest.raises(ValueError, match="hours must be 0 or more"):
        due_after_hours(start=uk(2027, 6, 3), hours=-1)


def test_it_counts_done_exactly_on_the_deadline_as_on_time_and_a_second_later_as_late() -> None:
    due = uk(2027, 6, 8)

    assert is_late(due=due, done=due) is False
    assert is_late(due=due, done=due + timedelta(seconds=1)) is True
    assert is_late(due=due, done=due - timedelta(seconds=1)) is False


def test_it_compares_deadlines_as_instants_whatever_their_zones() -> None:
    due = uk(2027, 6, 8)  # 08:30 UTC

    assert is_late(due=due, done=datetime(2027, 6, 8, 8, 30, tzinfo=UTC)) is False
    assert is_late(due=due, done=datetime(2027, 6, 8, 8, 30, 1, tzinfo=UTC)) is True


def test_it_judges_lateness_by_real_time_in_the_hour_repeated_when_the_clocks_go_back() -> None:
    # On 25 Oct 2026, 01:10 GMT (the second 01:10) comes 40 minutes after 01:30 BST.
    due = datetime(2026, 10, 25, 1, 30, tzinfo=UK_TIME)
    done = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=UK_TIME)

    assert is_late(due=due, done=done) is True


def test_it_refuses_to_judge_lateness_from_a_naive_time() -> None:
    with pytest.raises(ValueError, match="done must be timezone-aware"):
        is_late(due=uk(2027, 6, 8), done=datetime(2027, 6, 8, 9, 30))


def test_it_finds_a_contact_note_late_only_after_one_working_day_for_record_1wd() -> None:
    # Contact on Thursday 24 Dec 2026 at 15:00: due Tuesday 29 Dec at 15:00 after Christmas.
    occurred_at = uk(2026, 12, 24, 15, 0)
    due = uk(2026, 12, 29, 15, 0)

    def late(recorded_at: datetime) -> bool:
        return recorded_late(
            occurred_at=occurred_at, recorded_at=recorded_at, jurisdiction=ENGLAND_AND_WALES
        )

    assert late(due) is False
    assert late(due + timedelta(seconds=1)) is True
