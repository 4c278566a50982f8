"""Everything recurring a person must see to on "My work", gathered from every area.

Each area computes its own due items from its records (rules named in each item); this module
only puts them together and says where each is done. It lives apart from `selectors` because
the areas import `RecurringItem` from there.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from django.urls import reverse

from tandem.access.roles import Person as User
from tandem.compliance.selectors import RecurringItem, recurring_items_for_user
from tandem.delivery.due import delivery_due_items_for_user
from tandem.governance.due import governance_due_items_for_user
from tandem.workforce.due import workforce_due_items_for_user

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
