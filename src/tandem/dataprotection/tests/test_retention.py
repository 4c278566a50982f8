"""`tandem retention run`: records past their retention period are anonymised, unless a legal
hold keeps them; a dry run changes nothing; the report counts per record type (issue 12)."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command

from tandem.audit.models import AuditEvent
from tandem.cases.models import PerpetratorCase
from tandem.cases.tests.builders import iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.dataprotection.models import Anonymisation, LegalHold, RecordType
from tandem.dataprotection.retention import RetentionLine, retention_run
from tandem.dataprotection.services import legal_hold_lift, legal_hold_place
from tandem.demo.plans import MIN_SIZE
from tandem.demo.tests.builders import TODAY, demo_loaded
from tandem.governance.services.complaints import complaint_receive, complaint_update
from tandem.lib.anonymise import ANONYMISED
from tandem.support.models import IssCase, Survivor
from tandem.support.services.iss_cases import iss_case_close
from tandem.support.tests.builders import closed

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CLOSED_AT = datetime(2026, 11, 23, 15, 0, tzinfo=LONDON)
# Six years (the default) after the day of closure: the anniversary keeps it, the day after not.
ANNIVERSARY = datetime(2032, 11, 23, 23, 30, tzinfo=LONDON)
DAY_AFTER = datetime(2032, 11, 24, 0, 30, tzinfo=LONDON)


def closed_case_and_iss_case(staff: ServiceStaff) -> tuple[PerpetratorCase, IssCase]:
    case = closed(staff, received(staff), at=CLOSED_AT)
    iss_case = iss_case_of(case)
    iss_case = iss_case_close(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        reason="Support ended (synthetic)",
        early_closure_reason="She moved away (synthetic)",
        now=CLOSED_AT,
    )
    return case, iss_case


def line(lines: list[RetentionLine], record_type: RecordType) -> tuple[int, int, int]:
    found = next(line for line in lines if line.record_type == record_type)
    return found.past_retention, found.held, found.anonymised


def test_a_case_closed_six_years_ago_today_is_kept_and_one_a_day_older_is_anonymised(
    staffed_service: ServiceStaff,
) -> None:
    case, iss_case = closed_case_and_iss_case(staffed_service)

    kept = retention_run(now=ANNIVERSARY, dry_run=False)

    assert line(kept, RecordType.PERPETRATOR_CASES) == (0, 0, 0)
    assert line(kept, RecordType.ISS_CASES) == (0, 0, 0)
    case.refresh_from_db()
    assert case.first_name == "Testperson"

    gone = retention_run(now=DAY_AFTER, dry_run=False)

    assert line(gone, RecordType.PERPETRATOR_CASES) == (1, 0, 1)
    assert line(gone, RecordType.ISS_CASES) == (1, 0, 1)
    case.refresh_from_db()
    assert (case.first_name, case.last_name, case.referrer_name) == (ANONYMISED,) * 3
    assert case.date_of_birth == date(1985, 1, 1)  # his year of birth kept for the counts
    assert (case.reference, case.closed_at, case.stage) != ("", None, "")
    survivor = Survivor.objects.get(pk=iss_case.survivor_id)
    assert (survivor.first_name, survivor.phone, survivor.date_of_birth) == (
        ANONYMISED,
        ANONYMISED,
        None,
    )
    assert all(point.value == ANONYMISED for point in survivor.contact_points.all())
    assert IssCase.objects.get(pk=iss_case.pk).closure_reason == ANONYMISED
    assert AuditEvent.objects.filter(
        object_id=str(case.pk), summary__startswith="anonymised: closed more than 6 years ago"
    ).exists()


def test_what_was_anonymised_is_not_counted_again(staffed_service: ServiceStaff) -> None:
    closed_case_and_iss_case(staffed_service)
    retention_run(now=DAY_AFTER, dry_run=False)

    again = retention_run(now=DAY_AFTER, dry_run=False)

    assert line(again, RecordType.PERPETRATOR_CASES) == (0, 0, 0)
    assert Anonymisation.objects.count() == 2


def test_a_held_case_and_the_iss_case_linked_to_it_are_kept_until_the_hold_is_lifted(
    staffed_service: ServiceStaff,
) -> None:
    case, iss_case = closed_case_and_iss_case(staffed_service)
    hold = legal_hold_place(
        case=case,
        reason="Family court proceedings (synthetic)",
        actor=staffed_service.service_manager,
    )

    held = retention_run(now=DAY_AFTER, dry_run=False)

    assert line(held, RecordType.PERPETRATOR_CASES) == (1, 1, 0)
    assert line(held, RecordType.ISS_CASES) == (1, 1, 0)
    assert PerpetratorCase.objects.get(pk=case.pk).first_name == "Testperson"
    assert Survivor.objects.get(pk=iss_case.survivor_id).first_name == "Alice"

    legal_hold_lift(
        hold=hold, reason="Proceedings ended (synthetic)", actor=staffed_service.service_manager
    )
    lifted = retention_run(now=DAY_AFTER, dry_run=False)

    assert line(lifted, RecordType.PERPETRATOR_CASES) == (1, 0, 1)
    assert line(lifted, RecordType.ISS_CASES) == (1, 0, 1)


def test_a_hold_on_her_iss_case_keeps_his_linked_case_too(staffed_service: ServiceStaff) -> None:
    _, iss_case = closed_case_and_iss_case(staffed_service)
    legal_hold_place(
        case=iss_case, reason="Civil claim (synthetic)", actor=staffed_service.service_manager
    )

    held = retention_run(now=DAY_AFTER, dry_run=False)

    assert line(held, RecordType.PERPETRATOR_CASES) == (1, 1, 0)
    assert line(held, RecordType.ISS_CASES) == (1, 1, 0)


def test_a_dry_run_changes_nothing_and_reports_what_it_would_do(
    staffed_service: ServiceStaff,
) -> None:
    case, _ = closed_case_and_iss_case(staffed_service)
    output = StringIO()

    call_command("retention", "run", "--dry-run", stdout=output)  # today: not yet past
    dry = retention_run(now=DAY_AFTER, dry_run=True)

    assert "Dry run: nothing changed." in output.getvalue()
    assert line(dry, RecordType.PERPETRATOR_CASES) == (1, 0, 0)
    assert PerpetratorCase.objects.get(pk=case.pk).first_name == "Testperson"
    assert not Anonymisation.objects.exists()


def test_the_command_reports_per_record_type(staffed_service: ServiceStaff) -> None:
    output = StringIO()

    call_command("retention", "run", stdout=output)

    assert output.getvalue().splitlines() == [
        "Closed perpetrator cases (kept 6 years): 0 past retention, 0 kept by a legal hold, 0 anonymised.",
        "Closed ISS cases (kept 6 years): 0 past retention, 0 kept by a legal hold, 0 anonymised.",
        "Answered complaints (kept 6 years): 0 past retention, 0 kept by a legal hold, 0 anonymised.",
    ]


def test_the_retention_period_is_configurable(
    staffed_service: ServiceStaff, settings: object
) -> None:
    closed_case_and_iss_case(staffed_service)
    settings.TANDEM_RETENTION_YEARS = {  # type: ignore[attr-defined]
        "perpetrator-cases": 7,
        "iss-cases": 6,
        "complaints": 6,
    }

    lines = retention_run(now=DAY_AFTER, dry_run=False)

    assert line(lines, RecordType.PERPETRATOR_CASES) == (0, 0, 0)
    assert line(lines, RecordType.ISS_CASES) == (1, 0, 1)


def test_an_answered_complaint_is_anonymised_the_day_after_its_anniversary(
    staffed_service: ServiceStaff,
) -> None:
    manager = staffed_service.service_manager
    complaint = complaint_receive(
        service=staffed_service.service,
        received_on=date(2026, 11, 2),
        complainant="A service user (synthetic)",
        summary="Synthetic complaint about a session time",
        response_working_days=None,
        actor=manager,
    )
    complaint_update(
        complaint=complaint,
        investigator=manager,
        investigation="Synthetic investigation",
        outcome="upheld",
        responded_on=date(2026, 11, 23),
        expected_version=complaint.version,
        actor=manager,
    )

    assert line(retention_run(now=ANNIVERSARY, dry_run=False), RecordType.COMPLAINTS) == (0, 0, 0)
    assert line(retention_run(now=DAY_AFTER, dry_run=False), RecordType.COMPLAINTS) == (1, 0, 1)
    complaint.refresh_from_db()
    assert (complaint.complainant, complaint.summary, complaint.outcome) == (
        ANONYMISED,
        ANONYMISED,
        "upheld",
    )


def test_placing_and_lifting_a_hold_is_audited(staffed_service: ServiceStaff) -> None:
    case, _ = closed_case_and_iss_case(staffed_service)
    manager = staffed_service.service_manager

    hold = legal_hold_place(case=case, reason="Inquiry (synthetic)", actor=manager)
    legal_hold_lift(hold=hold, reason="Inquiry closed (synthetic)", actor=manager)

    summaries = set(
        AuditEvent.objects.filter(object_id=str(hold.pk), actor=manager).values_list(
            "summary", flat=True
        )
    )
    assert summaries == {
        "legal hold placed: Inquiry (synthetic)",
        "legal hold lifted: Inquiry closed (synthetic)",
    }
    assert LegalHold.objects.get().lifted_by == manager


def test_every_closed_case_of_the_demo_is_anonymised_seven_years_on() -> None:
    """The demo's 18 months of records, built through the real services, in every shape the
    anonymisation meets (addresses flagged unsafe, DASH, safety plans, reports...)."""
    demo_loaded(size=MIN_SIZE)
    closed_cases = PerpetratorCase.objects.filter(closed_at__isnull=False).count()
    closed_iss_cases = IssCase.objects.filter(closed_at__isnull=False).count()

    lines = retention_run(now=TODAY + relativedelta(years=7), dry_run=False)

    assert closed_cases > 0  # (the demo closes no ISS case: those are counted all the same)
    assert line(lines, RecordType.PERPETRATOR_CASES) == (closed_cases, 0, closed_cases)
    assert line(lines, RecordType.ISS_CASES) == (closed_iss_cases, 0, closed_iss_cases)
    assert set(
        Survivor.objects.filter(iss_case__closed_at__isnull=False).values_list(
            "first_name", flat=True
        )
    ) <= {ANONYMISED}
    assert (
        not PerpetratorCase.objects.filter(closed_at__isnull=False)
        .exclude(first_name=ANONYMISED)
        .exists()
    )
