"""Test-only pages that read and change an auth.Group the way a case page will read a case."""

from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    audit_event_record(actor=request.user, action=AuditEvent.Action.VIEWED, target=group)
    return HttpResponse(group.name)


def group_rename(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    before = model_snapshot(instance=group)
    group.name = request.POST["name"]
    group.save()
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.CHANGED,
        target=group,
        summary="Renamed",
        before=before,
        after=model_snapshot(instance=group),
    )
    return HttpResponse(group.name)


urlpatterns = [
    path("groups/<int:pk>/", group_detail, name="group_detail"),
    path("groups/<int:pk>/rename/", group_rename, name="group_rename"),
]
