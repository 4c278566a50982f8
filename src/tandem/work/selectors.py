"""What is due to a person, for "My work": the open due tasks they may see, and every area's
recurring items.

The due tasks are scoped by the information barrier: a task on the ISS side names a survivor,
so only the ISS side of its service ever sees it. The recurring items are computed by each area
from its own records (the rule named in each item, in the area's `due.py`); this module only
puts them together and says where each is done.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse

from tandem.access.roles import Person as User
from tandem.cases.due import recurring_items_for_user
from tandem.compliance.models import (
    DUE_SOON,
    DUE_SOON_WORKING_DAYS,
    LATER,
    OVERDUE,
    DueTask,
    RecurringItem,
    TaskSide,
)
from tandem.delivery.due import delivery_due_items_for_user
from tandem.governance.due import governance_due_items_for_user
from tandem.lib.calendar import Jurisdiction, due_after_working_days
from tandem.organisations.selectors import iss_side_services, perpetrator_side_services
from tandem.workforce.due import workforce_due_items_for_user

if TYPE_CHECKING:
    # Typing only: django-stubs-ext is a development dependency.
    from django_stubs_ext import WithAnnotations


class Urgency(TypedDict):
    urgency: int


def due_tasks_for_user(
    *, user: User, now: datetime
) -> "QuerySet[WithAnnotations[DueTask, Urgency]]":
    """Open tasks for this person: theirs or nobody's yet, in the services and on the sides they
    work on. Overdue first (due before `now`: one due exactly now is still due, not overdue),
    then due soon (within 2 working days in the service's jurisdiction), then later, each by due
    time; `urgency` on each says which."""
    due_soon_when = [
        When(
            service__jurisdiction=jurisdiction,
            due_at__lte=due_after_working_days(
                start=now, working_days=DUE_SOON_WORKING_DAYS, jurisdiction=jurisdiction
            ),
            then=Value(DUE_SOON),
        )
        for jurisdiction in Jurisdiction
    ]
    visible = Q(side=TaskSide.PERPETRATOR, service__in=perpetrator_side_services(user=user)) | Q(
        side=TaskSide.ISS, service__in=iss_side_services(user=user)
    )
    return (
        DueTask.objects.filter(visible, completed_at__isnull=True)
        .filter(Q(assigned_to__isnull=True) | Q(assigned_to_id=user.pk))
        .annotate(
            urgency=Case(
                When(due_at__lt=now, then=Value(OVERDUE)),
                *due_soon_when,
                default=Value(LATER),
                output_field=IntegerField(),
            )
        )
        .select_related("perpetrator_case", "iss_case__survivor")
        .order_by("urgency", "due_at", "pk")
    )


Provider = Callable[..., list[RecurringItem]]

# Each area's due items and the page, for the item's service, where they are done.
AREAS: tuple[tuple[Provider, Callable[[RecurringItem], str]], ...] = (
    (
        recurring_items_for_user,
        lambda item: reverse("cases:service_reviews", args=[item.service.pk]),
    ),
    (delivery_due_items_for_user, lambda item: reverse("delivery:recordings")),
    (
        governance_due_items_for_user,
        lambda item: reverse("governance:calendar", args=[item.service.pk]),
    ),
    (workforce_due_items_for_user, lambda item: reverse("workforce:index")),
)


def recurring_work_for_user(*, user: User, now: datetime) -> list[RecurringItem]:
    """Reviews, audits, recording reviews, governance reviews and staff renewals due to this
    person, overdue first, then due soon, then later, each by due date."""
    items = [
        replace(item, url=url_of(item))
        for provider, url_of in AREAS
        for item in provider(user=user, now=now)
    ]
    return sorted(items, key=lambda item: (item.urgency, item.due_on, item.service.name))
