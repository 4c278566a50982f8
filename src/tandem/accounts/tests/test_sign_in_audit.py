"""Sign-ins are audit events (issue 12): each sign-in, refused sign-in, lockout and sign-out says
who, what, when and from where; a refused API token too; no password enters the trail."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tandem.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# The audit trail has no "signed out" or "locked out" action yet (see sign_in_audit).

PASSWORD = "synthetic-audit-password-1"
WRONG = "synthetic-wrong-password-2"
LIMIT = 10
ADDRESS = "192.0.2.20"
AGENT = "Synthetic browser 1.0"


@pytest.fixture
def person(db: None) -> User:
    return User.objects.create_user(username="test-audited-person", password=PASSWORD)


def sign_in(username: str, password: str, *, address: str = ADDRESS) -> Client:
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=AGENT)
    client.post("/sign-in/", {"username": username, "password": password})
    return client


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("occurred_at", "id"))


def test_a_sign_in_is_recorded_with_who_when_and_from_where(person: User) -> None:
    before = timezone.now()

    sign_in(person.username, PASSWORD)

    [event] = events()
    assert event.action == AuditEvent.Action.PASSWORD_ACCEPTED
    assert event.actor == person
    assert event.object_id == str(person.pk)
    assert (event.ip_address, event.user_agent, event.path) == (ADDRESS, AGENT, "/sign-in/")
    assert event.occurred_at >= before


def test_a_refused_sign_in_names_the_account_tried_and_never_the_password(person: User) -> None:
    sign_in(person.username, WRONG)

    [event] = events()
    assert event.action == AuditEvent.Action.REFUSED
    assert event.actor is None
    assert event.actor_label == "anonymous"
    assert event.object_id == str(person.pk)
    assert event.summary == f"Sign-in refused for «{person.username}»: wrong username or password"
    assert event.ip_address == ADDRESS
    assert WRONG not in repr(
        [event.summary, event.object_repr, event.before, event.after, event.path]
    )


def test_a_refused_sign_in_for_no_such_account_is_recorded_without_a_target() -> None:
    sign_in("test-nobody-by-this-name", WRONG)

    [event] = events()
    assert event.action == AuditEvent.Action.REFUSED
    assert event.content_type is None
    assert "«test-nobody-by-this-name»" in event.summary


def test_a_lockout_is_recorded_once_when_it_begins(person: User) -> None:
    for _ in range(LIMIT + 2):
        sign_in(person.username, WRONG)
    sign_in(person.username, PASSWORD)

    lockouts = [e for e in events() if e.summary.startswith("Locked out")]
    refusals = [e for e in events() if e.summary.startswith("Sign-in refused")]
    assert len(lockouts) == 1
    assert lockouts[0].action == AuditEvent.Action.LOCKED_OUT
    assert lockouts[0].object_id == str(person.pk)
    assert lockouts[0].summary == (
        f"Locked out after too many failed sign-ins: «{person.username}» from {ADDRESS}"
    )
    # Ten wrong passwords, two more while locked, and the right one while locked: none signed in.
    assert len(refusals) == LIMIT + 3
    assert [e.summary.endswith("locked out after too many failures") for e in refusals] == (
        [False] * LIMIT + [True] * 3
    )
    assert not [e for e in events() if e.action == AuditEvent.Action.SIGNED_IN]


def test_a_sign_out_is_recorded(person: User) -> None:
    client = sign_in(person.username, PASSWORD)

    client.post("/sign-out/", REMOTE_ADDR=ADDRESS)

    signed_out = events()[-1]
    assert signed_out.action == AuditEvent.Action.SIGNED_OUT
    assert signed_out.summary == "Signed out"
    assert signed_out.actor == person
    assert signed_out.ip_address == ADDRESS


def test_a_refused_api_token_and_the_lockout_it_causes_are_recorded_by_address() -> None:
    for number in range(LIMIT):
        Client(REMOTE_ADDR=ADDRESS).get(
            "/api/v1/my-work/", HTTP_AUTHORIZATION=f"Token {number:064x}"
        )

    recorded = events()
    refusals = [e for e in recorded if e.summary.startswith("Sign-in refused")]
    lockouts = [e for e in recorded if e.summary.startswith("Locked out")]
    assert len(refusals) == LIMIT
    assert {e.summary for e in refusals} == {
        "Sign-in refused for an API token: invalid, expired or revoked"
    }
    assert {e.ip_address for e in recorded} == {ADDRESS}
    assert [e.summary for e in lockouts] == [
        f"Locked out after too many failed sign-ins: an API token from {ADDRESS}"
    ]
