"""Keys generated into var/ on first use: the same key on every later read, readable by the owner
only, and never a file written over or left half-written."""

import stat
from pathlib import Path

from tandem.lib.secret_key import secret_key_from_file, text_file_created_once


def test_it_creates_the_key_once_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"

    key = secret_key_from_file(path)

    assert len(key) >= 50
    assert secret_key_from_file(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]


def test_it_keeps_the_key_another_process_wrote_while_this_one_made_its_own(
    tmp_path: Path,
) -> None:
    path = tmp_path / "secret_key"

    def make_while_another_process_writes_first() -> str:
        path.write_text("written-first\n", encoding="utf-8")
        return "written-second"

    assert text_file_created_once(path, make_while_another_process_writes_first) == "written-first"
    assert path.read_text(encoding="utf-8") == "written-first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
