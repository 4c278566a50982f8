"""`tandem backup` and `tandem restore`: a consistent, encrypted archive of the database and the
uploaded documents, restored only into an empty instance (issue 12, data protection).

Transactional tests: the backup reads the database as `tandem backup` does, from outside any
transaction (SQLite's backup API waits for an open write transaction to end)."""

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import LazySettings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from tandem.audit.models import AuditEvent
from tandem.dataprotection.backup import BackupRefused, backup_restore, backup_write
from tandem.demo.plans import MIN_SIZE
from tandem.demo.tests.builders import TODAY, demo_loaded
from tandem.organisations.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

DOCUMENT = b"%PDF-1.4 synthetic evidence for a test, not a real document\n"


def table_fingerprints(database: BaseDatabaseWrapper) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows, whatever order they come back in."""
    quote = database.ops.quote_name
    fingerprints = {}
    with database.cursor() as cursor:
        for table in sorted(database.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            fingerprints[table] = (len(rows), digest)
    return fingerprints


def uploads_held(media_root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(media_root).as_posix(): path.read_bytes()
        for path in media_root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def backup_key(settings: LazySettings) -> str:
    key = Fernet.generate_key().decode()
    settings.TANDEM_BACKUP_KEYS = [key]
    return key


@pytest.fixture
def media_root(settings: LazySettings, tmp_path: Path) -> Path:
    """The uploads folder, holding one synthetic document two folders down."""
    root = tmp_path / "uploads"
    (root / "evidence" / "2026").mkdir(parents=True)
    (root / "evidence" / "2026" / "policy.pdf").write_bytes(DOCUMENT)
    settings.MEDIA_ROOT = root
    return root


def empty_database(name: str) -> BaseDatabaseWrapper:
    """A connection to a database of the test database's engine, named `name`."""
    settings_dict = connections.configure_settings(
        {"default": {**connection.settings_dict, "NAME": name}}
    )["default"]
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "restored")


@pytest.fixture
def restore_target(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    """A new, empty database beside the test database: a file on SQLite, a database of its own
    on PostgreSQL (skipped without pg_dump and pg_restore)."""
    if connection.vendor == "sqlite":
        target = empty_database(str(tmp_path / "restored.sqlite3"))
        yield target
        target.close()
        return
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed (Debian: postgresql-client)")
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    target = empty_database(name)
    try:
        yield target
    finally:
        target.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def test_the_demo_backed_up_restores_into_an_empty_database_with_every_row_and_document(
    backup_key: str, media_root: Path, restore_target: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    """Every table comes back with the same rows (count and checksum), and every uploaded
    document with the same bytes; making the backup is in the audit trail."""
    demo_loaded(size=MIN_SIZE)
    before = table_fingerprints(connection)
    archive = tmp_path / "tandem.backup"

    call_command("backup", str(archive))

    assert AuditEvent.objects.filter(summary__startswith="backup of the").count() == 1
    restored_uploads = tmp_path / "restored-uploads"
    summary = backup_restore(
        source=archive, keys=[backup_key], connection=restore_target, media_root=restored_uploads
    )
    assert table_fingerprints(restore_target) == before
    assert before["cases_perpetratorcase"][0] >= MIN_SIZE
    documents = uploads_held(media_root)
    assert len(documents) > 1  # the demo's evidence and policies, and the test's own
    assert uploads_held(restored_uploads) == documents
    assert (summary.tables, summary.rows, summary.uploads) == (
        len(before),
        sum(count for count, _ in before.values()),
        len(documents),
    )


def test_a_backup_restores_into_a_database_that_was_only_migrated(
    backup_key: str, media_root: Path, tmp_path: Path
) -> None:
    """The README's way: a new instance's `tandem migrate`, then `tandem restore`. What migrate
    writes by itself (groups, content types, the audit chain's head) is not "records"."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL restore drops what migrate made (pg_restore --clean)")
    migrated = tmp_path / "migrated.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "tandem", "migrate", "--no-input", "-v0"],
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{migrated}",
            "TANDEM_VAR_DIR": str(tmp_path / "var"),
        },
        check=True,
        capture_output=True,
    )
    Organisation.objects.create(name="Synthetic Backup Organisation")
    before = table_fingerprints(connection)
    archive = written_backup(key=backup_key, media_root=media_root, tmp_path=tmp_path)
    target = empty_database(str(migrated))
    try:
        backup_restore(
            source=archive,
            keys=[backup_key],
            connection=target,
            media_root=tmp_path / "restored-uploads",
        )
        after = table_fingerprints(target)
    finally:
        target.close()
    assert after["organisations_organisation"] == before["organisations_organisation"]


def written_backup(*, key: str, media_root: Path, tmp_path: Path) -> Path:
    archive = tmp_path / "tandem.backup"
    backup_write(
        destination=archive, keys=[key], connection=connection, media_root=media_root, now=TODAY
    )
    return archive


def test_the_archive_is_readable_by_its_owner_only_and_holds_no_plain_text(
    backup_key: str, media_root: Path, tmp_path: Path
) -> None:
    Organisation.objects.create(name="Plainly Findable Synthetic Organisation")
    archive = written_backup(key=backup_key, media_root=media_root, tmp_path=tmp_path)

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    content = archive.read_bytes()
    assert b"Plainly Findable" not in content
    assert b"synthetic evidence" not in content


def test_a_backup_never_overwrites_an_existing_file(
    backup_key: str, media_root: Path, tmp_path: Path
) -> None:
    (tmp_path / "tandem.backup").write_bytes(b"an earlier backup")

    with pytest.raises(CommandError, match=r"tandem.backup already exists: choose a new file"):
        call_command("backup", str(tmp_path / "tandem.backup"))
    assert (tmp_path / "tandem.backup").read_bytes() == b"an earlier backup"


def test_without_a_backup_key_nothing_is_written(
    settings: LazySettings, media_root: Path, tmp_path: Path
) -> None:
    settings.TANDEM_BACKUP_KEYS = []

    with pytest.raises(CommandError, match="no backup key: set TANDEM_BACKUP_KEY"):
        call_command("backup", str(tmp_path / "tandem.backup"))
    assert not (tmp_path / "tandem.backup").exists()


def test_restore_refuses_a_database_that_holds_records(
    backup_key: str, media_root: Path, tmp_path: Path, settings: LazySettings
) -> None:
    """One organisation is enough: restoring over it would lose it."""
    archive = written_backup(key=backup_key, media_root=media_root, tmp_path=tmp_path)
    settings.MEDIA_ROOT = tmp_path / "no-uploads-yet"
    Organisation.objects.create(name="Synthetic Organisation Already Here")

    with pytest.raises(
        CommandError,
        match=r"Nothing restored: the database is not empty \(.*organisations_organisation.* hold records\)",
    ):
        call_command("restore", str(archive))
    assert Organisation.objects.get().name == "Synthetic Organisation Already Here"


def test_restore_refuses_an_uploads_folder_that_holds_documents(
    backup_key: str, media_root: Path, restore_target: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    archive = written_backup(key=backup_key, media_root=media_root, tmp_path=tmp_path)

    with pytest.raises(BackupRefused, match=r"the uploads folder .* is not empty"):
        backup_restore(
            source=archive, keys=[backup_key], connection=restore_target, media_root=media_root
        )


@pytest.mark.parametrize(
    ("damage", "refusal"),
    [
        ("another key", "the backup key does not open this backup"),
        ("a changed byte", r"the backup key does not open this backup \(or the file was changed"),
        ("cut short", "the backup is incomplete"),
        ("not a backup", "this is not a Tandem backup"),
    ],
)
def test_restore_refuses_a_backup_it_cannot_open_whole_and_restores_nothing(
    damage: str,
    refusal: str,
    backup_key: str,
    media_root: Path,
    restore_target: BaseDatabaseWrapper,
    tmp_path: Path,
) -> None:
    archive = written_backup(key=backup_key, media_root=media_root, tmp_path=tmp_path)
    content = archive.read_bytes()
    key = backup_key
    if damage == "another key":
        key = Fernet.generate_key().decode()
    elif damage == "a changed byte":
        middle = len(content) // 2
        archive.write_bytes(content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :])
    elif damage == "cut short":
        archive.write_bytes(content[:-100])
    else:
        archive.write_bytes(b"PK\x03\x04 a zip file, not a backup")
    target_uploads = tmp_path / "restored-uploads"

    with pytest.raises(BackupRefused, match=refusal):
        backup_restore(
            source=archive, keys=[key], connection=restore_target, media_root=target_uploads
        )
    assert sum(count for count, _ in table_fingerprints(restore_target).values()) == 0
    assert not target_uploads.exists()
