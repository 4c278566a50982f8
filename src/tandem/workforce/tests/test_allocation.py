"""Rule dbs (R22 A3.3, R08 A4.3, WG 12): nobody without a current criminal record check is
allocated a perpetrator case or a survivor's ISS case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.access.roles import Role
from tandem.cases.services.lifecycle import perpetrator_case_allocate
from tandem.cases.tests.builders import iss_case_of, received
from tandem.lib.errors import ActionRefused
from tandem.support.services.iss_cases import iss_case_allocate
from tandem.workforce.deadlines import add_years
from tandem.workforce.tests.builders import Workforce, person, worker_with_current_check

pytestmark = pytest.mark.django_db


def test_it_refuses_to_allocate_a_perpetrator_case_without_a_check(workforce: Workforce) -> None:
    case = received(workforce.staff)
    newcomer = person("newcomer", Role.PERPETRATOR_WORKER, workforce.service, "perpetrator")
    with pytest.raises(ActionRefused) as refused:
        perpetrator_case_allocate(
            case=case, actor=workforce.manager, expected_version=case.version, worker=newcomer
        )
    assert (refused.value.rule_id, refused.value.field) == ("dbs", "worker")
    assert "Synthetic Newcomer" in refused.value.message
    case.refresh_from_db()
    assert case.allocated_worker_id != newcomer.pk


def test_it_refuses_a_check_that_reached_its_renewal_date_today(workforce: Workforce) -> None:
    """Exactly 3 years after issue the check is no longer current."""
    case = received(workforce.staff)
    newcomer = person("newcomer", Role.PERPETRATOR_WORKER, workforce.service, "perpetrator")
    worker_with_current_check(
        user=newcomer,
        service=workforce.service,
        issued_on=add_years(day=timezone.localdate(), years=-3),
    )
    with pytest.raises(ActionRefused, match="rule dbs"):
        perpetrator_case_allocate(
            case=case, actor=workforce.manager, expected_version=case.version, worker=newcomer
        )


def test_it_allocates_with_a_check_issued_a_day_short_of_three_years(
    workforce: Workforce,
) -> None:
    case = received(workforce.staff)
    newcomer = person("newcomer", Role.PERPETRATOR_WORKER, workforce.service, "perpetrator")
    issued_on = add_years(day=timezone.localdate(), years=-3) + timedelta(days=1)
    worker_with_current_check(user=newcomer, service=workforce.service, issued_on=issued_on)
    case = perpetrator_case_allocate(
        case=case, actor=workforce.manager, expected_version=case.version, worker=newcomer
    )
    assert case.allocated_worker_id == newcomer.pk


def test_it_refuses_to_allocate_an_iss_case_without_a_check(workforce: Workforce) -> None:
    iss_case = iss_case_of(received(workforce.staff))
    newcomer = person("iss-newcomer", Role.ISS_WORKER, workforce.service, "iss")
    with pytest.raises(ActionRefused) as refused:
        iss_case_allocate(
            iss_case=iss_case,
            actor=workforce.manager,
            expected_version=iss_case.version,
            worker=newcomer,
        )
    assert (refused.value.rule_id, refused.value.field) == ("dbs", "worker")
    iss_case.refresh_from_db()
    assert iss_case.allocated_worker_id != newcomer.pk
