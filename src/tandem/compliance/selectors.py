"""Reads of due tasks, scoped by the information barrier: a task on the ISS side names a
survivor, so only the ISS side of its service ever sees it."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from tandem.access.roles import Person as User
from tandem.cases.models import CaseReviewMeeting, FileAudit, RiskEngagementExchange
from tandem.cases.selectors import case_review_services_for_user
from tandem.compliance import deadlines
from tandem.compliance.models import DueTask, TaskSide
from tandem.lib.calendar import Jurisdiction, due_after_working_days
from tandem.organisations.models import Service
from tandem.organisations.selectors import iss_side_services, perpetrator_side_services

if TYPE_CHECKING:
    # Typing only: django-stubs-ext is a development dependency.
    from django_stubs_ext import WithAnnotations

# Tasks due within this many working days are "due soon" on a person's work list.
DUE_SOON_WORKING_DAYS = 2

OVERDUE, DUE_SOON, LATER = 0, 1, 2


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


@dataclass(frozen=True)
class RecurringItem:
    """Something a service does again and again, due from when it was last done: not a stored
    task, but computed from the records each time."""

    service: Service
    title: str
    rule_id: str
    due_on: date
    urgency: int
    # Where the person does it; set by `tandem.compliance.work` for each area.
    url: str = ""


def recurring_items_for_user(*, user: User, now: datetime) -> list[RecurringItem]:
    """The next case management review (rule case-review), case-file audit (rule file-audit)
    and weekly risk and engagement exchange (rule weekly-exchange) of each service whose reviews
    this person runs, in one query whatever the
    number of services. Overdue once the due day has passed; due soon within 2 working days."""
    last_review = CaseReviewMeeting.objects.filter(service=OuterRef("pk")).order_by("-held_on")
    last_audit = FileAudit.objects.filter(service=OuterRef("pk")).order_by("-audited_on")
    last_exchange = RiskEngagementExchange.objects.filter(service=OuterRef("pk")).order_by(
        "-held_on"
    )
    services = (
        case_review_services_for_user(user=user)
        .annotate(
            last_review_on=Subquery(last_review.values("held_on")[:1]),
            last_audit_on=Subquery(last_audit.values("audited_on")[:1]),
            last_exchange_on=Subquery(last_exchange.values("held_on")[:1]),
        )
        .order_by("name", "pk")
    )
    today = timezone.localdate(now)
    items = []
    for service in services:
        soon = timezone.localdate(
            due_after_working_days(
                start=now,
                working_days=DUE_SOON_WORKING_DAYS,
                jurisdiction=Jurisdiction(service.jurisdiction),
            )
        )
        for title, rule_id, due_on in (
            (
                "Case management review due",
                "case-review",
                deadlines.case_review_due(last_held_on=service.last_review_on, today=today),
            ),
            (
                "Case-file audit due",
                "file-audit",
                deadlines.file_audit_due(last_audited_on=service.last_audit_on, today=today),
            ),
            (
                "Weekly risk and engagement exchange with the ISS due",
                "weekly-exchange",
                deadlines.weekly_exchange_due(last_held_on=service.last_exchange_on, today=today),
            ),
        ):
            urgency = OVERDUE if due_on < today else DUE_SOON if due_on <= soon else LATER
            items.append(RecurringItem(service, title, rule_id, due_on, urgency))
    return sorted(items, key=lambda item: (item.urgency, item.due_on, item.service.name))
