"""Pages of self-assessment for readiness: starting one against any framework, rating each
requirement, completing it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.assurance.checklists import selectors
from tandem.assurance.checklists.forms import (
    SelfAssessmentStartForm,
    SelfRatingForm,
)
from tandem.assurance.checklists.rules import (
    SELF_EVALUATE,
    START_SELF_EVALUATION,
    VIEW_CHECKLISTS,
)
from tandem.assurance.checklists.services.self_assessment import (
    self_assessment_complete,
    self_assessment_record_rate,
    self_assessment_start,
)
from tandem.assurance.checklists.views.pages import (
    checklist_access,
    checklist_detail_url,
    confirm_page,
    on_checklist,
    viewed,
)
from tandem.assurance.labels import record_label
from tandem.assurance.models import Assessment, Process, State
from tandem.assurance.selectors import managed_services
from tandem.web import acting_user, form_page


@permission_required_or_403(START_SELF_EVALUATION)
def sa_new(request: HttpRequest) -> HttpResponse:
    managed = managed_services(user=request.user).select_related("organisation")
    if not managed.exists():
        raise PermissionDenied("no service to assess")
    form = SelfAssessmentStartForm(
        request.POST or None,
        services=managed,
        frameworks=selectors.library_frameworks(),
    )

    def act() -> Assessment:
        return self_assessment_start(
            service=form.cleaned_data["service"],
            framework=form.cleaned_data["framework"],
            actor=acting_user(request),
            scope=form.cleaned_data["scope"],
        )

    return form_page(
        request,
        form=form,
        act=act,
        done="Self-assessment started",
        success_url=checklist_detail_url,
        back=reverse("assurance:checklists:index"),
        heading="Assess the service against a framework",
        button="Start",
        **on_checklist(),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def sa_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SELF_ASSESSMENT)
    assessment = access.assessment
    viewed(request, assessment)
    return render(
        request,
        "assurance/checklists/sa_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "summary": selectors.self_assessment_summary(assessment=assessment),
            "can_rate": request.user.has_perm(SELF_EVALUATE, assessment)
            and assessment.state == State.DRAFT,
        },
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def sa_rate(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SELF_ASSESSMENT)
    require_permission(request.user, SELF_EVALUATE, access.assessment)
    assessment = access.assessment
    record = selectors.checklist_record_get(access=access, record_id=record_id)
    form = SelfRatingForm(
        request.POST or None,
        version=record.version,
        initial={"rating": record.rating or None, "evidence": record.narrative},
    )
    return form_page(
        request,
        form=form,
        act=lambda: self_assessment_record_rate(
            record=record,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            rating=form.cleaned_data["rating"],
            evidence=form.cleaned_data["evidence"],
        ),
        done=f"{record_label(record)} rated",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading=f"Rate {record_label(record)}",
        button="Save",
        intro=record.requirement.text,
        **on_checklist(assessment=assessment, record=record),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def sa_complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SELF_ASSESSMENT)
    require_permission(request.user, SELF_EVALUATE, access.assessment)
    assessment = access.assessment
    return confirm_page(
        request,
        assessment=assessment,
        act=lambda form: self_assessment_complete(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading="Complete the self-assessment",
        button="Complete",
        done="Self-assessment completed",
        intro="It is kept as it stands; the next one is compared with it.",
    )
