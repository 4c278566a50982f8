"""What the governance tests share: a policy document and the day they run on; their fixtures
are in this folder's conftest.py."""

from datetime import date, datetime

from django.core.files.base import ContentFile

from tandem.lib.calendar import UK_TIME

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# A Wednesday, with no bank holiday near it.
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UK_TIME)
TODAY = date(2026, 11, 18)


def pdf(name: str = "policy.pdf", extra: str = "") -> "ContentFile[bytes]":
    return ContentFile(PDF + extra.encode(), name=name)
