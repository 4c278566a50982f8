"""Builders for the workforce tests, and for tests in any app: workforce personas on top of the
shared staffed service; someone on a service's staff with a worker record and a current criminal
record check (rule dbs), so they can be allocated cases and sessions; group sessions to count for
rule mentoring."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from tandem.access.roles import Role
from tandem.conftest import ServiceStaff
from tandem.delivery.models import DeliverySession, Programme, SessionType
from tandem.delivery.models import Group as DeliveryGroup
from tandem.lib.calendar import Jurisdiction
from tandem.organisations.models import Service, StaffMembership
from tandem.workforce.models import (
    SCHEME_FOR_JURISDICTION,
    CheckLevel,
    CriminalRecordCheck,
    EmploymentType,
    Worker,
)

TODAY = date(2026, 11, 23)


def worker_with_current_check(
    *, user: User, service: Service, gender: str = "", issued_on: date | None = None
) -> Worker:
    """The user's worker record in the service's organisation (created if missing), with an
    enhanced check of the service's jurisdiction's scheme, issued a year ago unless stated."""
    worker, _ = Worker.objects.get_or_create(
        user=user,
        organisation_id=service.organisation_id,
        defaults={
            "employment_type": EmploymentType.STAFF,
            "job_title": "Synthetic worker",
            "started_on": date(2024, 1, 1),
            "gender": gender,
        },
    )
    CriminalRecordCheck.objects.create(
        worker=worker,
        scheme=SCHEME_FOR_JURISDICTION[Jurisdiction(service.jurisdiction)],
        level=CheckLevel.ENHANCED_BARRED,
        # No number: fixtures write no encrypted value, so tests of key rotation own every token.
        certificate_number="",
        issued_on=issued_on or date.today() - timedelta(days=365),
    )
    return worker


def person(username: str, role: Role | None, service: Service | None, side: str = "") -> User:
    user = User.objects.create_user(
        username=username, first_name="Synthetic", last_name=username.title()
    )
    if role is not None:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if service is not None:
        StaffMembership.objects.create(
            user=user, service=service, side=side, started_on=date(2024, 1, 1)
        )
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Workforce:
    staff: ServiceStaff
    service: Service
    manager: User
    hr: User
    practice_manager: User
    other_manager: User
    other_service: Service
    worker: Worker  # the perpetrator worker's record
    other_worker: Worker  # the ISS worker's record
    manager_worker: Worker


def group_sessions_facilitated_by(
    *, service: Service, facilitators: list[User], days: Iterable[date]
) -> list[DeliverySession]:
    """Synthetic group sessions of the service held on `days`, facilitated by `facilitators`
    (made directly: the delivery gates are tandem.delivery's tests)."""
    planner = facilitators[0]
    programme, _ = Programme.objects.get_or_create(
        service=service,
        name="Synthetic Mentoring Programme",
        defaults={
            "kind": "behaviour_change",
            "planned_contact_hours": 78,
            "planned_weeks": 30,
            "created_by": planner,
            "created_at": timezone.now(),
        },
    )
    group, _ = DeliveryGroup.objects.get_or_create(
        service=service,
        name="Synthetic Mentoring Group",
        defaults={"programme": programme, "format": "rolling", "starts_on": date(2024, 1, 1)},
    )
    sessions = []
    for day in days:
        session = DeliverySession.objects.create(
            service=service,
            session_type=SessionType.GROUP,
            group=group,
            held_on=day,
            starts_at=time(18, 0),
            ends_at=time(20, 30),
            planning_minutes=30,
            debrief_minutes=30,
            planned_by=planner,
            planned_at=timezone.now(),
        )
        session.facilitators.set(facilitators)
        sessions.append(session)
    return sessions
