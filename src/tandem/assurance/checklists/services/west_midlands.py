"""The West Midlands self-evaluation (WM "Implementation and monitoring"; rule
west-midlands-self-evaluation): the agency's service managers rate each standard and bullet with
evidence and an action for each short of met, then another agency's peer reviewer agrees with or
challenges each rating; a challenged rating becomes an action for the agency."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.assurance.checklists import gates
from tandem.assurance.checklists.rules import (
    PEER_REVIEW,
    SELF_EVALUATE,
)
from tandem.assurance.checklists.selectors import (
    staff_of,
)
from tandem.assurance.checklists.services.ratings import (
    ActionDetails,
    rated_record_save,
    record_action_set,
    unrated_records,
)
from tandem.assurance.gates import duty_conflict
from tandem.assurance.labels import record_label, records_named
from tandem.assurance.models import (
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    Part,
    PeerReviewFinding,
    Process,
    RequirementRecord,
    SelfRating,
    State,
)
from tandem.assurance.rules import MANAGE_SERVICE
from tandem.assurance.services import (
    action_create,
    assessment_with_records_create,
    current_framework,
    lock_assessment,
    lock_record,
    participant_create,
    refuse_other_process,
    refuse_read_only,
    refuse_unless_acting,
    refuse_unless_state,
    save_record,
    transition,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.organisations.models import Service


@transaction.atomic
def west_midlands_self_evaluation_start(
    *, service: Service, actor: User, now: datetime | None = None
) -> Assessment:
    """An agency's service manager starts a self-evaluation against the West Midlands standards:
    a record for each standard and each of its bullets. It follows the agency's last one."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_SERVICE,
        target=service,
        refusal=f"Only a service manager of {service.name} can start its self-evaluation",
    )
    process = Process.WEST_MIDLANDS_SELF_EVALUATION
    evaluations = Assessment.objects.filter(service=service, process=process)
    if evaluations.filter(state__in=[State.DRAFT, State.PEER_REVIEW]).exists():
        raise ActionRefused(
            f"{service.name} already has a self-evaluation under way", field="service"
        )
    framework = current_framework("west-midlands-dva")
    return assessment_with_records_create(
        service=service,
        process=process,
        framework=framework,
        requirements=gates.west_midlands_requirements(framework=framework),
        actor=actor,
        now=now,
        previous=evaluations.filter(state=State.PEER_REVIEWED).order_by("-pk").first(),
    )


@transaction.atomic
def west_midlands_record_rate(
    *,
    record: RequirementRecord,
    actor: User,
    expected_version: int,
    rating: SelfRating | str,
    evidence: str,
    action: ActionDetails | None = None,
    now: datetime | None = None,
) -> RequirementRecord:
    """The agency's self-rating of a standard or bullet, with its evidence; partly met or not
    met needs the action it will take (owner and due date)."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=SELF_EVALUATE,
        target=record.assessment,
        refusal=f"Only a service manager of {record.assessment.service.name} can rate its "
        "self-evaluation",
    )
    record = lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    refuse_read_only(assessment)
    refuse_unless_state(assessment, [State.DRAFT], "change a self-rating")
    if rating not in SelfRating.values:
        raise ActionRefused(
            f"Rate {record_label(record)} met, partly met or not met", field="rating"
        )
    evidence = evidence.strip()
    if not evidence:
        raise ActionRefused(f"Give the evidence for {record_label(record)}", field="evidence")
    today = timezone.localdate(now)
    record_action_set(
        record=record,
        details=action,
        needed=gates.rating_needs_action(rating),
        owners=staff_of(service=assessment.service, today=today),
        due_field="due_on",
        due_refusal=(
            "The action's due date must be after today"
            if action and action.due_on and action.due_on <= today
            else None
        ),
        actor=actor,
        now=now,
        rule_id=gates.WEST_MIDLANDS_RULE_ID,
    )
    return rated_record_save(
        record=record, actor=actor, now=now, rating=SelfRating(rating), evidence=evidence
    )


@transaction.atomic
def peer_reviewer_add(
    *, assessment: Assessment, user: User, actor: User, now: datetime | None = None
) -> AssessmentParticipant:
    """The agency asks another agency's reviewer to review its self-evaluation
    (`gates.peer_reviewer_refusal`). They declare no conflict of interest before
    they see it."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=SELF_EVALUATE,
        target=assessment,
        refusal=f"Only a service manager of {assessment.service.name} can choose its peer reviewer",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=None)
    refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    refuse_read_only(assessment)
    refusal = gates.peer_reviewer_refusal(service=assessment.service, reviewer=user)
    if refusal:
        raise ActionRefused(refusal, rule_id=gates.WEST_MIDLANDS_RULE_ID, field="user")
    conflict = duty_conflict(assessment=assessment, user=user, part=Part.PEER_REVIEWER)
    if conflict:
        raise ActionRefused(conflict, field="user")
    reviewers = AssessmentParticipant.objects.filter(
        assessment=assessment, part=Part.PEER_REVIEWER
    ).exclude(declaration__no_conflict=False)
    if reviewers.exists():
        raise ActionRefused(
            "The self-evaluation already has a peer reviewer (unless they declare a conflict "
            "of interest)",
            field="user",
        )
    if AssessmentParticipant.objects.filter(
        assessment=assessment, part=Part.PEER_REVIEWER, user=user
    ).exists():
        raise ActionRefused(
            f"{person_name(user)} has declared a conflict of interest with this agency",
            field="user",
        )
    return participant_create(
        assessment=assessment, user=user, part=Part.PEER_REVIEWER, actor=actor, now=now
    )


@transaction.atomic
def west_midlands_submit(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """The agency sends its self-evaluation to its peer reviewer: every standard and bullet
    rated with evidence, and an action for each short of met."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=SELF_EVALUATE,
        target=assessment,
        refusal=f"Only a service manager of {assessment.service.name} can submit its "
        "self-evaluation",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    refuse_unless_state(assessment, [State.DRAFT], "submit the self-evaluation")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    unrated = unrated_records(records)
    if unrated:
        raise ActionRefused(
            f"Rate {records_named(unrated)} with evidence before submitting", field="rating"
        )
    no_action = [
        record
        for record in records
        if gates.rating_needs_action(record.rating)
        and not record.actions.filter(status=ActionStatus.OPEN).exists()
    ]
    if no_action:
        raise ActionRefused(
            f"Set the action for {records_named(no_action)}",
            rule_id=gates.WEST_MIDLANDS_RULE_ID,
            field="action",
        )
    reviewers = AssessmentParticipant.objects.filter(
        assessment=assessment, part=Part.PEER_REVIEWER
    ).exclude(declaration__no_conflict=False)
    if not reviewers.exists():
        raise ActionRefused(
            "Choose a peer reviewer from another agency first",
            rule_id=gates.WEST_MIDLANDS_RULE_ID,
            field="participants",
        )
    before = model_snapshot(instance=assessment)
    assessment.submitted_at = now
    return transition(
        assessment=assessment, to=State.PEER_REVIEW, actor=actor, now=now, before=before
    )


@transaction.atomic
def peer_review_record(
    *,
    record: RequirementRecord,
    actor: User,
    expected_version: int,
    agrees: bool,
    comment: str,
    now: datetime | None = None,
) -> PeerReviewFinding:
    """The peer reviewer agrees with or challenges one self-rating; a challenge says why."""
    now = now or timezone.now()
    refuse_unless_acting(
        assessment=record.assessment,
        actor=actor,
        permission=PEER_REVIEW,
        parts=[Part.PEER_REVIEWER],
        duty=Part.PEER_REVIEWER,
        doing="review the self-evaluation",
    )
    record = lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    refuse_read_only(assessment)
    refuse_unless_state(assessment, [State.PEER_REVIEW], "review a self-rating")
    comment = comment.strip()
    if not agrees and not comment:
        raise ActionRefused(
            f"Say why you challenge the rating of {record_label(record)}", field="comment"
        )
    before = model_snapshot(instance=record)
    finding, created = PeerReviewFinding.objects.update_or_create(
        record=record,
        defaults={"agrees": agrees, "comment": comment, "reviewed_at": now, "reviewed_by": actor},
    )
    save_record(record=record, actor=actor, before=before)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED,
        target=finding,
        after=model_snapshot(instance=finding),
    )
    return finding


@transaction.atomic
def peer_review_complete(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    actions_due_on: date | None = None,
    now: datetime | None = None,
) -> Assessment:
    """The peer reviewer completes the review once every rating is agreed or challenged. Each
    challenged rating becomes an action for the agency, owned by whoever rated it, due on
    `actions_due_on`."""
    now = now or timezone.now()
    refuse_unless_acting(
        assessment=assessment,
        actor=actor,
        permission=PEER_REVIEW,
        parts=[Part.PEER_REVIEWER],
        duty=Part.PEER_REVIEWER,
        doing="complete the peer review",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    refuse_unless_state(assessment, [State.PEER_REVIEW], "complete the peer review")
    records = list(
        assessment.records.select_related("requirement", "peer_review", "assessment").order_by(
            "position"
        )
    )
    unreviewed = [record for record in records if not hasattr(record, "peer_review")]
    if unreviewed:
        raise ActionRefused(
            f"Agree with or challenge {records_named(unreviewed)} before completing the review",
            field="agrees",
        )
    challenged = [record for record in records if not record.peer_review.agrees]
    if challenged and actions_due_on is None:
        raise ActionRefused(
            "Give the date by which the agency must act on the challenged ratings",
            field="actions_due_on",
        )
    if not challenged and actions_due_on is not None:
        raise ActionRefused(
            "No rating is challenged: there are no actions to set a date for",
            field="actions_due_on",
        )
    before = model_snapshot(instance=assessment)
    for record in challenged:
        try:
            action_create(
                assessment=assessment,
                record=record,
                description=(
                    f"Peer reviewer challenged the rating of {record_label(record)} "
                    f"({SelfRating(record.rating).label.lower()}): {record.peer_review.comment}"
                ),
                owner=record.narrative_updated_by or assessment.created_by,
                due_on=actions_due_on,  # type: ignore[arg-type]
                actor=actor,
                now=now,
            )
        except ActionRefused as refusal:
            raise ActionRefused(refusal.message, field="actions_due_on") from None
    assessment.decided_at = now
    return transition(
        assessment=assessment,
        to=State.PEER_REVIEWED,
        actor=actor,
        now=now,
        note=f"{len(challenged)} rating{'s' if len(challenged) != 1 else ''} challenged",
        before=before,
    )
