"""Attendance feeds the perpetrator case (rule engagement-change), the dose each man has had
(rule dose) and the recordings register with its review sample (rule recording)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.cases.models import EngagementChange, PerpetratorCase
from tandem.cases.tests.builders import TWO_SURVIVORS, in_intervention
from tandem.compliance.models import DueTask, TaskSide
from tandem.conftest import ServiceStaff
from tandem.delivery.gates import Dose
from tandem.delivery.models import Attendance, DeliveryException, DeliverySession, RecordingConsent
from tandem.delivery.selectors import (
    group_register,
    review_sample_rates,
    session_participants,
    weeks_spanned,
)
from tandem.delivery.services import (
    AttendanceEntry,
    WarningsNeedReason,
    attendance_record,
    group_participant_add,
    recording_register,
    recording_review_record,
)
from tandem.delivery.tests.builders import MONDAY, NOW, group_session, group_with
from tandem.lib.errors import ActionRefused, StaleRecord

pytestmark = pytest.mark.django_db

CHECKSUM = "a" * 64


def all_attended(session: DeliverySession, **overrides: AttendanceEntry) -> list[AttendanceEntry]:
    return [
        overrides.get(case.reference, AttendanceEntry(case.pk, "attended"))
        for case in session_participants(session=session)
    ]


def record(
    staff: ServiceStaff, session: DeliverySession, entries: list[AttendanceEntry], **kw: object
) -> list[Attendance]:
    session.refresh_from_db()
    return attendance_record(
        session=session,
        actor=staff.perpetrator_worker,
        expected_version=session.version,
        entries=entries,
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )


def test_it_tells_his_case_of_an_absence_once_with_the_iss_and_survivor_tasks(
    staffed_service: ServiceStaff,
) -> None:
    """Rule engagement-change (R22 C1.8): an absence is a missed session; the ISS is to be told
    within 24 hours and each survivor within 3 working days; recording again adds nothing."""
    staff = staffed_service
    group = group_with(staff, men=6)
    man = in_intervention(staff, survivors=TWO_SURVIVORS)
    group_participant_add(
        group=group,
        actor=staff.perpetrator_worker,
        expected_version=group.version,
        case=man,
        joined_on=MONDAY - timedelta(days=7),
        now=NOW,
    )
    session = group_session(staff, group)
    absent = AttendanceEntry(man.pk, "absent_without_notice")
    record(staff, session, all_attended(session, **{man.reference: absent}))
    change = EngagementChange.objects.get(case=man)
    assert change.change == "missed_session"
    tasks = DueTask.objects.filter(perpetrator_case=man, rule_id="engagement-change")
    assert tasks.filter(side=TaskSide.PERPETRATOR, due_at=NOW + timedelta(hours=24)).count() == 1
    assert tasks.filter(side=TaskSide.ISS).count() == 2
    assert Attendance.objects.get(case=man).engagement_change == change
    record(staff, session, all_attended(session, **{man.reference: absent}))
    assert EngagementChange.objects.filter(case=man).count() == 1
    assert tasks.count() == 3


def test_it_counts_an_exclusion_and_an_absence_with_notice_as_missed(
    staffed_service: ServiceStaff,
) -> None:
    """Rule engagement-change: absent with notice and excluded are missed sessions too; late is
    not."""
    group = group_with(staffed_service, men=6)
    session = group_session(staffed_service, group)
    first, second, third = session_participants(session=session)[:3]
    record(
        staffed_service,
        session,
        all_attended(
            session,
            **{
                first.reference: AttendanceEntry(first.pk, "absent_with_notice"),
                second.reference: AttendanceEntry(second.pk, "excluded", 40),
                third.reference: AttendanceEntry(third.pk, "late", 120),
            },
        ),
        exception_reason="Synthetic: only 4 present",
    )
    assert set(EngagementChange.objects.values_list("case", flat=True)) == {first.pk, second.pk}
    assert DeliveryException.objects.get().rule_ids == ["group-size"]


def test_it_refuses_attendance_with_a_participant_missing_and_saves_nothing(
    staffed_service: ServiceStaff,
) -> None:
    group = group_with(staffed_service, men=6)
    session = group_session(staffed_service, group)
    entries = all_attended(session)
    with pytest.raises(ActionRefused) as refused:
        record(staffed_service, session, entries[:-1])
    assert refused.value.field == f"status_{entries[-1].case_id}"
    assert not Attendance.objects.exists()


def test_it_needs_the_minutes_for_a_late_man_and_no_more_than_the_session(
    staffed_service: ServiceStaff,
) -> None:
    group = group_with(staffed_service, men=6)
    session = group_session(staffed_service, group)
    man = session_participants(session=session)[0]
    for minutes in (None, 151):
        with pytest.raises(ActionRefused) as refused:
            record(
                staffed_service,
                session,
                all_attended(session, **{man.reference: AttendanceEntry(man.pk, "late", minutes)}),
            )
        assert refused.value.field == f"minutes_{man.pk}"
    assert not EngagementChange.objects.exists()


def test_it_refuses_attendance_before_the_session_and_from_a_stale_page(
    staffed_service: ServiceStaff,
) -> None:
    group = group_with(staffed_service, men=6)
    future = group_session(staffed_service, group, held_on=NOW.date() + timedelta(days=1))
    with pytest.raises(ActionRefused) as refused:
        record(staffed_service, future, all_attended(future))
    assert refused.value.field == "held_on"
    session = group_session(staffed_service, group)
    with pytest.raises(StaleRecord):
        attendance_record(
            session=session,
            actor=staffed_service.perpetrator_worker,
            expected_version=session.version + 1,
            entries=all_attended(session),
            now=NOW,
        )


def test_it_asks_a_reason_when_fewer_than_6_are_present(staffed_service: ServiceStaff) -> None:
    """Rule group-size: 5 present out of 6 is below the 6 of the standard."""
    group = group_with(staffed_service, men=6)
    session = group_session(staffed_service, group)
    man = session_participants(session=session)[0]
    entries = all_attended(
        session, **{man.reference: AttendanceEntry(man.pk, "absent_with_notice")}
    )
    with pytest.raises(WarningsNeedReason):
        record(staffed_service, session, entries)
    assert not EngagementChange.objects.exists()


def test_it_shows_each_mans_dose_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff,
) -> None:
    """Rule dose: hours and weeks attended, counted set-based whatever the size of the group."""
    group = group_with(staffed_service, men=8)
    for week in range(3):
        session = group_session(staffed_service, group, held_on=MONDAY - timedelta(weeks=week))
        record(staffed_service, session, all_attended(session))
    with CaptureQueriesContext(connection) as queries:
        sessions, rows = group_register(group=group)
    assert len(queries) <= 4
    assert len(sessions) == 3
    assert len(rows) == 8
    assert rows[0].dose.minutes == 3 * 150
    assert rows[0].dose.weeks == 3
    assert not rows[0].dose.meets_ne


def test_it_meets_the_dose_at_exactly_75_hours_over_30_weeks() -> None:
    """Rule dose (NE 4.8, R08 B1.2): the boundaries."""
    assert Dose(minutes=75 * 60, weeks=30, planned_hours=75, planned_weeks=30).meets_ne
    assert not Dose(minutes=75 * 60 - 1, weeks=30, planned_hours=75, planned_weeks=30).meets_ne
    assert not Dose(minutes=75 * 60, weeks=29, planned_hours=75, planned_weeks=30).meets_ne
    assert Dose(minutes=60 * 60, weeks=1, planned_hours=75, planned_weeks=30).meets_2008
    assert weeks_spanned(date(2026, 1, 5), date(2026, 7, 27)) == 30
    assert weeks_spanned(None, None) == 0


def test_it_registers_a_group_recording_on_video_with_each_mans_consent(
    staffed_service: ServiceStaff,
) -> None:
    """Rule recording (R22-S B6.4): group sessions on video; consent as on his case."""
    group = group_with(staffed_service, men=6)
    session = group_session(staffed_service, group)
    with pytest.raises(ActionRefused) as refused:
        recording_register(
            session=session,
            actor=staffed_service.perpetrator_worker,
            medium="audio",
            storage_location="synthetic://recordings/1",
            checksum_sha256=CHECKSUM,
            retain_until=MONDAY + timedelta(days=365),
            now=NOW,
        )
    assert (refused.value.field, refused.value.rule_id) == ("medium", "recording")
    with pytest.raises(ActionRefused) as refused:
        recording_register(
            session=session,
            actor=staffed_service.perpetrator_worker,
            medium="video",
            storage_location="synthetic://recordings/1",
            checksum_sha256="not-a-checksum",
            retain_until=MONDAY + timedelta(days=365),
            now=NOW,
        )
    assert refused.value.field == "checksum_sha256"
    man = session_participants(session=session)[0]
    man.consent_covers_recorded_sessions = False
    man.save()
    recording = recording_register(
        session=session,
        actor=staffed_service.perpetrator_worker,
        medium="video",
        storage_location="synthetic://recordings/1",
        checksum_sha256=CHECKSUM.upper(),
        retain_until=MONDAY + timedelta(days=365),
        now=NOW,
    )
    assert recording.checksum_sha256 == CHECKSUM
    consents = dict(RecordingConsent.objects.values_list("case__reference", "status"))
    assert len(consents) == 6
    assert consents[man.reference] == "not_given"


def test_it_shows_the_review_sample_rate_per_facilitator(staffed_service: ServiceStaff) -> None:
    """Rule recording (R08 B1.5): about one in five group recordings reviewed; 1 of 5 meets it,
    0 of 5 does not."""
    group = group_with(staffed_service, men=6)
    sessions = [
        group_session(staffed_service, group, held_on=MONDAY - timedelta(weeks=week))
        for week in range(5)
    ]
    recording = recording_register(
        session=sessions[0],
        actor=staffed_service.perpetrator_worker,
        medium="video",
        storage_location="synthetic://recordings/1",
        checksum_sha256=CHECKSUM,
        retain_until=MONDAY + timedelta(days=365),
        now=NOW,
    )
    overall, people = review_sample_rates(user=staffed_service.service_manager, today=NOW.date())
    assert (overall.sessions, overall.recorded, overall.reviewed) == (5, 1, 0)
    assert not overall.meets_target
    with pytest.raises(ActionRefused) as refused:
        recording_review_record(
            recording=recording,
            actor=staffed_service.service_manager,
            reviewed_on=NOW.date(),
            observations="",
            feedback="Synthetic feedback",
            now=NOW,
        )
    assert (refused.value.field, refused.value.rule_id) == ("observations", "recording")
    recording_review_record(
        recording=recording,
        actor=staffed_service.service_manager,
        reviewed_on=NOW.date(),
        observations="Synthetic: good challenge of minimisation",
        feedback="Synthetic: more space for quieter members",
        now=NOW,
    )
    overall, people = review_sample_rates(user=staffed_service.service_manager, today=NOW.date())
    assert overall.meets_target
    assert overall.percent == 20
    assert len(people) == 2
    assert all(rate.reviewed == 1 for rate in people)


def test_it_leaves_a_man_whose_case_closed_out_of_later_sessions(
    staffed_service: ServiceStaff,
) -> None:
    """A closed case has no engagement to change: he is no longer a participant after it."""
    group = group_with(staffed_service, men=7)
    session = group_session(staffed_service, group)
    man = session_participants(session=session)[0]
    PerpetratorCase.objects.filter(pk=man.pk).update(
        stage="closed",
        closed_at=NOW.replace(year=MONDAY.year, month=MONDAY.month, day=MONDAY.day)
        - timedelta(days=1),
    )
    assert man not in session_participants(session=session)
    record(staffed_service, session, all_attended(session))
    assert Attendance.objects.count() == 6
