"""Agreements with other organisations (R22 C1.7, D1.2), each reviewed by its review date; the
named roles and the out-of-hours on-call rota (R22 C1.7, A2.1; rule case-management-lead)."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403
from tandem.governance import selectors
from tandem.governance.forms import (
    AgreementForm,
    AgreementReviewForm,
    NamedRoleEndForm,
    NamedRoleForm,
    OnCallForm,
)
from tandem.governance.rules import MANAGE_GOVERNANCE
from tandem.governance.services import agreements as agreement_services
from tandem.governance.views.sections import cell, date_text, section_page, service_url, today
from tandem.lib.people import person_name
from tandem.web import acting_user, form_page


@permission_required_or_403(MANAGE_GOVERNANCE)
def agreements(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    day = today()
    rows = [
        [
            cell(agreement.title),
            cell(agreement.get_kind_display()),
            cell(agreement.parties),
            cell(date_text(agreement.signed_on)),
            cell(
                date_text(agreement.review_on),
                tag="Ended"
                if agreement.ended_on
                else "Review overdue"
                if agreement.review_on < day
                else "",
                colour="grey" if agreement.ended_on else "red",
            ),
            cell(
                "" if agreement.ended_on else "Record a review",
                href=""
                if agreement.ended_on
                else service_url("governance:agreement_review", service, agreement.pk),
            ),
        ]
        for agreement in selectors.agreements_of(service=service)
    ]
    return section_page(
        request,
        service=service,
        heading="Agreements",
        intro="Information sharing agreements, the partnership agreement with an external ISS "
        "(R22 C1.7) and service level agreements with specialist services (R22 D1.2), each "
        "reviewed by its review date.",
        buttons=[("Record an agreement", service_url("governance:agreement_new", service))],
        tables=[
            {
                "caption": "Agreements by review date",
                "head": ["Title", "Kind", "Parties", "Signed", "Review", "Review it"],
                "rows": rows,
                "empty": "No agreement recorded yet.",
            }
        ],
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def agreement_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = AgreementForm(request.POST or None)
    back = service_url("governance:agreements", service)
    return form_page(
        request,
        form=form,
        act=lambda: agreement_services.agreement_record(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="Agreement recorded",
        success_url=back,
        heading="Record an agreement",
        caption=service.name,
        button="Record the agreement",
        back=back,
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def agreement_review(request: HttpRequest, service_id: int, agreement_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    agreement = selectors.agreement_get(service=service, agreement_id=agreement_id)
    form = AgreementReviewForm(request.POST or None, version=agreement.version)
    back = service_url("governance:agreements", service)
    return form_page(
        request,
        form=form,
        act=lambda: agreement_services.agreement_review_record(
            agreement=agreement, actor=acting_user(request), **form.cleaned_data
        ),
        done="Agreement review recorded",
        success_url=back,
        heading=f"Review {agreement.title}",
        caption=service.name,
        intro=f"Signed {agreement.signed_on:%-d %B %Y}; review due "
        f"{agreement.review_on:%-d %B %Y}.",
        button="Record the review",
        back=back,
    )


# Named roles and the on-call rota


@permission_required_or_403(MANAGE_GOVERNANCE)
def named_roles(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    day = today()
    role_rows = [
        [
            cell(role.get_kind_display()),
            cell(person_name(role.user)),
            cell(date_text(role.from_date)),
            cell(
                date_text(role.to_date),
                tag="Current"
                if role.from_date <= day and (role.to_date is None or role.to_date >= day)
                else "",
                colour="green",
            ),
            cell(
                "" if role.to_date else "Record the last day",
                href=""
                if role.to_date
                else service_url("governance:named_role_end", service, role.pk),
            ),
        ]
        for role in selectors.named_roles_of(service=service)
    ]
    shift_rows = [
        [
            cell(person_name(shift.user)),
            cell(f"{timezone.localtime(shift.starts_at):%-d %b %Y %H:%M}"),
            cell(f"{timezone.localtime(shift.ends_at):%-d %b %Y %H:%M}"),
        ]
        for shift in selectors.on_call_shifts_of(service=service, now=timezone.now())
    ]
    return section_page(
        request,
        service=service,
        heading="Named roles and the on-call rota",
        intro="The safeguarding lead, the out-of-hours lead and on-call rota (R22 C1.7), the "
        "practice or treatment manager and the case management lead, who must not carry a "
        "caseload (rule case-management-lead).",
        buttons=[
            ("Name someone to a role", service_url("governance:named_role_new", service)),
            ("Add an on-call shift", service_url("governance:on_call_new", service)),
        ],
        tables=[
            {
                "title": "Named roles",
                "caption": "Named roles",
                "head": ["Role", "Person", "From", "To", "End"],
                "rows": role_rows,
                "empty": "No one is named to a role yet.",
            },
            {
                "title": "On-call rota",
                "caption": "On-call shifts from now",
                "head": ["On call", "From", "Until"],
                "rows": shift_rows,
                "empty": "No on-call shift from now on is recorded.",
            },
        ],
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def named_role_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = NamedRoleForm(
        request.POST or None, staff=selectors.staff_choices_of(service=service, on=today())
    )
    back = service_url("governance:named_roles", service)
    return form_page(
        request,
        form=form,
        act=lambda: agreement_services.named_role_assign(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="Role recorded",
        success_url=back,
        heading="Name someone to a role",
        caption=service.name,
        button="Name them",
        back=back,
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def named_role_end(request: HttpRequest, service_id: int, role_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    role = selectors.named_role_get(service=service, role_id=role_id)
    form = NamedRoleEndForm(request.POST or None)
    back = service_url("governance:named_roles", service)
    return form_page(
        request,
        form=form,
        act=lambda: agreement_services.named_role_end(
            role=role, to_date=form.cleaned_data["to_date"], actor=acting_user(request)
        ),
        done="Last day recorded",
        success_url=back,
        heading=f"{person_name(role.user)}'s last day as {role.get_kind_display().lower()}",
        caption=service.name,
        button="Record the last day",
        back=back,
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def on_call_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = OnCallForm(
        request.POST or None, staff=selectors.staff_choices_of(service=service, on=today())
    )
    back = service_url("governance:named_roles", service)
    return form_page(
        request,
        form=form,
        act=lambda: agreement_services.on_call_shift_add(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="On-call shift added",
        success_url=back,
        heading="Add an on-call shift",
        caption=service.name,
        button="Add the shift",
        back=back,
    )
