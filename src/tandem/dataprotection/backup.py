"""Backups: the database and the uploaded documents in one encrypted archive, and their restore
into an empty instance.

The database is copied consistently while Tandem runs: on PostgreSQL by `pg_dump` (one snapshot,
custom format), on SQLite by SQLite's online backup API, never by copying a live file. The
archive is a tar stream sealed with `TANDEM_BACKUP_KEY` (see `sealed.py`). The field keys and the
blind index key are not in it: kept apart, a stolen backup cannot reveal what they protect.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

from tandem.dataprotection.sealed import SealBroken, SealedReader, SealedWriter, cipher_for

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
UPLOADS = "uploads"
KEY_HELP = (
    "set TANDEM_BACKUP_KEY to a Fernet key (python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())') and keep it apart from the backups"
)
# The tables `tandem migrate` fills by itself: a database with rows only in these is empty.
FILLED_BY_MIGRATE = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "sqlite_sequence",
        # The audit trail's chain head, at its start (no event yet) after a bare migrate.
        "audit_auditchainhead",
    }
)


class BackupRefused(Exception):
    """A backup or restore that cannot go ahead, with the reason in people's words."""


@dataclass(frozen=True)
class BackupSummary:
    engine: str
    uploads: int
    size: int


@dataclass(frozen=True)
class RestoreSummary:
    made_at: str
    tables: int
    rows: int
    uploads: int


def _engine(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupRefused(f"backups of a {connection.vendor} database are not supported")
    return connection.vendor


def _keys_required(keys: list[str]) -> list[str]:
    if not keys:
        raise BackupRefused(f"no backup key: {KEY_HELP}")
    return keys


def backup_write(
    *,
    destination: Path,
    keys: list[str],
    connection: BaseDatabaseWrapper,
    media_root: Path,
    now: datetime,
) -> BackupSummary:
    """Write the database and every uploaded document to `destination`, a new file readable by
    its owner only, sealed with the first of `keys`. All or nothing: a failed backup leaves no
    file behind."""
    cipher = cipher_for(_keys_required(keys))
    engine = _engine(connection)
    uploads = _uploads(media_root)
    try:
        # O_EXCL: never overwrite an earlier backup; 0600: only its owner can read it.
        descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupRefused(f"{destination} already exists: choose a new file name") from None
    except OSError as problem:
        raise BackupRefused(f"cannot write {destination}: {problem.strerror}") from None
    try:
        with (
            os.fdopen(descriptor, "wb") as sink,
            tempfile.TemporaryDirectory(prefix="tandem-backup-") as work,
        ):
            database_file = Path(work) / DATABASE_MEMBER[engine]
            if engine == "sqlite":
                _sqlite_copy(connection, database_file)
            else:
                _pg_dump(connection, database_file)
            manifest = {
                "format": ARCHIVE_FORMAT,
                "made_at": now.isoformat(),
                "engine": engine,
                "uploads": [_described(media_root, upload) for upload in uploads],
            }
            with (
                SealedWriter(sink, cipher) as sealed,
                tarfile.open(fileobj=sealed, mode="w|") as archive,  # type: ignore[call-overload]
            ):
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(database_file, arcname=DATABASE_MEMBER[engine])
                for upload in uploads:
                    archive.add(media_root / upload, arcname=f"{UPLOADS}/{upload}")
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    return BackupSummary(engine=engine, uploads=len(uploads), size=destination.stat().st_size)


def backup_restore(
    *, source: Path, keys: list[str], connection: BaseDatabaseWrapper, media_root: Path
) -> RestoreSummary:
    """Restore the archive at `source` into this instance's database and uploads folder, which
    must both be empty (a new database, created or only migrated; no uploaded files)."""
    cipher = cipher_for(_keys_required(keys))
    engine = _engine(connection)
    _refuse_unless_empty(connection, media_root)
    if not source.is_file():
        raise BackupRefused(f"{source} is not a file")
    with tempfile.TemporaryDirectory(prefix="tandem-restore-") as work_name:
        work = Path(work_name)
        try:
            with (
                source.open("rb") as file,
                tarfile.open(
                    fileobj=SealedReader(file, cipher),  # type: ignore[call-overload]
                    mode="r|",
                ) as archive,
            ):
                archive.extractall(work, filter="data")
        except (SealBroken, tarfile.TarError) as problem:
            raise BackupRefused(f"cannot read {source}: {problem}") from None
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise BackupRefused(f"{source} is a backup format this version cannot read")
        if manifest["engine"] != engine:
            raise BackupRefused(
                f"{source} is a backup of a {manifest['engine']} database; this instance uses "
                f"{engine}: restore it into a {manifest['engine']} database"
            )
        for upload in manifest["uploads"]:
            if _described(work / UPLOADS, upload["path"]) != upload:
                raise BackupRefused(f"{source}: uploaded document {upload['path']} is damaged")
        database_file = work / DATABASE_MEMBER[engine]
        if engine == "sqlite":
            _sqlite_restore(database_file, connection)
        else:
            _pg_restore(database_file, connection)
        if manifest["uploads"]:
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / UPLOADS, media_root, dirs_exist_ok=True)
    counts = table_row_counts(connection)
    return RestoreSummary(
        made_at=manifest["made_at"],
        tables=len(counts),
        rows=sum(counts.values()),
        uploads=len(manifest["uploads"]),
    )


def table_row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Each table of the database with its number of rows."""
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            # The table names are the database's own, from introspection, and quoted.
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _refuse_unless_empty(connection: BaseDatabaseWrapper, media_root: Path) -> None:
    holding = [
        table
        for table, rows in table_row_counts(connection).items()
        if rows and table not in FILLED_BY_MIGRATE
    ]
    if holding:
        more = f" and {len(holding) - 5} more" if len(holding) > 5 else ""
        shown = ", ".join(holding[:5]) + more
        raise BackupRefused(
            f"the database is not empty ({shown} hold records): a backup is restored only into "
            "a new, empty database, so nothing in it is overwritten"
        )
    if _uploads(media_root):
        raise BackupRefused(
            f"the uploads folder {media_root} is not empty: a backup is restored only into an "
            "instance without uploaded documents"
        )


def _uploads(media_root: Path) -> list[str]:
    if not media_root.is_dir():
        return []
    return sorted(
        path.relative_to(media_root).as_posix() for path in media_root.rglob("*") if path.is_file()
    )


def _described(root: Path, upload: str) -> dict[str, object]:
    path = root / upload
    if not path.is_file():
        return {"path": upload}
    return {
        "path": upload,
        "size": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    archive.addfile(info, BytesIO(data))


def _sqlite_copy(connection: BaseDatabaseWrapper, target: Path) -> None:
    """SQLite's online backup API: a consistent copy, page by page, while others write."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _sqlite_restore(source: Path, connection: BaseDatabaseWrapper) -> None:
    connection.ensure_connection()
    original = sqlite3.connect(source)
    try:
        original.backup(connection.connection)
    finally:
        original.close()
    # Django's cached view of the schema and the connection's state belong to the old database.
    connection.close()


def _pg_command(program: str, connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """The program with the connection's server, port, role and database, and its password in
    the environment (never on a command line others can see)."""
    found = shutil.which(program)
    if found is None:
        raise BackupRefused(
            f"{program} is not installed: install PostgreSQL's client tools (Debian: "
            "postgresql-client) of the server's major version"
        )
    settings = connection.settings_dict
    command = [found, "--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = settings["PASSWORD"]
    if settings.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = settings["OPTIONS"]["sslmode"]
    return command, environment


def _pg_run(command: list[str], environment: dict[str, str]) -> None:
    # pg_dump/pg_restore with arguments built from Tandem's own database settings, no shell.
    finished = subprocess.run(  # noqa: S603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        program = Path(command[0]).name
        raise BackupRefused(f"{program} failed: {finished.stderr.strip()}")


def _pg_dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    command, environment = _pg_command("pg_dump", connection)
    _pg_run([*command, "--format=custom", "--file", str(target)], environment)


def _pg_restore(source: Path, connection: BaseDatabaseWrapper) -> None:
    """Into one transaction: a restore that fails part-way leaves the database as it was. The
    tables `migrate` may have made in the empty database are dropped and made again."""
    connection.close()
    command, environment = _pg_command("pg_restore", connection)
    _pg_run(
        [
            *command,
            "--single-transaction",
            "--exit-on-error",
            "--clean",
            "--if-exists",
            "--no-owner",
            str(source),
        ],
        environment,
    )
