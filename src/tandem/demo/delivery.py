"""Demo delivery records for the demo service: one behaviour-change programme with its first
sessions, one rolling group of up to 8 of the service's men in the intervention, four weekly
past sessions with attendance (one absence, which tells his case: rule engagement-change), and
one recording registered and reviewed (rule recording). Everything is made through the services
with `now=` in the past, and everyone is synthetic.

Call it after the demo service is loaded, e.g. `demo_delivery(service=demo_service_get(),
now=timezone.now())`; it does nothing if the demo programme is already there.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from tandem.access.roles import Role
from tandem.cases.models import PerpetratorCase, Stage
from tandem.delivery.models import Attendance, AttendanceStatus, Group, Programme
from tandem.delivery.selectors import session_participants
from tandem.delivery.services import (
    AttendanceEntry,
    PlannedProgrammeSession,
    attendance_record,
    delivery_session_plan,
    group_create,
    group_participant_add,
    programme_create,
    recording_register,
    recording_review_record,
)
from tandem.demo.workforce import demo_worker_checked
from tandem.lib.calendar import UK_TIME
from tandem.organisations.models import Service, Side
from tandem.workforce.gates import allocation_refusal
from tandem.workforce.models import Worker

PROGRAMME_NAME = "Synthetic Behaviour Change Programme (demo)"
GROUP_NAME = "Synthetic Tuesday Evening Group (demo)"
SESSIONS = 4
GROUP_SIZE = 8
REASON = "Synthetic demo: the rolling group is still filling its places"


@dataclass(frozen=True)
class DemoDeliverySummary:
    already_loaded: bool
    participants: int
    sessions: int
    absences: int


def _facilitators(*, service: Service, on: date) -> list[User]:
    """A perpetrator worker and the practice manager (or the next perpetrator-side person), each
    with a worker record, a gender for the mix and a current criminal record check (rule dbs)."""
    people = list(
        User.objects.filter(
            memberships__service=service,
            memberships__side__in=[Side.PERPETRATOR, Side.BOTH],
            memberships__ended_on__isnull=True,
            groups__name__in=[Role.PERPETRATOR_WORKER, Role.PRACTICE_MANAGER],
        )
        .distinct()
        .order_by("-groups__name", "pk")
    )
    chosen: list[User] = []
    for person in people:
        if person not in chosen:
            chosen.append(person)
    chosen = chosen[:2]
    for person, gender in zip(chosen, ("male", "female"), strict=False):
        if allocation_refusal(user=person, service=service, on=on - timedelta(days=60)):
            demo_worker_checked(
                user=person,
                service=service,
                gender=gender,
                issued_on=on - timedelta(days=400),
                today=on,
            )
        Worker.objects.filter(
            user=person, organisation_id=service.organisation_id, gender=""
        ).update(gender=gender)
    return chosen


def _tuesdays_before(day: date, count: int) -> list[date]:
    last = day - timedelta(days=(day.weekday() - 1) % 7 or 7)
    return [last - timedelta(weeks=weeks) for weeks in reversed(range(count))]


@transaction.atomic
def demo_delivery(*, service: Service, now: datetime) -> DemoDeliverySummary:
    """The demo programme, group, sessions, attendance and a reviewed recording (see above)."""
    existing = Programme.objects.filter(service=service, name=PROGRAMME_NAME).first()
    if existing is not None:
        group = Group.objects.filter(programme=existing).first()
        return DemoDeliverySummary(
            already_loaded=True,
            participants=group.participants.count() if group else 0,
            sessions=group.sessions.count() if group else 0,
            absences=Attendance.objects.filter(
                session__group=group, engagement_change__isnull=False
            ).count(),
        )
    today = now.astimezone(UK_TIME).date()
    days = _tuesdays_before(today, SESSIONS)
    facilitators = _facilitators(service=service, on=days[0])
    manager = next(
        (p for p in facilitators if p.groups.filter(name=Role.PRACTICE_MANAGER).exists()),
        facilitators[-1],
    )
    start = datetime.combine(days[0] - timedelta(days=28), time(9), tzinfo=UK_TIME)
    programme = programme_create(
        service=service,
        actor=manager,
        name=PROGRAMME_NAME,
        kind="behaviour_change",
        planned_contact_hours=78,
        planned_weeks=30,
        sessions=[
            PlannedProgrammeSession(
                "Module 1: Respectful relationships", "Welcome and agreements", 150
            ),
            PlannedProgrammeSession("Module 1: Respectful relationships", "Noticing abuse", 150),
            PlannedProgrammeSession("Module 2: Effects on partners and children", "Impact", 150),
            PlannedProgrammeSession("Module 2: Effects on partners and children", "Children", 150),
        ],
        now=start,
    )
    group = group_create(
        programme=programme,
        actor=manager,
        name=GROUP_NAME,
        format="rolling",
        starts_on=start.date(),
        facilitators=facilitators,
        now=start,
    )
    men = PerpetratorCase.objects.filter(service=service, stage=Stage.IN_INTERVENTION).order_by(
        "intervention_started_at", "pk"
    )[:GROUP_SIZE]
    for case in men:
        started = case.intervention_started_at
        joined_on = start.date()
        if started is not None:
            joined_on = max(joined_on, started.astimezone(UK_TIME).date())
        group.refresh_from_db()
        group_participant_add(
            group=group,
            actor=manager,
            expected_version=group.version,
            case=case,
            joined_on=min(joined_on, today),
            exception_reason=REASON,
            now=start,
        )
    sessions = []
    planned = list(programme.sessions.all())
    for number, day in enumerate(days):
        planned_at = datetime.combine(day - timedelta(days=7), time(10), tzinfo=UK_TIME)
        sessions.append(
            delivery_session_plan(
                service=service,
                actor=manager,
                session_type="group",
                group=group,
                programme_session=planned[number % len(planned)],
                held_on=day,
                starts_at=time(18),
                ends_at=time(20, 30),
                facilitators=facilitators,
                planning_minutes=30,
                debrief_minutes=30,
                notes="Synthetic demo session",
                exception_reason=REASON,
                now=planned_at,
            )
        )
    absences = 0
    for number, session in enumerate(sessions):
        participants = session_participants(session=session)
        entries = [AttendanceEntry(case.pk, AttendanceStatus.ATTENDED) for case in participants]
        if number == len(sessions) - 1 and entries:
            entries[-1] = AttendanceEntry(
                entries[-1].case_id, AttendanceStatus.ABSENT_WITHOUT_NOTICE
            )
            absences = 1
        if not entries:
            continue
        session.refresh_from_db()
        attendance_record(
            session=session,
            actor=facilitators[0],
            expected_version=session.version,
            entries=entries,
            exception_reason=REASON,
            now=datetime.combine(session.held_on, time(21), tzinfo=UK_TIME),
        )
    recorded = sessions[-2] if len(sessions) > 1 else sessions[0]
    registered_at = datetime.combine(recorded.held_on, time(21, 30), tzinfo=UK_TIME)
    recording = recording_register(
        session=recorded,
        actor=facilitators[0],
        medium="video",
        storage_location=f"synthetic://demo-service-share/groups/{recorded.held_on:%Y-%m-%d}.mp4",
        checksum_sha256="5d41402abc4b2a76b9719d911017c592" * 2,
        retain_until=recorded.held_on + timedelta(days=365),
        now=registered_at,
    )
    recording_review_record(
        recording=recording,
        actor=manager,
        reviewed_on=recorded.held_on + timedelta(days=2),
        observations="Synthetic: facilitators challenged minimising language consistently.",
        feedback="Synthetic: give quieter members more space in the check-in round.",
        now=registered_at + timedelta(days=2),
    )
    return DemoDeliverySummary(
        already_loaded=False,
        participants=group.participants.count(),
        sessions=len(sessions),
        absences=absences,
    )
