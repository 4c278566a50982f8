"""Pages for services: the list, a service's settings and staff, and the forms that change them.

Who may open them at all is the permission rules' decision (403); which service someone can
open, the selectors' (404 outside theirs); whether a change is allowed, the services' (a refusal
naming the field and rule, shown on the form).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403
from tandem.lib.errors import ActionRefused
from tandem.organisations import selectors
from tandem.organisations.forms import (
    MembershipEndForm,
    MembershipForm,
    OrganisationForm,
    ServiceForm,
)
from tandem.organisations.models import Service
from tandem.organisations.services import (
    organisation_create,
    person_name,
    service_create,
    service_update,
    staff_membership_add,
    staff_membership_end,
)
from tandem.web import add_refusal_to_form

VIEW_SERVICES = "organisations.view_services"
CREATE_ORGANISATION = "organisations.create_organisation"
CREATE_SERVICE = "organisations.create_service"
MANAGE_SERVICE = "organisations.manage_service"


def _service_to_manage(request: HttpRequest, service_id: int) -> Service:
    """404 for a service the person may not see; 403 unless they may manage it."""
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    if not request.user.has_perm(MANAGE_SERVICE, service):
        raise PermissionDenied(MANAGE_SERVICE)
    return service


@permission_required_or_403(VIEW_SERVICES)
def service_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/service_list.html",
        {
            "services": selectors.services_for_user(user=request.user),
            "can_create_service": request.user.has_perm(CREATE_SERVICE),
            "can_create_organisation": request.user.has_perm(CREATE_ORGANISATION),
        },
    )


@permission_required_or_403(CREATE_ORGANISATION)
def organisation_new(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(
                name=form.cleaned_data["name"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, f"Organisation {organisation.name} recorded")
            return redirect("organisations:service_list")
    return render(
        request,
        "organisations/form.html",
        {"form": form, "heading": "Add an organisation", "button": "Add the organisation"},
    )


@permission_required_or_403(CREATE_SERVICE)
def service_new(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None, organisations=selectors.organisations())
    if request.method == "POST" and form.is_valid():
        try:
            service = service_create(
                organisation=form.cleaned_data["organisation"],
                settings=form.service_settings(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, f"Service {service.name} recorded")
            return redirect("organisations:service_detail", service_id=service.pk)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "heading": "Add a service", "button": "Add the service"},
    )


@permission_required_or_403(VIEW_SERVICES)
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    today = timezone.localdate()
    return render(
        request,
        "organisations/service_detail.html",
        {
            "service": service,
            "can_manage": request.user.has_perm(MANAGE_SERVICE, service),
            "current_staff": selectors.current_memberships_of(service=service, today=today),
            "past_staff": selectors.past_memberships_of(service=service, today=today),
        },
    )


@permission_required_or_403(VIEW_SERVICES)
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service_to_manage(request, service_id)
    form = ServiceForm(
        request.POST or None, organisations=selectors.organisations(), service=service
    )
    if request.method == "POST" and form.is_valid():
        try:
            service = service_update(
                service=service,
                settings=form.service_settings(),
                actor=request.user,  # type: ignore[arg-type]
                expected_version=form.cleaned_data["expected_version"],
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, "Service settings saved")
            return redirect("organisations:service_detail", service_id=service.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "service": service,
            "heading": "Change the service's settings",
            "button": "Save the settings",
        },
    )


@permission_required_or_403(VIEW_SERVICES)
def membership_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service_to_manage(request, service_id)
    form = MembershipForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        user = selectors.user_by_username(username=form.cleaned_data["username"])
        if user is None:
            form.add_error("username", "No one has that username: check it with them")
        else:
            try:
                membership = staff_membership_add(
                    service=service,
                    user=user,
                    side=form.cleaned_data["side"],
                    is_senior_manager=form.cleaned_data["is_senior_manager"],
                    started_on=form.cleaned_data["started_on"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ActionRefused as refusal:
                # The service names the person `user`; this form asks for their username.
                if refusal.field == "user":
                    refusal.field = "username"
                add_refusal_to_form(form, refusal)
            else:
                messages.success(request, f"{person_name(membership.user)} added to {service.name}")
                return redirect("organisations:service_detail", service_id=service.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "service": service,
            "heading": "Add a staff member",
            "intro": "They must already have a Tandem account with the role for their work.",
            "button": "Add the staff member",
        },
    )


@permission_required_or_403(VIEW_SERVICES)
def membership_end(request: HttpRequest, service_id: int, membership_id: int) -> HttpResponse:
    service = _service_to_manage(request, service_id)
    membership = selectors.membership_get(service=service, membership_id=membership_id)
    form = MembershipEndForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            staff_membership_end(
                membership=membership,
                ended_on=form.cleaned_data["ended_on"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(
                request, f"{person_name(membership.user)}'s membership of {service.name} ended"
            )
            return redirect("organisations:service_detail", service_id=service.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "service": service,
            "heading": f"End {person_name(membership.user)}'s membership",
            "intro": f"Side: {membership.get_side_display()}. Started on "
            f"{membership.started_on:%-d %B %Y}.",
            "button": "End the membership",
        },
    )
