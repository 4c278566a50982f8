"""The management side ("Management (no case records)"): a senior manager there runs the
service's settings and staff but is let through by no helper of the information barrier, so no
perpetrator case and no survivor record reaches them. The full matrix of records is in
tests/test_information_barrier.py; this checks the helpers and the pages."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.cases.due import recurring_items_for_user
from tandem.cases.selectors import case_review_services_for_user, case_review_staff_of
from tandem.cases.tests.builders import iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.organisations.models import StaffMembership
from tandem.organisations.selectors import (
    case_work_services,
    is_senior_manager_of,
    iss_side_services,
    perpetrator_side_services,
    senior_managed_services,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(staffed_service: ServiceStaff) -> User:
    user = User.objects.create_user(username="director", first_name="Synthetic")
    user.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user,
        service=staffed_service.service,
        side="management",
        is_senior_manager=True,
        started_on="2024-01-01",
    )
    return user


def test_it_lets_no_barrier_helper_through_for_the_management_side(
    staffed_service: ServiceStaff, director: User
) -> None:
    assert not perpetrator_side_services(user=director).exists()
    assert not iss_side_services(user=director).exists()
    assert not case_work_services(user=director).exists()
    assert is_senior_manager_of(user=director, service=staffed_service.service)
    assert list(senior_managed_services(user=director)) == [staffed_service.service]


def test_it_lets_the_management_side_run_the_service_but_open_no_case_record(
    staffed_service: ServiceStaff, director: User
) -> None:
    case = received(staffed_service)
    client = Client()
    client.force_login(director)

    service_page = client.get(
        reverse("organisations:service_detail", args=[staffed_service.service.pk])
    )
    case_page = client.get(reverse("cases:case_detail", args=[case.reference]))
    iss_page = client.get(reverse("support:iss_case_detail", args=[iss_case_of(case).pk]))
    case_list = client.get(reverse("cases:case_list"))

    assert service_page.status_code == 200
    assert (case_page.status_code, iss_page.status_code) == (404, 404)
    assert case.reference not in case_list.content.decode()


def test_it_gives_the_management_side_no_case_reviews_audits_or_exchanges(
    staffed_service: ServiceStaff, director: User
) -> None:
    """Rules case-review, file-audit and weekly-exchange fall to managers who can open the
    cases; a management-side senior manager would only be sent to pages that answer 404, and a
    review goes through every open case, so they are not offered as an attendee either."""
    assert not case_review_services_for_user(user=director).exists()
    assert recurring_items_for_user(user=director, now=datetime(2026, 11, 23, 9, tzinfo=UTC)) == []
    attendees = case_review_staff_of(service=staffed_service.service, on=date(2026, 11, 23))
    assert director not in attendees
    assert staffed_service.perpetrator_worker in attendees
