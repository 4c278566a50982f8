"""The secret key for a machine that was given none: generated once into var/, never committed."""

import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from tandem.lib.files import owner_only_directory


def text_file_created_once(path: Path, make: Callable[[], str]) -> str:
    """The text stored at `path`, written (readable by the owner only) from `make()` on first use.

    Created whole or not at all: processes starting together (the test passes, a server's
    workers) must all read the same key, never a half-written file or one of their own."""
    if not path.exists():
        owner_only_directory(path.parent)
        descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(make())
            # link() refuses to replace a file: whichever process links first wins.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text(encoding="utf-8").strip()


def secret_key_from_file(path: Path) -> str:
    """Return the key stored at `path`, creating it on first use."""
    return text_file_created_once(path, lambda: secrets.token_urlsafe(64))
