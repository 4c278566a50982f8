"""Reads of the audit trail. Each takes the user; one who may not read it gets nothing."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from tandem.audit.models import AuditEvent
from tandem.audit.rules import VIEW_TRAIL


def audit_events_for_object_for_user(
    *, user: AbstractBaseUser | AnonymousUser, target: Model
) -> QuerySet[AuditEvent]:
    """Every event about `target`, newest first, with actor and content type in the same query."""
    if not user.has_perm(VIEW_TRAIL):  # type: ignore[union-attr]
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor", "content_type")
