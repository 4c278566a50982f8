"""Every page a person can open, checked in Chromium with axe-core for WCAG 2.1 A and AA.

A service manager on both sides of the service (a senior manager) can open every case, ISS and
work-list page, so one sign-in reaches them all; the data is made through the services.
"""

from collections.abc import Callable
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tandem.cases.models import PerpetratorCase
from tandem.cases.services.children import child_add
from tandem.cases.services.intake import ChildDetails
from tandem.cases.services.lifecycle import perpetrator_case_start_intervention
from tandem.cases.services.reports import ReportSections, external_report_draft
from tandem.cases.services.suspension import suspension_propose
from tandem.cases.tests.builders import FRIDAY, assessed, consented, iss_case_of, received, screened
from tandem.conftest import ServiceStaff
from tandem.organisations.models import StaffMembership
from tandem.support.services.contact import iss_contact_unsafe_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "synthetic-test-password-2"


def in_intervention(staff: ServiceStaff) -> PerpetratorCase:
    case = consented(staff, assessed(staff))
    iss_contact_unsafe_record(
        iss_case=iss_case_of(case), actor=staff.iss_worker, expected_version=1, reason="Synthetic"
    )
    return perpetrator_case_start_intervention(
        case=case, actor=staff.perpetrator_worker, expected_version=case.version, now=FRIDAY
    )


def test_it_passes_axe_on_every_page(
    live_server: LiveServer,
    page: Page,
    sign_in: Callable[[str, str], Page],
    staffed_service: ServiceStaff,
    assert_accessible: Callable[[Page], None],
    csp_violations: list[str],
) -> None:
    staff = staffed_service
    referred = received(staff)
    screened_case = screened(staff)
    attending = in_intervention(staff)
    child = child_add(
        case=attending,
        actor=staff.perpetrator_worker,
        child=ChildDetails("Kit", "son", last_name="Example", date_of_birth=date(2015, 5, 1)),
    )
    report = external_report_draft(
        case=attending,
        actor=staff.perpetrator_worker,
        sections=ReportSections(
            recipient="childrens_social_care",
            recipient_name="Synthetic Children's Services",
            intervention_and_attendance="Synthetic",
            further_abuse="Synthetic",
            concerns_with_evidence="Synthetic",
            limitations="Synthetic",
        ),
    )
    attending.refresh_from_db()
    proposed = in_intervention(staff)
    suspension_propose(
        case=proposed,
        actor=staff.perpetrator_worker,
        expected_version=proposed.version,
        kind="suspension",
        reason="Synthetic: charged with an offence",
    )
    iss_case = iss_case_of(attending)
    service_id = staff.service.pk
    membership_id = StaffMembership.objects.get(user=staff.iss_worker).pk
    staff.service_manager.set_password(PASSWORD)
    staff.service_manager.save()
    sign_in(staff.service_manager.username, PASSWORD)

    urls = [
        reverse("home"),
        reverse("work:my_work"),
        reverse("cases:case_list"),
        reverse("cases:referral_new"),
        reverse("cases:case_detail", args=[attending.reference]),
        reverse("cases:case_screen", args=[referred.reference]),
        reverse("cases:case_assess", args=[screened_case.reference]),
        reverse("cases:case_consent", args=[screened_case.reference]),
        reverse("cases:case_close", args=[attending.reference]),
        reverse("cases:case_suspension_propose", args=[attending.reference]),
        reverse("cases:case_suspension_sign_off", args=[proposed.reference]),
        reverse("cases:case_note_new", args=[attending.reference]),
        reverse("cases:case_risk_concern_new", args=[attending.reference]),
        reverse("cases:case_risk_assessment_new", args=[attending.reference]),
        reverse("cases:case_child_new", args=[attending.reference]),
        reverse("cases:case_child_edit", args=[attending.reference, child.pk]),
        reverse("cases:case_children_reexamine", args=[attending.reference]),
        reverse("cases:case_allocate", args=[attending.reference]),
        reverse("cases:case_report_new", args=[attending.reference]),
        reverse("cases:case_report_detail", args=[attending.reference, report.pk]),
        reverse("cases:service_reviews", args=[service_id]),
        reverse("cases:case_review_new", args=[service_id]),
        reverse("cases:file_audit_new", args=[service_id]),
        reverse("cases:exchange_new", args=[service_id]),
        reverse("support:iss_case_list"),
        reverse("support:iss_case_detail", args=[iss_case.pk]),
        reverse("support:dash_assessment_record", args=[iss_case.pk]),
        reverse("support:risk_notes_awaiting_approval"),
        reverse("organisations:service_list"),
        reverse("organisations:service_detail", args=[service_id]),
        reverse("organisations:service_edit", args=[service_id]),
        reverse("organisations:membership_new", args=[service_id]),
        reverse("organisations:membership_end", args=[service_id, membership_id]),
    ]
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None
        assert response.status == 200, url
        assert_accessible(page)
        assert csp_violations == [], url

    # A form showing its errors, as a person who submits it empty sees it.
    page.goto(f"{live_server.url}{reverse('cases:case_note_new', args=[attending.reference])}")
    page.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    # The service settings form with a refusal from the service on its checkboxes.
    page.goto(f"{live_server.url}{reverse('organisations:service_edit', args=[service_id])}")
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
