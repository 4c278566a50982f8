"""What an uploaded document (evidence, a policy) is, read from its content: its name is only a
claim.

Accepted: PDF, Word (docx, and doc 97-2003), OpenDocument text, spreadsheets (xlsx, ods, csv)
and PNG or JPEG images. Macro-enabled Office files are refused. A file whose name claims one of
these types but whose content is another is refused, so no one is misled by its name.
"""

import csv
import io
import zipfile
from pathlib import PurePath

from django.db import models


class DocumentKind(models.TextChoices):
    """The file types accepted as evidence and policies, as read from their content."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"
    DOC = "doc", "Word 97-2003 document"
    ODT = "odt", "OpenDocument text"
    XLSX = "xlsx", "Excel spreadsheet"
    ODS = "ods", "OpenDocument spreadsheet"
    CSV = "csv", "CSV file"
    PNG = "png", "PNG image"
    JPEG = "jpeg", "JPEG image"


# The largest evidence file accepted, in bytes.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024

CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.DOC: "application/msword",
    DocumentKind.ODT: "application/vnd.oasis.opendocument.text",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DocumentKind.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    DocumentKind.CSV: "text/csv",
    DocumentKind.PNG: "image/png",
    DocumentKind.JPEG: "image/jpeg",
}

_EXTENSIONS = {
    ".pdf": DocumentKind.PDF,
    ".docx": DocumentKind.DOCX,
    ".doc": DocumentKind.DOC,
    ".odt": DocumentKind.ODT,
    ".xlsx": DocumentKind.XLSX,
    ".ods": DocumentKind.ODS,
    ".csv": DocumentKind.CSV,
    ".png": DocumentKind.PNG,
    ".jpg": DocumentKind.JPEG,
    ".jpeg": DocumentKind.JPEG,
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A Word 97-2003 file is an OLE2 compound file holding a stream named "WordDocument" (its
# directory stores names in UTF-16LE).
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": DocumentKind.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": DocumentKind.ODS,
}
_CSV_SAMPLE_BYTES = 64 * 1024


def size_label(size: int) -> str:
    """A file size as a person reads it: "20 MB", "1.5 MB", "300 KB", "12 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


class NotAcceptedFile(ValueError):
    """The file is not one of the accepted types; the message says what it is not."""


def _zip_kind(content: bytes) -> DocumentKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" not in names:
                return None
            if any(name.endswith("vbaProject.bin") for name in names):
                raise NotAcceptedFile("it is a macro-enabled Office file: save it without macros")
            if "word/document.xml" in names:
                return DocumentKind.DOCX
            if "xl/workbook.xml" in names:
                return DocumentKind.XLSX
    except (zipfile.BadZipFile, KeyError, RuntimeError):
        return None
    return None


def _is_csv(content: bytes) -> bool:
    sample = content[:_CSV_SAMPLE_BYTES]
    if not sample.strip() or b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows writes CSV in its own code page.
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
        return False
    if text.lstrip().startswith("<"):
        return False  # markup (HTML, SVG, XML) is not a table
    if len(content) > _CSV_SAMPLE_BYTES:
        text = text.rsplit("\n", 1)[0]  # the sample may end mid-row
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return False
    return bool(rows)


def document_kind(*, content: bytes, name: str) -> DocumentKind:
    """The file's type from its content; raises NotAcceptedFile naming what is wrong."""
    detected: DocumentKind | None = None
    if content.startswith(b"%PDF-"):
        detected = DocumentKind.PDF
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        detected = DocumentKind.PNG
    elif content.startswith(b"\xff\xd8\xff"):
        detected = DocumentKind.JPEG
    elif content.startswith(_OLE2):
        if _WORD_STREAM in content:
            detected = DocumentKind.DOC
    elif content.startswith(b"PK\x03\x04"):
        detected = _zip_kind(content)
    elif PurePath(name).suffix.lower() == ".csv" and _is_csv(content):
        # Plain text has no signature: a CSV is text that reads as rows, named as a CSV.
        detected = DocumentKind.CSV
    claimed = _EXTENSIONS.get(PurePath(name).suffix.lower())
    if detected is None:
        raise NotAcceptedFile(
            "it is not a PDF, Word, OpenDocument, spreadsheet (xlsx, ods, csv), PNG or JPEG file"
        )
    if claimed is not None and claimed != detected:
        raise NotAcceptedFile(
            f"its name says {claimed.label} but its content is a {detected.label}: rename it or "
            "upload the right file"
        )
    return detected
