"""Pages for services: the list, a service's settings and staff, and the forms that change them.

Who may open them at all is the permission rules' decision (403); which service someone can
open, the selectors' (404 outside theirs); whether a change is allowed, the services' (a refusal
naming the field and rule, shown on the form).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.organisations import selectors
from tandem.organisations.forms import (
    MembershipEndForm,
    MembershipForm,
    OrganisationForm,
    ServiceForm,
)
from tandem.organisations.models import Organisation, Service, StaffMembership
from tandem.organisations.rules import (
    CREATE_ORGANISATION,
    CREATE_SERVICE,
    MANAGE_SERVICE,
    VIEW_SERVICES,
)
from tandem.organisations.services import (
    organisation_create,
    service_create,
    service_update,
    staff_membership_add,
    staff_membership_end,
)
from tandem.web import acting_user, form_page

# The form page of these views: the shared one, with the way back to the service (or the list).
FORM_TEMPLATE = "organisations/form.html"


def _service_to_manage(request: HttpRequest, service_id: int) -> Service:
    """404 for a service the person may not see; 403 unless they may manage it."""
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    require_permission(request.user, MANAGE_SERVICE, service)
    return service


def _detail_url(service: Service) -> str:
    return reverse("organisations:service_detail", args=[service.pk])


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

    def recorded(organisation: Organisation) -> str:
        return f"Organisation {organisation.name} recorded"

    return form_page(
        request,
        form=form,
        act=lambda: organisation_create(name=form.cleaned_data["name"], actor=acting_user(request)),
        done=recorded,
        success_url=reverse("organisations:service_list"),
        template=FORM_TEMPLATE,
        heading="Add an organisation",
        button="Add the organisation",
    )


@permission_required_or_403(CREATE_SERVICE)
def service_new(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None, organisations=selectors.organisations())

    def recorded(service: Service) -> str:
        return f"Service {service.name} recorded"

    return form_page(
        request,
        form=form,
        act=lambda: service_create(
            organisation=form.cleaned_data["organisation"],
            settings=form.service_settings(),
            actor=acting_user(request),
        ),
        done=recorded,
        success_url=_detail_url,
        template=FORM_TEMPLATE,
        heading="Add a service",
        button="Add the service",
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
    return form_page(
        request,
        form=form,
        act=lambda: service_update(
            service=service,
            settings=form.service_settings(),
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        done="Service settings saved",
        success_url=_detail_url,
        template=FORM_TEMPLATE,
        service=service,
        caption=service.name,
        heading="Change the service's settings",
        button="Save the settings",
    )


@permission_required_or_403(VIEW_SERVICES)
def membership_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service_to_manage(request, service_id)
    form = MembershipForm(request.POST or None, today=timezone.localdate())

    def add() -> StaffMembership:
        user = selectors.user_by_username(username=form.cleaned_data["username"])
        if user is None:
            raise ActionRefused("No one has that username: check it with them", field="username")
        return staff_membership_add(
            service=service,
            user=user,
            side=form.cleaned_data["side"],
            is_senior_manager=form.cleaned_data["is_senior_manager"],
            started_on=form.cleaned_data["started_on"],
            actor=acting_user(request),
        )

    def added(membership: StaffMembership) -> str:
        return f"{person_name(membership.user)} added to {service.name}"

    return form_page(
        request,
        form=form,
        act=add,
        done=added,
        success_url=_detail_url(service),
        template=FORM_TEMPLATE,
        service=service,
        caption=service.name,
        heading="Add a staff member",
        intro="They must already have a Tandem account with the role for their work.",
        button="Add the staff member",
    )


@permission_required_or_403(VIEW_SERVICES)
def membership_end(request: HttpRequest, service_id: int, membership_id: int) -> HttpResponse:
    service = _service_to_manage(request, service_id)
    membership = selectors.membership_get(service=service, membership_id=membership_id)
    form = MembershipEndForm(request.POST or None, today=timezone.localdate())
    return form_page(
        request,
        form=form,
        act=lambda: staff_membership_end(
            membership=membership,
            ended_on=form.cleaned_data["ended_on"],
            actor=acting_user(request),
        ),
        done=f"{person_name(membership.user)}'s membership of {service.name} ended",
        success_url=_detail_url(service),
        template=FORM_TEMPLATE,
        service=service,
        caption=service.name,
        heading=f"End {person_name(membership.user)}'s membership",
        intro=f"Side: {membership.get_side_display()}. Started on "
        f"{membership.started_on:%-d %B %Y}.",
        button="End the membership",
    )
