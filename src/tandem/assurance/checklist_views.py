"""Pages of the 2008 safeguarding audit, the Welsh commissioning checklist, the West Midlands
self-evaluation and self-assessments, under /assurance/checklists/.

Who may open the pages at all is the permission rules' decision (403); which assessment or
service, the checklist selectors' (404, so nothing is leaked); what they may do in one, the
rules again (403); whether the process allows it now, the services' (a refusal naming the field
and rule, shown on the form).
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403
from tandem.access.roles import Role
from tandem.assurance import checklist_rules, checklist_selectors, checklist_services
from tandem.assurance.checklist_forms import (
    AuditAssessorForm,
    AuditJudgementForm,
    AuditOpenForm,
    AuditReportForm,
    DeclarationForm,
    DueDateForm,
    PeerReviewForm,
    PersonForm,
    RelationshipForm,
    ScheduleForm,
    SelfAssessmentStartForm,
    SelfEvaluationStartForm,
    SelfRatingForm,
    VersionForm,
    WelshCompleteForm,
    WelshRatingForm,
    WelshStartForm,
    WestMidlandsRatingForm,
)
from tandem.assurance.checklist_selectors import ChecklistAccess
from tandem.assurance.models import (
    Assessment,
    Part,
    Process,
    RequirementRecord,
    SelfRating,
    State,
)
from tandem.assurance.rules import PART_ROLES
from tandem.assurance.selectors import managed_services
from tandem.assurance.services import conflict_declare, participant_add
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service
from tandem.web import add_refusal_to_form, form_action_succeeded

VIEW = "assurance.view_checklists"
COORDINATE = "assurance.coordinate"
NAME_LINK_PERSON = "assurance.name_link_person"
AGREE_SCHEDULE = "assurance.agree_audit_schedule"
LEAD_AUDIT = "assurance.lead_audit"
AUDIT = "assurance.audit"
VIEW_COMMISSIONING = "assurance.view_commissioning"
COMMISSION = "assurance.commission"
MANAGE_COMMISSIONING = "assurance.manage_commissioning"
START_SELF_EVALUATION = "assurance.start_self_evaluation"
SELF_EVALUATE = "assurance.self_evaluate"
PEER_REVIEW = "assurance.peer_review"
VIEW_PARTNERSHIPS = "assurance.view_partnerships"

AUDIT_PROCESS = Process.SAFEGUARDING_AUDIT_2008
WELSH = Process.WELSH_COMMISSIONING
WM = Process.WEST_MIDLANDS_SELF_EVALUATION
SELF_ASSESSMENT = Process.SELF_ASSESSMENT

_DETAIL_VIEWS = {
    AUDIT_PROCESS: "assurance:checklists:audit_detail",
    WELSH: "assurance:checklists:welsh_detail",
    WM: "assurance:checklists:wm_detail",
    SELF_ASSESSMENT: "assurance:checklists:sa_detail",
}


def checklist_detail_url(assessment: Assessment) -> str:
    """The page of an assessment of one of these processes."""
    return reverse(_DETAIL_VIEWS[Process(assessment.process)], args=[assessment.pk])


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _access(request: HttpRequest, assessment_id: int, process: Process) -> ChecklistAccess:
    return checklist_selectors.checklist_get_for_user(
        user=request.user, assessment_id=assessment_id, process=process
    )


def _require(request: HttpRequest, access: ChecklistAccess, permission: str) -> None:
    """403 for an assessment someone can open but may not do this with."""
    if not request.user.has_perm(permission, access.assessment):
        raise PermissionDenied(permission)


def _viewed(request: HttpRequest, assessment: Assessment) -> None:
    audit_event_record(
        actor=request.user, action=AuditEvent.Action.VIEWED, target=assessment, summary="page"
    )


def _form_page(
    request: HttpRequest,
    *,
    form: Form,
    act: Callable[[], object],
    heading: str,
    button: str,
    done: str,
    back: str,
    assessment: Assessment | None = None,
    service: Service | None = None,
    record: RequirementRecord | None = None,
    intro: str = "",
    then: Callable[[], str] | None = None,
) -> HttpResponse:
    """Show the form; on a valid POST call the service, and show its refusal on the form."""
    if form_action_succeeded(request, form=form, act=act, done=done):
        return redirect(then() if then else back)
    return render(
        request,
        "assurance/checklists/form.html",
        {
            "form": form,
            "heading": heading,
            "button": button,
            "back": back,
            "assessment": assessment,
            "service": service or (assessment.service if assessment else None),
            "record_label": _label(record) if record else "",
            "intro": intro,
        },
    )


def _version_form(request: HttpRequest, assessment: Assessment) -> VersionForm:
    return VersionForm(request.POST or None, version=assessment.version)


def _label(record: RequirementRecord) -> str:
    return checklist_rules.requirement_label(record.requirement)


# The index and declarations


@permission_required_or_403(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "assurance/checklists/index.html",
        {
            "audits": checklist_selectors.audits_for_user(user=user),
            "welsh_checklists": checklist_selectors.welsh_checklists_for_user(user=user),
            "self_evaluations": checklist_selectors.self_evaluations_for_user(user=user),
            "self_assessments": checklist_selectors.self_assessments_for_user(user=user),
            "awaited": checklist_selectors.declarations_awaited(user=user),
            "partnerships": checklist_selectors.partnerships_for_user(user=user),
            "can_open_audit": user.has_perm(COORDINATE),
            "can_commission": user.has_perm(VIEW_COMMISSIONING),
            "can_manage_commissioning": user.has_perm(MANAGE_COMMISSIONING),
            "can_self_evaluate": user.has_perm(START_SELF_EVALUATION)
            and managed_services(user=user).exists(),
        },
    )


@permission_required_or_403(VIEW)
def declare(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = checklist_selectors.participation_get(
        user=request.user, participant_id=participant_id
    )
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = conflict_declare(
                participant=participant,
                actor=_actor(request),
                no_conflict=form.declares_no_conflict(),
                details=form.cleaned_data["details"],
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            if declaration.no_conflict:
                messages.success(request, "Declared: you can now take part")
                assessment = participant.assessment
                if assessment.process == WM and assessment.state == State.DRAFT:
                    # A peer reviewer sees the self-evaluation once it is sent for review.
                    return redirect("assurance:checklists:index")
                return redirect(checklist_detail_url(assessment))
            messages.success(request, "Conflict declared: someone else will take the part")
            return redirect("assurance:checklists:index")
    return render(
        request, "assurance/checklists/declare.html", {"form": form, "participant": participant}
    )


# The 2008 audit


@permission_required_or_403(COORDINATE)
def audit_new(request: HttpRequest) -> HttpResponse:
    form = AuditOpenForm(
        request.POST or None, services=Service.objects.select_related("organisation")
    )
    opened: list[Assessment] = []

    def act() -> None:
        opened.append(
            checklist_services.safeguarding_audit_open(
                service=form.cleaned_data["service"],
                actor=_actor(request),
                runs_iss=form.cleaned_data["runs_iss"] == "yes",
            )
        )

    return _form_page(
        request,
        form=form,
        act=act,
        heading="Open a risk management and safeguarding audit",
        button="Open the audit",
        done="Audit opened",
        back=reverse("assurance:checklists:index"),
        intro="A service holding current Respect accreditation is recorded as exempt; a provider "
        "without an ISS fails automatically.",
        then=lambda: checklist_detail_url(opened[0]),
    )


@permission_required_or_403(VIEW)
def audit_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, AUDIT_PROCESS)
    assessment = access.assessment
    user = request.user
    state = State(assessment.state)
    _viewed(request, assessment)
    return render(
        request,
        "assurance/checklists/audit_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "summary": checklist_selectors.safeguarding_audit_summary(assessment=assessment),
            "awaited": checklist_selectors.declarations_awaited(user=user).filter(
                assessment=assessment
            ),
            "can_name_link_person": user.has_perm(NAME_LINK_PERSON, assessment)
            and not access.read_only,
            "can_allocate": user.has_perm(COORDINATE) and state == State.DRAFT,
            "can_schedule": user.has_perm(LEAD_AUDIT, assessment) and state == State.DRAFT,
            "can_agree": user.has_perm(AGREE_SCHEDULE, assessment) and state == State.DRAFT,
            "can_record_visit": user.has_perm(LEAD_AUDIT, assessment) and state == State.SCHEDULED,
            "can_judge": user.has_perm(AUDIT, assessment) and state == State.VISITED,
            "can_report": user.has_perm(LEAD_AUDIT, assessment) and state == State.VISITED,
            "can_record_outcome": user.has_perm(COORDINATE) and state == State.REPORTED,
        },
    )


def _audit_back(assessment: Assessment) -> str:
    return checklist_detail_url(assessment)


@permission_required_or_403(VIEW)
def audit_link_person(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, AUDIT_PROCESS)
    _require(request, access, NAME_LINK_PERSON)
    assessment = access.assessment
    people = (
        checklist_selectors.staff_of(service=assessment.service)
        .filter(groups__name__in=[role.value for role in PART_ROLES[Part.LINK_PERSON]])
        .distinct()
    )
    form = PersonForm(request.POST or None, people=people, label="Who is the link person?")
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.audit_link_person_name(
            assessment=assessment, user=form.cleaned_data["user"], actor=_actor(request)
        ),
        heading="Name the audit's link person",
        button="Name the link person",
        done="Link person named",
        back=_audit_back(assessment),
        assessment=assessment,
        intro="R08: the organisation appoints a named link person for the audit.",
    )


@permission_required_or_403(COORDINATE)
def audit_assessors(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, AUDIT_PROCESS)
    assessment = access.assessment
    roles = PART_ROLES[Part.SECOND_ASSESSOR] | PART_ROLES[Part.LEAD_ASSESSOR]
    people = (
        User.objects.filter(groups__name__in=[role.value for role in roles], is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    form = AuditAssessorForm(request.POST or None, people=people)
    return _form_page(
        request,
        form=form,
        act=lambda: participant_add(
            assessment=assessment,
            user=form.cleaned_data["user"],
            part=Part(form.cleaned_data["part"]),
            actor=_actor(request),
        ),
        heading="Allocate an assessor",
        button="Allocate",
        done="Assessor allocated: they declare any conflict of interest before they see it",
        back=_audit_back(assessment),
        assessment=assessment,
        intro="The visit needs two assessors: a lead assessor and a second assessor.",
    )


@permission_required_or_403(VIEW)
def audit_schedule(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, AUDIT_PROCESS)
    _require(request, access, LEAD_AUDIT)
    assessment = access.assessment
    form = ScheduleForm(request.POST or None, version=assessment.version)
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.audit_schedule_set(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            visit_on=form.cleaned_data["visit_on"],
            items=form.items(),
        ),
        heading="Schedule the site visit",
        button="Propose the schedule",
        done="Schedule proposed: the link person agrees it",
        back=_audit_back(assessment),
        assessment=assessment,
        intro="One day, with at least one case file review, staff interview and group "
        "recording. Leave unused rows empty.",
    )


def _confirm(
    request: HttpRequest,
    *,
    assessment: Assessment,
    act: Callable[[VersionForm], object],
    heading: str,
    button: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    form = _version_form(request, assessment)
    return _form_page(
        request,
        form=form,
        act=lambda: act(form),
        heading=heading,
        button=button,
        done=done,
        back=checklist_detail_url(assessment),
        assessment=assessment,
        intro=intro,
    )


@permission_required_or_403(VIEW)
def audit_agree(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, AUDIT_PROCESS)
    _require(request, access, AGREE_SCHEDULE)
    assessment = access.assessment
    return _confirm(
        request,
        assessment=assessment,
        act=lambda form: checklist_services.audit_schedule_agree(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading="Agree the visit's schedule",
        button="Agree the schedule",
        done="Schedule agreed",
    )


@permission_required_or_403(VIEW)
def audit_visited(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, AUDIT_PROCESS)
    _require(request, access, LEAD_AUDIT)
    assessment = access.assessment
    return _confirm(
        request,
        assessment=assessment,
        act=lambda form: checklist_services.audit_visit_record(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading="Record the site visit as done",
        button="Record the visit",
        done="Visit recorded: judge each evidence indicator",
    )


@permission_required_or_403(VIEW)
def audit_judge(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = _access(request, assessment_id, AUDIT_PROCESS)
    _require(request, access, AUDIT)
    record = checklist_selectors.checklist_record_get(access=access, record_id=record_id)
    form = AuditJudgementForm(
        request.POST or None,
        version=record.version,
        initial={"judgement": record.judgement or None, "basis": record.judgement_basis},
    )
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.audit_indicator_judge(
            record=record,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            judgement=form.cleaned_data["judgement"],
            basis=form.cleaned_data["basis"],
        ),
        heading=f"Judge {_label(record)}",
        button="Save the judgement",
        done=f"{_label(record)} judged",
        back=checklist_detail_url(access.assessment),
        assessment=access.assessment,
        record=record,
        intro=record.requirement.text,
    )


@permission_required_or_403(VIEW)
def audit_report(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, AUDIT_PROCESS)
    _require(request, access, LEAD_AUDIT)
    assessment = access.assessment
    form = AuditReportForm(request.POST or None, version=assessment.version)
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.audit_report_submit(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            summary=form.cleaned_data["summary"],
        ),
        heading="Write the audit report",
        button="Submit the report",
        done="Report written: the findings are released to the service",
        back=checklist_detail_url(assessment),
        assessment=assessment,
    )


@permission_required_or_403(COORDINATE)
def audit_outcome(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, AUDIT_PROCESS)
    assessment = access.assessment
    form = DueDateForm(request.POST or None, version=assessment.version)
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.audit_outcome_record(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            actions_due_on=form.cleaned_data["actions_due_on"],
        ),
        heading="Record the audit's outcome",
        button="Record the outcome",
        done="Outcome recorded",
        back=checklist_detail_url(assessment),
        assessment=assessment,
        intro="The audit passes when every evidence indicator is met and the provider has an "
        "ISS; otherwise it fails, and each indicator not met becomes an action for the "
        "service's link person.",
    )


# The Welsh checklist


@permission_required_or_403(VIEW_COMMISSIONING)
def commissioning(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assurance/checklists/commissioning.html",
        {"rows": checklist_selectors.commissioned_services_overview(user=request.user)},
    )


@permission_required_or_403(VIEW_COMMISSIONING)
def welsh_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = checklist_selectors.service_for_checklist(
        user=request.user, service_id=service_id, process=WELSH
    )
    form = WelshStartForm(request.POST or None)
    started: list[Assessment] = []

    def act() -> None:
        started.append(
            checklist_services.welsh_checklist_start(
                service=service,
                actor=_actor(request),
                accreditation=form.cleaned_data["accreditation"],
                accreditation_evidence=form.cleaned_data["accreditation_evidence"],
                review_within_weeks=form.cleaned_data["review_within_weeks"],
            )
        )

    respect_current = checklist_rules.current_respect_accreditation(
        service=service, today=timezone.localdate()
    )
    return _form_page(
        request,
        form=form,
        act=act,
        heading="Start a Welsh standards checklist",
        button="Start the checklist",
        done="Checklist started",
        back=reverse("assurance:checklists:commissioning"),
        service=service,
        intro=(
            f"Tandem records {service.name}'s Respect accreditation until "
            f"{checklist_rules.day_label(respect_current.expires_on)} (first day not accredited)."
            if respect_current and respect_current.expires_on
            else ""
        ),
        then=lambda: checklist_detail_url(started[0]),
    )


@permission_required_or_403(VIEW)
def welsh_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, WELSH)
    assessment = access.assessment
    _viewed(request, assessment)
    can_commission = request.user.has_perm(COMMISSION, assessment)
    return render(
        request,
        "assurance/checklists/welsh_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "summary": checklist_selectors.welsh_checklist_summary(assessment=assessment),
            "can_rate": can_commission and assessment.state == State.DRAFT,
        },
    )


@permission_required_or_403(VIEW)
def welsh_rate(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = _access(request, assessment_id, WELSH)
    _require(request, access, COMMISSION)
    assessment = access.assessment
    record = checklist_selectors.checklist_record_get(access=access, record_id=record_id)
    action = record.actions.first()
    form = WelshRatingForm(
        request.POST or None,
        version=record.version,
        owners=User.objects.filter(
            Q(pk__in=checklist_selectors.staff_of(service=assessment.service))
            | Q(pk__in=checklist_selectors.commissioners_of(service=assessment.service))
        ).order_by("last_name", "first_name", "username"),
        initial={
            "rating": record.rating or None,
            "evidence": record.narrative,
            "action": action.description if action else "",
            "owner": action.owner_id if action else None,
            "review_on": action.due_on if action else None,
        },
    )
    window_end = checklist_rules.review_window_end(
        today=timezone.localdate(), weeks=assessment.welsh_checklist.review_within_weeks
    )
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.welsh_question_rate(
            record=record,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            rating=form.cleaned_data["rating"],
            evidence=form.cleaned_data["evidence"],
            improvement=form.action_details(),
        ),
        heading=record.requirement.text,
        button="Save",
        done=f"{_label(record)} rated",
        back=checklist_detail_url(assessment),
        assessment=assessment,
        record=record,
        intro="Red: does not meet the criteria. Amber: partially meets them, and needs an "
        "improvement action with its owner and a review date on or before "
        f"{checklist_rules.day_label(window_end)} (the agreed timeframe). Green: meets them "
        "completely.",
    )


@permission_required_or_403(VIEW)
def welsh_complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, WELSH)
    _require(request, access, COMMISSION)
    assessment = access.assessment
    form = WelshCompleteForm(request.POST or None, version=assessment.version)
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.welsh_checklist_complete(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            reassess_by=form.cleaned_data["reassess_by"],
        ),
        heading="Complete the checklist",
        button="Complete the checklist",
        done="Checklist completed",
        back=checklist_detail_url(assessment),
        assessment=assessment,
        intro="Any Red item: the service does not meet the standards and must address it and be "
        "reassessed. Amber items are reviewed through their improvement actions. All Green: "
        "the service meets the standards.",
    )


@permission_required_or_403(MANAGE_COMMISSIONING)
def relationships(request: HttpRequest) -> HttpResponse:
    form = RelationshipForm(
        request.POST or None,
        commissioners=User.objects.filter(groups__name=Role.COMMISSIONER.value).order_by(
            "last_name", "first_name", "username"
        ),
        services=Service.objects.select_related("organisation"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            checklist_services.commissioning_relationship_start(
                commissioner=form.cleaned_data["commissioner"],
                service=form.cleaned_data["service"],
                since=form.cleaned_data["since"],
                actor=_actor(request),
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, "Commissioning recorded")
            return redirect("assurance:checklists:relationships")
    return render(
        request,
        "assurance/checklists/relationships.html",
        {"form": form, "relationships": checklist_selectors.commissioning_relationships()},
    )


# The West Midlands self-evaluation


@permission_required_or_403(START_SELF_EVALUATION)
def wm_new(request: HttpRequest) -> HttpResponse:
    services = managed_services(user=request.user).select_related("organisation")
    if not services.exists():
        raise PermissionDenied("no service to evaluate")
    form = SelfEvaluationStartForm(request.POST or None, services=services)
    started: list[Assessment] = []

    def act() -> None:
        started.append(
            checklist_services.west_midlands_self_evaluation_start(
                service=form.cleaned_data["service"], actor=_actor(request)
            )
        )

    return _form_page(
        request,
        form=form,
        act=act,
        heading="Start a West Midlands self-evaluation",
        button="Start",
        done="Self-evaluation started: rate each standard and each of its bullets",
        back=reverse("assurance:checklists:index"),
        then=lambda: checklist_detail_url(started[0]),
    )


@permission_required_or_403(VIEW)
def wm_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, WM)
    assessment = access.assessment
    user = request.user
    state = State(assessment.state)
    _viewed(request, assessment)
    evaluates = user.has_perm(SELF_EVALUATE, assessment)
    return render(
        request,
        "assurance/checklists/wm_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "summary": checklist_selectors.west_midlands_self_evaluation_summary(
                assessment=assessment
            ),
            "can_rate": evaluates and state == State.DRAFT,
            "can_choose_reviewer": evaluates and not access.read_only,
            "can_review": user.has_perm(PEER_REVIEW, assessment) and state == State.PEER_REVIEW,
        },
    )


@permission_required_or_403(VIEW)
def wm_rate(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = _access(request, assessment_id, WM)
    _require(request, access, SELF_EVALUATE)
    assessment = access.assessment
    record = checklist_selectors.checklist_record_get(access=access, record_id=record_id)
    action = record.actions.first()
    form = WestMidlandsRatingForm(
        request.POST or None,
        version=record.version,
        owners=checklist_selectors.staff_of(service=assessment.service),
        initial={
            "rating": record.rating or None,
            "evidence": record.narrative,
            "action": action.description if action else "",
            "owner": action.owner_id if action else None,
            "due_on": action.due_on if action else None,
        },
    )
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.west_midlands_record_rate(
            record=record,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            rating=form.cleaned_data["rating"],
            evidence=form.cleaned_data["evidence"],
            action=form.action_details(),
        ),
        heading=f"Rate {_label(record)}",
        button="Save",
        done=f"{_label(record)} rated",
        back=checklist_detail_url(assessment),
        assessment=assessment,
        record=record,
        intro=record.requirement.text + "\n\nPartly met or not met needs the action you will "
        "take, its owner and its due date.",
    )


@permission_required_or_403(VIEW)
def wm_reviewer(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, WM)
    _require(request, access, SELF_EVALUATE)
    assessment = access.assessment
    form = PersonForm(
        request.POST or None,
        people=checklist_selectors.peer_reviewer_candidates(service=assessment.service),
        label="Who reviews it, from another agency?",
    )
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.peer_reviewer_add(
            assessment=assessment, user=form.cleaned_data["user"], actor=_actor(request)
        ),
        heading="Choose the peer reviewer",
        button="Choose",
        done="Peer reviewer chosen: they declare any conflict of interest first",
        back=checklist_detail_url(assessment),
        assessment=assessment,
    )


@permission_required_or_403(VIEW)
def wm_submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, WM)
    _require(request, access, SELF_EVALUATE)
    assessment = access.assessment
    return _confirm(
        request,
        assessment=assessment,
        act=lambda form: checklist_services.west_midlands_submit(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading="Send the self-evaluation for peer review",
        button="Send for peer review",
        done="Sent to the peer reviewer",
    )


@permission_required_or_403(VIEW)
def wm_review(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = _access(request, assessment_id, WM)
    _require(request, access, PEER_REVIEW)
    assessment = access.assessment
    record = checklist_selectors.checklist_record_get(access=access, record_id=record_id)
    finding = getattr(record, "peer_review", None)
    form = PeerReviewForm(
        request.POST or None,
        version=record.version,
        initial={
            "agrees": ("agree" if finding.agrees else "challenge") if finding else None,
            "comment": finding.comment if finding else "",
        },
    )
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.peer_review_record(
            record=record,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            agrees=form.agreed(),
            comment=form.cleaned_data["comment"],
        ),
        heading=f"Review the rating of {_label(record)}",
        button="Save",
        done=f"{_label(record)} reviewed",
        back=checklist_detail_url(assessment),
        assessment=assessment,
        record=record,
        intro=f"{record.requirement.text}\n\nSelf-rating: "
        f"{SelfRating(record.rating).label if record.rating else 'not rated'}\n"
        f"Evidence: {record.narrative}",
    )


@permission_required_or_403(VIEW)
def wm_review_complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, WM)
    _require(request, access, PEER_REVIEW)
    assessment = access.assessment
    form = DueDateForm(request.POST or None, version=assessment.version)
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.peer_review_complete(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            actions_due_on=form.cleaned_data["actions_due_on"],
        ),
        heading="Complete the peer review",
        button="Complete the review",
        done="Peer review completed",
        back=checklist_detail_url(assessment),
        assessment=assessment,
        intro="Each rating you challenged becomes an action for the agency, due on this date.",
    )


@permission_required_or_403(VIEW_PARTNERSHIPS)
def partnerships(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assurance/checklists/partnerships.html",
        {"partnerships": checklist_selectors.partnerships_for_user(user=request.user)},
    )


@permission_required_or_403(VIEW_PARTNERSHIPS)
def partnership_detail(request: HttpRequest, partnership_id: int) -> HttpResponse:
    return render(
        request,
        "assurance/checklists/partnership_detail.html",
        {
            "overview": checklist_selectors.partnership_overview(
                user=request.user, partnership_id=partnership_id
            )
        },
    )


# Self-assessment


@permission_required_or_403(START_SELF_EVALUATION)
def sa_new(request: HttpRequest) -> HttpResponse:
    services = managed_services(user=request.user).select_related("organisation")
    if not services.exists():
        raise PermissionDenied("no service to assess")
    form = SelfAssessmentStartForm(
        request.POST or None,
        services=services,
        frameworks=checklist_selectors.library_frameworks(),
    )
    started: list[Assessment] = []

    def act() -> None:
        started.append(
            checklist_services.self_assessment_start(
                service=form.cleaned_data["service"],
                framework=form.cleaned_data["framework"],
                actor=_actor(request),
                scope=form.cleaned_data["scope"],
            )
        )

    return _form_page(
        request,
        form=form,
        act=act,
        heading="Assess the service against a framework",
        button="Start",
        done="Self-assessment started",
        back=reverse("assurance:checklists:index"),
        then=lambda: checklist_detail_url(started[0]),
    )


@permission_required_or_403(VIEW)
def sa_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, SELF_ASSESSMENT)
    assessment = access.assessment
    _viewed(request, assessment)
    return render(
        request,
        "assurance/checklists/sa_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "summary": checklist_selectors.self_assessment_summary(assessment=assessment),
            "can_rate": request.user.has_perm(SELF_EVALUATE, assessment)
            and assessment.state == State.DRAFT,
        },
    )


@permission_required_or_403(VIEW)
def sa_rate(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = _access(request, assessment_id, SELF_ASSESSMENT)
    _require(request, access, SELF_EVALUATE)
    assessment = access.assessment
    record = checklist_selectors.checklist_record_get(access=access, record_id=record_id)
    form = SelfRatingForm(
        request.POST or None,
        version=record.version,
        initial={"rating": record.rating or None, "evidence": record.narrative},
    )
    return _form_page(
        request,
        form=form,
        act=lambda: checklist_services.self_assessment_record_rate(
            record=record,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            rating=form.cleaned_data["rating"],
            evidence=form.cleaned_data["evidence"],
        ),
        heading=f"Rate {_label(record)}",
        button="Save",
        done=f"{_label(record)} rated",
        back=checklist_detail_url(assessment),
        assessment=assessment,
        record=record,
        intro=record.requirement.text,
    )


@permission_required_or_403(VIEW)
def sa_complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id, SELF_ASSESSMENT)
    _require(request, access, SELF_EVALUATE)
    assessment = access.assessment
    return _confirm(
        request,
        assessment=assessment,
        act=lambda form: checklist_services.self_assessment_complete(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading="Complete the self-assessment",
        button="Complete",
        done="Self-assessment completed",
        intro="It is kept as it stands; the next one is compared with it.",
    )
