"""Programmes, groups and sessions with the standards' refusals and warnings (rules group-size,
facilitators, facilitator-load, dose, dbs, not-same-staff, iss-before-start)."""

from datetime import time, timedelta

import pytest

from tandem.cases.models import Stage
from tandem.conftest import ServiceStaff
from tandem.delivery.models import DeliveryException
from tandem.delivery.services import (
    WarningsNeedReason,
    group_participant_add,
    programme_create,
)
from tandem.delivery.tests.builders import (
    MONDAY,
    NOW,
    group_session,
    group_with,
    men_in_intervention,
    programme,
    with_check,
)
from tandem.lib.errors import ActionRefused

pytestmark = pytest.mark.django_db


def test_it_refuses_a_behaviour_change_programme_below_the_dose_without_a_reason(
    staffed_service: ServiceStaff,
) -> None:
    """Rule dose (NE 4.8, R08 B1.2): 74 hours over 30 weeks is below 75 hours."""
    with pytest.raises(WarningsNeedReason) as refused:
        programme(staffed_service, planned_contact_hours=74)
    assert refused.value.rule_id == "dose"
    assert refused.value.field == "exception_reason"
    assert not DeliveryException.objects.exists()
    made = programme(staffed_service, planned_contact_hours=74, exception_reason="Synthetic pilot")
    exception = DeliveryException.objects.get()
    assert exception.programme == made
    assert exception.rule_ids == ["dose"]


def test_it_accepts_exactly_75_hours_over_30_weeks(staffed_service: ServiceStaff) -> None:
    """Rule dose: exactly on the boundary needs no reason."""
    programme(staffed_service, planned_contact_hours=75, planned_weeks=30)
    assert not DeliveryException.objects.exists()


def test_it_does_not_apply_the_group_dose_to_one_to_one_programmes(
    staffed_service: ServiceStaff,
) -> None:
    programme_create(
        service=staffed_service.service,
        actor=staffed_service.service_manager,
        name="Synthetic one-to-one",
        kind="one_to_one",
        planned_contact_hours=12,
        planned_weeks=12,
        now=NOW,
    )
    assert not DeliveryException.objects.exists()


def test_it_refuses_a_man_not_in_the_intervention_or_of_another_service(
    staffed_service: ServiceStaff,
) -> None:
    """Rule iss-before-start: only a case of the group's service in the intervention joins."""
    group = group_with(staffed_service, men=6)
    (assessed,) = men_in_intervention(staffed_service, 1)
    assessed.stage = Stage.ASSESSED
    assessed.save()
    with pytest.raises(ActionRefused) as refused:
        group_participant_add(
            group=group,
            actor=staffed_service.perpetrator_worker,
            expected_version=group.version,
            case=assessed,
            joined_on=MONDAY,
            now=NOW,
        )
    assert (refused.value.field, refused.value.rule_id) == ("case", "iss-before-start")
    other = staffed_service.other_service_worker.memberships.get().service
    (elsewhere,) = men_in_intervention(staffed_service, 1, service=other)
    with pytest.raises(ActionRefused, match="another service"):
        group_participant_add(
            group=group,
            actor=staffed_service.perpetrator_worker,
            expected_version=group.version,
            case=elsewhere,
            joined_on=MONDAY,
            now=NOW,
        )


def test_it_warns_when_a_13th_man_joins(staffed_service: ServiceStaff) -> None:
    """Rule group-size: 12 is the maximum; the 13th joins only with a reason."""
    group = group_with(staffed_service, men=12)
    assert not DeliveryException.objects.exists()
    (extra,) = men_in_intervention(staffed_service, 1)
    with pytest.raises(WarningsNeedReason, match="13 participants"):
        group_participant_add(
            group=group,
            actor=staffed_service.perpetrator_worker,
            expected_version=group.version,
            case=extra,
            joined_on=MONDAY,
            now=NOW,
        )
    assert group.participants.count() == 12


def test_it_plans_a_session_within_the_standards_without_a_reason(
    staffed_service: ServiceStaff,
) -> None:
    """Rules group-size (exactly 6), facilitators (female + male), facilitator-load (30+30)."""
    group = group_with(staffed_service, men=6)
    group_session(staffed_service, group)
    assert not DeliveryException.objects.exists()


def test_it_warns_for_five_men_two_male_facilitators_and_short_slots(
    staffed_service: ServiceStaff,
) -> None:
    """Rules group-size, facilitators, facilitator-load: every warning named at once."""
    group = group_with(staffed_service, men=5)
    with_check(staffed_service.service_manager, staffed_service.service, "male")
    with pytest.raises(WarningsNeedReason) as refused:
        group_session(staffed_service, group, planning_minutes=29, debrief_minutes=30)
    rules = {warning.rule_id for warning in refused.value.warnings}
    assert rules == {"group-size", "facilitators", "facilitator-load"}
    session = group_session(
        staffed_service, group, planning_minutes=29, exception_reason="Synthetic: cover needed"
    )
    exception = DeliveryException.objects.get()
    assert exception.session == session
    assert exception.rule_ids == ["facilitator-load", "facilitators", "group-size"]
    assert exception.reason == "Synthetic: cover needed"


def test_it_warns_on_a_third_group_in_a_day_and_a_fourth_in_a_week(
    staffed_service: ServiceStaff,
) -> None:
    """Rule facilitator-load (NE 4.9): two a day and three a week are allowed, not more."""
    group = group_with(staffed_service, men=8)
    group_session(staffed_service, group, held_on=MONDAY)
    group_session(staffed_service, group, held_on=MONDAY, starts_at=time(10), ends_at=time(12))
    with pytest.raises(WarningsNeedReason, match="3 groups on"):
        group_session(staffed_service, group, held_on=MONDAY, starts_at=time(13), ends_at=time(15))
    group_session(staffed_service, group, held_on=MONDAY + timedelta(days=2))
    with pytest.raises(WarningsNeedReason, match="4 groups in the week"):
        group_session(staffed_service, group, held_on=MONDAY + timedelta(days=6))
    # The next Monday starts a new week.
    group_session(staffed_service, group, held_on=MONDAY + timedelta(days=7))


def test_it_refuses_an_iss_worker_or_a_worker_without_a_current_check_as_facilitator(
    staffed_service: ServiceStaff,
) -> None:
    """Rules not-same-staff (R22 C1.5) and dbs (R22 A3.3)."""
    group = group_with(staffed_service, men=6)
    iss = with_check(staffed_service.iss_worker, staffed_service.service, "female")
    with pytest.raises(ActionRefused) as refused:
        group_session(
            staffed_service, group, facilitators=[staffed_service.perpetrator_worker, iss]
        )
    assert (refused.value.field, refused.value.rule_id) == ("facilitators", "not-same-staff")
    from tandem.workforce.models import CriminalRecordCheck

    CriminalRecordCheck.objects.filter(worker__user=staffed_service.service_manager).update(
        issued_on=MONDAY - timedelta(days=365 * 3 + 1)
    )
    with pytest.raises(ActionRefused) as refused:
        group_session(staffed_service, group)
    assert (refused.value.field, refused.value.rule_id) == ("facilitators", "dbs")


def test_it_refuses_a_session_that_ends_before_it_starts(staffed_service: ServiceStaff) -> None:
    group = group_with(staffed_service, men=6)
    with pytest.raises(ActionRefused) as refused:
        group_session(staffed_service, group, starts_at=time(20), ends_at=time(20))
    assert refused.value.field == "ends_at"
