"""The engagement change page (rule engagement-change) and his subject access page (NE 5.2),
checked in Chromium with axe-core for WCAG 2.1 A and AA, empty-form errors included."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.cases.services.engagement import engagement_change_record
from tandem.cases.tests.builders import FRIDAY, in_intervention
from tandem.conftest import ServiceStaff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-3"


def test_it_passes_axe_on_the_engagement_change_and_subject_access_pages(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    staff = staffed_service
    case = in_intervention(staff)
    engagement_change_record(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        change="missed_session",
        detail="Synthetic: did not come to the group",
        now=FRIDAY,
    )
    staff.service_manager.set_password(PASSWORD)
    staff.service_manager.save()
    sign_in(staff.service_manager.username, PASSWORD)

    for name in (
        "cases:case_detail",
        "cases:case_subject_access",
        "cases:case_engagement_change_new",
    ):
        response = page.goto(f"{live_server.url}{reverse(name, args=[case.reference])}")
        assert response is not None
        assert response.status == 200, name
        assert_accessible(page)

    page.get_by_role("button", name="Record the change").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
