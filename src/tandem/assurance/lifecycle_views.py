"""Pages for Respect accreditation after the panel: appeals (lodged by a senior manager of the
service, heard by a panel member who did not decide) and evidence offered from earlier
assessments (accepted or declined by the service's manager).

As in `views.py`: an assessment someone cannot open is a 404, one they may not do this with a
403, and a step the process refuses is shown on the form naming the rule."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403
from tandem.assurance import lifecycle_rules, lifecycle_selectors, lifecycle_services, selectors
from tandem.assurance.forms import VersionForm
from tandem.assurance.models import AppealOutcome, Assessment, RequirementRecord
from tandem.assurance.views import (
    PREPARE,
    VIEW,
    _access,
    _actor,
    _form_page,
    _record_url,
    _refusal_summary,
    _require,
)
from tandem.lib.errors import ActionRefused
from tandem.web import add_refusal_to_form

APPEAL = "assurance.appeal"
HEAR_APPEAL = "assurance.hear_appeal"


class AppealForm(VersionForm):
    grounds = forms.CharField(
        label="Grounds of the appeal",
        help_text="Why the decision should be changed, and the evidence for it",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Give the grounds of the appeal"},
    )


class AppealHearingForm(VersionForm):
    outcome = forms.ChoiceField(
        label="The appeal's outcome",
        choices=AppealOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the appeal is upheld or overturned"},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reasons for the appeal's outcome"},
    )


def _appeals_url(assessment: Assessment) -> str:
    return reverse("assurance:appeals", args=[assessment.pk])


@permission_required_or_403(VIEW)
def appeals(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The assessment's appeals, with what this person may do about them."""
    access = _access(request, assessment_id)
    assessment = access.assessment
    decision = assessment.panel_decisions.order_by("-decided_at", "-pk").first()
    return render(
        request,
        "assurance/lifecycle/appeals.html",
        {
            "access": access,
            "assessment": assessment,
            "appeals": lifecycle_selectors.appeals_of(assessment=assessment),
            "open_appeal": lifecycle_selectors.open_appeal_of(assessment=assessment),
            "decision": decision,
            "closes_on": decision
            and lifecycle_rules.appeal_closes_on(timezone.localdate(decision.decided_at)),
            "window_days": lifecycle_rules.APPEAL_WINDOW_DAYS,
            "may_appeal": request.user.has_perm(APPEAL, assessment),
            "may_hear": request.user.has_perm(HEAR_APPEAL, assessment),
        },
    )


@permission_required_or_403(VIEW)
def appeal_lodge(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    _require(request, access, APPEAL)
    assessment = access.assessment
    form = AppealForm(request.POST or None, version=assessment.version)
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: lifecycle_services.appeal_lodge(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            grounds=form.cleaned_data["grounds"],
        ),
        heading="Appeal the panel's decision",
        button="Lodge the appeal",
        done="Appeal lodged: panel members who did not decide will hear it",
        back=_appeals_url(assessment),
        intro=f"A decision of not accredited or deferred can be appealed within "
        f"{lifecycle_rules.APPEAL_WINDOW_DAYS} days. Panel members who did not take part in "
        "the decision hear the appeal.",
    )


@permission_required_or_403(VIEW)
def appeal_hear(request: HttpRequest, assessment_id: int, appeal_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    _require(request, access, HEAR_APPEAL)
    assessment = access.assessment
    appeal = lifecycle_selectors.open_appeal_of(assessment=assessment)
    if appeal is None or appeal.pk != appeal_id:
        raise Http404("No such appeal awaiting a hearing")
    form = AppealHearingForm(request.POST or None, version=assessment.version)
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: lifecycle_services.appeal_hear(
            appeal=appeal,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
        ),
        heading="Hear the appeal",
        button="Record the outcome",
        done="Appeal heard",
        back=_appeals_url(assessment),
        intro=f"Grounds: {appeal.grounds}\n\nUpheld, the decision stands. Overturned, the "
        "assessment returns to the panel, and the appeal panel decides again.",
    )


# Evidence given once


def _record_for_offers(
    request: HttpRequest, assessment_id: int, record_id: int
) -> RequirementRecord:
    access = _access(request, assessment_id)
    record = selectors.record_get_for(access=access, record_id=record_id)
    _require(request, access, PREPARE)
    return record


@permission_required_or_403(VIEW)
def record_offers(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    """Evidence accepted in the service's earlier assessments, offered for this record."""
    record = _record_for_offers(request, assessment_id, record_id)
    return _offers_page(request, record)


def _offers_page(
    request: HttpRequest, record: RequirementRecord, *, refused: forms.Form | None = None
) -> HttpResponse:
    return render(
        request,
        "assurance/lifecycle/offers.html",
        {
            "assessment": record.assessment,
            "record": record,
            "offers": lifecycle_selectors.evidence_offers_for(record=record),
            "version_form": VersionForm(version=record.version),
            "refused": refused,
        },
        status=400 if refused else 200,
    )


@require_POST
@permission_required_or_403(VIEW)
def offer_accept(
    request: HttpRequest, assessment_id: int, record_id: int, source_id: int
) -> HttpResponse:
    record = _record_for_offers(request, assessment_id, record_id)
    form = VersionForm(request.POST, version=record.version)
    source = RequirementRecord.objects.filter(pk=source_id).first()
    if source is None:
        raise Http404("No such offer")
    if not form.is_valid():
        return _offers_page(request, record, refused=form)
    try:
        lifecycle_services.evidence_offer_accept(
            record=record,
            source=source,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
        )
    except ActionRefused as refusal:
        add_refusal_to_form(form, refusal)
        return _offers_page(request, record, refused=form)
    messages.success(request, "Evidence copied: check it still holds, and change what has")
    return redirect(_record_url(record))


@require_POST
@permission_required_or_403(VIEW)
def offer_decline(
    request: HttpRequest, assessment_id: int, record_id: int, source_id: int
) -> HttpResponse:
    record = _record_for_offers(request, assessment_id, record_id)
    source = RequirementRecord.objects.filter(pk=source_id).first()
    if source is None:
        raise Http404("No such offer")
    try:
        lifecycle_services.evidence_offer_decline(
            record=record, source=source, actor=_actor(request)
        )
    except ActionRefused as refusal:
        return _offers_page(request, record, refused=_refusal_summary(refusal))
    messages.success(request, "Offer declined: it will not be offered again for this record")
    return redirect(reverse("assurance:record_offers", args=[record.assessment_id, record.pk]))
