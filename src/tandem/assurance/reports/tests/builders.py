"""For the report tests: an assessment with cited evidence taken through the process, and PDFs
looked at as a reader would (rendered to PNG by pdftoppm, their text read by pdftotext)."""

import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tandem.assurance.models import (
    Assessment,
    DecisionOutcome,
    EvidenceDocument,
    Recommendation,
    RequirementRecord,
    VerificationOutcome,
)
from tandem.assurance.respect.services import application as respect_application
from tandem.assurance.respect.services import findings as respect_findings
from tandem.assurance.respect.services import panel as respect_panel
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, record_of
from tandem.assurance.tests import builders as files
from tandem.assurance.tests.builders import fresh

POLICY_TEXT = b"%PDF-1.4\n% Synthetic lone working policy\n%%EOF\n"
CHART_TEXT = files.DOCX


def upload(cast: Cast, title: str, name: str, content: bytes) -> EvidenceDocument:
    document, _ = respect_application.evidence_document_upload(
        service=cast.staff.service,
        actor=cast.manager,
        title=title,
        upload=files.upload(name, content),
    )
    return document


def cite(
    cast: Cast, assessment: Assessment, code: str, document: EvidenceDocument, at: str
) -> None:
    record = record_of(assessment, code)
    respect_application.evidence_citation_add(
        record=record,
        document=document,
        location=at,
        actor=cast.manager,
        expected_version=record.version,
    )


def evidenced(cast: Cast) -> Assessment:
    """Applied for, with a policy cited for two indicators and a chart for one, submitted, and
    its assessor, verifier and panel member allocated."""
    assessment = builders.applied(cast)
    policy = upload(cast, "Synthetic policies handbook", "handbook.pdf", POLICY_TEXT)
    chart = upload(cast, "Synthetic service chart", "chart.docx", CHART_TEXT)
    cite(cast, assessment, "A1.1", policy, "pages 3-5")
    cite(cast, assessment, "A2.1", policy, "section 2")
    cite(cast, assessment, "A2.1", chart, "whole document")
    RequirementRecord.objects.filter(assessment=assessment).update(narrative=builders.NARRATIVE)
    assessment = fresh(assessment)
    assessment = respect_application.assessment_submit(
        assessment=assessment, actor=cast.manager, expected_version=assessment.version
    )
    return builders.allocated(cast, assessment)


def judged(cast: Cast, assessment: Assessment) -> Assessment:
    """Through the desktop assessment and the site visit, every method and indicator met."""
    assessment = respect_findings.desktop_assessment_start(
        assessment=assessment, actor=cast.assessor, expected_version=assessment.version
    )
    builders.written_submissions_judged(cast, assessment)
    assessment = respect_findings.site_visit_start(
        assessment=fresh(assessment), actor=cast.assessor, expected_version=assessment.version
    )
    return builders.all_judged(cast, fresh(assessment))


def at_panel(cast: Cast, assessment: Assessment) -> Assessment:
    assessment = respect_findings.assessor_report_submit(
        assessment=assessment,
        actor=cast.assessor,
        expected_version=assessment.version,
        recommendation=Recommendation.ACCREDIT,
        summary="Synthetic summary: every indicator met on the evidence seen and verified.",
    )
    assessment = respect_panel.assessor_report_verify(
        assessment=assessment,
        actor=cast.verifier,
        expected_version=assessment.version,
        outcome=VerificationOutcome.APPROVED,
        notes="Synthetic: the report rests on the evidence.",
    )
    return respect_panel.assessment_refer_to_panel(
        assessment=assessment, actor=cast.coordinator, expected_version=assessment.version
    )


def accredited(cast: Cast, assessment: Assessment, *, now: datetime | None = None) -> Assessment:
    return respect_panel.panel_decision_record(
        assessment=at_panel(cast, assessment),
        actor=cast.panel,
        expected_version=fresh(assessment).version,
        outcome=DecisionOutcome.ACCREDITED,
        reasons="Synthetic: every indicator met.",
        now=now,
    )


# PDFs, as a reader sees them


def require_poppler() -> None:
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian: poppler-utils)")


def pdf_pages_as_png(pdf: bytes, directory: Path) -> list[Path]:
    """Every page of the PDF as a PNG at 50 dpi, in page order."""
    source = directory / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(source), str(directory / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(directory.glob("page-*.png"), key=lambda path: int(path.stem.split("-")[-1]))


def pdf_text_by_page(pdf: bytes, directory: Path) -> list[str]:
    source = directory / "text.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = result.stdout.decode("utf-8").split("\f")
    # pdftotext ends every page with a form feed, so the last piece is empty.
    return pages[:-1] if pages and not pages[-1].strip() else pages


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def png_rows(path: Path) -> Iterator[tuple[int, int, bytearray]]:
    """Each row of an 8-bit, non-interlaced PNG (as pdftoppm writes them), unfiltered, as
    (row number, channels per pixel, pixel bytes): no imaging library needed."""
    data = path.read_bytes()
    assert data.startswith(_PNG_SIGNATURE), f"{path.name} is not a PNG"
    position, idat = len(_PNG_SIGNATURE), b""
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8, "only 8-bit PNGs"
            assert interlace == 0, "only non-interlaced PNGs"
            channels = _CHANNELS[colour]
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        filter_type, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                line[i] = (line[i] + _paeth(left, up, upper_left)) & 0xFF
        yield row, channels, line
        previous = line


def has_body_ink(path: Path, *, at_least: int = 300) -> bool:
    """Whether the page shows something between its running head and foot (the 22 mm margins
    of `tandem.lib.pdf`, so that a page holding only its header and footer counts as blank):
    at least `at_least` dark pixels. Stops reading once it has seen them."""
    (height_px,) = struct.unpack(">I", path.read_bytes()[20:24])  # IHDR comes first
    margin = round(height_px * 22 / 297)
    dark = 0
    for row, channels, line in png_rows(path):
        if row < margin:
            continue
        if row >= height_px - margin:
            break
        dark += sum(
            1
            for pixel in range(0, len(line), channels)
            if min(line[pixel : pixel + min(channels, 3)]) < 160
        )
        if dark >= at_least:
            return True
    return False
