"""Workforce personas on top of the shared staffed service: its service manager manages the
organisation's workers; HR, a practice manager, and a manager of another organisation."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from tandem.access.roles import Role
from tandem.conftest import ServiceStaff
from tandem.delivery.models import DeliverySession, Programme, SessionType
from tandem.delivery.models import Group as DeliveryGroup
from tandem.organisations.models import Organisation, Service, StaffMembership
from tandem.workforce.models import Worker

TODAY = date(2026, 11, 23)


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


@pytest.fixture
def workforce(staffed_service: ServiceStaff) -> Workforce:
    service = staffed_service.service
    other_org = Organisation.objects.create(name="Synthetic Other Organisation")
    other_service = Service.objects.create(
        organisation=other_org,
        name="Other DAPP",
        jurisdiction="england-and-wales",
        delivery="group",
        iss_provision="internal",
    )
    return Workforce(
        staff=staffed_service,
        service=service,
        manager=staffed_service.service_manager,
        hr=person("hr", Role.HR, service, "management"),
        practice_manager=person("pm", Role.PRACTICE_MANAGER, service, "perpetrator"),
        other_manager=person("other-sm", Role.SERVICE_MANAGER, other_service, "both"),
        other_service=other_service,
        worker=Worker.objects.get(user=staffed_service.perpetrator_worker),
        other_worker=Worker.objects.get(user=staffed_service.iss_worker),
        manager_worker=Worker.objects.get(user=staffed_service.service_manager),
    )


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
