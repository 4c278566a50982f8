"""Loading is idempotent; a new edition is added beside the old, never over it."""

from pathlib import Path

import pytest

from tandem.standards.data_files import StandardsDataError
from tandem.standards.models import Framework, Requirement, RequirementMapping
from tandem.standards.services import library_load
from tandem.standards.tests.builders import GOOD, write

pytestmark = pytest.mark.django_db


def test_it_changes_nothing_when_the_packaged_library_is_loaded_again(library: None) -> None:
    before = list(Requirement.objects.order_by("pk").values_list("pk", "code", "text"))
    mappings_before = RequirementMapping.objects.count()

    report = library_load()

    assert report.errors == []
    framework_outcomes = [o.summary for o in report.loaded if not o.summary.endswith("mappings")]
    assert len(framework_outcomes) == 6
    assert all(summary.endswith(": unchanged") for summary in framework_outcomes)
    assert list(Requirement.objects.order_by("pk").values_list("pk", "code", "text")) == before
    assert RequirementMapping.objects.count() == mappings_before
    assert Framework.objects.count() == 6


def test_it_adds_a_new_edition_beside_the_old_and_makes_it_current(tmp_path: Path) -> None:
    Framework.objects.all().delete()
    write(tmp_path, "first.yaml", GOOD)
    library_load(data_dir=tmp_path)
    write(
        tmp_path,
        "second.yaml",
        GOOD.replace("edition: first", "edition: second").replace(
            "published: 2024", "published: 2026"
        ),
    )

    library_load(data_dir=tmp_path)

    editions = dict(Framework.objects.values_list("edition", "is_current"))
    assert editions == {"first": False, "second": True}
    assert Requirement.objects.filter(framework__edition="first").count() == 2
    assert Requirement.objects.filter(framework__edition="second").count() == 2


def test_it_corrects_an_edition_in_place_keeping_its_rows(tmp_path: Path) -> None:
    Framework.objects.all().delete()
    path = write(tmp_path, "framework.yaml", GOOD)
    library_load(data_dir=tmp_path)
    pk_before = Requirement.objects.get(code="S1.1").pk
    path.write_text(GOOD.replace("within one working day", "within 1 working day"))

    report = library_load(data_dir=tmp_path)

    corrected = Requirement.objects.get(code="S1.1")
    assert report.loaded[0].summary == "test-framework (first): updated, 2 requirements"
    assert (corrected.pk, corrected.text) == (
        pk_before,
        "Records are written within 1 working day.",
    )
    assert corrected.parent is not None
    assert corrected.parent.code == "S1"


def test_it_refuses_to_drop_a_requirement_from_a_loaded_edition(tmp_path: Path) -> None:
    Framework.objects.all().delete()
    path = write(tmp_path, "framework.yaml", GOOD)
    library_load(data_dir=tmp_path)
    path.write_text(GOOD.split("  - id: S1.1")[0])

    report = library_load(data_dir=tmp_path)

    assert len(report.errors) == 1
    error: StandardsDataError = report.errors[0]
    assert (error.node, error.field) == ("requirement S1.1", "id")
    assert Requirement.objects.filter(code="S1.1").exists()
