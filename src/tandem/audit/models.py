"""The audit trail: who saw or changed what, when, and from where. Append-only and chained.

An event points at its record generically (content type and id), so every app's records can be
audited without this app knowing them; a read of many records (a list page, a search, an export)
is one event naming their ids in `object_ids`. Nothing in the application can change or delete an
event: the model refuses to save an existing row or delete one, and its querysets refuse bulk
updates and deletes. On PostgreSQL a trigger refuses UPDATE and DELETE of audit rows to anyone.

Each event is chained to the one before by its hash (`tandem.audit.chain`), so a change made
behind the application's back is found by `tandem audit verify`.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from tandem.audit.chain import GENESIS, event_hash

OBJECT_REPR_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 255
REASON_MAX_LENGTH = 500
APPEND_ONLY = "The audit trail is append-only: an audit event cannot be changed or deleted."


class AuditTrailAppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""

    def __init__(self, attempted: str) -> None:
        super().__init__(f"{APPEND_ONLY} (refused: {attempted})")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditTrailAppendOnlyError("QuerySet.update()")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailAppendOnlyError("QuerySet.bulk_update()")

    def delete(self) -> NoReturn:
        raise AuditTrailAppendOnlyError("QuerySet.delete()")

    def _raw_delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailAppendOnlyError("QuerySet._raw_delete()")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Each event is chained to the one before as it is saved; a bulk insert would skip that.
        raise AuditTrailAppendOnlyError("QuerySet.bulk_create(): record events one by one")


AuditEventManager = models.Manager.from_queryset(AuditEventQuerySet)


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"
        TRANSITIONED = "transitioned", "Moved to another stage"
        EXPORTED = "exported", "Exported"
        SEARCHED = "searched", "Searched"
        # The password stage of a sign-in; "signed in" is recorded once the second factor passes.
        PASSWORD_ACCEPTED = "password_accepted", "Password accepted"
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        LOCKED_OUT = "locked_out", "Locked out"
        REFUSED = "refused", "Refused"
        BROKE_GLASS = "broke_glass", "Opened by break-glass"

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text="Who acted; empty for Tandem itself (a command or scheduled job).",
    )
    actor_label = models.CharField(
        max_length=150, help_text="The actor's username when the event happened."
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=255, blank=True)
    object_repr = models.CharField(max_length=OBJECT_REPR_MAX_LENGTH, blank=True)
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=2000, blank=True)
    object_ids = models.TextField(
        blank=True,
        help_text="A read of many records: their ids, each between spaces (' 12 15 ').",
    )
    reason = models.CharField(
        max_length=REASON_MAX_LENGTH, blank=True, help_text="Why, where the person was asked."
    )
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventManager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        # Related-object handling (deletion collectors) goes through the refusing queryset too.
        base_manager_name = "objects"
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "occurred_at"], name="audit_event_target_idx"
            )
        ]

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M:%S}"
        return f"{when} {self.actor_label} {self.action} {self.object_repr}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailAppendOnlyError("save() of a recorded event")
        if args or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            raise AuditTrailAppendOnlyError("save() with update options")
        # Always an INSERT: a new object given an existing id fails rather than overwrite that row.
        kwargs["force_insert"] = True
        # No savepoint of its own: an event is kept or lost with the transaction it is part of.
        with transaction.atomic(savepoint=False):
            # The head row, locked until commit, makes concurrent appends take turns.
            self.previous_hash = AuditChainHead.claimed_last_hash()
            self.hash = event_hash(self, self.previous_hash)
            super().save(**kwargs)
            AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON_ID).update(
                last_event_id=self.pk, last_hash=self.hash
            )

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailAppendOnlyError("delete()")


class AuditChainHead(models.Model):
    """The one row that keeps the chain's last event, so that events deleted from its end are
    found, and that appends lock to take turns."""

    SINGLETON_ID = 1

    last_event_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, blank=True, default=GENESIS)

    def __str__(self) -> str:
        return f"audit chain head at event {self.last_event_id}"

    @staticmethod
    def claimed_last_hash() -> str:
        """The last event's hash, with the head row write-locked until the transaction ends.

        The lock is taken by writing the row before reading it: PostgreSQL locks the row, and
        SQLite takes its write lock (waiting its busy timeout) rather than failing later to
        upgrade a read, which a read-only request that records its read would otherwise meet.
        The head row is made if missing (two first writers: one insert wins).
        """
        for _ in range(2):
            last_hash = _touch_head_returning_last_hash()
            if last_hash is not None:
                return last_hash
            AuditChainHead.objects.bulk_create(
                [AuditChainHead(pk=AuditChainHead.SINGLETON_ID)], ignore_conflicts=True
            )
        raise RuntimeError("the audit chain head row could not be made")


def _touch_head_returning_last_hash() -> str | None:
    touch = "UPDATE audit_auditchainhead SET last_hash = last_hash WHERE id = %s"
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:  # RETURNING is understood
            cursor.execute(touch + " RETURNING last_hash", [AuditChainHead.SINGLETON_ID])
        else:
            cursor.execute(touch, [AuditChainHead.SINGLETON_ID])
            cursor.execute(
                "SELECT last_hash FROM audit_auditchainhead WHERE id = %s",
                [AuditChainHead.SINGLETON_ID],
            )
        row = cursor.fetchone()
    return None if row is None else str(row[0])


class BreakGlassGrant(models.Model):
    """A manager's time-limited access to one record outside their normal access, given for a
    reason they wrote (recorded in the trail as an event of its own, and notified). Kept, like
    the trail, after it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=255)
    reason = models.CharField(max_length=REASON_MAX_LENGTH)
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["user", "content_type", "object_id", "expires_at"],
                name="audit_break_glass_open_idx",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.user} into {self.content_type.model} {self.object_id} until {self.expires_at}"
        )
