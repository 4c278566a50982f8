"""API tokens (issue 12, sign-in): Basic authentication is gone; a signed-in person makes, lists
and revokes their own tokens on a page and through the API; a token stops working when revoked,
when it expires, and at once when its owner's account is deactivated; every change is audited."""

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.accounts.api_tokens_services import api_token_create
from tandem.accounts.demo_accounts import demo_username
from tandem.accounts.services import sessions_end_all, user_deactivate
from tandem.api import NOT_SIGNED_IN
from tandem.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

API_ROUTE = "/api/v1/my-work/"
TOKENS_API = "/api/v1/api-tokens/"
PAGE = "/account/api-tokens/"


@pytest.fixture
def worker(user_with_role: Callable[[Role], User]) -> User:
    return user_with_role(Role.PERPETRATOR_WORKER)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_token(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


# Anonymous clients: refused at no cost


def test_an_anonymous_api_request_is_told_how_to_sign_in_without_touching_the_database(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(0):
        response = client.get(API_ROUTE)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": NOT_SIGNED_IN}


def test_a_basic_authentication_header_is_not_checked_at_all(
    client: Client, worker: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Basic authentication hashed the password of every request (0.3 s each): no user is even
    looked up now, so nothing is hashed."""
    worker.set_password("synthetic-password-1")
    worker.save()

    with django_assert_num_queries(0):
        response = client.get(
            API_ROUTE, HTTP_AUTHORIZATION="Basic dGVzdC1wZXJwZXRyYXRvci13b3JrZXI6c3ludGhldGlj"
        )

    assert response.status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Token", "Token a b", "Token not-a-token", "Token \xff\xfe"],
    ids=["no token", "two words", "unknown", "not text"],
)
def test_a_malformed_or_unknown_token_is_401_never_500(client: Client, header: str) -> None:
    response = client.get(API_ROUTE, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert "detail" in response.json()


# The token's life


def test_a_token_signs_its_owner_in_on_the_api(worker: User) -> None:
    _, token = api_token_create(user=worker)

    response = with_token(token).get(API_ROUTE)

    assert response.status_code == 200


def test_only_a_hash_of_the_token_is_kept(worker: User) -> None:
    record, token = api_token_create(user=worker)

    stored = AuthToken.objects.get(pk=record.pk)
    assert token not in (stored.digest, stored.token_key)
    assert stored.token_key == token[: len(stored.token_key)]


def test_a_deactivated_persons_token_stops_working_at_once(worker: User) -> None:
    _, token = api_token_create(user=worker)
    assert with_token(token).get(API_ROUTE).status_code == 200

    worker.is_active = False
    worker.save()

    response = with_token(token).get(API_ROUTE)
    assert response.status_code == 401


def test_signing_out_everywhere_and_deactivation_delete_every_token(
    worker: User, user_with_role: Callable[[Role], User]
) -> None:
    administrator = user_with_role(Role.ADMINISTRATOR)
    _, first = api_token_create(user=worker)
    sessions_end_all(user=worker, actor=worker, reason="Signed out everywhere")
    assert with_token(first).get(API_ROUTE).status_code == 401

    _, second = api_token_create(user=worker)
    user_deactivate(actor=administrator, user=worker, reason="Left on 30 November")
    assert with_token(second).get(API_ROUTE).status_code == 401
    assert not AuthToken.objects.filter(user=worker).exists()


def test_a_demo_accounts_token_works_only_while_debug_is_on(
    user_with_role: Callable[[Role], User],
) -> None:
    demo_worker = user_with_role(Role.PERPETRATOR_WORKER)
    demo_worker.username = demo_username(Role.PERPETRATOR_WORKER)
    demo_worker.save()
    _, token = api_token_create(user=demo_worker)

    with override_settings(DEBUG=True):
        assert with_token(token).get(API_ROUTE).status_code == 200
    assert with_token(token).get(API_ROUTE).status_code == 401


def test_a_token_works_until_its_expiry_and_not_after(worker: User) -> None:
    record, token = api_token_create(user=worker)
    assert abs(record.expiry - record.created - timedelta(days=30)) < timedelta(seconds=1)

    with time_machine.travel(record.expiry - timedelta(seconds=1), tick=False):
        assert with_token(token).get(API_ROUTE).status_code == 200
    with time_machine.travel(record.expiry + timedelta(seconds=1), tick=False):
        assert with_token(token).get(API_ROUTE).status_code == 401


# The page


def test_the_page_shows_a_new_token_once_and_lists_it_without_its_text(worker: User) -> None:
    client = signed_in(worker)

    made = client.post(reverse("accounts:api_token_new"))

    record = AuthToken.objects.get(user=worker)
    text = made.context["new_token_text"]
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    assert text in made.content.decode()
    assert with_token(text).get(API_ROUTE).status_code == 200
    listed = client.get(PAGE)
    page = listed.content.decode()
    assert text not in page
    assert f"{record.token_key}…" in page
    assert timezone.localtime(record.expiry).strftime("%-d %B %Y") in page


def test_the_page_revokes_one_token_and_the_revoked_token_stops_working(worker: User) -> None:
    _, kept_text = api_token_create(user=worker)
    revoked, revoked_text = api_token_create(user=worker)
    client = signed_in(worker)

    response = client.post(reverse("accounts:api_token_revoke", args=[revoked.token_key]))

    assert response.status_code == 302
    assert with_token(revoked_text).get(API_ROUTE).status_code == 401
    assert with_token(kept_text).get(API_ROUTE).status_code == 200
    assert "revoked" in client.get(PAGE).content.decode()


def test_the_page_revokes_all_of_ones_own_tokens_and_nobody_elses(
    worker: User, user_with_role: Callable[[Role], User]
) -> None:
    other = user_with_role(Role.ISS_WORKER)
    for _ in range(3):
        api_token_create(user=worker)
    _, others_token = api_token_create(user=other)

    signed_in(worker).post(reverse("accounts:api_token_revoke_all"))

    assert not AuthToken.objects.filter(user=worker).exists()
    assert with_token(others_token).get(API_ROUTE).status_code == 200


def test_nobody_can_revoke_someone_elses_token(
    worker: User, user_with_role: Callable[[Role], User]
) -> None:
    other = user_with_role(Role.ISS_WORKER)
    record, token = api_token_create(user=other)

    page = signed_in(worker).post(reverse("accounts:api_token_revoke", args=[record.token_key]))
    api = signed_in(worker).delete(f"{TOKENS_API}{record.token_key}/")

    assert page.status_code == 404
    assert api.status_code == 404
    assert with_token(token).get(API_ROUTE).status_code == 200


def test_the_page_refuses_a_token_beyond_the_limit_and_says_why(worker: User) -> None:
    """At most TANDEM_API_TOKEN_LIMIT (10) live tokens each: the 10th is made, the 11th not."""
    for _ in range(9):
        api_token_create(user=worker)
    client = signed_in(worker)

    tenth = client.post(reverse("accounts:api_token_new"))
    eleventh = client.post(reverse("accounts:api_token_new"))

    assert tenth.status_code == 200
    assert eleventh.status_code == 400
    assert "You already have 10 API tokens" in eleventh.content.decode()
    assert AuthToken.objects.filter(user=worker).count() == 10


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_page(client: Client) -> None:
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The API


def test_a_signed_in_session_makes_lists_and_revokes_tokens_through_the_api(
    worker: User,
) -> None:
    client = signed_in(worker)

    made = client.post(TOKENS_API)
    body = made.json()
    listed = client.get(TOKENS_API).json()
    revoked = client.delete(f"{TOKENS_API}{body['token_key']}/")

    assert made.status_code == 201
    assert made["Cache-Control"] == "no-store"
    assert set(body) == {"token", "token_key", "created", "expiry"}
    assert body["token"].startswith(body["token_key"])
    assert [item["token_key"] for item in listed] == [body["token_key"]]
    assert "token" not in listed[0]
    assert revoked.status_code == 204
    assert with_token(body["token"]).get(API_ROUTE).status_code == 401


def test_the_api_revokes_all_ones_tokens(worker: User) -> None:
    for _ in range(2):
        api_token_create(user=worker)

    response = signed_in(worker).delete(TOKENS_API)

    assert response.json() == {"revoked": 2}
    assert not AuthToken.objects.filter(user=worker).exists()


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_a_token_cannot_make_list_or_revoke_tokens(worker: User, method: str) -> None:
    """A stolen token must not let its holder make themselves more."""
    _, token = api_token_create(user=worker)

    response = getattr(with_token(token), method)(TOKENS_API)

    assert response.status_code == 403
    assert "signed in with a session" in response.json()["detail"]
    assert AuthToken.objects.filter(user=worker).count() == 1


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_anonymous_client_cannot_reach_the_tokens_api(client: Client, method: str) -> None:
    assert getattr(client, method)(TOKENS_API).status_code == 401


def test_the_api_refuses_a_token_beyond_the_limit_with_a_400(worker: User) -> None:
    for _ in range(10):
        api_token_create(user=worker)

    response = signed_in(worker).post(TOKENS_API)

    assert response.status_code == 400
    assert "You already have 10 API tokens" in response.json()["non_field_errors"][0]


# The audit trail


def test_making_and_revoking_a_token_are_audit_events(worker: User) -> None:
    client = signed_in(worker)
    body = client.post(TOKENS_API, REMOTE_ADDR="192.0.2.10").json()
    client.delete(f"{TOKENS_API}{body['token_key']}/", REMOTE_ADDR="192.0.2.11")

    events = list(
        AuditEvent.objects.filter(actor=worker)
        .exclude(action=AuditEvent.Action.PASSWORD_ACCEPTED)
        .order_by("occurred_at", "id")
    )
    assert [(e.action, e.ip_address) for e in events] == [
        (AuditEvent.Action.CREATED, "192.0.2.10"),
        (AuditEvent.Action.DELETED, "192.0.2.11"),
    ]
    assert all(body["token_key"] in e.summary for e in events)
    assert all(body["token"] not in (e.summary + e.object_repr) for e in events)
