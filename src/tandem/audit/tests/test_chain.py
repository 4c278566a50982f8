"""Tamper-evidence: each event is chained to the one before by its hash, `tandem audit verify`
names the first event an edit or deletion behind the application's back broke, and on
PostgreSQL the database itself refuses to change or delete an audit row."""

from concurrent.futures import ThreadPoolExecutor
from importlib import import_module
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from tandem.audit.chain import event_hash
from tandem.audit.models import AuditChainHead, AuditEvent
from tandem.audit.services import audit_event_record

pytestmark = pytest.mark.django_db

on_sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL refuses the edit itself (see below)"
)
on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the refusing trigger is PostgreSQL's"
)


@pytest.fixture
def recorded() -> list[AuditEvent]:
    """Five events about one group, oldest first."""
    worker = User.objects.create_user(username="worker-one", password=None)
    group = Group.objects.create(name="Tuesday group")
    return [
        audit_event_record(
            actor=worker, action=AuditEvent.Action.VIEWED, target=group, summary=f"view {n}"
        )
        for n in range(5)
    ]


def verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def verify_refused() -> str:
    with pytest.raises(CommandError) as refused:
        verify()
    assert refused.value.returncode == 1
    return str(refused.value)


def raw(sql: str, *params: str | int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_event_is_chained_to_the_one_before(recorded: list[AuditEvent]) -> None:
    assert recorded[0].previous_hash == ""
    for earlier, later in pairwise(recorded):
        assert later.previous_hash == earlier.hash
    assert len({event.hash for event in recorded}) == len(recorded)
    head = AuditChainHead.objects.get()
    assert (head.last_event_id, head.last_hash) == (recorded[-1].pk, recorded[-1].hash)


def test_an_intact_trail_verifies_and_says_how_many_events(recorded: list[AuditEvent]) -> None:
    assert "5 event(s)" in verify()


@pytest.mark.parametrize("batch_size", ["1", "2", "5", "6"])
def test_it_verifies_in_batches_of_any_size(recorded: list[AuditEvent], batch_size: str) -> None:
    assert "5 event(s)" in verify("--batch-size", batch_size)


def test_an_empty_trail_verifies() -> None:
    assert "0 event(s)" in verify()


@on_sqlite_only
def test_verify_names_an_event_edited_behind_the_applications_back(
    recorded: list[AuditEvent],
) -> None:
    edited = recorded[2]
    raw("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", "someone-else", edited.pk)
    message = verify_refused()
    assert f"event {edited.pk} (" in message
    assert "someone-else viewed Tuesday group" in message
    assert "changed after it was recorded" in message
    assert "2 event(s) before it verified" in message


@on_sqlite_only
def test_verify_catches_an_edit_that_recomputes_the_edited_events_own_hash(
    recorded: list[AuditEvent],
) -> None:
    """Whoever rewrites one event's hash to match their edit breaks the link to the next."""
    edited = AuditEvent.objects.get(pk=recorded[1].pk)
    edited.summary = "never happened"
    raw(
        "UPDATE audit_auditevent SET summary = %s, hash = %s WHERE id = %s",
        edited.summary,
        event_hash(edited, edited.previous_hash),
        edited.pk,
    )
    message = verify_refused()
    assert f"event {recorded[2].pk} (" in message
    assert f"does not follow event {edited.pk}" in message


@on_sqlite_only
def test_verify_names_the_event_after_one_deleted_from_the_middle(
    recorded: list[AuditEvent],
) -> None:
    raw("DELETE FROM audit_auditevent WHERE id = %s", recorded[2].pk)
    message = verify_refused()
    assert f"event {recorded[3].pk} (" in message
    assert f"does not follow event {recorded[1].pk}: an event between them was deleted" in message


@on_sqlite_only
def test_verify_catches_the_first_event_deleted(recorded: list[AuditEvent]) -> None:
    raw("DELETE FROM audit_auditevent WHERE id = %s", recorded[0].pk)
    assert f"event {recorded[1].pk} (" in verify_refused()


@on_sqlite_only
def test_verify_catches_events_deleted_from_the_end(recorded: list[AuditEvent]) -> None:
    raw("DELETE FROM audit_auditevent WHERE id >= %s", recorded[3].pk)
    message = verify_refused()
    assert f"ends at event {recorded[2].pk}" in message
    assert f"last event recorded was event {recorded[4].pk}" in message


@on_postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET summary = 'never happened' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_to_change_or_delete_an_audit_row(
    recorded: list[AuditEvent], sql: str
) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql, recorded[2].pk)
    assert AuditEvent.objects.get(pk=recorded[2].pk).summary == "view 2"
    assert "5 event(s)" in verify()


@on_sqlite_only
def test_the_migration_chains_events_recorded_before_the_chain() -> None:
    """Events written without hashes (as before 0002) are chained in id order by 0003."""
    chain_existing_events = import_module(
        "tandem.audit.migrations.0003_chain_existing_events"
    ).chain_existing_events
    old_apps = (
        MigrationLoader(connection).project_state(("audit", "0003_chain_existing_events")).apps
    )
    historical = old_apps.get_model("audit", "AuditEvent")
    for n in range(3):
        historical.objects.create(actor_label="before-the-chain", action="viewed", summary=str(n))
    old_apps.get_model("audit", "AuditChainHead").objects.all().delete()
    assert "broken" in verify_refused()

    chain_existing_events(old_apps, None)

    assert "3 event(s)" in verify()
    audit_event_record(actor=None, action=AuditEvent.Action.CHANGED, target=None)
    assert "4 event(s)" in verify()


def test_an_event_verifies_as_the_database_gives_its_values_back() -> None:
    """Snapshots hold floats, nested lists and non-ASCII text; jsonb reorders and renormalises."""
    group = Group.objects.create(name="Grŵp dydd Mawrth")
    audit_event_record(
        actor=None,
        action=AuditEvent.Action.CHANGED,
        target=group,
        before={"z": 1.0, "a": [0.1, 1e20, None, True], "nested": {"b": "ŵ", "a": -2}},
        after={"z": 2.5, "a": [], "nested": {}},
    )
    assert "1 event(s)" in verify()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers by its transaction mode (IMMEDIATE), not this lock",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_append_one_chain() -> None:
    """Writers that record at the same moment take turns at the chain head: no fork."""
    group = Group.objects.create(name="Tuesday group")

    def record_several(writer: int) -> None:
        try:
            for n in range(5):
                audit_event_record(
                    actor=None,
                    action=AuditEvent.Action.VIEWED,
                    target=group,
                    summary=f"{writer}-{n}",
                )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(record_several, range(4)))
    assert "20 event(s)" in verify()
