"""Rule dbs (R22 A3.3, R08 A4.3, WG 12) and the facilitator-mix read (rule facilitators)."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from pytest_django import DjangoAssertNumQueries

from tandem.conftest import ServiceStaff
from tandem.organisations.models import Organisation, Service
from tandem.workforce.deadlines import (
    criminal_record_check_is_current,
    criminal_record_check_renewal_due,
)
from tandem.workforce.gates import allocation_refusal
from tandem.workforce.models import CheckLevel, CheckScheme, CriminalRecordCheck, Worker
from tandem.workforce.selectors import genders_of

pytestmark = pytest.mark.django_db


def _worker(user: User, service: Service, **kwargs: object) -> Worker:
    return Worker.objects.create(
        user=user,
        organisation=service.organisation,
        employment_type="staff",
        job_title="Synthetic facilitator",
        started_on=date(2024, 1, 1),
        **kwargs,
    )


def _check(worker: Worker, issued_on: date, scheme: str = CheckScheme.DBS) -> None:
    CriminalRecordCheck.objects.create(
        worker=worker,
        scheme=scheme,
        level=CheckLevel.ENHANCED,
        certificate_number="SYNTHETIC-1",
        issued_on=issued_on,
    )


@pytest.fixture
def newcomer() -> User:
    return User.objects.create_user(username="new", first_name="Synthetic", last_name="Worker A")


def test_it_dues_renewal_exactly_three_years_after_issue() -> None:
    assert criminal_record_check_renewal_due(issued_on=date(2024, 3, 5)) == date(2027, 3, 5)
    assert criminal_record_check_renewal_due(issued_on=date(2024, 2, 29)) == date(2027, 2, 28)


def test_it_counts_a_check_current_until_the_day_before_renewal() -> None:
    issued = date(2024, 3, 5)
    assert criminal_record_check_is_current(issued_on=issued, on=issued)
    assert criminal_record_check_is_current(issued_on=issued, on=date(2027, 3, 4))
    assert not criminal_record_check_is_current(issued_on=issued, on=date(2027, 3, 5))
    assert not criminal_record_check_is_current(issued_on=issued, on=date(2024, 3, 4))


def test_it_refuses_allocation_without_any_check_naming_person_and_rule(
    staffed_service: ServiceStaff, newcomer: User
) -> None:
    _worker(newcomer, staffed_service.service)
    refusal = allocation_refusal(
        user=newcomer, service=staffed_service.service, on=date(2026, 1, 1)
    )
    assert refusal is not None
    assert "Synthetic Worker A" in refusal
    assert "rule dbs" in refusal
    assert "Disclosure and Barring Service" in refusal


def test_it_refuses_allocation_without_a_worker_record(
    staffed_service: ServiceStaff, newcomer: User
) -> None:
    assert allocation_refusal(user=newcomer, service=staffed_service.service, on=date(2026, 1, 1))


def test_it_allows_allocation_with_a_current_check_until_the_renewal_day(
    staffed_service: ServiceStaff, newcomer: User
) -> None:
    service = staffed_service.service
    _check(_worker(newcomer, service), date(2023, 6, 1))
    assert allocation_refusal(user=newcomer, service=service, on=date(2023, 6, 1)) is None
    assert allocation_refusal(user=newcomer, service=service, on=date(2026, 5, 31)) is None
    refusal = allocation_refusal(user=newcomer, service=service, on=date(2026, 6, 1))
    assert refusal is not None
    assert "1 Jun 2026" in refusal


def test_it_ignores_a_check_issued_after_the_allocation_date(
    staffed_service: ServiceStaff, newcomer: User
) -> None:
    service = staffed_service.service
    _check(_worker(newcomer, service), date(2026, 2, 1))
    assert allocation_refusal(user=newcomer, service=service, on=date(2026, 1, 31))


def test_it_uses_the_latest_of_several_checks(
    staffed_service: ServiceStaff, newcomer: User
) -> None:
    service = staffed_service.service
    worker = _worker(newcomer, service)
    _check(worker, date(2020, 1, 1))
    _check(worker, date(2025, 1, 1))
    assert allocation_refusal(user=newcomer, service=service, on=date(2026, 1, 1)) is None


def test_it_refuses_a_check_of_another_jurisdictions_scheme(
    staffed_service: ServiceStaff, newcomer: User
) -> None:
    """Rule dbs: a Disclosure Scotland check does not cover a service in England and Wales."""
    service = staffed_service.service
    _check(_worker(newcomer, service), date(2025, 1, 1), scheme=CheckScheme.DISCLOSURE_SCOTLAND)
    refusal = allocation_refusal(user=newcomer, service=service, on=date(2026, 1, 1))
    assert refusal is not None
    assert "DBS" in refusal


def test_it_refuses_a_check_held_in_another_organisation(
    staffed_service: ServiceStaff, newcomer: User
) -> None:
    other = Organisation.objects.create(name="Synthetic Other Organisation")
    elsewhere = Service.objects.create(
        organisation=other,
        name="Other DAPP",
        jurisdiction="england-and-wales",
        delivery="group",
        iss_provision="internal",
    )
    _check(_worker(newcomer, elsewhere), date(2025, 1, 1))
    assert allocation_refusal(user=newcomer, service=staffed_service.service, on=date(2026, 1, 1))


def test_it_gives_staff_of_the_shared_fixture_a_current_check(
    staffed_service: ServiceStaff,
) -> None:
    assert (
        allocation_refusal(
            user=staffed_service.perpetrator_worker,
            service=staffed_service.service,
            on=date.today(),
        )
        is None
    )


def test_it_reads_genders_in_one_query(
    staffed_service: ServiceStaff, newcomer: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    service = staffed_service.service
    _worker(newcomer, service, gender="female")
    unknown = User.objects.create_user(username="unknown")
    blank = staffed_service.perpetrator_worker  # worker record with no gender recorded
    with django_assert_num_queries(1):
        genders = genders_of(users=[newcomer, unknown, blank], service=service)
    assert genders == {newcomer.pk: "female", unknown.pk: None, blank.pk: None}


def test_it_reads_no_genders_for_no_users(staffed_service: ServiceStaff) -> None:
    assert genders_of(users=[], service=staffed_service.service) == {}
