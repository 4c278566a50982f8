"""Pages of the Welsh commissioning checklist: a commissioner's services side by side, starting a
checklist, rating each question, completing it; and who commissions what (administrators)."""

from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.access.roles import Role
from tandem.assurance.checklists import selectors
from tandem.assurance.checklists.deadlines import review_window_end
from tandem.assurance.checklists.forms import (
    RelationshipForm,
    WelshCompleteForm,
    WelshRatingForm,
    WelshStartForm,
)
from tandem.assurance.checklists.rules import (
    COMMISSION,
    MANAGE_COMMISSIONING,
    VIEW_CHECKLISTS,
    VIEW_COMMISSIONING,
)
from tandem.assurance.checklists.services.commissioning import commissioning_relationship_start
from tandem.assurance.checklists.services.welsh import (
    welsh_checklist_complete,
    welsh_checklist_start,
    welsh_question_rate,
)
from tandem.assurance.checklists.views.pages import (
    checklist_access,
    checklist_detail_url,
    on_checklist,
    viewed,
)
from tandem.assurance.labels import day_label, record_label
from tandem.assurance.models import Assessment, Process, State
from tandem.assurance.respect.selectors import current_respect_accreditation
from tandem.organisations.models import Service
from tandem.web import acting_user, form_page


@permission_required_or_403(VIEW_COMMISSIONING)
def commissioning(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assurance/checklists/commissioning.html",
        {"rows": selectors.commissioned_services_overview(user=request.user)},
    )


@permission_required_or_403(VIEW_COMMISSIONING)
def welsh_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_for_checklist(
        user=request.user, service_id=service_id, process=Process.WELSH_COMMISSIONING
    )
    form = WelshStartForm(request.POST or None)

    def act() -> Assessment:
        return welsh_checklist_start(
            service=service,
            actor=acting_user(request),
            accreditation=form.cleaned_data["accreditation"],
            accreditation_evidence=form.cleaned_data["accreditation_evidence"],
            review_within_weeks=form.cleaned_data["review_within_weeks"],
        )

    respect_current = current_respect_accreditation(service=service, today=timezone.localdate())
    return form_page(
        request,
        form=form,
        act=act,
        done="Checklist started",
        success_url=checklist_detail_url,
        back=reverse("assurance:checklists:commissioning"),
        heading="Start a Welsh standards checklist",
        button="Start the checklist",
        intro=(
            f"Tandem records {service.name}'s Respect accreditation until "
            f"{day_label(respect_current.expires_on)} (first day not accredited)."
            if respect_current and respect_current.expires_on
            else ""
        ),
        **on_checklist(service=service),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def welsh_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.WELSH_COMMISSIONING)
    assessment = access.assessment
    viewed(request, assessment)
    can_commission = request.user.has_perm(COMMISSION, assessment)
    return render(
        request,
        "assurance/checklists/welsh_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "summary": selectors.welsh_checklist_summary(assessment=assessment),
            "can_rate": can_commission and assessment.state == State.DRAFT,
        },
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def welsh_rate(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.WELSH_COMMISSIONING)
    require_permission(request.user, COMMISSION, access.assessment)
    assessment = access.assessment
    record = selectors.checklist_record_get(access=access, record_id=record_id)
    action = record.actions.first()
    form = WelshRatingForm(
        request.POST or None,
        version=record.version,
        owners=User.objects.filter(
            Q(pk__in=selectors.staff_of(service=assessment.service))
            | Q(pk__in=selectors.commissioners_of(service=assessment.service))
        ).order_by("last_name", "first_name", "username"),
        initial={
            "rating": record.rating or None,
            "evidence": record.narrative,
            "action": action.description if action else "",
            "owner": action.owner_id if action else None,
            "review_on": action.due_on if action else None,
        },
    )
    window_end = review_window_end(
        today=timezone.localdate(), weeks=assessment.welsh_checklist.review_within_weeks
    )
    return form_page(
        request,
        form=form,
        act=lambda: welsh_question_rate(
            record=record,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            rating=form.cleaned_data["rating"],
            evidence=form.cleaned_data["evidence"],
            improvement=form.action_details(),
        ),
        done=f"{record_label(record)} rated",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading=record.requirement.text,
        button="Save",
        intro="Red: does not meet the criteria. Amber: partially meets them, and needs an "
        "improvement action with its owner and a review date on or before "
        f"{day_label(window_end)} (the agreed timeframe). Green: meets them "
        "completely.",
        **on_checklist(assessment=assessment, record=record),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def welsh_complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.WELSH_COMMISSIONING)
    require_permission(request.user, COMMISSION, access.assessment)
    assessment = access.assessment
    form = WelshCompleteForm(request.POST or None, version=assessment.version)
    return form_page(
        request,
        form=form,
        act=lambda: welsh_checklist_complete(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            reassess_by=form.cleaned_data["reassess_by"],
        ),
        done="Checklist completed",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading="Complete the checklist",
        button="Complete the checklist",
        intro="Any Red item: the service does not meet the standards and must address it and be "
        "reassessed. Amber items are reviewed through their improvement actions. All Green: "
        "the service meets the standards.",
        **on_checklist(assessment=assessment),
    )


@permission_required_or_403(MANAGE_COMMISSIONING)
def relationships(request: HttpRequest) -> HttpResponse:
    form = RelationshipForm(
        request.POST or None,
        commissioners=User.objects.filter(groups__name=Role.COMMISSIONER.value).order_by(
            "last_name", "first_name", "username"
        ),
        services=Service.objects.select_related("organisation"),
    )
    return form_page(
        request,
        form=form,
        act=lambda: commissioning_relationship_start(
            commissioner=form.cleaned_data["commissioner"],
            service=form.cleaned_data["service"],
            since=form.cleaned_data["since"],
            actor=acting_user(request),
        ),
        done="Commissioning recorded",
        success_url=reverse("assurance:checklists:relationships"),
        template="assurance/checklists/relationships.html",
        relationships=selectors.commissioning_relationships(),
    )
