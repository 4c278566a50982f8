"""Finding: password rules, change and reset. At least 12 characters (configurable), not on the
list of common and breached passwords Django ships, not like the person's details, not the demo's
published password, and no composition rules. A signed-in person changes theirs; a forgotten one
is reset through an emailed link that expires, and asking never reveals whether an account
exists."""

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tandem.accounts.demo_accounts import DEMO_PASSWORD
from tandem.audit.models import AuditEvent

if TYPE_CHECKING:
    from time_machine import TimeMachineFixture

pytestmark = pytest.mark.django_db

PASSWORD = "synthetic-password-for-tests-1"
NEW_PASSWORD = "lantern orchard velvet"


@pytest.fixture
def person() -> User:
    return User.objects.create_user(
        username="synthetic-worker",
        email="synthetic.worker@example.invalid",
        first_name="Rowan",
        password=PASSWORD,
    )


def refusal(password: str, user: User | None = None) -> str:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def test_a_password_of_eleven_characters_is_too_short_and_twelve_is_enough() -> None:
    assert "at least 12 characters" in refusal("kx9-vb2-qz7")
    assert refusal("kx9-vb2-qz7m") == ""


def test_no_composition_rule_refuses_a_long_password_of_digits_or_lowercase() -> None:
    assert refusal("583920174629") == ""
    assert refusal("lantern orchard velvet") == ""


def test_a_common_or_breached_password_is_refused_however_long() -> None:
    assert "too common" in refusal("qwertyuiop123")


def test_a_password_like_the_persons_own_details_is_refused(person: User) -> None:
    assert "too similar" in refusal("synthetic-worker1", person)


def test_the_published_demo_password_is_refused() -> None:
    assert "published with Tandem's demo" in refusal(DEMO_PASSWORD)


def test_a_signed_in_person_changes_their_password_and_their_other_sessions_end(
    person: User,
) -> None:
    here, elsewhere = Client(), Client()
    here.force_login(person)
    elsewhere.force_login(person)

    short = here.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "too-short", "new_password2": "too-short"},
    )
    changed = here.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert "at least 12 characters" in short.content.decode()
    assert changed.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert here.get("/standards/").status_code != 302, "this session stays signed in"
    assert elsewhere.get("/standards/")["Location"].startswith("/sign-in/")
    assert AuditEvent.objects.filter(
        actor=person, action=AuditEvent.Action.CHANGED, summary="Changed their password"
    ).exists()


def test_the_password_change_page_sends_a_stranger_to_sign_in() -> None:
    assert Client().get("/account/password/")["Location"].startswith("/sign-in/")


def reset_link() -> str:
    (email,) = mail.outbox
    match = re.search(r"https?://[^/]+(/account/password/reset/[^\s]+/)", str(email.body))
    assert match, email.body
    return match.group(1)


def test_a_forgotten_password_is_reset_through_an_emailed_link(person: User) -> None:
    client = Client()
    asked = client.post("/account/password/reset/", {"email": person.email})
    assert asked["Location"] == "/account/password/reset/sent/"
    assert mail.outbox[0].to == [person.email]

    form = client.get(reset_link(), follow=True)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done["Location"] == "/account/password/reset/done/"
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        actor=person, summary="Reset their password through the emailed link"
    ).exists()


def test_asking_for_a_reset_does_not_reveal_whether_an_account_exists(person: User) -> None:
    known = Client().post("/account/password/reset/", {"email": person.email}, follow=True)
    unknown = Client().post(
        "/account/password/reset/", {"email": "nobody@example.invalid"}, follow=True
    )

    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert len(mail.outbox) == 1


def test_a_reset_link_works_until_it_expires_and_not_a_second_after(
    person: User, time_machine: "TimeMachineFixture"
) -> None:
    asked_at = timezone.now().replace(microsecond=0)
    time_machine.move_to(asked_at, tick=False)
    Client().post("/account/password/reset/", {"email": person.email})
    link = reset_link()

    time_machine.move_to(asked_at + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), tick=False)
    at_the_limit = Client().get(link, follow=True)
    time_machine.move_to(
        asked_at + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1), tick=False
    )
    past_it = Client().get(link, follow=True)

    assert "Choose a new password" in at_the_limit.content.decode()
    assert "This link has expired" in past_it.content.decode()
