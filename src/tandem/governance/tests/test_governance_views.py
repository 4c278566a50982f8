"""Governance pages: who may open each (403 for the roles refused, 404 for another service's
manager), bad input shown on the form naming the field and rule, and query counts that do not
grow with the rows shown."""

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.conftest import ServiceStaff
from tandem.governance.models import Complaint, PerformanceReport, Policy
from tandem.governance.services.agreements import agreement_record, named_role_assign
from tandem.governance.services.policies import policy_record
from tandem.governance.tests.builders import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("governance_uploads")]

MANAGEMENT_PAGES = [
    "calendar",
    "policy_new",
    "model_of_work",
    "model_of_work_new",
    "reports",
    "report_new",
    "meeting_new",
    "agreements",
    "agreement_new",
    "named_roles",
    "named_role_new",
    "on_call_new",
    "feedback",
    "feedback_new",
    "edi_reviews",
    "edi_review_new",
]
COMPLAINT_PAGES = ["complaints", "complaint_new"]
REFUSED_ROLES = [Role.ASSESSOR, Role.COMMISSIONER, Role.PERPETRATOR_WORKER, Role.ISS_WORKER]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, staff: ServiceStaff) -> str:
    return reverse(f"governance:{name}", args=[staff.service.pk])


@pytest.mark.parametrize("name", MANAGEMENT_PAGES + COMPLAINT_PAGES + ["policies"])
def test_it_opens_each_governance_page_for_the_service_manager(
    staffed_service: ServiceStaff, name: str
) -> None:
    assert (
        signed_in(staffed_service.service_manager).get(url(name, staffed_service)).status_code
        == 200
    )


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_it_refuses_management_pages_to_other_roles_403(
    staffed_service: ServiceStaff, client_as: Callable[[Role], Client], role: Role
) -> None:
    client = client_as(role)
    pages = MANAGEMENT_PAGES + COMPLAINT_PAGES

    statuses = {name: client.get(url(name, staffed_service)).status_code for name in pages}

    assert statuses == dict.fromkeys(pages, 403)


@pytest.mark.parametrize("name", MANAGEMENT_PAGES + COMPLAINT_PAGES)
def test_it_refuses_management_pages_to_the_services_own_workers_and_no_role_403(
    staffed_service: ServiceStaff, user_without_role: User, name: str
) -> None:
    assert (
        signed_in(staffed_service.perpetrator_worker).get(url(name, staffed_service)).status_code
        == 403
    )
    assert signed_in(staffed_service.iss_worker).get(url(name, staffed_service)).status_code == 403
    assert signed_in(user_without_role).get(url(name, staffed_service)).status_code == 403


@pytest.mark.parametrize("name", MANAGEMENT_PAGES + COMPLAINT_PAGES + ["policies"])
def test_it_hides_this_services_governance_from_another_services_manager_404(
    staffed_service: ServiceStaff, other_manager: User, name: str
) -> None:
    assert signed_in(other_manager).get(url(name, staffed_service)).status_code == 404


@pytest.mark.parametrize("name", COMPLAINT_PAGES)
def test_it_keeps_complaints_from_a_senior_practice_manager_403(
    staffed_service: ServiceStaff, practice_manager: User, name: str
) -> None:
    assert signed_in(practice_manager).get(url(name, staffed_service)).status_code == 403
    assert signed_in(practice_manager).get(url("calendar", staffed_service)).status_code == 200


def test_it_lets_staff_read_the_policy_register_and_refuses_others(
    staffed_service: ServiceStaff, client_as: Callable[[Role], Client], user_without_role: User
) -> None:
    page = url("policies", staffed_service)
    assert signed_in(staffed_service.perpetrator_worker).get(page).status_code == 200
    assert signed_in(staffed_service.iss_worker).get(page).status_code == 200
    assert signed_in(staffed_service.other_service_worker).get(page).status_code == 404
    for role in (Role.ASSESSOR, Role.COMMISSIONER):
        assert client_as(role).get(page).status_code == 403
    assert signed_in(user_without_role).get(page).status_code == 403


def _policy(staff: ServiceStaff, code: str) -> Policy:
    return policy_record(
        service=staff.service,
        required_policy=code,
        title=f"Synthetic policy {code}",
        version_label="v1",
        owner=staff.service_manager,
        approved_on=date(2025, 1, 1),
        next_review_on=date(2027, 1, 1),
        document=pdf(extra=code),
        actor=staff.service_manager,
    )


def test_it_shows_missing_policies_and_lets_a_worker_acknowledge_and_download(
    staffed_service: ServiceStaff,
) -> None:
    policy = _policy(staffed_service, "a")
    worker = signed_in(staffed_service.perpetrator_worker)
    page = worker.get(url("policies", staffed_service)).content.decode()
    assert page.count("Missing") == 10
    acknowledge = reverse(
        "governance:policy_acknowledge", args=[staffed_service.service.pk, policy.pk]
    )
    assert worker.post(acknowledge).status_code == 302
    assert "Acknowledged" in worker.get(url("policies", staffed_service)).content.decode()
    download = worker.get(
        reverse("governance:policy_document", args=[staffed_service.service.pk, policy.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    detail = reverse("governance:policy", args=[staffed_service.service.pk, policy.pk])
    assert worker.get(detail).status_code == 403
    detail_page = signed_in(staffed_service.service_manager).get(detail).content.decode()
    acknowledged, waiting = detail_page.split("Not yet acknowledged by")
    assert "Test Perpetrator worker" in acknowledged
    assert "Test ISS worker" in waiting


def test_it_keeps_the_register_page_to_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: Callable[[int], object]
) -> None:
    client = signed_in(staffed_service.perpetrator_worker)
    _policy(staffed_service, "a")
    with django_assert_max_num_queries(14):  # type: ignore[attr-defined]
        client.get(url("policies", staffed_service))
    for code in "bcdefgh":
        _policy(staffed_service, code)
    with django_assert_max_num_queries(14):  # type: ignore[attr-defined]
        assert client.get(url("policies", staffed_service)).status_code == 200


def test_it_keeps_the_calendar_to_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: Callable[[int], object]
) -> None:
    client = signed_in(staffed_service.service_manager)
    for code in "abcdefgh":
        _policy(staffed_service, code)
    with django_assert_max_num_queries(18):  # type: ignore[attr-defined]
        page = client.get(url("calendar", staffed_service)).content.decode()
    assert "Required policy missing" in page
    assert "Overdue" not in page.split("Due items")[0]


def test_it_shows_a_review_too_late_on_the_form_naming_the_field_and_rule(
    staffed_service: ServiceStaff,
) -> None:
    client = signed_in(staffed_service.service_manager)
    response = client.post(
        url("policy_new", staffed_service),
        {
            "required_policy": "f",
            "title": "Synthetic complaints policy",
            "version_label": "v2",
            "owner": staffed_service.service_manager.pk,
            "approved_on": "2025-01-01",
            "next_review_on": "2028-01-02",
            "document": pdf(),
        },
    )
    assert response.status_code == 200
    assert "rule policies" in response.content.decode()
    assert not Policy.objects.exists()


def test_it_records_a_complaint_through_the_form_with_its_response_due(
    staffed_service: ServiceStaff,
) -> None:
    client = signed_in(staffed_service.service_manager)
    response = client.post(
        url("complaint_new", staffed_service),
        {
            "received_on": "2026-10-01",
            "complainant": "Synthetic service user",
            "summary": "Synthetic",
            "involves_survivor": "no",
            "response_working_days": "",
        },
    )
    assert response.status_code == 302
    assert Complaint.objects.get().response_due_on == date(2026, 10, 29)
    assert "Overdue" in client.get(url("complaints", staffed_service)).content.decode()


def test_it_shows_bad_input_on_the_form_without_a_500(staffed_service: ServiceStaff) -> None:
    client = signed_in(staffed_service.service_manager)
    response = client.post(
        url("agreement_new", staffed_service),
        {"kind": "nonsense", "signed_on": "not a date"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose the kind of agreement" in body
    assert "Enter the date it was signed as a real date" in body


def test_it_lists_a_workers_services_on_the_governance_home_and_refuses_others(
    staffed_service: ServiceStaff, client_as: Callable[[Role], Client], user_without_role: User
) -> None:
    home = reverse("governance:home")
    page = signed_in(staffed_service.perpetrator_worker).get(home).content.decode()
    assert "Test DAPP" in page
    assert "Governance calendar" not in page
    assert (
        "Governance calendar"
        in signed_in(staffed_service.service_manager).get(home).content.decode()
    )
    for role in (Role.ASSESSOR, Role.COMMISSIONER):
        assert client_as(role).get(home).status_code == 403
    assert signed_in(user_without_role).get(home).status_code == 403


def test_it_guards_the_agreement_review_and_role_end_pages(
    staffed_service: ServiceStaff, other_manager: User
) -> None:
    agreement = agreement_record(
        service=staffed_service.service,
        kind="service_level",
        title="Synthetic SLA",
        parties="Synthetic A",
        signed_on=date(2025, 1, 1),
        review_on=date(2026, 1, 1),
        actor=staffed_service.service_manager,
    )
    role = named_role_assign(
        service=staffed_service.service,
        kind="safeguarding_lead",
        user=staffed_service.iss_worker,
        from_date=date(2025, 1, 1),
        to_date=None,
        actor=staffed_service.service_manager,
    )
    pages = [
        reverse(
            "governance:agreement_review",
            args=[staffed_service.service.pk, agreement.pk],
        ),
        reverse("governance:named_role_end", args=[staffed_service.service.pk, role.pk]),
    ]
    for page in pages:
        assert signed_in(staffed_service.service_manager).get(page).status_code == 200
        assert signed_in(staffed_service.perpetrator_worker).get(page).status_code == 403
        assert signed_in(other_manager).get(page).status_code == 404
    response = signed_in(staffed_service.service_manager).post(
        pages[0],
        {"expected_version": 1, "reviewed_on": "2026-01-05", "next_review_on": "2027-01-05"},
    )
    assert response.status_code == 302


def test_it_drafts_edits_and_presents_a_report_through_the_pages_rule_governance_report(
    staffed_service: ServiceStaff,
) -> None:
    client = signed_in(staffed_service.service_manager)
    response = client.post(
        url("report_new", staffed_service),
        {"period_start": "2026-08-01", "period_end": "2026-10-31"},
    )
    report = PerformanceReport.objects.get()
    edit = reverse("governance:report", args=[staffed_service.service.pk, report.pk])
    assert response.status_code == 302
    assert response["Location"] == edit
    assert "Referrals received: 0" in client.get(edit).content.decode()
    client.post(edit, {"expected_version": 1, "text": "Synthetic edited report"})
    stale = client.post(edit, {"expected_version": 1, "text": "Synthetic lost edit"})
    assert "changed by someone else" in stale.content.decode()
    present = reverse("governance:report_present", args=[staffed_service.service.pk, report.pk])
    assert (
        client.post(present, {"expected_version": 2, "presented_on": "2026-11-02"}).status_code
        == 302
    )
    report.refresh_from_db()
    assert (report.text, report.status) == ("Synthetic edited report", "presented")
    assert "Presented on 2 Nov 2026" in client.get(edit).content.decode()
