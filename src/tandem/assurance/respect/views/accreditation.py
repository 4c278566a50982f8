"""Pages for Respect accreditations: the list, applying, the assessment page, allocating people,
the one-button steps of the process, verification, the panel's decision, the conditions of a
deferral, and the public register.

Which assessments someone can open is the selectors' decision (404, also for an assessor,
verifier or panel member who has not declared no conflict of interest); what they may do with
one they can open is the permission rules' (403); whether the process allows it now is the
services' (a refusal naming what is wrong, shown on the form).
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.permissions import (
    permission_required_or_403,
    require_permission,
)
from tandem.assurance.models import Assessment, Process, RequirementRecord, State
from tandem.assurance.respect import gates, selectors
from tandem.assurance.respect.forms import (
    ApplicationForm,
    ConditionMetForm,
    DecisionForm,
    ParticipantForm,
    VerificationForm,
    VersionForm,
)
from tandem.assurance.respect.rules import (
    APPLY_FOR_ACCREDITATION,
    ASSESS,
    ASSURANCE_ROLES,
    DECIDE,
    PREPARE_EVIDENCE,
    VERIFY,
    VIEW_ASSESSMENTS,
)
from tandem.assurance.respect.selectors import AssessmentAccess, SiteVisitAccess
from tandem.assurance.respect.services import findings, panel
from tandem.assurance.respect.services.application import assessment_submit
from tandem.assurance.respect.services.lifecycle import respect_accreditation_start
from tandem.assurance.respect.services.site_visit import PLANNING_STATES
from tandem.assurance.respect.views.certificate import may_see_certificate
from tandem.assurance.rules import COORDINATE
from tandem.assurance.selectors import managed_services
from tandem.assurance.services import participant_add
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.web import acting_user, button_action, form_page, refusal_summary


def assessment_access(request: HttpRequest, assessment_id: int) -> AssessmentAccess:
    """The accreditation as this person may see it; 404 when they may not open it."""
    return selectors.assessment_get_for_user(user=request.user, assessment_id=assessment_id)


def detail_url(assessment: Assessment) -> str:
    return reverse("assurance:assessment_detail", args=[assessment.pk])


def record_url(record: RequirementRecord) -> str:
    return reverse("assurance:record_detail", args=[record.assessment_id, record.pk])


def on_assessment(
    assessment: Assessment, record: RequirementRecord | None = None
) -> dict[str, str]:
    """A form page's caption and title: the service, and the requirement it is about."""
    service = assessment.service.name
    caption = f"{service} · {record.requirement.ref}" if record else service
    return {"caption": caption, "title": service}


# The list, applying, people


@permission_required_or_403(VIEW_ASSESSMENTS)
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "assurance/assessment_list.html",
        {
            "assessments": selectors.assessment_list_for_user(user=user),
            "awaited": selectors.declarations_awaited_from(user=user),
            "can_apply": user.has_perm(APPLY_FOR_ACCREDITATION)
            and managed_services(user=user).exists(),
        },
    )


@permission_required_or_403(APPLY_FOR_ACCREDITATION)
def apply(request: HttpRequest) -> HttpResponse:
    services_managed = managed_services(user=request.user)
    if not services_managed.exists():
        raise PermissionDenied("no service to apply for")
    form = ApplicationForm(request.POST or None, services=services_managed)
    return form_page(
        request,
        form=form,
        # A reaccreditation when the service holds (or held) one: `previous` set.
        act=lambda: respect_accreditation_start(
            service=form.cleaned_data["service"],
            actor=acting_user(request),
            scope=form.cleaned_data["scope"],
        ),
        done=lambda assessment: (
            "Application started: write the evidence for each of its "
            f"{assessment.records.count()} indicators"
        ),
        success_url=detail_url,
        template="assurance/apply.html",
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _assessment_page(request, assessment_access(request, assessment_id))


_PERMS = {
    "prepare": PREPARE_EVIDENCE,
    "assess": ASSESS,
    "verify": VERIFY,
    "decide": DECIDE,
    "coordinate": COORDINATE,
}


def _assessment_page(
    request: HttpRequest, access: AssessmentAccess, *, refused: Form | None = None
) -> HttpResponse:
    assessment = access.assessment
    user = request.user
    state = State(assessment.state)
    has = {name: user.has_perm(perm, assessment) for name, perm in _PERMS.items()}
    records = selectors.record_list_for(access=access)
    if access.sees_evidence:
        audit_event_record(
            actor=user, action=AuditEvent.Action.VIEWED, target=assessment, summary="page"
        )
    context: dict[str, Any] = {
        "access": access,
        "assessment": assessment,
        "refused": refused,
        "version_form": VersionForm(version=assessment.version),
        "records": [
            {
                "record": record,
                "words": gates.narrative_word_count(record.narrative),
                "needs_narrative": gates.needs_narrative(record.requirement),
                "more_evidence": selectors.more_evidence_requested(record),
            }
            for record in records
        ],
        "unwritten": sum(
            1
            for record in records
            if gates.needs_narrative(record.requirement) and not record.narrative.strip()
        ),
        "participants": assessment.participants.select_related("user", "declaration"),
        "transitions": assessment.transitions.select_related("actor"),
        "scope": [selectors.intervention_label(value) for value in assessment.scope],
        "conditions": selectors.conditions_of(assessment=assessment),
        "decisions": assessment.panel_decisions.select_related("decided_by")
        if access.sees_findings
        else [],
        "can_submit": has["prepare"] and state == State.DRAFT,
        "can_upload": has["prepare"] and not access.read_only,
        "can_start_desktop": has["assess"] and state == State.SUBMITTED,
        "can_start_site_visit": has["assess"] and state == State.DESKTOP_ASSESSMENT,
        "can_report": has["assess"] and state in (State.SITE_VISIT, State.REPORT_RETURNED),
        "can_verify": has["verify"] and state == State.REPORT_DRAFTED,
        "can_refer": has["coordinate"] and state == State.INTERNALLY_VERIFIED,
        "can_decide": has["decide"] and state == State.PANEL,
        "can_allocate": has["coordinate"] and not access.read_only,
        "can_meet_conditions": has["prepare"] and state == State.DEFERRED,
        "has_report": hasattr(assessment, "assessor_report"),
        "last_day": assessment.expires_on - timedelta(days=1) if assessment.expires_on else None,
        "shows_site_visit_plan": _shows_site_visit_plan(access),
        "shows_certificate": may_see_certificate(user=user, access=access),
    }
    return render(request, "assurance/assessment_detail.html", context)


def _shows_site_visit_plan(access: AssessmentAccess) -> bool:
    """Whether to link the site-visit plan: for those its page lets in (`SiteVisitAccess`),
    once it is being prepared or exists."""
    visit = SiteVisitAccess(access)
    if not visit.sees_plan:
        return False
    return access.assessment.state in PLANNING_STATES or selectors.plan_of(access=visit) is not None


@permission_required_or_403(COORDINATE)
def participants(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    assessment = access.assessment
    people = (
        User.objects.filter(is_active=True, groups__name__in=[r.value for r in ASSURANCE_ROLES])
        .exclude(Q(first_name="") & Q(last_name="") & Q(username=""))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    form = ParticipantForm(request.POST or None, people=people)
    back = detail_url(assessment)
    return form_page(
        request,
        form=form,
        act=lambda: participant_add(
            assessment=assessment,
            user=form.cleaned_data["user"],
            part=form.cleaned_data["part"],
            actor=acting_user(request),
        ),
        done="Allocated: an assessor, verifier or panel member sees the assessment once they "
        "declare no conflict of interest",
        success_url=back,
        back=back,
        heading="Allocate someone to the assessment",
        button="Allocate",
        intro="An assessor cannot verify their own report, and panel members can be neither the "
        "assessor nor the verifier.",
        **on_assessment(assessment),
    )


# Steps of the process that are one button on the assessment page


def _step(
    request: HttpRequest,
    assessment_id: int,
    permission: str,
    act: Callable[[Assessment, User, int], object],
    done: str,
) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    require_permission(request.user, permission, access.assessment)
    form = VersionForm(request.POST, version=access.assessment.version)
    # A missing or mangled version is treated as stale, so the service asks for a reload.
    version = form.cleaned_data["expected_version"] if form.is_valid() else 0
    return button_action(
        request,
        act=lambda: act(access.assessment, acting_user(request), version),
        done=done,
        success_url=detail_url(access.assessment),
        refused=lambda refusal: _assessment_page(request, access, refused=refusal_summary(refusal)),
    )


@require_POST
@permission_required_or_403(VIEW_ASSESSMENTS)
def submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        PREPARE_EVIDENCE,
        lambda a, user, v: assessment_submit(assessment=a, actor=user, expected_version=v),
        "Evidence submitted for the desktop assessment",
    )


@require_POST
@permission_required_or_403(VIEW_ASSESSMENTS)
def start_desktop(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        ASSESS,
        lambda a, user, v: findings.desktop_assessment_start(
            assessment=a, actor=user, expected_version=v
        ),
        "Desktop assessment started",
    )


@require_POST
@permission_required_or_403(VIEW_ASSESSMENTS)
def start_site_visit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        ASSESS,
        lambda a, user, v: findings.site_visit_start(assessment=a, actor=user, expected_version=v),
        "Site visit started",
    )


@require_POST
@permission_required_or_403(VIEW_ASSESSMENTS)
def refer(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        COORDINATE,
        lambda a, user, v: panel.assessment_refer_to_panel(
            assessment=a, actor=user, expected_version=v
        ),
        "Referred to the accreditation panel",
    )


# Verification and the panel


@permission_required_or_403(VIEW_ASSESSMENTS)
def verify(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    require_permission(request.user, VERIFY, access.assessment)
    assessment = access.assessment
    form = VerificationForm(request.POST or None, version=assessment.version)
    back = detail_url(assessment)
    return form_page(
        request,
        form=form,
        act=lambda: panel.assessor_report_verify(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            outcome=form.cleaned_data["outcome"],
            notes=form.cleaned_data["notes"],
        ),
        done="Verification recorded",
        success_url=back,
        back=back,
        heading="Internal verification",
        button="Record the verification",
        intro="Read the report first. Approve it for the panel, or return it to the assessor "
        "with what to change.",
        **on_assessment(assessment),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def decide(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    require_permission(request.user, DECIDE, access.assessment)
    assessment = access.assessment
    form = DecisionForm(request.POST or None, version=assessment.version)
    back = detail_url(assessment)
    return form_page(
        request,
        form=form,
        act=lambda: panel.panel_decision_record(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
            conditions=form.conditions(),
        ),
        done="Decision recorded: the report is released to the service",
        success_url=back,
        back=back,
        heading="The panel's decision",
        button="Record the decision",
        intro="Accreditation needs every applicable indicator met. The panel decides on the "
        "verified report; it cannot change the findings.",
        **on_assessment(assessment),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def condition_meet(request: HttpRequest, assessment_id: int, action_id: int) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    require_permission(request.user, PREPARE_EVIDENCE, access.assessment)
    assessment = access.assessment
    condition = selectors.open_conditions_of(assessment=assessment).filter(pk=action_id).first()
    if condition is None:
        raise PermissionDenied("no such open condition")
    form = ConditionMetForm(request.POST or None, version=condition.version)
    back = detail_url(assessment)
    return form_page(
        request,
        form=form,
        act=lambda: panel.deferral_condition_meet(
            condition=condition,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            evidence=form.cleaned_data["evidence"],
        ),
        done="Condition met: when every condition is met the assessment returns to the panel",
        success_url=back,
        back=back,
        heading="Meet a condition of the deferral",
        button="Record that it is met",
        intro=condition.description,
        **on_assessment(assessment),
    )


# Public


@login_not_required
def register(request: HttpRequest) -> HttpResponse:
    """The public register of Respect-accredited services: no sign-in."""
    today = timezone.localdate()
    return render(
        request,
        "assurance/register.html",
        {
            "entries": selectors.public_register(today=today),
            "today": today,
            "process": Process.RESPECT_ACCREDITATION.label,
        },
    )
