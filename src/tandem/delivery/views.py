"""Pages for programmes, groups, sessions, attendance, recordings and the exceptions kept.

Which records someone can open is the selectors' decision (404 outside their services); what
they may do is the permission rules' (403); whether the standards allow or warn is the
services' (a refusal or warnings naming the rule, shown on the form).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.delivery import selectors, services
from tandem.delivery.forms import (
    AttendanceForm,
    GroupForm,
    LeaveForm,
    OneToOneSessionForm,
    ParticipantForm,
    ProgrammeForm,
    RecordingForm,
    ReviewForm,
    SessionForm,
)
from tandem.delivery.gates import (
    DOSE_2008_HOURS,
    DOSE_NE_HOURS,
    DOSE_NE_WEEKS,
)
from tandem.delivery.models import (
    AttendanceStatus,
    DeliverySession,
    Group,
    SessionType,
)
from tandem.delivery.rules import (
    MANAGE_PROGRAMMES,
    RECORD_DELIVERY,
    REVIEW_RECORDINGS,
    VIEW_DELIVERY,
)
from tandem.web import acting_user, form_action_succeeded, form_page, posted

# The delivery pages' own form page: the standards' warnings above the form, facilitators as
# checkboxes.
FORM_TEMPLATE = "delivery/form.html"
RECENT_SESSIONS = 25
DOSE_CONTEXT = {
    "dose_ne_hours": DOSE_NE_HOURS,
    "dose_ne_weeks": DOSE_NE_WEEKS,
    "dose_2008_hours": DOSE_2008_HOURS,
}


def _session_page(session: DeliverySession) -> str:
    return reverse("delivery:session_detail", args=[session.pk])


@permission_required_or_403(VIEW_DELIVERY)
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    services = list(selectors.delivery_services_for_user(user=user))
    return render(
        request,
        "delivery/index.html",
        {
            "services": [
                (
                    service,
                    user.has_perm(MANAGE_PROGRAMMES, service),
                    user.has_perm(RECORD_DELIVERY, service),
                )
                for service in services
            ],
            "programmes": selectors.programme_list_for_user(user=user).order_by("service", "name"),
            "groups": selectors.group_list_for_user(user=user).order_by("service", "name"),
            "one_man_sessions": selectors.session_list_for_user(user=user).exclude(
                session_type=SessionType.GROUP
            )[:RECENT_SESSIONS],
        },
    )


@permission_required_or_403(VIEW_DELIVERY)
def programme_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    require_permission(request.user, MANAGE_PROGRAMMES, service)
    form = ProgrammeForm(posted(request))
    return form_page(
        request,
        form=form,
        act=lambda: services.programme_create(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="Programme added",
        success_url=reverse("delivery:index"),
        template=FORM_TEMPLATE,
        heading="Add a programme",
        caption=service.name,
        button="Add",
    )


@permission_required_or_403(VIEW_DELIVERY)
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(user=request.user, programme_id=programme_id)
    return render(
        request,
        "delivery/programme_detail.html",
        {
            "programme": programme,
            "sessions": programme.sessions.all(),
            "groups": selectors.group_list_for_user(user=request.user).filter(programme=programme),
            "can_manage": request.user.has_perm(MANAGE_PROGRAMMES, programme.service),
            **DOSE_CONTEXT,
        },
    )


@permission_required_or_403(VIEW_DELIVERY)
def group_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(user=request.user, programme_id=programme_id)
    require_permission(request.user, MANAGE_PROGRAMMES, programme.service)
    form = GroupForm(
        posted(request),
        staff=selectors.perpetrator_side_staff_of(
            service=programme.service, on=timezone.localdate()
        ),
    )
    return form_page(
        request,
        form=form,
        act=lambda: services.group_create(
            programme=programme,
            actor=acting_user(request),
            name=form.cleaned_data["name"],
            format=form.cleaned_data["format"],
            starts_on=form.cleaned_data["starts_on"],
            facilitators=list(form.cleaned_data["facilitators"]),
        ),
        done="Group added",
        success_url=reverse("delivery:programme_detail", args=[programme.pk]),
        template=FORM_TEMPLATE,
        heading="Add a group",
        caption=programme.name,
        button="Add",
    )


@permission_required_or_403(VIEW_DELIVERY)
def group_register(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group register: participants by sessions, and each man's dose (rule dose)."""
    group = selectors.group_get_for_user(user=request.user, group_id=group_id)
    audit_event_record(
        actor=request.user, action=AuditEvent.Action.VIEWED, target=group, summary="group register"
    )
    sessions, rows = selectors.group_register(group=group)
    return render(
        request,
        "delivery/group_register.html",
        {
            "group": group,
            "sessions": sessions,
            "rows": [row for row in rows if not row.has_left],
            "left_rows": [row for row in rows if row.has_left],
            "can_record": request.user.has_perm(RECORD_DELIVERY, group.service),
            **DOSE_CONTEXT,
        },
    )


def _group_to_change(request: HttpRequest, group_id: int) -> Group:
    group = selectors.group_get_for_user(user=request.user, group_id=group_id)
    require_permission(request.user, RECORD_DELIVERY, group.service)
    return group


@permission_required_or_403(VIEW_DELIVERY)
def participant_new(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group_to_change(request, group_id)
    form = ParticipantForm(
        posted(request),
        version=group.version,
        cases=selectors.cases_to_join_group(group=group),
    )
    return form_page(
        request,
        form=form,
        act=lambda: services.group_participant_add(
            group=group,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            case=form.cleaned_data["case"],
            joined_on=form.cleaned_data["joined_on"],
            exception_reason=form.cleaned_data["exception_reason"],
        ),
        done="He joined the group",
        success_url=reverse("delivery:group_register", args=[group.pk]),
        template=FORM_TEMPLATE,
        heading="Add a man to the group",
        caption=group.name,
        button="Add",
    )


@permission_required_or_403(VIEW_DELIVERY)
def participant_leave(request: HttpRequest, group_id: int, participant_id: int) -> HttpResponse:
    """Record that he left the group: sessions after that day are not his, and he no longer
    counts towards the group's size (rule group-size)."""
    group = _group_to_change(request, group_id)
    place = selectors.group_participant_get(group=group, participant_id=participant_id)
    form = LeaveForm(posted(request), version=group.version)
    return form_page(
        request,
        form=form,
        act=lambda: services.group_participant_leave(
            participant=place,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            left_on=form.cleaned_data["left_on"],
            reason=form.cleaned_data["reason"],
        ),
        done=f"Recorded that {place.case.reference} left the group",
        success_url=reverse("delivery:group_register", args=[group.pk]),
        template=FORM_TEMPLATE,
        heading=f"Record that {place.case.reference} left the group",
        caption=group.name,
        button="Record that he left",
    )


@permission_required_or_403(VIEW_DELIVERY)
def session_new(request: HttpRequest, group_id: int) -> HttpResponse:
    """Plan a group session; the standards' warnings are shown and need a reason to go ahead."""
    group = _group_to_change(request, group_id)
    form = SessionForm(
        posted(request),
        staff=selectors.perpetrator_side_staff_of(service=group.service, on=timezone.localdate()),
        programme_sessions=group.programme.sessions.all(),
        initial={"facilitators": list(group.facilitators.all())},
    )
    return form_page(
        request,
        form=form,
        act=lambda: services.delivery_session_plan(
            service=group.service,
            actor=acting_user(request),
            session_type=SessionType.GROUP,
            group=group,
            programme_session=form.cleaned_data["programme_session"],
            held_on=form.cleaned_data["held_on"],
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            facilitators=list(form.cleaned_data["facilitators"]),
            planning_minutes=form.cleaned_data["planning_minutes"],
            debrief_minutes=form.cleaned_data["debrief_minutes"],
            notes=form.cleaned_data["notes"],
            exception_reason=form.cleaned_data["exception_reason"],
        ),
        done="Session planned",
        success_url=_session_page,
        template="delivery/session_form.html",
        group=group,
    )


@permission_required_or_403(VIEW_DELIVERY)
def one_to_one_session_new(request: HttpRequest, service_id: int) -> HttpResponse:
    """Plan a session with one man: one-to-one work or an ICM contact, disruption activity or
    multi-agency action."""
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    require_permission(request.user, RECORD_DELIVERY, service)
    form = OneToOneSessionForm(
        posted(request),
        staff=selectors.perpetrator_side_staff_of(service=service, on=timezone.localdate()),
        programme_sessions=selectors.one_man_programme_sessions_of(service=service),
        cases=selectors.cases_in_intervention(service=service),
    )
    return form_page(
        request,
        form=form,
        act=lambda: services.delivery_session_plan(
            service=service,
            actor=acting_user(request),
            session_type=form.cleaned_data["session_type"],
            case=form.cleaned_data["case"],
            programme_session=form.cleaned_data["programme_session"],
            held_on=form.cleaned_data["held_on"],
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            facilitators=list(form.cleaned_data["facilitators"]),
            planning_minutes=form.cleaned_data["planning_minutes"],
            debrief_minutes=form.cleaned_data["debrief_minutes"],
            notes=form.cleaned_data["notes"],
        ),
        done="Session planned",
        success_url=_session_page,
        template=FORM_TEMPLATE,
        heading="Plan a one-to-one or ICM session",
        caption=service.name,
        button="Plan the session",
    )


@permission_required_or_403(VIEW_DELIVERY)
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session with its attendance form: an absence or exclusion tells his case (rule
    engagement-change)."""
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    audit_event_record(
        actor=request.user, action=AuditEvent.Action.VIEWED, target=session, summary="session page"
    )
    can_record = request.user.has_perm(RECORD_DELIVERY, session.service)
    if request.method == "POST" and not can_record:
        raise PermissionDenied(RECORD_DELIVERY)
    participants = selectors.session_participants(session=session)
    attendance = list(selectors.attendance_of(session=session))
    form = AttendanceForm(
        posted(request),
        session=session,
        participants=participants,
        recorded={mark.case_id: mark for mark in attendance},
    )
    if form_action_succeeded(
        request,
        form=form,
        act=lambda: services.attendance_record(
            session=session,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            entries=form.entries(),
            exception_reason=form.cleaned_data["exception_reason"],
        ),
        done="Attendance recorded: for each absence, tell the ISS within 24 hours; each survivor "
        "is to be told within 3 working days",
    ):
        return redirect(_session_page(session))
    recording = selectors.recording_of_session(session=session)
    return render(
        request,
        "delivery/session_detail.html",
        {
            "session": session,
            "form": form,
            "attendance": attendance,
            "can_record": can_record,
            "missed": [
                mark
                for mark in attendance
                if mark.status not in (AttendanceStatus.ATTENDED, AttendanceStatus.LATE)
            ],
            "exceptions": session.exceptions.all(),
            "recording": recording,
        },
    )


@permission_required_or_403(VIEW_DELIVERY)
def recording_new(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    require_permission(request.user, RECORD_DELIVERY, session.service)
    form = RecordingForm(
        posted(request),
        initial={"medium": services.recording_medium_required(session=session)},
    )
    return form_page(
        request,
        form=form,
        act=lambda: services.recording_register(
            session=session, actor=acting_user(request), **form.cleaned_data
        ),
        done="Recording registered",
        success_url=reverse("delivery:recordings"),
        template=FORM_TEMPLATE,
        heading="Register the session's recording",
        caption=str(session),
        button="Register",
    )


@permission_required_or_403(VIEW_DELIVERY)
def recordings(request: HttpRequest) -> HttpResponse:
    """Rule recording: the register, and the review sample rate overall and per facilitator."""
    overall, per_facilitator = selectors.review_sample_rates(
        user=request.user, today=timezone.localdate()
    )
    return render(
        request,
        "delivery/recordings.html",
        {
            "recordings": selectors.recordings_for_user(user=request.user),
            "overall": overall,
            "per_facilitator": per_facilitator,
            "review_services": {
                service.pk
                for service in selectors.delivery_services_for_user(user=request.user)
                if request.user.has_perm(REVIEW_RECORDINGS, service)
            },
        },
    )


@permission_required_or_403(VIEW_DELIVERY)
def recording_review(request: HttpRequest, recording_id: int) -> HttpResponse:
    recording = selectors.recording_get_for_user(user=request.user, recording_id=recording_id)
    require_permission(request.user, REVIEW_RECORDINGS, recording.session.service)
    form = ReviewForm(posted(request))
    return form_page(
        request,
        form=form,
        act=lambda: services.recording_review_record(
            recording=recording, actor=acting_user(request), **form.cleaned_data
        ),
        done="Review recorded",
        success_url=reverse("delivery:recordings"),
        template=FORM_TEMPLATE,
        heading="Review a recording",
        caption=str(recording.session),
        button="Record the review",
    )


@permission_required_or_403(VIEW_DELIVERY)
def exceptions(request: HttpRequest) -> HttpResponse:
    """Where the service went ahead against the standards' warnings, with its reasons."""
    return render(
        request,
        "delivery/exceptions.html",
        {"exceptions": selectors.exceptions_for_user(user=request.user)},
    )
