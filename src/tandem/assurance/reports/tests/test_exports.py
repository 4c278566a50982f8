"""Exports of an assessment: the evidence pack (one ZIP, each cited document stored once, with an
index of what each supports) and the per-requirement table as CSV and Excel."""

import csv
import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook

from tandem.assurance.models import Assessment, RequirementRecord
from tandem.assurance.reports import exports
from tandem.assurance.reports.tests import builders as report_builders
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast
from tandem.assurance.tests.builders import signed_in
from tandem.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


@pytest.fixture
def judged(cast: Cast) -> Assessment:
    return report_builders.judged(cast, report_builders.evidenced(cast))


def download(user: User, name: str, assessment: Assessment) -> tuple[bytes, str]:
    response = signed_in(user).get(reverse(f"assurance:{name}", args=[assessment.pk]))
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return body, response["Content-Disposition"]


# The evidence pack


def test_it_packs_each_cited_document_once_with_an_index(cast: Cast, judged: Assessment) -> None:
    content, disposition = download(cast.assessor, "evidence_pack", judged)
    assert disposition == (
        f'attachment; filename="test-dapp-assessment-{judged.pk}-evidence-pack.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert names == [
        "index.html",
        "index.csv",
        "documents/001-synthetic-policies-handbook.pdf",
        "documents/002-synthetic-service-chart.docx",
    ]
    # Cited for A1.1 and twice for A2.1, the handbook is in the pack once, as uploaded.
    assert archive.read(names[2]) == report_builders.POLICY_TEXT
    assert archive.read(names[3]) == report_builders.CHART_TEXT

    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8"))))
    assert [row["File"] for row in rows] == names[2:]
    assert rows[0]["Supports (requirement and where)"] == "A1.1 (pages 3-5); A2.1 (section 2)"
    assert rows[1]["Supports (requirement and where)"] == "A2.1 (whole document)"
    assert rows[0]["Type"] == "PDF"

    index = archive.read("index.html").decode("utf-8")
    assert '<a href="documents/001-synthetic-policies-handbook.pdf">' in index
    assert "Synthetic service chart" in index
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, object_id=str(judged.pk), summary="evidence pack"
    ).exists()


def test_it_gives_an_empty_pack_when_nothing_is_cited(cast: Cast) -> None:
    assessment = builders.submitted(cast)
    archive = zipfile.ZipFile(exports.evidence_pack(assessment=assessment))
    assert archive.namelist() == ["index.html", "index.csv"]
    assert "No documents are cited" in archive.read("index.html").decode("utf-8")


def test_it_names_packed_files_safely_whatever_their_title(cast: Cast) -> None:
    assessment = builders.applied(cast)
    document = report_builders.upload(
        cast, "../../etc/passwd “Policy” café", "x.png", b"\x89PNG\r\n\x1a\n" + b"\x01" * 40
    )
    report_builders.cite(cast, assessment, "A1.1", document, "p. 1")
    (packed,) = exports.pack_documents(assessment)
    assert packed.path == "documents/001-etcpasswd-policy-cafe.png"


# The per-requirement table


def test_it_exports_the_requirement_table_as_csv(cast: Cast, judged: Assessment) -> None:
    RequirementRecord.objects.filter(assessment=judged, requirement__code="A1.1").update(
        narrative='=HYPERLINK("http://example.invalid","Synthetic")'
    )
    content, disposition = download(cast.assessor, "requirements_csv", judged)
    assert disposition.endswith(f'filename="test-dapp-assessment-{judged.pk}-requirements.csv"')
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Ref",
        "Group",
        "Requirement",
        "Evidence narrative",
        "Documents cited",
        "Findings by method",
        "Judgement",
        "Basis",
        "Judged by",
        "Judged on",
        "Actions",
    ]
    assert len(rows) == 1 + judged.records.count()
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Ref"] == "A1.1"
    assert first["Group"] == "A1 Policies and procedures"
    assert first["Documents cited"] == "Synthetic policies handbook (pages 3-5)"
    assert first["Findings by method"].startswith("Written submission: Met")
    assert first["Judgement"] == "Met"
    assert first["Judged by"] == "Synthetic Assessor"
    # A cell a spreadsheet would run as a formula is kept as text.
    assert first["Evidence narrative"] == '\'=HYPERLINK("http://example.invalid","Synthetic")'


def test_it_exports_the_requirement_table_as_a_workbook(cast: Cast, judged: Assessment) -> None:
    RequirementRecord.objects.filter(assessment=judged, requirement__code="A1.1").update(
        narrative="=1+1 synthetic\x0b narrative"
    )
    content, disposition = download(cast.assessor, "requirements_xlsx", judged)
    assert disposition.endswith(f'filename="test-dapp-assessment-{judged.pk}-requirements.xlsx"')
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Ref", "Group", "Requirement", "Evidence narrative", "Documents cited")
    assert len(rows) == 1 + judged.records.count()
    assert rows[1][0] == "A1.1"
    assert rows[1][3] == "=1+1 synthetic narrative"
    assert sheet["D2"].data_type == "s"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, summary="requirements table, Excel"
    ).exists()


def test_it_streams_a_pack_too_large_for_memory_from_a_temporary_file(
    cast: Cast, judged: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "_SPOOL_BYTES", 64)
    content, _ = download(cast.verifier, "evidence_pack", judged)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    assert len(archive.namelist()) == 4
