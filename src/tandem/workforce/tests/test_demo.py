"""Demo workforce records: every member of the demo service's staff gets a worker record and a
current check (rule dbs), with one check due soon and one clinical supervision overdue."""

from datetime import datetime

import pytest
from django.utils import timezone

from tandem.access.roles import Role
from tandem.demo.workforce import demo_workforce
from tandem.lib.calendar import UK_TIME
from tandem.organisations.models import Organisation, Service
from tandem.workforce.gates import allocation_refusal
from tandem.workforce.matrix import AMBER, RED, compliance_matrix
from tandem.workforce.models import Worker
from tandem.workforce.selectors import service_workers
from tandem.workforce.tests.builders import person

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 15, 11, 0, tzinfo=UK_TIME)


def test_it_gives_every_member_of_staff_a_record_and_a_current_check() -> None:
    organisation = Organisation.objects.create(name="Synthetic Demo Organisation")
    service = Service.objects.create(
        organisation=organisation,
        name="Synthetic Demo DAPP",
        jurisdiction="northern-ireland",
        delivery="group",
        iss_provision="internal",
    )
    manager = person("demo-sm", Role.SERVICE_MANAGER, service, "both")
    workers = [
        person(f"demo-{n}", Role.PERPETRATOR_WORKER, service, "perpetrator") for n in range(3)
    ]
    created = demo_workforce(service=service, now=NOW)
    assert len(created) == 4
    assert demo_workforce(service=service, now=NOW) == []  # idempotent
    for user in workers:
        assert allocation_refusal(user=user, service=service, on=timezone.localdate()) is None
    rows = compliance_matrix(
        service=service, workers=list(service_workers(service=service)), on=NOW.date()
    )
    cells = {
        (row.worker.user_id, cell.requirement.key): cell.status
        for row in rows
        for cell in row.cells
    }
    assert cells[(manager.pk, "check")] == AMBER
    assert [user for user in workers if cells[(user.pk, "clinical")] == RED] == [workers[0]]
    assert Worker.objects.filter(organisation=organisation).count() == 4
