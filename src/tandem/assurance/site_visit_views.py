"""Pages of a Respect accreditation's site-visit plan: the case-file sample (draw, request a file,
review a file read-only with its checklist), the staff interviews and the recorded sessions.

Who may see and do what is `site_visit_selectors`' decision (404 for an assessment someone cannot
open, 403 for the plan of one they can but may not see); whether the process allows it now is
`site_visit_services`' (a refusal naming what is wrong, shown on the form).
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403
from tandem.assurance import site_visit, site_visit_services
from tandem.assurance import site_visit_selectors as selectors
from tandem.assurance.forms import DateInput, VersionForm
from tandem.assurance.models import InterviewKind, RequirementRecord, SampledCaseFile, State
from tandem.assurance.site_visit_selectors import SiteVisitAccess
from tandem.cases.models import PerpetratorCase
from tandem.lib.errors import ActionRefused
from tandem.web import add_refusal_to_form, form_action_succeeded

VIEW = "assurance.view_assessments"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _open(request: HttpRequest, assessment_id: int, *, plans: bool) -> SiteVisitAccess:
    """404 for an assessment someone cannot open; 403 when they may not see (or, with `plans`,
    act on) its site-visit plan."""
    access = selectors.site_visit_get_for_user(user=request.user, assessment_id=assessment_id)
    if not (access.plans if plans else access.sees_plan):
        raise PermissionDenied("site visit plan")
    return access


def _plan_url(assessment_id: int) -> str:
    return reverse("assurance:site_visit_plan", args=[assessment_id])


def _form_page(
    request: HttpRequest,
    *,
    access: SiteVisitAccess,
    form: Form,
    act: Callable[[], object],
    heading: str,
    button: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    back = _plan_url(access.access.assessment.pk)
    if form_action_succeeded(request, form=form, act=act, done=done):
        return redirect(back)
    return render(
        request,
        "assurance/form.html",
        {
            "access": access.access,
            "assessment": access.access.assessment,
            "form": form,
            "heading": heading,
            "button": button,
            "intro": intro,
            "back": back,
        },
    )


@permission_required_or_403(VIEW)
def plan(request: HttpRequest, assessment_id: int, refused: Form | None = None) -> HttpResponse:
    access = _open(request, assessment_id, plans=False)
    assessment = access.access.assessment
    plan = selectors.plan_of(access=access)
    files = list(selectors.sampled_files_of(plan=plan)) if plan else []
    sessions = list(selectors.recorded_sessions_of(plan=plan)) if plan else []
    observations = (
        {
            session.pk: [
                (noted, site_visit.recording_time_label(noted.at_seconds))
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
            "planning": access.plans and assessment.state in site_visit_services.PLANNING_STATES,
            "at_visit": access.plans and assessment.state == State.SITE_VISIT,
            "form": refused,
        },
    )


def _refused_plan(request: HttpRequest, assessment_id: int, refusal: ActionRefused) -> HttpResponse:
    form = Form(data={})
    form.is_valid()
    add_refusal_to_form(form, refusal)
    return plan(request, assessment_id, refused=form)


@require_POST
@permission_required_or_403(VIEW)
def draw(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    try:
        drawn = site_visit_services.case_file_sample_draw(
            assessment=access.access.assessment, actor=_actor(request)
        )
    except ActionRefused as refusal:
        return _refused_plan(request, assessment_id, refusal)
    messages.success(request, f"Case-file sample of {drawn.sample_size} drawn")
    return redirect(_plan_url(assessment_id))


@require_POST
@permission_required_or_403(VIEW)
def interviews_complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    try:
        site_visit_services.interview_plan_complete(
            assessment=access.access.assessment, actor=_actor(request)
        )
    except ActionRefused as refusal:
        return _refused_plan(request, assessment_id, refusal)
    messages.success(request, "Interview plan marked complete")
    return redirect(_plan_url(assessment_id))


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PerpetratorCase) -> str:
        label = f"{obj.reference} ({obj.get_intervention_type_display() or 'no intervention'})"
        if getattr(obj, "has_child_protection_plan", False):
            label += ": a child has a Child Protection Plan"
        return label


class CaseRequestForm(forms.Form):
    case = CaseChoiceField(
        queryset=PerpetratorCase.objects.none(),
        label="Case file",
        help_text="Live cases whose consent covers case-file review, not yet in the sample",
        empty_label="Choose a case",
    )
    reason = forms.CharField(
        max_length=300,
        label="Why this file",
        help_text="For example: a child under a Child Protection Plan; seen in a recorded session",
    )

    def __init__(self, *args: Any, cases: QuerySet[PerpetratorCase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, CaseChoiceField)
        field.queryset = cases


@permission_required_or_403(VIEW)
def request_file(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    assessment = access.access.assessment
    current = selectors.plan_of(access=access)
    cases = selectors.reviewable(selectors.live_cases_of(service=assessment.service))
    if current is not None:
        cases = cases.exclude(pk__in=current.case_files.values("case_id"))
    form = CaseRequestForm(request.POST or None, cases=cases)
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: site_visit_services.case_file_request(
            assessment=assessment,
            actor=_actor(request),
            case=form.cleaned_data["case"],
            reason=form.cleaned_data["reason"],
        ),
        heading="Request a case file",
        button="Add it to the sample",
        done="Case file added to the sample",
        intro="R22: the assessor may request specific case files.",
    )


class CaseFileReviewForm(VersionForm):
    """A tick and notes for each item of `site_visit.CASE_FILE_CHECKLIST`."""

    def __init__(self, *args: Any, initial_checks: dict[str, tuple[bool, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for item, text in site_visit.CASE_FILE_CHECKLIST:
            ticked, notes = initial_checks.get(item, (False, ""))
            self.fields[f"{item}_ticked"] = forms.BooleanField(
                required=False, label=text, initial=ticked
            )
            self.fields[f"{item}_notes"] = forms.CharField(
                required=False,
                label=f"Notes: {text}",
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=notes,
            )

    def checks(self) -> dict[str, tuple[bool, str]]:
        return {
            item: (self.cleaned_data[f"{item}_ticked"], self.cleaned_data[f"{item}_notes"])
            for item, _ in site_visit.CASE_FILE_CHECKLIST
        }


@permission_required_or_403(VIEW)
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
    if request.method == "POST" and form.is_valid():
        try:
            site_visit_services.case_file_review_save(
                case_file=sampled,
                actor=_actor(request),
                expected_version=form.cleaned_data["expected_version"],
                checks=form.checks(),
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, f"Review of {sampled.case.reference} saved")
            return redirect(
                reverse("assurance:site_visit_case_file", args=[assessment_id, sampled.pk])
            )
    return render(
        request,
        "assurance/site_visit/case_file.html",
        {
            "assessment": sampled.plan.assessment,
            "summary": summary,
            "case": summary.case,
            "form": form,
        },
    )


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(
        choices=InterviewKind.choices, widget=forms.RadioSelect, label="Who is interviewed"
    )
    name = forms.CharField(max_length=200, label="Name")
    role = forms.CharField(max_length=200, label="Role")
    planned_on = forms.DateField(widget=DateInput(), label="Date of the interview")


@permission_required_or_403(VIEW)
def interview_add(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    form = InterviewForm(request.POST or None)
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: site_visit_services.interview_add(
            assessment=access.access.assessment,
            actor=_actor(request),
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
    )


class RecordedSessionForm(forms.Form):
    description = forms.CharField(max_length=300, label="Recorded session")
    recorded_on = forms.DateField(widget=DateInput(), label="Date of the recording")


@permission_required_or_403(VIEW)
def session_add(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    form = RecordedSessionForm(request.POST or None)
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: site_visit_services.recorded_session_add(
            assessment=access.access.assessment,
            actor=_actor(request),
            description=form.cleaned_data["description"],
            recorded_on=form.cleaned_data["recorded_on"],
        ),
        heading="Add a recorded session to review",
        button="Add the recording",
        done="Recorded session added",
    )


class RecordChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RequirementRecord) -> str:
        return f"{obj.requirement.ref}: {obj.requirement.text[:80]}"


class ObservationForm(forms.Form):
    record = RecordChoiceField(
        queryset=RequirementRecord.objects.none(), label="Indicator", empty_label="Choose one"
    )
    at = forms.CharField(
        max_length=12, label="Time in the recording", help_text="mm:ss or hh:mm:ss, e.g. 12:05"
    )
    observation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Observation")

    def __init__(self, *args: Any, records: QuerySet[RequirementRecord], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["record"]
        assert isinstance(field, RecordChoiceField)
        field.queryset = records


@permission_required_or_403(VIEW)
def observation_add(request: HttpRequest, assessment_id: int, session_id: int) -> HttpResponse:
    access = _open(request, assessment_id, plans=True)
    session = selectors.recorded_session_get(access=access, session_id=session_id)
    records = RequirementRecord.objects.filter(assessment=access.access.assessment).select_related(
        "requirement"
    )
    form = ObservationForm(request.POST or None, records=records.order_by("position"))
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: site_visit_services.session_observation_add(
            session=session,
            actor=_actor(request),
            record=form.cleaned_data["record"],
            at=form.cleaned_data["at"],
            observation=form.cleaned_data["observation"],
        ),
        heading="Note an observation",
        button="Add the observation",
        done="Observation noted",
        intro=f"{session.description} ({session.recorded_on:%-d %b %Y})",
    )
