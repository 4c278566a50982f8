"""Rehearse this checkout's migrations on a database built by an earlier revision, as an
upgrade of a live installation would meet them, and check that no row was lost or gained.

    .venv/bin/python scripts/migration_rehearsal.py --from REV [--postgres URL]

1. Takes the earlier revision's code (`git archive REV src`) into a scratch folder.
2. With that code: migrates an empty database, loads the standards library and the demo.
3. Counts the rows of every table.
4. With this checkout's code: migrates the same database.
5. Counts again and prints both; exits 1 when a table that existed before holds a different
   number of rows after (the record of applied migrations aside), or a content type
   disappeared.

The database is SQLite in the scratch folder, or a new database on the PostgreSQL server
given by --postgres (an address of a database to connect to: the rehearsal creates its own
database beside it and drops it at the end).
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

COUNT_ROWS = """
import json
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    tables = sorted(connection.introspection.table_names(cursor))
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT id, app_label, model FROM django_content_type ORDER BY id")
    content_types = {str(row[0]): f"{row[1]}.{row[2]}" for row in cursor.fetchall()}
print(json.dumps({"counts": counts, "content_types": content_types}))
"""


def run(args: list[str], *, env: dict[str, str], code: Path | None) -> str:
    """Run a Python command under Tandem's settings with `code`'s src (this checkout's if None)."""
    environment = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "tandem.settings"}
    if code is not None:
        environment["PYTHONPATH"] = str(code / "src")
    result = subprocess.run(
        [sys.executable, *args], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def tandem(command: list[str], *, env: dict[str, str], code: Path | None) -> None:
    run(["-m", "tandem", *command], env=env, code=code)


def snapshot(*, env: dict[str, str]) -> dict[str, dict[str, object]]:
    return json.loads(run(["-c", COUNT_ROWS], env=env, code=None).splitlines()[-1])


def earlier_code(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def postgres_database(server_url: str, name: str, *, create: bool) -> str:
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="revision", required=True, help="the earlier revision")
    parser.add_argument("--postgres", help="a PostgreSQL address to create the database beside")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tandem-rehearsal-") as scratch:
        folder = Path(scratch)
        code = earlier_code(options.revision, folder / "earlier")
        database_name = f"tandem_rehearsal_{os.getpid()}"
        if options.postgres:
            database_url = postgres_database(options.postgres, database_name, create=True)
        else:
            database_url = f"sqlite:///{folder / 'rehearsal.sqlite3'}"
        env = {"DATABASE_URL": database_url, "TANDEM_VAR_DIR": str(folder / "var"), "DEBUG": "1"}
        try:
            tandem(["migrate", "--no-input", "-v0"], env=env, code=code)
            tandem(["standards", "load"], env=env, code=code)
            tandem(["demo"], env=env, code=code)
            before = snapshot(env=env)
            tandem(["migrate", "--no-input", "-v0"], env=env, code=None)
            after = snapshot(env=env)
        finally:
            if options.postgres:
                postgres_database(options.postgres, database_name, create=False)

    changed = report(before, after)
    sys.exit(1 if changed else 0)


def report(before: dict[str, dict[str, object]], after: dict[str, dict[str, object]]) -> bool:
    """Print every table's rows before and after; True when anything was lost or gained."""
    changed = False
    counts_before, counts_after = before["counts"], after["counts"]
    print(f"{'table':48} {'before':>8} {'after':>8}")
    for table in sorted(set(counts_before) | set(counts_after)):
        rows_before, rows_after = counts_before.get(table), counts_after.get(table)
        mark = ""
        if table == "django_migrations":
            mark = "  (the migrations applied)"
        elif rows_before is not None and rows_before != rows_after:
            mark, changed = "  <- changed", True
        print(f"{table:48} {rows_before!s:>8} {rows_after!s:>8}{mark}")
    types_before, types_after = before["content_types"], after["content_types"]
    for type_id, label in sorted(types_before.items(), key=lambda item: int(item[0])):
        if type_id not in types_after:
            print(f"content type {type_id} ({label}) is gone")
            changed = True
        elif types_after[type_id] != label:
            print(f"content type {type_id}: {label} -> {types_after[type_id]}")
    print("rows intact" if not changed else "ROWS CHANGED")
    return changed


if __name__ == "__main__":
    main()
