"""The pages of the perpetrator side's running records: who may open each (and who is refused),
what bad input shows, what each records, and what the case management review page costs in
queries."""

from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import (
    CaseReviewMeeting,
    Child,
    ContactNote,
    ExternalReport,
    FileAudit,
    PerpetratorCase,
    RiskAssessment,
)
from tandem.cases.services.children import child_add
from tandem.cases.services.intake import ChildDetails
from tandem.cases.services.records import risk_assessment_record
from tandem.cases.services.reports import external_report_draft
from tandem.cases.tests.builders import (
    in_intervention,
    non_senior_manager,
    practice_manager,
    received,
    report_sections,
)
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.organisations.models import StaffMembership

pytestmark = pytest.mark.django_db

# Session, user, second factor, roles, memberships, permission, the page's own reads, then (for a
# POST) the meeting's writes, its audit events (each with the chain head it moves) and their
# savepoints: whatever the number of open cases.
REVIEW_PAGE_QUERY_BUDGET = 30


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def error_summary(html: str) -> str:
    start = html.index('<div class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


@pytest.fixture
def staff(staffed_service: ServiceStaff) -> ServiceStaff:
    return staffed_service


@pytest.fixture
def case(staff: ServiceStaff) -> PerpetratorCase:
    return in_intervention(staff)


@pytest.fixture
def child(staff: ServiceStaff, case: PerpetratorCase) -> Child:
    return child_add(
        case=case,
        actor=staff.perpetrator_worker,
        child=ChildDetails("Kit", "son", "Synthetic", date(2019, 9, 9)),
    )


@pytest.fixture
def report(staff: ServiceStaff, case: PerpetratorCase) -> ExternalReport:
    return external_report_draft(
        case=case, actor=staff.perpetrator_worker, sections=report_sections()
    )


def case_pages(case: PerpetratorCase, child: Child, report: ExternalReport) -> dict[str, str]:
    """Every new page of one case that its perpetrator side opens."""
    ref = case.reference
    return {
        "note": reverse("cases:case_note_new", args=[ref]),
        "risk assessment": reverse("cases:case_risk_assessment_new", args=[ref]),
        "add child": reverse("cases:case_child_new", args=[ref]),
        "change child": reverse("cases:case_child_edit", args=[ref, child.pk]),
        "re-examine children": reverse("cases:case_children_reexamine", args=[ref]),
        "allocate": reverse("cases:case_allocate", args=[ref]),
        "draft report": reverse("cases:case_report_new", args=[ref]),
        "report": reverse("cases:case_report_detail", args=[ref, report.pk]),
    }


def sign_off_url(report: ExternalReport) -> str:
    return reverse("cases:case_report_sign_off", args=[report.case.reference, report.pk])


def release_url(report: ExternalReport) -> str:
    return reverse("cases:case_report_release", args=[report.case.reference, report.pk])


def service_pages(staff: ServiceStaff) -> dict[str, str]:
    service_id = staff.service.pk
    return {
        "reviews": reverse("cases:service_reviews", args=[service_id]),
        "new review": reverse("cases:case_review_new", args=[service_id]),
        "new file audit": reverse("cases:file_audit_new", args=[service_id]),
    }


def every_url(
    staff: ServiceStaff, case: PerpetratorCase, child: Child, report: ExternalReport
) -> list[str]:
    return [
        *case_pages(case, child, report).values(),
        sign_off_url(report),
        *service_pages(staff).values(),
    ]


# Who may open the pages


def test_it_sends_an_anonymous_visitor_to_sign_in_from_every_page(
    staff: ServiceStaff, case: PerpetratorCase, child: Child, report: ExternalReport
) -> None:
    for url in [*every_url(staff, case, child, report), release_url(report)]:
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            assert response.status_code == 302, url
            assert urlsplit(response["Location"]).path == reverse("login")


def test_it_admits_no_case_or_service_exists_to_someone_with_no_role(
    user_without_role: User,
    staff: ServiceStaff,
    case: PerpetratorCase,
    child: Child,
    report: ExternalReport,
) -> None:
    client = signed_in(user_without_role)

    for url in every_url(staff, case, child, report):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert client.post(release_url(report)).status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_it_admits_nothing_to_any_role_without_a_membership(
    client_as: Callable[[Role], Client],
    staff: ServiceStaff,
    case: PerpetratorCase,
    child: Child,
    report: ExternalReport,
    role: Role,
) -> None:
    client = client_as(role)

    for url in every_url(staff, case, child, report):
        assert client.get(url).status_code == 404, url
    assert client.post(release_url(report)).status_code == 404


def test_it_admits_nothing_to_a_worker_of_another_service(
    staff: ServiceStaff, case: PerpetratorCase, child: Child, report: ExternalReport
) -> None:
    client = signed_in(staff.other_service_worker)

    for url in every_url(staff, case, child, report):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert client.post(release_url(report)).status_code == 404


def test_it_refuses_every_page_to_the_iss_worker_who_can_see_the_case(
    staff: ServiceStaff, case: PerpetratorCase, child: Child, report: ExternalReport
) -> None:
    client = signed_in(staff.iss_worker)
    assert client.get(reverse("cases:case_detail", args=[case.reference])).status_code == 200

    for url in every_url(staff, case, child, report):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert client.post(release_url(report)).status_code == 403
    assert not ContactNote.objects.exists()
    assert ExternalReport.objects.get(pk=report.pk).signed_off_at is None


def test_it_opens_the_case_pages_to_the_perpetrator_worker_but_not_sign_off_or_reviews(
    staff: ServiceStaff, case: PerpetratorCase, child: Child, report: ExternalReport
) -> None:
    client = signed_in(staff.perpetrator_worker)

    for name, url in case_pages(case, child, report).items():
        assert client.get(url).status_code == 200, name
    assert client.get(sign_off_url(report)).status_code == 403
    assert client.post(sign_off_url(report)).status_code == 403
    for name, url in service_pages(staff).items():
        assert client.get(url).status_code == 403, name
        assert client.post(url).status_code == 403, name
    assert ExternalReport.objects.get(pk=report.pk).signed_off_at is None


def test_it_opens_every_page_to_the_senior_manager(
    staff: ServiceStaff, case: PerpetratorCase, child: Child, report: ExternalReport
) -> None:
    client = signed_in(staff.service_manager)

    for url in every_url(staff, case, child, report):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("manager", ["practice manager", "manager who is not senior"])
def test_it_opens_reviews_and_audits_to_a_perpetrator_side_manager_but_not_report_sign_off(
    staff: ServiceStaff, report: ExternalReport, manager: str
) -> None:
    user = practice_manager(staff) if manager == "practice manager" else non_senior_manager(staff)
    client = signed_in(user)

    for name, url in service_pages(staff).items():
        assert client.get(url).status_code == 200, name
    assert client.get(sign_off_url(report)).status_code == 403
    assert client.post(sign_off_url(report)).status_code == 403


def test_it_links_reviews_from_the_case_list_only_for_those_who_run_them(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    reviews = reverse("cases:service_reviews", args=[staff.service.pk])

    assert reviews in signed_in(staff.service_manager).get(reverse("cases:case_list")).text
    assert reviews not in signed_in(staff.perpetrator_worker).get(reverse("cases:case_list")).text
    assert reviews not in signed_in(staff.iss_worker).get(reverse("cases:case_list")).text


# Bad input


@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("note", "occurred_at"),
        ("risk assessment", "point"),
        ("add child", "first_name"),
        ("re-examine children", "trigger"),
        ("draft report", "limitations"),
    ],
)
def test_it_shows_the_error_summary_for_an_empty_form_and_saves_nothing(
    staff: ServiceStaff,
    case: PerpetratorCase,
    child: Child,
    report: ExternalReport,
    page: str,
    field: str,
) -> None:
    counts = (
        ContactNote.objects.count(),
        RiskAssessment.objects.count(),
        Child.objects.count(),
        DueTask.objects.count(),
        ExternalReport.objects.count(),
    )

    response = signed_in(staff.perpetrator_worker).post(case_pages(case, child, report)[page], {})

    assert response.status_code == 200
    assert f'href="#id_{field}' in error_summary(response.text)
    assert response.text.count("<title>Error: ") == 1
    assert counts == (
        ContactNote.objects.count(),
        RiskAssessment.objects.count(),
        Child.objects.count(),
        DueTask.objects.count(),
        ExternalReport.objects.count(),
    )


def test_it_shows_an_empty_allocation_or_child_change_without_saving(
    staff: ServiceStaff, case: PerpetratorCase, child: Child, report: ExternalReport
) -> None:
    client = signed_in(staff.service_manager)
    pages = case_pages(case, child, report)

    allocation = client.post(pages["allocate"], {"expected_version": case.version})
    change = client.post(
        pages["change child"], {"expected_version": case.version, "first_name": ""}
    )

    assert 'href="#id_worker_0"' in error_summary(allocation.text)
    assert 'href="#id_first_name"' in error_summary(change.text)
    assert PerpetratorCase.objects.get(pk=case.pk).allocated_worker is None
    assert Child.objects.get(pk=child.pk).first_name == "Kit"


def test_it_shows_the_error_summary_on_the_service_pages_and_saves_nothing(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    client = signed_in(staff.service_manager)
    pages = service_pages(staff)

    review = client.post(pages["new review"], {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1"})
    audit = client.post(pages["new file audit"], {})
    bad_date = client.get(pages["new review"] + "?held_on=2099-01-01")

    summary = error_summary(review.text)
    assert 'href="#id_chair_0"' in summary
    assert 'href="#id_attendees"' in summary
    assert f"Record the decisions about {case.reference}" in summary
    assert 'id="id_attendees"' in review.text, "the summary's link lands on the first checkbox"
    assert 'href="#id_sample"' in error_summary(audit.text)
    assert "cannot be in the future" in error_summary(bad_date.text)
    assert not CaseReviewMeeting.objects.exists()
    assert not FileAudit.objects.exists()


# Contact notes


def test_it_records_a_contact_and_flags_it_on_the_case_page_when_recorded_late(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    """Rule record-1wd: a contact a week ago is recorded late, and the notes list says so."""
    client = signed_in(staff.perpetrator_worker)
    week_ago = timezone.localtime() - timedelta(days=7)

    response = client.post(
        reverse("cases:case_note_new", args=[case.reference]),
        {
            "occurred_at": f"{week_ago:%Y-%m-%dT%H:%M}",
            "kind": "Session with him",
            "note": "Synthetic: session notes",
        },
    )

    assert response.status_code == 302
    assert ContactNote.objects.get().recorded_late is True
    page = client.get(reverse("cases:case_detail", args=[case.reference])).text
    assert "Synthetic: session notes" in page
    assert "Recorded late" in page


def test_it_refuses_a_contact_in_the_future_on_its_field(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    tomorrow = timezone.localtime() + timedelta(days=1)

    response = signed_in(staff.perpetrator_worker).post(
        reverse("cases:case_note_new", args=[case.reference]),
        {
            "occurred_at": f"{tomorrow:%Y-%m-%dT%H:%M}",
            "kind": "Session with him",
            "note": "Synthetic",
        },
    )

    assert 'href="#id_occurred_at"' in error_summary(response.text)
    assert not ContactNote.objects.exists()


# Risk assessments


def test_it_records_a_risk_assessment_with_its_actions_and_shows_the_plan_to_both_sides(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    client = signed_in(staff.perpetrator_worker)
    in_a_month = timezone.localdate() + timedelta(days=30)

    response = client.post(
        reverse("cases:case_risk_assessment_new", args=[case.reference]),
        {
            "point": "intake",
            "summary": "Synthetic: medium risk",
            "outcome_told_to_him": "yes",
            "action_1_action": "Synthetic: refer to substance use service",
            "action_1_due_on": f"{in_a_month:%Y-%m-%d}",
            "action_3_action": "Synthetic: check bail conditions",
            "next_assessment_due_on": f"{in_a_month + timedelta(days=60):%Y-%m-%d}",
        },
    )

    assert response.status_code == 302
    assert DueTask.objects.filter(rule_id="risk-points", perpetrator_case=case).count() == 1
    for viewer in (staff.perpetrator_worker, staff.iss_worker):
        page = signed_in(viewer).get(reverse("cases:case_detail", args=[case.reference])).text
        assert "Synthetic: medium risk" in page
        assert "Synthetic: refer to substance use service" in page
        assert "Synthetic: check bail conditions" in page


def test_it_shows_the_risk_points_refusal_on_its_field(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    response = signed_in(staff.perpetrator_worker).post(
        reverse("cases:case_risk_assessment_new", args=[case.reference]),
        {"point": "event", "summary": "Synthetic", "outcome_told_to_him": "yes"},
    )

    summary = error_summary(response.text)
    assert 'href="#id_event_description"' in summary
    assert "(rule risk-points)" in summary
    assert not RiskAssessment.objects.exists()


def test_it_shows_an_actions_past_due_date_on_its_row(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    response = signed_in(staff.perpetrator_worker).post(
        reverse("cases:case_risk_assessment_new", args=[case.reference]),
        {
            "point": "event",
            "event_description": "Synthetic: police call-out",
            "summary": "Synthetic",
            "outcome_told_to_him": "yes",
            "action_2_action": "Synthetic",
            "action_2_due_on": "2020-01-01",
        },
    )

    assert 'href="#id_action_2_due_on"' in error_summary(response.text)


# Children


def test_it_adds_a_child_and_shows_the_child_plan_refusal_on_its_field(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    client = signed_in(staff.perpetrator_worker)
    url = reverse("cases:case_child_new", args=[case.reference])
    child = {
        "first_name": "Robin",
        "last_name": "Synthetic",
        "date_of_birth": "2016-04-04",
        "relationship": "stepdaughter",
        "known_to_childrens_social_care": "yes",
        "plan": "child_protection",
        "plan_review_on": "2027-01-15",
        "proceedings": "none",
    }

    refused = client.post(url, child)
    added = client.post(url, {**child, "plan_copy_on_file": "on"})

    summary = error_summary(refused.text)
    assert 'href="#id_plan_copy_on_file"' in summary
    assert "(rule child-plan)" in summary
    assert added.status_code == 302
    saved = Child.objects.get(first_name="Robin")
    assert (saved.plan, saved.plan_copy_on_file, saved.known_to_childrens_social_care) == (
        "child_protection",
        True,
        True,
    )
    page = client.get(reverse("cases:case_detail", args=[case.reference])).text
    assert "Child protection plan, next reviewed 15 Jan 2027; a copy is on file" in page


def test_it_refuses_a_child_older_than_him_on_the_date_of_birth(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    response = signed_in(staff.perpetrator_worker).post(
        reverse("cases:case_child_new", args=[case.reference]),
        {
            "first_name": "Robin",
            "date_of_birth": "1970-01-01",
            "relationship": "son",
            "known_to_childrens_social_care": "not_known",
            "plan": "none",
            "proceedings": "none",
        },
    )

    summary = error_summary(response.text)
    assert 'href="#id_date_of_birth"' in summary
    assert "(rule children-record)" in summary
    assert not Child.objects.exists()


def test_it_changes_a_child_who_moves_in_and_refuses_a_stale_change(
    staff: ServiceStaff, case: PerpetratorCase, child: Child
) -> None:
    client = signed_in(staff.perpetrator_worker)
    url = reverse("cases:case_child_edit", args=[case.reference, child.pk])
    form = client.get(url).text
    assert 'value="Kit"' in form
    data = {
        "expected_version": case.version,
        "first_name": "Kit",
        "relationship": "son",
        "date_of_birth": "2019-09-09",
        "lives_with_him": "on",
        "known_to_childrens_social_care": "no",
        "plan": "none",
        "proceedings": "private",
    }

    changed = client.post(url, data)
    stale = client.post(url, {**data, "first_name": "Overwritten"})

    assert changed.status_code == 302
    assert "reload it and try again" in error_summary(stale.text)
    saved = Child.objects.get(pk=child.pk)
    assert (saved.first_name, saved.lives_with_perpetrator, saved.proceedings) == (
        "Kit",
        True,
        "private",
    )
    assert DueTask.objects.filter(rule_id="child-retrigger", perpetrator_case=case).count() == 1


def test_it_records_that_the_childrens_needs_need_re_examining(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    response = signed_in(staff.perpetrator_worker).post(
        reverse("cases:case_children_reexamine", args=[case.reference]),
        {"trigger": "incident", "details": "Synthetic: police called to the address"},
    )

    assert response.status_code == 302
    task = DueTask.objects.get(rule_id="child-retrigger", perpetrator_case=case)
    assert task.title.endswith("a new incident of domestic abuse")


# Allocation


def test_it_allocates_his_worker_offering_only_perpetrator_workers(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    client = signed_in(staff.service_manager)
    url = reverse("cases:case_allocate", args=[case.reference])

    form = client.get(url).text
    refused = client.post(url, {"expected_version": case.version, "worker": staff.iss_worker.pk})
    allocated = client.post(
        url, {"expected_version": case.version, "worker": staff.perpetrator_worker.pk}
    )

    assert f'value="{staff.perpetrator_worker.pk}"' in form
    assert f'value="{staff.iss_worker.pk}"' not in form
    assert f'value="{staff.service_manager.pk}"' not in form
    assert "Choose a perpetrator worker of this service" in error_summary(refused.text)
    assert allocated.status_code == 302
    assert PerpetratorCase.objects.get(pk=case.pk).allocated_worker == staff.perpetrator_worker


# Reports


def test_it_drafts_signs_off_and_releases_a_report_through_the_pages(
    staff: ServiceStaff, case: PerpetratorCase
) -> None:
    worker = signed_in(staff.perpetrator_worker)
    manager = signed_in(staff.service_manager)
    sections = report_sections().__dict__

    missing = worker.post(
        reverse("cases:case_report_new", args=[case.reference]), {**sections, "limitations": ""}
    )
    drafted = worker.post(reverse("cases:case_report_new", args=[case.reference]), sections)
    report = ExternalReport.objects.get()
    early = worker.post(release_url(report))
    case_page = worker.get(reverse("cases:case_detail", args=[case.reference])).text
    signed = manager.post(sign_off_url(report))
    released = worker.post(release_url(report))

    assert 'href="#id_limitations"' in error_summary(missing.text)
    assert drafted.status_code == 302
    assert "Draft: awaiting sign-off" in case_page
    assert early.status_code == 200
    assert (
        "cannot release the report: a senior manager has not signed it off (rule external-report)"
        in error_summary(early.text)
    )
    assert signed.status_code == 302
    assert released.status_code == 302
    report.refresh_from_db()
    assert report.signed_off_by == staff.service_manager
    assert report.released_at is not None
    assert "Released" in worker.get(reverse("cases:case_detail", args=[case.reference])).text


def test_it_offers_sign_off_only_to_the_senior_manager_and_audits_each_view(
    staff: ServiceStaff, report: ExternalReport
) -> None:
    url = reverse("cases:case_report_detail", args=[report.case.reference, report.pk])

    worker_view = signed_in(staff.perpetrator_worker).get(url).text
    manager_view = signed_in(staff.service_manager).get(url).text

    assert sign_off_url(report) not in worker_view
    assert "It cannot be released until a senior manager" in worker_view
    assert sign_off_url(report) in manager_view
    assert (
        AuditEvent.objects.filter(
            action="viewed", object_id=str(report.pk), summary="report page"
        ).count()
        == 2
    )


def test_it_hides_notes_and_reports_from_the_iss_side(
    staff: ServiceStaff, case: PerpetratorCase, report: ExternalReport
) -> None:
    page = signed_in(staff.iss_worker).get(reverse("cases:case_detail", args=[case.reference])).text

    assert report.recipient_name not in page
    assert "Contact notes" not in page
    assert "Record a risk assessment" not in page


# Case management reviews and file audits


def open_cases(staff: ServiceStaff, count: int) -> list[PerpetratorCase]:
    return [received(staff, first_name=f"Open{number}") for number in range(count)]


def review_post(
    staff: ServiceStaff, cases: list[PerpetratorCase], **overrides: str
) -> dict[str, str]:
    data = {
        "form-TOTAL_FORMS": str(len(cases)),
        "form-INITIAL_FORMS": str(len(cases)),
        "chair": str(staff.service_manager.pk),
        "attendees": [str(staff.perpetrator_worker.pk), str(staff.iss_worker.pk)],
    }
    for index, case in enumerate(sorted(cases, key=lambda c: c.reference)):
        data[f"form-{index}-case_reference"] = case.reference
        data[f"form-{index}-decisions"] = f"Synthetic: {case.reference} continues"
    data.update(overrides)
    return data  # type: ignore[return-value]


def test_it_records_a_review_of_every_open_case_through_the_page(staff: ServiceStaff) -> None:
    cases = open_cases(staff, 2)
    client = signed_in(staff.service_manager)
    url = reverse("cases:case_review_new", args=[staff.service.pk])

    form = client.get(url).text
    recorded = client.post(
        url, review_post(staff, cases, **{"form-0-actions": "Synthetic: book screening"})
    )
    next_form = client.get(url).text
    unreviewed = client.post(url, review_post(staff, cases))

    for case in cases:
        assert f"Decisions about {case.reference}" in form
    assert recorded.status_code == 302
    meeting = CaseReviewMeeting.objects.get()
    assert meeting.entries.count() == 2
    assert "Synthetic: book screening" in next_form, "the previous meeting's actions are shown"
    assert 'href="#id_previous_actions_reviewed"' in error_summary(unreviewed.text)
    assert CaseReviewMeeting.objects.count() == 1
    index = client.get(reverse("cases:service_reviews", args=[staff.service.pk])).text
    assert timezone.localdate().strftime("%-d %b %Y") in index


def test_it_shows_the_case_review_refusal_naming_the_rule(staff: ServiceStaff) -> None:
    cases = open_cases(staff, 1)

    response = signed_in(staff.service_manager).post(
        reverse("cases:case_review_new", args=[staff.service.pk]),
        review_post(staff, cases, chair=str(staff.perpetrator_worker.pk)),
    )

    summary = error_summary(response.text)
    assert 'href="#id_chair_0"' in summary
    assert "(rule case-review)" in summary
    assert not CaseReviewMeeting.objects.exists()


def test_it_refuses_a_review_posted_for_a_different_list_of_open_cases(staff: ServiceStaff) -> None:
    cases = open_cases(staff, 2)

    response = signed_in(staff.service_manager).post(
        reverse("cases:case_review_new", args=[staff.service.pk]),
        review_post(staff, cases[:1]),
    )

    assert response.status_code == 200
    assert not CaseReviewMeeting.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_shows_and_records_a_review_of_3_or_30_open_cases_in_the_same_number_of_queries(
    staff: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries, method: str
) -> None:
    client = signed_in(staff.service_manager)
    url = reverse("cases:case_review_new", args=[staff.service.pk])

    def queries(cases: list[PerpetratorCase]) -> int:
        CaseReviewMeeting.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method)(
                url, review_post(staff, cases) if method == "post" else None
            )
        assert response.status_code == (302 if method == "post" else 200)
        return len(captured)

    few = open_cases(staff, 3)
    for case in few:
        risk_assessment_record(
            case=case,
            actor=staff.perpetrator_worker,
            point="event",
            summary="Synthetic",
            actions=[],
            event_description="Synthetic",
            outcome_told_to_him=True,
        )
    queries(few)  # the first also looks up content types, cached from then on
    three = queries(few)
    many = few + open_cases(staff, 27)
    thirty = queries(many)

    assert thirty == three
    with django_assert_max_num_queries(REVIEW_PAGE_QUERY_BUDGET):
        getattr(client, method)(url, review_post(staff, many) if method == "post" else None)


def test_it_shows_when_the_next_review_and_audit_are_due(staff: ServiceStaff) -> None:
    client = signed_in(staff.service_manager)
    url = reverse("cases:service_reviews", args=[staff.service.pk])
    two_months_ago = timezone.localdate() - timedelta(days=62)
    CaseReviewMeeting.objects.create(
        service=staff.service,
        held_on=two_months_ago,
        chair=staff.service_manager,
        recorded_by=staff.service_manager,
        recorded_at=timezone.now(),
    )

    page = client.get(url).text

    assert "Overdue" in page
    assert "none recorded yet" in page, "no file audit yet: one is due now"


def test_it_records_a_file_audit_through_the_page(staff: ServiceStaff) -> None:
    cases = open_cases(staff, 3)
    client = signed_in(practice_manager(staff))

    response = client.post(
        reverse("cases:file_audit_new", args=[staff.service.pk]),
        {
            "audited_on": f"{timezone.localdate():%Y-%m-%d}",
            "sample": [cases[0].pk, cases[2].pk],
            "findings": "Synthetic findings",
            "feedback": "Synthetic feedback",
        },
    )

    assert response.status_code == 302
    assert set(FileAudit.objects.get().sample.all()) == {cases[0], cases[2]}


def test_it_refuses_a_file_audit_sampling_another_services_case(staff: ServiceStaff) -> None:
    elsewhere = received(staff)
    PerpetratorCase.objects.filter(pk=elsewhere.pk).update(
        service=StaffMembership.objects.get(user=staff.other_service_worker).service
    )

    response = signed_in(staff.service_manager).post(
        reverse("cases:file_audit_new", args=[staff.service.pk]),
        {
            "audited_on": f"{timezone.localdate():%Y-%m-%d}",
            "sample": [elsewhere.pk],
            "findings": "x",
            "feedback": "y",
        },
    )

    assert "Choose case files of this service" in error_summary(response.text)
    assert not FileAudit.objects.exists()
