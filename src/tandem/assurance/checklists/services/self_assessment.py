"""Self-assessment for readiness (rule self-assessment): a service's managers rate it against any
framework of the library, and keep the result to compare the next one with."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.assurance.checklists import gates
from tandem.assurance.checklists.rules import (
    SELF_EVALUATE,
)
from tandem.assurance.checklists.services.ratings import (
    rated_record_save,
    unrated_records,
)
from tandem.assurance.labels import record_label, records_named
from tandem.assurance.models import (
    Assessment,
    Process,
    RequirementRecord,
    SelfRating,
    State,
)
from tandem.assurance.respect.gates import scope_refusal
from tandem.assurance.rules import MANAGE_SERVICE
from tandem.assurance.services import (
    assessment_with_records_create,
    lock_assessment,
    lock_record,
    refuse_other_process,
    refuse_read_only,
    refuse_unless_state,
    transition,
)
from tandem.audit.services import model_snapshot
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service
from tandem.standards.models import Framework


@transaction.atomic
def self_assessment_start(
    *,
    service: Service,
    framework: Framework,
    actor: User,
    scope: list[str] | None = None,
    now: datetime | None = None,
) -> Assessment:
    """A service manager checks the service against any framework in the library: a record for
    each of its finest requirements (`gates.readiness_requirements`), only those that
    apply to the interventions named in `scope`, when there is one."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_SERVICE,
        target=service,
        refusal=f"Only a service manager of {service.name} can assess it",
    )
    if not framework.is_current:
        raise ActionRefused(
            f"{framework.title} ({framework.edition}) is not the current edition",
            field="framework",
        )
    scope = sorted(set(scope or []))
    if scope:
        refusal = scope_refusal(service=service, scope=scope)
        if refusal:
            raise ActionRefused(refusal, field="scope")
    process = Process.SELF_ASSESSMENT
    assessments = Assessment.objects.filter(
        service=service, process=process, framework__slug=framework.slug
    )
    if assessments.filter(state=State.DRAFT).exists():
        raise ActionRefused(
            f"{service.name} already has a self-assessment against {framework.title} in progress",
            field="framework",
        )
    return assessment_with_records_create(
        service=service,
        process=process,
        framework=framework,
        requirements=gates.readiness_requirements(framework=framework, scope=scope),
        actor=actor,
        now=now,
        scope=scope,
        previous=assessments.filter(state=State.COMPLETED).order_by("-pk").first(),
    )


@transaction.atomic
def self_assessment_record_rate(
    *,
    record: RequirementRecord,
    actor: User,
    expected_version: int,
    rating: SelfRating | str,
    evidence: str,
    now: datetime | None = None,
) -> RequirementRecord:
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=SELF_EVALUATE,
        target=record.assessment,
        refusal=f"Only a service manager of {record.assessment.service.name} can rate it",
    )
    record = lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    refuse_other_process(assessment, Process.SELF_ASSESSMENT)
    refuse_read_only(assessment)
    if rating not in SelfRating.values:
        raise ActionRefused(
            f"Rate {record_label(record)} met, partly met or not met", field="rating"
        )
    evidence = evidence.strip()
    if not evidence:
        raise ActionRefused(f"Give the evidence for {record_label(record)}", field="evidence")
    return rated_record_save(
        record=record, actor=actor, now=now, rating=SelfRating(rating), evidence=evidence
    )


@transaction.atomic
def self_assessment_complete(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """Keep the self-assessment as it stands, every requirement rated: the next one is compared
    with it."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=SELF_EVALUATE,
        target=assessment,
        refusal=f"Only a service manager of {assessment.service.name} can complete it",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_other_process(assessment, Process.SELF_ASSESSMENT)
    refuse_unless_state(assessment, [State.DRAFT], "complete the self-assessment")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    unrated = unrated_records(records)
    if unrated:
        raise ActionRefused(
            f"Rate {records_named(unrated)} with evidence before completing", field="rating"
        )
    result = gates.readiness(record.rating for record in records)
    before = model_snapshot(instance=assessment)
    assessment.decided_at = now
    return transition(
        assessment=assessment,
        to=State.COMPLETED,
        actor=actor,
        now=now,
        note=f"{result.met} of {result.applicable} met ({result.percent_met}%)",
        before=before,
    )
