"""The trail cannot be changed or deleted through the application, not even by a superuser."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory

from tandem.audit.models import AuditEvent, AuditTrailAppendOnlyError
from tandem.audit.services import audit_event_record

pytestmark = pytest.mark.django_db

APPEND_ONLY = "append-only"


@pytest.fixture
def worker() -> User:
    return User.objects.create_user(username="worker-one", password=None)


@pytest.fixture
def event(worker: User) -> AuditEvent:
    group = Group.objects.create(name="Tuesday group")
    return audit_event_record(
        actor=worker, action=AuditEvent.Action.VIEWED, target=group, summary="Opened"
    )


def assert_unchanged(event: AuditEvent) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.summary, stored.action, stored.actor_label) == ("Opened", "viewed", "worker-one")


def test_it_refuses_to_save_a_recorded_event(event: AuditEvent) -> None:
    event.summary = "Never opened"
    with pytest.raises(AuditTrailAppendOnlyError, match=APPEND_ONLY):
        event.save()
    with pytest.raises(AuditTrailAppendOnlyError, match=APPEND_ONLY):
        event.save(update_fields=["summary"])
    assert_unchanged(event)


def test_it_refuses_to_overwrite_an_event_from_a_new_object_with_its_id(event: AuditEvent) -> None:
    forged = AuditEvent(pk=event.pk, actor_label="someone-else", action="viewed")
    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()
    assert_unchanged(event)


def test_it_refuses_to_delete_an_event(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailAppendOnlyError, match=APPEND_ONLY):
        event.delete()
    assert_unchanged(event)


def test_it_refuses_queryset_updates(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailAppendOnlyError, match=APPEND_ONLY):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Never opened")
    with pytest.raises(AuditTrailAppendOnlyError, match=APPEND_ONLY):
        AuditEvent.objects.update(summary="Never opened")
    event.summary = "Never opened"
    with pytest.raises(AuditTrailAppendOnlyError, match=APPEND_ONLY):
        AuditEvent.objects.bulk_update([event], ["summary"])
    assert_unchanged(event)


def test_it_refuses_queryset_deletes(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailAppendOnlyError, match=APPEND_ONLY):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditTrailAppendOnlyError, match=APPEND_ONLY):
        AuditEvent.objects.all().delete()
    assert_unchanged(event)


def test_it_refuses_to_delete_a_user_who_is_in_the_trail(event: AuditEvent, worker: User) -> None:
    with pytest.raises(ProtectedError), transaction.atomic():
        worker.delete()
    assert_unchanged(event)


def test_it_keeps_the_event_when_its_record_is_deleted(event: AuditEvent) -> None:
    Group.objects.filter(name="Tuesday group").delete()
    assert_unchanged(event)


def test_it_lets_no_one_add_change_or_delete_in_the_admin(event: AuditEvent) -> None:
    superuser = User.objects.create_superuser(username="root", password=None)
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = superuser
    model_admin = admin.site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_delete_permission(request, event)
    assert "delete_selected" not in model_admin.get_actions(request)
    assert model_admin.has_view_permission(request, event)
