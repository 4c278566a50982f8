"""Where to start (the services whose governance someone reads) and a service's governance
calendar: every governance item due, with a link to where each is dealt with."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403, permitted
from tandem.compliance.models import DUE_SOON, OVERDUE
from tandem.governance import selectors
from tandem.governance.rules import MANAGE_GOVERNANCE, SEE_COMPLAINTS, SHOW_GOVERNANCE_MENU
from tandem.governance.views.sections import service_url

# Where each rule's due item is dealt with, for the calendar's links.
SECTION_OF_RULE = {
    "policies": "governance:policies",
    "model-review": "governance:model_of_work",
    "governance-report": "governance:reports",
    "agreements": "governance:agreements",
    "edi-review": "governance:edi_reviews",
    "complaints": "governance:complaints",
}


@permission_required_or_403(SHOW_GOVERNANCE_MENU)
def governance_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/home.html",
        {"services": selectors.policy_register_services_listed(user=request.user)},
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def calendar(request: HttpRequest, service_id: int) -> HttpResponse:
    """Every governance due item of the service in date order, overdue and due soon marked."""
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    sees_complaints = permitted(request.user, SEE_COMPLAINTS)
    items = selectors.governance_due_items_of(
        service=service,
        now=timezone.now(),
        complaints_for=request.user if sees_complaints else None,
    )
    rows = [
        {
            "item": item,
            "overdue": item.urgency == OVERDUE,
            "due_soon": item.urgency == DUE_SOON,
            "href": service_url(SECTION_OF_RULE[item.rule_id], service)
            if item.rule_id in SECTION_OF_RULE
            else "",
        }
        for item in items
    ]
    return render(
        request,
        "governance/calendar.html",
        {
            "service": service,
            "rows": rows,
            "overdue_count": sum(1 for row in rows if row["overdue"]),
            "can_see_complaints": sees_complaints,
        },
    )
