"""Writes every process shares, on the shared model: creating an assessment with its records,
giving people parts and their declarations of conflicts of interest, and action-plan items.

Every step of every process checks, in this order: who is acting (the permission, from the
rules modules, and for an independent part the separation of duties: `refuse_unless_acting`),
the state (only the transitions `workflow.py` permits: `transition`; a finished assessment is
read-only), the version read (`lock_assessment`, `lock_record`), then the standards; it refuses
naming what is wrong, records who and when, and writes the audit event. The steps here that
every process's services take are public for them: locking, refusing by state, saving a record
and moving an assessment on.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.access.roles import roles_of
from tandem.assurance import workflow
from tandem.assurance.applicability import applicable_requirements
from tandem.assurance.gates import PART_ROLES, duty_conflict
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    AssessmentTransition,
    ConflictDeclaration,
    EvidenceDocument,
    PanelDecision,
    Part,
    Process,
    RequirementRecord,
    State,
)
from tandem.assurance.rules import COORDINATE, MANAGE_SERVICE
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.lib.people import person_name
from tandem.organisations.models import Service
from tandem.standards.models import Framework, Requirement

# Locks, versions, states and transitions


def lock_assessment(*, assessment: Assessment, expected_version: int | None) -> Assessment:
    """Re-read under a row lock; refuse if the assessment changed since `expected_version`.

    Record edits lock it too (without a version) so no record changes while it changes state."""
    current = (
        Assessment.objects.select_for_update()
        .select_related("service", "framework")
        .get(pk=assessment.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleRecord("The assessment")
    return current


def lock_record(*, record: RequirementRecord, expected_version: int) -> RequirementRecord:
    """Re-read the record under a row lock (its assessment locked first); refuse if it changed
    since `expected_version`."""
    assessment = lock_assessment(assessment=record.assessment, expected_version=None)
    current = (
        RequirementRecord.objects.select_for_update()
        .select_related("requirement")
        .get(pk=record.pk)
    )
    current.assessment = assessment
    if current.version != expected_version:
        raise StaleRecord(f"The record for {current.requirement.ref}")
    return current


def refuse_read_only(assessment: Assessment) -> None:
    if workflow.is_read_only(process=assessment.process, state=assessment.state):
        raise ActionRefused(
            f"The assessment is {State(assessment.state).label.lower()}: it can no longer be "
            "changed",
            field="state",
        )


def refuse_unless_state(assessment: Assessment, states: Iterable[State], doing: str) -> None:
    allowed = frozenset(states)
    if State(assessment.state) not in allowed:
        raise ActionRefused(
            f"You cannot {doing} while the assessment is "
            f"“{State(assessment.state).label}”: only when it is "
            + " or ".join(f"“{state.label}”" for state in sorted(allowed)),
            field="state",
        )


def refuse_other_process(assessment: Assessment, process: Process) -> None:
    """For a step of one process given an assessment of another."""
    if assessment.process != process:
        raise ActionRefused(
            f"This is a {Process(assessment.process).label.lower()}, not a {process.label.lower()}",
            field="assessment",
        )


def save_record(*, record: RequirementRecord, actor: User, before: dict[str, object]) -> None:
    """Save a changed record as its next version, with the audit event of the change."""
    record.version = F("version") + 1
    record.save()
    record.refresh_from_db()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=record,
        before=before,
        after=model_snapshot(instance=record),
    )


def transition(
    *,
    assessment: Assessment,
    to: State,
    actor: User | None,
    now: datetime,
    note: str = "",
    before: dict[str, object] | None = None,
) -> Assessment:
    """Move to `to` if the process permits it from here; bump the version; record who and when."""
    refusal = workflow.transition_refusal(process=assessment.process, state=assessment.state, to=to)
    if refusal:
        raise ActionRefused(refusal, field="state")
    before = before if before is not None else model_snapshot(instance=assessment)
    from_state = assessment.state
    assessment.state = to
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db()
    AssessmentTransition.objects.create(
        assessment=assessment,
        from_state=from_state,
        to_state=to,
        actor=actor,
        occurred_at=now,
        note=note,
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITIONED,
        target=assessment,
        summary=f"{State(from_state).label} → {to.label}" + (f": {note}" if note else ""),
        before=before,
        after=model_snapshot(instance=assessment),
    )
    return assessment


# Who is acting


def refuse_unless_acting(
    *,
    assessment: Assessment,
    actor: User,
    permission: str,
    parts: Iterable[Part],
    duty: Part,
    doing: str,
) -> None:
    """The actor holds `permission` in the assessment (one of `parts`, having declared no
    conflict of interest), and the separation of duties lets them act as `duty`."""
    names = " or ".join(sorted(part.label.lower() for part in frozenset(parts)))
    refuse_unless_permitted(
        actor=actor,
        permission=permission,
        target=assessment,
        refusal=f"Only the assessment's {names}, having declared no conflict of interest, can "
        f"{doing}",
    )
    conflict = duty_conflict(assessment=assessment, user=actor, part=duty)
    if conflict:
        raise ActionRefused(conflict, field="actor")


# Assessments, people and their declarations


def current_framework(slug: str) -> Framework:
    """The current edition of a framework of the library; refused when none is loaded."""
    framework = Framework.objects.filter(slug=slug, is_current=True).first()
    if framework is None:
        raise ActionRefused(
            f"The standards library has no {slug} framework loaded", field="framework"
        )
    return framework


def assessment_with_records_create(
    *,
    service: Service,
    process: Process,
    framework: Framework,
    requirements: list[Requirement],
    actor: User,
    now: datetime,
    scope: list[str] | None = None,
    previous: Assessment | None = None,
) -> Assessment:
    """A new draft assessment with one record per requirement given (each process decides which;
    callers check who may start one)."""
    assessment = Assessment.objects.create(
        service=service,
        framework=framework,
        process=process,
        state=State.DRAFT,
        scope=scope or [],
        previous=previous,
        created_at=now,
        created_by=actor,
    )
    RequirementRecord.objects.bulk_create(
        RequirementRecord(assessment=assessment, requirement=r, position=r.position)
        for r in requirements
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=assessment,
        summary=f"{len(requirements)} requirements apply",
        after=model_snapshot(instance=assessment),
    )
    return assessment


@transaction.atomic
def assessment_create(
    *,
    service: Service,
    process: Process,
    actor: User,
    scope: list[str] | None = None,
    previous: Assessment | None = None,
    framework: Framework | None = None,
    now: datetime | None = None,
) -> Assessment:
    """A new assessment of the service against its process's current framework (or, for a
    process run against any framework, the one given), with one record per applicable
    requirement. Callers check who may start one (see `respect_accreditation_apply`)."""
    now = now or timezone.now()
    definition = workflow.definition_of(process)
    if definition is None:
        raise ActionRefused(
            f"Tandem does not run the {Process(process).label.lower()} yet", field="process"
        )
    if definition.any_framework:
        if framework is None:
            raise ActionRefused("Choose the framework to assess against", field="framework")
    elif framework is None:
        framework = current_framework(definition.framework_slug)
    elif framework.slug != definition.framework_slug:
        raise ActionRefused(
            f"A {Process(process).label.lower()} is against {definition.framework_slug}",
            field="framework",
        )
    scope = sorted(set(scope or [])) if definition.uses_scope else []
    if previous is not None and (previous.service_id != service.pk or previous.process != process):
        raise ActionRefused(
            "The earlier assessment must be of the same service and process", field="previous"
        )
    return assessment_with_records_create(
        service=service,
        process=process,
        framework=framework,
        requirements=applicable_requirements(
            framework=framework, level=definition.record_level, scope=scope
        ),
        actor=actor,
        now=now,
        scope=scope,
        previous=previous,
    )


def participant_create(
    *, assessment: Assessment, user: User, part: Part, actor: User, now: datetime
) -> AssessmentParticipant:
    """Record the part, with its audit event. Callers check who may give it, to whom."""
    participant = AssessmentParticipant.objects.create(
        assessment=assessment, user=user, part=part, added_at=now, added_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=participant,
        summary=f"{person_name(user)} as {part.label.lower()}",
        after=model_snapshot(instance=participant),
    )
    return participant


@transaction.atomic
def participant_add(
    *,
    assessment: Assessment,
    user: User,
    part: Part,
    actor: User,
    now: datetime | None = None,
) -> AssessmentParticipant:
    """A lead assessor gives someone a part. They must hold a role fit for it and be free of the
    separation of duties; an independent part (assessor, verifier, panel member, peer reviewer)
    sees nothing until they declare no conflict of interest."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=COORDINATE,
        refusal="Only a lead assessor can allocate people to an assessment",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=None)
    refuse_read_only(assessment)
    part = Part(part)
    fit_roles = PART_ROLES[part]
    if not roles_of(user) & fit_roles:
        needed = " or ".join(sorted(role.label for role in fit_roles))
        raise ActionRefused(
            f"{person_name(user)} does not hold the role needed to be {part.label.lower()}: "
            f"{needed}",
            field="user",
        )
    conflict = duty_conflict(assessment=assessment, user=user, part=part)
    if conflict:
        raise ActionRefused(conflict, field="user")
    if AssessmentParticipant.objects.filter(assessment=assessment, user=user, part=part).exists():
        raise ActionRefused(
            f"{person_name(user)} is already {part.label.lower()} of this assessment",
            field="user",
        )
    return participant_create(assessment=assessment, user=user, part=part, actor=actor, now=now)


@transaction.atomic
def conflict_declare(
    *,
    participant: AssessmentParticipant,
    actor: User,
    no_conflict: bool,
    details: str = "",
    now: datetime | None = None,
) -> ConflictDeclaration:
    """The participant's own declaration, once. Declaring a conflict keeps them out of it."""
    now = now or timezone.now()
    if participant.user_id != actor.pk:
        raise ActionRefused("Only the person given the part can declare for it", field="actor")
    if ConflictDeclaration.objects.filter(participant=participant).exists():
        raise ActionRefused("You have already declared for this part", field="no_conflict")
    details = details.strip()
    if not no_conflict and not details:
        raise ActionRefused(
            "Say what the conflict of interest is, so that someone else can take the part",
            field="details",
        )
    declaration = ConflictDeclaration.objects.create(
        participant=participant, no_conflict=no_conflict, details=details, declared_at=now
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=declaration,
        summary="no conflict of interest" if no_conflict else "conflict of interest declared",
        after=model_snapshot(instance=declaration),
    )
    return declaration


# Action plans


@transaction.atomic
def action_create(
    *,
    assessment: Assessment,
    description: str,
    owner: User,
    due_on: date,
    actor: User,
    record: RequirementRecord | None = None,
    panel_decision: PanelDecision | None = None,
    now: datetime | None = None,
) -> Action:
    """An action-plan item. Callers check who may set one (an assessor's finding, a panel's
    condition, a commissioner's improvement action)."""
    now = now or timezone.now()
    description = description.strip()
    if not description:
        raise ActionRefused("Describe the action", field="description")
    if due_on <= timezone.localdate(now):
        raise ActionRefused("An action's due date must be after today", field="due_on")
    if record is not None and record.assessment_id != assessment.pk:
        raise ActionRefused("The record is not part of this assessment", field="record")
    action = Action.objects.create(
        assessment=assessment,
        record=record,
        panel_decision=panel_decision,
        description=description,
        owner=owner,
        due_on=due_on,
        created_at=now,
        created_by=actor,
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=action,
        after=model_snapshot(instance=action),
    )
    return action


@transaction.atomic
def action_close(
    *,
    action: Action,
    actor: User,
    expected_version: int,
    evidence: str,
    document: EvidenceDocument | None = None,
    now: datetime | None = None,
) -> Action:
    """Close an action with the evidence that it is done. Its owner or a service manager of the
    assessed service closes it."""
    now = now or timezone.now()
    current = (
        Action.objects.select_for_update().select_related("assessment__service").get(pk=action.pk)
    )
    assessment = current.assessment
    if current.owner_id != actor.pk:
        refuse_unless_permitted(
            actor=actor,
            permission=MANAGE_SERVICE,
            target=assessment.service,
            refusal=f"Only a service manager of {assessment.service.name} can do this",
        )
    if current.version != expected_version:
        raise StaleRecord("The action")
    if current.status != ActionStatus.OPEN:
        raise ActionRefused("The action is already closed", field="status")
    evidence = evidence.strip()
    if not evidence:
        raise ActionRefused("Give the evidence that the action is done", field="evidence")
    if document is not None and document.service_id != assessment.service_id:
        raise ActionRefused("The document is not one of this service's", field="document")
    before = model_snapshot(instance=current)
    current.status = ActionStatus.DONE
    current.closing_evidence = evidence
    current.closing_document = document
    current.closed_at = now
    current.closed_by = actor
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        summary="closed",
        before=before,
        after=model_snapshot(instance=current),
    )
    return current
