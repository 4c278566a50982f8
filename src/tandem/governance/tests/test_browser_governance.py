"""The policy register and the governance calendar, with the demo's records, checked in
Chromium with axe-core for WCAG 2.1 A and AA, and a worker acknowledging a policy."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.conftest import ServiceStaff
from tandem.demo.governance import demo_governance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("governance_uploads"),
]
PASSWORD = "synthetic-test-password-g"


def test_it_passes_axe_on_the_policy_register_and_the_governance_calendar(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
    csp_violations: list[str],
) -> None:
    staff = staffed_service
    demo_governance(service=staff.service, now=timezone.now(), manager=staff.service_manager)
    staff.service_manager.set_password(PASSWORD)
    staff.service_manager.save()
    sign_in(staff.service_manager.username, PASSWORD)

    page.goto(f"{live_server.url}{reverse('governance:calendar', args=[staff.service.pk])}")
    expect(page.get_by_role("heading", name="Governance calendar")).to_be_visible()
    expect(page.get_by_text("Overdue").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Policy register").click()
    expect(page.get_by_text("Missing", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I have read it").first.click()
    expect(page.get_by_role("heading", name="Done")).to_be_visible()
    assert_accessible(page)

    # The shared section and form pages: tables, and a form's errors after an empty submission.
    reports = reverse("governance:reports", args=[staff.service.pk])
    page.goto(f"{live_server.url}{reports}")
    expect(page.get_by_role("heading", name="Governing body")).to_be_visible()
    assert_accessible(page)
    new_policy = reverse("governance:policy_new", args=[staff.service.pk])
    page.goto(f"{live_server.url}{new_policy}")
    page.get_by_role("button", name="Record the policy").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    # Complaints and feedback (rule survivor-confidentiality), with nothing the policy refused.
    for name in ("governance:complaints", "governance:feedback"):
        page.goto(f"{live_server.url}{reverse(name, args=[staff.service.pk])}")
        assert_accessible(page)
    assert csp_violations == []
