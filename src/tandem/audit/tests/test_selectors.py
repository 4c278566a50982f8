"""Reading the trail: service managers and administrators only, in a fixed number of queries."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.access.predicates import holds_any_role, holds_role
from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.audit.selectors import audit_events_for_object_for_user
from tandem.audit.services import audit_event_record

pytestmark = pytest.mark.django_db

MAY_READ_THE_TRAIL = {Role.SERVICE_MANAGER, Role.ADMINISTRATOR}


@pytest.fixture
def group() -> Group:
    return Group.objects.create(name="Tuesday group")


@pytest.fixture
def recorded(group: Group) -> list[AuditEvent]:
    actors = [User.objects.create_user(username=f"worker-{n}", password=None) for n in range(3)]
    return [
        audit_event_record(actor=actor, action=AuditEvent.Action.VIEWED, target=group)
        for actor in actors
    ]


@pytest.mark.parametrize("role", list(Role))
def test_it_shows_the_trail_only_to_service_managers_and_administrators(
    user_with_role: Callable[[Role], User], group: Group, recorded: list[AuditEvent], role: Role
) -> None:
    events = audit_events_for_object_for_user(user=user_with_role(role), target=group)
    if role in MAY_READ_THE_TRAIL:
        assert list(events) == list(reversed(recorded))
    else:
        assert list(events) == []


def test_it_shows_nothing_to_a_user_without_a_role(
    user_without_role: User, group: Group, recorded: list[AuditEvent]
) -> None:
    assert list(audit_events_for_object_for_user(user=user_without_role, target=group)) == []


def test_it_shows_only_the_events_of_the_record_asked_about(
    user_with_role: Callable[[Role], User], group: Group, recorded: list[AuditEvent]
) -> None:
    other = Group.objects.create(name="Other group")
    audit_event_record(actor=None, action=AuditEvent.Action.VIEWED, target=other)
    manager = user_with_role(Role.SERVICE_MANAGER)
    assert set(audit_events_for_object_for_user(user=manager, target=group)) == set(recorded)


def test_it_lists_the_trail_in_a_fixed_number_of_queries(
    user_with_role: Callable[[Role], User], group: Group
) -> None:
    manager = user_with_role(Role.SERVICE_MANAGER)

    def queries_to_list() -> int:
        manager = User.objects.get(username=f"test-{Role.SERVICE_MANAGER.value}")
        with CaptureQueriesContext(connection) as queries:
            for event in audit_events_for_object_for_user(user=manager, target=group):
                assert event.actor is not None
                str(event.actor.username)
                str(event.content_type)
        return len(queries)

    audit_event_record(actor=manager, action=AuditEvent.Action.VIEWED, target=group)
    with_one = queries_to_list()
    for n in range(5):
        actor = User.objects.create_user(username=f"worker-{n}", password=None)
        audit_event_record(actor=actor, action=AuditEvent.Action.VIEWED, target=group)
    assert queries_to_list() == with_one


def test_it_builds_role_predicates(user_with_role: Callable[[Role], User]) -> None:
    manager = user_with_role(Role.SERVICE_MANAGER)
    worker = user_with_role(Role.PERPETRATOR_WORKER)
    answers_for_service = holds_role(Role.SERVICE_MANAGER, Role.ADMINISTRATOR)
    assert answers_for_service.test(manager)
    assert not answers_for_service.test(worker)
    assert holds_any_role.test(worker)
    with pytest.raises(ValueError, match="at least one role"):
        holds_role()
