"""Throttling and lockout (issue 12, sign-in): before, 30 wrong passwords and then the right one
signed in. Now failed sign-ins lock out the account and, apart, the address, with a wait that
grows with each lockout; refused API tokens count against their address; the answer is a clear
429, never a 500; and DRF's request rates apply per person and per address."""

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from rest_framework.request import Request

from tandem.access.roles import Role
from tandem.accounts.api_throttling import AnonymousRateThrottle
from tandem.accounts.api_tokens_services import api_token_create

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

PASSWORD = "synthetic-sign-in-password-1"
WRONG = "not-the-password"
LIMIT = 10  # TANDEM_SIGN_IN_FAILURE_LIMIT's default
FIRST_WAIT = timedelta(minutes=10)  # TANDEM_SIGN_IN_WAIT_MINUTES's default
SECOND = timedelta(seconds=1)
API_ROUTE = "/api/v1/my-work/"
LOCKED = "Too many failed sign-ins"


@pytest.fixture
def person(db: None) -> User:
    """Someone whose work list the API serves."""
    user = User.objects.create_user(username="test-lockout-person", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=Role.PERPETRATOR_WORKER.value)[0])
    return user


def sign_in(
    username: str, password: str, *, address: str = "192.0.2.1", **headers: Any
) -> tuple["Response", Client]:
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post("/sign-in/", {"username": username, "password": password})
    return response, client


def signed_in_as(client: Client, user: User) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def fail(times: int, username: str, *, address: str = "192.0.2.1") -> None:
    for _ in range(times):
        sign_in(username, WRONG, address=address)


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(person: User) -> None:
    fail(30, person.username)

    response, client = sign_in(person.username, PASSWORD)

    assert not signed_in_as(client, person)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


@pytest.mark.parametrize(("failures", "signs_in"), [(LIMIT - 1, True), (LIMIT, False)])
def test_the_limit_th_failure_locks_the_account_and_one_fewer_does_not(
    person: User, failures: int, signs_in: bool
) -> None:
    fail(failures, person.username)

    _, client = sign_in(person.username, PASSWORD)

    assert signed_in_as(client, person) is signs_in


def test_the_failure_that_locks_is_answered_with_the_lockout_page(person: User) -> None:
    fail(LIMIT - 1, person.username)

    response, _ = sign_in(person.username, WRONG)

    assert response.status_code == 429
    assert response["Retry-After"] == str(int(FIRST_WAIT.total_seconds()))
    page = response.content.decode()
    assert "There is a problem" in page
    assert f"{LOCKED} for this account or from this address. Wait 10 minutes" in page
    assert 'name="username"' in page  # the sign-in form is still there


@pytest.mark.parametrize(
    ("after", "signs_in"), [(FIRST_WAIT - SECOND, False), (FIRST_WAIT + SECOND, True)]
)
def test_a_lockout_lifts_when_its_wait_has_passed(
    person: User, after: timedelta, signs_in: bool
) -> None:
    fail(LIMIT, person.username)

    with time_machine.travel(timezone.now() + after, tick=False):
        _, client = sign_in(person.username, PASSWORD)

    assert signed_in_as(client, person) is signs_in


@pytest.mark.parametrize(
    ("after", "signs_in"), [(2 * FIRST_WAIT - SECOND, False), (2 * FIRST_WAIT + SECOND, True)]
)
def test_a_second_lockout_in_a_day_waits_twice_as_long(
    person: User, after: timedelta, signs_in: bool
) -> None:
    fail(LIMIT, person.username)
    later = timezone.now() + FIRST_WAIT + SECOND
    with time_machine.travel(later, tick=False):
        fail(LIMIT - 1, person.username)
        response, _ = sign_in(person.username, WRONG)
    assert "Wait 20 minutes" in response.content.decode()

    with time_machine.travel(later + after, tick=False):
        _, client = sign_in(person.username, PASSWORD)

    assert signed_in_as(client, person) is signs_in


def test_an_administrator_lifts_a_lockout_early(person: User) -> None:
    fail(LIMIT, person.username)

    call_command("axes_reset_username", person.username, stdout=StringIO())

    _, client = sign_in(person.username, PASSWORD)
    assert signed_in_as(client, person)


def test_an_address_is_locked_out_after_failures_for_different_accounts(person: User) -> None:
    for number in range(LIMIT):
        sign_in(f"test-guess-{number}", WRONG, address="192.0.2.66")

    from_there, there = sign_in(person.username, PASSWORD, address="192.0.2.66")
    _, elsewhere = sign_in(person.username, PASSWORD, address="198.51.100.7")

    assert from_there.status_code == 429
    assert not signed_in_as(there, person)
    assert signed_in_as(elsewhere, person)


def test_an_account_is_locked_out_after_failures_from_different_addresses(person: User) -> None:
    for number in range(LIMIT):
        sign_in(person.username, WRONG, address=f"203.0.113.{number + 1}")

    _, client = sign_in(person.username, PASSWORD, address="198.51.100.7")

    assert not signed_in_as(client, person)


@override_settings(TANDEM_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(person: User) -> None:
    proxy = "10.0.0.5"
    for number in range(LIMIT):
        sign_in(f"test-guess-{number}", WRONG, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.66")

    _, attacker = sign_in(
        person.username, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.66"
    )
    _, colleague = sign_in(
        person.username, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )

    assert not signed_in_as(attacker, person)
    assert signed_in_as(colleague, person)


def test_without_a_trusted_proxy_an_invented_forwarded_address_changes_nothing(
    person: User,
) -> None:
    for number in range(LIMIT):
        sign_in(f"test-guess-{number}", WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{number + 1}")

    _, client = sign_in(person.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert not signed_in_as(client, person)


# API tokens


def token_request(token: str, *, address: str = "192.0.2.1") -> "Response":
    return Client(REMOTE_ADDR=address).get(API_ROUTE, HTTP_AUTHORIZATION=f"Token {token}")


def test_refused_api_tokens_lock_out_their_address_on_the_api_and_the_sign_in_page(
    person: User,
) -> None:
    _, token = api_token_create(user=person)
    for number in range(LIMIT - 1):
        assert token_request(f"{number:064x}").status_code == 401

    locking = token_request(f"{LIMIT:064x}")
    good_token_there = token_request(token)
    good_token_elsewhere = token_request(token, address="198.51.100.7")
    page, client = sign_in(person.username, PASSWORD)

    assert locking.status_code == 429
    assert LOCKED in locking.json()["detail"]
    assert good_token_there.status_code == 429
    assert good_token_there["Retry-After"] == str(int(FIRST_WAIT.total_seconds()))
    assert good_token_elsewhere.status_code == 200
    assert page.status_code == 429
    assert not signed_in_as(client, person)


def test_requests_without_credentials_do_not_count_against_an_address(person: User) -> None:
    _, token = api_token_create(user=person)
    for _ in range(LIMIT * 2):
        assert Client(REMOTE_ADDR="192.0.2.1").get(API_ROUTE).status_code == 401

    assert token_request(token).status_code == 200


def test_a_sign_in_check_without_a_request_is_not_refused_with_an_error(person: User) -> None:
    """A command or the shell checking a password is no web sign-in: nothing to lock out."""
    from django.contrib.auth import authenticate

    assert authenticate(username=person.username, password=PASSWORD) == person


# DRF's request rates


@pytest.fixture
def fresh_rate_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@override_settings(TANDEM_API_THROTTLE_RATES={"anon": None, "user": "3/minute"})
def test_each_person_may_make_only_so_many_api_requests_a_minute(
    person: User, fresh_rate_counts: None
) -> None:
    other = User.objects.create_user(username="test-lockout-other", password=PASSWORD)
    other.groups.set(person.groups.all())
    _, token = api_token_create(user=person)
    _, others_token = api_token_create(user=other)

    answers = [token_request(token).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert token_request(others_token).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1), tick=False):
        assert token_request(token).status_code == 200


@override_settings(TANDEM_API_THROTTLE_RATES={"anon": "2/minute", "user": None})
@pytest.mark.parametrize(("proxies", "same_client"), [(0, True), (1, False)])
def test_the_anonymous_rate_counts_by_the_address_the_audit_trail_believes(
    fresh_rate_counts: None, proxies: int, same_client: bool
) -> None:
    """Without trusted proxies, an invented X-Forwarded-For does not make a new client."""
    with override_settings(TANDEM_TRUSTED_PROXY_COUNT=proxies):
        throttle = AnonymousRateThrottle()
        factory = RequestFactory()
        for forwarded in ("192.0.2.1", "192.0.2.2"):
            request = Request(
                factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
            )
            assert throttle.allow_request(request, view=None)  # type: ignore[arg-type]
        third = Request(factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.3"))

        assert throttle.allow_request(third, view=None) is not same_client  # type: ignore[arg-type]
