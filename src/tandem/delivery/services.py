"""Writes to programmes, groups, sessions, attendance and the recordings register.

Each checks its refusals (raising `ActionRefused` with the field and the rule), and the
standards' delivery warnings (`gates`): with a warning, the write goes ahead only
with a reason, kept as a `DeliveryException` naming the rules. Recording an absence tells the
perpetrator case, in the same transaction (rule engagement-change).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases.models import EngagementChangeKind, PerpetratorCase
from tandem.cases.services.engagement import engagement_change_record
from tandem.delivery import gates
from tandem.delivery.gates import DeliveryWarning
from tandem.delivery.models import (
    MISSED,
    Attendance,
    AttendanceStatus,
    ConsentStatus,
    DeliveryException,
    DeliverySession,
    Group,
    GroupFormat,
    GroupParticipant,
    Programme,
    ProgrammeKind,
    ProgrammeSession,
    Recording,
    RecordingConsent,
    RecordingMedium,
    RecordingReview,
    SessionType,
)
from tandem.delivery.selectors import current_participants, session_participants
from tandem.lib.calendar import UK_TIME
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.models import Service
from tandem.workforce.selectors import genders_of


class WarningsNeedReason(ActionRefused):
    """The standards warn against going ahead: it may, only with a reason (the field
    `exception_reason`), which is kept with the rules it goes against."""

    def __init__(self, warnings: Sequence[DeliveryWarning]) -> None:
        self.warnings = list(warnings)
        super().__init__(
            "to go ahead against the standards, give a reason: "
            + "; ".join(f"{w.message} (rule {w.rule_id})" for w in self.warnings),
            rule_id=self.warnings[0].rule_id,
            field="exception_reason",
        )

    def as_api_error(self, *, field_names: dict[str, str] | None = None) -> dict[str, object]:
        """The 400 body, with the warnings listed, so that the caller can show them and ask
        for a reason."""
        body = super().as_api_error(field_names=field_names)
        body["warnings"] = [{"rule": w.rule_id, "message": w.message} for w in self.warnings]
        return body


def _go_ahead_or_refuse(
    *,
    warnings: Sequence[DeliveryWarning],
    reason: str,
    service: Service,
    action: str,
    actor: User,
    now: datetime,
    session: DeliverySession | None = None,
    group: Group | None = None,
    programme: Programme | None = None,
) -> DeliveryException | None:
    """With warnings and no reason, refuse (naming them); with a reason, keep the exception."""
    if not warnings:
        return None
    if not reason.strip():
        raise WarningsNeedReason(warnings)
    exception = DeliveryException.objects.create(
        service=service,
        action=action,
        session=session,
        group=group,
        programme=programme,
        rule_ids=sorted({w.rule_id for w in warnings}),
        warnings=[w.message for w in warnings],
        reason=reason.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=exception,
        summary=f"went ahead against rules {', '.join(exception.rule_ids)}: {action}",
        after=model_snapshot(instance=exception),
    )
    return exception


def _refuse_facilitators(*, people: list[User], service: Service, on: date) -> None:
    if not people:
        raise ActionRefused("choose the facilitators", rule_id="facilitators", field="facilitators")
    refusals = gates.facilitator_refusals(people=people, service=service, on=on)
    if refusals:
        raise ActionRefused(
            "; ".join(message for _, message in refusals),
            rule_id=refusals[0][0],
            field="facilitators",
        )


# Programmes


@dataclass(frozen=True)
class PlannedProgrammeSession:
    module: str
    title: str
    planned_minutes: int


@transaction.atomic
def programme_create(
    *,
    service: Service,
    actor: User,
    name: str,
    kind: str,
    planned_contact_hours: int,
    planned_weeks: int,
    for_men_abusive_to_female_partners: bool = True,
    sessions: Sequence[PlannedProgrammeSession] = (),
    exception_reason: str = "",
    now: datetime | None = None,
) -> Programme:
    """A programme with its sessions in sequence. A behaviour-change programme planned below the
    standards' dose goes ahead only with a reason (rule dose)."""
    now = now or timezone.now()
    if not name.strip():
        raise ActionRefused("enter the programme's name", field="name")
    if kind not in ProgrammeKind.values:
        raise ActionRefused("choose the kind of programme", field="kind")
    if Programme.objects.filter(service=service, name=name.strip()).exists():
        raise ActionRefused("the service already has a programme of that name", field="name")
    if planned_contact_hours < 1:
        raise ActionRefused("enter the planned contact hours", field="planned_contact_hours")
    if planned_weeks < 1:
        raise ActionRefused("enter the planned weeks", field="planned_weeks")
    for number, planned in enumerate(sessions, start=1):
        if not planned.module.strip() or not planned.title.strip():
            raise ActionRefused(f"session {number} needs a module and a title", field="sessions")
        if not 1 <= planned.planned_minutes <= 600:
            raise ActionRefused(
                f"session {number}: planned minutes must be between 1 and 600", field="sessions"
            )
    programme = Programme.objects.create(
        service=service,
        name=name.strip(),
        kind=kind,
        planned_contact_hours=planned_contact_hours,
        planned_weeks=planned_weeks,
        for_men_abusive_to_female_partners=for_men_abusive_to_female_partners,
        created_by=actor,
        created_at=now,
    )
    ProgrammeSession.objects.bulk_create(
        ProgrammeSession(
            programme=programme,
            sequence=number,
            module=planned.module.strip(),
            title=planned.title.strip(),
            planned_minutes=planned.planned_minutes,
        )
        for number, planned in enumerate(sessions, start=1)
    )
    _go_ahead_or_refuse(
        warnings=gates.programme_dose_warnings(
            kind=kind, planned_contact_hours=planned_contact_hours, planned_weeks=planned_weeks
        ),
        reason=exception_reason,
        service=service,
        action=f"programme {programme.name} planned",
        actor=actor,
        now=now,
        programme=programme,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=programme,
        summary=f"programme {programme.name}",
        after=model_snapshot(instance=programme),
    )
    return programme


# Groups


@transaction.atomic
def group_create(
    *,
    programme: Programme,
    actor: User,
    name: str,
    format: str,
    starts_on: date,
    facilitators: list[User],
    now: datetime | None = None,
) -> Group:
    """A group running a programme, with facilitators who are the service's perpetrator-side
    staff with a current criminal record check (rules not-same-staff, dbs)."""
    now = now or timezone.now()
    service = programme.service
    if not name.strip():
        raise ActionRefused("enter the group's name", field="name")
    if Group.objects.filter(service=service, name=name.strip()).exists():
        raise ActionRefused("the service already has a group of that name", field="name")
    if format not in GroupFormat.values:
        raise ActionRefused("choose rolling or closed", field="format")
    _refuse_facilitators(people=facilitators, service=service, on=max(starts_on, now.date()))
    group = Group.objects.create(
        service=service, programme=programme, name=name.strip(), format=format, starts_on=starts_on
    )
    group.facilitators.set(facilitators)
    audit_event_record(
        actor=actor,
        action="created",
        target=group,
        summary=f"group {group.name}",
        after=model_snapshot(
            instance=group, fields=["name", "format", "starts_on", "facilitators"]
        ),
    )
    return group


def _lock_group(*, group: Group, expected_version: int) -> Group:
    current = (
        Group.objects.select_for_update(of=("self",))
        .select_related("service", "programme")
        .get(pk=group.pk)
    )
    if current.version != expected_version:
        raise StaleRecord(f"group {current.name}")
    return current


@transaction.atomic
def group_participant_add(
    *,
    group: Group,
    actor: User,
    expected_version: int,
    case: PerpetratorCase,
    joined_on: date,
    exception_reason: str = "",
    now: datetime | None = None,
) -> GroupParticipant:
    """He joins the group: only a case of its service in the intervention (rule
    iss-before-start). A place beyond 12 goes ahead only with a reason (rule group-size)."""
    now = now or timezone.now()
    group = _lock_group(group=group, expected_version=expected_version)
    refusal = gates.participant_refusal(case=case, service=group.service)
    if refusal:
        raise ActionRefused(refusal, rule_id="iss-before-start", field="case")
    if group.participants.filter(case=case).exists():
        raise ActionRefused(f"{case.reference} is already in the group", field="case")
    if joined_on < group.starts_on:
        raise ActionRefused("he cannot join before the group starts", field="joined_on")
    place = GroupParticipant.objects.create(
        group=group, case=case, joined_on=joined_on, added_by=actor
    )
    size = current_participants(group=group, on=joined_on).count()
    warning = (
        gates.group_size_warning(participants=size, what="the group would have")
        if size > gates.GROUP_SIZE_MAX
        else None
    )
    _go_ahead_or_refuse(
        warnings=[warning] if warning else [],
        reason=exception_reason,
        service=group.service,
        action=f"{case.reference} joined {group.name}",
        actor=actor,
        now=now,
        group=group,
    )
    group.version = F("version") + 1
    group.save(update_fields=["version"])
    audit_event_record(
        actor=actor,
        action="created",
        target=place,
        summary=f"{case.reference} joined group {group.name}",
        after=model_snapshot(instance=place),
    )
    return place


@transaction.atomic
def group_participant_leave(
    *,
    participant: GroupParticipant,
    actor: User,
    left_on: date,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> GroupParticipant:
    """He leaves the group (completed, suspended or removed, or dropped out): `left_on` is his
    last day in it. Sessions held after it are not his, and the group's size on later days does
    not count him (rule group-size); his attendance and dose so far stay on the register.
    `expected_version` is the group's version as read."""
    now = now or timezone.now()
    group = participant.group
    if expected_version is not None:
        group = _lock_group(group=group, expected_version=expected_version)
    else:
        group = Group.objects.select_for_update().get(pk=group.pk)
    place = (
        GroupParticipant.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=participant.pk, group=group)
    )
    if place.left_on is not None:
        raise ActionRefused(
            f"{place.case.reference} already left the group on {place.left_on:%d %b %Y}",
            field="left_on",
        )
    if left_on < place.joined_on:
        raise ActionRefused(
            f"he cannot leave before he joined on {place.joined_on:%d %b %Y}", field="left_on"
        )
    if left_on > now.astimezone(UK_TIME).date():
        raise ActionRefused("the date he left cannot be in the future", field="left_on")
    later = (
        Attendance.objects.filter(
            case=place.case, session__group=group, session__held_on__gt=left_on
        )
        .order_by("-session__held_on")
        .values_list("session__held_on", flat=True)
        .first()
    )
    if later is not None:
        raise ActionRefused(
            f"his attendance is recorded at the session on {later:%d %b %Y}: he left on or "
            "after it",
            field="left_on",
        )
    if not reason.strip():
        raise ActionRefused("enter why he left the group", field="reason")
    before = model_snapshot(instance=place, fields=["left_on", "leaving_reason"])
    place.left_on = left_on
    place.leaving_reason = reason.strip()
    place.save(update_fields=["left_on", "leaving_reason"])
    group.version = F("version") + 1
    group.save(update_fields=["version"])
    audit_event_record(
        actor=actor,
        action="changed",
        target=place,
        summary=f"{place.case.reference} left group {group.name} on {left_on:%d %b %Y}",
        before=before,
        after=model_snapshot(instance=place, fields=["left_on", "leaving_reason"]),
    )
    return place


# Sessions

ONE_MAN_TYPES = frozenset(SessionType.values) - {SessionType.GROUP}


def session_planning_warnings(
    *,
    group: Group,
    held_on: date,
    facilitators: list[User],
    planning_minutes: int,
    debrief_minutes: int,
    exclude_session_id: int | None = None,
) -> list[DeliveryWarning]:
    """Every delivery warning for a group session: rules group-size, facilitators and
    facilitator-load."""
    warnings: list[DeliveryWarning | None] = [
        gates.group_size_warning(
            participants=current_participants(group=group, on=held_on).count()
        ),
    ]
    genders = genders_of(users=facilitators, service=group.service)
    warnings.append(
        gates.facilitators_warning(
            genders=[genders.get(person.pk) for person in facilitators],
            mix_applies=group.programme.for_men_abusive_to_female_partners,
        )
    )
    warnings.extend(
        gates.facilitator_load_warnings(
            facilitators=facilitators, held_on=held_on, exclude_session_id=exclude_session_id
        )
    )
    warnings.append(
        gates.planning_and_debrief_warning(
            planning_minutes=planning_minutes, debrief_minutes=debrief_minutes
        )
    )
    return [w for w in warnings if w is not None]


@transaction.atomic
def delivery_session_plan(
    *,
    service: Service,
    actor: User,
    session_type: str,
    held_on: date,
    starts_at: time,
    ends_at: time,
    facilitators: list[User],
    planning_minutes: int,
    debrief_minutes: int,
    group: Group | None = None,
    case: PerpetratorCase | None = None,
    programme_session: ProgrammeSession | None = None,
    notes: str = "",
    exception_reason: str = "",
    now: datetime | None = None,
) -> DeliverySession:
    """Plan (or record) a session of a group, or with one man (one-to-one and ICM work). A group
    session against rules group-size, facilitators or facilitator-load goes ahead only with a
    reason."""
    now = now or timezone.now()
    if session_type not in SessionType.values:
        raise ActionRefused("choose the type of session", field="session_type")
    if session_type == SessionType.GROUP:
        if group is None or group.service_id != service.pk:
            raise ActionRefused("choose one of the service's groups", field="group")
        case = None
        if programme_session is not None and programme_session.programme_id != group.programme_id:
            raise ActionRefused(
                "choose a session of the group's programme", field="programme_session"
            )
    else:
        if case is None:
            raise ActionRefused("choose whose session it is", field="case")
        refusal = gates.participant_refusal(case=case, service=service)
        if refusal:
            raise ActionRefused(refusal, rule_id="iss-before-start", field="case")
        group = None
        if programme_session is not None and programme_session.programme.service_id != service.pk:
            raise ActionRefused(
                "choose a session of the service's programmes", field="programme_session"
            )
    if ends_at <= starts_at:
        raise ActionRefused("the session must end after it starts", field="ends_at")
    _refuse_facilitators(people=facilitators, service=service, on=held_on)
    warnings = (
        session_planning_warnings(
            group=group,
            held_on=held_on,
            facilitators=facilitators,
            planning_minutes=planning_minutes,
            debrief_minutes=debrief_minutes,
        )
        if group is not None
        else []
    )
    session = DeliverySession.objects.create(
        service=service,
        session_type=session_type,
        group=group,
        case=case,
        programme_session=programme_session,
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        planning_minutes=planning_minutes,
        debrief_minutes=debrief_minutes,
        notes=notes.strip(),
        planned_by=actor,
        planned_at=now,
    )
    session.facilitators.set(facilitators)
    _go_ahead_or_refuse(
        warnings=warnings,
        reason=exception_reason,
        service=service,
        action=f"session planned: {session}",
        actor=actor,
        now=now,
        session=session,
        group=group,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=session,
        summary=f"session planned: {session}",
        after=model_snapshot(instance=session, fields=None),
    )
    return session


@dataclass(frozen=True)
class AttendanceEntry:
    case_id: int
    status: str
    minutes_attended: int | None = None


def _lock_session(*, session: DeliverySession, expected_version: int) -> DeliverySession:
    current = (
        DeliverySession.objects.select_for_update(of=("self",))
        .select_related("service", "group__programme", "case")
        .get(pk=session.pk)
    )
    if current.version != expected_version:
        raise StaleRecord(f"the session on {current.held_on:%d %b %Y}")
    return current


def _minutes(entry: AttendanceEntry, *, duration: int) -> int:
    field = f"minutes_{entry.case_id}"
    if entry.status == AttendanceStatus.ATTENDED:
        minutes = duration if entry.minutes_attended is None else entry.minutes_attended
    elif entry.status in (
        AttendanceStatus.ABSENT_WITH_NOTICE,
        AttendanceStatus.ABSENT_WITHOUT_NOTICE,
    ):
        minutes = entry.minutes_attended or 0
        if minutes:
            raise ActionRefused("an absent man attended no minutes", field=field, rule_id="dose")
    else:
        if entry.minutes_attended is None:
            raise ActionRefused("enter the minutes he attended", field=field, rule_id="dose")
        minutes = entry.minutes_attended
    if not 0 <= minutes <= duration:
        raise ActionRefused(
            f"minutes attended must be between 0 and the session's {duration}",
            field=field,
            rule_id="dose",
        )
    return minutes


@transaction.atomic
def attendance_record(
    *,
    session: DeliverySession,
    actor: User,
    expected_version: int,
    entries: Sequence[AttendanceEntry],
    exception_reason: str = "",
    now: datetime | None = None,
) -> list[Attendance]:
    """Each participant's attendance, all at once. An absence (with or without notice) or an
    exclusion is a missed session for his case (rule engagement-change): telling the ISS within
    24 hours and each survivor within 3 working days becomes due, once per absence. A group
    session with fewer than 6 or more than 12 present is recorded only with a reason (rule
    group-size)."""
    now = now or timezone.now()
    session = _lock_session(session=session, expected_version=expected_version)
    started = datetime.combine(session.held_on, session.starts_at, tzinfo=UK_TIME)
    if started > now:
        raise ActionRefused("attendance is recorded once the session has started", field="held_on")
    participants = {case.pk: case for case in session_participants(session=session)}
    by_case: dict[int, AttendanceEntry] = {}
    for entry in entries:
        if entry.case_id not in participants:
            raise ActionRefused(
                "only the session's participants have attendance", field="attendance"
            )
        if entry.case_id in by_case:
            raise ActionRefused("each participant once", field=f"status_{entry.case_id}")
        by_case[entry.case_id] = entry
    for case_id, case in participants.items():
        marked = by_case.get(case_id)
        if marked is None or marked.status not in AttendanceStatus.values:
            raise ActionRefused(f"record {case.reference}'s attendance", field=f"status_{case_id}")
    duration = session.duration_minutes
    minutes = {case_id: _minutes(entry, duration=duration) for case_id, entry in by_case.items()}
    if session.group_id is not None:
        present = sum(
            1
            for entry in by_case.values()
            if entry.status in (AttendanceStatus.ATTENDED, AttendanceStatus.LATE)
        )
        warning = gates.group_size_warning(participants=present, what="present:")
        _go_ahead_or_refuse(
            warnings=[warning] if warning else [],
            reason=exception_reason,
            service=session.service,
            action=f"attendance recorded: {session}",
            actor=actor,
            now=now,
            session=session,
            group=session.group,
        )
    existing = {record.case_id: record for record in session.attendances.all()}
    records = []
    for case_id, entry in by_case.items():
        record = existing.get(case_id) or Attendance(session=session, case_id=case_id)
        record.status = entry.status
        record.minutes_attended = minutes[case_id]
        record.recorded_by = actor
        record.recorded_at = now
        if entry.status in MISSED and record.engagement_change_id is None:
            case = participants[case_id]
            try:
                record.engagement_change = engagement_change_record(
                    case=case,
                    actor=actor,
                    expected_version=case.version,
                    change=EngagementChangeKind.MISSED_SESSION,
                    detail=(
                        f"{AttendanceStatus(entry.status).label} at "
                        f"{session.group or session.get_session_type_display()} on "
                        f"{session.held_on:%d %b %Y}"
                    ),
                    now=now,
                )
            except ActionRefused as refused:
                raise ActionRefused(
                    f"{case.reference}: {refused.message}",
                    rule_id=refused.rule_id,
                    field=f"status_{case_id}",
                ) from refused
        record.save()
        records.append(record)
    session.attendance_recorded_at = now
    session.version = F("version") + 1
    session.save(update_fields=["attendance_recorded_at", "version"])
    audit_event_record(
        actor=actor,
        action="changed",
        target=session,
        summary=f"attendance recorded: {session}",
        after={str(case_id): entry.status for case_id, entry in by_case.items()},
    )
    return records


# Recordings (rule recording)

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def recording_medium_required(*, session: DeliverySession) -> RecordingMedium:
    """Rule recording (R22-S B6.4, R08 B1.5): group sessions are video recorded, individual
    sessions audio recorded."""
    if session.session_type == SessionType.GROUP:
        return RecordingMedium.VIDEO
    return RecordingMedium.AUDIO


@transaction.atomic
def recording_register(
    *,
    session: DeliverySession,
    actor: User,
    medium: str,
    storage_location: str,
    checksum_sha256: str,
    retain_until: date,
    now: datetime | None = None,
) -> Recording:
    """Register a session's recording kept in the service's own storage: where it is, its
    checksum, until when it is kept, and each participant's consent as on his case (rule
    consent)."""
    now = now or timezone.now()
    if session.held_on > now.astimezone(UK_TIME).date():
        raise ActionRefused("a session is recorded once it has been held", field="session")
    if Recording.objects.filter(session=session).exists():
        raise ActionRefused("the session's recording is already registered", field="session")
    required = recording_medium_required(session=session)
    if medium != required:
        raise ActionRefused(
            f"{session.get_session_type_display().lower()}s are recorded on "
            f"{required.label.lower()}",
            rule_id="recording",
            field="medium",
        )
    if not storage_location.strip():
        raise ActionRefused(
            "enter where the recording is kept in the service's storage", field="storage_location"
        )
    checksum = checksum_sha256.strip().lower()
    if not SHA256.match(checksum):
        raise ActionRefused(
            "enter the file's SHA-256 checksum: 64 hexadecimal characters",
            field="checksum_sha256",
        )
    if retain_until <= session.held_on:
        raise ActionRefused(
            "the recording is kept until a date after the session", field="retain_until"
        )
    recording = Recording.objects.create(
        session=session,
        medium=medium,
        storage_location=storage_location.strip(),
        checksum_sha256=checksum,
        retain_until=retain_until,
        registered_by=actor,
        registered_at=now,
    )
    RecordingConsent.objects.bulk_create(
        RecordingConsent(
            recording=recording,
            case=case,
            status=(
                ConsentStatus.GIVEN
                if case.consent_covers_recorded_sessions
                else ConsentStatus.NOT_GIVEN
            ),
        )
        for case in session_participants(session=session)
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=recording,
        summary=f"recording registered: {session}",
        after=model_snapshot(instance=recording),
    )
    return recording


@transaction.atomic
def recording_review_record(
    *,
    recording: Recording,
    actor: User,
    reviewed_on: date,
    observations: str,
    feedback: str,
    now: datetime | None = None,
) -> RecordingReview:
    """Rule recording (R22-S B6.4, R08 B1.5): the practice manager reviews a sample of
    recordings (about one in five group sessions) and feeds back to the facilitators."""
    now = now or timezone.now()
    if RecordingReview.objects.filter(recording=recording).exists():
        raise ActionRefused("this recording has already been reviewed", field="recording")
    if reviewed_on > now.astimezone(UK_TIME).date():
        raise ActionRefused("the review date cannot be in the future", field="reviewed_on")
    if reviewed_on < recording.session.held_on:
        raise ActionRefused("the review cannot be before the session", field="reviewed_on")
    if not observations.strip():
        raise ActionRefused("enter the observations", rule_id="recording", field="observations")
    if not feedback.strip():
        raise ActionRefused(
            "enter the feedback given to the facilitators", rule_id="recording", field="feedback"
        )
    review = RecordingReview.objects.create(
        recording=recording,
        reviewer=actor,
        reviewed_on=reviewed_on,
        observations=observations.strip(),
        feedback=feedback.strip(),
        recorded_at=now,
    )
    Recording.objects.filter(pk=recording.pk).update(selected_for_review=True)
    audit_event_record(
        actor=actor,
        action="created",
        target=review,
        summary=f"recording reviewed: {recording.session}",
        after=model_snapshot(instance=review),
    )
    return review
