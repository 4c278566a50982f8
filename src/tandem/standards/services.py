"""Writes to the standards library. Only the loader writes: the library is data, not user input."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F

from tandem.standards.data_files import (
    DATA_DIR,
    FrameworkFile,
    MappingsFile,
    StandardsDataError,
    framework_files,
    mappings_files,
    read_framework_file,
    read_mappings_file,
)
from tandem.standards.models import Framework, Requirement, RequirementMapping


@dataclass(frozen=True)
class FileOutcome:
    file: str
    summary: str


@dataclass
class LibraryLoadReport:
    loaded: list[FileOutcome] = field(default_factory=list)
    errors: list[StandardsDataError] = field(default_factory=list)


def requirement_search_text(node: dict[str, Any]) -> str:
    """Every word a reader might search for in a requirement, lower-cased on one line."""
    parts = [node["ref"], node.get("title", ""), node["text"], node.get("purpose", "")]
    parts += [item["text"] for item in node.get("guidance", [])]
    parts += node.get("evidence", [])
    return re.sub(r"\s+", " ", " ".join(parts)).strip().lower()


def _requirement_fields(node: dict[str, Any], position: int, depth: int) -> dict[str, Any]:
    return {
        "ref": node["ref"],
        "level": node["level"],
        "position": position,
        "depth": depth,
        "title": node.get("title", ""),
        "text": node["text"],
        "purpose": node.get("purpose", ""),
        "guidance": node.get("guidance", []),
        "evidence": node.get("evidence", []),
        "assessment_methods": node.get("assessment_methods", []),
        "applies_to": node.get("applies_to", []),
        "search_text": requirement_search_text(node),
    }


@transaction.atomic
def framework_load(*, data: FrameworkFile) -> FileOutcome:
    """Create or refresh one framework edition from its data file.

    Reloading an unchanged file changes nothing. A changed file for the same edition updates its
    requirements in place (a transcription correction); a requirement may not disappear from an
    edition, because later records point at it: a new edition is loaded beside the old instead.
    """
    meta = data.framework
    framework, created = Framework.objects.get_or_create(
        slug=meta["id"],
        edition=meta["edition"],
        defaults={
            "title": meta["title"],
            "publisher": meta["publisher"],
            "published": meta.get("published"),
            "source": meta["source"],
            "description": meta.get("description", ""),
            "content_sha256": data.sha256,
        },
    )
    if not created and framework.content_sha256 == data.sha256:
        return FileOutcome(data.name, f"{meta['id']} ({meta['edition']}): unchanged")

    existing = {r.code: r for r in Requirement.objects.filter(framework=framework)}
    file_codes = {node["id"] for node in data.requirements}
    removed = sorted(set(existing) - file_codes)
    if removed:
        raise StandardsDataError(
            file=data.name,
            node=f"requirement {removed[0]}",
            field="id",
            problem=(
                f"is in the loaded edition '{meta['edition']}' but no longer in the file; "
                "requirements are never removed from an edition: load a new edition instead"
            ),
        )

    depth_of: dict[str, int] = {}
    to_create, to_update = [], []
    for position, node in enumerate(data.requirements, start=1):
        parent_code = node.get("parent")
        depth_of[node["id"]] = depth_of[parent_code] + 1 if parent_code else 0
        values = _requirement_fields(node, position, depth_of[node["id"]])
        requirement = existing.get(node["id"])
        if requirement is None:
            to_create.append(Requirement(framework=framework, code=node["id"], **values))
        else:
            for name, value in values.items():
                setattr(requirement, name, value)
            to_update.append(requirement)
    Requirement.objects.bulk_create(to_create)
    if to_update:
        Requirement.objects.bulk_update(
            to_update, [*_requirement_fields(data.requirements[0], 0, 0)]
        )

    # Parents are linked once every row has a primary key.
    by_code = {r.code: r for r in [*to_create, *to_update]}
    for node in data.requirements:
        by_code[node["id"]].parent = by_code[node["parent"]] if node.get("parent") else None
    Requirement.objects.bulk_update(list(by_code.values()), ["parent"])

    for name, value in (
        ("title", meta["title"]),
        ("publisher", meta["publisher"]),
        ("published", meta.get("published")),
        ("source", meta["source"]),
        ("description", meta.get("description", "")),
        ("content_sha256", data.sha256),
    ):
        setattr(framework, name, value)
    framework.save()
    _mark_current_edition(slug=framework.slug)
    verb = "created" if created else "updated"
    return FileOutcome(
        data.name,
        f"{meta['id']} ({meta['edition']}): {verb}, {len(data.requirements)} requirements",
    )


def _mark_current_edition(*, slug: str) -> None:
    editions = Framework.objects.filter(slug=slug)
    newest = editions.order_by(F("published").desc(nulls_last=True), "-id").first()
    if newest is not None:
        editions.exclude(pk=newest.pk).update(is_current=False)
        editions.filter(pk=newest.pk).update(is_current=True)


@transaction.atomic
def mappings_load(*, data: MappingsFile) -> FileOutcome:
    """Replace the mappings that came from this file with its current content.

    `FRAMEWORK:CODE` resolves to the newest loaded edition of that framework.
    """
    newest = {framework.slug: framework for framework in Framework.objects.filter(is_current=True)}
    wanted: dict[tuple[str, str], tuple[str, str]] = {}
    for index, mapping in enumerate(data.mappings, start=1):
        for end in ("source", "target"):
            slug, code = mapping[end].split(":", 1)
            if slug not in newest:
                raise StandardsDataError(
                    file=data.name,
                    node=f"mapping #{index}",
                    field=end,
                    problem=f"framework '{slug}' is not in the library",
                )
            wanted.setdefault((slug, code), (f"mapping #{index}", end))
    frameworks = [newest[slug] for slug in {slug for slug, _ in wanted}]
    requirements = {
        (r.framework.slug, r.code): r
        for r in Requirement.objects.filter(framework__in=frameworks).select_related("framework")
    }
    for key, (first_mention, end) in wanted.items():
        if key not in requirements:
            raise StandardsDataError(
                file=data.name,
                node=first_mention,
                field=end,
                problem=f"'{key[0]}:{key[1]}' is not a requirement of {newest[key[0]]}",
            )
    RequirementMapping.objects.filter(
        data_file=data.name, source__framework__in=frameworks
    ).delete()
    rows = {}
    for mapping in data.mappings:
        source_slug, source_code = mapping["source"].split(":", 1)
        target_slug, target_code = mapping["target"].split(":", 1)
        source = requirements[(source_slug, source_code)]
        target = requirements[(target_slug, target_code)]
        rows[(source.pk, target.pk)] = RequirementMapping(
            source=source,
            target=target,
            relation=mapping["relation"],
            rationale=mapping["rationale"],
            data_file=data.name,
        )
    RequirementMapping.objects.bulk_create(rows.values())
    return FileOutcome(data.name, f"{len(rows)} mappings")


def library_load(*, data_dir: Path = DATA_DIR) -> LibraryLoadReport:
    """Load every framework file, then every mappings file, each in its own transaction.

    A bad file is reported and loads nothing; the other files still load.
    """
    report = LibraryLoadReport()
    for path in framework_files(data_dir):
        try:
            report.loaded.append(framework_load(data=read_framework_file(path)))
        except StandardsDataError as error:
            report.errors.append(error)
    for path in mappings_files(data_dir):
        try:
            report.loaded.append(mappings_load(data=read_mappings_file(path)))
        except StandardsDataError as error:
            report.errors.append(error)
    return report
