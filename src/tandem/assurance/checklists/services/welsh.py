"""The Welsh commissioning checklist (WG section 4, section 6, Appendix 1; rule welsh-checklist),
completed by a commissioner of the service: starting it (specialist accreditation decides which
questions it rates), each question's evidence and RAG rating (an Amber item's improvement
action, reviewed within the agreed timeframe), and completing it with its outcome."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.assurance.checklists import gates
from tandem.assurance.checklists.rules import (
    COMMISSION,
    COMMISSION_SERVICE,
)
from tandem.assurance.checklists.selectors import (
    WELSH_COMPLETE,
    commissioners_of,
    staff_of,
)
from tandem.assurance.checklists.services.ratings import (
    ActionDetails,
    rated_record_save,
    record_action_set,
    unrated_records,
)
from tandem.assurance.labels import record_label, records_named
from tandem.assurance.models import (
    ActionStatus,
    Assessment,
    Part,
    Process,
    RagRating,
    RequirementRecord,
    SpecialistAccreditation,
    State,
    WelshChecklist,
)
from tandem.assurance.respect.selectors import current_respect_accreditation
from tandem.assurance.services import (
    action_create,
    assessment_with_records_create,
    current_framework,
    lock_assessment,
    lock_record,
    participant_create,
    refuse_other_process,
    refuse_read_only,
    refuse_unless_state,
    transition,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service


@transaction.atomic
def welsh_checklist_start(
    *,
    service: Service,
    actor: User,
    accreditation: SpecialistAccreditation | str,
    accreditation_evidence: str,
    review_within_weeks: int,
    now: datetime | None = None,
) -> Assessment:
    """A commissioner starts a checklist of a service they commission. Appendix 1's first
    question, whether it holds specialist accreditation, decides which questions it rates
    (`gates.welsh_checklist_questions`); the agreed timeframe bounds the review dates
    of Amber items. The service's last completed checklist is the review it follows."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    refuse_unless_permitted(
        actor=actor,
        permission=COMMISSION_SERVICE,
        target=service,
        refusal=f"Only a commissioner of {service.name} can start its checklist",
        field="service",
    )
    if Assessment.objects.filter(
        service=service, process=Process.WELSH_COMMISSIONING, state=State.DRAFT
    ).exists():
        raise ActionRefused(f"{service.name} already has a checklist in progress", field="service")
    if accreditation not in SpecialistAccreditation.values:
        raise ActionRefused(
            "Say whether the service holds specialist accreditation", field="accreditation"
        )
    accreditation = SpecialistAccreditation(accreditation)
    refusal = gates.review_weeks_refusal(review_within_weeks)
    if refusal:
        raise ActionRefused(refusal, rule_id=gates.WELSH_RULE_ID, field="review_within_weeks")
    respect_current = current_respect_accreditation(service=service, today=today)
    refusal = gates.specialist_accreditation_refusal(
        accreditation=accreditation,
        evidence=accreditation_evidence,
        respect_confirmed=respect_current is not None,
    )
    if refusal:
        raise ActionRefused(refusal, rule_id=gates.WELSH_RULE_ID, field="accreditation_evidence")
    framework = current_framework("wales-perpetrator")
    previous = (
        Assessment.objects.filter(
            service=service, process=Process.WELSH_COMMISSIONING, state__in=WELSH_COMPLETE
        )
        .order_by("-decided_at", "-pk")
        .first()
    )
    assessment = assessment_with_records_create(
        service=service,
        process=Process.WELSH_COMMISSIONING,
        framework=framework,
        requirements=gates.welsh_checklist_questions(
            framework=framework, accreditation=accreditation
        ),
        actor=actor,
        now=now,
        previous=previous,
    )
    checklist = WelshChecklist.objects.create(
        assessment=assessment,
        specialist_accreditation=accreditation,
        accreditation_evidence=accreditation_evidence.strip(),
        review_within_weeks=review_within_weeks,
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=checklist,
        after=model_snapshot(instance=checklist),
    )
    participant_create(
        assessment=assessment, user=actor, part=Part.COMMISSIONER, actor=actor, now=now
    )
    return assessment


def _action_owners(assessment: Assessment, *, now: datetime) -> list[User]:
    """Who may own an action on the assessment: the service's staff and its commissioners."""
    today = timezone.localdate(now)
    return [
        *staff_of(service=assessment.service, today=today),
        *commissioners_of(service=assessment.service, today=today),
    ]


@transaction.atomic
def welsh_question_rate(
    *,
    record: RequirementRecord,
    actor: User,
    expected_version: int,
    rating: RagRating | str,
    evidence: str,
    improvement: ActionDetails | None = None,
    now: datetime | None = None,
) -> RequirementRecord:
    """The commissioner's evidence and RAG rating for one checklist question. An Amber item gets
    an improvement action with an owner and a review date within the checklist's agreed
    timeframe (`gates.review_date_refusal`); rating it otherwise drops that action."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=COMMISSION,
        target=record.assessment,
        refusal=f"Only a commissioner of {record.assessment.service.name} can complete its "
        "checklist",
    )
    record = lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    refuse_other_process(assessment, Process.WELSH_COMMISSIONING)
    refuse_read_only(assessment)
    if rating not in RagRating.values:
        raise ActionRefused(
            f"Rate {record_label(record)} Red, Amber or Green",
            rule_id=gates.WELSH_RULE_ID,
            field="rating",
        )
    evidence = evidence.strip()
    if not evidence:
        raise ActionRefused(
            f"Give the evidence for {record_label(record)}",
            rule_id=gates.WELSH_RULE_ID,
            field="evidence",
        )
    weeks = WelshChecklist.objects.get(assessment=assessment).review_within_weeks
    today = timezone.localdate(now)
    record_action_set(
        record=record,
        details=improvement,
        needed=rating == RagRating.AMBER,
        owners=_action_owners(assessment, now=now),
        due_field="review_on",
        due_refusal=(
            gates.review_date_refusal(review_on=improvement.due_on, today=today, weeks=weeks)
            if improvement and improvement.due_on
            else None
        ),
        actor=actor,
        now=now,
        rule_id=gates.WELSH_RULE_ID,
    )
    return rated_record_save(
        record=record, actor=actor, now=now, rating=RagRating(rating), evidence=evidence
    )


@transaction.atomic
def welsh_checklist_complete(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    reassess_by: date | None = None,
    now: datetime | None = None,
) -> Assessment:
    """The commissioner completes the checklist once every question is rated with evidence. Its
    outcome is `gates.welsh_outcome`: any Red does not meet the standards, and a
    reassessment becomes due by `reassess_by` (an action of the commissioner's); Amber items
    are reviewed through their improvement actions; all Green meets the standards."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=COMMISSION,
        target=assessment,
        refusal=f"Only a commissioner of {assessment.service.name} can complete its checklist",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_other_process(assessment, Process.WELSH_COMMISSIONING)
    refuse_unless_state(assessment, [State.DRAFT], "complete the checklist")
    records = list(
        assessment.records.select_related("requirement", "assessment").order_by("position")
    )
    unrated = unrated_records(records)
    if unrated:
        raise ActionRefused(
            f"Rate {records_named(unrated)} with evidence before completing the checklist",
            rule_id=gates.WELSH_RULE_ID,
            field="rating",
        )
    without_action = [
        record
        for record in records
        if record.rating == RagRating.AMBER
        and not record.actions.filter(status=ActionStatus.OPEN).exists()
    ]
    if without_action:
        raise ActionRefused(
            f"Set the improvement action for Amber {records_named(without_action)}",
            rule_id=gates.WELSH_RULE_ID,
            field="action",
        )
    outcome = gates.welsh_outcome(record.rating for record in records)
    if outcome is None:
        raise ActionRefused(
            "Rate every item before completing the checklist", rule_id=gates.WELSH_RULE_ID
        )
    red = [record for record in records if record.rating == RagRating.RED]
    before = model_snapshot(instance=assessment)
    if outcome == State.DOES_NOT_MEET:
        if reassess_by is None:
            raise ActionRefused(
                "Give the date the service is to be reassessed by: Red items mean it must "
                "address them and be reassessed",
                rule_id=gates.WELSH_RULE_ID,
                field="reassess_by",
            )
        try:
            action_create(
                assessment=assessment,
                description=(
                    f"Reassess {assessment.service.name} against the Welsh standards once it "
                    f"has addressed the Red items: {records_named(red)}"
                ),
                owner=actor,
                due_on=reassess_by,
                actor=actor,
                now=now,
            )
        except ActionRefused as refusal:
            raise ActionRefused(
                refusal.message, rule_id=gates.WELSH_RULE_ID, field="reassess_by"
            ) from None
    elif reassess_by is not None:
        raise ActionRefused(
            "A reassessment date is set only when an item is Red", field="reassess_by"
        )
    assessment.decided_at = now
    return transition(
        assessment=assessment,
        to=outcome,
        actor=actor,
        now=now,
        note=f"Red {len(red)}, Amber "
        f"{sum(1 for r in records if r.rating == RagRating.AMBER)}, Green "
        f"{sum(1 for r in records if r.rating == RagRating.GREEN)}",
        before=before,
    )
