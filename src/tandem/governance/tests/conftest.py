"""Fixtures for the governance tests. None is autouse."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import Group, User

from tandem.access.roles import Role
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Organisation, Service, StaffMembership


@pytest.fixture
def governance_uploads(settings: LazySettings, tmp_path: Path) -> None:
    """Policy documents uploaded by a test go to its own directory, never var/uploads."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def other_manager(staffed_service: ServiceStaff) -> User:
    """A service manager, senior, of another service (with its own organisation)."""
    organisation = Organisation.objects.create(name="Synthetic Other Organisation (not real)")
    other = Service.objects.create(
        organisation=organisation,
        name="Other DAPP",
        jurisdiction="england-and-wales",
        delivery="group",
        iss_provision="internal",
    )
    user = User.objects.create_user(username="othersm", first_name="Other", last_name="Manager")
    user.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user, service=other, side="both", is_senior_manager=True, started_on=date(2024, 1, 1)
    )
    return user


@pytest.fixture
def practice_manager(staffed_service: ServiceStaff) -> User:
    """A senior practice manager of the service: manages governance, sees no complaints."""
    user = User.objects.create_user(username="pm", first_name="Practice", last_name="Manager")
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user,
        service=staffed_service.service,
        side="perpetrator",
        is_senior_manager=True,
        started_on=date(2024, 1, 1),
    )
    return user
