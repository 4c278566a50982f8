"""Pages for Respect accreditation after the panel: appeals (lodged by a senior manager of the
service, heard by a panel member who did not decide) and evidence offered from earlier
assessments (accepted or declined by the service's manager).

As in `accreditation.py`: an assessment someone cannot open is a 404, one they may not do this
with a 403, and a step the process refuses is shown on the form naming the rule."""

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.assurance.forms import VersionForm
from tandem.assurance.models import Assessment, RequirementRecord
from tandem.assurance.respect import selectors
from tandem.assurance.respect.deadlines import APPEAL_WINDOW_DAYS, appeal_closes_on
from tandem.assurance.respect.forms import AppealForm, AppealHearingForm
from tandem.assurance.respect.rules import APPEAL, HEAR_APPEAL, PREPARE_EVIDENCE, VIEW_ASSESSMENTS
from tandem.assurance.respect.services import lifecycle
from tandem.assurance.respect.views.accreditation import (
    assessment_access,
    on_assessment,
    record_url,
)
from tandem.assurance.respect.views.evidence import record_to_change
from tandem.web import (
    NOT_DONE,
    acting_user,
    button_action,
    form_page,
    form_submission,
    refusal_summary,
)


def _appeals_url(assessment: Assessment) -> str:
    return reverse("assurance:appeals", args=[assessment.pk])


@permission_required_or_403(VIEW_ASSESSMENTS)
def appeals(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The assessment's appeals, with what this person may do about them."""
    access = assessment_access(request, assessment_id)
    assessment = access.assessment
    decision = assessment.panel_decisions.order_by("-decided_at", "-pk").first()
    return render(
        request,
        "assurance/lifecycle/appeals.html",
        {
            "access": access,
            "assessment": assessment,
            "appeals": selectors.appeals_of(assessment=assessment),
            "open_appeal": selectors.open_appeal_of(assessment=assessment),
            "decision": decision,
            "closes_on": decision and appeal_closes_on(timezone.localdate(decision.decided_at)),
            "window_days": APPEAL_WINDOW_DAYS,
            "may_appeal": request.user.has_perm(APPEAL, assessment),
            "may_hear": request.user.has_perm(HEAR_APPEAL, assessment),
        },
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def appeal_lodge(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    require_permission(request.user, APPEAL, access.assessment)
    assessment = access.assessment
    form = AppealForm(request.POST or None, version=assessment.version)
    back = _appeals_url(assessment)
    return form_page(
        request,
        form=form,
        act=lambda: lifecycle.appeal_lodge(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            grounds=form.cleaned_data["grounds"],
        ),
        done="Appeal lodged: panel members who did not decide will hear it",
        success_url=back,
        back=back,
        heading="Appeal the panel's decision",
        button="Lodge the appeal",
        **on_assessment(assessment),
        intro=f"A decision of not accredited or deferred can be appealed within "
        f"{APPEAL_WINDOW_DAYS} days. Panel members who did not take part in "
        "the decision hear the appeal.",
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def appeal_hear(request: HttpRequest, assessment_id: int, appeal_id: int) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    require_permission(request.user, HEAR_APPEAL, access.assessment)
    assessment = access.assessment
    appeal = selectors.open_appeal_of(assessment=assessment)
    if appeal is None or appeal.pk != appeal_id:
        raise Http404("No such appeal awaiting a hearing")
    form = AppealHearingForm(request.POST or None, version=assessment.version)
    back = _appeals_url(assessment)
    return form_page(
        request,
        form=form,
        act=lambda: lifecycle.appeal_hear(
            appeal=appeal,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
        ),
        done="Appeal heard",
        success_url=back,
        back=back,
        heading="Hear the appeal",
        button="Record the outcome",
        **on_assessment(assessment),
        intro=f"Grounds: {appeal.grounds}\n\nUpheld, the decision stands. Overturned, the "
        "assessment returns to the panel, and the appeal panel decides again.",
    )


# Evidence given once


@permission_required_or_403(VIEW_ASSESSMENTS)
def record_offers(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    """Evidence accepted in the service's earlier assessments, offered for this record."""
    _, record = record_to_change(request, assessment_id, record_id, PREPARE_EVIDENCE)
    return _offers_page(request, record)


def _offers_page(
    request: HttpRequest, record: RequirementRecord, *, refused: Form | None = None
) -> HttpResponse:
    return render(
        request,
        "assurance/lifecycle/offers.html",
        {
            "assessment": record.assessment,
            "record": record,
            "offers": selectors.evidence_offers_for(record=record),
            "version_form": VersionForm(version=record.version),
            "refused": refused,
        },
        status=400 if refused else 200,
    )


@require_POST
@permission_required_or_403(VIEW_ASSESSMENTS)
def offer_accept(
    request: HttpRequest, assessment_id: int, record_id: int, source_id: int
) -> HttpResponse:
    _, record = record_to_change(request, assessment_id, record_id, PREPARE_EVIDENCE)
    form = VersionForm(request.POST, version=record.version)
    source = RequirementRecord.objects.filter(pk=source_id).first()
    if source is None:
        raise Http404("No such offer")
    accepted = form_submission(
        request,
        form=form,
        act=lambda: lifecycle.evidence_offer_accept(
            record=record,
            source=source,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
    )
    if accepted is NOT_DONE:
        return _offers_page(request, record, refused=form)
    messages.success(request, "Evidence copied: check it still holds, and change what has")
    return redirect(record_url(record))


@require_POST
@permission_required_or_403(VIEW_ASSESSMENTS)
def offer_decline(
    request: HttpRequest, assessment_id: int, record_id: int, source_id: int
) -> HttpResponse:
    _, record = record_to_change(request, assessment_id, record_id, PREPARE_EVIDENCE)
    source = RequirementRecord.objects.filter(pk=source_id).first()
    if source is None:
        raise Http404("No such offer")
    return button_action(
        request,
        act=lambda: lifecycle.evidence_offer_decline(
            record=record, source=source, actor=acting_user(request)
        ),
        done="Offer declined: it will not be offered again for this record",
        success_url=reverse("assurance:record_offers", args=[record.assessment_id, record.pk]),
        refused=lambda refusal: _offers_page(request, record, refused=refusal_summary(refusal)),
    )
