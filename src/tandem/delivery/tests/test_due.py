"""The recording review on "My work" (rule recording: about one in five group sessions)."""

from datetime import timedelta

import pytest

from tandem.compliance.models import DUE_SOON, OVERDUE
from tandem.conftest import ServiceStaff
from tandem.delivery.due import delivery_due_items_for_user
from tandem.delivery.services import recording_register, recording_review_record
from tandem.delivery.tests.builders import MONDAY, NOW, group_session, group_with

pytestmark = pytest.mark.django_db


def test_it_makes_a_review_due_on_the_fifth_group_session_since_the_last_reviewed(
    staffed_service: ServiceStaff,
) -> None:
    staff = staffed_service
    group = group_with(staff, men=6)
    days = [MONDAY - timedelta(weeks=week) for week in reversed(range(5))]
    sessions = [group_session(staff, group, held_on=day) for day in days[:4]]
    assert delivery_due_items_for_user(user=staff.service_manager, now=NOW) == []
    sessions.append(group_session(staff, group, held_on=days[4]))
    (item,) = delivery_due_items_for_user(user=staff.service_manager, now=NOW)
    assert (item.rule_id, item.due_on, item.urgency) == ("recording", days[4], OVERDUE)
    # Exactly on the day: due, not yet overdue.
    on_the_day = NOW.replace(year=days[4].year, month=days[4].month, day=days[4].day)
    (item,) = delivery_due_items_for_user(user=staff.service_manager, now=on_the_day)
    assert item.urgency == DUE_SOON
    recording = recording_register(
        session=sessions[1],
        actor=staff.perpetrator_worker,
        medium="video",
        storage_location="synthetic://recordings/2",
        checksum_sha256="d" * 64,
        retain_until=MONDAY + timedelta(days=365),
        now=NOW,
    )
    recording_review_record(
        recording=recording,
        actor=staff.service_manager,
        reviewed_on=NOW.date(),
        observations="Synthetic observations",
        feedback="Synthetic feedback",
        now=NOW,
    )
    assert delivery_due_items_for_user(user=staff.service_manager, now=NOW) == []


def test_it_shows_nothing_to_workers_or_the_iss(staffed_service: ServiceStaff) -> None:
    group = group_with(staffed_service, men=6)
    for week in range(5):
        group_session(staffed_service, group, held_on=MONDAY - timedelta(weeks=week))
    for user in (staffed_service.perpetrator_worker, staffed_service.iss_worker):
        assert delivery_due_items_for_user(user=user, now=NOW) == []
