"""Shared test personas and fixtures.

Personas: one signed-in user per role (`user_with_role`), a user with no role, and anonymous.
The standards library is loaded once per test database and reloaded after a test that flushes it.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client, override_settings

from tandem.access.roles import Role
from tandem.lib.calendar import UK_TIME
from tandem.standards.models import Framework
from tandem.standards.services import library_load

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django import DjangoDbBlocker
    from pytest_django.live_server_helper import LiveServer

    from tandem.organisations.models import Service

# Playwright's sync API runs an event loop in the test thread; the ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TANDEM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def chromium_found() -> bool:
    return Path(CHROMIUM).is_file()


def pytest_configure(config: pytest.Config) -> None:
    """Every run starts at noon (UK time) of the day it starts, its clock ticking on from there.

    Tests and the services they call both read today's date, and several test modules take it
    once, when imported: a run that crossed midnight would hold two different days and fail on
    the second. From noon, a run has half a day before the date changes."""
    started = datetime.now(UK_TIME)
    noon = started.replace(hour=12, minute=0, second=0, microsecond=0)
    traveller = time_machine.travel(noon, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.pluginmanager.hasplugin("playwright"):
        reason = "the Playwright plugin is not loaded (-p no:playwright)"
    elif not chromium_found():
        reason = "no Chromium found (install Debian's chromium or set TANDEM_CHROMIUM)"
    else:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config: pytest.Config) -> list[str]:
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    browser = CHROMIUM if chromium_found() else "none found: browser tests skipped"
    return [f"tandem: database {engine}; Chromium {browser}"]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True, scope="session")
def force_login_passes_both_factors() -> Iterator[None]:
    """`Client.force_login` signs a person in as the sign-in pages leave them once both factors
    are passed: django-otp's session key names a confirmed device of theirs. Tests of the
    second factor itself sign in with `Client.login` or the form, which do not."""
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    from tandem.accounts.tests.builders import verified_session_device

    password_only = ClientMixin.force_login

    def force_login(self: ClientMixin, user: User, backend: str | None = None) -> None:
        password_only(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = verified_session_device(user).persistent_id
        session.save()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClientMixin, "force_login", force_login)
        yield


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """Tests set and check passwords hundreds of times; production's PBKDF2 costs 0.3 s a time."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def no_api_request_rates() -> Iterator[None]:
    """Suites call the API thousands of times as a handful of users, and DRF keeps its counts in
    each process's cache across tests: the rate tests (accounts) set the rates they check."""
    with override_settings(TANDEM_API_THROTTLE_RATES={"anon": None, "user": None}):
        yield


DB_BLOCKER = pytest.StashKey["DjangoDbBlocker"]()


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: "DjangoDbBlocker", request: pytest.FixtureRequest
) -> None:
    request.config.stash[DB_BLOCKER] = django_db_blocker
    with django_db_blocker.unblock():
        library_load()


def flushes_the_database(item: pytest.Item) -> bool:
    """A transactional test (live_server included) empties every table when it ends."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """Loads the library again, committed, after a flush, so the tests that follow need not.

    Without this each later test reloads it inside its own rolled-back transaction (1-2 s each).
    """
    result = yield
    blocker = item.config.stash.get(DB_BLOCKER, None)
    if blocker and flushes_the_database(item) and nextitem and not flushes_the_database(nextitem):
        with blocker.unblock():
            library_load()
    return result


@pytest.fixture(scope="module")
def module_transaction(
    django_db_setup: None, django_db_blocker: "DjangoDbBlocker"
) -> Iterator[None]:
    """Django's setUpTestData for a module: rows its tests share are made once, inside this
    transaction, and each test's own transaction nests in it (as a savepoint). Rolled back when
    the module's tests are done. Not for transactional tests, which commit and flush."""
    with django_db_blocker.unblock():
        shared = transaction.atomic()
        shared.__enter__()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        shared.__exit__(None, None, None)


@pytest.fixture
def library(db: None) -> None:
    """The packaged standards library, present in the test database."""
    if not Framework.objects.exists():
        library_load()


@pytest.fixture
def user_with_role(db: None) -> Callable[[Role], User]:
    def make(role: Role) -> User:
        user, _ = User.objects.get_or_create(
            username=f"test-{role.value}", defaults={"first_name": "Test", "last_name": role.label}
        )
        # get_or_create: a transactional test's flush also removes the migration-made groups.
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        return user

    return make


@pytest.fixture
def user_without_role(db: None) -> User:
    return User.objects.create_user(username="test-no-role", password=None)


@pytest.fixture
def client_as(user_with_role: Callable[[Role], User]) -> Callable[[Role], Client]:
    def make(role: Role) -> Client:
        client = Client()
        client.force_login(user_with_role(role))
        return client

    return make


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def assert_accessible() -> Callable[["Page"], None]:
    """Fails on any WCAG 2.1 A or AA violation axe-core finds on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: "Page") -> None:
        # Details of the violations only: those of every passing node cost a third of the time.
        options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
        results = axe.run(page, options=options)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def sign_in(live_server: "LiveServer", page: "Page") -> Callable[[str, str], "Page"]:
    """Signs in through the sign-in form, as a person would."""

    def act(username: str, password: str) -> "Page":
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        pass_second_factor(page, username)
        return page

    return act


def pass_second_factor(page: "Page", username: str) -> None:
    """After the password: set up an authenticator app (first sign-in) or enter its code, with
    codes computed from the device's key as the person's app would; nothing after a refusal."""
    from urllib.parse import urlparse

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tandem.accounts.tests.builders import totp_code

    path = urlparse(page.url).path
    if path not in ("/account/two-factor/", "/account/two-factor/set-up/"):
        return
    device = TOTPDevice.objects.filter(user__username=username).latest("pk")
    page.get_by_label("Code").fill(totp_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue" if device.confirmed else "Confirm").click()
    if urlparse(page.url).path == "/account/two-factor/recovery-codes/":
        with page.expect_navigation():
            page.get_by_role("link", name="Continue").click()


@dataclass(frozen=True)
class ServiceStaff:
    """A synthetic service with one person per seat that matters to the information barrier."""

    service: "Service"
    perpetrator_worker: User
    iss_worker: User
    second_iss_worker: User
    service_manager: User
    other_service_worker: User


# The seats of `staffed_service`: username, role, "the service" or "elsewhere", side, senior.
STAFF_SEATS = (
    ("pw", Role.PERPETRATOR_WORKER, "service", "perpetrator", False),
    ("iss1", Role.ISS_WORKER, "service", "iss", False),
    ("iss2", Role.ISS_WORKER, "service", "iss", False),
    ("sm", Role.SERVICE_MANAGER, "service", "both", True),
    ("elsewhere", Role.PERPETRATOR_WORKER, "elsewhere", "perpetrator", False),
)


@pytest.fixture
def staffed_service(db: None) -> ServiceStaff:
    """Two services of one organisation and a person in each seat (`staff_seated`)."""
    return staff_seated()


@pytest.fixture(scope="module")
def module_staffed_service(
    module_transaction: None, django_db_blocker: "DjangoDbBlocker"
) -> ServiceStaff:
    """`staffed_service` made once for a module whose shared records are built on it (see
    `module_transaction`): each test's own writes are rolled back after it."""
    with django_db_blocker.unblock():
        return staff_seated()


def staff_seated() -> ServiceStaff:
    """Two services of one organisation and a person in each seat, each with a worker record
    and a current criminal record check (rule dbs: staff without one cannot be allocated
    cases or sessions). Made in a handful of statements: about 1,600 tests ask for it."""
    from tandem.lib.calendar import Jurisdiction
    from tandem.organisations.models import Organisation, Service, StaffMembership
    from tandem.workforce.models import (
        SCHEME_FOR_JURISDICTION,
        CheckLevel,
        CriminalRecordCheck,
        EmploymentType,
        Worker,
    )

    organisation = Organisation.objects.create(name="Synthetic Test Services (not real)")
    service, elsewhere = Service.objects.bulk_create(
        [
            Service(
                organisation=organisation,
                name="Test DAPP",
                jurisdiction="england-and-wales",
                offers_behaviour_change=True,
                offers_icm=True,
                delivery="both",
                iss_provision="internal",
            ),
            Service(
                organisation=organisation,
                name="Another service",
                jurisdiction="scotland",
                delivery="group",
                iss_provision="internal",
            ),
        ]
    )
    services = {"service": service, "elsewhere": elsewhere}
    users = []
    for username, role, _, _, _ in STAFF_SEATS:
        user = User(username=username, first_name="Test", last_name=role.label)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    groups = {
        role: Group.objects.get_or_create(name=role.value)[0]
        for role in {seat[1] for seat in STAFF_SEATS}
    }
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=groups[seat[1]].pk)
        for user, seat in zip(users, STAFF_SEATS, strict=True)
    )
    StaffMembership.objects.bulk_create(
        StaffMembership(
            user=user,
            service=services[where],
            side=side,
            is_senior_manager=senior,
            started_on=date(2024, 1, 1),
        )
        for user, (_, _, where, side, senior) in zip(users, STAFF_SEATS, strict=True)
    )
    workers = Worker.objects.bulk_create(
        Worker(
            user=user,
            organisation=organisation,
            employment_type=EmploymentType.STAFF,
            job_title="Synthetic worker",
            started_on=date(2024, 1, 1),
        )
        for user in users
    )
    CriminalRecordCheck.objects.bulk_create(
        CriminalRecordCheck(
            worker=worker,
            scheme=SCHEME_FOR_JURISDICTION[Jurisdiction(services[seat[2]].jurisdiction)],
            level=CheckLevel.ENHANCED_BARRED,
            # No number: fixtures write no encrypted value, so tests of key rotation own every
            # token.
            certificate_number="",
            issued_on=date.today() - timedelta(days=365),
        )
        for worker, seat in zip(workers, STAFF_SEATS, strict=True)
    )
    perpetrator_worker, iss_worker, second_iss_worker, service_manager, other = users
    return ServiceStaff(
        service=service,
        perpetrator_worker=perpetrator_worker,
        iss_worker=iss_worker,
        second_iss_worker=second_iss_worker,
        service_manager=service_manager,
        other_service_worker=other,
    )


@pytest.fixture
def csp_violations(page: "Page") -> list[str]:
    """What Chromium refused on `page` under the Content-Security-Policy, as it says so in the
    console, for a browser test to assert there was nothing (issue 12: no 'unsafe-inline')."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found
