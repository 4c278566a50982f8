"""The API of the 2008 audit, Welsh checklist, West Midlands self-evaluation and
self-assessment: the same rules as the pages (403 without the role or part, 404 for what is not
theirs, 400 naming the field and rule, 409 on a stale read), and the routes in a valid schema."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from tandem.access.roles import Role
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.checklists.tests.builders import TODAY
from tandem.assurance.models import Assessment, Process, State
from tandem.conftest import ServiceStaff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, name: str, data: dict[str, Any], *args: int) -> Any:
    return client.post(
        reverse(f"v1:{name}", args=list(args)), data, content_type="application/json"
    )


def summary(client: Client, assessment_id: int) -> Any:
    return client.get(reverse("v1:checklists-summary", args=[assessment_id]))


def test_it_runs_a_welsh_checklist_with_one_red_and_one_amber(
    staffed_service: ServiceStaff,
) -> None:
    service = staffed_service.service
    commissioner = build.commissioner_of(service)
    client = as_user(commissioner)
    response = post(
        client,
        "checklists-welsh",
        {"service": service.pk, "accreditation": "none", "review_within_weeks": 6},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assessment_id = body["id"]
    assert body["review_within_weeks"] == 6
    records = {
        record["requirement"]: record
        for standard in body["standards"]
        for record in standard["records"]
    }
    assert len(records) == 64
    amber = records["1.Q2"]
    too_late = (TODAY + timedelta(weeks=6, days=1)).isoformat()
    rating = {
        "expected_version": amber["version"],
        "rating": "amber",
        "evidence": build.EVIDENCE,
        "action": {
            "description": "Synthetic: publish the route",
            "owner": staffed_service.service_manager.pk,
            "due_on": too_late,
        },
    }
    response = post(client, "checklists-rating", rating, assessment_id, amber["id"])
    assert response.status_code == 400
    assert response.json()["rule"] == "welsh-checklist"
    assert "within the agreed timeframe of 6 weeks" in response.json()["review_on"][0]
    rating["action"]["due_on"] = (TODAY + timedelta(weeks=6)).isoformat()
    assert post(client, "checklists-rating", rating, assessment_id, amber["id"]).status_code == 200
    for code, record in records.items():
        if code == "1.Q2":
            continue
        data = {
            "expected_version": record["version"],
            "rating": "red" if code == "1.Q1" else "green",
            "evidence": build.EVIDENCE,
        }
        assert (
            post(client, "checklists-rating", data, assessment_id, record["id"]).status_code == 200
        )
    version = summary(client, assessment_id).json()["version"]
    response = post(client, "checklists-complete", {"expected_version": version}, assessment_id)
    assert response.status_code == 400
    assert response.json()["reassess_by"]
    response = post(
        client,
        "checklists-complete",
        {"expected_version": version, "reassess_by": (TODAY + timedelta(days=30)).isoformat()},
        assessment_id,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == State.DOES_NOT_MEET
    assert body["overall"] == "red"
    assert body["reassessment"]["due_on"] == (TODAY + timedelta(days=30)).isoformat()
    assert body["standards"][0]["status"] == "red"
    assert body["trend"] == "first review"
    overview = client.get(reverse("v1:checklists-commissioning")).json()
    assert overview[0]["status"] == "red"
    assert overview[0]["open_actions"] == 2


def test_it_refuses_a_stale_rating_with_409(staffed_service: ServiceStaff) -> None:
    commissioner = build.commissioner_of(staffed_service.service)
    assessment = build.welsh_started(staffed_service.service, commissioner)
    record = build.records(assessment)[0]
    data = {"expected_version": record.version, "rating": "green", "evidence": build.EVIDENCE}
    client = as_user(commissioner)
    assert post(client, "checklists-rating", data, assessment.pk, record.pk).status_code == 200
    response = post(client, "checklists-rating", data, assessment.pk, record.pk)
    assert response.status_code == 409
    assert response.json()["version"]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("perpetrator_worker", 403),
        ("iss_worker", 403),
        ("assessor", 404),
        ("other_commissioner", 404),
        ("manager", 404),  # the provider sees it once complete
    ],
)
def test_it_refuses_a_welsh_checklist_to_anyone_else(
    staffed_service: ServiceStaff, who: str, code: int
) -> None:
    commissioner = build.commissioner_of(staffed_service.service)
    assessment = build.welsh_started(staffed_service.service, commissioner)
    user = {
        "perpetrator_worker": staffed_service.perpetrator_worker,
        "iss_worker": staffed_service.iss_worker,
        "assessor": build.person("api-assessor", Role.ASSESSOR),
        "other_commissioner": build.commissioner_of(build.other_agency(), "other-commissioner"),
        "manager": staffed_service.service_manager,
    }[who]
    client = as_user(user)
    assert summary(client, assessment.pk).status_code == code
    record = build.records(assessment)[0]
    data = {"expected_version": record.version, "rating": "green", "evidence": build.EVIDENCE}
    assert post(client, "checklists-rating", data, assessment.pk, record.pk).status_code == code


def test_it_refuses_a_step_of_another_process_with_404(staffed_service: ServiceStaff) -> None:
    commissioner = build.commissioner_of(staffed_service.service)
    assessment = build.welsh_started(staffed_service.service, commissioner)
    record = build.records(assessment)[0]
    response = post(
        as_user(commissioner),
        "checklists-judgement",
        {"expected_version": record.version, "judgement": "met", "basis": "Synthetic"},
        assessment.pk,
        record.pk,
    )
    assert response.status_code == 404


def test_it_fails_an_audit_automatically_and_exempts_an_accredited_service(
    staffed_service: ServiceStaff,
) -> None:
    cast = build.audit_cast(staffed_service)
    client = as_user(cast.coordinator)
    response = post(
        client, "checklists-audits", {"service": staffed_service.service.pk, "runs_iss": False}
    )
    assert response.status_code == 201
    assert response.json()["state"] == State.FAILED
    assert "fails automatically" in response.json()["outcome_reason"]
    other = build.other_agency()
    build.respect_accredited(other, expires_on=TODAY + timedelta(days=10), by=cast.coordinator)
    response = post(client, "checklists-audits", {"service": other.pk, "runs_iss": True})
    assert response.json()["state"] == State.EXEMPT
    for user in (staffed_service.service_manager, cast.second):
        response = post(
            as_user(user),
            "checklists-audits",
            {"service": staffed_service.service.pk, "runs_iss": True},
        )
        assert response.status_code == 403


def test_it_takes_an_audit_through_its_steps(staffed_service: ServiceStaff) -> None:
    cast = build.audit_cast(staffed_service)
    assessment = build.audit_opened(cast)
    lead = as_user(cast.lead)
    items = [
        {"kind": "case_file_review", "starts_at": "09:30", "description": "Files"},
        {"kind": "staff_interview", "starts_at": "11:00", "description": "Manager"},
    ]
    schedule: dict[str, Any] = {
        "expected_version": assessment.version,
        "visit_on": build.VISIT_ON.isoformat(),
        "items": items,
    }
    response = post(lead, "checklists-schedule", schedule, assessment.pk)
    assert response.status_code == 400
    assert response.json()["rule"] == "safeguarding-audit-2008"
    items.append({"kind": "group_recording", "starts_at": "14:00", "description": "Session 7"})
    body = post(lead, "checklists-schedule", schedule, assessment.pk).json()
    assert len(body["schedule"]) == 3
    assert (
        post(
            as_user(cast.second),
            "checklists-schedule-agree",
            {"expected_version": body["version"]},
            assessment.pk,
        ).status_code
        == 403
    )
    response = post(
        as_user(cast.link),
        "checklists-schedule-agree",
        {"expected_version": body["version"]},
        assessment.pk,
    )
    assert response.json()["state"] == State.SCHEDULED
    # The service sees the audit, not its findings before the report.
    seen = summary(as_user(cast.link), assessment.pk).json()
    assert seen["met"] is None
    assert "judgement" not in seen["records"][0]
    record = seen["records"][0]
    response = post(
        as_user(cast.link),
        "checklists-judgement",
        {"expected_version": record["version"], "judgement": "met", "basis": "Synthetic"},
        assessment.pk,
        record["id"],
    )
    assert response.status_code == 403


def test_it_refuses_a_peer_reviewer_from_the_same_organisation(
    staffed_service: ServiceStaff,
) -> None:
    manager = staffed_service.service_manager
    client = as_user(manager)
    response = post(client, "checklists-west-midlands", {"service": staffed_service.service.pk})
    assert response.status_code == 201
    assessment_id = response.json()["id"]
    response = post(
        client,
        "checklists-peer-reviewer",
        {"user": staffed_service.other_service_worker.pk},
        assessment_id,
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "west-midlands-self-evaluation"
    assert "comes from another agency" in response.json()["user"][0]
    reviewer = build.peer_reviewer()
    assert (
        post(client, "checklists-peer-reviewer", {"user": reviewer.pk}, assessment_id).status_code
        == 200
    )
    # Not the agency's, and not yet sent for review: the reviewer cannot open it.
    assert summary(as_user(reviewer), assessment_id).status_code == 404


def test_it_shows_readiness_for_a_self_assessment(staffed_service: ServiceStaff) -> None:
    client = as_user(staffed_service.service_manager)
    response = post(
        client,
        "checklists-self-assessments",
        {"service": staffed_service.service.pk, "framework": "respect-2022", "scope": ["icm"]},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["readiness"] == {
        "applicable": 48,
        "met": 0,
        "partly": 0,
        "not_met": 0,
        "unrated": 48,
        "percent_met": 0,
        "to_go": 48,
    }
    response = post(
        client,
        "checklists-self-assessments",
        {"service": staffed_service.service.pk, "framework": "no-such-framework"},
    )
    assert response.status_code == 400
    assert response.json()["framework"]
    assert (
        post(
            as_user(staffed_service.perpetrator_worker),
            "checklists-self-assessments",
            {"service": staffed_service.service.pk, "framework": "respect-2022"},
        ).status_code
        == 403
    )
    assessment = Assessment.objects.get(process=Process.SELF_ASSESSMENT)
    assert (
        summary(as_user(build.person("sa-assessor", Role.ASSESSOR)), assessment.pk).status_code
        == 404
    )


def test_it_sets_up_partnerships_and_shows_their_results_to_members_only(
    staffed_service: ServiceStaff,
) -> None:
    administrator = as_user(build.person("admin", Role.ADMINISTRATOR))
    member = build.person("partnership-commissioner", Role.COMMISSIONER)
    response = post(administrator, "checklists-partnerships", {"name": "Synthetic Partnership"})
    assert response.status_code == 201
    partnership_id = response.json()["id"]
    organisation = staffed_service.service.organisation
    assert (
        post(
            administrator,
            "checklists-partnership-organisations",
            {"organisation": organisation.pk},
            partnership_id,
        ).status_code
        == 200
    )
    response = post(
        administrator,
        "checklists-partnership-members",
        {"user": staffed_service.service_manager.pk},
        partnership_id,
    )
    assert response.status_code == 400
    assert response.json()["user"]
    assert (
        post(
            administrator, "checklists-partnership-members", {"user": member.pk}, partnership_id
        ).status_code
        == 200
    )
    page = reverse("v1:checklists-partnership", args=[partnership_id])
    body = as_user(member).get(page).json()
    assert {agency["service"] for agency in body["agencies"]} == {"Test DAPP", "Another service"}
    outsider = build.person("outside-commissioner", Role.COMMISSIONER)
    assert as_user(outsider).get(page).status_code == 404
    assert as_user(staffed_service.service_manager).get(page).status_code == 403
    assert post(as_user(member), "checklists-partnerships", {"name": "Another"}).status_code == 403


def test_it_documents_the_checklist_routes_in_a_valid_schema(
    staffed_service: ServiceStaff,
) -> None:
    document = (
        as_user(staffed_service.service_manager)
        .get(reverse("api-schema"), {"format": "json"})
        .json()
    )
    validate_schema(document)
    paths = document["paths"]
    assert {
        "/api/v1/assurance/checklists/audits/",
        "/api/v1/assurance/checklists/welsh/",
        "/api/v1/assurance/checklists/{assessment_id}/",
        "/api/v1/assurance/checklists/{assessment_id}/records/{record_id}/rating/",
        "/api/v1/assurance/checklists/{assessment_id}/complete/",
        "/api/v1/assurance/checklists/commissioning/",
        "/api/v1/assurance/checklists/partnerships/{partnership_id}/",
    } <= set(paths)
