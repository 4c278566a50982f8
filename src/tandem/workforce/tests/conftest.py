"""The workforce fixture: personas on top of the shared staffed service (tests/builders.py)."""

import pytest

from tandem.access.roles import Role
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Organisation, Service
from tandem.workforce.models import Worker
from tandem.workforce.tests.builders import Workforce, person


@pytest.fixture
def workforce(staffed_service: ServiceStaff) -> Workforce:
    service = staffed_service.service
    other_org = Organisation.objects.create(name="Synthetic Other Organisation")
    other_service = Service.objects.create(
        organisation=other_org,
        name="Other DAPP",
        jurisdiction="england-and-wales",
        delivery="group",
        iss_provision="internal",
    )
    return Workforce(
        staff=staffed_service,
        service=service,
        manager=staffed_service.service_manager,
        hr=person("hr", Role.HR, service, "management"),
        practice_manager=person("pm", Role.PRACTICE_MANAGER, service, "perpetrator"),
        other_manager=person("other-sm", Role.SERVICE_MANAGER, other_service, "both"),
        other_service=other_service,
        worker=Worker.objects.get(user=staffed_service.perpetrator_worker),
        other_worker=Worker.objects.get(user=staffed_service.iss_worker),
        manager_worker=Worker.objects.get(user=staffed_service.service_manager),
    )
