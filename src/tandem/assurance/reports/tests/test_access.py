"""Who gets an assessment's reports and exports, route by route (rule respect-accreditation: the
service cannot see the assessors' findings until they are released; the assessors, verifier and
panel members see them once they have declared no conflict of interest), and the report pages
showing the stored snapshot."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.assurance.models import (
    Assessment,
    DecisionOutcome,
    Judgement,
    Part,
    ReportKind,
    RequirementRecord,
)
from tandem.assurance.reports import definitions as report_definitions
from tandem.assurance.reports import services as report_services
from tandem.assurance.reports.services import assessment_report_generate
from tandem.assurance.reports.tests import builders as report_builders
from tandem.assurance.respect.services import panel as respect_panel
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, other_manager
from tandem.assurance.tests.builders import fresh, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library", "pdf_stubbed")]

PDF = b"%PDF-1.7 synthetic stub"


@pytest.fixture
def pdf_stubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDFs are rendered and read in test_pdf.py; here only who gets them counts."""
    monkeypatch.setattr(report_services, "pdf_render", lambda **kwargs: PDF)


@pytest.fixture
def at_panel(cast: Cast) -> Assessment:
    return report_builders.at_panel(
        cast, report_builders.judged(cast, report_builders.evidenced(cast))
    )


def people(cast: Cast, assessment: Assessment) -> dict[str, User]:
    undeclared = builders.person("undeclared-assessor", Role.ASSESSOR)
    builders.join(assessment, undeclared, Part.SECOND_ASSESSOR, by=cast.coordinator, declare=False)
    no_role = User.objects.create_user(username="synthetic-no-role")
    return {
        "assessor": cast.assessor,
        "verifier": cast.verifier,
        "panel": cast.panel,
        "manager": cast.manager,
        "coordinator": cast.coordinator,
        "undeclared": undeclared,
        "worker": cast.staff.perpetrator_worker,
        "elsewhere": other_manager(),
        "no_role": no_role,
    }


def routes(assessment: Assessment) -> dict[str, tuple[str, str]]:
    """Every report and export route, with its method."""
    pk = assessment.pk
    assessor_report = ReportKind.ASSESSOR_REPORT.value
    requirements = ReportKind.REQUIREMENTS.value
    return {
        "list": ("get", reverse("assurance:reports", args=[pk])),
        "generate assessor report": (
            "post",
            reverse("assurance:report_generate", args=[pk, assessor_report]),
        ),
        "generate requirements": (
            "post",
            reverse("assurance:report_generate", args=[pk, requirements]),
        ),
        "assessor report": (
            "get",
            reverse("assurance:report_detail", args=[pk, assessor_report, 1]),
        ),
        "assessor report pdf": (
            "get",
            reverse("assurance:report_pdf", args=[pk, assessor_report, 1]),
        ),
        "requirements report": (
            "get",
            reverse("assurance:report_detail", args=[pk, requirements, 1]),
        ),
        "requirements pdf": ("get", reverse("assurance:report_pdf", args=[pk, requirements, 1])),
        "evidence pack": ("get", reverse("assurance:evidence_pack", args=[pk])),
        "csv": ("get", reverse("assurance:requirements_csv", args=[pk])),
        "xlsx": ("get", reverse("assurance:requirements_xlsx", args=[pk])),
    }


EVERY_ROUTE = [
    "list",
    "generate assessor report",
    "generate requirements",
    "assessor report",
    "assessor report pdf",
    "requirements report",
    "requirements pdf",
    "evidence pack",
    "csv",
    "xlsx",
]
FINDINGS = [route for route in EVERY_ROUTE if route not in ("list", "evidence pack")]

# Before the findings are released: who is refused what, and how. Anyone not named for a route
# gets it (200, or a redirect to the report generated).
REFUSED_BEFORE_RELEASE: dict[str, dict[str, int]] = {
    # The service: its evidence, not the findings.
    "manager": dict.fromkeys(FINDINGS, 403),
    # Running the process is not reading the findings.
    "coordinator": dict.fromkeys(EVERY_ROUTE, 403),
    # An assessor who has not declared no conflict of interest does not see the assessment.
    "undeclared": dict.fromkeys(EVERY_ROUTE, 404),
    "elsewhere": dict.fromkeys(EVERY_ROUTE, 404),
    # No assurance role at all.
    "worker": dict.fromkeys(EVERY_ROUTE, 403),
    "no_role": dict.fromkeys(EVERY_ROUTE, 403),
}


def generated(assessment: Assessment, cast: Cast) -> None:
    for kind, definition in report_definitions.REPORTS.items():
        if definition.applies_to(assessment):
            assessment_report_generate(assessment=assessment, actor=cast.assessor, kind=kind)


def check(person: str, user: User, assessment: Assessment, refused: dict[str, int]) -> None:
    for route, (method, address) in routes(assessment).items():
        response = getattr(signed_in(user), method)(address)
        expected = refused.get(route)
        if expected:
            assert response.status_code == expected, (person, route, response.status_code)
        else:
            assert response.status_code in (200, 302), (person, route, response.status_code)


def test_it_gives_reports_and_exports_only_to_whom_they_belong_before_release(
    cast: Cast, at_panel: Assessment
) -> None:
    generated(at_panel, cast)
    for person, user in people(cast, at_panel).items():
        check(person, user, at_panel, REFUSED_BEFORE_RELEASE.get(person, {}))


def test_it_gives_the_service_its_findings_once_released(cast: Cast, at_panel: Assessment) -> None:
    generated(at_panel, cast)
    assessment = respect_panel.panel_decision_record(
        assessment=fresh(at_panel),
        actor=cast.panel,
        expected_version=fresh(at_panel).version,
        outcome=DecisionOutcome.ACCREDITED,
        reasons="Synthetic: every indicator met.",
    )
    check("manager", cast.manager, assessment, {})
    check("coordinator", cast.coordinator, assessment, dict.fromkeys(EVERY_ROUTE, 403))


def test_it_sends_an_anonymous_visitor_to_sign_in(cast: Cast, at_panel: Assessment) -> None:
    for route, (method, address) in routes(at_panel).items():
        response = getattr(Client(), method)(address)
        assert response.status_code == 302, route
        assert response["Location"].startswith(reverse("login")), route


def test_it_knows_no_report_of_a_kind_the_process_lacks(cast: Cast, at_panel: Assessment) -> None:
    client = signed_in(cast.assessor)
    assert (
        client.get(
            reverse("assurance:report_detail", args=[at_panel.pk, "certificate", 1])
        ).status_code
        == 404
    )
    address = reverse("assurance:report_detail", args=[at_panel.pk, "assessor_report", 9])
    assert client.get(address).status_code == 404


# The pages


def test_it_generates_from_the_list_and_shows_the_stored_version(
    cast: Cast, at_panel: Assessment
) -> None:
    client = signed_in(cast.assessor)
    page = client.get(reverse("assurance:reports", args=[at_panel.pk])).content.decode()
    assert "Generate the assessor&#x27;s report" in page
    assert "Evidence pack (ZIP)" in page

    response = client.post(
        reverse("assurance:report_generate", args=[at_panel.pk, "assessor_report"])
    )
    first = reverse("assurance:report_detail", args=[at_panel.pk, "assessor_report", 1])
    assert response["Location"] == first

    # A judgement changes after version 1 was generated (written straight to the database, as
    # the process no longer allows it at the panel): version 1 still shows what it showed.
    page = client.get(first).content.decode()
    assert "Synthetic basis: written evidence matches" in page
    assert "Version 1, generated" in page
    assert "Download the PDF" in page
    RequirementRecord.objects.filter(assessment=at_panel, requirement__code="A1.1").update(
        judgement=Judgement.NOT_MET, judgement_basis="Synthetic: changed after version 1."
    )
    assert "changed after version 1" not in client.get(first).content.decode()

    client.post(reverse("assurance:report_generate", args=[at_panel.pk, "assessor_report"]))
    page = client.get(first).content.decode()
    assert "A newer version, 2, exists" in page
    second = client.get(
        reverse("assurance:report_detail", args=[at_panel.pk, "assessor_report", 2])
    ).content.decode()
    assert "changed after version 1" in second

    pdf = client.get(reverse("assurance:report_pdf", args=[at_panel.pk, "assessor_report", 1]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="test-dapp-assessment-{at_panel.pk}-assessors-report-v1.pdf"'
    )
    assert pdf.content == PDF


def test_it_lists_only_what_the_service_may_have_before_release(
    cast: Cast, at_panel: Assessment
) -> None:
    page = signed_in(cast.manager).get(reverse("assurance:reports", args=[at_panel.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Evidence pack (ZIP)" in html
    assert "assessor&#x27;s report" not in html.lower()
    assert "Requirements table" not in html


def test_it_links_the_reports_from_the_assessment_page(cast: Cast, at_panel: Assessment) -> None:
    page = signed_in(cast.manager).get(reverse("assurance:assessment_detail", args=[at_panel.pk]))
    assert reverse("assurance:reports", args=[at_panel.pk]) in page.content.decode()
