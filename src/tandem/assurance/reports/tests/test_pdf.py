"""The reports' PDFs, checked by rendering them as a reader would: every page drawn (pdftoppm to
PNG) and not blank, and its text (pdftotext) carrying the report's title, the date and version
it was generated and "page X of Y" (a report reflects the assessment as it was when generated,
with the date and version on every page)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tandem.assurance.models import ReportKind, RequirementRecord
from tandem.assurance.reports.services import assessment_report_generate
from tandem.assurance.reports.tests import builders as report_builders
from tandem.assurance.respect.tests.builders import Cast
from tandem.lib.pdf import PageMarks, pdf_render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]

GENERATED = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def poppler() -> None:
    report_builders.require_poppler()


def test_it_renders_the_assessor_report_with_title_date_and_version_on_every_page(
    cast: Cast, tmp_path: Path
) -> None:
    assessment = report_builders.accredited(
        cast, report_builders.judged(cast, report_builders.evidenced(cast))
    )
    report = assessment_report_generate(
        assessment=assessment, actor=cast.assessor, kind=ReportKind.ASSESSOR_REPORT, now=GENERATED
    )
    pdf = bytes(report.pdf)
    assert pdf.startswith(b"%PDF-")

    pages = report_builders.pdf_pages_as_png(pdf, tmp_path)
    texts = report_builders.pdf_text_by_page(pdf, tmp_path)
    assert len(pages) == len(texts) >= 3
    blank = [page.name for page in pages if not report_builders.has_body_ink(page)]
    assert blank == []
    for number, text in enumerate(texts, start=1):
        assert "Respect accreditation: assessor's report, Test DAPP" in text
        assert "Generated 9 March 2026, 14:30 · version 1" in text
        assert f"Page {number} of {len(texts)}" in text
    assert "Assessor's report" in texts[0]
    assert "Test DAPP" in texts[0]
    everything = "\n".join(texts)
    refs = RequirementRecord.objects.filter(assessment=assessment).values_list(
        "requirement__ref", flat=True
    )
    assert [ref for ref in refs if ref not in everything] == []
    assert "Synthetic policies handbook" in everything
    assert "Synthetic: every indicator met." in everything


def test_it_renders_the_generic_report_as_a_pdf(cast: Cast, tmp_path: Path) -> None:
    assessment = report_builders.evidenced(cast)
    report = assessment_report_generate(
        assessment=assessment, actor=cast.assessor, kind=ReportKind.REQUIREMENTS, now=GENERATED
    )
    texts = report_builders.pdf_text_by_page(bytes(report.pdf), tmp_path)
    assert "Findings by requirement" in texts[0]
    assert all("Generated 9 March 2026, 14:30 · version 1" in text for text in texts)
    pages = report_builders.pdf_pages_as_png(bytes(report.pdf), tmp_path)
    assert len(pages) == len(texts)
    assert all(report_builders.has_body_ink(page) for page in pages)


def test_its_blank_page_check_sees_a_page_with_only_its_header_and_footer_as_blank(
    tmp_path: Path,
) -> None:
    pdf = pdf_render(
        body_html="", marks=PageMarks(title="Synthetic", generated_at=GENERATED, version=1)
    )
    (page,) = report_builders.pdf_pages_as_png(pdf, tmp_path)
    assert not report_builders.has_body_ink(page)
    (text,) = report_builders.pdf_text_by_page(pdf, tmp_path)
    assert "Page 1 of 1" in text


def test_it_prints_any_title_in_the_running_head(tmp_path: Path) -> None:
    title = 'Synthetic "Quoted" \\ Services; } @page { content: "x" }'
    pdf = pdf_render(
        body_html="<p>Synthetic</p>",
        marks=PageMarks(title=title, generated_at=GENERATED, version=12),
    )
    (text,) = report_builders.pdf_text_by_page(pdf, tmp_path)
    assert title in text
    assert "Generated 9 March 2026, 14:30 · version 12" in text


def test_it_fetches_nothing_while_rendering(tmp_path: Path) -> None:
    """A stylesheet on disk that would turn the text red is not read; no address is reached."""
    stylesheet = tmp_path / "red.css"
    stylesheet.write_text("p { color: #ff0000; font-size: 40pt }")
    pdf = pdf_render(
        body_html=(
            f'<link rel="stylesheet" href="file://{stylesheet}">'
            '<img src="http://192.0.2.1/logo.png" alt="">'
            "<p>Synthetic text</p>"
        ),
        marks=PageMarks(title="Synthetic", generated_at=GENERATED, version=1),
    )
    (text,) = report_builders.pdf_text_by_page(pdf, tmp_path)
    assert "Synthetic text" in text
    (page,) = report_builders.pdf_pages_as_png(pdf, tmp_path)
    red = [
        row
        for row, channels, line in report_builders.png_rows(page)
        for pixel in range(0, len(line), channels)
        if line[pixel] > 200 and line[pixel + 1] < 80 and line[pixel + 2] < 80
    ]
    assert red == []
