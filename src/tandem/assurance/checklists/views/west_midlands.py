"""Pages of the West Midlands self-evaluation: starting one, rating each standard and bullet, the
peer reviewer, sending it for review, the peer review; and the local partnerships' results."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.assurance.checklists import selectors
from tandem.assurance.checklists.forms import (
    DueDateForm,
    PeerReviewForm,
    PersonForm,
    SelfEvaluationStartForm,
    WestMidlandsRatingForm,
)
from tandem.assurance.checklists.rules import (
    PEER_REVIEW,
    SELF_EVALUATE,
    START_SELF_EVALUATION,
    VIEW_CHECKLISTS,
    VIEW_PARTNERSHIPS,
)
from tandem.assurance.checklists.services.west_midlands import (
    peer_review_complete,
    peer_review_record,
    peer_reviewer_add,
    west_midlands_record_rate,
    west_midlands_self_evaluation_start,
    west_midlands_submit,
)
from tandem.assurance.checklists.views.pages import (
    checklist_access,
    checklist_detail_url,
    confirm_page,
    on_checklist,
    viewed,
)
from tandem.assurance.labels import record_label
from tandem.assurance.models import Assessment, Process, SelfRating, State
from tandem.assurance.selectors import managed_services
from tandem.web import acting_user, form_page


@permission_required_or_403(START_SELF_EVALUATION)
def wm_new(request: HttpRequest) -> HttpResponse:
    managed = managed_services(user=request.user).select_related("organisation")
    if not managed.exists():
        raise PermissionDenied("no service to evaluate")
    form = SelfEvaluationStartForm(request.POST or None, services=managed)

    def act() -> Assessment:
        return west_midlands_self_evaluation_start(
            service=form.cleaned_data["service"], actor=acting_user(request)
        )

    return form_page(
        request,
        form=form,
        act=act,
        done="Self-evaluation started: rate each standard and each of its bullets",
        success_url=checklist_detail_url,
        back=reverse("assurance:checklists:index"),
        heading="Start a West Midlands self-evaluation",
        button="Start",
        **on_checklist(),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def wm_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.WEST_MIDLANDS_SELF_EVALUATION)
    assessment = access.assessment
    user = request.user
    state = State(assessment.state)
    viewed(request, assessment)
    evaluates = user.has_perm(SELF_EVALUATE, assessment)
    return render(
        request,
        "assurance/checklists/wm_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "summary": selectors.west_midlands_self_evaluation_summary(assessment=assessment),
            "can_rate": evaluates and state == State.DRAFT,
            "can_choose_reviewer": evaluates and not access.read_only,
            "can_review": user.has_perm(PEER_REVIEW, assessment) and state == State.PEER_REVIEW,
        },
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def wm_rate(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.WEST_MIDLANDS_SELF_EVALUATION)
    require_permission(request.user, SELF_EVALUATE, access.assessment)
    assessment = access.assessment
    record = selectors.checklist_record_get(access=access, record_id=record_id)
    action = record.actions.first()
    form = WestMidlandsRatingForm(
        request.POST or None,
        version=record.version,
        owners=selectors.staff_of(service=assessment.service),
        initial={
            "rating": record.rating or None,
            "evidence": record.narrative,
            "action": action.description if action else "",
            "owner": action.owner_id if action else None,
            "due_on": action.due_on if action else None,
        },
    )
    return form_page(
        request,
        form=form,
        act=lambda: west_midlands_record_rate(
            record=record,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            rating=form.cleaned_data["rating"],
            evidence=form.cleaned_data["evidence"],
            action=form.action_details(),
        ),
        done=f"{record_label(record)} rated",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading=f"Rate {record_label(record)}",
        button="Save",
        intro=record.requirement.text + "\n\nPartly met or not met needs the action you will "
        "take, its owner and its due date.",
        **on_checklist(assessment=assessment, record=record),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def wm_reviewer(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.WEST_MIDLANDS_SELF_EVALUATION)
    require_permission(request.user, SELF_EVALUATE, access.assessment)
    assessment = access.assessment
    form = PersonForm(
        request.POST or None,
        people=selectors.peer_reviewer_candidates(service=assessment.service),
        label="Who reviews it, from another agency?",
    )
    return form_page(
        request,
        form=form,
        act=lambda: peer_reviewer_add(
            assessment=assessment, user=form.cleaned_data["user"], actor=acting_user(request)
        ),
        done="Peer reviewer chosen: they declare any conflict of interest first",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading="Choose the peer reviewer",
        button="Choose",
        **on_checklist(assessment=assessment),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def wm_submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.WEST_MIDLANDS_SELF_EVALUATION)
    require_permission(request.user, SELF_EVALUATE, access.assessment)
    assessment = access.assessment
    return confirm_page(
        request,
        assessment=assessment,
        act=lambda form: west_midlands_submit(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading="Send the self-evaluation for peer review",
        button="Send for peer review",
        done="Sent to the peer reviewer",
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def wm_review(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.WEST_MIDLANDS_SELF_EVALUATION)
    require_permission(request.user, PEER_REVIEW, access.assessment)
    assessment = access.assessment
    record = selectors.checklist_record_get(access=access, record_id=record_id)
    finding = getattr(record, "peer_review", None)
    form = PeerReviewForm(
        request.POST or None,
        version=record.version,
        initial={
            "agrees": ("agree" if finding.agrees else "challenge") if finding else None,
            "comment": finding.comment if finding else "",
        },
    )
    return form_page(
        request,
        form=form,
        act=lambda: peer_review_record(
            record=record,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            agrees=form.agreed(),
            comment=form.cleaned_data["comment"],
        ),
        done=f"{record_label(record)} reviewed",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading=f"Review the rating of {record_label(record)}",
        button="Save",
        intro=f"{record.requirement.text}\n\nSelf-rating: "
        f"{SelfRating(record.rating).label if record.rating else 'not rated'}\n"
        f"Evidence: {record.narrative}",
        **on_checklist(assessment=assessment, record=record),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def wm_review_complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.WEST_MIDLANDS_SELF_EVALUATION)
    require_permission(request.user, PEER_REVIEW, access.assessment)
    assessment = access.assessment
    form = DueDateForm(request.POST or None, version=assessment.version)
    return form_page(
        request,
        form=form,
        act=lambda: peer_review_complete(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            actions_due_on=form.cleaned_data["actions_due_on"],
        ),
        done="Peer review completed",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading="Complete the peer review",
        button="Complete the review",
        intro="Each rating you challenged becomes an action for the agency, due on this date.",
        **on_checklist(assessment=assessment),
    )


@permission_required_or_403(VIEW_PARTNERSHIPS)
def partnerships(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assurance/checklists/partnerships.html",
        {"partnerships": selectors.partnerships_for_user(user=request.user)},
    )


@permission_required_or_403(VIEW_PARTNERSHIPS)
def partnership_detail(request: HttpRequest, partnership_id: int) -> HttpResponse:
    return render(
        request,
        "assurance/checklists/partnership_detail.html",
        {
            "overview": selectors.partnership_overview(
                user=request.user, partnership_id=partnership_id
            )
        },
    )
