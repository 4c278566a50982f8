"""Governance items due, for the responsible person's "My work" page."""

from datetime import datetime

from tandem.access.permissions import permitted
from tandem.access.roles import Person as User
from tandem.compliance.models import RecurringItem
from tandem.governance.rules import SEE_COMPLAINTS
from tandem.governance.selectors import governance_due_items, governance_services_for_user


def governance_due_items_for_user(*, user: User, now: datetime) -> list[RecurringItem]:
    """Every governance item due in the services this person is a senior manager of: missing
    required policies and policy reviews (rule policies), the model of work review (rule
    model-review), the quarterly report and governing body actions (rule governance-report),
    agreement reviews and, for a service manager, responses to the complaints they read (WG
    18). Overdue first, then due soon (within 2 working days), then later, each by due date; a
    fixed number of queries whatever the number of services."""
    items = governance_due_items(
        services=governance_services_for_user(user=user),
        now=now,
        complaints_for=user if permitted(user, SEE_COMPLAINTS) else None,
    )
    return sorted(
        items, key=lambda item: (item.urgency, item.due_on, item.service.name, item.title)
    )
