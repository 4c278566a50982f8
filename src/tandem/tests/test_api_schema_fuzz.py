"""The API against its own OpenAPI schema: schemathesis generates requests for every operation
from the schema (drf-spectacular's, made in-process) and sends them to the WSGI application,
signed in as the service manager of a staffed service (both sides of the barrier, senior), with
the records its paths name real ones of that service, so that bodies reach the serializers and
the services.

Every answer must be no 5xx, a status code the schema lists, a body that matches the schema and,
for data the schema calls valid, no 400 for its shape: a client generated from the schema must
not be refused for what the schema allows. A 400 for valid data is right only when the
standards refuse it (the answer names its rule) or the records do: an id that names no record
of the service, a case at another stage, a date after today (`REFUSED_BY_THE_RECORDS`).

Bounded and reproducible: `EXAMPLES_PER_OPERATION` generated cases per operation (valid and
invalid), derandomized. schemathesis's coverage phase (every boundary of every field) is off: it
costs three times the rest; the boundaries that mattered have tests of their own.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from pytest_django import DjangoDbBlocker
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tandem.cases.models import PerpetratorCase
from tandem.cases.tests.builders import iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.standards.models import Requirement
from tandem.support.models import IssCase
from tandem.workforce.models import Worker

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass_only]

EXAMPLES_PER_OPERATION = 5
# An unmasked CSRF secret (32 characters) in both the cookie and the header, as Django accepts.
CSRF_SECRET = "schemathesiscsrfsecret0123456789"

# Valid data the records refuse: operation → the fields whose refusal is the records' (an id,
# username, slug or reference that names nothing the service has; a date relative to today or
# to another record; a step the case or her support has not reached). Anything else refused for
# valid data is the schema failing to describe a check.
REFUSED_BY_THE_RECORDS: dict[str, set[str]] = {
    "POST /api/v1/assurance/checklists/self-assessments/": {"framework"},
    "POST /api/v1/assurance/checklists/west-midlands/": {"service"},
    "POST /api/v1/assurance/checklists/welsh/": {"service"},
    "POST /api/v1/assurance/checklists/audits/": {"service"},
    "POST /api/v1/assurance/assessments/": {"service"},
    "POST /api/v1/cases/": {"service", "received_at", "date_of_birth"},
    "POST /api/v1/cases/{reference}/allocate/": {"worker", "stage"},
    "POST /api/v1/cases/{reference}/assess/": {"stage"},
    "POST /api/v1/cases/{reference}/close/": {"stage", "detail"},
    "POST /api/v1/cases/{reference}/consent/": {"stage"},
    "POST /api/v1/cases/{reference}/screen/": {"stage"},
    "POST /api/v1/cases/{reference}/start/": {"stage"},
    "POST /api/v1/cases/{reference}/notes/": {"occurred_at"},
    "POST /api/v1/cases/{reference}/children/": {"date_of_birth", "plan_review_on"},
    "POST /api/v1/iss-cases/{id}/allocate/": {"worker"},
    # Keyed by question number: OpenAPI 3.0 has no way to say what an object's keys are.
    "POST /api/v1/iss-cases/{id}/dash/": {"answers"},
    # A number or email, or an address: one of hers, either, not both.
    # A date before 1900 (OpenAPI 3.0 has no minimum for a date-time).
    "POST /api/v1/iss-cases/{id}/contact-attempts/": {
        "destination",
        "destination_address",
        "attempted_at",
    },
    "POST /api/v1/iss-cases/{id}/links/": {"case"},
    "POST /api/v1/iss-cases/{id}/risk-notes/": {"case"},
    "POST /api/v1/iss-cases/{id}/safety-plans/": {"review_on", "agreed_on"},
    "POST /api/v1/iss-cases/{id}/safety-plans/review/": {"next_review_on"},
    "POST /api/v1/iss-cases/{id}/sessions/": {"held_at"},
    "POST /api/v1/services/{service_id}/case-reviews/": {"chair", "attendees", "held_on"},
    "POST /api/v1/services/{service_id}/exchanges/": {
        "perpetrator_side_person",
        "iss_side_person",
    },
    "POST /api/v1/services/{service_id}/file-audits/": {"sample"},
    "POST /api/v1/services/{service_id}/governance/complaints/": {"received_on"},
    "POST /api/v1/services/{service_id}/governance/policies/": {"owner"},
    "POST /api/v1/services/{service_id}/memberships/": {"username"},
    "POST /api/v1/workforce/workers/{worker_id}/supervision/": {"supervisor", "held_on"},
    "POST /api/v1/workforce/workers/{worker_id}/training/": {"completed_on"},
    "POST /api/v1/workforce/workers/{worker_id}/checks/": {"issued_on"},
    # Either a perpetrator case or an ISS case of the service, not both.
    "POST /api/v1/legal-holds/": {"perpetrator_case", "iss_case"},
    # Confirmed only where the export names other people, which depends on the case's records.
    "POST /api/v1/cases/{reference}/subject-access/release/": {"third_parties_reviewed"},
}


@dataclass(frozen=True)
class World:
    """One service's records, to put in the paths schemathesis generates."""

    staff: ServiceStaff
    case: PerpetratorCase
    iss_case: IssCase
    worker: Worker
    requirement: Requirement
    session_cookie: str


@pytest.fixture(scope="module")
def world(
    module_staffed_service: ServiceStaff, django_db_blocker: DjangoDbBlocker
) -> Iterator[World]:
    with django_db_blocker.unblock():
        case = received(module_staffed_service)
        client = Client()
        client.force_login(module_staffed_service.service_manager)
        requirement = Requirement.objects.select_related("framework").first()
        assert requirement is not None
        yield World(
            staff=module_staffed_service,
            case=case,
            iss_case=iss_case_of(case),
            worker=Worker.objects.get(user=module_staffed_service.service_manager),
            requirement=requirement,
            session_cookie=client.cookies["sessionid"].value,
        )


def real_path_parameters(path: str, world: World) -> dict[str, object]:
    """The records of the world that the path's parameters name (others stay generated)."""
    values: dict[str, object] = {
        "service_id": world.staff.service.pk,
        "reference": world.case.reference,
        "worker_id": world.worker.pk,
        "slug": world.requirement.framework.slug,
        "code": world.requirement.code,
    }
    if path.startswith("/api/v1/iss-cases/"):
        values["id"] = world.iss_case.pk
    return values


def refused_for_its_shape(response: Any, case: Any) -> list[str]:
    """The fields of a 400 for valid data that neither a rule nor the records refused."""
    body = response.json()
    if not isinstance(body, dict) or "rule" in body:
        return []
    return sorted(set(body) - REFUSED_BY_THE_RECORDS.get(case.operation.label, set()))


# Made when the module is collected (about 3 s), so that each operation is a test of its own.
schema = schemathesis.openapi.from_dict(
    SchemaGenerator(api_version="v1").get_schema(request=None, public=True),
    config=SchemathesisConfig.from_dict(
        {
            "generation": {
                # Signed in through the session; no generated credentials.
                "with-security-parameters": False,
                # DRF refuses a NUL character in any text; a pattern saying so on every text
                # field would bury the schema's own.
                "allow-x00": False,
            },
            "phases": {"coverage": {"enabled": False}},
            "checks": {
                # DRF reads 5 as "5" for a text field and ignores a paging offset it cannot
                # read: lenient, not wrong, so invalid data accepted is not a failure.
                "negative_data_rejection": {"enabled": False},
                # Anonymous refusals are the route-by-role test's.
                "ignored_auth": {"enabled": False},
            },
        }
    ),
)
# In-process: every request, the checks' own probes too, goes to the WSGI application.
schema.app = WSGIHandler()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case: Any, world: World) -> None:
    if case.path_parameters:
        known = real_path_parameters(case.path, world)
        for name in case.path_parameters:
            if name in known:
                case.path_parameters[name] = known[name]
    response = case.call(
        headers={"X-CSRFToken": CSRF_SECRET},
        cookies={"sessionid": world.session_cookie, "csrftoken": CSRF_SECRET},
    )
    # Valid data refused is judged below, knowing which refusals are the records'.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    if case.meta.generation.mode.is_positive and response.status_code == 400:
        fields = refused_for_its_shape(response, case)
        assert not fields, (
            f"{case.operation.label}: data the schema calls valid was refused for {fields}: "
            f"{response.text}\n{case.as_curl_command()}"
        )
