"""The perpetrator side's running records and the service's reviews through the API under
/api/v1/: who may call each route (and who is refused), what bad input and refusals answer, that
a refused write saves nothing, and the OpenAPI schema."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import (
    ActionPlanItem,
    CaseReviewMeeting,
    Child,
    ContactNote,
    ExternalReport,
    FileAudit,
    PerpetratorCase,
    RiskAssessment,
    RiskConcern,
    RiskEngagementExchange,
)
from tandem.cases.services.children import child_add
from tandem.cases.services.intake import ChildDetails
from tandem.cases.services.records import PlannedAction, risk_assessment_record
from tandem.cases.services.reports import external_report_draft, external_report_sign_off
from tandem.cases.tests.builders import (
    in_intervention,
    non_senior_manager,
    practice_manager,
    report_sections,
    staff_member,
)
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff

pytestmark = pytest.mark.django_db


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    if method == "get":
        return client.get(url)
    call = client.patch if method == "patch" else client.post
    return call(url, json.dumps(body or {}), content_type="application/json")


def an_hour_ago() -> str:
    return (timezone.now() - timedelta(hours=1)).isoformat()


def today() -> str:
    return timezone.localdate().isoformat()


@dataclass
class Records:
    staff: ServiceStaff
    case: PerpetratorCase
    child: Child
    report: ExternalReport
    signed_report: ExternalReport
    second_worker: User

    def case_url(self, name: str, *args: object) -> str:
        return reverse(f"v1:{name}", args=[self.case.reference, *args])

    def service_url(self, name: str) -> str:
        return reverse(f"v1:{name}", args=[self.staff.service.pk])


@pytest.fixture
def records(staffed_service: ServiceStaff) -> Records:
    staff = staffed_service
    case = in_intervention(staff)
    child = child_add(
        case=case,
        actor=staff.perpetrator_worker,
        child=ChildDetails("Kit", "son", "Synthetic", date(2019, 9, 9)),
    )
    signed_report = external_report_draft(
        case=case, actor=staff.perpetrator_worker, sections=report_sections()
    )
    external_report_sign_off(report=signed_report, actor=staff.service_manager)
    return Records(
        staff=staff,
        case=PerpetratorCase.objects.get(pk=case.pk),
        child=child,
        report=external_report_draft(
            case=case, actor=staff.perpetrator_worker, sections=report_sections()
        ),
        signed_report=signed_report,
        second_worker=staff_member(staff, "pw2", Role.PERPETRATOR_WORKER, "perpetrator"),
    )


def saved_state(records: Records) -> tuple[object, ...]:
    """Everything a write could change: a refused write leaves all of it as it was."""
    case = PerpetratorCase.objects.get(pk=records.case.pk)
    reports = ExternalReport.objects.order_by("pk").values_list("signed_off_at", "released_at")
    return (
        case.version,
        case.allocated_worker_id,
        list(Child.objects.order_by("pk").values()),
        list(reports),
        *(
            model.objects.count()
            for model in (
                ContactNote,
                RiskAssessment,
                ActionPlanItem,
                RiskConcern,
                DueTask,
                ExternalReport,
                CaseReviewMeeting,
                FileAudit,
                RiskEngagementExchange,
            )
        ),
        # Signing in to try is itself an audit event; a refused write adds none of its own.
        AuditEvent.objects.exclude(action=AuditEvent.Action.PASSWORD_ACCEPTED).count(),
    )


@dataclass(frozen=True)
class Write:
    method: str
    url: Callable[[Records], str]
    body: Callable[[Records], dict[str, Any]]
    success: int
    # Who on the service may: the perpetrator worker on the case's records, the senior manager
    # on sign-off and the service's reviews.
    by: Callable[[Records], User]
    # Bad input, or a refusal when the route takes none: (url, body, field named in the 400).
    bad: Callable[[Records], tuple[str, dict[str, Any], str]]


def perpetrator_worker(records: Records) -> User:
    return records.staff.perpetrator_worker


def senior_manager(records: Records) -> User:
    return records.staff.service_manager


def review_body(records: Records) -> dict[str, Any]:
    staff = records.staff
    return {
        "held_on": today(),
        "chair": staff.service_manager.pk,
        "attendees": [staff.perpetrator_worker.pk, staff.iss_worker.pk],
        "entries": [{"case": records.case.reference, "decisions": "Synthetic: continue."}],
    }


WRITES: dict[str, Write] = {
    "note": Write(
        "post",
        lambda r: r.case_url("case-notes"),
        lambda r: {
            "occurred_at": an_hour_ago(),
            "kind": "Session with him",
            "note": "Synthetic: attended the session.",
        },
        201,
        perpetrator_worker,
        lambda r: (
            r.case_url("case-notes"),
            {"occurred_at": "last week", "kind": "Session with him", "note": "Synthetic"},
            "occurred_at",
        ),
    ),
    "risk assessment": Write(
        "post",
        lambda r: r.case_url("case-risk-assessments"),
        lambda r: {
            "point": "event",
            "summary": "Synthetic: risk raised after a new incident.",
            "event_description": "Synthetic: police call-out.",
            "outcome_told_to_him": True,
            "actions": [{"action": "Synthetic: review safety plan", "due_on": "2099-01-01"}],
        },
        201,
        perpetrator_worker,
        lambda r: (
            r.case_url("case-risk-assessments"),
            {
                "point": "event",
                "summary": "Synthetic",
                "event_description": "Synthetic",
                "outcome_told_to_him": True,
                "actions": [{"action": "Synthetic", "due_on": "soon"}],
            },
            "actions",
        ),
    ),
    "risk concern": Write(
        "post",
        lambda r: r.case_url("case-risk-concerns"),
        lambda r: {"concern": "Synthetic: he spoke of finding her new address.", "imminent": True},
        201,
        perpetrator_worker,
        lambda r: (
            r.case_url("case-risk-concerns"),
            {"concern": "Synthetic", "imminent": "perhaps"},
            "imminent",
        ),
    ),
    "add child": Write(
        "post",
        lambda r: r.case_url("case-children"),
        lambda r: {
            "first_name": "Ada",
            "last_name": "Synthetic",
            "relationship_to_perpetrator": "daughter",
            "date_of_birth": "2020-02-02",
        },
        201,
        perpetrator_worker,
        lambda r: (
            r.case_url("case-children"),
            {"first_name": "Ada", "relationship_to_perpetrator": "daughter", "date_of_birth": "x"},
            "date_of_birth",
        ),
    ),
    "change child": Write(
        "patch",
        lambda r: r.case_url("case-child", r.child.pk),
        lambda r: {"version": r.case.version, "known_to_childrens_social_care": True},
        200,
        perpetrator_worker,
        lambda r: (r.case_url("case-child", r.child.pk), {"version": "one"}, "version"),
    ),
    "re-examine children": Write(
        "post",
        lambda r: r.case_url("case-children-reexamination"),
        lambda r: {"trigger": "pregnancy", "details": "Synthetic: his partner is pregnant."},
        201,
        perpetrator_worker,
        lambda r: (
            r.case_url("case-children-reexamination"),
            {"trigger": "storm", "details": "Synthetic"},
            "trigger",
        ),
    ),
    "allocate": Write(
        "post",
        lambda r: r.case_url("case-allocate"),
        lambda r: {"version": r.case.version, "worker": r.second_worker.pk},
        200,
        perpetrator_worker,
        lambda r: (
            r.case_url("case-allocate"),
            {"version": r.case.version, "worker": "Bob"},
            "worker",
        ),
    ),
    "draft report": Write(
        "post",
        lambda r: r.case_url("case-reports"),
        lambda r: {
            "recipient": "court",
            "recipient_name": "Example Family Court (synthetic)",
            "intervention_and_attendance": "Synthetic: attended 10 of 12 sessions.",
            "further_abuse": "Synthetic: none known.",
            "concerns_with_evidence": "Synthetic: minimises (session notes 3, 7).",
            "limitations": "Synthetic: his account and ISS contact only.",
        },
        201,
        perpetrator_worker,
        lambda r: (
            r.case_url("case-reports"),
            {"recipient": "newspaper", "recipient_name": "Synthetic"},
            "recipient",
        ),
    ),
    "sign off report": Write(
        "post",
        lambda r: r.case_url("case-report-sign-off", r.report.pk),
        lambda r: {},
        200,
        senior_manager,
        lambda r: (
            r.case_url("case-report-sign-off", r.signed_report.pk),
            {},
            "non_field_errors",
        ),
    ),
    "release report": Write(
        "post",
        lambda r: r.case_url("case-report-release", r.signed_report.pk),
        lambda r: {},
        200,
        perpetrator_worker,
        lambda r: (r.case_url("case-report-release", r.report.pk), {}, "non_field_errors"),
    ),
    "case review": Write(
        "post",
        lambda r: r.service_url("service-case-reviews"),
        review_body,
        201,
        senior_manager,
        lambda r: (
            r.service_url("service-case-reviews"),
            {**review_body(r), "held_on": "Tuesday"},
            "held_on",
        ),
    ),
    "file audit": Write(
        "post",
        lambda r: r.service_url("service-file-audits"),
        lambda r: {
            "audited_on": today(),
            "sample": [r.case.reference],
            "findings": "Synthetic: risk assessment well evidenced.",
            "feedback": "Synthetic: discussed in supervision.",
        },
        201,
        senior_manager,
        lambda r: (
            r.service_url("service-file-audits"),
            {"audited_on": today(), "sample": "all", "findings": "x", "feedback": "y"},
            "sample",
        ),
    ),
    "exchange": Write(
        "post",
        lambda r: r.service_url("service-exchanges"),
        lambda r: {
            "held_on": today(),
            "perpetrator_side_person": r.staff.perpetrator_worker.pk,
            "iss_side_person": r.staff.iss_worker.pk,
            "summary": "Synthetic: no change in risk; attending.",
        },
        201,
        senior_manager,
        lambda r: (
            r.service_url("service-exchanges"),
            {
                "held_on": "2026-13-01",
                "perpetrator_side_person": r.staff.perpetrator_worker.pk,
                "iss_side_person": r.staff.iss_worker.pk,
                "summary": "Synthetic",
            },
            "held_on",
        ),
    ),
}

# Each list: (URL, who may read it, whether the case's ISS worker may too).
LISTS: dict[str, tuple[Callable[[Records], str], Callable[[Records], User], bool]] = {
    "notes": (lambda r: r.case_url("case-notes"), perpetrator_worker, False),
    "risk assessments": (lambda r: r.case_url("case-risk-assessments"), perpetrator_worker, True),
    "children": (lambda r: r.case_url("case-children"), perpetrator_worker, True),
    "reports": (lambda r: r.case_url("case-reports"), perpetrator_worker, False),
    "case reviews": (lambda r: r.service_url("service-case-reviews"), senior_manager, False),
    "file audits": (lambda r: r.service_url("service-file-audits"), senior_manager, False),
    "exchanges": (lambda r: r.service_url("service-exchanges"), senior_manager, False),
}


def every_request(records: Records) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        *((write.method, write.url(records), write.body(records)) for write in WRITES.values()),
        *(("get", url(records), {}) for url, _, _ in LISTS.values()),
    ]


# Who may call the routes


def test_the_routes_are_where_clients_expect_them(records: Records) -> None:
    ref = records.case.reference
    assert records.case_url("case-notes") == f"/api/v1/cases/{ref}/notes/"
    assert records.case_url("case-report-sign-off", 7) == f"/api/v1/cases/{ref}/reports/7/sign-off/"
    assert (
        records.service_url("service-case-reviews")
        == f"/api/v1/services/{records.staff.service.pk}/case-reviews/"
    )


def test_it_answers_an_anonymous_client_401_on_every_route(records: Records) -> None:
    before = saved_state(records)

    for method, url, body in every_request(records):
        assert send(Client(), method, url, body).status_code == 401, url

    assert saved_state(records) == before


def test_it_refuses_someone_with_no_role_on_every_route(
    records: Records, user_without_role: User
) -> None:
    before = saved_state(records)

    for method, url, body in every_request(records):
        assert send(as_user(user_without_role), method, url, body).status_code == 403, url

    assert saved_state(records) == before


def test_it_admits_no_case_or_service_exists_to_a_worker_of_another_service(
    records: Records,
) -> None:
    client = as_user(records.staff.other_service_worker)
    before = saved_state(records)

    for method, url, body in every_request(records):
        assert send(client, method, url, body).status_code == 404, url

    assert saved_state(records) == before


@pytest.mark.parametrize("route", WRITES)
def test_it_refuses_every_write_to_the_iss_worker_who_can_see_the_case(
    records: Records, route: str
) -> None:
    write = WRITES[route]
    before = saved_state(records)

    response = send(
        as_user(records.staff.iss_worker), write.method, write.url(records), write.body(records)
    )

    assert response.status_code == 403
    assert saved_state(records) == before


@pytest.mark.parametrize("route", LISTS)
def test_it_shows_the_iss_worker_risk_and_children_but_not_the_perpetrator_sides_work(
    records: Records, route: str
) -> None:
    url, _, iss_may_read = LISTS[route]

    response = as_user(records.staff.iss_worker).get(url(records))

    assert response.status_code == (200 if iss_may_read else 403)


def test_it_refuses_sign_off_to_the_perpetrator_worker_and_a_manager_who_is_not_senior(
    records: Records,
) -> None:
    url = records.case_url("case-report-sign-off", records.report.pk)
    before = saved_state(records)

    for user in (records.staff.perpetrator_worker, non_senior_manager(records.staff)):
        assert as_user(user).post(url).status_code == 403

    assert saved_state(records) == before


@pytest.mark.parametrize("route", ["case review", "file audit", "exchange"])
def test_it_refuses_the_services_reviews_to_its_perpetrator_worker(
    records: Records, route: str
) -> None:
    write = WRITES[route]

    response = send(
        as_user(records.staff.perpetrator_worker), "post", write.url(records), write.body(records)
    )

    assert response.status_code == 403
    assert as_user(records.staff.perpetrator_worker).get(write.url(records)).status_code == 403


def test_it_opens_the_services_reviews_to_a_perpetrator_side_practice_manager(
    records: Records,
) -> None:
    client = as_user(practice_manager(records.staff))

    for route in ("case reviews", "file audits", "exchanges"):
        assert client.get(LISTS[route][0](records)).status_code == 200


# What each records


@pytest.mark.parametrize("route", WRITES)
def test_it_records_through_each_route_for_who_may(records: Records, route: str) -> None:
    write = WRITES[route]

    response = send(
        as_user(write.by(records)), write.method, write.url(records), write.body(records)
    )

    assert response.status_code == write.success, response.json()


@pytest.mark.parametrize("route", WRITES)
def test_it_names_the_field_at_fault_and_saves_nothing(records: Records, route: str) -> None:
    write = WRITES[route]
    url, body, field = write.bad(records)
    before = saved_state(records)

    response = send(as_user(write.by(records)), write.method, url, body)

    assert response.status_code == 400
    assert field in response.json()
    assert saved_state(records) == before


@pytest.mark.parametrize("route", LISTS)
def test_it_lists_each_kind_of_record_for_who_may(records: Records, route: str) -> None:
    url, by, _ = LISTS[route]

    response = as_user(by(records)).get(url(records))

    assert response.status_code == 200
    assert "results" in response.json()


def test_it_lists_his_notes_and_records_that_they_were_viewed(records: Records) -> None:
    client = as_user(records.staff.perpetrator_worker)
    send(client, "post", records.case_url("case-notes"), WRITES["note"].body(records))

    response = client.get(records.case_url("case-notes"))

    [note] = response.json()["results"]
    assert note["note"] == "Synthetic: attended the session."
    assert note["recorded_late"] is False
    assert AuditEvent.objects.filter(
        action="viewed", summary__icontains="notes", actor=records.staff.perpetrator_worker
    ).exists()


def test_it_puts_a_risk_assessments_actions_in_its_record(records: Records) -> None:
    write = WRITES["risk assessment"]

    created = send(
        as_user(records.staff.perpetrator_worker), "post", write.url(records), write.body(records)
    ).json()

    assert created["point"] == "event"
    assert created["actions"] == [
        {"action": "Synthetic: review safety plan", "due_on": "2099-01-01", "done_on": None}
    ]


def test_it_refuses_a_risk_assessment_without_the_outcome_told_naming_the_rule(
    records: Records,
) -> None:
    body = {**WRITES["risk assessment"].body(records), "outcome_told_to_him": False}
    before = saved_state(records)

    response = send(
        as_user(records.staff.perpetrator_worker),
        "post",
        records.case_url("case-risk-assessments"),
        body,
    )

    assert response.status_code == 400
    assert response.json()["rule"] == "outcome-comment"
    assert "outcome_not_told_reason" in response.json()
    assert saved_state(records) == before


def test_it_refuses_a_child_plan_without_its_review_date_and_saves_nothing(
    records: Records,
) -> None:
    body = {**WRITES["add child"].body(records), "plan": "child_in_need"}
    before = saved_state(records)

    response = send(
        as_user(records.staff.perpetrator_worker), "post", records.case_url("case-children"), body
    )

    assert response.status_code == 400
    assert response.json()["rule"] == "child-plan"
    assert "plan_review_on" in response.json()
    assert saved_state(records) == before


def test_it_changes_only_the_childs_fields_sent_and_refuses_a_stale_change(
    records: Records,
) -> None:
    client = as_user(records.staff.perpetrator_worker)
    url = records.case_url("case-child", records.child.pk)
    version = records.case.version

    changed = send(client, "patch", url, {"version": version, "lives_with_perpetrator": True})
    before = saved_state(records)
    stale = send(client, "patch", url, {"version": version, "first_name": "Kitty"})

    assert changed.status_code == 200
    assert changed.json()["lives_with_perpetrator"] is True
    assert changed.json()["first_name"] == "Kit"
    assert changed.json()["date_of_birth"] == "2019-09-09"
    assert changed.json()["case_version"] == version + 1
    assert stale.status_code == 409
    assert "version" in stale.json()
    assert saved_state(records) == before


def test_it_refuses_a_child_change_without_the_version(records: Records) -> None:
    response = send(
        as_user(records.staff.perpetrator_worker),
        "patch",
        records.case_url("case-child", records.child.pk),
        {"first_name": "Kitty"},
    )

    assert response.status_code == 400
    assert "version" in response.json()


def test_it_does_not_find_a_child_of_another_case(records: Records) -> None:
    other = in_intervention(records.staff, first_name="Other", date_of_birth=date(1980, 1, 1))
    url = reverse("v1:case-child", args=[other.reference, records.child.pk])

    response = send(
        as_user(records.staff.perpetrator_worker), "patch", url, {"version": other.version}
    )

    assert response.status_code == 404


def test_it_refuses_to_allocate_an_iss_worker_naming_the_rule(records: Records) -> None:
    before = saved_state(records)

    response = send(
        as_user(records.staff.perpetrator_worker),
        "post",
        records.case_url("case-allocate"),
        {"version": records.case.version, "worker": records.staff.iss_worker.pk},
    )

    assert response.status_code == 400
    assert response.json() == {"worker": [response.json()["worker"][0]], "rule": "not-same-staff"}
    assert saved_state(records) == before


def test_it_refuses_a_stale_allocation(records: Records) -> None:
    response = send(
        as_user(records.staff.perpetrator_worker),
        "post",
        records.case_url("case-allocate"),
        {"version": records.case.version - 1, "worker": records.second_worker.pk},
    )

    assert response.status_code == 409
    assert PerpetratorCase.objects.get(pk=records.case.pk).allocated_worker != records.second_worker


def test_it_refuses_to_release_a_report_before_sign_off_naming_the_rule(
    records: Records,
) -> None:
    response = as_user(records.staff.perpetrator_worker).post(
        records.case_url("case-report-release", records.report.pk)
    )

    assert response.status_code == 400
    assert response.json()["rule"] == "external-report"
    assert ExternalReport.objects.get(pk=records.report.pk).released_at is None


def test_it_shows_reports_to_the_senior_manager_who_signs_them_off(records: Records) -> None:
    response = as_user(records.staff.service_manager).get(records.case_url("case-reports"))

    assert response.status_code == 200
    assert {report["id"] for report in response.json()["results"]} == {
        records.report.pk,
        records.signed_report.pk,
    }


def test_it_refuses_a_case_review_that_leaves_out_an_open_case_and_saves_nothing(
    records: Records,
) -> None:
    before = saved_state(records)

    response = send(
        as_user(records.staff.service_manager),
        "post",
        records.service_url("service-case-reviews"),
        {**review_body(records), "entries": []},
    )

    assert response.status_code == 400
    assert response.json()["rule"] == "case-review"
    assert records.case.reference in response.json()["entries"][0]
    assert saved_state(records) == before


def test_it_refuses_a_case_review_naming_someone_not_on_the_staff(records: Records) -> None:
    response = send(
        as_user(records.staff.service_manager),
        "post",
        records.service_url("service-case-reviews"),
        {**review_body(records), "chair": records.staff.other_service_worker.pk},
    )

    assert response.status_code == 400
    assert str(records.staff.other_service_worker.pk) in response.json()["attendees"][0]
    assert not CaseReviewMeeting.objects.exists()


@pytest.mark.parametrize("attendee", [2**63, 2**64, -1, 0])
def test_it_refuses_an_attendee_id_no_database_stores_naming_the_field(
    records: Records, attendee: int
) -> None:
    """Found by schemathesis: an id beyond 64 bits reached SQLite and answered 500
    (OverflowError). The schema now says 1 to 2**63 - 1, and the API refuses the rest."""
    response = send(
        as_user(records.staff.service_manager),
        "post",
        records.service_url("service-case-reviews"),
        {**review_body(records), "attendees": [attendee]},
    )

    assert response.status_code == 400
    assert "attendees" in response.json()
    assert not CaseReviewMeeting.objects.exists()


def test_it_takes_the_largest_stored_id_as_an_attendee_who_is_not_on_the_staff(
    records: Records,
) -> None:
    response = send(
        as_user(records.staff.service_manager),
        "post",
        records.service_url("service-case-reviews"),
        {**review_body(records), "attendees": [2**63 - 1]},
    )

    assert response.status_code == 400
    assert str(2**63 - 1) in response.json()["attendees"][0]


def test_it_refuses_a_file_audit_of_a_case_outside_your_services_on_the_sample(
    records: Records,
) -> None:
    response = send(
        as_user(records.staff.service_manager),
        "post",
        records.service_url("service-file-audits"),
        {**WRITES["file audit"].body(records), "sample": ["P999999"]},
    )

    assert response.status_code == 400
    assert "no such case among your services" in response.json()["sample"][0]
    assert not FileAudit.objects.exists()


def test_it_refuses_an_exchange_with_one_person_for_both_sides_naming_the_rule(
    records: Records,
) -> None:
    manager = records.staff.service_manager
    response = send(
        as_user(manager),
        "post",
        records.service_url("service-exchanges"),
        {
            **WRITES["exchange"].body(records),
            "perpetrator_side_person": manager.pk,
            "iss_side_person": manager.pk,
        },
    )

    assert response.status_code == 400
    assert response.json()["rule"] == "weekly-exchange"
    assert not RiskEngagementExchange.objects.exists()


def test_it_lists_the_case_reviews_with_the_cases_considered(records: Records) -> None:
    client = as_user(records.staff.service_manager)
    send(client, "post", records.service_url("service-case-reviews"), review_body(records))

    [meeting] = client.get(records.service_url("service-case-reviews")).json()["results"]

    assert meeting["cases_considered"] == 1
    assert meeting["held_on"] == today()


def test_it_lists_risk_assessments_in_queries_that_do_not_grow_with_them(
    records: Records, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(5):
        risk_assessment_record(
            case=records.case,
            actor=records.staff.perpetrator_worker,
            point="event",
            summary=f"Synthetic assessment {number}",
            event_description="Synthetic event",
            outcome_told_to_him=True,
            actions=[PlannedAction(f"Synthetic action {number}"), PlannedAction("Synthetic")],
        )
    client = as_user(records.staff.iss_worker)

    with django_assert_max_num_queries(16):
        response = client.get(records.case_url("case-risk-assessments"))

    assert len(response.json()["results"]) == 5


# The OpenAPI schema


def test_it_documents_every_records_route_in_a_valid_schema(records: Records) -> None:
    response = as_user(records.staff.perpetrator_worker).get(
        reverse("api-schema"), {"format": "json"}
    )

    document = response.json()
    validate_schema(document)
    paths = document["paths"]
    case_paths = [
        "notes/",
        "risk-assessments/",
        "risk-concerns/",
        "children/",
        "children/{child_id}/",
        "children-reexamination/",
        "allocate/",
        "reports/",
        "reports/{report_id}/sign-off/",
        "reports/{report_id}/release/",
    ]
    service_paths = ["case-reviews/", "file-audits/", "exchanges/"]
    assert {
        *(f"/api/v1/cases/{{reference}}/{path}" for path in case_paths),
        *(f"/api/v1/services/{{service_id}}/{path}" for path in service_paths),
    } <= set(paths)
    child = paths["/api/v1/cases/{reference}/children/{child_id}/"]["patch"]
    assert {"200", "400", "403", "404", "409"} <= set(child["responses"])
    assert {"201", "400", "403", "404"} <= set(
        paths["/api/v1/services/{service_id}/case-reviews/"]["post"]["responses"]
    )
