"""Reading and validating the library's data files (`data/*.yaml`, `data/mappings/*.yaml`).

A file is checked whole before anything from it is written: first against its JSON Schema, then
for what a schema cannot say (unique ids, parents defined before their children, levels nesting).
Every problem is reported as a `StandardsDataError` naming the file, the node and the field.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
MAPPINGS_DIR = DATA_DIR / "mappings"

# A child ranks below its parent; levels may be skipped (a question directly under a standard).
LEVEL_RANK = {"section": 0, "standard": 1, "indicator": 2, "item": 3, "question": 4}


class StandardsDataError(Exception):
    """A data file that cannot be loaded; says which file, which node and which field."""

    def __init__(self, *, file: str, node: str, field: str, problem: str) -> None:
        self.file, self.node, self.field, self.problem = file, node, field, problem
        super().__init__(f"{file}: {node}: field '{field}': {problem}")


@dataclass(frozen=True)
class FrameworkFile:
    name: str
    sha256: str
    framework: dict[str, Any]
    requirements: list[dict[str, Any]]


@dataclass(frozen=True)
class MappingsFile:
    name: str
    mappings: list[dict[str, Any]]


@cache
def _validator(schema_name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((DATA_DIR / schema_name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _read_yaml(path: Path) -> tuple[Any, bytes]:
    raw = path.read_bytes()
    try:
        return yaml.safe_load(raw.decode("utf-8")), raw
    except UnicodeDecodeError as error:
        raise StandardsDataError(
            file=path.name, node="(file)", field="-", problem=f"not UTF-8 text ({error})"
        ) from error
    except yaml.YAMLError as error:
        raise StandardsDataError(
            file=path.name, node="(file)", field="-", problem=f"not valid YAML: {error}"
        ) from error


def _schema_error(file: str, document: Any, schema_name: str, list_key: str, id_key: str) -> None:
    errors = sorted(_validator(schema_name).iter_errors(document), key=lambda e: list(e.path))
    if not errors:
        return
    error = errors[0]
    path = list(error.path)
    node = "(file)"
    if len(path) >= 2 and path[0] == list_key and isinstance(path[1], int):
        item = document[list_key][path[1]]
        label = item.get(id_key) if isinstance(item, dict) else None
        node = f"{list_key[:-1]} {label}" if label else f"{list_key[:-1]} #{path[1] + 1}"
        path = path[2:]
    elif path:
        node, path = str(path[0]), path[1:]
    field = ".".join(str(p) for p in path) or "-"
    problem = error.message
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in error.instance]
        field = ".".join([*(str(p) for p in path), missing[0]]) if missing else field
        problem = "is required"
    raise StandardsDataError(file=file, node=node, field=field, problem=problem)


def read_framework_file(path: Path) -> FrameworkFile:
    document, raw = _read_yaml(path)
    _schema_error(path.name, document, "schema.json", "requirements", "id")
    seen: dict[str, dict[str, Any]] = {}
    for node in document["requirements"]:
        label = f"requirement {node['id']}"
        if node["id"] in seen:
            raise StandardsDataError(
                file=path.name, node=label, field="id", problem="appears more than once"
            )
        parent_id = node.get("parent")
        if parent_id is not None:
            parent = seen.get(parent_id)
            if parent is None:
                raise StandardsDataError(
                    file=path.name,
                    node=label,
                    field="parent",
                    problem=f"'{parent_id}' is not defined before this requirement",
                )
            if LEVEL_RANK[parent["level"]] >= LEVEL_RANK[node["level"]]:
                raise StandardsDataError(
                    file=path.name,
                    node=label,
                    field="level",
                    problem=f"a {node['level']} cannot sit under the {parent['level']} {parent_id}",
                )
        elif node["level"] not in ("section", "standard"):
            raise StandardsDataError(
                file=path.name,
                node=label,
                field="parent",
                problem=f"a {node['level']} needs a parent",
            )
        seen[node["id"]] = node
    return FrameworkFile(
        name=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        framework=document["framework"],
        requirements=document["requirements"],
    )


def read_mappings_file(path: Path) -> MappingsFile:
    document, _ = _read_yaml(path)
    _schema_error(path.name, document, "mappings.schema.json", "mappings", "source")
    return MappingsFile(name=path.name, mappings=document["mappings"])


def framework_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted(data_dir.glob("*.yaml"))


def mappings_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted((data_dir / "mappings").glob("*.yaml"))
