"""Generating a report: the snapshot of an assessment that is read, downloaded and sent. A report
is generated from the data `content` builds and kept as it was (`AssessmentReport`): its HTML
body and its PDF. Reading one shows that snapshot, never live data."""

from datetime import datetime
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from tandem.access.permissions import permitted
from tandem.assurance.models import Assessment, AssessmentReport, ReportKind
from tandem.assurance.reports import selectors
from tandem.assurance.reports.content import cover_of
from tandem.assurance.reports.definitions import ReportDefinition
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused
from tandem.lib.pdf import PageMarks, pdf_render
from tandem.lib.people import person_name

# The checklist reports' column widths and RAG cues: one file, linked by the page that shows a
# report and given to the PDF (no inline <style>: the Content-Security-Policy refuses it).
CHECKLIST_CSS = (
    Path(__file__).resolve().parents[1] / "static" / "assurance" / "report-checklist.css"
)


def report_render(
    *,
    definition: ReportDefinition,
    assessment: Assessment,
    version: int,
    generated_at: datetime,
    generated_by: AbstractBaseUser,
) -> tuple[str, bytes]:
    """The report's HTML body and its PDF, as the assessment stands now."""
    title = definition.title_for(assessment)
    context = {
        **definition.context(assessment),
        "title": title,
        "name": definition.name,
        "cover": cover_of(assessment),
        "version": version,
        "generated_at": generated_at,
        "generated_by": person_name(generated_by),
    }
    html = render_to_string(definition.template, context)
    pdf = pdf_render(
        body_html=html,
        marks=PageMarks(title=title, generated_at=generated_at, version=version),
        stylesheet=CHECKLIST_CSS.read_text(encoding="utf-8"),
    )
    return html, pdf


@transaction.atomic
def assessment_report_generate(
    *, assessment: Assessment, actor: User, kind: ReportKind | str, now: datetime | None = None
) -> AssessmentReport:
    """Render the report as the assessment stands and keep it as the next version of its kind.

    Whoever may read the kind may generate it. The assessment is locked while it is read, as
    every change to it or its records locks it too, so the report shows one moment of it."""
    now = now or timezone.now()
    try:
        access = selectors.report_access_get(user=actor, assessment_id=assessment.pk)
        definition = selectors.report_definition_get(access=access, kind=str(kind))
    except Http404:
        raise ActionRefused("There is no such report of this assessment", field="kind") from None
    if not permitted(actor, definition.permission, access):
        raise ActionRefused(
            f"You may not read the {definition.name.lower()} of this assessment", field="actor"
        )
    current = (
        Assessment.objects.select_for_update()
        .select_related("service__organisation", "framework")
        .get(pk=assessment.pk)
    )
    latest = AssessmentReport.objects.filter(assessment=current, kind=definition.kind).aggregate(
        latest=Max("version")
    )["latest"]
    version = (latest or 0) + 1
    html, pdf = report_render(
        definition=definition,
        assessment=current,
        version=version,
        generated_at=now,
        generated_by=actor,
    )
    report = AssessmentReport.objects.create(
        assessment=current,
        kind=definition.kind,
        version=version,
        title=definition.title_for(current)[:300],
        assessment_state=current.state,
        generated_at=now,
        generated_by=actor,
        html=html,
        pdf=pdf,
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=report,
        summary=f"{definition.name}, version {version}",
        after=model_snapshot(instance=report, exclude=["html"]),
    )
    return report
