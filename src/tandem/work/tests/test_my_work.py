"""The worker's "My work" page: which due tasks each person sees (the information barrier holds
here too), in what order, and what each one says."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import ISS_WORK_ROLES, PERPETRATOR_WORK_ROLES, Role, roles_of
from tandem.audit.models import AuditEvent
from tandem.cases.due import recurring_items_for_user
from tandem.cases.models import CaseReviewMeeting, FileAudit, PerpetratorCase
from tandem.cases.services.intake import SurvivorDetails, perpetrator_referral_receive
from tandem.cases.tests.builders import referral
from tandem.compliance.models import DUE_SOON, LATER, OVERDUE, DueTask, TaskSide
from tandem.compliance.services import due_task_create, due_tasks_complete
from tandem.conftest import ServiceStaff
from tandem.organisations.models import Service, StaffMembership
from tandem.support.models import IssCase, Relationship
from tandem.work.selectors import due_tasks_for_user

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Wednesday 25 November 2026, noon: two working days on is Friday noon.
WEDNESDAY_NOON = datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)
CASE_WORK_ROLES = PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES


def a_case(staff: ServiceStaff, *, service: Service | None = None) -> PerpetratorCase:
    """A perpetrator case with one survivor, Alice Example, and none of its own tasks open, so
    each test states every task it lists."""
    at = timezone.now() - timedelta(days=1)
    case = perpetrator_referral_receive(
        service=service or staff.service,
        actor=staff.perpetrator_worker,
        details=referral(
            received_at=at,
            survivors=[
                SurvivorDetails(
                    "Alice", "Example", Relationship.CURRENT_PARTNER, phone="07700 900001"
                )
            ],
        ),
        now=at,
    )
    due_tasks_complete(
        rule_id="iss-handover", perpetrator_case=case, actor=staff.iss_worker, now=at
    )
    return case


def perpetrator_task(
    case: PerpetratorCase,
    title: str,
    due_at: datetime,
    *,
    assigned_to: User | None = None,
    rule_id: str = "assessment-outcome",
) -> DueTask:
    return due_task_create(
        service=case.service,
        rule_id=rule_id,
        title=title,
        side=TaskSide.PERPETRATOR,
        due_at=due_at,
        now=due_at - timedelta(days=5),
        perpetrator_case=case,
        assigned_to=assigned_to,
    )


def iss_task(case: PerpetratorCase, title: str, due_at: datetime) -> DueTask:
    return due_task_create(
        service=case.service,
        rule_id="iss-contact",
        title=title,
        side=TaskSide.ISS,
        due_at=due_at,
        now=due_at - timedelta(days=5),
        perpetrator_case=case,
        iss_case=IssCase.objects.get(survivor__links__perpetrator_case=case),
    )


def titles(user: User, now: datetime) -> list[str]:
    return [task.title for task in due_tasks_for_user(user=user, now=now)]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def another_service(staff: ServiceStaff) -> Service:
    return StaffMembership.objects.get(user=staff.other_service_worker).service


# Order


def test_it_lists_overdue_then_due_soon_then_later_with_exact_boundaries(
    staffed_service: ServiceStaff,
) -> None:
    """Due exactly now is still due, not overdue; one second past is overdue. Due soon ends
    exactly two working days on (Wednesday noon to Friday noon)."""
    case = a_case(staffed_service)
    friday_noon = datetime(2026, 11, 27, 12, 0, tzinfo=LONDON)
    for title, due_at in [
        ("later", WEDNESDAY_NOON + timedelta(days=10)),
        ("one second after due soon ends", friday_noon + timedelta(seconds=1)),
        ("exactly when due soon ends", friday_noon),
        ("exactly now", WEDNESDAY_NOON),
        ("one second past", WEDNESDAY_NOON - timedelta(seconds=1)),
        ("three days past", WEDNESDAY_NOON - timedelta(days=3)),
    ]:
        perpetrator_task(case, title, due_at)

    tasks = list(due_tasks_for_user(user=staffed_service.perpetrator_worker, now=WEDNESDAY_NOON))

    assert [(task.title, task.urgency) for task in tasks] == [
        ("three days past", OVERDUE),
        ("one second past", OVERDUE),
        ("exactly now", DUE_SOON),
        ("exactly when due soon ends", DUE_SOON),
        ("one second after due soon ends", LATER),
        ("later", LATER),
    ]


def test_it_counts_due_soon_in_working_days_of_each_services_jurisdiction(
    staffed_service: ServiceStaff,
) -> None:
    """From Friday 27 November 2026 noon, two working days end on Tuesday in England, but on
    Wednesday in Scotland, where Monday is St Andrew's Day."""
    scottish = another_service(staffed_service)
    StaffMembership.objects.create(
        user=staffed_service.perpetrator_worker,
        service=scottish,
        side="perpetrator",
        started_on=date(2024, 1, 1),
    )
    friday_noon = datetime(2026, 11, 27, 12, 0, tzinfo=LONDON)
    tuesday_evening = datetime(2026, 12, 1, 18, 0, tzinfo=LONDON)
    perpetrator_task(a_case(staffed_service), "in England", tuesday_evening)
    perpetrator_task(a_case(staffed_service, service=scottish), "in Scotland", tuesday_evening)

    tasks = due_tasks_for_user(user=staffed_service.perpetrator_worker, now=friday_noon)

    assert {task.title: task.urgency for task in tasks} == {
        "in England": LATER,
        "in Scotland": DUE_SOON,
    }


# Who sees which task


@pytest.fixture
def both_sides(staffed_service: ServiceStaff) -> PerpetratorCase:
    """One task on each side of the barrier; the ISS one names her, as ISS tasks do."""
    case = a_case(staffed_service)
    perpetrator_task(case, "Tell the referrer the outcome", WEDNESDAY_NOON)
    iss_task(case, "Make initial contact with Alice Example", WEDNESDAY_NOON)
    return case


def test_it_never_shows_an_iss_task_to_the_perpetrator_worker(
    staffed_service: ServiceStaff, both_sides: PerpetratorCase
) -> None:
    assert titles(staffed_service.perpetrator_worker, WEDNESDAY_NOON) == [
        "Tell the referrer the outcome"
    ]


def test_it_shows_the_iss_worker_only_iss_tasks(
    staffed_service: ServiceStaff, both_sides: PerpetratorCase
) -> None:
    assert titles(staffed_service.iss_worker, WEDNESDAY_NOON) == [
        "Make initial contact with Alice Example"
    ]


def test_it_shows_the_service_manager_both_sides(
    staffed_service: ServiceStaff, both_sides: PerpetratorCase
) -> None:
    assert sorted(titles(staffed_service.service_manager, WEDNESDAY_NOON)) == [
        "Make initial contact with Alice Example",
        "Tell the referrer the outcome",
    ]


def test_it_hides_another_services_tasks(
    staffed_service: ServiceStaff, both_sides: PerpetratorCase
) -> None:
    elsewhere = a_case(staffed_service, service=another_service(staffed_service))
    perpetrator_task(elsewhere, "Elsewhere's task", WEDNESDAY_NOON)

    assert "Elsewhere's task" not in titles(staffed_service.service_manager, WEDNESDAY_NOON)
    assert titles(staffed_service.other_service_worker, WEDNESDAY_NOON) == ["Elsewhere's task"]


def test_it_hides_completed_tasks_and_those_given_to_someone_else(
    staffed_service: ServiceStaff,
) -> None:
    case = a_case(staffed_service)
    perpetrator_task(case, "done", WEDNESDAY_NOON, rule_id="record-1wd")
    due_tasks_complete(
        rule_id="record-1wd",
        perpetrator_case=case,
        actor=staffed_service.perpetrator_worker,
        now=WEDNESDAY_NOON,
    )
    perpetrator_task(case, "mine", WEDNESDAY_NOON, assigned_to=staffed_service.perpetrator_worker)
    perpetrator_task(
        case, "the manager's", WEDNESDAY_NOON, assigned_to=staffed_service.service_manager
    )
    perpetrator_task(case, "no one's yet", WEDNESDAY_NOON)

    assert sorted(titles(staffed_service.perpetrator_worker, WEDNESDAY_NOON)) == [
        "mine",
        "no one's yet",
    ]


# The page


def test_it_shows_each_task_with_its_tag_case_due_time_and_rule(
    staffed_service: ServiceStaff, both_sides: PerpetratorCase
) -> None:
    now = timezone.now()
    perpetrator_task(both_sides, "Send the outcome letter", now - timedelta(days=1))
    perpetrator_task(both_sides, "Book the assessment", now + timedelta(hours=1))
    summer = date(timezone.localdate().year + 1, 7, 1)
    perpetrator_task(
        both_sides,
        "Summer review",
        datetime(summer.year, 7, 1, 9, 0, tzinfo=UTC),
        rule_id="consent",
    )

    text = client_for(staffed_service.service_manager).get(reverse("work:my_work")).text

    overdue, soon, summer_row = (
        text.index("Send the outcome letter"),
        text.index("Book the assessment"),
        text.index("Summer review"),
    )
    assert overdue < soon < summer_row
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in text[:overdue]
    assert text[overdue:soon].count("Due soon") == 1
    assert "Due soon" not in text[summer_row:]
    assert f"{summer:%a} 1 Jul {summer.year}, 10:00" in text, "due times in UK (summer) time"
    assert "<code>consent</code>" in text
    assert f'href="{reverse("cases:case_detail", args=[both_sides.reference])}"' in text
    iss_case = IssCase.objects.get(survivor__links__perpetrator_case=both_sides)
    assert f'href="{reverse("support:iss_case_detail", args=[iss_case.pk])}"' in text


def test_it_shows_the_perpetrator_worker_nothing_of_her(
    staffed_service: ServiceStaff, both_sides: PerpetratorCase
) -> None:
    text = client_for(staffed_service.perpetrator_worker).get(reverse("work:my_work")).text

    assert "Tell the referrer the outcome" in text
    assert "Alice Example" not in text
    assert reverse("support:iss_case_list") not in text.split("<main", 1)[1]


def test_it_sends_an_anonymous_visitor_to_sign_in(client: Client) -> None:
    response = client.get(reverse("work:my_work"))

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("login")


def test_it_refuses_a_user_without_a_role(client: Client, user_without_role: User) -> None:
    client.force_login(user_without_role)

    assert client.get(reverse("work:my_work")).status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_no_one_elses_tasks_to_any_role_without_a_membership(
    client_as: Callable[[Role], Client], both_sides: PerpetratorCase, role: Role
) -> None:
    response = client_as(role).get(reverse("work:my_work"))

    assert response.status_code == (200 if role in CASE_WORK_ROLES else 403)
    assert "Tell the referrer the outcome" not in response.text
    assert "Alice Example" not in response.text


def test_it_lists_tasks_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(staffed_service.service_manager)
    now = timezone.now()

    def add_tasks(count: int) -> None:
        for number in range(count):
            case = a_case(staffed_service)
            perpetrator_task(case, f"Task {number}", now + timedelta(days=number - 5))
            iss_task(case, f"ISS task {number}", now + timedelta(days=number))

    add_tasks(3)
    # The recurring items of every area (reviews, governance, staff, recordings) cost a fixed
    # number of queries for each service managed; the tasks cost the same for 6 rows or 60, and
    # so does the one audit event naming the tasks shown.
    with django_assert_max_num_queries(50) as three:
        client.get(reverse("work:my_work"))
    add_tasks(27)
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = client.get(reverse("work:my_work"))

    assert "60 open tasks" in response.text


# The service's recurring reviews and audits (rules case-review and file-audit)


def reviewed_on(staff: ServiceStaff, held_on: date, *, service: Service | None = None) -> None:
    CaseReviewMeeting.objects.create(
        service=service or staff.service,
        held_on=held_on,
        chair=staff.service_manager,
        recorded_by=staff.service_manager,
        recorded_at=WEDNESDAY_NOON,
    )


def audited_on(staff: ServiceStaff, day: date) -> None:
    FileAudit.objects.create(
        service=staff.service,
        audited_on=day,
        auditor=staff.service_manager,
        findings="Synthetic findings",
        feedback="Synthetic feedback",
    )


def recurring(user: User, now: datetime) -> list[tuple[str, str, date, int]]:
    return [
        (item.title, item.rule_id, item.due_on, item.urgency)
        for item in recurring_items_for_user(user=user, now=now)
    ]


EXCHANGE_DUE = "Weekly risk and engagement exchange with the ISS due"


def test_it_makes_a_first_review_and_audit_due_at_once(staffed_service: ServiceStaff) -> None:
    assert recurring(staffed_service.service_manager, WEDNESDAY_NOON) == [
        ("Case management review due", "case-review", date(2026, 11, 25), DUE_SOON),
        ("Case-file audit due", "file-audit", date(2026, 11, 25), DUE_SOON),
        (EXCHANGE_DUE, "weekly-exchange", date(2026, 11, 25), DUE_SOON),
    ]


def test_it_makes_the_review_overdue_once_a_month_has_passed(staffed_service: ServiceStaff) -> None:
    """Rule case-review: a review on 24 October is due by 24 November, overdue on the 25th."""
    reviewed_on(staffed_service, date(2026, 10, 24))
    reviewed_on(staffed_service, date(2026, 9, 1))
    audited_on(staffed_service, date(2026, 11, 1))

    assert recurring(staffed_service.service_manager, WEDNESDAY_NOON) == [
        ("Case management review due", "case-review", date(2026, 11, 24), OVERDUE),
        (EXCHANGE_DUE, "weekly-exchange", date(2026, 11, 25), DUE_SOON),
        ("Case-file audit due", "file-audit", date(2026, 12, 27), LATER),
    ]


def test_it_makes_the_file_audit_due_exactly_8_weeks_after_the_last(
    staffed_service: ServiceStaff,
) -> None:
    """Rule file-audit: audited on 30 September, due on 25 November (8 weeks): still due that
    day, overdue the next."""
    audited_on(staffed_service, date(2026, 9, 30))
    thursday_morning = datetime(2026, 11, 26, 0, 1, tzinfo=LONDON)

    assert ("Case-file audit due", "file-audit", date(2026, 11, 25), DUE_SOON) in recurring(
        staffed_service.service_manager, WEDNESDAY_NOON
    )
    assert ("Case-file audit due", "file-audit", date(2026, 11, 25), OVERDUE) in recurring(
        staffed_service.service_manager, thursday_morning
    )


def test_it_shows_recurring_items_only_to_those_who_run_the_services_reviews(
    staffed_service: ServiceStaff,
) -> None:
    practice_manager = User.objects.create_user(username="pm", first_name="Test")
    practice_manager.groups.add(Group.objects.get_or_create(name=Role.PRACTICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=practice_manager,
        service=staffed_service.service,
        side="perpetrator",
        started_on=date(2024, 1, 1),
    )

    assert [item[1] for item in recurring(practice_manager, WEDNESDAY_NOON)] == [
        "case-review",
        "file-audit",
        "weekly-exchange",
    ]
    for user in (
        staffed_service.perpetrator_worker,
        staffed_service.iss_worker,
        staffed_service.other_service_worker,
    ):
        assert recurring(user, WEDNESDAY_NOON) == []
        assert (
            "Case management review due" not in client_for(user).get(reverse("work:my_work")).text
        )


def test_it_shows_the_recurring_items_on_the_page_with_their_rule_and_service(
    staffed_service: ServiceStaff,
) -> None:
    reviewed_on(staffed_service, timezone.localdate() - timedelta(days=62))

    text = client_for(staffed_service.service_manager).get(reverse("work:my_work")).text

    review = text.index("Case management review due")
    assert (
        '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in text[review - 200 : review]
    )
    assert "Case-file audit due" in text
    assert "<code>case-review</code>" in text
    assert "<code>file-audit</code>" in text
    assert f'href="{reverse("cases:service_reviews", args=[staffed_service.service.pk])}"' in text


def test_it_computes_the_recurring_items_in_one_query_whatever_the_number_of_services(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    manager = staffed_service.service_manager
    roles_of(manager)
    with django_assert_max_num_queries(1):
        one = recurring_items_for_user(user=manager, now=WEDNESDAY_NOON)
    for number in range(4):
        service = Service.objects.create(
            organisation=staffed_service.service.organisation,
            name=f"Synthetic service {number}",
            jurisdiction="england-and-wales",
            delivery="group",
            iss_provision="internal",
        )
        StaffMembership.objects.create(
            user=manager, service=service, side="both", started_on=date(2024, 1, 1)
        )
        reviewed_on(staffed_service, date(2026, 11, 1), service=service)
    with django_assert_max_num_queries(1):
        five = recurring_items_for_user(user=manager, now=WEDNESDAY_NOON)

    # Three recurring items a service: review, file audit, weekly exchange.
    assert (len(one), len(five)) == (3, 15)


# Reads of My work are audited (issue 12): a task's title may name the person it is about.


def test_the_page_and_the_api_each_write_one_event_naming_the_tasks_shown(
    staffed_service: ServiceStaff,
) -> None:
    case = a_case(staffed_service)
    now = timezone.now()
    shown = {
        perpetrator_task(case, "Tell the referrer", now + timedelta(days=1)).pk,
        perpetrator_task(case, "Review the plan", now + timedelta(days=2)).pk,
    }
    client = client_for(staffed_service.perpetrator_worker)
    reads = AuditEvent.objects.filter(
        actor=staffed_service.perpetrator_worker, action=AuditEvent.Action.VIEWED
    )

    client.get(reverse("work:my_work"))
    client.get(reverse("v1:my-work"))

    assert reads.count() == 2
    for event in reads:
        assert event.content_type == ContentType.objects.get_for_model(DueTask)
        assert {int(pk) for pk in event.object_ids.split()} == shown
