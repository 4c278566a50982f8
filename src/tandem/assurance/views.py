"""Pages for assessments: the list, applying, allocating people, declaring conflicts, the
service's evidence, the assessor's findings and report, verification, the panel's decision, the
conditions of a deferral, and the public register.

Which assessments someone can open is the selectors' decision (404, also for an assessor,
verifier or panel member who has not declared no conflict of interest); what they may do with
one they can open is the permission rules' (403); whether the process allows it now is the
services' (a refusal naming what is wrong, shown on the form).
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403
from tandem.assurance import (
    certificate_views,
    checklist_selectors,
    checklist_views,
    lifecycle_services,
    respect,
    selectors,
    services,
    site_visit_selectors,
    site_visit_services,
)
from tandem.assurance.forms import (
    ApplicationForm,
    CitationForm,
    ConditionMetForm,
    DecisionForm,
    DeclarationForm,
    MethodJudgementForm,
    NarrativeForm,
    ParticipantForm,
    RecordJudgementForm,
    ReportForm,
    UploadForm,
    VerificationForm,
    VersionForm,
)
from tandem.assurance.models import (
    Assessment,
    EvidenceCitation,
    Judgement,
    Process,
    RequirementRecord,
    State,
)
from tandem.assurance.rules import ASSURANCE_ROLES
from tandem.assurance.selectors import AssessmentAccess
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.lib.documents import CONTENT_TYPES, EVIDENCE_MAX_BYTES, DocumentKind, size_label
from tandem.lib.errors import ActionRefused
from tandem.web import add_refusal_to_form, form_action_succeeded

VIEW = "assurance.view_assessments"
APPLY = "assurance.apply_for_accreditation"
COORDINATE = "assurance.coordinate"
PREPARE = "assurance.prepare_evidence"
ASSESS = "assurance.assess"
VERIFY = "assurance.verify"
DECIDE = "assurance.decide"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _access(request: HttpRequest, assessment_id: int) -> AssessmentAccess:
    return selectors.assessment_get_for_user(user=request.user, assessment_id=assessment_id)


def _require(request: HttpRequest, access: AssessmentAccess, permission: str) -> None:
    """403 for an assessment someone can open but may not do this with."""
    if not request.user.has_perm(permission, access.assessment):
        raise PermissionDenied(permission)


def _detail_url(assessment: Assessment) -> str:
    return reverse("assurance:assessment_detail", args=[assessment.pk])


def _record_url(record: RequirementRecord) -> str:
    return reverse("assurance:record_detail", args=[record.assessment_id, record.pk])


def _refusal_summary(refusal: ActionRefused) -> Form:
    form = Form(data={})
    form.is_valid()
    add_refusal_to_form(form, refusal)
    return form


def _form_page(
    request: HttpRequest,
    *,
    access: AssessmentAccess,
    form: Form,
    act: Callable[[], object],
    heading: str,
    button: str,
    done: str,
    back: str,
    intro: str = "",
    record: RequirementRecord | None = None,
    multipart: bool = False,
) -> HttpResponse:
    """Show the form; on a valid POST call the service, and show its refusal on the form."""
    if form_action_succeeded(request, form=form, act=act, done=done):
        return redirect(back)
    return render(
        request,
        "assurance/form.html",
        {
            "access": access,
            "assessment": access.assessment,
            "record": record,
            "form": form,
            "heading": heading,
            "button": button,
            "intro": intro,
            "back": back,
            "multipart": multipart,
        },
    )


# The list, applying, people


@permission_required_or_403(VIEW)
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "assurance/assessment_list.html",
        {
            "assessments": selectors.assessment_list_for_user(user=user),
            "awaited": selectors.declarations_awaited_from(user=user),
            "can_apply": user.has_perm(APPLY) and selectors.managed_services(user=user).exists(),
        },
    )


@permission_required_or_403(APPLY)
def apply(request: HttpRequest) -> HttpResponse:
    services_managed = selectors.managed_services(user=request.user)
    if not services_managed.exists():
        raise PermissionDenied("no service to apply for")
    form = ApplicationForm(request.POST or None, services=services_managed)
    if request.method == "POST" and form.is_valid():
        service = form.cleaned_data["service"]
        try:
            # A reaccreditation when the service holds (or held) one: `previous` set.
            assessment = lifecycle_services.respect_accreditation_start(
                service=service, actor=_actor(request), scope=form.cleaned_data["scope"]
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                f"Application started: write the evidence for each of its "
                f"{assessment.records.count()} indicators",
            )
            return redirect(_detail_url(assessment))
    return render(request, "assurance/apply.html", {"form": form})


@permission_required_or_403(VIEW)
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _assessment_page(request, _access(request, assessment_id))


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
                "words": respect.narrative_word_count(record.narrative),
                "needs_narrative": respect.needs_narrative(record.requirement),
                "more_evidence": selectors.more_evidence_requested(record),
            }
            for record in records
        ],
        "unwritten": sum(
            1
            for record in records
            if respect.needs_narrative(record.requirement) and not record.narrative.strip()
        ),
        "participants": assessment.participants.select_related("user", "declaration"),
        "transitions": assessment.transitions.select_related("actor"),
        "scope": [respect.intervention_label(value) for value in assessment.scope],
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
        "shows_certificate": certificate_views.may_see_certificate(user=user, access=access),
    }
    return render(request, "assurance/assessment_detail.html", context)


def _shows_site_visit_plan(access: AssessmentAccess) -> bool:
    """Whether to link the site-visit plan: for those its page lets in (`SiteVisitAccess`),
    once it is being prepared or exists."""
    visit = site_visit_selectors.SiteVisitAccess(access)
    if not visit.sees_plan:
        return False
    return (
        access.assessment.state in site_visit_services.PLANNING_STATES
        or site_visit_selectors.plan_of(access=visit) is not None
    )


_PERMS = {
    "prepare": PREPARE,
    "assess": ASSESS,
    "verify": VERIFY,
    "decide": DECIDE,
    "coordinate": COORDINATE,
}


@permission_required_or_403(COORDINATE)
def participants(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    assessment = access.assessment
    people = (
        User.objects.filter(is_active=True, groups__name__in=[r.value for r in ASSURANCE_ROLES])
        .exclude(Q(first_name="") & Q(last_name="") & Q(username=""))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    form = ParticipantForm(request.POST or None, people=people)
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: services.participant_add(
            assessment=assessment,
            user=form.cleaned_data["user"],
            part=form.cleaned_data["part"],
            actor=_actor(request),
        ),
        heading="Allocate someone to the assessment",
        button="Allocate",
        done="Allocated: an assessor, verifier or panel member sees the assessment once they "
        "declare no conflict of interest",
        back=_detail_url(assessment),
        intro="An assessor cannot verify their own report, and panel members can be neither the "
        "assessor nor the verifier.",
    )


@permission_required_or_403(VIEW)
def declare(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = selectors.participation_get_for_declaration(
        user=request.user, participant_id=participant_id
    )
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.conflict_declare(
                participant=participant,
                actor=_actor(request),
                no_conflict=form.declares_no_conflict(),
                details=form.cleaned_data["details"],
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            assessment = participant.assessment
            if assessment.process not in selectors.RESPECT_PROCESSES:
                return _after_checklist_declaration(request, assessment, declaration.no_conflict)
            if declaration.no_conflict:
                messages.success(request, "Declared: you can now open the assessment")
                return redirect(_detail_url(assessment))
            messages.success(request, "Conflict declared: a lead assessor will find someone else")
            return redirect("assurance:assessment_list")
    return render(request, "assurance/declare.html", {"form": form, "participant": participant})


def _after_checklist_declaration(
    request: HttpRequest, assessment: Assessment, no_conflict: bool
) -> HttpResponse:
    """Another process's page after declaring for a part in it: its own page when this person
    may open it now (the checklist selectors decide: a peer reviewer waits for the submission),
    otherwise the checklists' index."""
    if not no_conflict:
        messages.success(request, "Conflict declared: someone else will take the part")
        return redirect("assurance:checklists:index")
    messages.success(request, "Declared: you can now take part")
    try:
        checklist_selectors.checklist_get_any(user=request.user, assessment_id=assessment.pk)
    except Http404:
        return redirect("assurance:checklists:index")
    return redirect(checklist_views.checklist_detail_url(assessment))


# The service's evidence


@permission_required_or_403(VIEW)
def record_detail(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    record = selectors.record_get_for(access=access, record_id=record_id)
    assessment = access.assessment
    user = request.user
    may_edit_evidence = user.has_perm(PREPARE, assessment) and services.evidence_open(record)
    can_judge = user.has_perm(ASSESS, assessment) and services.findings_open(assessment)
    return render(
        request,
        "assurance/record_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "record": record,
            "requirement": record.requirement,
            "words": respect.narrative_word_count(record.narrative),
            "max_words": respect.NARRATIVE_MAX_WORDS,
            "needs_narrative": respect.needs_narrative(record.requirement),
            "more_evidence": selectors.more_evidence_requested(record),
            "may_edit_evidence": may_edit_evidence,
            "can_judge": can_judge,
            "version_form": VersionForm(version=record.version),
            "methods_not_met": services.methods_not_met(record),
        },
    )


def _record_to_change(
    request: HttpRequest, assessment_id: int, record_id: int, permission: str
) -> tuple[AssessmentAccess, RequirementRecord]:
    access = _access(request, assessment_id)
    record = selectors.record_get_for(access=access, record_id=record_id)
    _require(request, access, permission)
    return access, record


@permission_required_or_403(VIEW)
def record_narrative(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access, record = _record_to_change(request, assessment_id, record_id, PREPARE)
    form = NarrativeForm(
        request.POST or None, version=record.version, initial={"narrative": record.narrative}
    )
    return _form_page(
        request,
        access=access,
        form=form,
        record=record,
        act=lambda: services.record_narrative_save(
            record=record,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            narrative=form.cleaned_data["narrative"],
        ),
        heading=f"Narrative for {record.requirement.ref}",
        button="Save the narrative",
        done=f"Narrative for {record.requirement.ref} saved",
        back=_record_url(record),
        intro=record.requirement.text,
    )


@permission_required_or_403(VIEW)
def record_cite(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access, record = _record_to_change(request, assessment_id, record_id, PREPARE)
    form = CitationForm(
        request.POST or None,
        version=record.version,
        documents=selectors.documents_of(service=access.assessment.service),
    )
    return _form_page(
        request,
        access=access,
        form=form,
        record=record,
        act=lambda: services.evidence_citation_add(
            record=record,
            document=form.cleaned_data["document"],
            location=form.cleaned_data["location"],
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading=f"Cite a supporting document for {record.requirement.ref}",
        button="Cite the document",
        done="Document cited",
        back=_record_url(record),
        intro="Upload a document first if it is not in the list. A document can support "
        "several indicators: it is stored once.",
    )


@require_POST
@permission_required_or_403(VIEW)
def citation_remove(
    request: HttpRequest, assessment_id: int, record_id: int, citation_id: int
) -> HttpResponse:
    _, record = _record_to_change(request, assessment_id, record_id, PREPARE)
    citation = EvidenceCitation.objects.filter(pk=citation_id, record=record).first()
    if citation is None:
        raise PermissionDenied("no such citation")
    form = VersionForm(request.POST, version=record.version)
    try:
        services.evidence_citation_remove(
            citation=citation,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"] if form.is_valid() else 0,
        )
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Citation removed")
    return redirect(_record_url(record))


@permission_required_or_403(VIEW)
def document_upload(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    _require(request, access, PREPARE)
    form = UploadForm(request.POST or None, request.FILES or None)
    service = access.assessment.service
    if request.method == "POST" and form.is_valid():
        try:
            document, created = services.evidence_document_upload(
                service=service,
                actor=_actor(request),
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                f"{document.title} uploaded"
                if created
                else f"That file is already stored, as {document.title}: cite it as it is",
            )
            return redirect("assurance:document_upload", assessment_id=assessment_id)
    return render(
        request,
        "assurance/documents.html",
        {
            "access": access,
            "assessment": access.assessment,
            "form": form,
            "documents": selectors.documents_of(service=service),
            "max_size": size_label(EVIDENCE_MAX_BYTES),
        },
    )


def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    # Not wrapped in permission_required_or_403, which is typed for pages, not file streams.
    if not request.user.has_perm(VIEW):
        raise PermissionDenied(VIEW)
    document = selectors.document_get_for_user(user=request.user, document_id=document_id)
    audit_event_record(actor=request.user, action=AuditEvent.Action.VIEWED, target=document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=CONTENT_TYPES[DocumentKind(document.kind)],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Steps of the process that are one button on the assessment page


def _step(
    request: HttpRequest,
    assessment_id: int,
    permission: str,
    act: Callable[[Assessment, User, int], object],
    done: str,
) -> HttpResponse:
    access = _access(request, assessment_id)
    _require(request, access, permission)
    form = VersionForm(request.POST, version=access.assessment.version)
    # A missing or mangled version is treated as stale, so the service asks for a reload.
    version = form.cleaned_data["expected_version"] if form.is_valid() else 0
    try:
        act(access.assessment, _actor(request), version)
    except ActionRefused as refusal:
        return _assessment_page(request, access, refused=_refusal_summary(refusal))
    messages.success(request, done)
    return redirect(_detail_url(access.assessment))


@require_POST
@permission_required_or_403(VIEW)
def submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        PREPARE,
        lambda a, user, v: services.assessment_submit(assessment=a, actor=user, expected_version=v),
        "Evidence submitted for the desktop assessment",
    )


@require_POST
@permission_required_or_403(VIEW)
def start_desktop(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        ASSESS,
        lambda a, user, v: services.desktop_assessment_start(
            assessment=a, actor=user, expected_version=v
        ),
        "Desktop assessment started",
    )


@require_POST
@permission_required_or_403(VIEW)
def start_site_visit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        ASSESS,
        lambda a, user, v: services.site_visit_start(assessment=a, actor=user, expected_version=v),
        "Site visit started",
    )


@require_POST
@permission_required_or_403(VIEW)
def refer(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _step(
        request,
        assessment_id,
        COORDINATE,
        lambda a, user, v: services.assessment_refer_to_panel(
            assessment=a, actor=user, expected_version=v
        ),
        "Referred to the accreditation panel",
    )


# The assessor's findings and report


@permission_required_or_403(VIEW)
def record_method(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access, record = _record_to_change(request, assessment_id, record_id, ASSESS)
    form = MethodJudgementForm(
        request.POST or None,
        version=record.version,
        methods=list(record.requirement.assessment_methods),
    )
    return _form_page(
        request,
        access=access,
        form=form,
        record=record,
        act=lambda: services.method_judgement_record(
            record=record,
            method=form.cleaned_data["method"],
            result=form.cleaned_data["result"],
            evidence_notes=form.cleaned_data["evidence_notes"],
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading=f"Finding by method for {record.requirement.ref}",
        button="Record the finding",
        done="Finding recorded",
        back=_record_url(record),
        intro=record.requirement.text,
    )


@permission_required_or_403(VIEW)
def record_judge(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access, record = _record_to_change(request, assessment_id, record_id, ASSESS)
    form = RecordJudgementForm(
        request.POST or None,
        version=record.version,
        initial={"judgement": record.judgement, "basis": record.judgement_basis},
    )
    return _form_page(
        request,
        access=access,
        form=form,
        record=record,
        act=lambda: services.record_judge(
            record=record,
            judgement=form.cleaned_data["judgement"],
            basis=form.cleaned_data["basis"],
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading=f"Judgement of {record.requirement.ref}",
        button="Record the judgement",
        done=f"Judgement of {record.requirement.ref} recorded",
        back=_record_url(record),
        intro="Met only when every method the standard names for it is done and met.",
    )


@permission_required_or_403(VIEW)
def report_submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    _require(request, access, ASSESS)
    assessment = access.assessment
    existing = getattr(assessment, "assessor_report", None)
    form = ReportForm(
        request.POST or None,
        version=assessment.version,
        initial={"recommendation": existing.recommendation, "summary": existing.summary}
        if existing
        else {},
    )
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: services.assessor_report_submit(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            recommendation=form.cleaned_data["recommendation"],
            summary=form.cleaned_data["summary"],
        ),
        heading="Submit the report for internal verification",
        button="Submit the report",
        done="Report submitted for internal verification",
        back=_detail_url(assessment),
        intro="The report gives, for every indicator, the evidence seen and verified, the "
        "methods used and the judgement with its basis.",
    )


@permission_required_or_403(VIEW)
def report(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The assessor's report as it stands: for the people assessing, verifying and deciding, and
    for the service once it is released."""
    access = _access(request, assessment_id)
    if not access.sees_findings:
        raise PermissionDenied("the report is not released")
    assessment = access.assessment
    audit_event_record(
        actor=request.user, action=AuditEvent.Action.VIEWED, target=assessment, summary="report"
    )
    return render(
        request,
        "assurance/report.html",
        {
            "access": access,
            "assessment": assessment,
            "report": getattr(assessment, "assessor_report", None),
            "records": selectors.record_list_for(access=access),
            "verifications": assessment.verifications.select_related("verified_by"),
            "decisions": assessment.panel_decisions.select_related("decided_by"),
            "met": Judgement.MET,
            "generated_at": timezone.now(),
        },
    )


# Verification and the panel


@permission_required_or_403(VIEW)
def verify(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    _require(request, access, VERIFY)
    assessment = access.assessment
    form = VerificationForm(request.POST or None, version=assessment.version)
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: services.assessor_report_verify(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            outcome=form.cleaned_data["outcome"],
            notes=form.cleaned_data["notes"],
        ),
        heading="Internal verification",
        button="Record the verification",
        done="Verification recorded",
        back=_detail_url(assessment),
        intro="Read the report first. Approve it for the panel, or return it to the assessor "
        "with what to change.",
    )


@permission_required_or_403(VIEW)
def decide(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    _require(request, access, DECIDE)
    assessment = access.assessment
    form = DecisionForm(request.POST or None, version=assessment.version)
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: services.panel_decision_record(
            assessment=assessment,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
            conditions=form.conditions(),
        ),
        heading="The panel's decision",
        button="Record the decision",
        done="Decision recorded: the report is released to the service",
        back=_detail_url(assessment),
        intro="Accreditation needs every applicable indicator met. The panel decides on the "
        "verified report; it cannot change the findings.",
    )


@permission_required_or_403(VIEW)
def condition_meet(request: HttpRequest, assessment_id: int, action_id: int) -> HttpResponse:
    access = _access(request, assessment_id)
    _require(request, access, PREPARE)
    assessment = access.assessment
    condition = selectors.open_conditions_of(assessment=assessment).filter(pk=action_id).first()
    if condition is None:
        raise PermissionDenied("no such open condition")
    form = ConditionMetForm(request.POST or None, version=condition.version)
    return _form_page(
        request,
        access=access,
        form=form,
        act=lambda: services.deferral_condition_meet(
            condition=condition,
            actor=_actor(request),
            expected_version=form.cleaned_data["expected_version"],
            evidence=form.cleaned_data["evidence"],
        ),
        heading="Meet a condition of the deferral",
        button="Record that it is met",
        done="Condition met: when every condition is met the assessment returns to the panel",
        back=_detail_url(assessment),
        intro=condition.description,
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
