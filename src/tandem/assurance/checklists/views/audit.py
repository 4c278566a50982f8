"""Pages of the 2008 risk management and safeguarding audit: opening one, the link person, the
assessors, the visit's schedule and its agreement, the visit, each indicator's judgement, the
report and the outcome."""

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.assurance.checklists import selectors
from tandem.assurance.checklists.forms import (
    AuditAssessorForm,
    AuditJudgementForm,
    AuditOpenForm,
    AuditReportForm,
    DueDateForm,
    PersonForm,
    ScheduleForm,
)
from tandem.assurance.checklists.rules import (
    AGREE_AUDIT_SCHEDULE,
    AUDIT,
    LEAD_AUDIT,
    NAME_LINK_PERSON,
    VIEW_CHECKLISTS,
)
from tandem.assurance.checklists.services.audit import (
    audit_indicator_judge,
    audit_link_person_name,
    audit_outcome_record,
    audit_report_submit,
    audit_schedule_agree,
    audit_schedule_set,
    audit_visit_record,
    safeguarding_audit_open,
)
from tandem.assurance.checklists.views.pages import (
    checklist_access,
    checklist_detail_url,
    confirm_page,
    on_checklist,
    viewed,
)
from tandem.assurance.gates import PART_ROLES
from tandem.assurance.labels import record_label
from tandem.assurance.models import Assessment, Part, Process, State
from tandem.assurance.rules import COORDINATE
from tandem.assurance.services import participant_add
from tandem.organisations.models import Service
from tandem.web import acting_user, form_page


@permission_required_or_403(COORDINATE)
def audit_new(request: HttpRequest) -> HttpResponse:
    form = AuditOpenForm(
        request.POST or None, services=Service.objects.select_related("organisation")
    )

    def act() -> Assessment:
        return safeguarding_audit_open(
            service=form.cleaned_data["service"],
            actor=acting_user(request),
            runs_iss=form.cleaned_data["runs_iss"] == "yes",
        )

    return form_page(
        request,
        form=form,
        act=act,
        done="Audit opened",
        success_url=checklist_detail_url,
        back=reverse("assurance:checklists:index"),
        heading="Open a risk management and safeguarding audit",
        button="Open the audit",
        intro="A service holding current Respect accreditation is recorded as exempt; a provider "
        "without an ISS fails automatically.",
        **on_checklist(),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def audit_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SAFEGUARDING_AUDIT_2008)
    assessment = access.assessment
    user = request.user
    state = State(assessment.state)
    viewed(request, assessment)
    return render(
        request,
        "assurance/checklists/audit_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "summary": selectors.safeguarding_audit_summary(assessment=assessment),
            "awaited": selectors.declarations_awaited(user=user).filter(assessment=assessment),
            "can_name_link_person": user.has_perm(NAME_LINK_PERSON, assessment)
            and not access.read_only,
            "can_allocate": user.has_perm(COORDINATE) and state == State.DRAFT,
            "can_schedule": user.has_perm(LEAD_AUDIT, assessment) and state == State.DRAFT,
            "can_agree": user.has_perm(AGREE_AUDIT_SCHEDULE, assessment) and state == State.DRAFT,
            "can_record_visit": user.has_perm(LEAD_AUDIT, assessment) and state == State.SCHEDULED,
            "can_judge": user.has_perm(AUDIT, assessment) and state == State.VISITED,
            "can_report": user.has_perm(LEAD_AUDIT, assessment) and state == State.VISITED,
            "can_record_outcome": user.has_perm(COORDINATE) and state == State.REPORTED,
        },
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def audit_link_person(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SAFEGUARDING_AUDIT_2008)
    require_permission(request.user, NAME_LINK_PERSON, access.assessment)
    assessment = access.assessment
    people = (
        selectors.staff_of(service=assessment.service)
        .filter(groups__name__in=[role.value for role in PART_ROLES[Part.LINK_PERSON]])
        .distinct()
    )
    form = PersonForm(request.POST or None, people=people, label="Who is the link person?")
    return form_page(
        request,
        form=form,
        act=lambda: audit_link_person_name(
            assessment=assessment, user=form.cleaned_data["user"], actor=acting_user(request)
        ),
        done="Link person named",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading="Name the audit's link person",
        button="Name the link person",
        intro="R08: the organisation appoints a named link person for the audit.",
        **on_checklist(assessment=assessment),
    )


@permission_required_or_403(COORDINATE)
def audit_assessors(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SAFEGUARDING_AUDIT_2008)
    assessment = access.assessment
    roles = PART_ROLES[Part.SECOND_ASSESSOR] | PART_ROLES[Part.LEAD_ASSESSOR]
    people = (
        User.objects.filter(groups__name__in=[role.value for role in roles], is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    form = AuditAssessorForm(request.POST or None, people=people)
    return form_page(
        request,
        form=form,
        act=lambda: participant_add(
            assessment=assessment,
            user=form.cleaned_data["user"],
            part=Part(form.cleaned_data["part"]),
            actor=acting_user(request),
        ),
        done="Assessor allocated: they declare any conflict of interest before they see it",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading="Allocate an assessor",
        button="Allocate",
        intro="The visit needs two assessors: a lead assessor and a second assessor.",
        **on_checklist(assessment=assessment),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def audit_schedule(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SAFEGUARDING_AUDIT_2008)
    require_permission(request.user, LEAD_AUDIT, access.assessment)
    assessment = access.assessment
    form = ScheduleForm(request.POST or None, version=assessment.version)
    return form_page(
        request,
        form=form,
        act=lambda: audit_schedule_set(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            visit_on=form.cleaned_data["visit_on"],
            items=form.items(),
        ),
        done="Schedule proposed: the link person agrees it",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading="Schedule the site visit",
        button="Propose the schedule",
        intro="One day, with at least one case file review, staff interview and group "
        "recording. Leave unused rows empty.",
        **on_checklist(assessment=assessment),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def audit_agree(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SAFEGUARDING_AUDIT_2008)
    require_permission(request.user, AGREE_AUDIT_SCHEDULE, access.assessment)
    assessment = access.assessment
    return confirm_page(
        request,
        assessment=assessment,
        act=lambda form: audit_schedule_agree(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading="Agree the visit's schedule",
        button="Agree the schedule",
        done="Schedule agreed",
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def audit_visited(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SAFEGUARDING_AUDIT_2008)
    require_permission(request.user, LEAD_AUDIT, access.assessment)
    assessment = access.assessment
    return confirm_page(
        request,
        assessment=assessment,
        act=lambda form: audit_visit_record(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        heading="Record the site visit as done",
        button="Record the visit",
        done="Visit recorded: judge each evidence indicator",
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def audit_judge(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SAFEGUARDING_AUDIT_2008)
    require_permission(request.user, AUDIT, access.assessment)
    record = selectors.checklist_record_get(access=access, record_id=record_id)
    form = AuditJudgementForm(
        request.POST or None,
        version=record.version,
        initial={"judgement": record.judgement or None, "basis": record.judgement_basis},
    )
    return form_page(
        request,
        form=form,
        act=lambda: audit_indicator_judge(
            record=record,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            judgement=form.cleaned_data["judgement"],
            basis=form.cleaned_data["basis"],
        ),
        done=f"{record_label(record)} judged",
        success_url=checklist_detail_url(access.assessment),
        back=checklist_detail_url(access.assessment),
        heading=f"Judge {record_label(record)}",
        button="Save the judgement",
        intro=record.requirement.text,
        **on_checklist(assessment=access.assessment, record=record),
    )


@permission_required_or_403(VIEW_CHECKLISTS)
def audit_report(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SAFEGUARDING_AUDIT_2008)
    require_permission(request.user, LEAD_AUDIT, access.assessment)
    assessment = access.assessment
    form = AuditReportForm(request.POST or None, version=assessment.version)
    return form_page(
        request,
        form=form,
        act=lambda: audit_report_submit(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            summary=form.cleaned_data["summary"],
        ),
        done="Report written: the findings are released to the service",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading="Write the audit report",
        button="Submit the report",
        **on_checklist(assessment=assessment),
    )


@permission_required_or_403(COORDINATE)
def audit_outcome(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = checklist_access(request, assessment_id, Process.SAFEGUARDING_AUDIT_2008)
    assessment = access.assessment
    form = DueDateForm(request.POST or None, version=assessment.version)
    return form_page(
        request,
        form=form,
        act=lambda: audit_outcome_record(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            actions_due_on=form.cleaned_data["actions_due_on"],
        ),
        done="Outcome recorded",
        success_url=checklist_detail_url(assessment),
        back=checklist_detail_url(assessment),
        heading="Record the audit's outcome",
        button="Record the outcome",
        intro="The audit passes when every evidence indicator is met and the provider has an "
        "ISS; otherwise it fails, and each indicator not met becomes an action for the "
        "service's link person.",
        **on_checklist(assessment=assessment),
    )
