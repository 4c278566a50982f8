"""Files holding survivors' data or the keys to it are readable by their owner only (issue 12):
the SQLite database (and its journal and WAL files), uploaded documents, the keys in var/, and
the directories made for them, whatever the umask."""

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.db import connections

from tandem.conftest import ServiceStaff
from tandem.governance.tests.builders import policy_with_document
from tandem.lib.encryption import field_key_from_file
from tandem.lib.files import sqlite_database_secured
from tandem.lib.secret_key import secret_key_from_file


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """As on a machine whose umask lets everyone read what is made: the modes must not rely on
    the umask."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_it_creates_each_key_and_its_directory_for_the_owner_only(tmp_path: Path) -> None:
    var = tmp_path / "var"
    secret_key_from_file(var / "secret_key")
    field_key_from_file(var / "field_key")
    secret_key_from_file(var / "blind_index_key")

    assert mode(var) == 0o700
    for name in ("secret_key", "field_key", "blind_index_key"):
        assert mode(var / name) == 0o600, name


def test_it_leaves_an_existing_var_directory_as_it_is(tmp_path: Path) -> None:
    """A web server may need to reach var/static: only what Tandem makes is made owner-only."""
    tmp_path.chmod(0o755)
    secret_key_from_file(tmp_path / "secret_key")
    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / "secret_key") == 0o600


def test_it_creates_a_new_sqlite_database_for_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "db" / "tandem.sqlite3"
    sqlite_database_secured(path)
    assert (mode(path.parent), mode(path)) == (0o700, 0o600)

    with sqlite3.connect(path) as database:
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("CREATE TABLE synthetic (value TEXT)")
        database.execute("INSERT INTO synthetic VALUES ('Synthetic survivor')")
        assert mode(path.with_name("tandem.sqlite3-wal")) == 0o600
    assert mode(path) == 0o600


def test_it_tightens_a_sqlite_database_made_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "tandem.sqlite3"
    for file in (path, tmp_path / "tandem.sqlite3-wal", tmp_path / "tandem.sqlite3-shm"):
        file.touch(mode=0o644)
        file.chmod(0o644)
    sqlite_database_secured(path)
    assert [mode(file) for file in sorted(tmp_path.iterdir())] == [0o600, 0o600, 0o600]


@pytest.mark.django_db
def test_each_sqlite_connection_leaves_its_file_owner_only(tmp_path: Path) -> None:
    """The connection_created hook, for a database file SQLite itself has just made."""
    default = connections["default"]
    if default.vendor != "sqlite":
        pytest.skip("SQLite only")
    path = tmp_path / "made-by-sqlite.sqlite3"
    other = type(default)({**default.settings_dict, "NAME": str(path)}, alias="default")
    try:
        other.ensure_connection()
        assert mode(path) == 0o600
    finally:
        other.close()


@pytest.mark.django_db
def test_it_stores_an_upload_and_its_directories_for_the_owner_only(
    staffed_service: ServiceStaff, settings: LazySettings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    policy = policy_with_document(staffed_service)
    stored = Path(policy.document.path)
    assert mode(stored) == 0o600
    for directory in stored.parents:
        if directory == tmp_path:
            break
        assert mode(directory) == 0o700, directory
