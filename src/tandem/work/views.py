"""The pages that gather every area: the home page, and the worker's "My work" page (what the
standards make due, overdue and due soon first)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403
from tandem.access.roles import roles_of
from tandem.assurance.selectors import overdue_actions_for
from tandem.audit.reads import audit_page_read
from tandem.compliance.models import DUE_SOON, DUE_SOON_WORKING_DAYS, OVERDUE, DueTask
from tandem.work import selectors
from tandem.work.rules import VIEW_MY_WORK

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "work/home.html", {"roles": sorted(r.label for r in roles_of(request.user))}
    )


@permission_required_or_403(VIEW_MY_WORK)
def my_work(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    tasks = selectors.due_tasks_for_user(user=request.user, now=now)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    # A task's title may name the person it is about: the tasks shown are a read to audit.
    audit_page_read(request, records=page.object_list, model=DueTask, summary="my work page")
    context = {
        "page": page,
        "recurring": selectors.recurring_work_for_user(user=request.user, now=now),
        "overdue_actions": overdue_actions_for(user=request.user, today=timezone.localdate(now))
        .select_related("assessment__service")
        .order_by("due_on", "pk"),
        "overdue": OVERDUE,
        "due_soon": DUE_SOON,
        "due_soon_working_days": DUE_SOON_WORKING_DAYS,
    }
    return render(request, "work/my_work.html", context)
