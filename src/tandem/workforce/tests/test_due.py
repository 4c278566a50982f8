"""Workforce items on "My work": the person's own, and, for the service manager, those of each
worker of the service; in queries independent of the number of workers."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.compliance.models import DUE_SOON, LATER, OVERDUE
from tandem.lib.calendar import UK_TIME
from tandem.workforce.deadlines import add_years
from tandem.workforce.due import workforce_due_items_for_user
from tandem.workforce.models import CriminalRecordCheck
from tandem.workforce.tests.builders import Workforce, person, worker_with_current_check

pytestmark = pytest.mark.django_db


def _now() -> datetime:
    return datetime.combine(timezone.localdate(), time(9), tzinfo=UK_TIME)


def test_it_shows_a_worker_their_own_items_overdue_first(workforce: Workforce) -> None:
    items = workforce_due_items_for_user(user=workforce.staff.perpetrator_worker, now=_now())
    rules = {item.rule_id for item in items}
    assert {"mandatory-training", "cpd", "clinical-supervision"} <= rules
    assert "dbs" not in rules  # the fixture's check is a year old
    assert items[0].urgency == OVERDUE
    assert not any("Test Perpetrator worker" in item.title for item in items)


def test_it_shows_a_check_renewal_before_it_falls_due(workforce: Workforce) -> None:
    """Rule dbs: renewal due in a month shows (later), due tomorrow shows due soon."""
    today = timezone.localdate()
    CriminalRecordCheck.objects.filter(worker=workforce.worker).update(
        issued_on=add_years(day=today, years=-3) + timedelta(days=20)
    )
    items = workforce_due_items_for_user(user=workforce.staff.perpetrator_worker, now=_now())
    check = next(item for item in items if item.rule_id == "dbs")
    assert check.urgency == LATER
    assert check.due_on == today + timedelta(days=20)
    CriminalRecordCheck.objects.filter(worker=workforce.worker).update(
        issued_on=add_years(day=today, years=-3) + timedelta(days=1)
    )
    items = workforce_due_items_for_user(user=workforce.staff.perpetrator_worker, now=_now())
    assert next(item for item in items if item.rule_id == "dbs").urgency == DUE_SOON


def test_it_shows_the_manager_everyone_elses_items(workforce: Workforce) -> None:
    items = workforce_due_items_for_user(user=workforce.manager, now=_now())
    titles = " ".join(item.title for item in items)
    assert "(Test Perpetrator worker)" in titles
    assert "(Test Service manager)" not in titles  # his own show without his name


def test_it_shows_nothing_to_someone_without_a_record(workforce: Workforce) -> None:
    assert workforce_due_items_for_user(user=workforce.practice_manager, now=_now()) == []


def test_it_reads_the_managers_items_in_fixed_queries(
    workforce: Workforce, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    def fresh_manager() -> User:
        return User.objects.get(pk=workforce.manager.pk)

    manager = fresh_manager()
    with django_assert_max_num_queries(30) as few:
        workforce_due_items_for_user(user=manager, now=_now())
    for number in range(6):
        user = person(f"extra{number}", Role.PERPETRATOR_WORKER, workforce.service, "perpetrator")
        worker_with_current_check(user=user, service=workforce.service)
    manager = fresh_manager()
    with django_assert_max_num_queries(len(few.captured_queries)):
        workforce_due_items_for_user(user=manager, now=_now())
