"""Reads of workforce records. Functions that show records take the user who asks and return only
what that person may see; one outside their reach is a 404 (its existence is not leaked).

Who manages whose records: a service manager, or someone in HR, with a current place in a service
of the worker's organisation. A worker reads their own record. A practice manager of the
organisation may record the supervision they give (rules.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import cast

from django.contrib.auth.models import User
from django.db.models import DateField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from tandem.access.roles import Person, Role, roles_of
from tandem.organisations.models import Organisation, Service, StaffMembership
from tandem.organisations.selectors import current_memberships
from tandem.workforce import deadlines
from tandem.workforce.mentoring import co_worked_sessions
from tandem.workforce.models import (
    AbuseExperienceDisclosure,
    CriminalRecordCheck,
    Mentoring,
    Supervision,
    TrainingRecord,
    Worker,
)

# Who manages workforce records (rules.py names what each may do).
WORKFORCE_MANAGER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.HR})


def organisations_with_role(*, user: Person, roles: Iterable[Role]) -> QuerySet[Organisation]:
    """Organisations in one of whose services the person has a current place, if they hold one
    of `roles` (none otherwise)."""
    if not roles_of(user) & frozenset(roles):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=current_memberships(user=user).values("service__organisation")
    )


def managed_organisations(*, user: Person) -> QuerySet[Organisation]:
    """Organisations whose workforce records this person manages (service manager or HR)."""
    return organisations_with_role(user=user, roles=WORKFORCE_MANAGER_ROLES)


def managed_services(*, user: Person) -> QuerySet[Service]:
    """Services whose staff list and compliance matrix this person sees."""
    return Service.objects.filter(organisation__in=managed_organisations(user=user))


def service_get_for_user(*, user: Person, service_id: int) -> Service:
    service = managed_services(user=user).filter(pk=service_id).select_related("organisation")
    found = service.first()
    if found is None:
        raise Http404("No such service")
    return found


def worker_list_for_user(*, user: Person) -> QuerySet[Worker]:
    """Worker records this person may open: all in the organisations they manage, their own,
    and (practice managers) those of their organisations, whose supervision they may record."""
    if not user.is_authenticated:
        return Worker.objects.none()
    orgs = managed_organisations(user=user) | organisations_with_role(
        user=user, roles=[Role.PRACTICE_MANAGER]
    )
    return Worker.objects.filter(Q(organisation__in=orgs) | Q(user_id=user.pk)).select_related(
        "user", "organisation"
    )


def own_worker_records(*, user: Person) -> QuerySet[Worker]:
    """The person's own worker records, one for each organisation they work for."""
    return Worker.objects.filter(user_id=cast(int, user.pk)).select_related("organisation")


def worker_get_for_user(*, user: Person, worker_id: int) -> Worker:
    worker = worker_list_for_user(user=user).filter(pk=worker_id).first()
    if worker is None:
        raise Http404("No such worker")
    return worker


def service_workers(*, service: Service) -> QuerySet[Worker]:
    """The worker records of the people with a current place in the service."""
    members = StaffMembership.objects.filter(service=service, ended_on__isnull=True)
    return (
        Worker.objects.filter(
            organisation_id=service.organisation_id, user__in=members.values("user")
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def staff_without_worker_record(*, service: Service) -> QuerySet[User]:
    """People on the service's staff who have no worker record yet in its organisation."""
    members = StaffMembership.objects.filter(service=service, ended_on__isnull=True)
    return (
        User.objects.filter(pk__in=members.values("user"))
        .exclude(worker_records__organisation_id=service.organisation_id)
        .order_by("last_name", "first_name", "pk")
    )


def organisation_staff(*, organisation_id: int) -> QuerySet[User]:
    """People with a current place in one of the organisation's services: who may supervise or
    mentor its workers."""
    members = StaffMembership.objects.filter(
        service__organisation_id=organisation_id, ended_on__isnull=True
    )
    return User.objects.filter(pk__in=members.values("user")).order_by(
        "last_name", "first_name", "pk"
    )


def staff_member_of(*, organisation_id: int, username: str) -> User | None:
    return organisation_staff(organisation_id=organisation_id).filter(username=username).first()


def supervisions_for_worker(*, worker: Worker) -> QuerySet[Supervision]:
    return Supervision.objects.filter(supervisee=worker).select_related("supervisor", "supervisee")


def criminal_record_checks_of(*, worker: Worker) -> QuerySet[CriminalRecordCheck]:
    return CriminalRecordCheck.objects.filter(worker=worker)


def training_records_of(*, worker: Worker) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(worker=worker)


def disclosures_of(*, worker: Worker) -> QuerySet[AbuseExperienceDisclosure]:
    """The worker's disclosures of their own experience of abuse: only for those the rules let
    see them."""
    return AbuseExperienceDisclosure.objects.filter(worker=worker)


def mentorings_of(*, worker: Worker) -> QuerySet[Mentoring]:
    """Mentoring the worker receives, with the mentor."""
    return Mentoring.objects.filter(mentee=worker).select_related("mentor")


@dataclass(frozen=True)
class MentoringProgress:
    """Rule mentoring (NE 3.12): a mentoring with its months and co-worked sessions so far (to
    its end, or to today while open), against 6 months or 26 sessions."""

    mentoring: Mentoring
    months: int
    sessions: int
    time_served_on: date
    complete: bool
    target_months: int = deadlines.MENTORING_MONTHS
    target_sessions: int = deadlines.MENTORING_SESSIONS


def mentoring_progress_of(*, worker: Worker, on: date) -> list[MentoringProgress]:
    """Rule mentoring (NE 3.12): the worker's mentorings, newest first, each with its progress.
    One query whatever the number of mentorings (the co-worked sessions are a subquery)."""
    rows = mentorings_of(worker=worker).annotate(
        co_worked=co_worked_sessions().count_expression(
            mentee=OuterRef("mentee__user_id"),
            mentor=OuterRef("mentor_id"),
            since=OuterRef("started_on"),
            until=Coalesce(OuterRef("ended_on"), Value(on), output_field=DateField()),
        )
    )
    progress = []
    for mentoring in rows:
        until = mentoring.ended_on or on
        sessions: int = mentoring.co_worked
        progress.append(
            MentoringProgress(
                mentoring=mentoring,
                months=deadlines.mentoring_months_served(started_on=mentoring.started_on, on=until),
                sessions=sessions,
                time_served_on=deadlines.mentoring_time_served_on(started_on=mentoring.started_on),
                complete=deadlines.mentoring_is_complete(
                    started_on=mentoring.started_on, sessions_co_worked=sessions, on=until
                ),
            )
        )
    return progress


def mentoring_get_for_worker(*, worker: Worker, mentoring_id: int) -> Mentoring:
    """The worker's mentoring `mentoring_id` (404 if it is not theirs)."""
    mentoring = mentorings_of(worker=worker).filter(pk=mentoring_id).first()
    if mentoring is None:
        raise Http404("No such mentoring")
    return mentoring


def genders_of(*, users: Iterable[User], service: Service) -> dict[int, str | None]:
    """Each user's gender from their worker record in the service's organisation, by user pk
    (None when unknown), in one query: for the facilitator mix (rule facilitators)."""
    pks = [user.pk for user in users]
    genders: dict[int, str | None] = dict.fromkeys(pks)
    if not pks:
        return genders
    rows = Worker.objects.filter(
        user_id__in=pks, organisation_id=service.organisation_id
    ).values_list("user_id", "gender")
    for user_id, gender in rows:
        genders[user_id] = gender or None
    return genders
