"""The reports of the 2008 safeguarding audit, the Welsh checklist, the West Midlands
self-evaluation and self-assessments (issue 4, "Reports and exports"): each renders with its key
facts, one PDF per process is read as a reader would (pdftoppm, pdftotext), and only the people
who may see the assessment (`checklist_selectors.checklist_get_for_user`) reach its reports."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tandem.assurance.checklists.services import audit as audit_services
from tandem.assurance.checklists.services import self_assessment as self_assessment_services
from tandem.assurance.checklists.services import welsh as welsh_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.models import (
    Assessment,
    Process,
    ReportKind,
    SelfRating,
    State,
)
from tandem.assurance.reports import services as report_services
from tandem.assurance.reports.services import assessment_report_generate
from tandem.assurance.reports.tests import builders as report_builders
from tandem.assurance.tests.builders import fresh, signed_in
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.standards.models import Framework

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]

GENERATED = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)
PDF_STUB = b"%PDF-1.7 synthetic stub"
# Standard 1's questions: "What is the referral pathway?" and "Can you self-refer?"
RED_QUESTION, AMBER_QUESTION = "1.Q1", "1.Q2"


@pytest.fixture
def pdf_stubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFs are slow: only the tests marked with `rendered` draw them."""
    monkeypatch.setattr(report_services, "pdf_render", lambda **kwargs: PDF_STUB)


def generated(assessment: Assessment, actor: User, kind: ReportKind) -> tuple[str, bytes]:
    report = assessment_report_generate(
        assessment=assessment, actor=actor, kind=kind, now=GENERATED
    )
    return report.html, bytes(report.pdf)


# The processes, taken far enough to report


def audit_passed(staff: ServiceStaff) -> tuple[build.AuditCast, Assessment]:
    cast = build.audit_cast(staff)
    assessment = build.audit_reported(cast, not_met="")
    return cast, audit_services.audit_outcome_record(
        assessment=assessment, actor=cast.coordinator, expected_version=assessment.version
    )


def welsh_does_not_meet(staff: ServiceStaff) -> tuple[User, Assessment]:
    commissioner = build.commissioner_of(staff.service)
    assessment = build.welsh_started(staff.service, commissioner)
    assessment = build.rate_welsh(
        assessment,
        commissioner,
        red=RED_QUESTION,
        amber=AMBER_QUESTION,
        owner=staff.service_manager,
    )
    return commissioner, welsh_services.welsh_checklist_complete(
        assessment=assessment,
        actor=commissioner,
        expected_version=assessment.version,
        reassess_by=build.TODAY + timedelta(days=90),
    )


def wm_reviewed(staff: ServiceStaff) -> tuple[User, Assessment]:
    reviewer = build.peer_reviewer()
    assessment = build.wm_submitted(staff.service, staff.service_manager, reviewer, partly="1.1")
    return reviewer, build.wm_reviewed(assessment, reviewer, challenge="1.2")


def self_assessed(staff: ServiceStaff) -> Assessment:
    manager = staff.service_manager
    assessment = self_assessment_services.self_assessment_start(
        service=staff.service,
        framework=Framework.objects.get(slug="home-office-2022", is_current=True),
        actor=manager,
    )
    for number, item in enumerate(build.records(assessment)):
        self_assessment_services.self_assessment_record_rate(
            record=item,
            actor=manager,
            expected_version=item.version,
            rating=SelfRating.MET if number < 4 else SelfRating.NOT_MET,
            evidence=f"Synthetic evidence {number}",
        )
    return fresh(assessment)


# Each report holds its process's key facts


@pytest.mark.usefixtures("pdf_stubbed")
def test_it_reports_the_audit_with_people_visit_schedule_findings_and_outcome(
    staffed_service: ServiceStaff,
) -> None:
    """Rule safeguarding-audit-2008: link person, two assessors, one-day visit, indicators."""
    cast, assessment = audit_passed(staffed_service)
    assert assessment.state == State.PASSED
    html, _ = generated(assessment, cast.coordinator, ReportKind.AUDIT_REPORT)
    assert "Audit report" in html
    assert "audit-lead" in html
    assert "audit-second" in html
    assert staffed_service.service_manager.get_username() in html  # the link person
    assert build.VISIT_ON.strftime("%Y") in html
    assert "Five synthetic files" in html
    assert "09:30" in html
    assert "Session 7 recording" in html
    assert ">Passed</strong>" in html
    assert "Synthetic summary of the audit&#x27;s findings." in html
    first = build.records(assessment)[0]
    assert first.requirement.ref in html
    assert ">Met</strong>" in html


@pytest.mark.usefixtures("pdf_stubbed")
def test_it_reports_an_audit_failed_automatically_with_its_reason(
    staffed_service: ServiceStaff,
) -> None:
    """Rule safeguarding-audit-2008: a service without an ISS fails automatically."""
    cast = build.audit_cast(staffed_service)
    assessment = audit_services.safeguarding_audit_open(
        service=staffed_service.service, actor=cast.coordinator, runs_iss=False
    )
    assert assessment.state == State.FAILED
    html, _ = generated(assessment, cast.coordinator, ReportKind.AUDIT_REPORT)
    assert ">Failed</strong>" in html
    assert "without an Integrated Support Service" in html


@pytest.mark.usefixtures("pdf_stubbed")
def test_it_reports_the_welsh_checklist_with_its_summary_actions_and_trend(
    staffed_service: ServiceStaff,
) -> None:
    """Rule welsh-commissioning: a standard's status is its worst question's; Red → address
    and reassess; Amber → an improvement action with owner and review date; the trend."""
    commissioner, assessment = welsh_does_not_meet(staffed_service)
    html, _ = generated(assessment, commissioner, ReportKind.WELSH_CHECKLIST)
    assert "Does not meet the standards: address and reassess" in html
    assert "Overall status" in html
    assert "Red 1, Amber 1, Green 62" in html
    # RAG is said in words, not by colour alone.
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--orange">Amber</strong>' in html
    assert "Synthetic: publish the self-referral route" in html
    assert "Review by" in html
    review_by = build.TODAY + timedelta(weeks=4)
    assert f"{review_by.day} {review_by:%b %Y}" in html
    assert "First review" in html
    reassess_by = build.TODAY + timedelta(days=90)
    assert f"By {reassess_by.day} {reassess_by:%B %Y}" in html
    assert build.EVIDENCE in html


@pytest.mark.usefixtures("pdf_stubbed")
def test_it_reports_the_self_evaluation_with_the_peer_reviewers_challenge(
    staffed_service: ServiceStaff,
) -> None:
    """Rule west-midlands-dva: self-ratings, evidence, the peer reviewer agrees or challenges."""
    reviewer, assessment = wm_reviewed(staffed_service)
    html, _ = generated(assessment, reviewer, ReportKind.SELF_EVALUATION)
    assert ">Partly met</strong>" in html
    assert ">Challenged</strong>" in html
    assert ">Agreed</strong>" in html
    assert "Synthetic: no evidence of a review date" in html
    assert "Synthetic: review the policy with the safeguarding lead" in html
    assert "1 challenged" in html


@pytest.mark.usefixtures("pdf_stubbed")
def test_it_reports_how_far_a_self_assessment_is_from_meeting_the_framework(
    staffed_service: ServiceStaff,
) -> None:
    """Rule self-assessment: met out of applicable, rounded down, and each rating."""
    assessment = self_assessed(staffed_service)
    html, _ = generated(assessment, staffed_service.service_manager, ReportKind.READINESS)
    assert "4 of 7 requirements met (57%)" in html
    assert "3 to go" in html
    assert "Synthetic evidence 6" in html
    assert ">Not met</strong>" in html


@pytest.mark.usefixtures("pdf_stubbed")
def test_it_refuses_the_audit_report_to_the_service_before_the_report_is_written(
    staffed_service: ServiceStaff,
) -> None:
    cast = build.audit_cast(staffed_service)
    assessment = build.audit_judged(cast)
    with pytest.raises(ActionRefused):
        assessment_report_generate(
            assessment=assessment, actor=cast.link, kind=ReportKind.AUDIT_REPORT
        )
    html, _ = generated(assessment, cast.lead, ReportKind.AUDIT_REPORT)
    assert "Not decided yet" in html


# The pages: reachable from the checklist's page, generated, read, downloaded


@pytest.mark.usefixtures("pdf_stubbed")
def test_it_links_the_welsh_reports_from_the_checklist_page_and_serves_them(
    staffed_service: ServiceStaff,
) -> None:
    commissioner, assessment = welsh_does_not_meet(staffed_service)
    client = signed_in(commissioner)
    detail = client.get(reverse("assurance:checklists:welsh_detail", args=[assessment.pk]))
    reports_url = reverse("assurance:reports", args=[assessment.pk])
    assert reports_url in detail.content.decode()
    listing = client.get(reports_url)
    assert listing.status_code == 200
    assert "RAG checklist and summary" in listing.content.decode()
    kind = ReportKind.WELSH_CHECKLIST.value
    response = client.post(reverse("assurance:report_generate", args=[assessment.pk, kind]))
    assert response.status_code == 302
    page = client.get(reverse("assurance:report_detail", args=[assessment.pk, kind, 1]))
    assert page.status_code == 200
    assert "Red 1, Amber 1, Green 62" in page.content.decode()
    # Its column widths from a file: the Content-Security-Policy refuses an inline <style>.
    assert "<style" not in page.content.decode()
    assert "/static/assurance/report-checklist.css" in page.content.decode()
    pdf = client.get(reverse("assurance:report_pdf", args=[assessment.pk, kind, 1]))
    assert (pdf.status_code, pdf.content) == (200, PDF_STUB)
    assert "no-store" in pdf["Cache-Control"]


REPORT_ROUTES = ["reports", "report_generate", "report_detail", "report_pdf"]


def _url(name: str, assessment: Assessment, kind: ReportKind) -> str:
    if name == "reports":
        return reverse("assurance:reports", args=[assessment.pk])
    if name == "report_generate":
        return reverse("assurance:report_generate", args=[assessment.pk, kind.value])
    return reverse(f"assurance:{name}", args=[assessment.pk, kind.value, 1])


def _refusals(client: Client, assessment: Assessment, kind: ReportKind) -> list[int]:
    codes = []
    for name in REPORT_ROUTES:
        url = _url(name, assessment, kind)
        response = client.post(url) if name == "report_generate" else client.get(url)
        codes.append(response.status_code)
    return codes


@pytest.mark.usefixtures("pdf_stubbed")
@pytest.mark.parametrize(
    ("process", "kind"),
    [
        (Process.SAFEGUARDING_AUDIT_2008, ReportKind.AUDIT_REPORT),
        (Process.WELSH_COMMISSIONING, ReportKind.WELSH_CHECKLIST),
        (Process.WEST_MIDLANDS_SELF_EVALUATION, ReportKind.SELF_EVALUATION),
        (Process.SELF_ASSESSMENT, ReportKind.READINESS),
    ],
)
def test_it_refuses_each_report_route_to_workers_and_an_unrelated_commissioner(
    staffed_service: ServiceStaff, process: Process, kind: ReportKind
) -> None:
    """The provider's perpetrator and ISS workers hold no assurance role (403 before anything
    is looked up); a commissioner of other services cannot open the assessment (404)."""
    if process == Process.SAFEGUARDING_AUDIT_2008:
        cast, assessment = audit_passed(staffed_service)
        reader = cast.coordinator
    elif process == Process.WELSH_COMMISSIONING:
        reader, assessment = welsh_does_not_meet(staffed_service)
    elif process == Process.WEST_MIDLANDS_SELF_EVALUATION:
        reader, assessment = wm_reviewed(staffed_service)
    else:
        reader, assessment = staffed_service.service_manager, self_assessed(staffed_service)
    assessment_report_generate(assessment=assessment, actor=reader, kind=kind, now=GENERATED)
    assert _refusals(signed_in(reader), assessment, kind)[0] == 200

    for worker in (staffed_service.perpetrator_worker, staffed_service.iss_worker):
        assert _refusals(signed_in(worker), assessment, kind) == [403] * 4
    stranger = build.commissioner_of(build.other_agency(), username="unrelated-commissioner")
    assert _refusals(signed_in(stranger), assessment, kind) == [404] * 4


# One PDF per process, read as a reader would


@pytest.fixture
def poppler() -> None:
    report_builders.require_poppler()


def _read(pdf: bytes, directory: Path, title: str) -> str:
    pages = report_builders.pdf_pages_as_png(pdf, directory)
    texts = report_builders.pdf_text_by_page(pdf, directory)
    assert len(pages) == len(texts) >= 2
    assert [page.name for page in pages if not report_builders.has_body_ink(page)] == []
    for number, text in enumerate(texts, start=1):
        assert title in " ".join(text.split())
        assert "Generated 9 March 2026, 14:30 · version 1" in text
        assert f"Page {number} of {len(texts)}" in text
    return " ".join("\n".join(texts).split())


@pytest.mark.usefixtures("poppler")
def test_it_renders_the_audit_report_as_a_pdf(
    staffed_service: ServiceStaff, tmp_path: Path
) -> None:
    cast, assessment = audit_passed(staffed_service)
    _, pdf = generated(assessment, cast.coordinator, ReportKind.AUDIT_REPORT)
    text = _read(pdf, tmp_path, "audit report, Test DAPP")
    assert "Passed" in text
    assert "Five synthetic files" in text


@pytest.mark.usefixtures("poppler")
def test_it_renders_the_welsh_checklist_as_a_pdf(
    staffed_service: ServiceStaff, tmp_path: Path
) -> None:
    commissioner, assessment = welsh_does_not_meet(staffed_service)
    _, pdf = generated(assessment, commissioner, ReportKind.WELSH_CHECKLIST)
    text = _read(pdf, tmp_path, "RAG checklist and summary, Test DAPP")
    assert "Does not meet the standards: address and reassess" in text
    assert "Red 1, Amber 1, Green 62" in text
    assert "Synthetic: publish the self-referral route" in text


@pytest.mark.usefixtures("poppler")
def test_it_renders_the_self_evaluation_as_a_pdf(
    staffed_service: ServiceStaff, tmp_path: Path
) -> None:
    reviewer, assessment = wm_reviewed(staffed_service)
    _, pdf = generated(assessment, reviewer, ReportKind.SELF_EVALUATION)
    text = _read(pdf, tmp_path, "self-evaluation and peer review, Test DAPP")
    assert "Challenged" in text
    assert "Synthetic: no evidence of a review date" in text


@pytest.mark.usefixtures("poppler")
def test_it_renders_the_readiness_summary_as_a_pdf(
    staffed_service: ServiceStaff, tmp_path: Path
) -> None:
    assessment = self_assessed(staffed_service)
    _, pdf = generated(assessment, staffed_service.service_manager, ReportKind.READINESS)
    text = _read(pdf, tmp_path, "readiness summary, Test DAPP")
    assert "4 of 7 requirements met (57%)" in text
