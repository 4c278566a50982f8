"""Finding: demo accounts, whose password is published, kept signing in with DEBUG off.

Demo accounts, and any account whose password is a published demo password, sign in only while
DEBUG is on: through the sign-in form, through the API, and with a session opened earlier.
"""

import base64

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tandem.access.roles import Role
from tandem.accounts.demo_accounts import DEMO_PASSWORD, demo_username
from tandem.demo.users import demo_users_create

pytestmark = pytest.mark.django_db

ADMINISTRATOR = demo_username(Role.ADMINISTRATOR)


@pytest.fixture
def demo_accounts() -> None:
    with override_settings(DEBUG=True):
        demo_users_create()


def form_sign_in(username: str, password: str) -> Client:
    client = Client()
    client.post("/sign-in/", {"username": username, "password": password})
    return client


def basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(DEBUG=False)
def test_a_demo_account_cannot_sign_in_without_debug_even_when_it_exists(
    demo_accounts: None,
) -> None:
    assert User.objects.filter(username=ADMINISTRATOR, is_active=True).exists()

    assert authenticate(username=ADMINISTRATOR, password=DEMO_PASSWORD) is None
    assert not signed_in(form_sign_in(ADMINISTRATOR, DEMO_PASSWORD))


@override_settings(DEBUG=True)
def test_a_demo_account_signs_in_with_debug_on(demo_accounts: None) -> None:
    assert authenticate(username=ADMINISTRATOR, password=DEMO_PASSWORD) is not None
    assert signed_in(form_sign_in(ADMINISTRATOR, DEMO_PASSWORD))


@override_settings(DEBUG=False)
def test_a_demo_account_keeps_out_of_a_real_account_by_password_alone(
    demo_accounts: None,
) -> None:
    """Even a demo account whose password someone changed stays out without DEBUG."""
    user = User.objects.get(username=ADMINISTRATOR)
    user.set_password("a-private-password-nobody-published")
    user.save()

    assert (
        authenticate(username=ADMINISTRATOR, password="a-private-password-nobody-published") is None
    )


@override_settings(DEBUG=False)
def test_any_account_holding_the_published_demo_password_cannot_sign_in_without_debug() -> None:
    User.objects.create_user(username="real-person", password=DEMO_PASSWORD)

    assert authenticate(username="real-person", password=DEMO_PASSWORD) is None
    assert not signed_in(form_sign_in("real-person", DEMO_PASSWORD))


@override_settings(DEBUG=False)
def test_the_api_refuses_a_demo_account_without_debug(demo_accounts: None) -> None:
    response = Client().get(
        "/api/v1/frameworks/", HTTP_AUTHORIZATION=basic_auth(ADMINISTRATOR, DEMO_PASSWORD)
    )

    assert response.status_code == 401


def test_a_demo_session_opened_with_debug_on_ends_when_debug_is_off(demo_accounts: None) -> None:
    client = Client()
    with override_settings(DEBUG=True):
        client.force_login(User.objects.get(username=ADMINISTRATOR))
        assert client.get("/").status_code == 200

    with override_settings(DEBUG=False):
        response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
