"""The audit, checklist and self-evaluation pages in Chromium, checked with axe-core for WCAG 2.1
A and AA, including a review date refused on its field (rule welsh-checklist)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.access.roles import Role
from tandem.assurance.checklists.services import self_assessment as self_assessment_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.checklists.tests.builders import TODAY
from tandem.conftest import ServiceStaff
from tandem.standards.models import Framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-7"


def _with_password(user: User) -> str:
    user.set_password(PASSWORD)
    user.save()
    return user.get_username()


@pytest.mark.usefixtures("library")
def test_it_passes_axe_on_the_checklist_pages(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
) -> None:
    service = staffed_service.service
    manager = staffed_service.service_manager
    cast = build.audit_cast(staffed_service)
    audit = build.audit_visited(cast)
    commissioner = build.commissioner_of(service)
    welsh = build.welsh_started(service, commissioner, weeks=4)
    amber = build.record(welsh, "1.Q2")
    wm = build.wm_rated(service, manager, partly="1.4")
    self_assessment = self_assessment_services.self_assessment_start(
        service=service,
        framework=Framework.objects.get(slug="home-office-2022", is_current=True),
        actor=manager,
    )
    member = build.person("partnership-commissioner", Role.COMMISSIONER)
    partnership = build.partnership_with(service.organisation, member)

    def visit(path: str) -> None:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)

    def pages(name: str, *args: int) -> str:
        return reverse(f"assurance:checklists:{name}", args=list(args))

    sign_in(_with_password(commissioner), PASSWORD)
    for path in (
        pages("index"),
        pages("commissioning"),
        pages("welsh_new", service.pk),
        pages("welsh_detail", welsh.pk),
        pages("welsh_complete", welsh.pk),
    ):
        visit(path)
    visit(pages("welsh_rate", welsh.pk, amber.pk))
    page.get_by_label("Evidence").fill(build.EVIDENCE)
    page.get_by_label("Amber: partially meets the criteria").check()
    page.get_by_label("Improvement action").fill("Synthetic: publish the self-referral route")
    page.get_by_label("Owner of the action").select_option(str(manager.pk))
    page.get_by_label("Review date").fill((TODAY + timedelta(weeks=4, days=1)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "within the agreed timeframe of 4 weeks"
    )
    assert_accessible(page)

    for user, paths in (
        (
            cast.lead,
            [
                pages("audit_detail", audit.pk),
                pages("audit_judge", audit.pk, build.records(audit)[0].pk),
                pages("audit_report", audit.pk),
            ],
        ),
        (cast.coordinator, [pages("audit_new"), pages("audit_assessors", audit.pk)]),
        (
            manager,
            [
                pages("wm_detail", wm.pk),
                pages("wm_rate", wm.pk, build.record(wm, "1.4").pk),
                pages("wm_reviewer", wm.pk),
                pages("sa_new"),
                pages("sa_detail", self_assessment.pk),
                pages("sa_rate", self_assessment.pk, build.records(self_assessment)[0].pk),
            ],
        ),
        (member, [pages("partnerships"), pages("partnership_detail", partnership.pk)]),
    ):
        page.context.clear_cookies()
        sign_in(_with_password(user), PASSWORD)
        for path in paths:
            visit(path)
