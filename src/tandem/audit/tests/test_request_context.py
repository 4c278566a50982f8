"""Where from: the client address, user agent and path of the request, through the middleware."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.lib.env import env_int

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tandem.audit.tests.urls")]

CLIENT_IP = "203.0.113.7"
PROXY_IP = "10.0.0.2"
SPOOFED_IP = "198.51.100.66"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) TandemTest/1.0"


@pytest.fixture
def worker() -> User:
    return User.objects.create_user(username="worker-one", password=None)


@pytest.fixture
def client(worker: User) -> Client:
    client = Client()
    client.force_login(worker)
    return client


@pytest.fixture
def group() -> Group:
    return Group.objects.create(name="Tuesday group")


def last_event() -> AuditEvent:
    event = AuditEvent.objects.first()
    assert event is not None
    return event


def test_it_records_the_address_user_agent_and_path_of_a_view(
    client: Client, worker: User, group: Group
) -> None:
    url = reverse("group_detail", args=[group.pk])
    response = client.get(url, REMOTE_ADDR=CLIENT_IP, headers={"user-agent": BROWSER})
    assert response.status_code == 200
    event = last_event()
    assert (event.actor, event.action, event.object_id) == (worker, "viewed", str(group.pk))
    assert (event.ip_address, event.user_agent, event.path) == (CLIENT_IP, BROWSER, url)


def test_it_records_a_change_through_a_page(client: Client, group: Group) -> None:
    client.post(
        reverse("group_rename", args=[group.pk]), {"name": "Thursday group"}, REMOTE_ADDR=CLIENT_IP
    )
    event = last_event()
    assert event.action == AuditEvent.Action.CHANGED
    assert (event.before, event.after) == (
        {"id": group.pk, "name": "Tuesday group"},
        {"id": group.pk, "name": "Thursday group"},
    )
    assert event.ip_address == CLIENT_IP


def test_it_keeps_the_path_without_the_query_string(client: Client, group: Group) -> None:
    client.get(reverse("group_detail", args=[group.pk]) + "?q=a+survivors+name")
    assert "?" not in last_event().path


def test_it_ends_the_request_context_with_the_request(
    client: Client, worker: User, group: Group
) -> None:
    client.get(reverse("group_detail", args=[group.pk]), REMOTE_ADDR=CLIENT_IP)
    event = audit_event_record(actor=worker, action=AuditEvent.Action.VIEWED, target=group)
    assert (event.ip_address, event.user_agent, event.path) == (None, "", "")


def test_it_ignores_x_forwarded_for_by_default(client: Client, group: Group) -> None:
    client.get(
        reverse("group_detail", args=[group.pk]),
        REMOTE_ADDR=CLIENT_IP,
        headers={"x-forwarded-for": SPOOFED_IP},
    )
    assert last_event().ip_address == CLIENT_IP


@override_settings(TANDEM_TRUSTED_PROXY_COUNT=1)
def test_it_believes_x_forwarded_for_as_far_as_trusted_proxies(
    client: Client, group: Group
) -> None:
    # The client wrote a spoofed entry; our one proxy appended the address it really saw.
    client.get(
        reverse("group_detail", args=[group.pk]),
        REMOTE_ADDR=PROXY_IP,
        headers={"x-forwarded-for": f"{SPOOFED_IP}, {CLIENT_IP}"},
    )
    assert last_event().ip_address == CLIENT_IP


@override_settings(TANDEM_TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize("forwarded", ["", "not-an-address", "unknown, "])
def test_it_falls_back_to_the_connecting_address_when_the_header_is_unusable(
    client: Client, group: Group, forwarded: str
) -> None:
    client.get(
        reverse("group_detail", args=[group.pk]),
        REMOTE_ADDR=PROXY_IP,
        headers={"x-forwarded-for": forwarded},
    )
    assert last_event().ip_address == PROXY_IP


@override_settings(TANDEM_TRUSTED_PROXY_COUNT=2)
def test_it_does_not_believe_fewer_hops_than_trusted_proxies(client: Client, group: Group) -> None:
    client.get(
        reverse("group_detail", args=[group.pk]),
        REMOTE_ADDR=PROXY_IP,
        headers={"x-forwarded-for": SPOOFED_IP},
    )
    assert last_event().ip_address == PROXY_IP


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, 0), ("2", 2), (" 1 ", 1), ("two", None), ("-1", None)]
)
def test_it_reads_the_trusted_proxy_count_and_fails_loudly_when_malformed(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: int | None
) -> None:
    if raw is None:
        monkeypatch.delenv("TANDEM_TRUSTED_PROXY_COUNT", raising=False)
    else:
        monkeypatch.setenv("TANDEM_TRUSTED_PROXY_COUNT", raw)
    if expected is None:
        with pytest.raises(ImproperlyConfigured, match="TANDEM_TRUSTED_PROXY_COUNT"):
            env_int("TANDEM_TRUSTED_PROXY_COUNT", 0, minimum=0)
    else:
        assert env_int("TANDEM_TRUSTED_PROXY_COUNT", 0, minimum=0) == expected
