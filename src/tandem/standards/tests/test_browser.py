"""The standards library in a real browser, with an axe-core WCAG 2.1 AA check on every page."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.access.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-1"


@pytest.fixture
def perpetrator_worker(user_with_role: Callable[[Role], User], library: None) -> User:
    user = user_with_role(Role.PERPETRATOR_WORKER)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_it_refuses_a_wrong_password_with_an_accessible_error(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    perpetrator_worker: User,
    assert_accessible: Callable[[Page], None],
) -> None:
    page.goto(f"{live_server.url}/standards/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/standards/"))
    assert_accessible(page)

    sign_in(perpetrator_worker.username, "not-the-password")

    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    assert_accessible(page)


def test_it_lets_a_worker_browse_a_framework_down_to_a_requirement(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    perpetrator_worker: User,
    assert_accessible: Callable[[Page], None],
) -> None:
    sign_in(perpetrator_worker.username, PASSWORD)
    expect(page.get_by_role("heading", name="Tandem", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Standards library").first.click()
    expect(page.get_by_role("heading", name="Standards library")).to_be_visible()
    for title in ("The Respect Standard", "Perpetrator Service Standards"):
        expect(page.get_by_role("link", name=re.compile(title))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="The Respect Standard").click()
    expect(page.get_by_role("heading", name="The Respect Standard", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^C1\.3 ")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^C1\.3"))
    expect(page.get_by_role("heading", name="How to evidence")).to_be_visible()
    expect(page.get_by_role("heading", name="In other frameworks")).to_be_visible()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(
        "The Respect Standard"
    )
    assert_accessible(page)


def test_it_searches_every_framework_and_updates_results_in_place(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    perpetrator_worker: User,
    assert_accessible: Callable[[Page], None],
    csp_violations: list[str],
) -> None:
    sign_in(perpetrator_worker.username, PASSWORD)
    page.goto(f"{live_server.url}/standards/search/")
    assert_accessible(page)

    page.get_by_label("Words to find").fill('"clinical supervision"')
    page.get_by_role("button", name="Search").click()

    results = page.locator("#search-results")
    expect(results).to_contain_text("requirements found for")
    expect(results.locator("mark").first).to_have_text(re.compile("clinical supervision", re.I))
    expect(page).to_have_url(
        re.compile(r"q=%22clinical\+supervision%22|q=%22clinical%20supervision%22")
    )
    assert_accessible(page)

    page.get_by_label("Framework").select_option(label="The Respect Standard")
    expect(results).not_to_contain_text("Perpetrator Service Standards ·")
    expect(results).to_contain_text("The Respect Standard ·")
    # HTMX swapped the results in under the Content-Security-Policy without a refusal.
    assert csp_violations == []
