"""Rule mentoring (NE 3.12): a new group worker co-works with an experienced worker for at least
6 months or 26 sessions. Ending a mentoring counts the group sessions both facilitated
(tandem.delivery); the worker's page shows the progress and ends it."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.lib.errors import ActionRefused
from tandem.workforce import mentoring as mentoring_hook
from tandem.workforce.deadlines import add_months, mentoring_months_served
from tandem.workforce.models import Mentoring
from tandem.workforce.services import mentoring_end, mentoring_start
from tandem.workforce.tests.builders import (
    TODAY,
    Workforce,
    client_for,
    group_sessions_facilitated_by,
)

pytestmark = pytest.mark.django_db
STARTED = date(2026, 5, 1)  # 6 months on 1 Nov 2026


def _mentoring(workforce: Workforce, started_on: date = STARTED) -> Mentoring:
    return mentoring_start(
        actor=workforce.manager,
        mentee=workforce.worker,
        mentor=workforce.manager,
        started_on=started_on,
        today=max(started_on, TODAY),
    )


def _end(workforce: Workforce, mentoring: Mentoring, ended_on: date) -> Mentoring:
    return mentoring_end(
        actor=workforce.manager, mentoring=mentoring, ended_on=ended_on, today=TODAY
    )


def _weekly(start: date, n: int) -> list[date]:
    return [start + timedelta(weeks=week) for week in range(n)]


def test_it_ends_a_mentoring_exactly_at_six_months(workforce: Workforce) -> None:
    """Rule mentoring: on the day 6 months after the start, whatever the sessions."""
    ended = _end(workforce, _mentoring(workforce), date(2026, 11, 1))
    assert ended.ended_on == date(2026, 11, 1)
    event = AuditEvent.objects.filter(object_id=str(ended.pk), action="changed").latest("pk")
    assert event.summary == "mentoring ended (0 co-worked sessions)"


def test_it_refuses_to_end_a_mentoring_the_day_before_six_months(workforce: Workforce) -> None:
    """Rule mentoring: 6 months less a day, no co-worked sessions."""
    mentoring = _mentoring(workforce)
    with pytest.raises(ActionRefused) as refused:
        _end(workforce, mentoring, date(2026, 10, 31))
    assert (refused.value.field, refused.value.rule_id) == ("ended_on", "mentoring")
    assert "0 so far" in refused.value.message
    mentoring.refresh_from_db()
    assert mentoring.ended_on is None


def test_it_ends_a_mentoring_after_26_co_worked_sessions_before_six_months(
    workforce: Workforce,
) -> None:
    """Rule mentoring: 26 group sessions facilitated together end it early; at 25 it is refused
    (sessions facilitated by the mentee alone do not count)."""
    mentoring = _mentoring(workforce)
    days = _weekly(STARTED, 26)  # the 26th on 23 Oct 2026
    group_sessions_facilitated_by(
        service=workforce.service,
        facilitators=[workforce.staff.perpetrator_worker, workforce.manager],
        days=days,
    )
    group_sessions_facilitated_by(
        service=workforce.service,
        facilitators=[workforce.staff.perpetrator_worker],
        days=[days[0] + timedelta(days=1), days[1] + timedelta(days=1)],
    )
    with pytest.raises(ActionRefused) as refused:
        _end(workforce, mentoring, days[24])
    assert refused.value.rule_id == "mentoring"
    assert "25 so far" in refused.value.message
    ended = _end(workforce, mentoring, days[25])
    assert ended.ended_on == date(2026, 10, 23)


def test_it_does_not_count_sessions_before_the_mentoring_started(workforce: Workforce) -> None:
    """Rule mentoring: co-working before the mentoring is not part of it."""
    mentoring = _mentoring(workforce)
    group_sessions_facilitated_by(
        service=workforce.service,
        facilitators=[workforce.staff.perpetrator_worker, workforce.manager],
        days=_weekly(STARTED - timedelta(weeks=20), 20) + _weekly(STARTED, 6),
    )
    with pytest.raises(ActionRefused) as refused:
        _end(workforce, mentoring, date(2026, 10, 1))
    assert "6 so far" in refused.value.message


def test_it_refuses_an_end_in_the_future_or_a_second_end(workforce: Workforce) -> None:
    mentoring = _mentoring(workforce)
    with pytest.raises(ActionRefused) as refused:
        _end(workforce, mentoring, TODAY + timedelta(days=1))
    assert refused.value.field == "ended_on"
    _end(workforce, mentoring, TODAY)
    with pytest.raises(ActionRefused):
        _end(workforce, mentoring, TODAY)


def test_it_counts_whole_months_as_the_six_months_are_counted() -> None:
    """Rule mentoring: 31 Aug + 6 months is 28 Feb (the month's last day)."""
    assert mentoring_months_served(started_on=date(2026, 8, 31), on=date(2027, 2, 27)) == 5
    assert mentoring_months_served(started_on=date(2026, 8, 31), on=date(2027, 2, 28)) == 6
    assert mentoring_months_served(started_on=date(2026, 5, 1), on=date(2026, 5, 31)) == 0


def _open_mentoring_with_sessions(workforce: Workforce) -> Mentoring:
    today = timezone.localdate()
    mentoring = Mentoring.objects.create(
        mentee=workforce.worker,
        mentor=workforce.manager,
        started_on=add_months(day=today, months=-2),
    )
    group_sessions_facilitated_by(
        service=workforce.service,
        facilitators=[workforce.staff.perpetrator_worker, workforce.manager],
        days=[today - timedelta(days=days) for days in (1, 8, 15)],
    )
    group_sessions_facilitated_by(
        service=workforce.service, facilitators=[workforce.manager], days=[today]
    )
    return mentoring


def test_it_shows_the_progress_of_an_open_mentoring(workforce: Workforce) -> None:
    """Rule mentoring: months and co-worked sessions so far, against 6 months and 26 sessions;
    the worker sees them, only their managers the button."""
    mentoring = _open_mentoring_with_sessions(workforce)
    url = reverse("workforce:worker_detail", args=[workforce.worker.pk])
    end_url = reverse("workforce:mentoring_end", args=[workforce.worker.pk, mentoring.pk])
    for user in (workforce.manager, workforce.hr):
        page = client_for(user).get(url).content.decode()
        assert "2 of 6 months" in page
        assert "3 of 26 group sessions facilitated together" in page
        assert end_url in page
        assert "End mentoring" in page
    own = client_for(workforce.staff.perpetrator_worker).get(url).content.decode()
    assert "3 of 26 group sessions" in own
    assert end_url not in own


def test_it_shows_a_refusal_to_end_on_the_page_naming_the_rule(workforce: Workforce) -> None:
    mentoring = _open_mentoring_with_sessions(workforce)
    end_url = reverse("workforce:mentoring_end", args=[workforce.worker.pk, mentoring.pk])
    client = client_for(workforce.manager)
    response = client.post(end_url, {"ended_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "3 so far" in page
    assert "(rule mentoring)" in page
    garbage = client.post(end_url, {"ended_on": "31/02/2026"})
    assert "Enter end date as a real date" in garbage.content.decode()
    mentoring.refresh_from_db()
    assert mentoring.ended_on is None


def test_it_ends_a_mentoring_from_the_page(workforce: Workforce) -> None:
    mentoring = Mentoring.objects.create(
        mentee=workforce.worker, mentor=workforce.manager, started_on=date(2024, 1, 1)
    )
    end_url = reverse("workforce:mentoring_end", args=[workforce.worker.pk, mentoring.pk])
    client = client_for(workforce.hr)
    assert client.get(end_url).status_code == 405
    today = timezone.localdate().isoformat()
    assert client.post(end_url, {"ended_on": today}).status_code == 302
    mentoring.refresh_from_db()
    assert mentoring.ended_on == timezone.localdate()


@pytest.mark.parametrize(
    "who",
    ["perpetrator-worker-mentee", "iss-worker", "iss-worker-role", "no-role", "other-manager"],
)
def test_it_refuses_the_end_route_to_those_who_do_not_manage_the_worker(
    workforce: Workforce,
    client_as: Callable[[Role], Client],
    user_without_role: User,
    who: str,
) -> None:
    """403 for those with no business there, 404 for a record outside their reach."""
    mentoring = Mentoring.objects.create(
        mentee=workforce.worker, mentor=workforce.manager, started_on=date(2024, 1, 1)
    )
    clients = {
        "perpetrator-worker-mentee": (client_for(workforce.staff.perpetrator_worker), 403),
        "iss-worker": (client_for(workforce.staff.iss_worker), 404),
        "iss-worker-role": (client_as(Role.ISS_WORKER), 403),
        "no-role": (client_for(user_without_role), 403),
        "other-manager": (client_for(workforce.other_manager), 404),
    }
    client, status = clients[who]
    end_url = reverse("workforce:mentoring_end", args=[workforce.worker.pk, mentoring.pk])
    assert (
        client.post(end_url, {"ended_on": timezone.localdate().isoformat()}).status_code == status
    )
    mentoring.refresh_from_db()
    assert mentoring.ended_on is None


def test_it_refuses_ending_another_workers_mentoring_through_this_worker(
    workforce: Workforce,
) -> None:
    other = Mentoring.objects.create(
        mentee=workforce.other_worker, mentor=workforce.manager, started_on=date(2024, 1, 1)
    )
    end_url = reverse("workforce:mentoring_end", args=[workforce.worker.pk, other.pk])
    response = client_for(workforce.manager).post(end_url, {"ended_on": "2026-01-01"})
    assert response.status_code == 404


def test_it_shows_mentoring_progress_in_queries_independent_of_the_mentorings(
    workforce: Workforce, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _open_mentoring_with_sessions(workforce)
    url = reverse("workforce:worker_detail", args=[workforce.worker.pk])
    client = client_for(workforce.manager)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for year in (2021, 2022, 2023, 2024):
        Mentoring.objects.create(
            mentee=workforce.worker,
            mentor=workforce.manager,
            started_on=date(year, 1, 1),
            ended_on=date(year, 7, 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("data-mentoring=") == 5


def test_it_refuses_loudly_to_count_co_worked_sessions_nobody_provided(
    workforce: Workforce, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workforce sits below delivery, which provides the count when the apps are ready: without
    it, ending a mentoring is an error in the set-up, not a mentoring with 0 sessions."""
    mentoring = _mentoring(workforce)
    monkeypatch.setattr(mentoring_hook, "_provided", None)
    with pytest.raises(ImproperlyConfigured, match=r"DeliveryConfig\.ready"):
        _end(workforce, mentoring, date(2026, 8, 1))
