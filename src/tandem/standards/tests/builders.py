"""A small synthetic framework data file for loader tests, and a helper to write one."""

import textwrap
from pathlib import Path

GOOD = """\
schema: 1
framework:
  id: test-framework
  title: Test Framework (synthetic)
  publisher: Tandem tests
  edition: first
  published: 2024
  source: none.txt
requirements:
  - id: S1
    ref: Standard 1
    level: standard
    text: Services keep records.
  - id: S1.1
    ref: "1.1"
    level: indicator
    parent: S1
    text: Records are written within one working day.
    guidance:
      - text: Records must be written promptly.
        force: must
"""


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(content), encoding="utf-8")
    return path
