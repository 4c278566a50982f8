"""Respect accreditation after the panel: the service's appeal and its hearing, reminders before
an accreditation expires, starting a (re)accreditation, and evidence given once (accepting or
declining evidence offered from an earlier assessment). Rules: `gates.py`, `deadlines.py`, and the
separation of duties' `tandem.assurance.gates.appeal_conflict`."""

from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.access.roles import MANAGER_ROLES
from tandem.assurance.gates import appeal_conflict
from tandem.assurance.models import (
    Appeal,
    AppealOutcome,
    Assessment,
    EvidenceCitation,
    EvidenceOfferDecision,
    ExpiryReminder,
    Part,
    Process,
    RequirementRecord,
    State,
)
from tandem.assurance.respect import gates
from tandem.assurance.respect.rules import APPEAL, HEAR_APPEAL
from tandem.assurance.respect.selectors import evidence_offers_for, latest_accreditation_of
from tandem.assurance.respect.services.application import (
    refuse_unless_evidence_open,
    refuse_unless_preparing,
    respect_accreditation_apply,
)
from tandem.assurance.services import (
    lock_assessment,
    lock_record,
    refuse_read_only,
    refuse_unless_acting,
    refuse_unless_state,
    save_record,
    transition,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.compliance import deadlines
from tandem.compliance.models import TaskSide
from tandem.compliance.services import due_task_create, due_tasks_complete
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.organisations.models import Service, StaffMembership

RULE_ID = gates.RULE_ID

# Processes whose records the service's own managers fill (the Welsh checklist is the
# commissioner's).
OFFER_PROCESSES = frozenset(
    {
        Process.RESPECT_ACCREDITATION,
        Process.WEST_MIDLANDS_SELF_EVALUATION,
        Process.SELF_ASSESSMENT,
    }
)


# Appeals


@transaction.atomic
def appeal_lodge(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    grounds: str,
    now: datetime | None = None,
) -> Appeal:
    """A senior manager of the service appeals the panel's latest decision (not accredited, or
    deferred) with its grounds, within the window (`gates.appeal_refusal`)."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=APPEAL,
        target=assessment,
        refusal=f"Only a senior manager of {assessment.service.name} can appeal its decision",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    decision = assessment.panel_decisions.order_by("-decided_at", "-pk").first()
    if decision is None or assessment.state not in (State.NOT_ACCREDITED, State.DEFERRED):
        raise ActionRefused(
            "Only a decision of “not accredited” or “deferred” can be appealed: the "
            f"assessment is “{State(assessment.state).label}”",
            rule_id=RULE_ID,
            field="state",
        )
    refusal = gates.appeal_refusal(
        decision=decision,
        decided_on=timezone.localdate(decision.decided_at),
        today=timezone.localdate(now),
    )
    if refusal:
        raise ActionRefused(refusal, rule_id=RULE_ID, field="state")
    if Appeal.objects.filter(decision=decision).exists():
        raise ActionRefused("This decision has already been appealed", field="state")
    grounds = grounds.strip()
    if not grounds:
        raise ActionRefused("Give the grounds of the appeal", field="grounds")
    before = model_snapshot(instance=assessment)
    appeal = Appeal.objects.create(
        assessment=assessment, decision=decision, grounds=grounds, lodged_at=now, lodged_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=appeal,
        after=model_snapshot(instance=appeal),
    )
    transition(
        assessment=assessment,
        to=State.APPEAL,
        actor=actor,
        now=now,
        note="appeal lodged",
        before=before,
    )
    return appeal


@transaction.atomic
def appeal_hear(
    *,
    appeal: Appeal,
    actor: User,
    expected_version: int,
    outcome: AppealOutcome,
    reasons: str,
    now: datetime | None = None,
) -> Appeal:
    """A panel member who did not decide it hears the appeal: upheld, the decision stands;
    overturned, the assessment returns to the panel for the appeal panel's new decision."""
    now = now or timezone.now()
    conflict = appeal_conflict(
        assessment=appeal.assessment, user_id=actor.pk, name=person_name(actor)
    )
    if conflict:
        raise ActionRefused(conflict, rule_id=RULE_ID, field="actor")
    refuse_unless_acting(
        assessment=appeal.assessment,
        actor=actor,
        permission=HEAR_APPEAL,
        parts=[Part.PANEL_MEMBER],
        duty=Part.PANEL_MEMBER,
        doing="hear the appeal",
    )
    assessment = lock_assessment(assessment=appeal.assessment, expected_version=expected_version)
    appeal = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
    if appeal.outcome:
        raise ActionRefused("This appeal has already been heard", field="outcome")
    refuse_unless_state(assessment, [State.APPEAL], "hear an appeal")
    outcome = AppealOutcome(outcome)
    reasons = reasons.strip()
    if not reasons:
        raise ActionRefused("Give the reasons for the appeal's outcome", field="reasons")
    before = model_snapshot(instance=appeal)
    appeal.outcome = outcome
    appeal.outcome_reasons = reasons
    appeal.heard_at = now
    appeal.heard_by = actor
    appeal.save()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=appeal,
        summary=outcome.label,
        before=before,
        after=model_snapshot(instance=appeal),
    )
    to = State.PANEL if outcome == AppealOutcome.OVERTURNED else State(appeal.decision.outcome)
    transition(assessment=assessment, to=to, actor=actor, now=now, note=f"appeal {outcome.value}")
    return appeal


# Expiry reminders and reaccreditation


def _senior_managers(service: Service) -> list[User]:
    today = timezone.localdate()
    memberships = StaffMembership.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        service=service,
        is_senior_manager=True,
        started_on__lte=today,
    )
    return list(
        User.objects.filter(
            pk__in=memberships.values("user"),
            groups__name__in=[role.value for role in MANAGER_ROLES],
        )
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def accreditation_expiry_reminders_send(*, today: date, now: datetime | None = None) -> int:
    """Each current accreditation whose reminder date
    (`deadlines.accreditation_expiry_reminders_on`) has come gets a due task for each of its
    service's senior managers, once per date; returns how many reminders were sent. Run daily.
    A run missed over both dates sends only the later reminder."""
    now = now or timezone.now()
    sent = 0
    current = Assessment.objects.filter(
        process=Process.RESPECT_ACCREDITATION, state=State.ACCREDITED, expires_on__gt=today
    ).select_related("service")
    for assessment in current:
        expires_on: date = assessment.expires_on  # type: ignore[assignment]
        reminders_on = deadlines.accreditation_expiry_reminders_on(expires_on=expires_on)
        reached = [remind_on for remind_on in reminders_on if remind_on <= today]
        if not reached:
            continue
        _, created = ExpiryReminder.objects.get_or_create(
            assessment=assessment, remind_on=max(reached), defaults={"created_at": now}
        )
        if not created:
            continue
        due_at = timezone.make_aware(datetime.combine(expires_on, time.min))
        title = (
            f"Respect accreditation of {assessment.service.name} expires on "
            f"{expires_on:%-d %B %Y}: apply for reaccreditation"
        )
        # With no senior manager to assign it to, the task is open to the service's staff.
        managers: list[User | None] = [*_senior_managers(assessment.service)] or [None]
        for manager in managers:
            due_task_create(
                service=assessment.service,
                rule_id=RULE_ID,
                title=title,
                side=TaskSide.PERPETRATOR,
                due_at=due_at,
                now=now,
                assigned_to=manager,
            )
        sent += 1
    return sent


@transaction.atomic
def respect_accreditation_start(
    *, service: Service, actor: User, scope: list[str], now: datetime | None = None
) -> Assessment:
    """A service manager applies for accreditation. With an accreditation current or expired,
    this is its reaccreditation: against all the standards again, `previous` set (its evidence
    is offered for review: `selectors.evidence_offers_for`), and the expiry
    reminders are done."""
    now = now or timezone.now()
    previous = latest_accreditation_of(service=service)
    assessment = respect_accreditation_apply(
        service=service, actor=actor, scope=scope, previous=previous, now=now
    )
    if previous is not None:
        due_tasks_complete(rule_id=RULE_ID, service=service, actor=actor, now=now)
    return assessment


# Evidence given once


def _offer_of(*, record: RequirementRecord, source: RequirementRecord) -> None:
    if record.assessment.process not in OFFER_PROCESSES:
        raise ActionRefused(
            "Evidence is offered only where the service fills the records", field="source"
        )
    if not any(offer.source.pk == source.pk for offer in evidence_offers_for(record=record)):
        raise ActionRefused(
            f"That evidence is not offered for {record.requirement.ref}: it is not accepted "
            "evidence of this service's earlier assessments, or was already answered",
            field="source",
        )


@transaction.atomic
def evidence_offer_accept(
    *,
    record: RequirementRecord,
    source: RequirementRecord,
    actor: User,
    expected_version: int,
    now: datetime | None = None,
) -> RequirementRecord:
    """Copy the offered narrative and citations into the record, which keeps where they came
    from (`carried_from`). The narrative replaces the record's own, and must fit its limit."""
    now = now or timezone.now()
    refuse_unless_preparing(assessment=record.assessment, actor=actor)
    record = lock_record(record=record, expected_version=expected_version)
    refuse_unless_evidence_open(record)
    _offer_of(record=record, source=source)
    narrative = source.narrative.strip()
    if record.assessment.process == Process.RESPECT_ACCREDITATION:
        refusal = gates.narrative_refusal(ref=record.requirement.ref, text=narrative)
        if refusal:
            raise ActionRefused(refusal, rule_id=RULE_ID, field="source")
    before = model_snapshot(instance=record)
    if narrative:
        record.narrative = narrative
        record.narrative_updated_at = now
        record.narrative_updated_by = actor
    record.carried_from = source
    for citation in source.citations.select_related("document"):
        EvidenceCitation.objects.get_or_create(
            record=record,
            document=citation.document,
            location=citation.location,
            defaults={"added_at": now, "added_by": actor},
        )
    decision = EvidenceOfferDecision.objects.create(
        record=record, source=source, accepted=True, decided_at=now, decided_by=actor
    )
    save_record(record=record, actor=actor, before=before)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=decision,
        summary=f"accepted evidence from record {source.pk}",
        after=model_snapshot(instance=decision),
    )
    return record


@transaction.atomic
def evidence_offer_decline(
    *,
    record: RequirementRecord,
    source: RequirementRecord,
    actor: User,
    now: datetime | None = None,
) -> EvidenceOfferDecision:
    """The service declines the offered evidence: it is not offered for this record again."""
    now = now or timezone.now()
    refuse_unless_preparing(assessment=record.assessment, actor=actor)
    refuse_read_only(record.assessment)
    _offer_of(record=record, source=source)
    decision = EvidenceOfferDecision.objects.create(
        record=record, source=source, accepted=False, decided_at=now, decided_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=decision,
        summary=f"declined evidence from record {source.pk}",
        after=model_snapshot(instance=decision),
    )
    return decision
