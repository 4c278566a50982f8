"""A framework as a CSV table, for people who work in spreadsheets."""

import csv
import io

from tandem.standards.models import Framework, Requirement

CSV_COLUMNS = [
    "framework",
    "edition",
    "id",
    "ref",
    "level",
    "parent",
    "title",
    "text",
    "purpose",
    "guidance",
    "evidence",
    "assessment_methods",
    "applies_to",
    "mapped_to",
]
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def framework_csv(*, framework: Framework) -> str:
    requirements = (
        Requirement.objects.filter(framework=framework)
        .select_related("parent")
        .prefetch_related("mappings_out__target__framework")
        .order_by("position")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in requirements:
        row = [
            framework.slug,
            framework.edition,
            r.code,
            r.ref,
            r.level,
            r.parent.code if r.parent else "",
            r.title,
            r.text,
            r.purpose,
            "\n".join(f"[{g['force']}] {g['text']}" for g in r.guidance),
            "\n".join(r.evidence),
            "; ".join(r.assessment_methods),
            "; ".join(r.applies_to),
            "; ".join(
                f"{m.target.framework.slug}:{m.target.code} ({m.relation})"
                for m in r.mappings_out.all()
            ),
        ]
        writer.writerow([_cell(str(value)) for value in row])
    return out.getvalue()
