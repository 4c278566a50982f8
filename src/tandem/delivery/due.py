"""Delivery items for the "My work" page: a recording review of the sample (rule recording,
R22-S B6.4, R08 B1.5: the practice manager reviews about one in five group sessions).

A review is due once five group sessions have been held since the latest session whose recording
was reviewed: due on the day the fifth was held, overdue after it. Shown to the practice and
service managers on the perpetrator side of the service, in one query whatever the number of
services.
"""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import DateField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from tandem.access.roles import MANAGER_ROLES, roles_of
from tandem.compliance.models import DUE_SOON, OVERDUE, RecurringItem
from tandem.delivery.models import DeliverySession, SessionType
from tandem.lib.calendar import UK_TIME
from tandem.organisations.selectors import perpetrator_side_services

SAMPLE_EVERY = 5
NEVER = date(1900, 1, 1)


def delivery_due_items_for_user(*, user: User, now: datetime) -> list[RecurringItem]:
    """Rule recording: the next recording review of each service this person reviews for."""
    if not roles_of(user) & MANAGER_ROLES:
        return []
    today = now.astimezone(UK_TIME).date()
    group_sessions = DeliverySession.objects.filter(
        service=OuterRef("pk"), session_type=SessionType.GROUP, held_on__lte=today
    )
    last_reviewed = group_sessions.filter(recording__review__isnull=False).order_by("-held_on")
    services = perpetrator_side_services(user=user).annotate(
        last_reviewed_on=Coalesce(
            Subquery(last_reviewed.values("held_on")[:1]), Value(NEVER), output_field=DateField()
        ),
    )
    services = services.annotate(
        review_due_on=Subquery(
            group_sessions.filter(held_on__gt=OuterRef("last_reviewed_on"))
            .order_by("held_on", "pk")
            .values("held_on")[SAMPLE_EVERY - 1 : SAMPLE_EVERY]
        )
    )
    items = []
    for service in services.filter(review_due_on__isnull=False).order_by("name"):
        due_on: date = service.review_due_on
        items.append(
            RecurringItem(
                service=service,
                title="Review a group session recording (about one in five)",
                rule_id="recording",
                due_on=due_on,
                urgency=OVERDUE if due_on < today else DUE_SOON,
            )
        )
    return items
