"""The checklist processes' index, and declaring conflicts of interest: the checklists' own
declaration page, and the one for a part in any process (reached from the assurance list), which
sends each person on to their process's page."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tandem.access.permissions import permission_required_or_403
from tandem.assurance.checklists import selectors
from tandem.assurance.checklists.rules import (
    MANAGE_COMMISSIONING,
    START_SELF_EVALUATION,
    VIEW_CHECKLISTS,
    VIEW_COMMISSIONING,
)
from tandem.assurance.checklists.views.pages import checklist_detail_url
from tandem.assurance.forms import DeclarationForm
from tandem.assurance.models import (
    AssessmentParticipant,
    ConflictDeclaration,
    Process,
    State,
)
from tandem.assurance.respect.rules import VIEW_ASSESSMENTS
from tandem.assurance.rules import COORDINATE
from tandem.assurance.selectors import managed_services, participation_get_for_declaration
from tandem.assurance.services import conflict_declare
from tandem.web import acting_user, form_page

INDEX = "assurance:checklists:index"


@permission_required_or_403(VIEW_CHECKLISTS)
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "assurance/checklists/index.html",
        {
            "audits": selectors.audits_for_user(user=user),
            "welsh_checklists": selectors.welsh_checklists_for_user(user=user),
            "self_evaluations": selectors.self_evaluations_for_user(user=user),
            "self_assessments": selectors.self_assessments_for_user(user=user),
            "awaited": selectors.declarations_awaited(user=user),
            "partnerships": selectors.partnerships_for_user(user=user),
            "can_open_audit": user.has_perm(COORDINATE),
            "can_commission": user.has_perm(VIEW_COMMISSIONING),
            "can_manage_commissioning": user.has_perm(MANAGE_COMMISSIONING),
            "can_self_evaluate": user.has_perm(START_SELF_EVALUATION)
            and managed_services(user=user).exists(),
        },
    )


def _declaration_page(
    request: HttpRequest,
    participant: AssessmentParticipant,
    *,
    done: Callable[[ConflictDeclaration], str],
    page_after: Callable[[ConflictDeclaration], str],
    template: str,
) -> HttpResponse:
    form = DeclarationForm(request.POST or None)
    return form_page(
        request,
        form=form,
        act=lambda: conflict_declare(
            participant=participant,
            actor=acting_user(request),
            no_conflict=form.declares_no_conflict(),
            details=form.cleaned_data["details"],
        ),
        done=done,
        success_url=page_after,
        template=template,
        participant=participant,
    )


def _declared(declaration: ConflictDeclaration) -> str:
    if declaration.no_conflict:
        return "Declared: you can now take part"
    return "Conflict declared: someone else will take the part"


@permission_required_or_403(VIEW_CHECKLISTS)
def declare(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = selectors.participation_get(user=request.user, participant_id=participant_id)

    def page_after(declaration: ConflictDeclaration) -> str:
        assessment = participant.assessment
        # A peer reviewer sees the self-evaluation once it is sent for review.
        waits = (
            assessment.process == Process.WEST_MIDLANDS_SELF_EVALUATION
            and assessment.state == State.DRAFT
        )
        if not declaration.no_conflict or waits:
            return reverse(INDEX)
        return checklist_detail_url(assessment)

    return _declaration_page(
        request,
        participant,
        done=_declared,
        page_after=page_after,
        template="assurance/checklists/declare.html",
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def declare_for_any_process(request: HttpRequest, participant_id: int) -> HttpResponse:
    """Declaring for a part in any process: then the assessment's page when this person may
    open it now (each process's selectors decide: a peer reviewer waits for the submission),
    otherwise the list of their process."""
    participant = participation_get_for_declaration(
        user=request.user, participant_id=participant_id
    )
    assessment = participant.assessment
    respect = assessment.process == Process.RESPECT_ACCREDITATION

    def declared(declaration: ConflictDeclaration) -> str:
        if not respect:
            return _declared(declaration)
        if declaration.no_conflict:
            return "Declared: you can now open the assessment"
        return "Conflict declared: a lead assessor will find someone else"

    def page_after(declaration: ConflictDeclaration) -> str:
        if respect:
            if declaration.no_conflict:
                return reverse("assurance:assessment_detail", args=[assessment.pk])
            return reverse("assurance:assessment_list")
        if not declaration.no_conflict:
            return reverse(INDEX)
        try:
            selectors.checklist_get_any(user=request.user, assessment_id=assessment.pk)
        except Http404:
            return reverse(INDEX)
        return checklist_detail_url(assessment)

    return _declaration_page(
        request,
        participant,
        done=declared,
        page_after=page_after,
        template="assurance/declare.html",
    )
