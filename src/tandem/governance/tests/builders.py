"""What the governance tests share: a policy document and the day they run on; their fixtures
are in this folder's conftest.py."""

from datetime import date, datetime

from django.core.files.base import ContentFile

from tandem.conftest import ServiceStaff
from tandem.governance.models import Policy
from tandem.governance.services.policies import policy_record
from tandem.lib.calendar import UK_TIME

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# A Wednesday, with no bank holiday near it.
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UK_TIME)
TODAY = date(2026, 11, 18)


def pdf(name: str = "policy.pdf", extra: str = "") -> "ContentFile[bytes]":
    return ContentFile(PDF + extra.encode(), name=name)


def policy_with_document(staff: ServiceStaff) -> Policy:
    """The service's code of conduct (required policy h), recorded by its manager with a PDF:
    stored under MEDIA_ROOT, which the caller points at a folder of its own."""
    manager = staff.service_manager
    return policy_record(
        service=staff.service,
        required_policy="h",
        title="Synthetic code of conduct",
        version_label="v1",
        owner=manager,
        approved_on=date(2025, 1, 1),
        next_review_on=date(2027, 1, 1),
        document=pdf(),
        actor=manager,
    )
