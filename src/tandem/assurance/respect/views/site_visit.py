"""Pages of a Respect accreditation's site-visit plan: the case-file sample (draw, request a file,
review a file read-only with its checklist), the staff interviews and the recorded sessions.

Who may see and do what is the selectors' decision (404 for an assessment someone cannot
open, 403 for the plan of one they can but may not see); whether the process allows it now is
`services.site_visit`'s (a refusal naming what is wrong, shown on the form).
"""

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403
from tandem.assurance.models import InterviewKind, RequirementRecord, SampledCaseFile, State
from tandem.assurance.respect import selectors
from tandem.assurance.respect.forms import (
    CaseFileReviewForm,
    CaseRequestForm,
    InterviewForm,
    ObservationForm,
    RecordedSessionForm,
)
from tandem.assurance.respect.gates import recording_time_label
from tandem.assurance.respect.rules import VIEW_ASSESSMENTS
from tandem.assurance.respect.selectors import SiteVisitAccess
from tandem.assurance.respect.services import site_visit
from tandem.assurance.respect.views.accreditation import on_assessment
from tandem.lib.errors import ActionRefused
from tandem.web import acting_user, button_action, form_page, refusal_summary


def _open(request: HttpRequest, assessment_id: int, *, plans: bool) -> SiteVisitAccess:
    """404 for an assessment someone cannot open; 403 when they may not see (or, with `plans`,
    act on) its site-visit plan."""
    access = selectors.site_visit_get_for_user(user=request.user, assessment_id=assessment_id)
    if not (access.plans if plans else access.sees_plan):
        raise PermissionDenied("site visit plan")
    return access


def _plan_url(assessment_id: int) -> str:
    return reverse("assurance:site_visit_plan", args=[assessment_id])


@permission_required_or_403(VIEW_ASSESSMENTS)
def plan(request: HttpRequest, assessment_id: int, refused: Form | None = None) -> HttpResponse:
    access = _open(request, assessment_id, plans=False)
    assessment = access.access.assessment
    plan = selectors.plan_of(access=access)
    files = list(selectors.sampled_files_of(plan=plan)) if plan else []
    sessions = list(selectors.recorded_sessions_of(plan=plan)) if plan else []
    observations = (
        {
            session.pk: [
                (noted, recording_time_label(noted.at_seconds))
                for noted in selectors.observations_of(session=session)
            ]
            for session in sessions
        }
        if access.plans
        else {}
    )
    return render(
        request,
        "assurance/site_visit/plan.html",
        {
            "access": access,
            "assessment": assessment,
            "plan": plan,
            "files": files,
            "interviews": list(selectors.interviews_of(plan=plan)) if plan else [],
            "sessions": [(session, observations.get(session.pk, [])) for session in sessions],
            "planning": access.plans and assessment.state in site_visit.PLANNING_STATES,
            "at_visit": access.plans and assessment.state == State.SITE_VISIT,
            "form": refused,
        },
    )


def _refused_plan(request: HttpRequest, assessment_id: int, refusal: ActionRefused) -> HttpResponse:
    return plan(request, assessment_id, refused=refusal_summary(refusal))


@require_POST
@permission_required_or_403(VIEW_ASSESSMENTS)
def draw(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    return button_action(
        request,
        act=lambda: site_visit.case_file_sample_draw(
            assessment=access.access.assessment, actor=acting_user(request)
        ),
        done=lambda drawn: f"Case-file sample of {drawn.sample_size} drawn",
        success_url=_plan_url(assessment_id),
        refused=lambda refusal: _refused_plan(request, assessment_id, refusal),
    )


@require_POST
@permission_required_or_403(VIEW_ASSESSMENTS)
def interviews_complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    return button_action(
        request,
        act=lambda: site_visit.interview_plan_complete(
            assessment=access.access.assessment, actor=acting_user(request)
        ),
        done="Interview plan marked complete",
        success_url=_plan_url(assessment_id),
        refused=lambda refusal: _refused_plan(request, assessment_id, refusal),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def request_file(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    assessment = access.access.assessment
    current = selectors.plan_of(access=access)
    cases = selectors.reviewable(selectors.live_cases_of(service=assessment.service))
    if current is not None:
        cases = cases.exclude(pk__in=current.case_files.values("case_id"))
    form = CaseRequestForm(request.POST or None, cases=cases)
    back = _plan_url(access.access.assessment.pk)
    return form_page(
        request,
        form=form,
        act=lambda: site_visit.case_file_request(
            assessment=assessment,
            actor=acting_user(request),
            case=form.cleaned_data["case"],
            reason=form.cleaned_data["reason"],
        ),
        heading="Request a case file",
        button="Add it to the sample",
        done="Case file added to the sample",
        intro="R22: the assessor may request specific case files.",
        success_url=back,
        back=back,
        **on_assessment(access.access.assessment),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def case_file(request: HttpRequest, assessment_id: int, sampled_file_id: int) -> HttpResponse:
    """The sampled file, read-only, with the assessor's review checklist (404 unless a declared
    assessor at the site visit, the file in the sample and its consent covering review)."""
    summary = selectors.sampled_file_get_for_user(
        user=request.user, assessment_id=assessment_id, sampled_file_id=sampled_file_id
    )
    sampled: SampledCaseFile = summary.sampled
    checks = selectors.checks_of(case_file=sampled)
    form = CaseFileReviewForm(
        request.POST or None,
        version=sampled.version,
        initial_checks={item: (check.ticked, check.notes) for item, check in checks.items()},
    )
    return form_page(
        request,
        form=form,
        act=lambda: site_visit.case_file_review_save(
            case_file=sampled,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            checks=form.checks(),
        ),
        done=f"Review of {sampled.case.reference} saved",
        success_url=reverse("assurance:site_visit_case_file", args=[assessment_id, sampled.pk]),
        template="assurance/site_visit/case_file.html",
        assessment=sampled.plan.assessment,
        summary=summary,
        case=summary.case,
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def interview_add(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    form = InterviewForm(request.POST or None)
    back = _plan_url(access.access.assessment.pk)
    return form_page(
        request,
        form=form,
        act=lambda: site_visit.interview_add(
            assessment=access.access.assessment,
            actor=acting_user(request),
            kind=InterviewKind(form.cleaned_data["kind"]),
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            planned_on=form.cleaned_data["planned_on"],
        ),
        heading="Plan an interview",
        button="Add the interview",
        done="Interview added to the plan",
        intro="R22: the service manager, at least one perpetrator worker, one ISS worker or "
        "IDVA and one trustee, and others as needed.",
        success_url=back,
        back=back,
        **on_assessment(access.access.assessment),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def session_add(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    form = RecordedSessionForm(request.POST or None)
    back = _plan_url(access.access.assessment.pk)
    return form_page(
        request,
        form=form,
        act=lambda: site_visit.recorded_session_add(
            assessment=access.access.assessment,
            actor=acting_user(request),
            description=form.cleaned_data["description"],
            recorded_on=form.cleaned_data["recorded_on"],
        ),
        heading="Add a recorded session to review",
        button="Add the recording",
        done="Recorded session added",
        success_url=back,
        back=back,
        **on_assessment(access.access.assessment),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def observation_add(request: HttpRequest, assessment_id: int, session_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    session = selectors.recorded_session_get(access=access, session_id=session_id)
    records = RequirementRecord.objects.filter(assessment=access.access.assessment).select_related(
        "requirement"
    )
    form = ObservationForm(request.POST or None, records=records.order_by("position"))
    back = _plan_url(access.access.assessment.pk)
    return form_page(
        request,
        form=form,
        act=lambda: site_visit.session_observation_add(
            session=session,
            actor=acting_user(request),
            record=form.cleaned_data["record"],
            at=form.cleaned_data["at"],
            observation=form.cleaned_data["observation"],
        ),
        heading="Note an observation",
        button="Add the observation",
        done="Observation noted",
        intro=f"{session.description} ({session.recorded_on:%-d %b %Y})",
        success_url=back,
        back=back,
        **on_assessment(access.access.assessment),
    )
