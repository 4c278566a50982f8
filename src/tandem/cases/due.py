"""Case items for the "My work" page: each service's next case management review (rule
case-review), case-file audit (rule file-audit) and weekly risk and engagement exchange with the
ISS (rule weekly-exchange), due from when each was last held."""

from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from tandem.access.roles import Person as User
from tandem.cases.models import CaseReviewMeeting, FileAudit, RiskEngagementExchange
from tandem.cases.selectors import case_review_services_for_user
from tandem.compliance import deadlines
from tandem.compliance.models import (
    DUE_SOON,
    DUE_SOON_WORKING_DAYS,
    LATER,
    OVERDUE,
    RecurringItem,
)
from tandem.lib.calendar import Jurisdiction, due_after_working_days


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
