"""Shared set-up for the delivery tests: synthetic men in the intervention, facilitators with a
worker record and a current criminal record check (rule dbs), a programme and a group."""

from datetime import date, datetime, time, timedelta
from itertools import count

from django.contrib.auth.models import User
from django.utils import timezone

from tandem.cases.models import PerpetratorCase, Stage
from tandem.conftest import ServiceStaff
from tandem.delivery.models import DeliverySession, Group, Programme
from tandem.delivery.services import (
    PlannedProgrammeSession,
    delivery_session_plan,
    group_create,
    group_participant_add,
    programme_create,
)
from tandem.lib.calendar import UK_TIME
from tandem.organisations.models import Service
from tandem.workforce.models import Worker
from tandem.workforce.tests.builders import worker_with_current_check

TODAY = timezone.localdate()
# A Monday two weeks ago: sessions on it and after have been held.
MONDAY = TODAY - timedelta(days=TODAY.weekday() + 14)
NOW = datetime.combine(TODAY, time(9, 0), tzinfo=UK_TIME)
_numbers = count(1)


def men_in_intervention(
    staff: ServiceStaff, n: int, *, service: Service | None = None
) -> list[PerpetratorCase]:
    """Synthetic cases already in the intervention, made directly (their gates are cases' tests)."""
    cases = []
    for _ in range(n):
        number = next(_numbers)
        cases.append(
            PerpetratorCase.objects.create(
                service=service or staff.service,
                reference=f"TD-{number:05d}",
                stage=Stage.IN_INTERVENTION,
                first_name=f"Synthetic{number}",
                last_name="Participant",
                date_of_birth=date(1980, 1, 1),
                referral_received_at=NOW - timedelta(days=120),
                referral_source="agency",
                consent_covers_recorded_sessions=True,
                created_by=staff.perpetrator_worker,
                allocated_worker=staff.perpetrator_worker,
            )
        )
    return cases


def with_check(user: User, service: Service, gender: str) -> User:
    worker = worker_with_current_check(
        user=user, service=service, gender=gender, issued_on=MONDAY - timedelta(days=365)
    )
    # The worker record may already exist (staff get one when they join a service).
    Worker.objects.filter(pk=worker.pk).update(gender=gender)
    return user


def facilitators(staff: ServiceStaff) -> list[User]:
    """A male perpetrator worker and a female service manager, both checked."""
    return [
        with_check(staff.perpetrator_worker, staff.service, "male"),
        with_check(staff.service_manager, staff.service, "female"),
    ]


def programme(staff: ServiceStaff, **overrides: object) -> Programme:
    values: dict[str, object] = {
        "service": staff.service,
        "actor": staff.service_manager,
        "name": "Synthetic Behaviour Change Programme",
        "kind": "behaviour_change",
        "planned_contact_hours": 78,
        "planned_weeks": 30,
        "sessions": [
            PlannedProgrammeSession("Module 1: Foundations", f"Session {n}", 150) for n in (1, 2, 3)
        ],
        "now": NOW,
    }
    values.update(overrides)
    return programme_create(**values)  # type: ignore[arg-type]


def group_with(staff: ServiceStaff, men: int = 8) -> Group:
    group = group_create(
        programme=programme(staff),
        actor=staff.service_manager,
        name="Synthetic Tuesday Group",
        format="rolling",
        starts_on=MONDAY - timedelta(days=28),
        facilitators=facilitators(staff),
        now=NOW,
    )
    for case in men_in_intervention(staff, men):
        group_participant_add(
            group=group,
            actor=staff.perpetrator_worker,
            expected_version=group.version,
            case=case,
            joined_on=MONDAY - timedelta(days=28),
            exception_reason="Synthetic: filling a large group" if men > 12 else "",
            now=NOW,
        )
        group.refresh_from_db()
    return group


def group_session(
    staff: ServiceStaff, group: Group, *, held_on: date = MONDAY, **overrides: object
) -> DeliverySession:
    values: dict[str, object] = {
        "service": staff.service,
        "actor": staff.perpetrator_worker,
        "session_type": "group",
        "group": group,
        "held_on": held_on,
        "starts_at": time(18, 0),
        "ends_at": time(20, 30),
        "facilitators": list(group.facilitators.all()),
        "planning_minutes": 30,
        "debrief_minutes": 30,
        "programme_session": group.programme.sessions.first(),
        "now": NOW,
    }
    values.update(overrides)
    return delivery_session_plan(**values)  # type: ignore[arg-type]
