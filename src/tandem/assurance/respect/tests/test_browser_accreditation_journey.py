"""A full Respect accreditation in Chromium (issue 4, "Done means"; rule respect-accreditation),
each new page checked with axe-core for WCAG 2.1 A and AA.

A demo-like service (perpetrator work with an internal ISS, live cases whose consent covers
case-file review) applies for intensive case management, the smallest scope. Through the
browser: the application, a 251-word narrative refused with its count (then 250 words saved),
the submission, starting the desktop assessment and one desktop judgement, drawing the
site-visit sample and starting the visit, submitting the report, its verification by another
user, the referral and the panel's decision, and the certificate with its expiry date and its
PDF. To keep it fast, the repetitive steps go through the services, as a person would repeat
the same form: the other indicators' narratives, the allocation and declarations of the
assessor, verifier and panel member, the other written-submission findings and every finding
and judgement of the site visit.
"""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.assurance.models import Assessment, RequirementRecord, State
from tandem.assurance.respect.deadlines import accreditation_expires_on
from tandem.assurance.respect.gates import needs_narrative
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import NARRATIVE
from tandem.assurance.tests.builders import fresh
from tandem.conftest import ServiceStaff
from tandem.standards.models import AssessmentMethod, InterventionType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-4a"


def _with_password(user: User) -> str:
    user.set_password(PASSWORD)
    user.save()
    return user.get_username()


def _words(count: int) -> str:
    return " ".join(f"synthetic{number}" for number in range(count))


def _first_written(assessment: Assessment) -> RequirementRecord:
    records = assessment.records.select_related("assessment", "requirement").order_by("position")
    return next(record for record in records if needs_narrative(record.requirement))


@pytest.mark.usefixtures("library")
def test_it_runs_a_respect_accreditation_from_application_to_certificate(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    cast = builders.cast_for(staffed_service)
    service = staffed_service.service
    for intervention, concern in (("icm", None), ("icm", True), ("behaviour_change", False)):
        builders.live_case(service, cast.manager, intervention=intervention, concern=concern)
    for person in (cast.manager, cast.assessor, cast.verifier, cast.coordinator, cast.panel):
        _with_password(person)

    def as_user(user: User) -> None:
        page.context.clear_cookies()
        sign_in(user.get_username(), PASSWORD)
        expect(page).not_to_have_url(re.compile(r"/sign-in/"))

    def open_assessment(assessment: Assessment) -> None:
        page.goto(
            f"{live_server.url}{reverse('assurance:assessment_detail', args=[assessment.pk])}"
        )
        expect(page.locator("h1")).to_contain_text(service.name)

    def click(name: str) -> None:
        page.get_by_role("button", name=name, exact=True).click()

    def done(message: str | re.Pattern[str]) -> None:
        expect(page.get_by_role("alert")).to_contain_text(message)

    # The service manager applies.
    as_user(cast.manager)
    page.goto(f"{live_server.url}{reverse('assurance:assessment_list')}")
    page.get_by_role("button", name="Apply for Respect accreditation").click()
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(service.name).check()
    page.get_by_label(InterventionType.ICM.label).check()
    click("Start the application")
    expect(page.locator("h1")).to_contain_text(service.name)
    assert_accessible(page)
    assessment = Assessment.objects.get(service=service)
    assert assessment.scope == [InterventionType.ICM]

    # Every narrative but one is written through the services; that one in the browser.
    record = _first_written(assessment)
    RequirementRecord.objects.filter(assessment=assessment).exclude(pk=record.pk).update(
        narrative=NARRATIVE
    )
    ref = record.requirement.ref
    page.get_by_role("link", name=ref, exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Write the narrative")).click()
    page.get_by_label("How the service meets this requirement").fill(_words(251))
    click("Save the narrative")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        f"The narrative for {ref} has 251 words; the limit is 250"
    )
    assert_accessible(page)
    page.get_by_label("How the service meets this requirement").fill(_words(250))
    click("Save the narrative")
    done(f"Narrative for {ref} saved")
    open_assessment(assessment)
    click("Submit the evidence")
    done("Evidence submitted for the desktop assessment")
    assert fresh(assessment).state == State.SUBMITTED

    # A lead assessor allocates the assessor, verifier and panel member, who declare no
    # conflict of interest (services: the allocation pages are checked elsewhere).
    assessment = builders.allocated(cast, fresh(assessment))

    # The assessor: the desktop assessment, one finding in the browser.
    as_user(cast.assessor)
    open_assessment(assessment)
    click("Start the desktop assessment")
    done("Desktop assessment started")
    page.get_by_role("link", name=ref, exact=True).click()
    page.get_by_role("button", name="Record a finding by method").click()
    expect(page.locator("h1")).to_contain_text(ref)
    assert_accessible(page)
    page.get_by_label(AssessmentMethod.WRITTEN_SUBMISSION.label).check()
    page.get_by_label("Met", exact=True).check()
    page.get_by_label("Evidence seen and verified").fill("Synthetic: the policy matches practice.")
    click("Record the finding")
    done("Finding recorded")
    for other in fresh(assessment).records.select_related("assessment", "requirement"):
        methods = other.requirement.assessment_methods
        if other.pk != record.pk and AssessmentMethod.WRITTEN_SUBMISSION in methods:
            builders.judge_method(cast.assessor, other, AssessmentMethod.WRITTEN_SUBMISSION)

    # The site-visit plan, reached from the assessment page: the sample is drawn.
    open_assessment(assessment)
    page.get_by_role("link", name="Site-visit plan").click()
    expect(page.locator("h1")).to_have_text("Site-visit plan")
    assert_accessible(page)
    click("Draw the sample")
    done(re.compile(r"Case-file sample of \d+ drawn"))
    expect(page.get_by_role("table", name="Case files in the sample")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Back to the assessment")).click()
    click("Start the site visit")
    done("Site visit started")

    # Every finding of the visit and every indicator's judgement (services), then the report.
    builders.all_judged(cast, fresh(assessment))
    open_assessment(assessment)
    page.get_by_role("button", name="Submit the report").click()
    expect(page.locator("h1")).to_have_text("Submit the report for internal verification")
    assert_accessible(page)
    page.get_by_label("Accredit", exact=True).check()
    page.get_by_label("Summary").fill("Synthetic summary: every indicator met, seen and verified.")
    click("Submit the report")
    done("Report submitted for internal verification")

    # Verification by another user.
    as_user(cast.verifier)
    open_assessment(assessment)
    page.get_by_role("button", name="Verify the report").click()
    expect(page.locator("h1")).to_have_text("Internal verification")
    assert_accessible(page)
    page.get_by_label("Approved: ready for the panel").check()
    page.get_by_label("Verifier's notes").fill("Synthetic: the report rests on the evidence.")
    click("Record the verification")
    done("Verification recorded")

    # The lead assessor refers it to the panel, which decides.
    as_user(cast.coordinator)
    open_assessment(assessment)
    click("Refer to the panel")
    done("Referred to the accreditation panel")
    as_user(cast.panel)
    open_assessment(assessment)
    page.get_by_role("button", name="Record the panel's decision").click()
    expect(page.locator("h1")).to_have_text("The panel's decision")
    assert_accessible(page)
    page.get_by_label("Accredited", exact=True).check()
    page.get_by_label("Reasons").fill("Synthetic: every applicable indicator met.")
    click("Record the decision")
    done("Decision recorded: the report is released to the service")
    assert fresh(assessment).state == State.ACCREDITED

    # The certificate, with its expiry date 3 years from the decision, and its PDF.
    expires_on = accreditation_expires_on(timezone.localdate())
    page.get_by_role("link", name="View the certificate of accreditation").click()
    expect(page.locator("h1")).to_have_text("Certificate of accreditation")
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        f"{expires_on.day} {expires_on:%B %Y}"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text(InterventionType.ICM.label)
    assert_accessible(page)
    pdf_link = page.get_by_role("link", name="Download the certificate (PDF)")
    response = page.request.get(f"{live_server.url}{pdf_link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
