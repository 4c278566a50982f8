"""Her risk in a real browser: the DASH checklist to a MARAC referral, a risk note through both
approvals, and a possible duplicate, with an axe-core WCAG 2.1 AA check on every page seen."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.access.roles import Role
from tandem.cases.services.intake import SurvivorDetails
from tandem.cases.tests.builders import iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.support.models import IssCase, Relationship
from tandem.support.tests.builders import HER_PHONE, icm_case, member, referred_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-1"
CONCERN = "Synthetic concern: he has asked about her new area"


@pytest.fixture
def staff(staffed_service: ServiceStaff) -> ServiceStaff:
    for user in (staffed_service.iss_worker, staffed_service.service_manager):
        user.set_password(PASSWORD)
        user.save()
    return staffed_service


def open_her_case(page: Page, live_server: LiveServer, iss_case: IssCase) -> None:
    page.goto(f"{live_server.url}/support/{iss_case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(iss_case.survivor))


def test_it_takes_her_from_the_dash_to_a_marac_referral(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staff: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    iss_case = referred_case(staff)
    sign_in(staff.iss_worker.username, PASSWORD)
    open_her_case(page, live_server, iss_case)
    assert_accessible(page)

    page.get_by_role("link", name="Complete a DASH risk checklist with her").click()
    expect(page.get_by_role("heading", name="DASH risk checklist")).to_be_visible()
    assert_accessible(page)
    for number in range(1, 15):
        page.get_by_role("group", name=re.compile(rf"^Question {number}:")).get_by_label(
            "Yes", exact=True
        ).check()
    page.get_by_role("button", name="Record the checklist").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: DASH"))
    assert_accessible(page)

    for number in range(15, 25):
        page.get_by_role("group", name=re.compile(rf"^Question {number}:")).get_by_label(
            "No", exact=True
        ).check()
    page.get_by_role("button", name="Record the checklist").click()
    expect(page.get_by_role("heading", name="DASH result")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Visible high risk")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back to her case").click()
    expect(page.get_by_role("cell", name="Refer Alice Example to MARAC")).to_be_visible()
    page.get_by_text("Record her MARAC referral").click()
    page.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)


def test_it_takes_an_icm_risk_note_through_both_approvals(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staff: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    iss_case = referred_case(staff, case=icm_case(staff))
    practice_manager = member("pm-iss", Role.PRACTICE_MANAGER, staff.service, "iss")
    practice_manager.set_password(PASSWORD)
    practice_manager.save()
    sign_in(staff.iss_worker.username, PASSWORD)
    open_her_case(page, live_server, iss_case)
    page.get_by_text("Write a risk note for his workers").click()
    his_reference = iss_case.survivor.links.get().perpetrator_case.reference
    page.get_by_role("group", name="For his case").get_by_label(his_reference).check()
    page.get_by_label("Risk information to share").fill(CONCERN)
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("Awaiting the ISS manager")).to_be_visible()
    assert_accessible(page)

    approve_as(page, live_server, sign_in, practice_manager, assert_accessible)
    expect(page.get_by_text("the service manager must also agree")).to_be_visible()
    approve_as(page, live_server, sign_in, staff.service_manager, assert_accessible)
    expect(page.get_by_text("the risk note is now shown on case")).to_be_visible()
    assert_accessible(page)


def approve_as(
    page: Page,
    live_server: LiveServer,
    sign_in: Callable[[str, str], Page],
    manager: User,
    assert_accessible: Callable[[Page], None],
) -> None:
    page.context.clear_cookies()
    sign_in(manager.username, PASSWORD)
    page.goto(f"{live_server.url}/support/risk-notes/awaiting-approval/")
    expect(page.get_by_role("cell", name=re.compile(CONCERN))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Approve")).click()


def test_it_flags_a_possible_duplicate_and_links_her_instead(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staff: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    known = referred_case(staff)
    named_again = received(
        staff,
        first_name="Newperson",
        survivors=[SurvivorDetails("Ali", "Example", Relationship.NEW_PARTNER, phone=HER_PHONE)],
    )
    new_case = iss_case_of(named_again)
    sign_in(staff.iss_worker.username, PASSWORD)
    open_her_case(page, live_server, new_case)
    expect(page.get_by_role("heading", name="Possible duplicate records")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Same person: link instead").click()
    expect(
        page.get_by_role("alert").filter(has_text="Linked to her existing record")
    ).to_be_visible()
    assert_accessible(page)
    open_her_case(page, live_server, known)
    expect(page.get_by_role("link", name=named_again.reference)).to_be_visible()
