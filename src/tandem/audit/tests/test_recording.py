"""Recording views and changes: who, when, what (before, after, and what changed)."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test.utils import isolate_apps
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_changes, audit_event_record, model_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker() -> User:
    return User.objects.create_user(username="worker-one", password=None)


@pytest.fixture
def group() -> Group:
    return Group.objects.create(name="Tuesday group")


def test_it_records_a_view_of_a_record(worker: User, group: Group) -> None:
    before = timezone.now()
    event = audit_event_record(actor=worker, action=AuditEvent.Action.VIEWED, target=group)
    event.refresh_from_db()
    assert event.actor == worker
    assert event.actor_label == "worker-one"
    assert event.action == AuditEvent.Action.VIEWED
    assert event.content_type == ContentType.objects.get_for_model(Group)
    assert event.object_id == str(group.pk)
    assert event.object_repr == "Tuesday group"
    assert before <= event.occurred_at <= timezone.now()
    assert (event.before, event.after) == (None, None)


def test_it_records_a_change_with_before_after_and_the_changed_fields(
    worker: User, group: Group
) -> None:
    before = model_snapshot(instance=group)
    group.name = "Thursday group"
    group.save()
    after = model_snapshot(instance=group)
    event = audit_event_record(
        actor=worker,
        action=AuditEvent.Action.CHANGED,
        target=group,
        summary="Renamed the group",
        before=before,
        after=after,
    )
    event.refresh_from_db()
    assert event.before == {"id": group.pk, "name": "Tuesday group"}
    assert event.after == {"id": group.pk, "name": "Thursday group"}
    assert event.summary == "Renamed the group"
    assert audit_changes(before=event.before, after=event.after) == {
        "name": ["Tuesday group", "Thursday group"]
    }


def test_it_reports_only_the_fields_that_changed() -> None:
    assert audit_changes(before={"a": 1, "b": 2}, after={"a": 1, "b": 3, "c": 4}) == {
        "b": [2, 3],
        "c": [None, 4],
    }
    assert audit_changes(before={"a": 1}, after={"a": 1}) == {}


def test_it_keeps_the_actor_label_after_the_user_is_renamed(worker: User, group: Group) -> None:
    event = audit_event_record(actor=worker, action=AuditEvent.Action.VIEWED, target=group)
    worker.username = "worker-renamed"
    worker.save()
    event = AuditEvent.objects.select_related("actor").get(pk=event.pk)
    assert event.actor_label == "worker-one"
    assert event.actor is not None
    assert event.actor.username == "worker-renamed"


def test_it_records_tandem_itself_and_anonymous_visitors_without_an_actor(group: Group) -> None:
    system = audit_event_record(actor=None, action=AuditEvent.Action.CHANGED, target=group)
    anonymous = audit_event_record(
        actor=AnonymousUser(), action=AuditEvent.Action.REFUSED, target=group
    )
    assert (system.actor, system.actor_label) == (None, "system")
    assert (anonymous.actor, anonymous.actor_label) == (None, "anonymous")


def test_it_records_an_action_about_no_one_record(worker: User) -> None:
    event = audit_event_record(
        actor=worker, action=AuditEvent.Action.SEARCHED, target=None, summary="Searched cases"
    )
    assert (event.content_type, event.object_id, event.object_repr) == (None, "", "")


def test_it_has_no_request_context_outside_a_request(worker: User, group: Group) -> None:
    event = audit_event_record(actor=worker, action=AuditEvent.Action.VIEWED, target=group)
    assert (event.ip_address, event.user_agent, event.path) == (None, "", "")


def test_it_refuses_an_unknown_action(worker: User, group: Group) -> None:
    with pytest.raises(ValueError, match="burned"):
        audit_event_record(actor=worker, action="burned", target=group)
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_target_without_a_primary_key(worker: User, group: Group) -> None:
    group.delete()
    with pytest.raises(ValueError, match="record a deletion before deleting"):
        audit_event_record(actor=worker, action=AuditEvent.Action.DELETED, target=group)


def test_it_snapshots_foreign_keys_as_ids_and_dates_as_strings(worker: User) -> None:
    permission = Permission.objects.get(codename="add_group", content_type__app_label="auth")
    assert model_snapshot(instance=permission) == {
        "id": permission.pk,
        "name": permission.name,
        "content_type": permission.content_type_id,
        "codename": "add_group",
    }
    snapshot = model_snapshot(instance=worker)
    assert snapshot["date_joined"] == worker.date_joined.isoformat()
    assert model_snapshot(instance=worker, fields=["groups"]) == {"groups": []}


def test_it_never_snapshots_a_password(worker: User) -> None:
    worker.set_password("correct horse battery staple")
    worker.save()
    assert "password" not in model_snapshot(instance=worker)
    with pytest.raises(ValueError, match="secret"):
        model_snapshot(instance=worker, fields=["username", "password"])


def test_it_leaves_out_excluded_fields(worker: User) -> None:
    snapshot = model_snapshot(instance=worker, exclude=["email", "last_name"])
    assert "email" not in snapshot
    assert "last_name" not in snapshot
    assert snapshot["username"] == "worker-one"


@isolate_apps("tandem.audit")
def test_it_never_snapshots_encrypted_or_binary_fields() -> None:
    class EncryptedTextField(models.TextField):
        pass

    class Note(models.Model):
        title = models.CharField(max_length=50)
        body = EncryptedTextField()
        attachment = models.BinaryField()
        amount = models.DecimalField(max_digits=6, decimal_places=2)
        reference = models.UUIDField()
        due = models.DateField()

        class Meta:
            app_label = "audit"

        def __str__(self) -> str:
            return self.title

    reference = uuid.uuid4()
    note = Note(
        pk=7,
        title="Session note",
        body="what the survivor said",
        attachment=b"secret",
        amount=Decimal("12.50"),
        reference=reference,
        due=datetime.date(2026, 1, 31),
    )
    assert model_snapshot(instance=note) == {
        "id": 7,
        "title": "Session note",
        "amount": "12.50",
        "reference": str(reference),
        "due": "2026-01-31",
    }


def test_it_stores_before_and_after_as_json(worker: User, group: Group) -> None:
    reference = uuid.uuid4()
    event = audit_event_record(
        actor=worker,
        action=AuditEvent.Action.CHANGED,
        target=group,
        after={
            "amount": Decimal("1.50"),
            "reference": reference,
            "at": datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC),
            "nested": {"on": datetime.date(2026, 1, 2), "tags": ("a", "b")},
        },
    )
    event.refresh_from_db()
    assert event.after == {
        "amount": "1.50",
        "reference": str(reference),
        "at": "2026-01-02T03:04:00+00:00",
        "nested": {"on": "2026-01-02", "tags": ["a", "b"]},
    }
