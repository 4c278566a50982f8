"""The workforce API under /api/v1/workforce/: 403 for roles that manage no staff, 404 for
another organisation's records, 400 naming the field and rule, 201 for a record made."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from tandem.access.roles import Role
from tandem.workforce.models import CriminalRecordCheck, Supervision, TrainingRecord
from tandem.workforce.tests.builders import Workforce, client_for

pytestmark = pytest.mark.django_db
REFUSED_ROLES = [Role.PERPETRATOR_WORKER, Role.ISS_WORKER, Role.ASSESSOR, Role.COMMISSIONER, None]


def _reads(workforce: Workforce) -> list[str]:
    service, worker = workforce.service.pk, workforce.worker.pk
    return [
        f"/api/v1/workforce/services/{service}/workers/",
        f"/api/v1/workforce/services/{service}/matrix/",
        f"/api/v1/workforce/workers/{worker}/checks/",
        f"/api/v1/workforce/workers/{worker}/training/",
        f"/api/v1/workforce/workers/{worker}/supervision/",
    ]


def _writes(workforce: Workforce) -> list[str]:
    return _reads(workforce)[2:]


@pytest.mark.parametrize("role", REFUSED_ROLES, ids=lambda r: r.value if r else "no-role")
def test_it_refuses_roles_that_manage_no_staff(
    workforce: Workforce,
    client_as: Callable[[Role], Client],
    user_without_role: User,
    role: Role | None,
) -> None:
    client = client_as(role) if role is not None else client_for(user_without_role)
    for url in _reads(workforce):
        assert client.get(url).status_code == 403, url
    for url in _writes(workforce):
        assert client.post(url, {}, content_type="application/json").status_code == 403, url


def test_it_refuses_the_worker_themselves(workforce: Workforce) -> None:
    client = client_for(workforce.staff.perpetrator_worker)
    for url in _reads(workforce):
        assert client.get(url).status_code == 403, url


def test_it_answers_404_to_another_organisations_manager(workforce: Workforce) -> None:
    client = client_for(workforce.other_manager)
    for url in _reads(workforce):
        assert client.get(url).status_code == 404, url


def test_it_lists_workers_and_the_matrix_for_the_manager(workforce: Workforce) -> None:
    client = client_for(workforce.manager)
    workers = client.get(_reads(workforce)[0]).json()
    assert {row["username"] for row in workers} >= {"pw", "sm"}
    matrix = client.get(_reads(workforce)[1]).json()
    check = next(c for c in matrix[0]["cells"] if c["requirement"] == "check")
    assert check["rule"] == "dbs"
    assert check["status"] == "green"


def test_it_records_a_check_and_never_returns_the_number(workforce: Workforce) -> None:
    client = client_for(workforce.manager)
    response = client.post(
        _reads(workforce)[2],
        {
            "scheme": "dbs",
            "level": "enhanced",
            "certificate_number": "009988776655",
            "issued_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert "certificate_number" not in response.json()
    assert "009988776655" not in client.get(_reads(workforce)[2]).content.decode()


def test_it_answers_400_naming_field_and_rule(workforce: Workforce) -> None:
    client = client_for(workforce.manager)
    before = (CriminalRecordCheck.objects.count(), Supervision.objects.count())
    future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    check = client.post(
        _reads(workforce)[2],
        {"scheme": "dbs", "level": "enhanced", "certificate_number": "1", "issued_on": future},
        content_type="application/json",
    )
    assert check.status_code == 400
    assert "issued_on" in check.json()
    supervision = client.post(
        _reads(workforce)[4],
        {
            "kind": "line-management",
            "supervisor": "sm",
            "held_on": timezone.localdate().isoformat(),
            "minutes": 60,
        },
        content_type="application/json",
    )
    assert supervision.status_code == 400
    assert supervision.json()["rule"] == "line-management"
    assert "competency" in supervision.json()
    unknown = client.post(
        _reads(workforce)[4],
        {"kind": "clinical", "supervisor": "nobody", "held_on": "2026-01-01", "minutes": 60},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert "supervisor" in unknown.json()
    garbage = client.post(
        _reads(workforce)[3], {"hours": "lots", "kind": "?"}, content_type="application/json"
    )
    assert garbage.status_code == 400
    assert (CriminalRecordCheck.objects.count(), Supervision.objects.count()) == before


def test_it_records_training_and_supervision(workforce: Workforce) -> None:
    client = client_for(workforce.manager)
    today = timezone.localdate().isoformat()
    training = client.post(
        _reads(workforce)[3],
        {
            "kind": "safeguarding",
            "title": "Synthetic safeguarding",
            "completed_on": today,
            "hours": "6.5",
        },
        content_type="application/json",
    )
    assert training.status_code == 201
    assert TrainingRecord.objects.get().hours == 6.5
    supervision = client.post(
        _reads(workforce)[4],
        {
            "kind": "clinical",
            "supervisor": "sm",
            "held_on": today,
            "minutes": 90,
            "notes": "Synthetic",
        },
        content_type="application/json",
    )
    assert supervision.status_code == 201
    assert "notes" not in supervision.json()


def test_it_lets_a_practice_manager_record_supervision_they_give(workforce: Workforce) -> None:
    client = client_for(workforce.practice_manager)
    url = _reads(workforce)[4]
    today = timezone.localdate().isoformat()
    body = {"kind": "clinical", "held_on": today, "minutes": 90}
    assert (
        client.post(url, {**body, "supervisor": "sm"}, content_type="application/json").status_code
        == 400
    )
    assert (
        client.post(url, {**body, "supervisor": "pm"}, content_type="application/json").status_code
        == 201
    )
    assert client.get(_reads(workforce)[2]).status_code == 403


def test_it_documents_every_workforce_route_in_a_valid_schema(workforce: Workforce) -> None:
    document = client_for(workforce.manager).get(reverse("api-schema"), {"format": "json"}).json()
    validate_schema(document)
    paths = document["paths"]
    assert {
        "/api/v1/workforce/services/{service_id}/workers/",
        "/api/v1/workforce/services/{service_id}/matrix/",
        "/api/v1/workforce/workers/{worker_id}/checks/",
        "/api/v1/workforce/workers/{worker_id}/training/",
        "/api/v1/workforce/workers/{worker_id}/supervision/",
    } <= set(paths)
    assert {"201", "400", "403", "404"} <= set(
        paths["/api/v1/workforce/workers/{worker_id}/checks/"]["post"]["responses"]
    )
