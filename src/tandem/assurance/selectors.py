"""Reads every process shares, each taking the user: the services someone manages, the parts they
may act in (declared no conflict of interest, or needing none), the declarations awaited from
them, and their overdue actions. Which assessments of a process someone may open (a 404
otherwise) is that process's sub-package's `selectors`."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from tandem.access.roles import Person, Role, roles_of
from tandem.assurance.gates import INDEPENDENT_PARTS
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    Part,
)
from tandem.organisations.models import Service
from tandem.organisations.selectors import current_memberships


def managed_services(*, user: Person) -> QuerySet[Service]:
    """Services where this person is a service manager."""
    if Role.SERVICE_MANAGER not in roles_of(user):
        return Service.objects.none()
    return Service.objects.filter(pk__in=current_memberships(user=user).values("service"))


def active_participations(*, user: Person) -> QuerySet[AssessmentParticipant]:
    """Parts this person may act in now: declared no conflict, or needing no declaration (the
    independent parts declare first: `gates.INDEPENDENT_PARTS`)."""
    if not user.is_authenticated:
        return AssessmentParticipant.objects.none()
    return AssessmentParticipant.objects.filter(user_id=user.pk).filter(
        ~Q(part__in=INDEPENDENT_PARTS) | Q(declaration__no_conflict=True)
    )


def declared_parts(*, user: Person, assessment: Assessment) -> frozenset[Part]:
    parts = active_participations(user=user).filter(assessment=assessment)
    return frozenset(Part(part) for part in parts.values_list("part", flat=True))


def is_coordinator(*, user: Person) -> bool:
    """A lead assessor: runs the processes (allocates people, refers to the panel, opens
    audits)."""
    return Role.LEAD_ASSESSOR in roles_of(user)


def pending_declarations(*, user: Person) -> QuerySet[AssessmentParticipant]:
    """This person's independent parts, in any process, that wait for their declaration."""
    if not user.is_authenticated:
        return AssessmentParticipant.objects.none()
    return AssessmentParticipant.objects.filter(
        user_id=user.pk, part__in=INDEPENDENT_PARTS, declaration__isnull=True
    ).select_related("assessment__service__organisation")


def participation_get_for_declaration(
    *, user: Person, participant_id: int
) -> AssessmentParticipant:
    """One of this person's own parts still awaiting their declaration, in any process (the
    declaration page and API serve them all; declaring opens nothing by itself); 404 for
    anything else."""
    participant = pending_declarations(user=user).filter(pk=participant_id).first()
    if participant is None:
        raise Http404("No declaration of yours is awaited here")
    return participant


def overdue_actions_for(*, user: Person, today: date) -> QuerySet[Action]:
    """Open actions this person owns, past their due date (for their work page)."""
    if not user.is_authenticated:
        return Action.objects.none()
    return Action.objects.filter(owner_id=user.pk, status=ActionStatus.OPEN, due_on__lt=today)
