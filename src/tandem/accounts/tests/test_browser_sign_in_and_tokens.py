"""In Chromium: the lockout answer on the sign-in page, and the API tokens page from making a
token to revoking it, each checked with axe-core for WCAG 2.1 A and AA."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-3"
LIMIT = 10


def test_the_lockout_is_said_on_the_sign_in_page(
    live_server: LiveServer,
    sign_in: Callable[[str, str], Page],
    assert_accessible: Callable[[Page], None],
) -> None:
    User.objects.create_user(username="test-browser-locked", password=PASSWORD)
    for _ in range(LIMIT):
        page = sign_in("test-browser-locked", "not-the-password")

    page = sign_in("test-browser-locked", PASSWORD)

    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    expect(page.get_by_role("heading", name="Sign in to Tandem")).to_be_visible()
    assert_accessible(page)


def test_a_person_makes_sees_once_and_revokes_an_api_token(
    live_server: LiveServer,
    sign_in: Callable[[str, str], Page],
    assert_accessible: Callable[[Page], None],
) -> None:
    User.objects.create_user(username="test-browser-tokens", password=PASSWORD)
    page = sign_in("test-browser-tokens", PASSWORD)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make a new API token").click()

    token = page.locator("#new-token").inner_text()
    assert len(token) == 64
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    assert_accessible(page)
    answer = page.request.get(
        f"{live_server.url}/api/v1/api-tokens/", headers={"Authorization": f"Token {token}"}
    )
    # The token is accepted (not 401), and refused only because a token may not list tokens.
    assert answer.status == 403
    assert "signed in with a session" in answer.json()["detail"]

    page.goto(f"{live_server.url}/account/api-tokens/")
    expect(page.get_by_text(token)).to_have_count(0)
    page.get_by_role("button", name=f"Revoke the token starting {token[:15]}").click()

    expect(page.get_by_text("revoked: it no longer works")).to_be_visible()
    assert_accessible(page)
