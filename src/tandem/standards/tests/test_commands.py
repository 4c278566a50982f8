"""`tandem standards load` and `tandem standards export`."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tandem.standards.tests.builders import GOOD, write

pytestmark = pytest.mark.django_db


def export(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("standards", "export", *args, stdout=out)
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


def test_it_exports_the_six_frameworks_with_the_published_counts(library: None) -> None:
    document = export()

    frameworks = {f["id"]: f for f in document["frameworks"]}
    assert set(frameworks) == {
        "respect-2022",
        "respect-audit-2008",
        "respect-ne-minimum",
        "west-midlands-dva",
        "wales-perpetrator",
        "home-office-2022",
    }

    def count(framework_id: str, level: str) -> int:
        return sum(r["level"] == level for r in frameworks[framework_id]["requirements"])

    assert count("respect-2022", "indicator") == 79
    assert count("respect-audit-2008", "indicator") == 60
    assert count("west-midlands-dva", "standard") == 11
    assert count("wales-perpetrator", "standard") == 23
    assert count("home-office-2022", "standard") == 7
    first = frameworks["respect-2022"]["requirements"][0]
    assert set(first) >= {"id", "ref", "level", "parent", "text"}
    assert {"title", "publisher", "edition"} <= set(frameworks["respect-2022"])


def test_it_exports_mappings_as_framework_qualified_ids(library: None) -> None:
    mappings = export()["mappings"]

    assert {
        "source": "respect-2022:A2",
        "target": "home-office-2022:HO6",
        "relation": "intersect",
    }.items() <= next(
        m
        for m in mappings
        if (m["source"], m["target"]) == ("respect-2022:A2", "home-office-2022:HO6")
    ).items()
    assert all(set(m) == {"source", "target", "relation", "rationale"} for m in mappings)
    welsh_sources = {m["source"] for m in mappings if m["source"].startswith("wales-perpetrator:")}
    assert welsh_sources == {f"wales-perpetrator:{n}" for n in range(1, 24)}


def test_it_exports_one_framework_with_the_mappings_that_touch_it(library: None) -> None:
    document = export("--framework", "home-office-2022")

    assert [f["id"] for f in document["frameworks"]] == ["home-office-2022"]
    assert document["mappings"]
    assert all(m["target"].startswith("home-office-2022:") for m in document["mappings"])


def test_it_names_the_known_frameworks_when_asked_for_an_unknown_one(library: None) -> None:
    with pytest.raises(CommandError, match=r"no framework 'respect-2099'.*respect-2022"):
        export("--framework", "respect-2099")


def test_it_fails_the_load_command_naming_the_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", GOOD)
    write(
        tmp_path,
        "bad.yaml",
        GOOD.replace("test-framework", "bad-one").replace("level: standard", "level: chapter"),
    )
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match=r"1 data file\(s\) not loaded"):
        call_command("standards", "load", "--data-dir", str(tmp_path), stdout=out, stderr=err)

    assert "good.yaml: test-framework (first): created, 2 requirements" in out.getvalue()
    assert "not loaded: bad.yaml: requirement S1: field 'level':" in err.getvalue()
