"""The secret key for a machine that was given none: generated once into var/, never committed."""

import secrets
from pathlib import Path


def secret_key_from_file(path: Path) -> str:
    """Return the key stored at `path`, creating it (readable by the owner only) on first use."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path.touch(mode=0o600)
    path.write_text(key, encoding="utf-8")
    return key
