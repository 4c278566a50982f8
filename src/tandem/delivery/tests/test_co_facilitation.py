"""Rule mentoring (NE 3.12): the group sessions a new worker and their mentor facilitated
together, counted in one query."""

from datetime import date, time

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.conftest import ServiceStaff
from tandem.delivery.models import DeliverySession, SessionType
from tandem.delivery.selectors import sessions_co_facilitated_count
from tandem.delivery.tests.builders import men_in_intervention
from tandem.workforce.tests.builders import group_sessions_facilitated_by

pytestmark = pytest.mark.django_db
SINCE = date(2026, 5, 1)
UNTIL = date(2026, 10, 31)


def test_it_counts_group_sessions_both_facilitated_from_the_start_to_the_end(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    """Rule mentoring: sessions on the first and last day count; a session facilitated by only
    one of them, or held before the start or after the end, does not."""
    mentee, mentor = staffed_service.perpetrator_worker, staffed_service.service_manager
    service = staffed_service.service
    group_sessions_facilitated_by(
        service=service, facilitators=[mentee, mentor], days=[SINCE, date(2026, 7, 1), UNTIL]
    )
    group_sessions_facilitated_by(
        service=service,
        facilitators=[mentee, mentor],
        days=[date(2026, 4, 30), date(2026, 11, 1)],
    )
    group_sessions_facilitated_by(service=service, facilitators=[mentee], days=[date(2026, 6, 1)])
    group_sessions_facilitated_by(service=service, facilitators=[mentor], days=[date(2026, 6, 2)])
    with django_assert_max_num_queries(1):
        count = sessions_co_facilitated_count(
            mentee=mentee, mentor=mentor, since=SINCE, until=UNTIL
        )
    assert count == 3


def test_it_counts_none_when_they_never_co_facilitated(staffed_service: ServiceStaff) -> None:
    """Rule mentoring: the empty case."""
    assert (
        sessions_co_facilitated_count(
            mentee=staffed_service.perpetrator_worker,
            mentor=staffed_service.service_manager,
            since=SINCE,
            until=UNTIL,
        )
        == 0
    )


def test_it_counts_only_group_sessions(staffed_service: ServiceStaff) -> None:
    """Rule mentoring counts co-worked group sessions: a one-to-one session both held is not
    one."""
    mentee, mentor = staffed_service.perpetrator_worker, staffed_service.service_manager
    session = DeliverySession.objects.create(
        service=staffed_service.service,
        session_type=SessionType.ONE_TO_ONE,
        case=men_in_intervention(staffed_service, 1)[0],
        held_on=date(2026, 6, 1),
        starts_at=time(10, 0),
        ends_at=time(11, 0),
        planning_minutes=30,
        debrief_minutes=30,
        planned_by=mentor,
        planned_at=timezone.now(),
    )
    session.facilitators.set([mentee, mentor])
    assert (
        sessions_co_facilitated_count(mentee=mentee, mentor=mentor, since=SINCE, until=UNTIL) == 0
    )
