"""Evidence files: each file's type is read from its content, and sizes are named as people read
them."""

import pytest

from tandem.assurance.tests import builders as files
from tandem.lib import documents
from tandem.lib.documents import DocumentKind


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("policy.pdf", files.PDF, DocumentKind.PDF),
        ("policy.docx", files.DOCX, DocumentKind.DOCX),
        ("policy.doc", files.DOC, DocumentKind.DOC),
        ("policy.odt", files.ODT, DocumentKind.ODT),
        ("figures.xlsx", files.XLSX, DocumentKind.XLSX),
        ("figures.ods", files.ODS, DocumentKind.ODS),
        ("figures.csv", files.CSV, DocumentKind.CSV),
        ("chart.png", files.PNG, DocumentKind.PNG),
        ("photo.jpg", files.JPEG, DocumentKind.JPEG),
        ("no-extension", files.PDF, DocumentKind.PDF),  # the content decides
    ],
)
def test_it_reads_a_files_type_from_its_content(name: str, content: bytes, kind: str) -> None:
    assert documents.document_kind(content=content, name=name) == kind


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("policy.pdf", files.EXE, "is not a PDF, Word"),
        ("policy.exe", files.EXE, "is not a PDF, Word"),
        ("chart.pdf", files.PNG, "its name says PDF but its content is a PNG image"),
        ("policy.docx", files.DOCM, "macro-enabled"),
        ("figures.xls", files.XLS, "is not a PDF, Word"),
        ("archive.zip", files.PLAIN_ZIP, "is not a PDF, Word"),
        ("notes.txt", files.CSV, "is not a PDF, Word"),  # plain text is a CSV only by name
        ("page.csv", b"<html><script>alert(1)</script></html>", "is not a PDF, Word"),
        ("binary.csv", b"a,b\x00c\n", "is not a PDF, Word"),
    ],
)
def test_it_refuses_a_file_by_its_content(name: str, content: bytes, says: str) -> None:
    with pytest.raises(documents.NotAcceptedFile, match=says):
        documents.document_kind(content=content, name=name)


def test_it_labels_sizes_as_a_person_reads_them() -> None:
    assert documents.size_label(documents.EVIDENCE_MAX_BYTES) == "20 MB"
    assert documents.size_label(1536 * 1024) == "1.5 MB"
    assert documents.size_label(2048) == "2 KB"
    assert documents.size_label(12) == "12 bytes"
