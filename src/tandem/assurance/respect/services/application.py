"""A Respect accreditation's application and the service's evidence: applying, the documents
stored once per service, each indicator's narrative and citations, and submitting them (rule
respect-accreditation). Every step checks who is acting first: the service's own manager
(`rules.PREPARE_EVIDENCE`, or for the service itself `tandem.assurance.rules.MANAGE_SERVICE`).
"""

import hashlib
from datetime import datetime

from django.contrib.auth.models import User
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.assurance import workflow
from tandem.assurance.labels import records_named
from tandem.assurance.models import (
    Assessment,
    EvidenceCitation,
    EvidenceDocument,
    Process,
    RequirementRecord,
    State,
    evidence_path,
)
from tandem.assurance.respect import gates
from tandem.assurance.respect.rules import PREPARE_EVIDENCE
from tandem.assurance.respect.selectors import more_evidence_requested
from tandem.assurance.rules import MANAGE_SERVICE
from tandem.assurance.services import (
    assessment_create,
    lock_assessment,
    lock_record,
    refuse_read_only,
    refuse_unless_state,
    save_record,
    transition,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib import documents
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service

# Assessments of a service that are still running: a second one of the same process waits.
RUNNING_STATES = frozenset(
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

# Once the service has submitted, it adds evidence only where an assessor asked for more.
MORE_EVIDENCE_STATES = frozenset({State.SUBMITTED, State.DESKTOP_ASSESSMENT, State.SITE_VISIT})


def refuse_unless_preparing(*, assessment: Assessment, actor: User) -> None:
    """The service's evidence, and meeting a deferral's conditions, are its own managers' to do
    (`rules.PREPARE_EVIDENCE`)."""
    refuse_unless_permitted(
        actor=actor,
        permission=PREPARE_EVIDENCE,
        target=assessment,
        refusal=f"Only a service manager of {assessment.service.name} can do this",
    )


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
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_SERVICE,
        target=service,
        refusal=f"Only a service manager of {service.name} can apply for its accreditation",
        field="service",
    )
    refusal = gates.survivor_support_refusal(service=service)
    if refusal:
        raise ActionRefused(refusal, rule_id=gates.RULE_ID, field="service")
    refusal = gates.scope_refusal(service=service, scope=scope)
    if refusal:
        raise ActionRefused(refusal, rule_id=gates.RULE_ID, field="scope")
    if previous is not None and previous.state not in (State.ACCREDITED, State.EXPIRED):
        raise ActionRefused(
            "Reaccreditation follows an accreditation: the earlier assessment was not accredited",
            field="previous",
        )
    running = Assessment.objects.filter(
        service=service,
        process=Process.RESPECT_ACCREDITATION,
        state__in=RUNNING_STATES,
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
    return assessment.state in MORE_EVIDENCE_STATES and more_evidence_requested(record)


def refuse_unless_evidence_open(record: RequirementRecord) -> None:
    """For a change to the service's evidence: refused on a read-only assessment, and after the
    submission wherever no assessor asked for more."""
    refuse_read_only(record.assessment)
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
    now = now or timezone.now()
    refuse_unless_preparing(assessment=record.assessment, actor=actor)
    record = lock_record(record=record, expected_version=expected_version)
    refuse_unless_evidence_open(record)
    narrative = narrative.strip()
    refusal = gates.narrative_refusal(ref=record.requirement.ref, text=narrative)
    if refusal:
        raise ActionRefused(refusal, rule_id=gates.RULE_ID, field="narrative")
    before = model_snapshot(instance=record)
    record.narrative = narrative
    record.narrative_updated_at = now
    record.narrative_updated_by = actor
    save_record(record=record, actor=actor, before=before)
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
    now = now or timezone.now()
    refuse_unless_preparing(assessment=record.assessment, actor=actor)
    record = lock_record(record=record, expected_version=expected_version)
    refuse_unless_evidence_open(record)
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
    save_record(record=record, actor=actor, before=before)
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
    refuse_unless_preparing(assessment=citation.record.assessment, actor=actor)
    record = lock_record(record=citation.record, expected_version=expected_version)
    refuse_unless_evidence_open(record)
    before = model_snapshot(instance=record)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.DELETED,
        target=citation,
        before=model_snapshot(instance=citation),
    )
    citation.delete()
    save_record(record=record, actor=actor, before=before)
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
    now = now or timezone.now()
    refuse_unless_preparing(assessment=assessment, actor=actor)
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_unless_state(assessment, [State.DRAFT], "submit the evidence")
    refusal = gates.survivor_support_refusal(service=assessment.service)
    if refusal:
        raise ActionRefused(refusal, rule_id=gates.RULE_ID, field="service")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    missing = [
        record
        for record in records
        if gates.needs_narrative(record.requirement) and not record.narrative.strip()
    ]
    if missing:
        raise ActionRefused(
            f"Write the narrative for {records_named(missing)} before submitting",
            rule_id=gates.RULE_ID,
            field="narrative",
        )
    for record in records:
        refusal = gates.narrative_refusal(ref=record.requirement.ref, text=record.narrative)
        if refusal:
            raise ActionRefused(refusal, rule_id=gates.RULE_ID, field="narrative")
    before = model_snapshot(instance=assessment)
    assessment.submitted_at = now
    return transition(
        assessment=assessment, to=State.SUBMITTED, actor=actor, now=now, before=before
    )


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
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_SERVICE,
        target=service,
        refusal=f"Only a service manager of {service.name} can upload its evidence",
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
