"""The staff compliance matrix in Chromium, checked with axe-core (WCAG 2.1 A and AA)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.conftest import ServiceStaff
from tandem.workforce.deadlines import add_years
from tandem.workforce.models import CriminalRecordCheck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-3"


def test_it_shows_the_matrix_with_red_amber_and_green_accessibly(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    staff = staffed_service
    # Rule dbs: the ISS worker's check falls due for renewal in a fortnight (amber).
    CriminalRecordCheck.objects.filter(worker__user=staff.iss_worker).update(
        issued_on=add_years(day=timezone.localdate(), years=-3) + timedelta(days=14)
    )
    staff.service_manager.set_password(PASSWORD)
    staff.service_manager.save()
    sign_in(staff.service_manager.username, PASSWORD)

    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("link", name="compliance matrix of Test DAPP").click()
    expect(page.get_by_role("heading", name="Staff compliance matrix")).to_be_visible()
    matrix = page.get_by_test_id("compliance-matrix")
    expect(matrix.locator('[data-status="amber"]').first).to_be_visible()
    expect(matrix.locator('[data-status="red"]').first).to_be_visible()
    expect(matrix.locator('[data-status="green"]').first).to_be_visible()
    assert_accessible(page)

    matrix.get_by_role("link", name="Test ISS worker or IDVA").first.click()
    expect(page.get_by_role("heading", name="Criminal record checks")).to_be_visible()
    assert_accessible(page)
