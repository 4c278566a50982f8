"""Reports of an assessment: generated as snapshots with a version, the Respect assessor's report
and the generic findings by requirement, and their PDFs checked by rendering them (rule
respect-accreditation: "the assessor's report: for every indicator, evidence seen and verified,
methods used, judgement, and the recommendation to the panel with its basis")."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User

from tandem.assurance.models import (
    AssessmentReport,
    Judgement,
    Process,
    ReportKind,
    RequirementRecord,
)
from tandem.assurance.reports import definitions as report_definitions
from tandem.assurance.reports import services as report_services
from tandem.assurance.reports.services import assessment_report_generate
from tandem.assurance.reports.tests import builders as report_builders
from tandem.assurance.respect.services import findings as respect_findings
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, record_of
from tandem.assurance.tests.builders import fresh
from tandem.audit.models import AuditEvent
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused

# The PDFs themselves are rendered and read in test_pdf.py; here they are stubbed, as
# rendering dozens of pages for every test would only slow the suite.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library", "pdf_stubbed")]

GENERATED = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)


@pytest.fixture
def pdf_stubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_services, "pdf_render", lambda **kwargs: b"%PDF-1.7 stub")


@pytest.fixture
def judged(cast: Cast) -> "builders.Assessment":
    return report_builders.judged(cast, report_builders.evidenced(cast))


def generate(
    assessment: "builders.Assessment", actor: User, kind: ReportKind | str
) -> AssessmentReport:
    return assessment_report_generate(assessment=assessment, actor=actor, kind=kind, now=GENERATED)


# The snapshot


def test_it_keeps_a_report_as_generated_and_numbers_the_next_version(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    first = generate(judged, cast.assessor, ReportKind.ASSESSOR_REPORT)
    assert first.version == 1
    assert first.assessment_state == "site_visit"
    assert "Synthetic basis: written evidence matches" in first.html
    stored_html, stored_pdf = first.html, bytes(first.pdf)

    record = record_of(judged, "A1.1")
    respect_findings.record_judge(
        record=record,
        judgement=Judgement.NOT_MET,
        basis="Synthetic: the lone working policy was out of date at the site visit.",
        actor=cast.assessor,
        expected_version=record.version,
    )

    first.refresh_from_db()
    assert first.html == stored_html
    assert bytes(first.pdf) == stored_pdf
    assert "out of date at the site visit" not in first.html
    second = generate(fresh(judged), cast.assessor, ReportKind.ASSESSOR_REPORT)
    assert second.version == 2
    assert "out of date at the site visit" in second.html
    # Each kind counts its own versions.
    assert generate(fresh(judged), cast.assessor, ReportKind.REQUIREMENTS).version == 1


def test_it_records_who_generated_a_report_in_the_audit_trail(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    report = generate(judged, cast.assessor, ReportKind.ASSESSOR_REPORT)
    event = AuditEvent.objects.get(
        object_id=str(report.pk), object_repr=str(report), action=AuditEvent.Action.CREATED
    )
    assert event.actor == cast.assessor
    assert event.summary == "Assessor's report, version 1"
    assert event.after is not None
    assert "html" not in event.after
    assert "pdf" not in event.after


def test_it_refuses_the_assessor_report_to_the_service_until_findings_are_released(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    with pytest.raises(ActionRefused, match="You may not read the assessor's report") as refusal:
        generate(judged, cast.manager, ReportKind.ASSESSOR_REPORT)
    assert refusal.value.field == "actor"
    assert not AssessmentReport.objects.exists()


def test_it_lets_the_service_generate_the_assessor_report_once_decided(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    assessment = report_builders.accredited(cast, judged)
    report = generate(assessment, cast.manager, ReportKind.ASSESSOR_REPORT)
    assert report.assessment_state == "accredited"


def test_it_refuses_a_report_to_someone_who_cannot_open_the_assessment(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    with pytest.raises(ActionRefused, match="no such report"):
        generate(judged, cast.staff.other_service_worker, ReportKind.REQUIREMENTS)


def test_it_refuses_a_kind_of_report_the_process_does_not_have(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    with pytest.raises(ActionRefused, match="no such report"):
        generate(judged, cast.assessor, "certificate")


# What the assessor's report says


def test_it_reports_every_indicator_with_evidence_methods_judgement_and_recommendation(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    assessment = report_builders.accredited(cast, judged)
    html = generate(assessment, cast.assessor, ReportKind.ASSESSOR_REPORT).html
    for ref in RequirementRecord.objects.filter(assessment=assessment).values_list(
        "requirement__ref", flat=True
    ):
        assert f'<span class="report-ref">{ref}' in html
    assert "Synthetic policies handbook" in html
    assert "pages 3-5" in html
    assert "Case files review" in html
    assert "Synthetic: seen and verified." in html
    assert "Accredit</strong>" in html
    assert "every indicator met on the evidence seen and verified" in html
    assert "Synthetic: the report rests on the evidence." in html
    assert "Synthetic: every indicator met." in html
    assert "Assessor</dt>" in html
    assert "Internal verifier</dt>" in html


def test_it_says_what_is_not_yet_done_in_a_report_drafted_early(
    cast: Cast, staffed_service: ServiceStaff
) -> None:
    assessment = report_builders.evidenced(cast)
    html = generate(assessment, cast.assessor, ReportKind.ASSESSOR_REPORT).html
    assert "The assessor has not submitted the report yet" in html
    assert "Not yet judged" in html
    assert "Not yet assessed" in html
    assert "Not verified yet." in html
    assert "The panel has not decided yet." in html


def test_it_offers_the_assessor_report_only_to_respect_accreditation(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    definition = report_definitions.REPORTS[ReportKind.ASSESSOR_REPORT]
    assert definition.processes == frozenset({Process.RESPECT_ACCREDITATION})
    assert report_definitions.REPORTS[ReportKind.REQUIREMENTS].applies_to(judged)


def test_it_escapes_what_people_wrote_before_storing_the_report(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    """The stored HTML is shown as it is (it was escaped when rendered), so nothing anyone typed
    may come through as markup."""
    RequirementRecord.objects.filter(assessment=judged, requirement__code="A1.1").update(
        narrative='<script>alert("synthetic")</script>'
    )
    html = generate(judged, cast.assessor, ReportKind.ASSESSOR_REPORT).html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;synthetic&quot;)&lt;/script&gt;" in html


# The generic report


def test_it_reports_findings_by_requirement_for_any_process(
    cast: Cast, judged: "builders.Assessment"
) -> None:
    context = report_definitions.requirements_context(judged)
    assert context["rates"] is False
    assert context["judges"] is True
    html = generate(judged, cast.assessor, ReportKind.REQUIREMENTS).html
    assert "Findings by requirement" in html
    assert '<span class="report-ref">A1.1' in html
    assert builders.NARRATIVE in html


def test_it_shows_ratings_where_the_process_rates(
    cast: Cast, judged: "builders.Assessment", monkeypatch: pytest.MonkeyPatch
) -> None:
    from tandem.assurance import workflow

    rating = workflow.RESPECT_ACCREDITATION.__class__(
        **{**workflow.RESPECT_ACCREDITATION.__dict__, "rating_choices": (("red", "Red"),)}
    )
    monkeypatch.setitem(workflow.PROCESSES, Process.RESPECT_ACCREDITATION, rating)
    RequirementRecord.objects.filter(assessment=judged, requirement__code="A1.1").update(
        rating="red", rating_notes="Synthetic: no lone working policy."
    )
    context = report_definitions.requirements_context(judged)
    assert context["rates"] is True
    captions = [caption for caption, _ in context["summaries"]]  # type: ignore[attr-defined]
    assert captions == ["Ratings", "Judgements"]
    ratings = context["summaries"][0][1]  # type: ignore[index]
    assert ratings.totals.counts[0] == 1
    html = generate(judged, cast.assessor, ReportKind.REQUIREMENTS).html
    assert "govuk-tag--red" in html
    assert "Synthetic: no lone working policy." in html
