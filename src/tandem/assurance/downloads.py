"""How a file downloaded from an assessment (a report, an export, a certificate) is named and
answered."""

from django.http import HttpResponseBase
from django.utils.text import slugify

from tandem.assurance.models import Assessment


def export_filename(assessment: Assessment, what: str, extension: str) -> str:
    """An ASCII name safe on every system: the service, the assessment, what it is."""
    service = slugify(assessment.service.name)[:60] or "service"
    return f"{service}-assessment-{assessment.pk}-{slugify(what)}.{extension}"


def as_attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Download, never display, and never keep a copy on the way."""
    # `export_filename` gives ASCII letters, digits, hyphens and a dot only.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
