"""Writes to assessments. Every step checks, in this order: who is acting (their part, declared,
and the separation of duties), the state (only the transitions `workflow.py` permits; a decided
assessment is read-only), the version read, then the standards; it refuses naming what is wrong,
records who and when, and writes the audit event.

Generic to every process: `assessment_create`, `participant_add`, `conflict_declare`,
`evidence_document_upload`, `action_create`, `action_close`. Respect accreditation's steps
follow, in the order the process takes them.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.access.roles import roles_of
from tandem.assurance import respect, workflow
from tandem.assurance.applicability import applicable_requirements
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    AssessmentTransition,
    AssessorReport,
    ConflictDeclaration,
    DecisionOutcome,
    EvidenceCitation,
    EvidenceDocument,
    Judgement,
    MethodJudgement,
    PanelDecision,
    Part,
    Process,
    Recommendation,
    ReportVerification,
    RequirementRecord,
    State,
    VerificationOutcome,
    evidence_path,
)
from tandem.assurance.rules import ASSESSING_PARTS, PART_ROLES, duty_conflict
from tandem.assurance.selectors import (
    declared_parts,
    is_coordinator,
    managed_services,
    more_evidence_requested,
    open_conditions_of,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib import documents
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.models import Service
from tandem.standards.models import AssessmentMethod, Framework

# Assessments of a service that are still running: a second one of the same process waits.
_RUNNING_RESPECT_STATES = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.DESKTOP_ASSESSMENT,
        State.SITE_VISIT,
        State.REPORT_DRAFTED,
        State.REPORT_RETURNED,
        State.INTERNALLY_VERIFIED,
        State.PANEL,
        State.DEFERRED,
    }
)
# Where the assessor records findings: the desktop assessment, the site visit, and a report
# returned for changes.
_JUDGING_STATES = frozenset({State.DESKTOP_ASSESSMENT, State.SITE_VISIT, State.REPORT_RETURNED})
# Once the service has submitted, it adds evidence only where an assessor asked for more.
_MORE_EVIDENCE_STATES = frozenset({State.SUBMITTED, State.DESKTOP_ASSESSMENT, State.SITE_VISIT})
# R22: the desktop assessment judges the written submission; the other methods are the site
# visit's (case files, interviews, recorded sessions, documents seen on site).
_DESKTOP_METHODS = frozenset({AssessmentMethod.WRITTEN_SUBMISSION})
REFS_NAMED = 5


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _refs(records: Iterable[RequirementRecord]) -> str:
    """Up to five references, then how many more: "A1.2, B3.3 and 4 more"."""
    refs = [record.requirement.ref for record in records]
    if not refs:
        return "none"
    if len(refs) <= REFS_NAMED:
        return ", ".join(refs[:-1]) + (" and " if len(refs) > 1 else "") + refs[-1]
    return f"{', '.join(refs[:REFS_NAMED])} and {len(refs) - REFS_NAMED} more"


# Locks, versions, states and transitions


def _lock_assessment(*, assessment: Assessment, expected_version: int | None) -> Assessment:
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


def _lock_record(*, record: RequirementRecord, expected_version: int) -> RequirementRecord:
    assessment = _lock_assessment(assessment=record.assessment, expected_version=None)
    current = (
        RequirementRecord.objects.select_for_update()
        .select_related("requirement")
        .get(pk=record.pk)
    )
    current.assessment = assessment
    if current.version != expected_version:
        raise StaleRecord(f"The record for {current.requirement.ref}")
    return current


def _refuse_read_only(assessment: Assessment) -> None:
    if workflow.is_read_only(process=assessment.process, state=assessment.state):
        raise ActionRefused(
            f"The assessment is {State(assessment.state).label.lower()}: it can no longer be "
            "changed",
            field="state",
        )


def _refuse_unless_state(assessment: Assessment, states: Iterable[State], doing: str) -> None:
    allowed = frozenset(states)
    if State(assessment.state) not in allowed:
        raise ActionRefused(
            f"You cannot {doing} while the assessment is "
            f"“{State(assessment.state).label}”: only when it is "
            + " or ".join(f"“{state.label}”" for state in sorted(allowed)),
            field="state",
        )


def _save_record(*, record: RequirementRecord, actor: User, before: dict[str, object]) -> None:
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


def _transition(
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


def _require_service_manager(*, assessment: Assessment, actor: User) -> None:
    if not managed_services(user=actor).filter(pk=assessment.service_id).exists():
        raise ActionRefused(
            f"Only a service manager of {assessment.service.name} can do this",
            field="actor",
        )


def _require_part(
    *, assessment: Assessment, actor: User, parts: Iterable[Part], duty: Part, doing: str
) -> None:
    """The actor holds one of `parts` here, has declared no conflict, and the separation of duties
    lets them act as `duty`."""
    wanted = frozenset(parts)
    if not declared_parts(user=actor, assessment=assessment) & wanted:
        names = " or ".join(sorted(part.label.lower() for part in wanted))
        raise ActionRefused(
            f"Only the assessment's {names}, having declared no conflict of interest, can {doing}",
            field="actor",
        )
    conflict = duty_conflict(assessment=assessment, user=actor, part=duty)
    if conflict:
        raise ActionRefused(conflict, field="actor")


def _require_assessor(*, assessment: Assessment, actor: User, doing: str) -> None:
    _require_part(
        assessment=assessment,
        actor=actor,
        parts=ASSESSING_PARTS,
        duty=Part.ASSESSOR,
        doing=doing,
    )


def _require_coordinator(*, actor: User, doing: str) -> None:
    if not is_coordinator(user=actor):
        raise ActionRefused(f"Only a lead assessor can {doing}", field="actor")


# Generic to every process


def _current_framework(*, definition: workflow.ProcessDefinition) -> Framework:
    framework = Framework.objects.filter(slug=definition.framework_slug, is_current=True).first()
    if framework is None:
        raise ActionRefused(
            f"The standards library has no {definition.framework_slug} framework loaded",
            field="framework",
        )
    return framework


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
    now = _now(now)
    definition = workflow.definition_of(process)
    if definition is None:
        raise ActionRefused(
            f"Tandem does not run the {Process(process).label.lower()} yet", field="process"
        )
    if definition.any_framework:
        if framework is None:
            raise ActionRefused("Choose the framework to assess against", field="framework")
    elif framework is None:
        framework = _current_framework(definition=definition)
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
    assessment = Assessment.objects.create(
        service=service,
        framework=framework,
        process=process,
        state=definition.initial,
        scope=scope,
        previous=previous,
        created_at=now,
        created_by=actor,
    )
    requirements = applicable_requirements(
        framework=framework, level=definition.record_level, scope=scope
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
def participant_add(
    *,
    assessment: Assessment,
    user: User,
    part: Part,
    actor: User,
    now: datetime | None = None,
) -> AssessmentParticipant:
    """Give someone a part. They must hold a role fit for it and be free of the separation of
    duties; an independent part (assessor, verifier, panel member, peer reviewer) sees nothing
    until they declare no conflict of interest."""
    now = _now(now)
    _require_coordinator(actor=actor, doing="allocate people to an assessment")
    assessment = _lock_assessment(assessment=assessment, expected_version=None)
    _refuse_read_only(assessment)
    part = Part(part)
    fit_roles = PART_ROLES[part]
    if not roles_of(user) & fit_roles:
        needed = " or ".join(sorted(role.label for role in fit_roles))
        raise ActionRefused(
            f"{_person(user)} does not hold the role needed to be {part.label.lower()}: {needed}",
            field="user",
        )
    conflict = duty_conflict(assessment=assessment, user=user, part=part)
    if conflict:
        raise ActionRefused(conflict, field="user")
    if AssessmentParticipant.objects.filter(assessment=assessment, user=user, part=part).exists():
        raise ActionRefused(
            f"{_person(user)} is already {part.label.lower()} of this assessment", field="user"
        )
    participant = AssessmentParticipant.objects.create(
        assessment=assessment, user=user, part=part, added_at=now, added_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=participant,
        summary=f"{_person(user)} as {part.label.lower()}",
        after=model_snapshot(instance=participant),
    )
    return participant


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
    now = _now(now)
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


@transaction.atomic
def evidence_document_upload(
    *,
    service: Service,
    actor: User,
    title: str,
    upload: File,
    now: datetime | None = None,
) -> tuple[EvidenceDocument, bool]:
    """Store an evidence file for the service, once: the same content uploaded again gives the
    document already stored (and False). Its type is read from its content."""
    now = _now(now)
    if not managed_services(user=actor).filter(pk=service.pk).exists():
        raise ActionRefused(
            f"Only a service manager of {service.name} can upload its evidence", field="actor"
        )
    name = (upload.name or "").rsplit("/", 1)[-1]
    limit = documents.EVIDENCE_MAX_BYTES
    too_large = f"{name} is larger than {documents.size_label(limit)}, the largest file accepted"
    if (upload.size or 0) > limit:
        raise ActionRefused(too_large, field="file")
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ActionRefused(too_large, field="file")
    if not content:
        raise ActionRefused(f"{name or 'The file'} is empty", field="file")
    try:
        kind = documents.document_kind(content=content, name=name)
    except documents.NotAcceptedFile as not_accepted:
        raise ActionRefused(f"{name} cannot be accepted: {not_accepted}", field="file") from None
    sha256 = hashlib.sha256(content).hexdigest()
    existing = EvidenceDocument.objects.filter(service=service, sha256=sha256).first()
    if existing is not None:
        return existing, False
    title = title.strip() or name
    document = EvidenceDocument(
        service=service,
        title=title[:300],
        original_name=name[:255],
        kind=kind,
        size=len(content),
        sha256=sha256,
        uploaded_at=now,
        uploaded_by=actor,
    )
    path = evidence_path(document, name)
    if document.file.storage.exists(path):
        # Left by an upload whose transaction rolled back: the same bytes, by their name.
        document.file.name = path
    else:
        document.file.save(path, ContentFile(content), save=False)
    document.save()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=document,
        summary=f"uploaded {name}",
        after=model_snapshot(instance=document),
    )
    return document, True


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
    now = _now(now)
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
    now = _now(now)
    current = (
        Action.objects.select_for_update().select_related("assessment__service").get(pk=action.pk)
    )
    assessment = current.assessment
    if current.owner_id != actor.pk:
        _require_service_manager(assessment=assessment, actor=actor)
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


# Respect accreditation: the service's application and evidence


@transaction.atomic
def respect_accreditation_apply(
    *,
    service: Service,
    actor: User,
    scope: list[str],
    previous: Assessment | None = None,
    now: datetime | None = None,
) -> Assessment:
    """A service manager applies for accreditation of any or all of the interventions the service
    offers. A reaccreditation names the earlier assessment, and is assessed against all the
    standards again."""
    if not managed_services(user=actor).filter(pk=service.pk).exists():
        raise ActionRefused(
            f"Only a service manager of {service.name} can apply for its accreditation",
            field="service",
        )
    refusal = respect.survivor_support_refusal(service=service)
    if refusal:
        raise ActionRefused(refusal, rule_id=respect.RULE_ID, field="service")
    refusal = respect.scope_refusal(service=service, scope=scope)
    if refusal:
        raise ActionRefused(refusal, rule_id=respect.RULE_ID, field="scope")
    if previous is not None and previous.state not in (State.ACCREDITED, State.EXPIRED):
        raise ActionRefused(
            "Reaccreditation follows an accreditation: the earlier assessment was not accredited",
            field="previous",
        )
    running = Assessment.objects.filter(
        service=service,
        process=Process.RESPECT_ACCREDITATION,
        state__in=_RUNNING_RESPECT_STATES,
    )
    if running.exists():
        raise ActionRefused(
            f"{service.name} already has an accreditation assessment under way", field="service"
        )
    return assessment_create(
        service=service,
        process=Process.RESPECT_ACCREDITATION,
        actor=actor,
        scope=scope,
        previous=previous,
        now=now,
    )


def evidence_open(record: RequirementRecord) -> bool:
    """The service writes its evidence while drafting; after submitting, only where an assessor
    has asked for more."""
    assessment = record.assessment
    if workflow.is_read_only(process=assessment.process, state=assessment.state):
        return False
    if assessment.state == State.DRAFT:
        return True
    return assessment.state in _MORE_EVIDENCE_STATES and more_evidence_requested(record)


def _service_may_edit(record: RequirementRecord) -> None:
    _refuse_read_only(record.assessment)
    if not evidence_open(record):
        raise ActionRefused(
            f"The evidence for {record.requirement.ref} was submitted: it can be added to only "
            "where an assessor asks for more evidence",
            field="state",
        )


@transaction.atomic
def record_narrative_save(
    *,
    record: RequirementRecord,
    actor: User,
    expected_version: int,
    narrative: str,
    now: datetime | None = None,
) -> RequirementRecord:
    """The service's narrative for one requirement: at most 250 words (rule
    respect-accreditation)."""
    now = _now(now)
    _require_service_manager(assessment=record.assessment, actor=actor)
    record = _lock_record(record=record, expected_version=expected_version)
    _service_may_edit(record)
    narrative = narrative.strip()
    refusal = respect.narrative_refusal(ref=record.requirement.ref, text=narrative)
    if refusal:
        raise ActionRefused(refusal, rule_id=respect.RULE_ID, field="narrative")
    before = model_snapshot(instance=record)
    record.narrative = narrative
    record.narrative_updated_at = now
    record.narrative_updated_by = actor
    _save_record(record=record, actor=actor, before=before)
    return record


@transaction.atomic
def evidence_citation_add(
    *,
    record: RequirementRecord,
    document: EvidenceDocument,
    location: str,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> EvidenceCitation:
    """Cite a document of the service, at the page or section where the requirement is met."""
    now = _now(now)
    _require_service_manager(assessment=record.assessment, actor=actor)
    record = _lock_record(record=record, expected_version=expected_version)
    _service_may_edit(record)
    if document.service_id != record.assessment.service_id:
        raise ActionRefused("The document is not one of this service's", field="document")
    location = location.strip()
    if not location:
        raise ActionRefused(
            f"Give the page or section of {document.title} where {record.requirement.ref} is met",
            field="location",
        )
    if EvidenceCitation.objects.filter(record=record, document=document, location=location):
        raise ActionRefused(
            f"{document.title}, {location} is already cited for {record.requirement.ref}",
            field="location",
        )
    before = model_snapshot(instance=record)
    citation = EvidenceCitation.objects.create(
        record=record, document=document, location=location[:200], added_at=now, added_by=actor
    )
    _save_record(record=record, actor=actor, before=before)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=citation,
        after=model_snapshot(instance=citation),
    )
    return citation


@transaction.atomic
def evidence_citation_remove(
    *, citation: EvidenceCitation, actor: User, expected_version: int
) -> RequirementRecord:
    _require_service_manager(assessment=citation.record.assessment, actor=actor)
    record = _lock_record(record=citation.record, expected_version=expected_version)
    _service_may_edit(record)
    before = model_snapshot(instance=record)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.DELETED,
        target=citation,
        before=model_snapshot(instance=citation),
    )
    citation.delete()
    _save_record(record=record, actor=actor, before=before)
    return record


@transaction.atomic
def assessment_submit(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> Assessment:
    """The service submits its evidence: a narrative for every applicable indicator."""
    now = _now(now)
    _require_service_manager(assessment=assessment, actor=actor)
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_unless_state(assessment, [State.DRAFT], "submit the evidence")
    refusal = respect.survivor_support_refusal(service=assessment.service)
    if refusal:
        raise ActionRefused(refusal, rule_id=respect.RULE_ID, field="service")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    missing = [
        record
        for record in records
        if respect.needs_narrative(record.requirement) and not record.narrative.strip()
    ]
    if missing:
        raise ActionRefused(
            f"Write the narrative for {_refs(missing)} before submitting",
            rule_id=respect.RULE_ID,
            field="narrative",
        )
    for record in records:
        refusal = respect.narrative_refusal(ref=record.requirement.ref, text=record.narrative)
        if refusal:
            raise ActionRefused(refusal, rule_id=respect.RULE_ID, field="narrative")
    before = model_snapshot(instance=assessment)
    assessment.submitted_at = now
    return _transition(
        assessment=assessment, to=State.SUBMITTED, actor=actor, now=now, before=before
    )


# Respect accreditation: the assessor


@transaction.atomic
def desktop_assessment_start(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    now = _now(now)
    _require_assessor(assessment=assessment, actor=actor, doing="start the desktop assessment")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    return _transition(assessment=assessment, to=State.DESKTOP_ASSESSMENT, actor=actor, now=now)


@transaction.atomic
def site_visit_start(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """From the desktop assessment to the site visit: case files, interviews, recorded sessions
    and documents seen on site."""
    now = _now(now)
    _require_assessor(assessment=assessment, actor=actor, doing="start the site visit")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    return _transition(assessment=assessment, to=State.SITE_VISIT, actor=actor, now=now)


def findings_open(assessment: Assessment) -> bool:
    """Whether the assessor records findings now: at the desktop assessment, the site visit, and
    on a report returned for changes."""
    return assessment.state in _JUDGING_STATES


def _require_judging(*, record: RequirementRecord) -> None:
    assessment = record.assessment
    _refuse_read_only(assessment)
    _refuse_unless_state(assessment, _JUDGING_STATES, "record findings")


@transaction.atomic
def method_judgement_record(
    *,
    record: RequirementRecord,
    method: AssessmentMethod,
    result: Judgement,
    evidence_notes: str,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> MethodJudgement:
    """The finding by one of the methods the library names for the requirement, with the
    evidence seen and verified. Changing a method's finding away from met reopens a requirement
    judged met."""
    now = _now(now)
    _require_assessor(assessment=record.assessment, actor=actor, doing="record findings")
    record = _lock_record(record=record, expected_version=expected_version)
    _require_judging(record=record)
    method, result = AssessmentMethod(method), Judgement(result)
    ref = record.requirement.ref
    methods = record.requirement.assessment_methods
    if method not in methods:
        named = "; ".join(AssessmentMethod(value).label.lower() for value in methods) or "none"
        raise ActionRefused(
            f"{ref} is not assessed by {method.label.lower()}: its methods are {named}",
            field="method",
        )
    if record.assessment.state == State.DESKTOP_ASSESSMENT and method not in _DESKTOP_METHODS:
        raise ActionRefused(
            f"{method.label} is done at the site visit: the desktop assessment judges the "
            "written submission",
            field="method",
        )
    evidence_notes = evidence_notes.strip()
    if not evidence_notes:
        raise ActionRefused(
            f"Note the evidence seen and verified by {method.label.lower()} for {ref}",
            field="evidence_notes",
        )
    before = model_snapshot(instance=record)
    judgement, created = MethodJudgement.objects.update_or_create(
        record=record,
        method=method,
        defaults={
            "result": result,
            "evidence_notes": evidence_notes,
            "judged_at": now,
            "judged_by": actor,
        },
    )
    if record.judgement == Judgement.MET and result != Judgement.MET:
        record.judgement = ""
    _save_record(record=record, actor=actor, before=before)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED,
        target=judgement,
        after=model_snapshot(instance=judgement),
    )
    return judgement


def methods_not_met(record: RequirementRecord) -> list[str]:
    """Why the requirement cannot be judged met: each of its methods not yet judged, or judged
    other than met. Empty when every method is done and met."""
    found = {judgement.method: judgement.result for judgement in record.method_judgements.all()}
    reasons = []
    for value in record.requirement.assessment_methods:
        label = AssessmentMethod(value).label.lower()
        if value not in found:
            reasons.append(f"not yet judged by {label}")
        elif found[value] != Judgement.MET:
            reasons.append(f"{Judgement(found[value]).label.lower()} by {label}")
    return reasons


@transaction.atomic
def record_judge(
    *,
    record: RequirementRecord,
    judgement: Judgement,
    basis: str,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> RequirementRecord:
    """The assessor's judgement of the requirement and its basis: the recommendation to the panel.
    Met only when every method the library names for it is done and met."""
    now = _now(now)
    _require_assessor(assessment=record.assessment, actor=actor, doing="record findings")
    record = _lock_record(record=record, expected_version=expected_version)
    _require_judging(record=record)
    judgement = Judgement(judgement)
    basis = basis.strip()
    if not basis:
        raise ActionRefused(
            f"Give the basis of the judgement of {record.requirement.ref}: the evidence seen "
            "and verified",
            field="basis",
        )
    if judgement == Judgement.MET:
        reasons = methods_not_met(record)
        if reasons:
            raise ActionRefused(
                f"{record.requirement.ref} cannot be judged met: {'; '.join(reasons)}",
                field="judgement",
            )
    before = model_snapshot(instance=record)
    record.judgement = judgement
    record.judgement_basis = basis
    record.judged_at = now
    record.judged_by = actor
    _save_record(record=record, actor=actor, before=before)
    return record


def unmet_records(*, assessment: Assessment) -> list[RequirementRecord]:
    """The applicable requirements not judged met: accreditation needs none (R22 "must pass all
    applicable requirements")."""
    return list(
        assessment.records.exclude(judgement=Judgement.MET)
        .select_related("requirement")
        .order_by("position")
    )


@transaction.atomic
def assessor_report_submit(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    recommendation: Recommendation,
    summary: str,
    now: datetime | None = None,
) -> Assessment:
    """The assessor's report goes to internal verification: every indicator judged met or not
    met with its basis, and the recommendation to the panel."""
    now = _now(now)
    _require_assessor(assessment=assessment, actor=actor, doing="submit the report")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_unless_state(assessment, [State.SITE_VISIT, State.REPORT_RETURNED], "submit the report")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    unjudged = [r for r in records if r.judgement not in (Judgement.MET, Judgement.NOT_MET)]
    if unjudged:
        raise ActionRefused(
            f"Judge {_refs(unjudged)} met or not met before submitting the report",
            field="judgement",
        )
    recommendation = Recommendation(recommendation)
    not_met = [r for r in records if r.judgement != Judgement.MET]
    if recommendation == Recommendation.ACCREDIT and not_met:
        raise ActionRefused(
            f"Accreditation needs every applicable indicator met: {_refs(not_met)} not met",
            rule_id=respect.RULE_ID,
            field="recommendation",
        )
    summary = summary.strip()
    if not summary:
        raise ActionRefused("Summarise the basis of the recommendation", field="summary")
    before = model_snapshot(instance=assessment)
    AssessorReport.objects.update_or_create(
        assessment=assessment,
        defaults={
            "recommendation": recommendation,
            "summary": summary,
            "submitted_at": now,
            "submitted_by": actor,
        },
    )
    return _transition(
        assessment=assessment,
        to=State.REPORT_DRAFTED,
        actor=actor,
        now=now,
        note=f"recommends: {recommendation.label.lower()}",
        before=before,
    )


# Respect accreditation: internal verification and the panel


@transaction.atomic
def assessor_report_verify(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    outcome: VerificationOutcome,
    notes: str,
    now: datetime | None = None,
) -> Assessment:
    """Internal verification, by someone other than the assessor: approved for the panel, or
    returned to the assessor for changes."""
    now = _now(now)
    _require_part(
        assessment=assessment,
        actor=actor,
        parts=[Part.INTERNAL_VERIFIER],
        duty=Part.INTERNAL_VERIFIER,
        doing="verify the report",
    )
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_unless_state(assessment, [State.REPORT_DRAFTED], "verify the report")
    outcome = VerificationOutcome(outcome)
    notes = notes.strip()
    if not notes:
        raise ActionRefused("Write the verifier's notes", field="notes")
    before = model_snapshot(instance=assessment)
    verification = ReportVerification.objects.create(
        assessment=assessment, outcome=outcome, notes=notes, verified_at=now, verified_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=verification,
        after=model_snapshot(instance=verification),
    )
    to = (
        State.INTERNALLY_VERIFIED
        if outcome == VerificationOutcome.APPROVED
        else (State.REPORT_RETURNED)
    )
    return _transition(assessment=assessment, to=to, actor=actor, now=now, before=before)


@transaction.atomic
def assessment_refer_to_panel(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """A lead assessor sends the verified report to the panel, once a panel member who has
    declared no conflict of interest is allocated."""
    now = _now(now)
    _require_coordinator(actor=actor, doing="refer an assessment to the panel")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_unless_state(assessment, [State.INTERNALLY_VERIFIED], "refer it to the panel")
    declared_panel = AssessmentParticipant.objects.filter(
        assessment=assessment, part=Part.PANEL_MEMBER, declaration__no_conflict=True
    )
    if not declared_panel.exists():
        raise ActionRefused(
            "Allocate a panel member, who must declare no conflict of interest, first",
            field="participants",
        )
    return _transition(assessment=assessment, to=State.PANEL, actor=actor, now=now)


@dataclass(frozen=True)
class ConditionDetails:
    description: str
    due_on: date


@transaction.atomic
def panel_decision_record(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    outcome: DecisionOutcome,
    reasons: str,
    conditions: list[ConditionDetails] | None = None,
    now: datetime | None = None,
) -> Assessment:
    """The panel's decision with its reasons. Accredited only when every applicable indicator is
    met and the service has survivor support, for 3 years; deferred with conditions, each with
    a due date, for the service to meet; or not accredited. The panel cannot change findings."""
    now = _now(now)
    _require_part(
        assessment=assessment,
        actor=actor,
        parts=[Part.PANEL_MEMBER],
        duty=Part.PANEL_MEMBER,
        doing="record the panel's decision",
    )
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_unless_state(assessment, [State.PANEL], "record the panel's decision")
    outcome = DecisionOutcome(outcome)
    conditions = conditions or []
    reasons = reasons.strip()
    if not reasons:
        raise ActionRefused("Give the panel's reasons for its decision", field="reasons")
    today = timezone.localdate(now)
    if outcome == DecisionOutcome.ACCREDITED:
        not_met = unmet_records(assessment=assessment)
        if not_met:
            raise ActionRefused(
                f"Accreditation needs every applicable indicator met: {_refs(not_met)} not met",
                rule_id=respect.RULE_ID,
                field="outcome",
            )
        refusal = respect.survivor_support_refusal(service=assessment.service)
        if refusal:
            raise ActionRefused(refusal, rule_id=respect.RULE_ID, field="outcome")
    if outcome == DecisionOutcome.DEFERRED:
        if not conditions:
            raise ActionRefused("A deferral needs at least one condition", field="conditions")
        for number, condition in enumerate(conditions, start=1):
            if not condition.description.strip():
                raise ActionRefused(f"Describe condition {number}", field="conditions")
            if condition.due_on <= today:
                raise ActionRefused(
                    f"Condition {number} must be due after today", field="conditions"
                )
    elif conditions:
        raise ActionRefused("Only a deferral carries conditions", field="conditions")
    before = model_snapshot(instance=assessment)
    decision = PanelDecision.objects.create(
        assessment=assessment, outcome=outcome, reasons=reasons, decided_at=now, decided_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=decision,
        after=model_snapshot(instance=decision),
    )
    for condition in conditions:
        # The service meets its conditions: the manager who applied owns them.
        action_create(
            assessment=assessment,
            panel_decision=decision,
            description=condition.description,
            owner=assessment.created_by,
            due_on=condition.due_on,
            actor=actor,
            now=now,
        )
    assessment.decided_at = now
    if outcome == DecisionOutcome.ACCREDITED:
        assessment.expires_on = respect.accreditation_expires_on(today)
    assessment = _transition(
        assessment=assessment,
        to=State(outcome.value),
        actor=actor,
        now=now,
        note=reasons,
        before=before,
    )
    previous = assessment.previous
    if outcome == DecisionOutcome.ACCREDITED and previous and previous.state == State.ACCREDITED:
        _transition(
            assessment=_lock_assessment(assessment=previous, expected_version=None),
            to=State.REACCREDITED,
            actor=actor,
            now=now,
            note=f"superseded by assessment {assessment.pk}",
        )
    return assessment


@transaction.atomic
def deferral_condition_meet(
    *,
    condition: Action,
    actor: User,
    expected_version: int,
    evidence: str,
    document: EvidenceDocument | None = None,
    now: datetime | None = None,
) -> Action:
    """The service shows it has met a condition of a deferral. When the last one is met, the
    assessment returns to the panel."""
    now = _now(now)
    assessment = _lock_assessment(assessment=condition.assessment, expected_version=None)
    _require_service_manager(assessment=assessment, actor=actor)
    if condition.panel_decision_id is None:
        raise ActionRefused("This action is not a condition of a deferral", field="condition")
    _refuse_unless_state(assessment, [State.DEFERRED], "meet a condition of a deferral")
    closed = action_close(
        action=condition,
        actor=actor,
        expected_version=expected_version,
        evidence=evidence,
        document=document,
        now=now,
    )
    if not open_conditions_of(assessment=assessment).exists():
        _transition(
            assessment=assessment,
            to=State.PANEL,
            actor=actor,
            now=now,
            note="every condition of the deferral met",
        )
    return closed


@transaction.atomic
def accreditations_expire(*, today: date, now: datetime | None = None) -> int:
    """Accreditations whose 3 years are up on `today` become expired; returns how many. Run daily
    (the public register already leaves out an expired one by its date)."""
    now = _now(now)
    due = Assessment.objects.select_for_update().filter(
        process=Process.RESPECT_ACCREDITATION, state=State.ACCREDITED, expires_on__lte=today
    )
    count = 0
    for assessment in due:
        _transition(
            assessment=assessment,
            to=State.EXPIRED,
            actor=None,
            now=now,
            note=f"3 years from the decision ended on {assessment.expires_on:%d %B %Y}",
        )
        count += 1
    return count
