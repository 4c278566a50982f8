"""The worker's "My work" page: what the standards make due, overdue and due soon first."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403
from tandem.assurance.selectors import overdue_actions_for
from tandem.compliance import selectors
from tandem.compliance.work import recurring_work_for_user

PAGE_SIZE = 50


@permission_required_or_403("compliance.view_my_work")
def my_work(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    tasks = selectors.due_tasks_for_user(user=request.user, now=now)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "recurring": recurring_work_for_user(user=request.user, now=now),
        "overdue_actions": overdue_actions_for(user=request.user, today=timezone.localdate(now))
        .select_related("assessment__service")
        .order_by("due_on", "pk"),
        "overdue": selectors.OVERDUE,
        "due_soon": selectors.DUE_SOON,
        "due_soon_working_days": selectors.DUE_SOON_WORKING_DAYS,
    }
    return render(request, "compliance/my_work.html", context)
