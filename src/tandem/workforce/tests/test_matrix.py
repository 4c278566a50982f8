"""The staff compliance matrix: green, amber (due within a month) and red (overdue or missing),
each at its boundary, in a fixed number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.workforce import deadlines
from tandem.workforce.matrix import AMBER, GREEN, NOT_APPLICABLE, RED, compliance_matrix
from tandem.workforce.models import Supervision, TrainingRecord, Worker
from tandem.workforce.selectors import service_workers
from tandem.workforce.tests.builders import Workforce, person, worker_with_current_check

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 23)


def _cells(workforce: Workforce, worker: Worker) -> dict[str, str]:
    row = compliance_matrix(service=workforce.service, workers=[worker], on=ON)[0]
    return {cell.requirement.key: cell.status for cell in row.cells}


def _fresh(workforce: Workforce, issued_on: date) -> Worker:
    user = person("fresh", Role.PERPETRATOR_WORKER, workforce.service, "perpetrator")
    return worker_with_current_check(user=user, service=workforce.service, issued_on=issued_on)


@pytest.mark.parametrize(
    ("issued_on", "status"),
    [
        (date(2023, 11, 23), RED),  # rule dbs: exactly 3 years on, no longer current
        (date(2023, 11, 24), AMBER),
        (date(2023, 12, 23), AMBER),  # due exactly a month ahead
        (date(2023, 12, 24), GREEN),
    ],
)
def test_it_colours_the_check_by_its_renewal_date(
    workforce: Workforce, issued_on: date, status: str
) -> None:
    """Rule dbs (R22 A3.3)."""
    assert _cells(workforce, _fresh(workforce, issued_on))["check"] == status


def test_it_shows_missing_records_red_and_not_applicable_ones_grey(workforce: Workforce) -> None:
    cells = _cells(workforce, _fresh(workforce, date(2026, 1, 1)))
    assert cells["training-safeguarding"] == RED  # rule mandatory-training: none recorded
    assert cells["training-respect-service-manager"] == NOT_APPLICABLE
    assert cells["cpd"] == RED
    assert cells["peer"] == NOT_APPLICABLE
    assert cells["documents"] == RED
    manager_cells = _cells(workforce, workforce.manager_worker)
    assert manager_cells["training-respect-service-manager"] == RED


def test_it_counts_cpd_hours_against_twenty(workforce: Workforce) -> None:
    """Rule cpd (R22 A3.4): amber when hours drop below 20 within the month."""
    worker = _fresh(workforce, date(2026, 1, 1))
    TrainingRecord.objects.create(
        worker=worker, kind="other", title="Synthetic", completed_on=date(2025, 12, 1), hours=20
    )
    assert _cells(workforce, worker)["cpd"] == AMBER
    TrainingRecord.objects.create(
        worker=worker, kind="other", title="Synthetic", completed_on=date(2025, 11, 23), hours=50
    )
    assert _cells(workforce, worker)["cpd"] == AMBER
    TrainingRecord.objects.create(
        worker=worker, kind="edi", title="Synthetic", completed_on=ON, hours=Decimal(20)
    )
    assert _cells(workforce, worker)["cpd"] == GREEN


def test_it_dues_clinical_supervision_six_weeks_after_the_last(workforce: Workforce) -> None:
    """Rule clinical-supervision: red the day after the 6 weeks are up."""
    worker = _fresh(workforce, date(2026, 1, 1))
    held = Supervision.objects.create(
        supervisee=worker,
        supervisor=workforce.manager,
        kind="clinical",
        held_on=ON - timedelta(weeks=6),
        minutes=90,
    )
    assert _cells(workforce, worker)["clinical"] == AMBER  # due today
    held.held_on = ON - timedelta(weeks=6, days=1)
    held.save()
    assert _cells(workforce, worker)["clinical"] == RED


def test_it_warns_when_last_months_clinical_supervision_was_under_an_hour_and_a_half(
    workforce: Workforce,
) -> None:
    """Rule clinical-supervision (NE 3.13): at least 1.5 hours a month."""
    worker = _fresh(workforce, date(2026, 1, 1))
    for held_on, minutes in ((date(2026, 10, 20), 60), (date(2026, 11, 20), 90)):
        Supervision.objects.create(
            supervisee=worker,
            supervisor=workforce.manager,
            kind="clinical",
            held_on=held_on,
            minutes=minutes,
        )
    row = compliance_matrix(service=workforce.service, workers=[worker], on=ON)[0]
    cell = next(cell for cell in row.cells if cell.requirement.key == "clinical")
    assert cell.status == AMBER
    assert "1.5 h this month" in cell.text
    assert "only 1 h in October" in cell.text


def test_it_asks_icm_case_managers_for_observation_and_peer_supervision(
    workforce: Workforce,
) -> None:
    """Rule practice-observation (R22-I B6.3): monthly in probation."""
    worker = _fresh(workforce, date(2026, 1, 1))
    worker.is_icm_case_manager = True
    worker.started_on = date(2026, 10, 1)
    worker.probation_ends_on = date(2027, 4, 1)
    worker.save()
    cells = _cells(workforce, worker)
    assert cells["observation"] == RED  # due 1 Nov, a month after starting
    assert cells["peer"] == AMBER  # due 26 Nov, 8 weeks after starting
    assert not deadlines.has_case_manager_experience(relevant_experience_since=None, on=ON)


def test_it_builds_the_matrix_in_a_fixed_number_of_queries(
    workforce: Workforce, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(6):
        user = person(f"extra{number}", Role.PERPETRATOR_WORKER, workforce.service, "perpetrator")
        worker = worker_with_current_check(user=user, service=workforce.service)
        TrainingRecord.objects.create(
            worker=worker, kind="edi", title="Synthetic", completed_on=ON, hours=3
        )
    workers = list(service_workers(service=workforce.service))
    assert len(workers) >= 10
    with django_assert_max_num_queries(7):
        rows = compliance_matrix(service=workforce.service, workers=workers, on=ON)
    assert len(rows) == len(workers)
