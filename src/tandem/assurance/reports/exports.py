"""Exports of an assessment: the evidence pack (one ZIP: an index and every cited document, each
stored once) and the per-requirement table as CSV and as an Excel workbook.

They are built from the data the reports use (`content.requirement_entries`), live: unlike a
report, an export is not kept.
"""

import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tandem.assurance import workflow
from tandem.assurance.models import Assessment, EvidenceCitation, EvidenceDocument
from tandem.assurance.reports.content import cover_of, requirement_entries
from tandem.lib.documents import DocumentKind, size_label

# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The pack is kept in memory up to this size, then in a temporary file.
_SPOOL_BYTES = 16 * 1024 * 1024
# Each document's name in the pack, by its type as read from its content.
EXTENSIONS = {
    DocumentKind.PDF: "pdf",
    DocumentKind.DOCX: "docx",
    DocumentKind.DOC: "doc",
    DocumentKind.ODT: "odt",
    DocumentKind.XLSX: "xlsx",
    DocumentKind.ODS: "ods",
    DocumentKind.CSV: "csv",
    DocumentKind.PNG: "png",
    DocumentKind.JPEG: "jpg",
}


def _not_formula(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


# The evidence pack


@dataclass(frozen=True)
class PackedDocument:
    """A cited document, its name in the pack, and every requirement and place it supports."""

    document: EvidenceDocument
    path: str
    supports: list[tuple[str, str]]

    @property
    def size(self) -> str:
        return size_label(self.document.size)

    @property
    def kind(self) -> str:
        return DocumentKind(self.document.kind).label

    @property
    def supports_text(self) -> str:
        return "; ".join(f"{ref} ({location})" for ref, location in self.supports)


def pack_documents(assessment: Assessment) -> list[PackedDocument]:
    """Every document the assessment's records cite, once, in the order first cited."""
    citations = (
        EvidenceCitation.objects.filter(record__assessment=assessment)
        .select_related("document", "record__requirement")
        .order_by("record__position", "pk")
    )
    by_document: dict[int, list[EvidenceCitation]] = {}
    for citation in citations:
        by_document.setdefault(citation.document_id, []).append(citation)
    packed = []
    for number, cited in enumerate(by_document.values(), start=1):
        document = cited[0].document
        stem = slugify(document.title)[:60] or "document"
        packed.append(
            PackedDocument(
                document=document,
                path=f"documents/{number:03d}-{stem}.{EXTENSIONS[DocumentKind(document.kind)]}",
                supports=[(c.record.requirement.ref, c.location) for c in cited],
            )
        )
    return packed


INDEX_COLUMNS = [
    "File",
    "Title",
    "Type",
    "Size (bytes)",
    "SHA-256",
    "Uploaded",
    "Original name",
    "Supports (requirement and where)",
]


def _index_csv(packed: list[PackedDocument]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(INDEX_COLUMNS)
    for item in packed:
        document = item.document
        writer.writerow(
            _not_formula(value)
            for value in [
                item.path,
                document.title,
                item.kind,
                str(document.size),
                document.sha256,
                timezone.localtime(document.uploaded_at).date().isoformat(),
                document.original_name,
                item.supports_text,
            ]
        )
    return out.getvalue()


def evidence_pack(*, assessment: Assessment, now: datetime | None = None) -> IO[bytes]:
    """The evidence pack as a ZIP, rewound, ready to stream: index.html and index.csv list every
    cited document with what it supports; documents/ holds each one once. Large packs go to a
    temporary file rather than memory."""
    now = now or timezone.now()
    packed = pack_documents(assessment)
    # Returned open: the response streams it and then closes it.
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "index.html",
            render_to_string(
                "assurance/reports/evidence_index.html",
                {"cover": cover_of(assessment), "packed": packed, "generated_at": now},
            ),
        )
        archive.writestr("index.csv", _index_csv(packed))
        for item in packed:
            # Documents are mostly compressed already: stored as they are.
            info = zipfile.ZipInfo(item.path, date_time=timezone.localtime(now).timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            with item.document.file.open("rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target)
    spool.seek(0)
    return spool


# The per-requirement table


def requirement_table(assessment: Assessment) -> tuple[list[str], list[list[str]]]:
    """The header and one row per requirement: the columns the process uses (ratings where it
    rates, the library's methods where it names them)."""
    definition = workflow.definition_of(assessment.process)
    entries = requirement_entries(assessment)
    rates = bool(definition and definition.rating_choices)
    methods = any(entry.methods for entry in entries)
    header = ["Ref", "Group", "Requirement", "Evidence narrative", "Documents cited"]
    if rates:
        header += ["Rating", "About the rating"]
    if methods:
        header += ["Findings by method"]
    header += ["Judgement", "Basis", "Judged by", "Judged on", "Actions"]
    rows = []
    for entry in entries:
        row = [
            entry.ref,
            entry.group,
            entry.text,
            entry.narrative,
            "; ".join(f"{c.title} ({c.location})" for c in entry.citations),
        ]
        if rates:
            row += [entry.rating, entry.rating_notes]
        if methods:
            row += [
                "\n".join(
                    f"{m.method}: {m.result}" + (f". {m.notes}" if m.notes else "")
                    for m in entry.methods
                )
            ]
        row += [
            entry.judgement,
            entry.judgement_basis,
            entry.judged_by,
            timezone.localtime(entry.judged_at).date().isoformat() if entry.judged_at else "",
            "\n".join(
                f"{a.description} (owner {a.owner}, due {a.due_on.isoformat()}, {a.status})"
                for a in entry.actions
            ),
        ]
        rows.append(row)
    return header, rows


def requirement_csv(*, assessment: Assessment) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads the accents and dashes right."""
    header, rows = requirement_table(assessment)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_not_formula(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# Column widths in characters: wide for the texts, narrow for refs and dates.
_NARROW = {"Ref", "Rating", "Judgement", "Judged by", "Judged on"}


def _widths(header: Iterable[str]) -> list[int]:
    return [12 if name in _NARROW else 48 for name in header]


def requirement_xlsx(*, assessment: Assessment) -> bytes:
    header, rows = requirement_table(assessment)
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Requirements"
    sheet.append(header)
    for row in rows:
        # Control characters pasted into a narrative cannot be written into a workbook.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            # Text stays text: a narrative starting with "=" is not a formula.
            cell.data_type = "s"
            cell.alignment = wrap
    for number, width in enumerate(_widths(header), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
