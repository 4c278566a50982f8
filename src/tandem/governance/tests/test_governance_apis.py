"""The governance API: the register and calendar read, a policy and a complaint written, each
refused (403) for the roles that may not, 404 for another service's manager, and 400 naming
the field and rule for bad input."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from tandem.access.roles import Role
from tandem.conftest import ServiceStaff
from tandem.governance.models import Complaint, Policy
from tandem.governance.tests.builders import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("governance_uploads")]

ROUTES = ["governance-policies", "governance-calendar", "governance-complaints"]


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def route(name: str, staff: ServiceStaff) -> str:
    return reverse(f"v1:{name}", args=[staff.service.pk])


def policy_input(staff: ServiceStaff, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "required_policy": "h",
        "title": "Synthetic code of conduct",
        "version_label": "v1",
        "owner": staff.service_manager.username,
        "approved_on": "2025-05-01",
        "next_review_on": "2028-05-01",
        "document": pdf("conduct.pdf"),
    }
    data.update(overrides)
    return data


def test_it_reads_the_register_with_missing_policies_for_a_worker(
    staffed_service: ServiceStaff,
) -> None:
    response = api_as(staffed_service.iss_worker).get(route("governance-policies", staffed_service))
    assert response.status_code == 200
    assert [row["missing"] for row in response.json()] == [True] * 11


def test_it_records_a_policy_and_shows_it_on_the_calendar(staffed_service: ServiceStaff) -> None:
    client = api_as(staffed_service.service_manager)
    response = client.post(
        route("governance-policies", staffed_service),
        policy_input(staffed_service),
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["document_kind"] == "pdf"
    calendar = client.get(route("governance-calendar", staffed_service)).json()
    assert {
        "title": "Policy review: Synthetic code of conduct",
        "rule_id": "policies",
        "due_on": "2028-05-01",
        "urgency": "later",
    } in calendar


def test_it_answers_400_naming_the_field_and_rule_for_a_review_too_late_rule_policies(
    staffed_service: ServiceStaff,
) -> None:
    response = api_as(staffed_service.service_manager).post(
        route("governance-policies", staffed_service),
        policy_input(staffed_service, next_review_on="2028-05-02"),
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "policies"
    assert "next_review_on" in response.json()
    assert not Policy.objects.exists()


def test_it_answers_400_for_a_document_that_is_not_a_document(
    staffed_service: ServiceStaff,
) -> None:
    from django.core.files.base import ContentFile

    response = api_as(staffed_service.service_manager).post(
        route("governance-policies", staffed_service),
        policy_input(staffed_service, document=ContentFile(b"MZ\x90\x00", name="policy.pdf")),
        format="multipart",
    )
    assert response.status_code == 400
    assert "document" in response.json()


def test_it_records_a_complaint_and_refuses_a_bad_timeframe(staffed_service: ServiceStaff) -> None:
    client = api_as(staffed_service.service_manager)
    url = route("governance-complaints", staffed_service)
    created = client.post(
        url,
        {"received_on": "2026-11-02", "complainant": "Synthetic", "summary": "Synthetic"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["response_working_days"] == 20
    refused = client.post(
        url,
        {
            "received_on": "2026-11-02",
            "complainant": "S",
            "summary": "S",
            "response_working_days": 0,
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["rule"] == "complaints"
    assert Complaint.objects.count() == 1
    assert len(client.get(url).json()) == 1


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.COMMISSIONER])
def test_it_refuses_every_route_to_assurance_roles_403(
    staffed_service: ServiceStaff, user_with_role: Callable[[Role], User], name: str, role: Role
) -> None:
    client = api_as(user_with_role(role))
    assert client.get(route(name, staffed_service)).status_code == 403


@pytest.mark.parametrize("name", ROUTES)
def test_it_refuses_every_route_without_a_role_403(
    staffed_service: ServiceStaff, user_without_role: User, name: str
) -> None:
    assert api_as(user_without_role).get(route(name, staffed_service)).status_code == 403


@pytest.mark.parametrize("name", ["governance-calendar", "governance-complaints"])
def test_it_refuses_management_routes_to_the_services_workers_403(
    staffed_service: ServiceStaff, name: str
) -> None:
    for worker in (staffed_service.perpetrator_worker, staffed_service.iss_worker):
        assert api_as(worker).get(route(name, staffed_service)).status_code == 403


def test_it_refuses_writes_to_workers_and_complaints_to_a_practice_manager_403(
    staffed_service: ServiceStaff, practice_manager: User
) -> None:
    worker = api_as(staffed_service.perpetrator_worker)
    assert (
        worker.post(
            route("governance-policies", staffed_service),
            policy_input(staffed_service),
            format="multipart",
        ).status_code
        == 403
    )
    assert (
        worker.post(route("governance-complaints", staffed_service), {}, format="json").status_code
        == 403
    )
    assert (
        api_as(practice_manager).get(route("governance-complaints", staffed_service)).status_code
        == 403
    )
    assert not Policy.objects.exists()


@pytest.mark.parametrize("name", ROUTES)
def test_it_hides_this_services_records_from_another_services_manager_404(
    staffed_service: ServiceStaff, other_manager: User, name: str
) -> None:
    client = api_as(other_manager)
    assert client.get(route(name, staffed_service)).status_code == 404
    if name != "governance-calendar":
        assert client.post(route(name, staffed_service), {}, format="multipart").status_code == 404


def test_it_documents_the_governance_routes_in_a_valid_schema(
    staffed_service: ServiceStaff,
) -> None:
    from drf_spectacular.validation import validate_schema

    document = (
        api_as(staffed_service.service_manager)
        .get(reverse("api-schema"), {"format": "json"})
        .json()
    )
    validate_schema(document)
    paths = document["paths"]
    policies = paths["/api/v1/services/{service_id}/governance/policies/"]
    assert {"201", "400", "403", "404"} <= set(policies["post"]["responses"])
    assert "multipart/form-data" in policies["post"]["requestBody"]["content"]
    assert "/api/v1/services/{service_id}/governance/calendar/" in paths
    assert "post" in paths["/api/v1/services/{service_id}/governance/complaints/"]
