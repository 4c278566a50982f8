"""Files only their owner may read: the SQLite database, uploaded documents and the keys in var/
hold survivors' data or unlock it, so another account on the machine must not read them
(0600 files, 0700 directories), whatever the umask."""

import os
import stat
from pathlib import Path

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIRECTORY = 0o700
# SQLite's companions of a database file: the write-ahead log, its index and the rollback journal.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def owner_only_directory(path: Path) -> None:
    """Create `path` (and any missing parent) readable by its owner only; one that exists is
    left as it is: var/ may also hold what a web server must read."""
    missing = [parent for parent in (path, *path.parents) if not parent.exists()]
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=OWNER_ONLY_DIRECTORY)
        except FileExistsError:
            continue
        # mkdir's mode is masked by the umask; chmod is not.
        directory.chmod(OWNER_ONLY_DIRECTORY)


def tighten(path: Path) -> None:
    """Take away every permission but the owner's from an existing file."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & ~OWNER_ONLY_FILE:
        path.chmod(mode & OWNER_ONLY_FILE)


def sqlite_database_secured(path: Path) -> None:
    """The SQLite database at `path` and its journal and WAL files, readable by their owner only:
    created so if missing (empty: SQLite takes an empty file as an empty database), tightened if
    made looser before."""
    owner_only_directory(path.parent)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY_FILE)
    except FileExistsError:
        pass
    else:
        os.close(descriptor)
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)):
        tighten(file)


def sqlite_file_of(name: object) -> Path | None:
    """The file of a SQLite database NAME, or None for one kept in memory."""
    text = str(name)
    if not text or text == ":memory:" or text.startswith("file:") or "mode=memory" in text:
        return None
    return Path(text)
