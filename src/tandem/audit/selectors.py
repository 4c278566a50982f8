"""Reads of the audit trail. Each takes the user; one who may not read it gets nothing.

A data protection officer reads the whole trail of their organisations: the events of everyone
who has worked in one of its services (the user's memberships, named by their relation only: the
trail sits below the organisations in the layers). "Who viewed this survivor's record?" finds the
events about her record and every list, search or export that named her record among others.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from tandem.audit.models import AuditEvent, BreakGlassGrant
from tandem.audit.rules import READ_WHOLE_TRAIL, VIEW_TRAIL


def audit_events_for_object_for_user(
    *, user: AbstractBaseUser | AnonymousUser, target: Model
) -> QuerySet[AuditEvent]:
    """Every event about `target`, newest first, with actor and content type in the same query."""
    if not user.has_perm(VIEW_TRAIL):  # type: ignore[union-attr]
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor", "content_type")


@dataclass(frozen=True)
class TrailFilter:
    """What the trail is narrowed to; every part optional. Dates are local days, inclusive."""

    record_type: ContentType | None = None
    record_id: str = ""
    person: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def _record_pk(record_type: ContentType, record_id: str) -> str:
    """The id events name a record by: as given, or, for a record known by its reference (a
    perpetrator case, whose address shows its reference), the id of the record with it."""
    model = record_type.model_class()
    if record_id.isdigit() or model is None:
        return record_id
    if "reference" not in {field.name for field in model._meta.get_fields()}:
        return record_id
    found = model._default_manager.filter(reference=record_id).values_list("pk", flat=True)
    return str(found.first() or record_id)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _people_of_the_organisations_of(user: AbstractBaseUser | AnonymousUser) -> QuerySet[User]:
    if user.pk is None:
        return User.objects.none()
    organisations = User.objects.filter(pk=user.pk).values("memberships__service__organisation")
    return User.objects.filter(memberships__service__organisation__in=organisations)


def audit_trail_for_user(
    *, user: AbstractBaseUser | AnonymousUser, narrowed: TrailFilter = TrailFilter()
) -> QuerySet[AuditEvent]:
    """The trail a data protection officer may read, narrowed, newest first."""
    if not user.has_perm(READ_WHOLE_TRAIL):  # type: ignore[union-attr]
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(actor__in=_people_of_the_organisations_of(user))
    if narrowed.record_type is not None:
        events = events.filter(content_type=narrowed.record_type)
        if narrowed.record_id:
            record_id = _record_pk(narrowed.record_type, narrowed.record_id.strip())
            # A read of many records of this type names them in object_ids; a read of one
            # record's own records (a case's children) is about that record, in object_id.
            events = events.filter(
                Q(object_id=record_id) | Q(object_id="", object_ids__contains=f" {record_id} ")
            )
    if narrowed.person:
        events = events.filter(actor_label=narrowed.person.strip())
    if narrowed.since is not None:
        events = events.filter(occurred_at__gte=_start_of(narrowed.since))
    if narrowed.until is not None:
        events = events.filter(
            occurred_at__lt=_start_of(narrowed.until + datetime.timedelta(days=1))
        )
    return events.select_related("content_type").order_by("-occurred_at", "-id")


def audited_record_types() -> QuerySet[ContentType]:
    """The kinds of record the trail can be narrowed to: Tandem's own."""
    return ContentType.objects.filter(app_label__in=TANDEM_APP_LABELS).order_by(
        "app_label", "model"
    )


TANDEM_APP_LABELS = [
    "cases",
    "support",
    "delivery",
    "governance",
    "organisations",
    "workforce",
    "assurance",
    "compliance",
]


def break_glass_granted(
    *, user: AbstractBaseUser | AnonymousUser, model: type[Model], object_id: object
) -> bool:
    """Whether `user` holds unexpired break-glass access to that one record."""
    if user.pk is None:
        return False
    return BreakGlassGrant.objects.filter(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(object_id),
        expires_at__gt=timezone.now(),
    ).exists()
