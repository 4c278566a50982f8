"""Demo workforce records: every member of the demo service's staff gets a worker record and a
current check (rule dbs), with one check due soon and one clinical supervision overdue."""

from datetime import date, datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from tandem.cases.models import PerpetratorCase
from tandem.demo import service as demo_service
from tandem.demo.users import demo_users_create
from tandem.lib.calendar import UK_TIME
from tandem.organisations.models import Organisation, Service
from tandem.organisations.roles import Role
from tandem.support.models import IssCase
from tandem.workforce.demo import demo_workforce
from tandem.workforce.gates import allocation_refusal
from tandem.workforce.matrix import AMBER, RED, compliance_matrix
from tandem.workforce.models import Worker
from tandem.workforce.selectors import service_workers
from tandem.workforce.tests.conftest import person

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


def test_it_lets_the_demo_service_load_once_wired_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """How the lead wires it: right after the demo staff are created, before any allocation."""
    staff_create = demo_service._staff_create

    def with_workforce(*, service: Service, started_on: date) -> object:
        staff = staff_create(service=service, started_on=started_on)
        demo_workforce(service=service, now=NOW)
        return staff

    monkeypatch.setattr(demo_service, "_staff_create", with_workforce)
    with override_settings(
        DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        demo_users_create()
        demo_service.demo_service_load(today=NOW, size=demo_service.MIN_SIZE)
    assert PerpetratorCase.objects.exists()
    assert IssCase.objects.exclude(allocated_worker=None).exists()
    assert not Worker.objects.filter(checks=None).exists()
