"""The certificate of a Respect accreditation (rule respect-accreditation: accredited for the
interventions in scope, for 3 years from the panel's decision), who gets it, its PDF rendered as
a reader sees it, and the links from the assessment page to it and to the site-visit plan."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.assurance.models import Assessment, DecisionOutcome, State
from tandem.assurance.reports.tests import builders as report_builders
from tandem.assurance.respect.deadlines import accreditation_expires_on
from tandem.assurance.respect.selectors import intervention_label
from tandem.assurance.respect.services import panel as respect_panel
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, other_manager
from tandem.assurance.tests.builders import fresh, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]

DECIDED = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


@pytest.fixture
def accredited(cast: Cast) -> Assessment:
    return builders.accredited(cast, now=DECIDED)


def _urls(assessment: Assessment) -> list[str]:
    return [
        reverse("assurance:certificate", args=[assessment.pk]),
        reverse("assurance:certificate_pdf", args=[assessment.pk]),
    ]


def test_it_shows_the_service_its_certificate_with_scope_decision_and_expiry(
    cast: Cast, accredited: Assessment
) -> None:
    assert accredited.expires_on == accreditation_expires_on(date(2026, 3, 10))
    response = signed_in(cast.manager).get(reverse("assurance:certificate", args=[accredited.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Certificate of accreditation" in page
    assert "Test DAPP" in page
    assert "Synthetic Test Services (not real)" in page
    assert intervention_label("behaviour_change") in page
    assert accredited.framework.edition in page
    assert "10 March 2026" in page
    # The expiry date is the first day not accredited; the day before is the last one.
    assert "10 March 2029" in page
    assert "9 March 2029" in page
    assert "Current" in page


@pytest.mark.parametrize("who", ["assessor", "panel"])
def test_it_shows_the_certificate_to_the_assessor_and_panel_member(
    cast: Cast, accredited: Assessment, who: str
) -> None:
    client = signed_in(getattr(cast, who))
    assert [client.get(url).status_code for url in _urls(accredited)] == [200, 200]


def test_it_refuses_the_certificate_to_everyone_else(
    cast: Cast, accredited: Assessment, client: Client
) -> None:
    """The verifier and a lead assessor running the process open the assessment but not its
    certificate (403); a service's worker has no assurance role (403); another service's
    manager and an assessor not allocated to it cannot open the assessment (404);
    no one signed in is sent to sign in."""
    outsider = builders.person("outside-assessor", Role.ASSESSOR)
    expected = {
        cast.verifier: 403,
        cast.coordinator: 403,
        cast.staff.perpetrator_worker: 403,
        other_manager(): 404,
        outsider: 404,
    }
    for user, status in expected.items():
        got = [signed_in(user).get(url).status_code for url in _urls(accredited)]
        assert got == [status, status], user.get_username()
    for url in _urls(accredited):
        response = client.get(url)
        assert response.status_code == 302
        assert "/sign-in/" in response["Location"]


def test_it_has_no_certificate_before_or_without_accreditation(cast: Cast) -> None:
    assessment = builders.at_panel(cast, not_met="S-B5.6")
    manager = signed_in(cast.manager)
    assert [manager.get(url).status_code for url in _urls(assessment)] == [404, 404]
    decided = respect_panel.panel_decision_record(
        assessment=assessment,
        actor=cast.panel,
        expected_version=assessment.version,
        outcome=DecisionOutcome.NOT_ACCREDITED,
        reasons="Synthetic: S-B5.6 not met.",
    )
    assert decided.state == State.NOT_ACCREDITED
    assert [manager.get(url).status_code for url in _urls(decided)] == [404, 404]
    page = manager.get(reverse("assurance:assessment_detail", args=[decided.pk])).content
    assert reverse("assurance:certificate", args=[decided.pk]).encode() not in page


def test_it_shows_an_expired_certificate_as_expired(cast: Cast, accredited: Assessment) -> None:
    respect_panel.accreditations_expire(today=date(2029, 3, 10))
    assert fresh(accredited).state == State.EXPIRED
    page = signed_in(cast.manager).get(reverse("assurance:certificate", args=[accredited.pk]))
    assert "Expired" in page.content.decode()


def test_it_renders_the_certificate_pdf(cast: Cast, accredited: Assessment, tmp_path: Path) -> None:
    report_builders.require_poppler()
    response = signed_in(cast.manager).get(
        reverse("assurance:certificate_pdf", args=[accredited.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    pages = report_builders.pdf_pages_as_png(pdf, tmp_path)
    texts = report_builders.pdf_text_by_page(pdf, tmp_path)
    assert len(pages) == len(texts) == 1
    assert report_builders.has_body_ink(pages[0])
    text = " ".join(texts[0].split())
    assert "Certificate of Respect accreditation: Test DAPP" in text
    assert "Certificate of accreditation" in text
    assert "Synthetic Test Services (not real)" in text
    assert "10 March 2026" in text
    assert "10 March 2029" in text
    assert f"version {fresh(accredited).version}" in text
    assert "Page 1 of 1" in text


def _links(user: User, assessment: Assessment) -> tuple[bool, bool]:
    page = signed_in(user).get(reverse("assurance:assessment_detail", args=[assessment.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    return (
        reverse("assurance:certificate", args=[assessment.pk]) in content,
        reverse("assurance:site_visit_plan", args=[assessment.pk]) in content,
    )


def test_it_links_the_certificate_only_for_those_who_may_have_it(
    cast: Cast, accredited: Assessment
) -> None:
    assert _links(cast.manager, accredited)[0]
    assert _links(cast.panel, accredited)[0]
    assert not _links(cast.verifier, accredited)[0]
    assert not _links(cast.coordinator, accredited)[0]


def test_it_links_no_site_visit_plan_before_the_desktop_assessment(cast: Cast) -> None:
    assert _links(cast.manager, builders.applied(cast)) == (False, False)


def test_it_links_the_site_visit_plan_only_for_those_who_may_see_it(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast)
    assert _links(cast.assessor, assessment)[1]
    assert _links(cast.manager, assessment)[1]
    assert not _links(cast.verifier, assessment)[1]
    assert not _links(cast.coordinator, assessment)[1]
