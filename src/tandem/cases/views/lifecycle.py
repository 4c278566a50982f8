"""The pages of a case's transitions: screening, assessment, consent, the start of the
intervention, allocating his worker and closing the case."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from tandem.access.permissions import require_permission
from tandem.cases import selectors
from tandem.cases.forms.lifecycle import (
    AllocationForm,
    AssessmentForm,
    CloseForm,
    ConsentForm,
    ScreeningForm,
)
from tandem.cases.rules import CHANGE_CASE
from tandem.cases.services.lifecycle import (
    perpetrator_case_allocate,
    perpetrator_case_assess,
    perpetrator_case_close,
    perpetrator_case_record_consent,
    perpetrator_case_screen,
    perpetrator_case_start_intervention,
)
from tandem.cases.views.case import case_button_action, case_url, posted_version
from tandem.web import acting_user, form_page, posted

CASE_FORM_PAGE = "cases/case_form_page.html"


def case_screen(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = ScreeningForm(request.POST or None, case=case)
    return form_page(
        request,
        form=form,
        act=lambda: perpetrator_case_screen(
            case=case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            screening=form.screening_details(),
        ),
        done="Screening recorded",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Screening",
        button="Record screening",
        intro="Routine enquiry about criminal justice, family proceedings, substance use, mental "
        "health and social services, and the barriers he faces.",
    )


def case_assess(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = AssessmentForm(request.POST or None, case=case)
    return form_page(
        request,
        form=form,
        act=lambda: perpetrator_case_assess(
            case=case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            assessment=form.assessment_details(),
        ),
        done="Assessment recorded: telling him (if safe), the survivors and the referrer is due "
        "within 1 working day",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Assessment and decision",
        button="Record the assessment",
    )


def case_consent(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = ConsentForm(request.POST or None, case=case)
    return form_page(
        request,
        form=form,
        act=lambda: perpetrator_case_record_consent(
            case=case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            consent=form.consent_details(),
        ),
        done="Consent recorded",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Confidentiality and information-sharing agreement",
        button="Record consent",
    )


@require_POST
def case_start(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    return case_button_action(
        request,
        case,
        lambda: perpetrator_case_start_intervention(
            case=case,
            actor=acting_user(request),
            expected_version=posted_version(request, case),
        ),
        "Intervention started",
    )


def case_allocate(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = AllocationForm(
        posted(request),
        case=case,
        workers=selectors.perpetrator_workers_of(service=case.service),
    )
    return form_page(
        request,
        form=form,
        act=lambda: perpetrator_case_allocate(
            case=case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            worker=form.cleaned_data["worker"],
        ),
        done="Worker allocated: the case's open tasks are theirs now",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Allocate his worker",
        button="Allocate",
        intro="Only perpetrator workers of the service are listed: the intervention is never "
        "delivered by ISS staff (rule not-same-staff).",
    )


def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = CloseForm(request.POST or None, case=case)
    return form_page(
        request,
        form=form,
        act=lambda: perpetrator_case_close(
            case=case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["reason"],
            detail=form.cleaned_data["detail"],
        ),
        done="Case closed: the survivors' ISS support goes on",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Close the case",
        button="Close the case",
        intro="The survivors' ISS cases stay open: closing his case does not end their support.",
    )
