"""`tandem deadline`: support staff ask the deadline calculator directly."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def deadline(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def test_it_prints_only_the_due_time_for_the_example_in_the_issue() -> None:
    # engagement-change: survivor told within 3 working days, Northern Ireland.
    printed = deadline(
        "2027-06-03T09:30", "--working-days", "3", "--jurisdiction", "northern-ireland"
    )

    assert printed == "2027-06-08T09:30:00+01:00\n"


def test_it_adds_24_real_hours_for_iss_handover() -> None:
    assert deadline("2027-06-03T09:30", "--hours", "24") == "2027-06-04T09:30:00+01:00\n"


def test_it_adds_real_hours_across_the_clocks_going_forward() -> None:
    # iss-handover: Saturday noon GMT plus 24 hours is Sunday 13:00 BST (29 March 2026).
    assert deadline("2026-03-28T12:00", "--hours", "24") == "2026-03-29T13:00:00+01:00\n"


def test_it_keeps_the_local_time_for_working_days_across_the_clocks_going_back() -> None:
    # record-1wd: Friday 09:30 BST plus 1 working day is Monday 09:30 GMT (25 October 2026).
    printed = deadline("2026-10-23T09:30", "--working-days", "1")

    assert printed == "2026-10-26T09:30:00+00:00\n"


def test_it_uses_england_and_wales_bank_holidays_unless_told_otherwise() -> None:
    # iss-contact over Easter 2027: Easter Monday (29 March) is a bank holiday except in Scotland.
    assert deadline("2027-03-25T09:30", "--working-days", "1") == "2027-03-30T09:30:00+01:00\n"
    assert (
        deadline("2027-03-25T09:30", "--working-days", "1", "--jurisdiction", "scotland")
        == "2027-03-29T09:30:00+01:00\n"
    )


def test_it_respects_an_offset_given_in_start() -> None:
    # 08:30 UTC is 09:30 in the UK in June.
    for start in ("2027-06-03T08:30:00+00:00", "2027-06-03T08:30Z"):
        assert deadline(start, "--working-days", "3") == "2027-06-08T09:30:00+01:00\n"


def test_it_returns_the_start_for_zero_working_days() -> None:
    assert deadline("2026-12-26T10:00", "--working-days", "0") == "2026-12-26T10:00:00+00:00\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["next tuesday", "--hours", "24"],
            "START 'next tuesday' is not an ISO 8601 date-time, e.g. 2027-06-03T09:30",
        ),
        (
            ["2027-02-30T09:30", "--hours", "24"],
            "START '2027-02-30T09:30' is not an ISO 8601 date-time, e.g. 2027-06-03T09:30",
        ),
        (
            ["2027-03-28T01:30", "--hours", "24"],
            "START '2027-03-28T01:30' does not exist in UK local time: the clocks went forward",
        ),
        (
            ["2027-06-03T09:30", "--working-days", "-1"],
            "--working-days must be a whole number, 0 or more, not '-1'",
        ),
        (
            ["2027-06-03T09:30", "--working-days", "1.5"],
            "--working-days must be a whole number, 0 or more, not '1.5'",
        ),
        (
            ["2027-06-03T09:30", "--hours", "-24"],
            "--hours must be a whole number, 0 or more, not '-24'",
        ),
        (
            ["2027-06-03T09:30", "--working-days", "3", "--hours", "24"],
            "--working-days and --hours cannot be given together: give one",
        ),
        (["2027-06-03T09:30"], "give --working-days N or --hours N"),
        (
            ["2027-06-03T09:30", "--working-days", "3", "--jurisdiction", "wales"],
            "--jurisdiction 'wales' is not one of england-and-wales, scotland, northern-ireland",
        ),
        (
            ["2027-06-03T09:30", "--hours", "24", "--jurisdiction", "wales"],
            "--jurisdiction 'wales' is not one of england-and-wales, scotland, northern-ireland",
        ),
        (
            ["9999-12-31T09:30", "--hours", "24"],
            "--hours 24 after START falls beyond the year 9999, the calendar's end",
        ),
    ],
)
def test_it_refuses_bad_input_naming_the_argument_and_the_problem(
    args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as refused:
        deadline(*args)

    assert str(refused.value) == message


def test_it_fails_on_the_command_line_with_one_line_and_no_traceback() -> None:
    tandem = Path(sys.executable).parent / "tandem"

    finished = subprocess.run(
        [str(tandem), "deadline", "2027-06-03T09:30", "--working-days", "-1"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [
        "CommandError: --working-days must be a whole number, 0 or more, not '-1'"
    ]
