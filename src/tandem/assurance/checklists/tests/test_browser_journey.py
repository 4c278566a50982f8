"""A Welsh commissioning checklist and a 2008 (DCSF) safeguarding audit in Chromium (issue 4,
"Done means"; rules welsh-checklist and respect-audit-2008), each page checked with axe-core for
WCAG 2.1 A and AA.

The commissioner starts a checklist for a service they commission, rates one question Red and
one Amber (with its improvement action, owner and review date) and completes it, all through
the browser; the page then shows the outcome, the reassessment task with its date and the
improvement action with its review date. To keep it fast, the other questions are rated Green
through the services first, as the commissioner would repeat the same form. Then a lead
assessor opens an audit of a provider answering that it runs no ISS, and the audit's page
shows it failed automatically, with that reason.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.assurance import labels
from tandem.assurance.checklists import gates as checklist_gates
from tandem.assurance.checklists.services import welsh as welsh_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.checklists.tests.builders import EVIDENCE, TODAY
from tandem.assurance.models import Assessment, Process, RagRating, RequirementRecord, State
from tandem.conftest import ServiceStaff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-9c"
ACTION = "Synthetic: publish the self-referral route on the website"


def _with_password(user: User) -> str:
    user.set_password(PASSWORD)
    user.save()
    return user.get_username()


def _day(value: date) -> str:
    """A date as the pages show it ("j M Y")."""
    return f"{value.day} {value:%b %Y}"


def _rate_link(record: RequirementRecord) -> re.Pattern[str]:
    """The question's link on the checklist page (its hidden ": rate it" may come after a
    space in the accessible name)."""
    return re.compile(rf"^{re.escape(record.requirement.text)}\s*: rate it$")


@pytest.mark.usefixtures("library")
def test_it_runs_a_welsh_checklist_with_a_red_and_an_amber_and_fails_an_audit_without_an_iss(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    service = staffed_service.service
    manager = staffed_service.service_manager
    commissioner = build.commissioner_of(service)

    def shown(path: str = "") -> None:
        if path:
            page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)

    # The commissioner starts the checklist.
    sign_in(_with_password(commissioner), PASSWORD)
    shown(reverse("assurance:checklists:commissioning"))
    page.get_by_role("link", name=f"Start a checklist of {service.name}").click()
    shown()
    page.get_by_label("No specialist accreditation").check()
    page.get_by_label("Agreed timeframe for reviewing Amber items, in weeks").fill("12")
    page.get_by_role("button", name="Start the checklist").click()
    expect(page.get_by_text("Checklist started")).to_be_visible()
    checklist = Assessment.objects.get(service=service, process=Process.WELSH_COMMISSIONING)
    questions = build.records(checklist)
    red, amber = questions[0], questions[1]
    for question in questions[2:]:
        welsh_services.welsh_question_rate(
            record=question,
            actor=commissioner,
            expected_version=question.version,
            rating=RagRating.GREEN,
            evidence=EVIDENCE,
        )

    # The Red question, then the Amber one with its improvement action.
    page.reload()
    shown()
    page.get_by_role("link", name=_rate_link(red)).click()
    shown()
    page.get_by_label("Evidence").fill("Synthetic: no written risk management policy was seen.")
    page.get_by_label("Red: does not meet the criteria").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{labels.requirement_label(red.requirement)} rated")).to_be_visible()

    review_on = TODAY + timedelta(weeks=4)
    page.get_by_role("link", name=_rate_link(amber)).click()
    shown()
    page.get_by_label("Evidence").fill(EVIDENCE)
    page.get_by_label("Amber: partially meets the criteria").check()
    page.get_by_label("Improvement action").fill(ACTION)
    page.get_by_label("Owner of the action").select_option(str(manager.pk))
    page.get_by_label("Review date").fill(review_on.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{labels.requirement_label(amber.requirement)} rated")).to_be_visible()

    # Completing it: the Red item means a reassessment, due by the date given.
    reassess_by = TODAY + timedelta(weeks=8)
    page.get_by_role("button", name="Complete the checklist").click()
    shown()
    page.get_by_label("Reassess by").fill(reassess_by.isoformat())
    page.get_by_role("button", name="Complete the checklist").click()
    expect(page.get_by_text("Checklist completed")).to_be_visible()
    expect(page.locator(".govuk-tag").first).to_have_text(State.DOES_NOT_MEET.label)
    reassessment = page.locator(".govuk-summary-list__row", has_text="Reassessment due")
    expect(reassessment).to_contain_text(_day(reassess_by))
    expect(reassessment).to_contain_text(f"Reassess {service.name} against the Welsh standards")
    amber_row = page.get_by_role("row").filter(has_text=amber.requirement.text)
    expect(amber_row).to_contain_text(f"Improvement action: {ACTION}")
    expect(amber_row).to_contain_text(f"review by {_day(review_on)}")
    expect(amber_row).to_contain_text("Amber")
    expect(page.get_by_role("row").filter(has_text=red.requirement.text)).to_contain_text("Red")
    assert_accessible(page)

    # A lead assessor opens an audit of a provider that runs no ISS: it fails there and then.
    coordinator = build.audit_cast(staffed_service).coordinator
    page.context.clear_cookies()
    sign_in(_with_password(coordinator), PASSWORD)
    shown(reverse("assurance:checklists:audit_new"))
    page.get_by_label("Which service is audited?").select_option(str(service.pk))
    page.get_by_label("No: it fails the audit automatically").check()
    page.get_by_role("button", name="Open the audit").click()
    expect(page.get_by_text("Audit opened")).to_be_visible()
    expect(page.locator("h1")).to_have_text(
        f"Risk management and safeguarding audit: {service.name}"
    )
    expect(page.locator(".govuk-tag").first).to_have_text(State.FAILED.label)
    reason = checklist_gates.iss_automatic_fail(service=service, runs_iss=False)
    assert reason is not None
    expect(page.locator(".govuk-inset-text")).to_have_text(reason)
    assert_accessible(page)
