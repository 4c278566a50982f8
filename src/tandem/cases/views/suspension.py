"""The pages of a suspension or removal (rule suspend-remove): proposing it, the ISS recording
that it was consulted and that the survivors were told first, a senior manager's sign-off, and a
suspended man's re-engagement."""

from collections.abc import Callable

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tandem.access.permissions import require_permission
from tandem.cases import gates, selectors
from tandem.cases.forms.lifecycle import SuspensionProposalForm
from tandem.cases.models import PerpetratorCase, SuspensionProposal
from tandem.cases.rules import CHANGE_CASE, RECORD_SUSPENSION_ISS_STEPS, SIGN_OFF
from tandem.cases.services.suspension import (
    perpetrator_case_reengage,
    suspension_propose,
    suspension_record_iss_consultation,
    suspension_record_survivors_informed,
    suspension_sign_off,
)
from tandem.cases.views.case import case_button_action, case_url, posted_version
from tandem.cases.views.lifecycle import CASE_FORM_PAGE
from tandem.lib.errors import ActionRefused
from tandem.web import acting_user, button_action, form_page, refusal_summary


def case_suspension_propose(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = SuspensionProposalForm(request.POST or None, case=case)
    return form_page(
        request,
        form=form,
        act=lambda: suspension_propose(
            case=case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
        ),
        done="Proposed: tell the ISS within 24 hours. It takes effect only once the ISS has been "
        "consulted, the survivors told first and a senior manager signs it off.",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="Propose a suspension or removal",
        button="Propose",
        intro="Nothing changes for him yet. The ISS must be consulted and the survivors told "
        "first, so they can be safety-planned, and then a senior manager signs it off.",
    )


def _no_proposal(case: PerpetratorCase) -> ActionRefused:
    return ActionRefused(
        f"no suspension or removal of {case.reference} is awaiting sign-off",
        rule_id="suspend-remove",
    )


def _on_proposal(
    case: PerpetratorCase, act: Callable[[SuspensionProposal], object]
) -> Callable[[], object]:
    """The action on the proposal awaiting sign-off, refused if there is none."""

    def run() -> object:
        proposal = gates.suspension_awaiting_sign_off(case=case)
        if proposal is None:
            raise _no_proposal(case)
        return act(proposal)

    return run


@require_POST
def case_suspension_iss_consulted(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, RECORD_SUSPENSION_ISS_STEPS, case)
    return case_button_action(
        request,
        case,
        _on_proposal(
            case,
            lambda proposal: suspension_record_iss_consultation(
                proposal=proposal, actor=acting_user(request)
            ),
        ),
        "ISS consultation recorded",
    )


@require_POST
def case_suspension_survivors_informed(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, RECORD_SUSPENSION_ISS_STEPS, case)
    return case_button_action(
        request,
        case,
        _on_proposal(
            case,
            lambda proposal: suspension_record_survivors_informed(
                proposal=proposal, actor=acting_user(request)
            ),
        ),
        "Recorded that the survivors were told first",
    )


def case_suspension_sign_off(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, SIGN_OFF, case)
    proposal = gates.suspension_awaiting_sign_off(case=case)

    def page(refused: Form | None = None) -> HttpResponse:
        return render(
            request,
            "cases/suspension_sign_off.html",
            {
                "case": case,
                "proposal": proposal,
                "missing": gates.gate_suspension_sign_off(proposal=proposal) if proposal else [],
                "form": refused,
            },
        )

    def sign_off() -> SuspensionProposal:
        if proposal is None:
            raise _no_proposal(case)
        suspension_sign_off(proposal=proposal, actor=acting_user(request))
        return proposal

    if request.method != "POST":
        return page()
    return button_action(
        request,
        act=sign_off,
        done=lambda signed: f"{signed.get_kind_display()} signed off",
        success_url=case_url(case),
        refused=lambda refusal: page(refusal_summary(refusal)),
    )


@require_POST
def case_reengage(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    return case_button_action(
        request,
        case,
        lambda: perpetrator_case_reengage(
            case=case,
            actor=acting_user(request),
            expected_version=posted_version(request, case),
        ),
        "He is back in the intervention",
    )
