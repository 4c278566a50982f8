"""The assurance pages in Chromium, checked with axe-core for WCAG 2.1 A and AA, including a
refused 251-word narrative on its form (rule respect-accreditation)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.assurance.models import Part
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import record_of
from tandem.conftest import ServiceStaff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-4"


def _with_password(user: User) -> str:
    user.set_password(PASSWORD)
    user.save()
    return user.get_username()


@pytest.mark.usefixtures("library")
def test_it_passes_axe_on_the_assurance_pages(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    cast = builders.cast_for(staffed_service)
    accredited = builders.accredited(cast)
    draft = builders.applied(cast, previous=accredited)
    awaiting = builders.join(
        draft, cast.verifier, Part.INTERNAL_VERIFIER, by=cast.coordinator, declare=False
    )
    record = record_of(accredited, "S-B5.6")
    draft_record = record_of(draft, "S-B3.3")

    def visit(path: str) -> None:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)

    visit(reverse("assurance:register"))
    expect(page.get_by_role("cell", name="Synthetic Test Services (not real)")).to_be_visible()

    sign_in(_with_password(cast.manager), PASSWORD)
    for path in (
        reverse("assurance:assessment_list"),
        reverse("assurance:apply"),
        reverse("assurance:assessment_detail", args=[accredited.pk]),
        reverse("assurance:record_detail", args=[accredited.pk, record.pk]),
        reverse("assurance:report", args=[accredited.pk]),
        reverse("assurance:assessment_detail", args=[draft.pk]),
        reverse("assurance:document_upload", args=[draft.pk]),
        reverse("assurance:record_cite", args=[draft.pk, draft_record.pk]),
    ):
        visit(path)
    visit(reverse("assurance:record_narrative", args=[draft.pk, draft_record.pk]))
    page.get_by_label("How the service meets this requirement").fill(" ".join(["word"] * 251))
    page.get_by_role("button", name="Save the narrative").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The narrative for B3.3 has 251 words; the limit is 250"
    )
    assert_accessible(page)

    for user, paths in (
        (
            cast.assessor,
            [
                reverse("assurance:record_method", args=[accredited.pk, record.pk]),
                reverse("assurance:record_judge", args=[accredited.pk, record.pk]),
                reverse("assurance:report_submit", args=[accredited.pk]),
            ],
        ),
        (
            cast.verifier,
            [
                reverse("assurance:assessment_list"),
                reverse("assurance:declare", args=[awaiting.pk]),
                reverse("assurance:verify", args=[accredited.pk]),
            ],
        ),
        (cast.panel, [reverse("assurance:decide", args=[accredited.pk])]),
        (cast.coordinator, [reverse("assurance:participants", args=[draft.pk])]),
    ):
        page.context.clear_cookies()
        sign_in(_with_password(user), PASSWORD)
        for path in paths:
            visit(path)
