"""The group register and recording a session's attendance with one absence, which makes telling
the ISS and the survivor due (rule engagement-change), checked in Chromium with axe-core."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.cases.tests.builders import in_intervention
from tandem.compliance.models import DueTask, TaskSide
from tandem.conftest import ServiceStaff
from tandem.delivery.services import group_participant_add
from tandem.delivery.tests.builders import MONDAY, NOW, group_session, group_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-delivery"


def test_it_records_an_absence_from_the_register_and_the_iss_tasks_fall_due(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    staff = staffed_service
    group = group_with(staff, men=6)
    man = in_intervention(staff)
    group_participant_add(
        group=group,
        actor=staff.perpetrator_worker,
        expected_version=group.version,
        case=man,
        joined_on=MONDAY - timedelta(days=7),
        now=NOW,
    )
    group_session(staff, group)
    staff.service_manager.set_password(PASSWORD)
    staff.service_manager.save()
    sign_in(staff.service_manager.username, PASSWORD)

    page.goto(f"{live_server.url}{reverse('delivery:group_register', args=[group.pk])}")
    expect(page.get_by_role("heading", name=f"Group register: {group.name}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"{MONDAY:%-d %b}").click()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    for select in page.locator("select").all():
        select.select_option("attended")
    page.get_by_label(f"Attendance of {man.reference}").select_option("absent_without_notice")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance recorded")).to_be_visible()
    assert_accessible(page)

    tasks = DueTask.objects.filter(perpetrator_case=man, rule_id="engagement-change")
    assert tasks.filter(side=TaskSide.PERPETRATOR).count() == 1
    assert tasks.filter(side=TaskSide.ISS).count() == 1
    page.goto(f"{live_server.url}{reverse('cases:case_detail', args=[man.reference])}")
    expect(page.get_by_text("Absent without notice at").first).to_be_visible()


def test_it_shows_the_standards_warnings_on_the_session_form_and_the_lists(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    """Rules group-size and facilitator-load: the warnings, and the reason asked for."""
    staff = staffed_service
    group = group_with(staff, men=5)
    staff.perpetrator_worker.set_password(PASSWORD)
    staff.perpetrator_worker.save()
    sign_in(staff.perpetrator_worker.username, PASSWORD)

    page.goto(f"{live_server.url}{reverse('delivery:session_new', args=[group.pk])}")
    page.get_by_label("Date", exact=True).fill(f"{MONDAY:%Y-%m-%d}")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Debrief slot after (minutes)").fill("15")
    page.get_by_role("button", name="Plan the session").click()
    expect(page.locator("#standards-warnings")).to_contain_text("rule facilitator-load")
    assert_accessible(page)

    for name in ("delivery:index", "delivery:recordings", "delivery:exceptions"):
        page.goto(f"{live_server.url}{reverse(name)}")
        assert_accessible(page)
