"""Finding: sign-in had no second factor. Every account passes one after its password (set up
at the first sign-in: an authenticator app, with recovery codes); until then every page and API
request but the two-factor pages and signing out is refused."""

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.access.roles import Role
from tandem.accounts.demo_accounts import DEMO_PASSWORD, demo_username
from tandem.accounts.tests.builders import code_for_secret, enrolled, totp_code
from tandem.accounts.two_factor import RECOVERY_CODE_COUNT, RECOVERY_CODES
from tandem.audit.models import AuditEvent
from tandem.demo.users import demo_users_create

if TYPE_CHECKING:
    from time_machine import TimeMachineFixture

pytestmark = pytest.mark.django_db

PASSWORD = "synthetic-password-for-tests-1"
TWO_FACTOR = "/account/two-factor/"
SET_UP = "/account/two-factor/set-up/"


@pytest.fixture
def person() -> User:
    user = User.objects.create_user(username="synthetic-worker", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=Role.PERPETRATOR_WORKER.value)[0])
    return user


def password_only(user: User) -> Client:
    """Signed in with the password, the second factor still to come."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def secret_on(page: str) -> str:
    match = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page)
    assert match, "the set-up page shows the key as text"
    return match.group(1)


def test_a_password_alone_opens_no_page_only_the_second_factor(person: User) -> None:
    client = password_only(person)

    response = client.get("/standards/")

    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR}?next=/standards/"


def test_a_password_alone_opens_no_api_route(person: User) -> None:
    response = password_only(person).get("/api/v1/frameworks/")

    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]


def test_signing_out_needs_no_second_factor(person: User) -> None:
    client = password_only(person)

    response = client.post("/sign-out/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_first_sign_in_sets_up_an_authenticator_app_then_shows_recovery_codes_once(
    person: User,
) -> None:
    client = password_only(person)
    assert (
        client.get(f"{TWO_FACTOR}?next=/standards/")["Location"] == f"{SET_UP}?next=%2Fstandards%2F"
    )

    page = client.get(f"{SET_UP}?next=/standards/").content.decode()
    assert "<svg" in page, "a QR code, inline"
    wrong = client.post(f"{SET_UP}?next=/standards/", {"code": "000000"})
    right = client.post(f"{SET_UP}?next=/standards/", {"code": code_for_secret(secret_on(page))})

    assert "The code is not right" in wrong.content.decode()
    assert right.status_code == 302
    codes_page = client.get(right["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page.content.decode())
    assert len(codes) == RECOVERY_CODE_COUNT
    assert client.get(right["Location"])["Location"] == "/standards/", "shown once only"
    assert client.get("/standards/").status_code == 200
    assert TOTPDevice.objects.get(user=person).confirmed
    assert AuditEvent.objects.filter(
        actor=person, action=AuditEvent.Action.CREATED, summary__contains="two-factor"
    ).exists()


def test_an_enrolled_person_signs_in_with_the_apps_code(person: User) -> None:
    device = enrolled(person)
    client = password_only(person)

    right = client.post(f"{TWO_FACTOR}?next=/standards/", {"code": totp_code(device)})

    assert right["Location"] == "/standards/"
    assert client.get("/standards/").status_code == 200
    assert client.get("/api/v1/frameworks/").status_code == 200
    assert AuditEvent.objects.filter(actor=person, action=AuditEvent.Action.SIGNED_IN).exists()


def test_a_wrong_code_is_refused_audited_and_makes_the_next_try_wait_a_second(
    person: User, time_machine: "TimeMachineFixture"
) -> None:
    """django-otp's throttle: each wrong code doubles the wait before the next is checked."""
    device = enrolled(person)
    client = password_only(person)
    wrong_at = timezone.now()
    time_machine.move_to(wrong_at, tick=False)

    wrong = client.post(TWO_FACTOR, {"code": "000000"})
    time_machine.move_to(wrong_at + timedelta(seconds=0.9), tick=False)
    too_soon = client.post(TWO_FACTOR, {"code": totp_code(device)})
    time_machine.move_to(wrong_at + timedelta(seconds=1), tick=False)
    after_the_wait = client.post(TWO_FACTOR, {"code": totp_code(device)})

    assert "The code is not right" in wrong.content.decode()
    assert too_soon.status_code == 200
    assert after_the_wait.status_code == 302
    actions = (
        AuditEvent.objects.filter(actor=person).order_by("pk").values_list("action", flat=True)
    )
    assert list(actions) == [
        AuditEvent.Action.PASSWORD_ACCEPTED,
        AuditEvent.Action.REFUSED,
        AuditEvent.Action.REFUSED,
        AuditEvent.Action.SIGNED_IN,
    ]


def test_a_recovery_code_signs_in_once(person: User) -> None:
    enrolled(person)
    first = password_only(person)
    device = TOTPDevice.objects.get(user=person)
    recovery = StaticDevice.objects.create(user=person, name=RECOVERY_CODES, confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")

    used = first.post(TWO_FACTOR, {"code": "abcd2345"})
    again = password_only(person).post(TWO_FACTOR, {"code": "abcd2345"})

    assert used.status_code == 302
    assert again.status_code == 200
    assert not StaticToken.objects.filter(device=recovery).exists()
    assert TOTPDevice.objects.filter(user=person).get() == device


def test_a_password_alone_cannot_set_up_another_app_for_an_enrolled_person(person: User) -> None:
    enrolled(person)
    client = password_only(person)

    page = client.get(SET_UP)
    posted = client.post(SET_UP, {"code": "123456"})

    assert page["Location"].startswith(TWO_FACTOR)
    assert posted["Location"].startswith(TWO_FACTOR)
    assert TOTPDevice.objects.filter(user=person).count() == 1


def test_a_demo_account_skips_the_second_factor_while_debug_is_on() -> None:
    with override_settings(DEBUG=True):
        demo_users_create()
        client = Client()
        client.post(
            "/sign-in/",
            {"username": demo_username(Role.SERVICE_MANAGER), "password": DEMO_PASSWORD},
        )
        assert client.get("/standards/").status_code == 200
        assert client.get("/api/v1/frameworks/").status_code == 200
