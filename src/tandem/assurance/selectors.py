"""Reads of assessments, each taking the user. An assessment someone may not open is a 404.

Who can open an assessment:
- a service manager working in the assessed service: its evidence, and the findings once the
  report is released (the panel has decided);
- a participant, once they have declared no conflict of interest with the service (an assessor,
  verifier, panel member or peer reviewer sees nothing before that); other parts (service contact,
  link person, commissioner) need no declaration;
- a lead assessor running the process: the overview (state, people, history) to allocate people
  and move it on, but not the evidence or findings unless they are also a declared participant.

These pages serve Respect accreditation only (`RESPECT_PROCESSES`): the other processes, whose
people and visibility differ (a Welsh checklist is the commissioner's until complete, a West
Midlands self-evaluation the agency's until submitted), are opened only through
`checklist_selectors`, so here they are a 404 like any assessment someone may not see.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import Role, roles_of
from tandem.assurance import workflow
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    EvidenceCitation,
    EvidenceDocument,
    MethodJudgement,
    Part,
    Process,
    RequirementRecord,
    State,
)
from tandem.assurance.respect import intervention_label
from tandem.organisations.models import Service
from tandem.organisations.selectors import current_memberships

User = AbstractBaseUser | AnonymousUser

# The processes these selectors (and the Respect pages and API built on them) open.
RESPECT_PROCESSES = frozenset({Process.RESPECT_ACCREDITATION})

# Parts whose holder must first declare no conflict of interest (see rules.INDEPENDENT_PARTS).
DECLARING_PARTS = frozenset(
    {
        Part.ASSESSOR,
        Part.LEAD_ASSESSOR,
        Part.SECOND_ASSESSOR,
        Part.INTERNAL_VERIFIER,
        Part.PANEL_MEMBER,
        Part.PEER_REVIEWER,
    }
)


def managed_services(*, user: User) -> QuerySet[Service]:
    """Services where this person is a service manager."""
    if Role.SERVICE_MANAGER not in roles_of(user):
        return Service.objects.none()
    return Service.objects.filter(pk__in=current_memberships(user=user).values("service"))


def _active_participations(*, user: User) -> QuerySet[AssessmentParticipant]:
    """Parts this person may act in now: declared no conflict, or needing no declaration."""
    if not user.is_authenticated:
        return AssessmentParticipant.objects.none()
    return AssessmentParticipant.objects.filter(user_id=user.pk).filter(
        ~Q(part__in=DECLARING_PARTS) | Q(declaration__no_conflict=True)
    )


def declared_parts(*, user: User, assessment: Assessment) -> frozenset[Part]:
    parts = _active_participations(user=user).filter(assessment=assessment)
    return frozenset(Part(part) for part in parts.values_list("part", flat=True))


def is_coordinator(*, user: User) -> bool:
    return Role.LEAD_ASSESSOR in roles_of(user)


def assessment_list_for_user(*, user: User) -> QuerySet[Assessment]:
    visible = Q(service__in=managed_services(user=user)) | Q(
        pk__in=_active_participations(user=user).values("assessment")
    )
    if is_coordinator(user=user):
        visible = Q()
    return (
        Assessment.objects.filter(visible, process__in=RESPECT_PROCESSES)
        .select_related("service__organisation", "framework")
        .order_by("-created_at", "-pk")
    )


def _awaited(*, user: User) -> QuerySet[AssessmentParticipant]:
    if not user.is_authenticated:
        return AssessmentParticipant.objects.none()
    return AssessmentParticipant.objects.filter(
        user_id=user.pk, part__in=DECLARING_PARTS, declaration__isnull=True
    ).select_related("assessment__service__organisation")


def declarations_awaited_from(*, user: User) -> QuerySet[AssessmentParticipant]:
    """This person's parts in Respect accreditations that wait for their conflict-of-interest
    declaration (the others are listed by `checklist_selectors.declarations_awaited`)."""
    return _awaited(user=user).filter(assessment__process__in=RESPECT_PROCESSES)


def participation_get_for_declaration(*, user: User, participant_id: int) -> AssessmentParticipant:
    """One of this person's own parts still awaiting their declaration, in any process (the
    declaration API serves them all; declaring opens nothing by itself); 404 for anything else."""
    participant = _awaited(user=user).filter(pk=participant_id).first()
    if participant is None:
        raise Http404("No declaration of yours is awaited here")
    return participant


@dataclass(frozen=True)
class AssessmentAccess:
    """An assessment and what this person may see of it."""

    assessment: Assessment
    parts: frozenset[Part]
    manages_service: bool
    coordinates: bool

    @property
    def sees_evidence(self) -> bool:
        return self.manages_service or bool(self.parts)

    @property
    def sees_findings(self) -> bool:
        """Assessors' notes and judgements: the people assessing, verifying and deciding, and the
        service once the report is released."""
        if self.parts:
            return True
        return self.manages_service and workflow.findings_released(
            process=self.assessment.process, state=self.assessment.state
        )

    @property
    def read_only(self) -> bool:
        return workflow.is_read_only(process=self.assessment.process, state=self.assessment.state)


def assessment_get_for_user(*, user: User, assessment_id: int) -> AssessmentAccess:
    assessment = (
        Assessment.objects.select_related("service__organisation", "framework", "created_by")
        .filter(pk=assessment_id, process__in=RESPECT_PROCESSES)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    access = AssessmentAccess(
        assessment=assessment,
        parts=declared_parts(user=user, assessment=assessment),
        manages_service=managed_services(user=user).filter(pk=assessment.service_id).exists(),
        coordinates=is_coordinator(user=user),
    )
    if not (access.sees_evidence or access.coordinates):
        raise Http404("No such assessment")
    return access


def _records(*, assessment: Assessment) -> QuerySet[RequirementRecord]:
    return (
        RequirementRecord.objects.filter(assessment=assessment)
        .select_related("requirement__framework", "requirement__parent", "judged_by")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=EvidenceCitation.objects.select_related("document").order_by("pk"),
            ),
            Prefetch(
                "method_judgements",
                queryset=MethodJudgement.objects.select_related("judged_by").order_by("pk"),
            ),
        )
        .order_by("position")
    )


def record_list_for(*, access: AssessmentAccess) -> list[RequirementRecord]:
    """The assessment's records, for someone who may see its evidence; none otherwise."""
    if not access.sees_evidence:
        return []
    return list(_records(assessment=access.assessment))


def record_get_for(*, access: AssessmentAccess, record_id: int) -> RequirementRecord:
    record = (
        _records(assessment=access.assessment).filter(pk=record_id).first()
        if access.sees_evidence
        else None
    )
    if record is None:
        raise Http404("No such requirement in this assessment")
    return record


def more_evidence_requested(record: RequirementRecord) -> bool:
    """An assessor has asked for more evidence on this record (by any method or as a whole).
    The service is told which records, not the assessors' notes."""
    return record.judgement == "more_evidence" or any(
        judgement.result == "more_evidence" for judgement in record.method_judgements.all()
    )


def documents_of(*, service: Service) -> QuerySet[EvidenceDocument]:
    return EvidenceDocument.objects.filter(service=service).order_by("title", "pk")


def document_get_for_user(*, user: User, document_id: int) -> EvidenceDocument:
    """A document of a service this person manages, or of a service whose Respect accreditation
    they take part in (declared); 404 otherwise. A part in another process (a peer reviewer, an
    audit assessor) opens no documents: those processes keep their evidence in their records."""
    assessments = Assessment.objects.filter(
        pk__in=_active_participations(user=user).values("assessment"),
        process__in=RESPECT_PROCESSES,
    )
    document = (
        EvidenceDocument.objects.filter(pk=document_id)
        .filter(
            Q(service__in=managed_services(user=user))
            | Q(service__in=assessments.values("service"))
        )
        .first()
    )
    if document is None:
        raise Http404("No such document")
    return document


def conditions_of(*, assessment: Assessment) -> QuerySet[Action]:
    """The conditions of the assessment's deferrals, newest decision first."""
    return (
        Action.objects.filter(assessment=assessment, panel_decision__isnull=False)
        .select_related("owner", "closed_by", "panel_decision")
        .order_by("-panel_decision__decided_at", "due_on", "pk")
    )


def open_conditions_of(*, assessment: Assessment) -> QuerySet[Action]:
    return conditions_of(assessment=assessment).filter(status=ActionStatus.OPEN)


def overdue_actions_for(*, user: User, today: date) -> QuerySet[Action]:
    """Open actions this person owns, past their due date (for their work page)."""
    if not user.is_authenticated:
        return Action.objects.none()
    return Action.objects.filter(owner_id=user.pk, status=ActionStatus.OPEN, due_on__lt=today)


def latest_accreditation_of(*, service: Service) -> Assessment | None:
    """The service's most recent Respect accreditation, current or expired: a new application
    is its reaccreditation."""
    return (
        Assessment.objects.filter(
            service=service,
            process=Process.RESPECT_ACCREDITATION,
            state__in=[State.ACCREDITED, State.EXPIRED],
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class RegisterEntry:
    organisation: str
    service: str
    scope: list[str]
    accredited_on: date
    expires_on: date


def public_register(*, today: date) -> list[RegisterEntry]:
    """Services holding Respect accreditation today, with what it covers and when it expires.
    Published: needs no sign-in, so it holds only what the register shows."""
    accredited = (
        Assessment.objects.filter(
            process=Process.RESPECT_ACCREDITATION,
            state=State.ACCREDITED,
            expires_on__gt=today,
            decided_at__isnull=False,
        )
        .select_related("service__organisation")
        .order_by("service__organisation__name", "service__name")
    )
    return [
        RegisterEntry(
            organisation=assessment.service.organisation.name,
            service=assessment.service.name,
            scope=[intervention_label(value) for value in assessment.scope],
            accredited_on=timezone.localdate(assessment.decided_at),
            expires_on=assessment.expires_on,  # type: ignore[arg-type]
        )
        for assessment in accredited
    ]
