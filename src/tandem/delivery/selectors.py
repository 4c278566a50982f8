"""Reads of programmes, groups and sessions, scoped to the services whose perpetrator side the
person works on: ISS workers, assessors, commissioners and everyone else see none of it."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth.models import User as AuthUser
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from tandem.access.roles import Person as User
from tandem.cases.models import PerpetratorCase, Stage
from tandem.delivery.gates import Dose
from tandem.delivery.models import (
    Attendance,
    DeliveryException,
    DeliverySession,
    Group,
    GroupParticipant,
    Programme,
    ProgrammeKind,
    ProgrammeSession,
    Recording,
    SessionType,
)
from tandem.lib.calendar import UK_TIME
from tandem.organisations.models import Service, Side
from tandem.organisations.selectors import perpetrator_side_services
from tandem.workforce.mentoring import DayRef, PersonRef


def delivery_services_for_user(*, user: User) -> QuerySet[Service]:
    """Services whose groups and sessions this person sees: those whose perpetrator side they
    work on (managers on both sides included)."""
    return perpetrator_side_services(user=user)


def service_get_for_user(*, user: User, service_id: int) -> Service:
    service = delivery_services_for_user(user=user).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service")
    return service


def programme_list_for_user(*, user: User) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(service__in=delivery_services_for_user(user=user))
        .select_related("service")
        .annotate(session_count=Count("sessions", distinct=True))
    )


def programme_get_for_user(*, user: User, programme_id: int) -> Programme:
    programme = programme_list_for_user(user=user).filter(pk=programme_id).first()
    if programme is None:
        raise Http404("No such programme")
    return programme


def group_list_for_user(*, user: User) -> QuerySet[Group]:
    return (
        Group.objects.filter(service__in=delivery_services_for_user(user=user))
        .select_related("service", "programme")
        .prefetch_related("facilitators")
        .annotate(
            participant_count=Count(
                "participants", filter=Q(participants__left_on__isnull=True), distinct=True
            )
        )
    )


def group_get_for_user(*, user: User, group_id: int) -> Group:
    """404, not 403, for a group outside the person's services."""
    group = group_list_for_user(user=user).filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group")
    return group


def session_list_for_user(*, user: User) -> QuerySet[DeliverySession]:
    return (
        DeliverySession.objects.filter(service__in=delivery_services_for_user(user=user))
        .select_related("service", "group__programme", "case", "programme_session")
        .prefetch_related("facilitators")
    )


def session_get_for_user(*, user: User, session_id: int) -> DeliverySession:
    session = session_list_for_user(user=user).filter(pk=session_id).first()
    if session is None:
        raise Http404("No such session")
    return session


def perpetrator_side_staff_of(*, service: Service, on: date) -> QuerySet[AuthUser]:
    """Who may be chosen as a facilitator: the service's perpetrator-side staff on the day. The
    service refuses anyone without a current criminal record check (rule dbs)."""
    return (
        AuthUser.objects.filter(
            memberships__service=service,
            memberships__side__in=[Side.PERPETRATOR, Side.BOTH],
            memberships__started_on__lte=on,
        )
        .filter(Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gte=on))
        .distinct()
        .order_by("last_name", "first_name")
    )


def cases_in_intervention(*, service: Service) -> QuerySet[PerpetratorCase]:
    """The service's men in the intervention, by reference: who a session can be for."""
    return PerpetratorCase.objects.filter(service=service, stage=Stage.IN_INTERVENTION).order_by(
        "reference"
    )


def cases_to_join_group(*, group: Group) -> QuerySet[PerpetratorCase]:
    """Men in the intervention in the group's service who have never had a place in it."""
    return cases_in_intervention(service=group.service).exclude(group_places__group=group)


def one_man_programme_sessions_of(*, service: Service) -> QuerySet[ProgrammeSession]:
    """The service's programme sessions a session with one man can deliver: those of every
    programme but the behaviour change group programmes."""
    return (
        ProgrammeSession.objects.filter(programme__service=service)
        .exclude(programme__kind=ProgrammeKind.BEHAVIOUR_CHANGE)
        .select_related("programme")
    )


def current_participants(*, group: Group, on: date) -> QuerySet[GroupParticipant]:
    """His place counts on `on` if he had joined by then and not yet left, and his case was not
    closed before that day (UK time)."""
    start_of_day = datetime.combine(on, time(0), tzinfo=UK_TIME)
    return (
        group.participants.filter(joined_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=on))
        .exclude(case__closed_at__lt=start_of_day)
    )


def group_participant_get(*, group: Group, participant_id: int) -> GroupParticipant:
    """A place in a group the person may see (`group` from `group_get_for_user`): 404 if not
    one of its places."""
    place = group.participants.select_related("case", "group").filter(pk=participant_id).first()
    if place is None:
        raise Http404("No such participant")
    return place


def session_participants(*, session: DeliverySession) -> list[PerpetratorCase]:
    """Who the session is for: the group's participants on the day, or the one man."""
    if session.group is not None:
        return [
            place.case
            for place in current_participants(group=session.group, on=session.held_on)
            .select_related("case")
            .order_by("case__reference")
        ]
    if session.case is None:
        raise ValueError(f"delivery session {session.pk} is for neither a group nor one man")
    return [session.case]


def weeks_spanned(first: date | None, last: date | None) -> int:
    """Rule dose: the weeks over which contact was given, counting the first and last weeks."""
    if first is None or last is None:
        return 0
    return (last - first).days // 7 + 1


def doses_of(*, case_ids: list[int], programme: Programme) -> dict[int, Dose]:
    """Rule dose (NE 4.8, R08 B1.2): each man's contact so far in the programme's sessions
    (minutes attended and the weeks they span), in one query."""
    rows = (
        Attendance.objects.filter(
            case_id__in=case_ids,
            minutes_attended__gt=0,
        )
        .filter(
            Q(session__group__programme=programme)
            | Q(session__programme_session__programme=programme)
        )
        .values("case_id")
        .annotate(
            minutes=Sum("minutes_attended"),
            first=Min("session__held_on"),
            last=Max("session__held_on"),
        )
    )
    found = {
        row["case_id"]: Dose(
            minutes=row["minutes"],
            weeks=weeks_spanned(row["first"], row["last"]),
            planned_hours=programme.planned_contact_hours,
            planned_weeks=programme.planned_weeks,
        )
        for row in rows
    }
    empty = Dose(
        minutes=0,
        weeks=0,
        planned_hours=programme.planned_contact_hours,
        planned_weeks=programme.planned_weeks,
    )
    return {case_id: found.get(case_id, empty) for case_id in case_ids}


@dataclass(frozen=True)
class RegisterRow:
    place: GroupParticipant
    cells: list[Attendance | None]
    dose: Dose

    @property
    def has_left(self) -> bool:
        return self.place.left_on is not None


def group_register(*, group: Group) -> tuple[list[DeliverySession], list[RegisterRow]]:
    """The group's participants by sessions attendance grid, with each man's dose: a fixed number
    of queries whatever the size of the group."""
    sessions = list(
        group.sessions.select_related("programme_session").order_by("held_on", "starts_at")
    )
    places = list(group.participants.select_related("case").order_by("case__reference"))
    marks = {
        (record.session_id, record.case_id): record
        for record in Attendance.objects.filter(session__group=group)
    }
    doses = doses_of(case_ids=[place.case_id for place in places], programme=group.programme)
    rows = [
        RegisterRow(
            place=place,
            cells=[marks.get((session.pk, place.case_id)) for session in sessions],
            dose=doses[place.case_id],
        )
        for place in places
    ]
    return sessions, rows


def attendance_of(*, session: DeliverySession) -> QuerySet[Attendance]:
    return session.attendances.select_related("case", "recorded_by", "engagement_change")


def exceptions_for_user(*, user: User) -> QuerySet[DeliveryException]:
    return DeliveryException.objects.filter(
        service__in=delivery_services_for_user(user=user)
    ).select_related("service", "session__group", "group", "programme", "recorded_by")


def recordings_for_user(*, user: User) -> QuerySet[Recording]:
    return (
        Recording.objects.filter(session__service__in=delivery_services_for_user(user=user))
        .select_related("session__group", "session__case", "session__service", "review__reviewer")
        .prefetch_related("consents__case")
    )


def recording_of_session(*, session: DeliverySession) -> Recording | None:
    """The session's recording, if one is registered."""
    return Recording.objects.filter(session=session).first()


def recording_get_for_user(*, user: User, recording_id: int) -> Recording:
    recording = recordings_for_user(user=user).filter(pk=recording_id).first()
    if recording is None:
        raise Http404("No such recording")
    return recording


@dataclass(frozen=True)
class SampleRate:
    """Rule recording: group sessions held, their recordings reviewed, against about 1 in 5."""

    name: str
    sessions: int
    recorded: int
    reviewed: int

    @property
    def percent(self) -> int:
        return round(100 * self.reviewed / self.sessions) if self.sessions else 0

    @property
    def meets_target(self) -> bool:
        return self.sessions > 0 and self.reviewed * 5 >= self.sessions


def review_sample_rates(*, user: User, today: date) -> tuple[SampleRate, list[SampleRate]]:
    """Rule recording (R22-S B6.4, R08 B1.5): of the group sessions held, how many recordings the
    practice manager reviewed, overall and per facilitator. Two queries."""
    sessions = DeliverySession.objects.filter(
        service__in=delivery_services_for_user(user=user),
        session_type=SessionType.GROUP,
        held_on__lte=today,
    )
    overall = sessions.aggregate(
        sessions=Count("pk", distinct=True),
        recorded=Count("recording", distinct=True),
        reviewed=Count("recording__review", distinct=True),
    )
    rows = (
        sessions.values(
            "facilitators",
            "facilitators__first_name",
            "facilitators__last_name",
            "facilitators__username",
        )
        .annotate(
            sessions=Count("pk", distinct=True),
            recorded=Count("recording", distinct=True),
            reviewed=Count("recording__review", distinct=True),
        )
        .order_by("facilitators__last_name", "facilitators__first_name")
    )
    people = [
        SampleRate(
            name=(
                f"{row['facilitators__first_name']} {row['facilitators__last_name']}".strip()
                or row["facilitators__username"]
            ),
            sessions=row["sessions"],
            recorded=row["recorded"],
            reviewed=row["reviewed"],
        )
        for row in rows
        if row["facilitators"] is not None
    ]
    return SampleRate("All facilitators", **overall), people


def _co_facilitated_sessions(
    *, mentee: PersonRef, mentor: PersonRef, since: DayRef, until: DayRef
) -> QuerySet[DeliverySession]:
    # Two filters on the facilitators: two joins, one for each person (so a session counts only
    # when both facilitated it, and once).
    return (
        DeliverySession.objects.filter(
            session_type=SessionType.GROUP, held_on__gte=since, held_on__lte=until
        )
        .filter(Q(facilitators=mentee))
        .filter(Q(facilitators=mentor))
    )


def sessions_co_facilitated_count(
    *, mentee: AuthUser, mentor: AuthUser, since: date, until: date
) -> int:
    """Rule mentoring (NE 3.12): the group sessions held from `since` to `until` (both included)
    that the mentee and the mentor both facilitated. One query."""
    return _co_facilitated_sessions(mentee=mentee, mentor=mentor, since=since, until=until).count()


def sessions_co_facilitated_count_expression(
    *, mentee: PersonRef, mentor: PersonRef, since: DayRef, until: DayRef
) -> Coalesce:
    """Rule mentoring (NE 3.12): `sessions_co_facilitated_count` as a subquery, to annotate many
    rows at once (pass `OuterRef`s for the people and days): no query per row."""
    sessions = (
        _co_facilitated_sessions(mentee=mentee, mentor=mentor, since=since, until=until)
        .order_by()
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    return Coalesce(Subquery(sessions, output_field=IntegerField()), 0)
