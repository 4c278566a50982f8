"""Workforce items for the "My work" page: criminal record check renewals (rule dbs), mandatory
training refreshers (rule mandatory-training), CPD hours (rule cpd), supervision due (rules
clinical-supervision, line-management, practice-observation), and the job description and person
specification on file.

Each person sees their own; a service manager (or HR) also sees those of every worker of the
services they manage. An item shows once it is due within a month (amber on the compliance
matrix) or overdue/missing (red); "due soon" as on the rest of the page is within
`DUE_SOON_WORKING_DAYS` working days.
"""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.utils import timezone

from tandem.compliance.models import (
    DUE_SOON,
    DUE_SOON_WORKING_DAYS,
    LATER,
    OVERDUE,
    RecurringItem,
)
from tandem.lib.calendar import Jurisdiction, due_after_working_days
from tandem.lib.people import person_name
from tandem.organisations.models import Service
from tandem.organisations.selectors import current_memberships
from tandem.workforce import selectors
from tandem.workforce.matrix import AMBER, RED, Cell, compliance_matrix
from tandem.workforce.models import Worker

TITLES = {
    "check": "Criminal record check renewal",
    "cpd": "CPD hours (20 a year)",
    "clinical": "Clinical supervision",
    "line-management": "Line management",
    "peer": "Peer supervision (ICM)",
    "observation": "Practice observation (ICM)",
    "documents": "Job description and person specification on file",
}


def _title(cell: Cell, *, whose: str) -> str:
    key = cell.requirement.key
    what = TITLES.get(key) or f"{cell.requirement.label} refresher"
    return f"{what}{whose} due: {cell.text}"


def _items(
    *, service: Service, workers: list[Worker], now: datetime, today: date, own: bool
) -> list[RecurringItem]:
    soon = timezone.localdate(
        due_after_working_days(
            start=now,
            working_days=DUE_SOON_WORKING_DAYS,
            jurisdiction=Jurisdiction(service.jurisdiction),
        )
    )
    items = []
    for row in compliance_matrix(service=service, workers=workers, on=today):
        name = person_name(row.worker.user)
        whose = "" if own else f" ({name})"
        for cell in row.cells:
            if cell.status not in (RED, AMBER):
                continue
            due_on = cell.due_on or today
            urgency = OVERDUE if cell.status == RED else DUE_SOON if due_on <= soon else LATER
            items.append(
                RecurringItem(
                    service, _title(cell, whose=whose), cell.requirement.rule_id, due_on, urgency
                )
            )
    return items


def workforce_due_items_for_user(*, user: User, now: datetime) -> list[RecurringItem]:
    """The person's own workforce items, and, for a service manager or HR, those of the workers
    of each service they manage: a fixed number of queries per service, whatever the number of
    workers."""
    today = timezone.localdate(now)
    items: list[RecurringItem] = []
    own_workers = list(Worker.objects.filter(user=user).select_related("user"))
    memberships = list(
        current_memberships(user=user).select_related("service").order_by("started_on", "pk")
    )
    for worker in own_workers:
        service = next(
            (m.service for m in memberships if m.service.organisation_id == worker.organisation_id),
            None,
        )
        if service is not None:
            items += _items(service=service, workers=[worker], now=now, today=today, own=True)
    for service in selectors.managed_services(user=user).order_by("name", "pk"):
        others = [w for w in selectors.service_workers(service=service) if w.user_id != user.pk]
        if others:
            items += _items(service=service, workers=others, now=now, today=today, own=False)
    return sorted(items, key=lambda item: (item.urgency, item.due_on, item.service.name))
