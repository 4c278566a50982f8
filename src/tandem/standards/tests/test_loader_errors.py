"""A malformed data file fails naming the file, the node and the field, and loads nothing."""

from pathlib import Path

import pytest

from tandem.standards.data_files import StandardsDataError, read_framework_file
from tandem.standards.models import Framework, Requirement, RequirementMapping
from tandem.standards.services import library_load
from tandem.standards.tests.builders import GOOD, write


def error_for(tmp_path: Path, content: str) -> StandardsDataError:
    with pytest.raises(StandardsDataError) as raised:
        read_framework_file(write(tmp_path, "broken.yaml", content))
    return raised.value


def test_it_names_file_node_and_field_for_a_bad_level(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("level: indicator", "level: indicatr"))
    assert (error.file, error.node, error.field) == ("broken.yaml", "requirement S1.1", "level")
    assert "indicatr" in error.problem
    assert str(error).startswith("broken.yaml: requirement S1.1: field 'level':")


def test_it_names_a_missing_required_field(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("    text: Services keep records.\n", ""))
    assert (error.node, error.field, error.problem) == ("requirement S1", "text", "is required")


def test_it_names_a_bad_guidance_force(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("force: must", "force: shall"))
    assert (error.node, error.field) == ("requirement S1.1", "guidance.0.force")


def test_it_names_a_bad_framework_field(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("published: 2024", "published: last year"))
    assert (error.node, error.field) == ("framework", "published")


def test_it_refuses_a_duplicate_id(tmp_path: Path) -> None:
    duplicated = GOOD + "  - id: S1\n    ref: Standard 1\n    level: standard\n    text: Again.\n"
    error = error_for(tmp_path, duplicated)
    assert (error.node, error.field, error.problem) == (
        "requirement S1",
        "id",
        "appears more than once",
    )


def test_it_refuses_a_parent_not_defined_before_its_child(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("parent: S1", "parent: S9"))
    assert (error.node, error.field) == ("requirement S1.1", "parent")
    assert "'S9' is not defined" in error.problem


def test_it_refuses_a_level_that_does_not_nest(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("level: indicator", "level: section"))
    assert (error.node, error.field) == ("requirement S1.1", "level")


def test_it_refuses_an_indicator_without_a_parent(tmp_path: Path) -> None:
    error = error_for(tmp_path, GOOD.replace("    parent: S1\n", ""))
    assert (error.node, error.field) == ("requirement S1.1", "parent")


def test_it_refuses_text_that_is_not_yaml(tmp_path: Path) -> None:
    error = error_for(tmp_path, "schema: 1\nframework: [unclosed\n")
    assert (error.file, error.node) == ("broken.yaml", "(file)")
    assert "not valid YAML" in error.problem


@pytest.mark.django_db
def test_it_loads_nothing_from_a_bad_file_and_still_loads_the_good_ones(tmp_path: Path) -> None:
    Framework.objects.all().delete()
    write(tmp_path, "good.yaml", GOOD)
    bad = GOOD.replace("test-framework", "other-framework").replace("force: must", "force: ought")
    write(tmp_path, "bad.yaml", bad)

    report = library_load(data_dir=tmp_path)

    assert [str(e) for e in report.errors] == [
        "bad.yaml: requirement S1.1: field 'guidance.0.force': "
        "'ought' is not one of ['must', 'should', 'informative']"
    ]
    assert list(Framework.objects.values_list("slug", flat=True)) == ["test-framework"]
    assert Requirement.objects.count() == 2


@pytest.mark.django_db
def test_it_refuses_a_mapping_to_an_unknown_requirement_and_keeps_none_of_its_file(
    tmp_path: Path,
) -> None:
    Framework.objects.all().delete()
    write(tmp_path, "good.yaml", GOOD)
    write(
        tmp_path,
        "mappings/bad.yaml",
        """\
        schema: 1
        mappings:
          - {source: "test-framework:S1", target: "test-framework:S1.1", relation: superset, rationale: ok}
          - {source: "test-framework:S1.1", target: "test-framework:S7", relation: equal, rationale: wrong}
        """,
    )

    report = library_load(data_dir=tmp_path)

    assert [str(e) for e in report.errors] == [
        "bad.yaml: mapping #2: field 'target': 'test-framework:S7' is not a requirement of "
        "Test Framework (synthetic) (first)"
    ]
    assert RequirementMapping.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_bad_relation_in_a_mappings_file(tmp_path: Path) -> None:
    Framework.objects.all().delete()
    write(tmp_path, "good.yaml", GOOD)
    write(
        tmp_path,
        "mappings/bad.yaml",
        """\
        schema: 1
        mappings:
          - {source: "test-framework:S1", target: "test-framework:S1.1", relation: alike, rationale: x}
        """,
    )

    report = library_load(data_dir=tmp_path)

    assert len(report.errors) == 1
    assert (report.errors[0].node, report.errors[0].field) == (
        "mapping test-framework:S1",
        "relation",
    )
