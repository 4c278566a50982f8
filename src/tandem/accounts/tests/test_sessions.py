"""Finding: sessions had no end. A session ends after 30 minutes without a request and 12 hours
after sign-in however busy (both configurable); "sign out everywhere" ends all of a person's
sessions at once."""

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import SignedInSession
from tandem.audit.models import AuditEvent

if TYPE_CHECKING:
    from time_machine import TimeMachineFixture

pytestmark = pytest.mark.django_db

PAGE = "/account/"


@pytest.fixture
def person() -> User:
    return User.objects.create_user(username="synthetic-worker", password=None)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def is_open(client: Client) -> bool:
    response = client.get(PAGE)
    return response.status_code == 200


def test_a_session_idle_for_just_under_30_minutes_goes_on(
    person: User, time_machine: "TimeMachineFixture"
) -> None:
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    client = signed_in(person)
    assert is_open(client)

    time_machine.move_to(start + timedelta(minutes=30) - timedelta(seconds=1), tick=False)

    assert is_open(client)


def test_a_session_idle_for_30_minutes_has_ended(
    person: User, time_machine: "TimeMachineFixture"
) -> None:
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    client = signed_in(person)
    assert is_open(client)

    time_machine.move_to(start + timedelta(minutes=30), tick=False)

    assert not is_open(client)
    assert client.get(PAGE)["Location"].startswith("/sign-in/")


def test_a_request_after_a_minute_or_more_restarts_the_idle_time(
    person: User, time_machine: "TimeMachineFixture"
) -> None:
    """The last request's time is kept to the minute (written at most once a minute)."""
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    client = signed_in(person)
    time_machine.move_to(start + timedelta(minutes=10), tick=False)
    assert is_open(client)

    time_machine.move_to(start + timedelta(minutes=40) - timedelta(seconds=1), tick=False)
    assert is_open(client)
    time_machine.move_to(start + timedelta(minutes=70) - timedelta(seconds=1), tick=False)
    assert not is_open(client)


def test_a_busy_session_ends_12_hours_after_sign_in_and_not_before(
    person: User, time_machine: "TimeMachineFixture"
) -> None:
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    client = signed_in(person)
    for minutes in range(0, 12 * 60, 25):  # never 30 minutes idle
        time_machine.move_to(start + timedelta(minutes=minutes), tick=False)
        assert is_open(client), minutes

    time_machine.move_to(start + timedelta(hours=12) - timedelta(seconds=1), tick=False)
    assert is_open(client)
    time_machine.move_to(start + timedelta(hours=12), tick=False)
    assert not is_open(client)


def test_signing_out_everywhere_ends_every_session_of_the_person_and_no_one_elses(
    person: User,
) -> None:
    here, elsewhere = signed_in(person), signed_in(person)
    someone_else = signed_in(User.objects.create_user(username="synthetic-colleague"))
    assert SignedInSession.objects.filter(user=person).count() == 2

    response = here.post("/account/sign-out-everywhere/")

    assert response["Location"] == "/sign-in/"
    assert not is_open(here)
    assert not is_open(elsewhere)
    assert is_open(someone_else)
    assert not SignedInSession.objects.filter(user=person).exists()
    assert AuditEvent.objects.filter(actor=person, summary="Signed out everywhere").exists()


def test_signing_out_everywhere_is_a_post(person: User) -> None:
    assert signed_in(person).get("/account/sign-out-everywhere/").status_code == 405
