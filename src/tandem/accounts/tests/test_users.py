"""Finding: no one could see who holds an account, or stop a leaver at once. An administrator's
user list (page and API; every other role refused) shows each account's name, email, roles and
services, last sign-in, two-factor status and whether it is active, with search and paging;
deactivating a leaver, with a reason, ends their open sessions and stops their sign-in at once."""

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tandem.access.roles import Role
from tandem.accounts.models import SignedInSession
from tandem.accounts.tests.builders import enrolled
from tandem.accounts.views import USERS_PER_PAGE
from tandem.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

    from tandem.conftest import ServiceStaff

pytestmark = pytest.mark.django_db

PASSWORD = "synthetic-password-for-tests-1"
PAGE = "/account/users/"
API = "/api/v1/users/"


@pytest.fixture
def administrator(user_with_role: Callable[[Role], User]) -> User:
    return user_with_role(Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(administrator: User) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def leaver() -> User:
    user = User.objects.create_user(
        username="synthetic-leaver",
        password=PASSWORD,
        first_name="Ash",
        last_name="Leaver (synthetic)",
        email="ash.leaver@example.invalid",
    )
    user.groups.add(Group.objects.get_or_create(name=Role.PERPETRATOR_WORKER.value)[0])
    return user


def deactivate(
    client: Client, user: User, reason: str = "Left the organisation"
) -> "_MonkeyPatchedWSGIResponse":
    return client.post(f"{PAGE}{user.pk}/deactivate/", {"reason": reason})


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ADMINISTRATOR])
def test_every_role_but_administrator_is_refused_the_list_and_deactivation(
    role: Role, client_as: Callable[[Role], Client], leaver: User
) -> None:
    client = client_as(role)

    assert client.get(PAGE).status_code == 403
    assert client.get(API).status_code == 403
    assert deactivate(client, leaver).status_code == 403
    assert client.post(f"{API}{leaver.pk}/deactivate/", {"reason": "x"}).status_code == 403
    leaver.refresh_from_db()
    assert leaver.is_active


def test_someone_without_a_role_or_signed_out_is_refused(user_without_role: User) -> None:
    no_role = Client()
    no_role.force_login(user_without_role)

    assert no_role.get(PAGE).status_code == 403
    assert no_role.get(API).status_code == 403
    assert Client().get(PAGE)["Location"].startswith("/sign-in/")
    assert Client().get(API).status_code == 401


def test_the_administrator_sees_each_account_with_its_sign_in_and_two_factor_status(
    admin_client: Client, leaver: User
) -> None:
    enrolled(leaver)
    Client().login(username=leaver.username, password=PASSWORD)  # sets the last sign-in

    page = admin_client.get(PAGE, {"q": "ash leaver"}).content.decode()
    (row,) = admin_client.get(API, {"q": "leaver"}).json()["results"]

    assert "Ash Leaver (synthetic)" in page
    assert Role.PERPETRATOR_WORKER.label in page
    assert "ash.leaver@example.invalid" in page
    assert row["username"] == "synthetic-leaver"
    assert row["roles"] == [Role.PERPETRATOR_WORKER.value]
    assert row["two_factor_enrolled"] is True
    assert row["last_sign_in"] is not None
    assert row["is_active"] is True


def test_search_finds_nothing_when_nothing_matches(admin_client: Client, leaver: User) -> None:
    assert "No account matches" in admin_client.get(PAGE, {"q": "nobody-like-this"}).text
    assert admin_client.get(API, {"q": "nobody-like-this"}).json()["count"] == 0


@pytest.mark.parametrize(("accounts", "pages"), [(USERS_PER_PAGE, 1), (USERS_PER_PAGE + 1, 2)])
def test_the_list_is_paged_by_fifty(admin_client: Client, accounts: int, pages: int) -> None:
    User.objects.bulk_create(
        User(username=f"synthetic-{number:03}") for number in range(accounts - User.objects.count())
    )

    page = admin_client.get(PAGE).content.decode()

    assert f"{accounts} accounts" in page
    assert ("Page 1 of 2" in page) is (pages == 2)


def test_deactivating_a_leaver_ends_their_open_session_on_its_next_request(
    admin_client: Client, administrator: User, leaver: User
) -> None:
    leavers_session = Client()
    leavers_session.force_login(leaver)
    assert leavers_session.get("/account/").status_code == 200

    response = deactivate(admin_client, leaver, "Left on 30 November")

    assert response.status_code == 302
    assert leavers_session.get("/account/")["Location"].startswith("/sign-in/")
    assert leavers_session.get("/api/v1/frameworks/").status_code == 401
    assert not Client().login(username=leaver.username, password=PASSWORD)
    assert not SignedInSession.objects.filter(user=leaver).exists(), "ended, not only refused"
    event = AuditEvent.objects.get(actor=administrator, object_id=str(leaver.pk))
    assert event.summary.endswith("Left on 30 November")
    assert event.after == {"is_active": False}


def test_the_api_deactivates_a_leaver_and_says_so(admin_client: Client, leaver: User) -> None:
    response = admin_client.post(
        f"{API}{leaver.pk}/deactivate/", {"reason": "Left"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_deactivation_needs_a_reason_and_never_applies_to_oneself(
    admin_client: Client, administrator: User, leaver: User
) -> None:
    page = deactivate(admin_client, leaver, "   ")
    api = admin_client.post(
        f"{API}{leaver.pk}/deactivate/", {"reason": ""}, content_type="application/json"
    )
    oneself = admin_client.post(
        f"{API}{administrator.pk}/deactivate/",
        {"reason": "Testing"},
        content_type="application/json",
    )

    assert "Give the reason for deactivating the account" in page.content.decode()
    assert api.status_code == 400
    assert "reason" in api.json()
    assert oneself.status_code == 400
    assert "own account" in str(oneself.json())
    leaver.refresh_from_db()
    administrator.refresh_from_db()
    assert leaver.is_active
    assert administrator.is_active


def test_each_account_shows_the_services_it_works_in_now(
    admin_client: Client, staffed_service: "ServiceStaff"
) -> None:
    (row,) = admin_client.get(API, {"q": staffed_service.service_manager.username}).json()[
        "results"
    ]

    assert row["services"] == [staffed_service.service.name]
