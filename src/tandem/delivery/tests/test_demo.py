"""The demo delivery records load through the services and only once."""

import pytest

from tandem.access.roles import Role
from tandem.cases.models import EngagementChange
from tandem.conftest import ServiceStaff
from tandem.delivery.models import Group, RecordingReview
from tandem.delivery.tests.builders import NOW, men_in_intervention
from tandem.demo.delivery import demo_delivery
from tandem.organisations.models import StaffMembership

pytestmark = pytest.mark.django_db


def test_it_loads_a_group_with_sessions_an_absence_and_a_reviewed_recording(
    staffed_service: ServiceStaff, user_with_role: object
) -> None:
    practice_manager = user_with_role(Role.PRACTICE_MANAGER)  # type: ignore[operator]
    StaffMembership.objects.create(
        user=practice_manager,
        service=staffed_service.service,
        side="perpetrator",
        started_on=staffed_service.service_manager.memberships.get().started_on,
    )
    men_in_intervention(staffed_service, 7)
    summary = demo_delivery(service=staffed_service.service, now=NOW)
    assert summary.participants == 7
    assert summary.sessions == 4
    assert summary.absences == 1
    assert EngagementChange.objects.count() == 1
    assert RecordingReview.objects.count() == 1
    again = demo_delivery(service=staffed_service.service, now=NOW)
    assert again.already_loaded
    assert Group.objects.count() == 1
