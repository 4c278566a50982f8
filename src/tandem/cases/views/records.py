"""The pages of the perpetrator side's running records of a case: changes in his engagement,
contact notes, risk concerns for the ISS and risk assessments."""

from django.http import HttpRequest, HttpResponse

from tandem.access.permissions import require_permission
from tandem.cases import selectors
from tandem.cases.forms.lifecycle import EngagementChangeForm
from tandem.cases.forms.records import ContactNoteForm, RiskAssessmentForm, RiskConcernForm
from tandem.cases.rules import CHANGE_CASE, RECORD_ENGAGEMENT_CHANGE
from tandem.cases.services.engagement import engagement_change_record
from tandem.cases.services.records import (
    contact_note_record,
    risk_assessment_record,
    risk_concern_raise,
)
from tandem.cases.views.case import case_url
from tandem.cases.views.lifecycle import CASE_FORM_PAGE
from tandem.web import acting_user, form_page, posted


def case_engagement_change_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, RECORD_ENGAGEMENT_CHANGE, case)
    form = EngagementChangeForm(request.POST or None, case=case)
    return form_page(
        request,
        form=form,
        act=lambda: engagement_change_record(
            case=case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            change=form.cleaned_data["change"],
            detail=form.cleaned_data["detail"],
        ),
        done="Engagement change recorded: tell the ISS within 24 hours; each survivor is to be "
        "told within 3 working days",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Record a change in his engagement",
        button="Record the change",
        intro="A missed session, lost contact, a suspension being considered or his being "
        "assessed as unsuitable is told to the ISS within 24 hours, and to each survivor within 3 "
        "working days, sooner if there is heightened concern for her safety (rule "
        "engagement-change). Record completing or dropping out by closing the case.",
    )


def case_risk_concern_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = RiskConcernForm(posted(request))
    return form_page(
        request,
        form=form,
        act=lambda: risk_concern_raise(
            case=case,
            actor=acting_user(request),
            concern=form.cleaned_data["concern"],
            imminent=form.cleaned_data["imminent"],
        ),
        done="Risk concern shared: each survivor's ISS worker has it on their work list",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Share a risk concern with the ISS",
        button="Share the concern",
        intro="A specific risk concern is shared with the ISS within 24 hours, and at once when "
        "the risk is imminent (rule concern-24h). Out of hours, also follow the on-call process.",
    )


def case_note_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = ContactNoteForm(posted(request))
    return form_page(
        request,
        form=form,
        act=lambda: contact_note_record(
            case=case,
            actor=acting_user(request),
            occurred_at=form.cleaned_data["occurred_at"],
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        ),
        done="Contact recorded",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Record a contact",
        button="Record the contact",
        intro="Contacts with him and with professionals, supervision about his case, "
        "multi-agency work and risk or need reviews are recorded within 1 working day of "
        "happening (rule record-1wd). A later record is kept, and flagged as recorded late.",
    )


def case_risk_assessment_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = RiskAssessmentForm(posted(request))
    return form_page(
        request,
        form=form,
        act=lambda: risk_assessment_record(
            case=case,
            actor=acting_user(request),
            point=form.cleaned_data["point"],
            summary=form.cleaned_data["summary"],
            actions=form.planned_actions(),
            event_description=form.cleaned_data["event_description"],
            next_assessment_due_on=form.cleaned_data["next_assessment_due_on"],
            outcome_told_to_him=form.cleaned_data["outcome_told_to_him"] == "yes",
            his_comment=form.cleaned_data["his_comment"],
            outcome_not_told_reason=form.cleaned_data["outcome_not_told_reason"],
        ),
        done="Risk assessment recorded: its actions are in his action plan",
        success_url=case_url(case),
        template="cases/risk_assessment_form.html",
        case=case,
        heading="Record a risk assessment",
        button="Record the risk assessment",
    )
