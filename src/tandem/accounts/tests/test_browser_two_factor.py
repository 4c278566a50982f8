"""Done means: a browser test enrols two-factor authentication at the first sign-in and signs
in with it. The person types the key the page shows into their app (the code is computed from
that text, as an app would), keeps the recovery codes, signs out, and signs in again with a
fresh code from the app."""

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.access.roles import Role
from tandem.accounts.tests.builders import code_for_secret

if TYPE_CHECKING:
    from time_machine import TimeMachineFixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-3"


def test_a_person_sets_up_two_factor_at_first_sign_in_and_signs_in_with_it_again(
    live_server: LiveServer,
    page: Page,
    assert_accessible: Callable[[Page], None],
    time_machine: "TimeMachineFixture",
) -> None:
    user = User.objects.create_user(username="synthetic-iss-worker", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=Role.ISS_WORKER.value)[0])

    def password_step() -> None:
        page.goto(f"{live_server.url}/standards/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

    password_step()
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.locator("svg title")).to_have_text("QR code to scan with your authenticator app")
    assert_accessible(page)
    secret = page.locator("#two-factor-secret").inner_text()
    page.get_by_label("Code").fill(code_for_secret(secret))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Two-factor authentication is set up")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(
        10
    )
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/standards/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Tandem")).to_be_visible()

    # The next time step: a code is accepted once, so the app shows a new one.
    time_machine.move_to(timezone.now() + timedelta(seconds=30), tick=True)
    password_step()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(code_for_secret(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{live_server.url}/standards/")


def test_the_account_pages_pass_axe(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    assert_accessible: Callable[[Page], None],
) -> None:
    administrator = User.objects.create_user(username="synthetic-admin", password=PASSWORD)
    administrator.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR.value)[0])
    colleague = User.objects.create_user(username="synthetic-colleague", email="c@example.invalid")
    sign_in(administrator.username, PASSWORD)

    for path in (
        "/account/",
        "/account/password/",
        "/account/users/",
        f"/account/users/{colleague.pk}/deactivate/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.get_by_role("button", name="Deactivate the account").click()
    expect(page.get_by_text("Give the reason for deactivating the account").first).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/account/password/reset/")
    assert_accessible(page)
