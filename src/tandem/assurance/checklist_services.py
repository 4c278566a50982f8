"""Writes to the 2008 safeguarding audit, the Welsh commissioning checklist, the West Midlands
self-evaluation and self-assessments, on the shared assessment model.

As in `services.py`, every step checks who is acting, the state (only the transitions
`workflow.py` permits; a finished assessment is read-only), the version read, then the standards
(`checklist_rules.py`); it refuses naming the field and rule, records who and when, and writes
the audit event. Their rules are never written here: each lives in `checklist_rules.py`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.access.roles import Role, roles_of
from tandem.assurance import checklist_rules as rules
from tandem.assurance import respect
from tandem.assurance.applicability import applicable_requirements
from tandem.assurance.checklist_selectors import (
    AUDIT_RUNNING,
    WELSH_COMPLETE,
    commissioners_of,
    commissions,
    staff_of,
)
from tandem.assurance.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentParticipant,
    AuditScheduleItem,
    CommissioningRelationship,
    Judgement,
    LocalPartnership,
    Part,
    PeerReviewFinding,
    Process,
    RagRating,
    RequirementRecord,
    SafeguardingAudit,
    ScheduleItemKind,
    SelfRating,
    SpecialistAccreditation,
    State,
    WelshChecklist,
)
from tandem.assurance.rules import PART_ROLES, duty_conflict
from tandem.assurance.selectors import declared_parts, is_coordinator, managed_services
from tandem.assurance.services import (
    _lock_assessment,
    _lock_record,
    _refuse_read_only,
    _refuse_unless_state,
    _require_coordinator,
    _require_part,
    _save_record,
    _transition,
    action_create,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Organisation, Service
from tandem.organisations.selectors import current_memberships
from tandem.standards.models import Framework, Level, Requirement


def _refs(records: Iterable[RequirementRecord]) -> str:
    return rules.labels(record.requirement for record in records)


def _ref(record: RequirementRecord) -> str:
    return rules.requirement_label(record.requirement)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


# Shared steps


def _current_framework(slug: str) -> Framework:
    framework = Framework.objects.filter(slug=slug, is_current=True).first()
    if framework is None:
        raise ActionRefused(
            f"The standards library has no {slug} framework loaded", field="framework"
        )
    return framework


def _create(
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
    """A new assessment with one record per requirement given: each process decides which
    (`checklist_rules`), where Respect's `services.assessment_create` takes one level."""
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


def _refuse_other_process(assessment: Assessment, process: Process) -> None:
    if assessment.process != process:
        raise ActionRefused(
            f"This is a {Process(assessment.process).label.lower()}, not a {process.label.lower()}",
            field="assessment",
        )


def _participant_create(
    *, assessment: Assessment, user: User, part: Part, actor: User, now: datetime
) -> AssessmentParticipant:
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


def _bump(assessment: Assessment, *, actor: User, before: dict[str, object]) -> Assessment:
    """A change to the assessment that is not a change of state: its version still moves on,
    so whoever agrees to it agrees to what they read."""
    assessment.version = F("version") + 1
    assessment.save()
    assessment.refresh_from_db()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=assessment,
        before=before,
        after=model_snapshot(instance=assessment),
    )
    return assessment


def _action_delete(action: Action, *, actor: User) -> None:
    """Drop an action set while the assessment is still a draft (its rating changed): nothing
    has been sent to anyone yet."""
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.DELETED,
        target=action,
        before=model_snapshot(instance=action),
    )
    action.delete()


@dataclass(frozen=True)
class ActionDetails:
    """An action on one requirement: what to do, who does it, and by when (for an Amber Welsh
    item, the review date)."""

    description: str
    owner: User | None
    due_on: date | None


def _record_action_set(
    *,
    record: RequirementRecord,
    details: ActionDetails | None,
    needed: bool,
    owners: Iterable[User],
    due_field: str,
    due_refusal: str | None,
    actor: User,
    now: datetime,
    rule_id: str,
) -> None:
    """Keep the record's draft action in step with its rating: set when `needed` (required
    unless one is already set), dropped when no longer needed."""
    current = list(record.actions.filter(status=ActionStatus.OPEN))
    if not needed:
        for action in current:
            _action_delete(action, actor=actor)
        return
    if details is None:
        if current:
            return
        raise ActionRefused(
            f"Set the action for {_ref(record)}: what will be done, who owns it and by when",
            rule_id=rule_id,
            field="action",
        )
    if not details.description.strip():
        raise ActionRefused(
            f"Describe the action for {_ref(record)}", rule_id=rule_id, field="action"
        )
    if details.owner is None or details.owner.pk not in {owner.pk for owner in owners}:
        raise ActionRefused(
            "The action's owner must work in the service (or commission it)", field="owner"
        )
    if details.due_on is None:
        raise ActionRefused("Enter the action's date", rule_id=rule_id, field=due_field)
    if due_refusal:
        raise ActionRefused(due_refusal, rule_id=rule_id, field=due_field)
    for action in current:
        _action_delete(action, actor=actor)
    action_create(
        assessment=record.assessment,
        record=record,
        description=details.description,
        owner=details.owner,
        due_on=details.due_on,
        actor=actor,
        now=now,
    )


def _rated_record_save(
    *, record: RequirementRecord, actor: User, now: datetime, rating: str, evidence: str
) -> RequirementRecord:
    before = model_snapshot(instance=record)
    record.rating = rating
    record.narrative = evidence
    record.narrative_updated_at = now
    record.narrative_updated_by = actor
    _save_record(record=record, actor=actor, before=before)
    return record


def _unrated(records: Iterable[RequirementRecord]) -> list[RequirementRecord]:
    return [record for record in records if not record.rating or not record.narrative.strip()]


# The 2008 risk management and safeguarding audit


@transaction.atomic
def safeguarding_audit_open(
    *, service: Service, actor: User, runs_iss: bool = True, now: datetime | None = None
) -> Assessment:
    """Respect opens an audit of a service, saying whether it found the provider runs an ISS
    for partners and ex-partners. A service holding current Respect accreditation is recorded
    as exempt, and one without an ISS as failed automatically, with the reason
    (`checklist_rules.audit_exemption`, `iss_automatic_fail`); any other gets one record per
    evidence indicator, to schedule and visit."""
    now = _now(now)
    _require_coordinator(actor=actor, doing="open a safeguarding audit")
    running = Assessment.objects.filter(
        service=service, process=Process.SAFEGUARDING_AUDIT_2008, state__in=AUDIT_RUNNING
    )
    if running.exists():
        raise ActionRefused(f"{service.name} already has an audit under way", field="service")
    framework = _current_framework("respect-audit-2008")
    exemption = rules.audit_exemption(service=service, today=timezone.localdate(now))
    automatic_fail = (
        None if exemption else rules.iss_automatic_fail(service=service, runs_iss=runs_iss)
    )
    requirements = (
        []
        if exemption or automatic_fail
        else applicable_requirements(framework=framework, level=Level.INDICATOR, scope=[])
    )
    assessment = _create(
        service=service,
        process=Process.SAFEGUARDING_AUDIT_2008,
        framework=framework,
        requirements=requirements,
        actor=actor,
        now=now,
    )
    outcome = exemption or automatic_fail or ""
    SafeguardingAudit.objects.create(assessment=assessment, outcome_reason=outcome)
    if outcome:
        assessment.decided_at = now
        assessment = _transition(
            assessment=assessment,
            to=State.EXEMPT if exemption else State.FAILED,
            actor=actor,
            now=now,
            note=outcome,
        )
    return assessment


def _audit(assessment: Assessment) -> SafeguardingAudit:
    return SafeguardingAudit.objects.select_for_update().get(assessment=assessment)


@transaction.atomic
def audit_link_person_name(
    *, assessment: Assessment, user: User, actor: User, now: datetime | None = None
) -> AssessmentParticipant:
    """R08 "Audit Process": "The organisation should appoint a named link person for the audit
    and inform Respect". A service manager of the service (or Respect's lead assessor, told by
    them) names someone working in the service, once."""
    now = _now(now)
    assessment = _lock_assessment(assessment=assessment, expected_version=None)
    _refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    service = assessment.service
    if not (
        managed_services(user=actor).filter(pk=service.pk).exists() or is_coordinator(user=actor)
    ):
        raise ActionRefused(
            f"Only a service manager of {service.name} or a lead assessor can name the audit's "
            "link person",
            field="actor",
        )
    _refuse_read_only(assessment)
    fit = PART_ROLES[Part.LINK_PERSON]
    if not roles_of(user) & fit:
        needed = " or ".join(sorted(role.label for role in fit))
        raise ActionRefused(
            f"{_person(user)} cannot be the link person: they must be a {needed.lower()}",
            field="user",
        )
    if not current_memberships(user=user).filter(service=service).exists():
        raise ActionRefused(
            f"{_person(user)} does not work in {service.name}: the link person is the "
            "service's own",
            field="user",
        )
    if AssessmentParticipant.objects.filter(assessment=assessment, part=Part.LINK_PERSON).exists():
        raise ActionRefused("The audit already has a named link person", field="user")
    return _participant_create(
        assessment=assessment, user=user, part=Part.LINK_PERSON, actor=actor, now=now
    )


def _require_lead_assessor(*, assessment: Assessment, actor: User, doing: str) -> None:
    _require_part(
        assessment=assessment,
        actor=actor,
        parts=[Part.LEAD_ASSESSOR],
        duty=Part.LEAD_ASSESSOR,
        doing=doing,
    )


@transaction.atomic
def audit_schedule_set(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    visit_on: date | None,
    items: list[rules.ScheduleItemDetails],
    now: datetime | None = None,
) -> Assessment:
    """The lead assessor proposes the one-day visit: its date and its schedule of case file
    reviews, staff interviews and group recordings (`checklist_rules.schedule_refusal`),
    replacing any earlier proposal. The link person then agrees it."""
    now = _now(now)
    _require_lead_assessor(assessment=assessment, actor=actor, doing="set the visit's schedule")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    _refuse_unless_state(assessment, [State.DRAFT], "change the visit's schedule")
    refusal = rules.schedule_refusal(visit_on=visit_on, items=items, today=timezone.localdate(now))
    if refusal:
        message, field = refusal
        raise ActionRefused(message, rule_id=rules.AUDIT_RULE_ID, field=field)
    audit = _audit(assessment)
    before = model_snapshot(instance=assessment)
    audit.visit_on = visit_on
    audit.save()
    audit.schedule.all().delete()
    AuditScheduleItem.objects.bulk_create(
        AuditScheduleItem(
            audit=audit,
            kind=item.kind,
            starts_at=item.starts_at,
            description=item.description.strip()[:300],
        )
        for item in items
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=audit,
        summary=f"visit on {visit_on}, {len(items)} schedule items",
        after=model_snapshot(instance=audit),
    )
    return _bump(assessment, actor=actor, before=before)


def _declared(assessment: Assessment, part: Part) -> list[int]:
    return list(
        AssessmentParticipant.objects.filter(
            assessment=assessment, part=part, declaration__no_conflict=True
        ).values_list("user_id", flat=True)
    )


@transaction.atomic
def audit_schedule_agree(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """The link person agrees the schedule as proposed (R08: "a pre agreed schedule"). The
    visit needs its two assessors, a lead and a second, each having declared no conflict."""
    now = _now(now)
    if Part.LINK_PERSON not in declared_parts(user=actor, assessment=assessment):
        raise ActionRefused("Only the audit's link person can agree the schedule", field="actor")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    _refuse_unless_state(assessment, [State.DRAFT], "agree the schedule")
    audit = _audit(assessment)
    items = [
        rules.ScheduleItemDetails(
            kind=ScheduleItemKind(item.kind), starts_at=item.starts_at, description=item.description
        )
        for item in audit.schedule.all()
    ]
    refusal = rules.schedule_refusal(
        visit_on=audit.visit_on, items=items, today=timezone.localdate(now)
    )
    if refusal:
        raise ActionRefused(refusal[0], rule_id=rules.AUDIT_RULE_ID, field=refusal[1])
    leads = _declared(assessment, Part.LEAD_ASSESSOR)
    seconds = _declared(assessment, Part.SECOND_ASSESSOR)
    if not leads or not set(seconds) - set(leads):
        raise ActionRefused(
            "The visit needs two assessors: a lead assessor and a second assessor, each having "
            "declared no conflict of interest",
            rule_id=rules.AUDIT_RULE_ID,
            field="participants",
        )
    before = model_snapshot(instance=assessment)
    audit.schedule_agreed_at = now
    audit.schedule_agreed_by = actor
    audit.save()
    return _transition(
        assessment=assessment,
        to=State.SCHEDULED,
        actor=actor,
        now=now,
        note=f"visit on {rules.day_label(audit.visit_on)}",  # type: ignore[arg-type]
        before=before,
    )


@transaction.atomic
def audit_visit_record(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """The lead assessor records the visit done, on or after its day: the indicators are then
    judged."""
    now = _now(now)
    _require_lead_assessor(assessment=assessment, actor=actor, doing="record the visit")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    _refuse_unless_state(assessment, [State.SCHEDULED], "record the visit")
    audit = _audit(assessment)
    if audit.visit_on is None or timezone.localdate(now) < audit.visit_on:
        raise ActionRefused(
            f"The visit is on {rules.day_label(audit.visit_on)}: record it on or after that day"
            if audit.visit_on
            else "The visit has no day",
            field="visit_on",
        )
    return _transition(assessment=assessment, to=State.VISITED, actor=actor, now=now)


AUDIT_JUDGEMENTS = frozenset({Judgement.MET, Judgement.NOT_MET})


@transaction.atomic
def audit_indicator_judge(
    *,
    record: RequirementRecord,
    actor: User,
    expected_version: int,
    judgement: Judgement | str,
    basis: str,
    now: datetime | None = None,
) -> RequirementRecord:
    """Either assessor judges an evidence indicator met or not met, with the evidence seen."""
    now = _now(now)
    _require_part(
        assessment=record.assessment,
        actor=actor,
        parts=[Part.LEAD_ASSESSOR, Part.SECOND_ASSESSOR],
        duty=Part.ASSESSOR,
        doing="judge the audit's indicators",
    )
    record = _lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    _refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    _refuse_read_only(assessment)
    _refuse_unless_state(assessment, [State.VISITED], "judge the indicators")
    if judgement not in AUDIT_JUDGEMENTS:
        raise ActionRefused(f"Judge {_ref(record)} met or not met", field="judgement")
    basis = basis.strip()
    if not basis:
        raise ActionRefused(f"Give the evidence seen for {_ref(record)}", field="basis")
    before = model_snapshot(instance=record)
    record.judgement = Judgement(judgement)
    record.judgement_basis = basis
    record.judged_at = now
    record.judged_by = actor
    _save_record(record=record, actor=actor, before=before)
    return record


@transaction.atomic
def audit_report_submit(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    summary: str,
    now: datetime | None = None,
) -> Assessment:
    """The lead assessor's report, once every evidence indicator is judged: the findings are
    then released to the service."""
    now = _now(now)
    _require_lead_assessor(assessment=assessment, actor=actor, doing="write the audit report")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    _refuse_unless_state(assessment, [State.VISITED], "write the audit report")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    unjudged = [record for record in records if record.judgement not in AUDIT_JUDGEMENTS]
    if unjudged:
        raise ActionRefused(
            f"Judge {_refs(unjudged)} met or not met before writing the report",
            field="judgement",
        )
    summary = summary.strip()
    if not summary:
        raise ActionRefused("Summarise the audit's findings", field="summary")
    audit = _audit(assessment)
    before = model_snapshot(instance=assessment)
    audit.report_summary = summary
    audit.reported_at = now
    audit.reported_by = actor
    audit.save()
    return _transition(
        assessment=assessment, to=State.REPORTED, actor=actor, now=now, before=before
    )


@transaction.atomic
def audit_outcome_record(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    actions_due_on: date | None = None,
    now: datetime | None = None,
) -> Assessment:
    """Respect records the outcome the findings give (`checklist_rules.audit_outcome`): passed,
    or failed with the reason. Each indicator not met becomes an action for the service, owned
    by its link person, due on `actions_due_on`."""
    now = _now(now)
    _require_coordinator(actor=actor, doing="record an audit's outcome")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    _refuse_unless_state(assessment, [State.REPORTED], "record the outcome")
    not_met = list(
        assessment.records.filter(judgement=Judgement.NOT_MET)
        .select_related("requirement", "assessment")
        .order_by("position")
    )
    outcome = rules.audit_outcome(
        service=assessment.service, not_met_refs=[_ref(r) for r in not_met]
    )
    if not_met and actions_due_on is None:
        raise ActionRefused(
            "Give the date by which the service must meet the indicators not met",
            field="actions_due_on",
        )
    if not not_met and actions_due_on is not None:
        raise ActionRefused(
            "Every indicator is met: there are no actions to set a date for",
            field="actions_due_on",
        )
    link = (
        AssessmentParticipant.objects.filter(assessment=assessment, part=Part.LINK_PERSON)
        .select_related("user")
        .first()
    )
    owner = link.user if link else assessment.created_by
    audit = _audit(assessment)
    before = model_snapshot(instance=assessment)
    for record in not_met:
        try:
            action_create(
                assessment=assessment,
                record=record,
                description=f"Meet {_ref(record)}: {record.judgement_basis}",
                owner=owner,
                due_on=actions_due_on,  # type: ignore[arg-type]
                actor=actor,
                now=now,
            )
        except ActionRefused as refusal:
            raise ActionRefused(refusal.message, field="actions_due_on") from None
    audit.outcome_reason = outcome.reason
    audit.save()
    assessment.decided_at = now
    return _transition(
        assessment=assessment,
        to=outcome.state,
        actor=actor,
        now=now,
        note=outcome.reason,
        before=before,
    )


# Commissioning


def _require_administrator(*, actor: User, doing: str) -> None:
    if Role.ADMINISTRATOR not in roles_of(actor):
        raise ActionRefused(f"Only an administrator can {doing}", field="actor")


@transaction.atomic
def commissioning_relationship_start(
    *,
    commissioner: User,
    service: Service,
    since: date,
    actor: User,
    now: datetime | None = None,
) -> CommissioningRelationship:
    """An administrator records that a commissioner commissions a service, from `since`: they
    then run its Welsh checklists and see its results."""
    now = _now(now)
    _require_administrator(actor=actor, doing="record who commissions a service")
    if Role.COMMISSIONER not in roles_of(commissioner):
        raise ActionRefused(
            f"{_person(commissioner)} does not hold the commissioner role", field="commissioner"
        )
    if since > timezone.localdate(now):
        raise ActionRefused("The start date cannot be in the future", field="since")
    if CommissioningRelationship.objects.filter(
        commissioner=commissioner, service=service, ended_on__isnull=True
    ).exists():
        raise ActionRefused(
            f"{_person(commissioner)} already commissions {service.name}", field="service"
        )
    relationship = CommissioningRelationship.objects.create(
        commissioner=commissioner, service=service, since=since, created_at=now, created_by=actor
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=relationship,
        after=model_snapshot(instance=relationship),
    )
    return relationship


@transaction.atomic
def commissioning_relationship_end(
    *,
    relationship: CommissioningRelationship,
    ended_on: date,
    actor: User,
) -> CommissioningRelationship:
    """The last day the commissioner commissions the service."""
    _require_administrator(actor=actor, doing="end a commissioning relationship")
    current = CommissioningRelationship.objects.select_for_update().get(pk=relationship.pk)
    if current.ended_on is not None:
        raise ActionRefused("This commissioning has already ended", field="ended_on")
    if ended_on < current.since:
        raise ActionRefused("It cannot end before it started", field="ended_on")
    before = model_snapshot(instance=current)
    current.ended_on = ended_on
    current.save()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=current,
        before=before,
        after=model_snapshot(instance=current),
    )
    return current


# The Welsh commissioning checklist


def _require_commissioner(*, assessment: Assessment, actor: User, now: datetime) -> None:
    if not commissions(user=actor, service=assessment.service, today=timezone.localdate(now)):
        raise ActionRefused(
            f"Only a commissioner of {assessment.service.name} can complete its checklist",
            field="actor",
        )


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
    (`checklist_rules.welsh_checklist_questions`); the agreed timeframe bounds the review dates
    of Amber items. The service's last completed checklist is the review it follows."""
    now = _now(now)
    today = timezone.localdate(now)
    if not commissions(user=actor, service=service, today=today):
        raise ActionRefused(
            f"Only a commissioner of {service.name} can start its checklist", field="service"
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
    refusal = rules.review_weeks_refusal(review_within_weeks)
    if refusal:
        raise ActionRefused(refusal, rule_id=rules.WELSH_RULE_ID, field="review_within_weeks")
    respect_current = rules.current_respect_accreditation(service=service, today=today)
    refusal = rules.specialist_accreditation_refusal(
        accreditation=accreditation,
        evidence=accreditation_evidence,
        respect_confirmed=respect_current is not None,
    )
    if refusal:
        raise ActionRefused(refusal, rule_id=rules.WELSH_RULE_ID, field="accreditation_evidence")
    framework = _current_framework("wales-perpetrator")
    previous = (
        Assessment.objects.filter(
            service=service, process=Process.WELSH_COMMISSIONING, state__in=WELSH_COMPLETE
        )
        .order_by("-decided_at", "-pk")
        .first()
    )
    assessment = _create(
        service=service,
        process=Process.WELSH_COMMISSIONING,
        framework=framework,
        requirements=rules.welsh_checklist_questions(
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
    _participant_create(
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
    timeframe (`checklist_rules.review_date_refusal`); rating it otherwise drops that action."""
    now = _now(now)
    _require_commissioner(assessment=record.assessment, actor=actor, now=now)
    record = _lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    _refuse_other_process(assessment, Process.WELSH_COMMISSIONING)
    _refuse_read_only(assessment)
    if rating not in RagRating.values:
        raise ActionRefused(
            f"Rate {_ref(record)} Red, Amber or Green",
            rule_id=rules.WELSH_RULE_ID,
            field="rating",
        )
    evidence = evidence.strip()
    if not evidence:
        raise ActionRefused(
            f"Give the evidence for {_ref(record)}",
            rule_id=rules.WELSH_RULE_ID,
            field="evidence",
        )
    weeks = WelshChecklist.objects.get(assessment=assessment).review_within_weeks
    today = timezone.localdate(now)
    _record_action_set(
        record=record,
        details=improvement,
        needed=rating == RagRating.AMBER,
        owners=_action_owners(assessment, now=now),
        due_field="review_on",
        due_refusal=(
            rules.review_date_refusal(review_on=improvement.due_on, today=today, weeks=weeks)
            if improvement and improvement.due_on
            else None
        ),
        actor=actor,
        now=now,
        rule_id=rules.WELSH_RULE_ID,
    )
    return _rated_record_save(
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
    outcome is `checklist_rules.welsh_outcome`: any Red does not meet the standards, and a
    reassessment becomes due by `reassess_by` (an action of the commissioner's); Amber items
    are reviewed through their improvement actions; all Green meets the standards."""
    now = _now(now)
    _require_commissioner(assessment=assessment, actor=actor, now=now)
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_other_process(assessment, Process.WELSH_COMMISSIONING)
    _refuse_unless_state(assessment, [State.DRAFT], "complete the checklist")
    records = list(
        assessment.records.select_related("requirement", "assessment").order_by("position")
    )
    unrated = _unrated(records)
    if unrated:
        raise ActionRefused(
            f"Rate {_refs(unrated)} with evidence before completing the checklist",
            rule_id=rules.WELSH_RULE_ID,
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
            f"Set the improvement action for Amber {_refs(without_action)}",
            rule_id=rules.WELSH_RULE_ID,
            field="action",
        )
    outcome = rules.welsh_outcome(record.rating for record in records)
    assert outcome is not None  # every record is rated
    red = [record for record in records if record.rating == RagRating.RED]
    before = model_snapshot(instance=assessment)
    if outcome == State.DOES_NOT_MEET:
        if reassess_by is None:
            raise ActionRefused(
                "Give the date the service is to be reassessed by: Red items mean it must "
                "address them and be reassessed",
                rule_id=rules.WELSH_RULE_ID,
                field="reassess_by",
            )
        try:
            action_create(
                assessment=assessment,
                description=(
                    f"Reassess {assessment.service.name} against the Welsh standards once it "
                    f"has addressed the Red items: {_refs(red)}"
                ),
                owner=actor,
                due_on=reassess_by,
                actor=actor,
                now=now,
            )
        except ActionRefused as refusal:
            raise ActionRefused(
                refusal.message, rule_id=rules.WELSH_RULE_ID, field="reassess_by"
            ) from None
    elif reassess_by is not None:
        raise ActionRefused(
            "A reassessment date is set only when an item is Red", field="reassess_by"
        )
    assessment.decided_at = now
    return _transition(
        assessment=assessment,
        to=outcome,
        actor=actor,
        now=now,
        note=f"Red {len(red)}, Amber "
        f"{sum(1 for r in records if r.rating == RagRating.AMBER)}, Green "
        f"{sum(1 for r in records if r.rating == RagRating.GREEN)}",
        before=before,
    )


# The West Midlands self-evaluation


def _require_manager(*, service: Service, actor: User, doing: str) -> None:
    if not managed_services(user=actor).filter(pk=service.pk).exists():
        raise ActionRefused(f"Only a service manager of {service.name} can {doing}", field="actor")


@transaction.atomic
def west_midlands_self_evaluation_start(
    *, service: Service, actor: User, now: datetime | None = None
) -> Assessment:
    """An agency's service manager starts a self-evaluation against the West Midlands standards:
    a record for each standard and each of its bullets. It follows the agency's last one."""
    now = _now(now)
    _require_manager(service=service, actor=actor, doing="start its self-evaluation")
    process = Process.WEST_MIDLANDS_SELF_EVALUATION
    evaluations = Assessment.objects.filter(service=service, process=process)
    if evaluations.filter(state__in=[State.DRAFT, State.PEER_REVIEW]).exists():
        raise ActionRefused(
            f"{service.name} already has a self-evaluation under way", field="service"
        )
    framework = _current_framework("west-midlands-dva")
    return _create(
        service=service,
        process=process,
        framework=framework,
        requirements=rules.west_midlands_requirements(framework=framework),
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
    now = _now(now)
    _require_manager(
        service=record.assessment.service, actor=actor, doing="rate its self-evaluation"
    )
    record = _lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    _refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    _refuse_read_only(assessment)
    _refuse_unless_state(assessment, [State.DRAFT], "change a self-rating")
    if rating not in SelfRating.values:
        raise ActionRefused(f"Rate {_ref(record)} met, partly met or not met", field="rating")
    evidence = evidence.strip()
    if not evidence:
        raise ActionRefused(f"Give the evidence for {_ref(record)}", field="evidence")
    today = timezone.localdate(now)
    _record_action_set(
        record=record,
        details=action,
        needed=rules.rating_needs_action(rating),
        owners=staff_of(service=assessment.service, today=today),
        due_field="due_on",
        due_refusal=(
            "The action's due date must be after today"
            if action and action.due_on and action.due_on <= today
            else None
        ),
        actor=actor,
        now=now,
        rule_id=rules.WEST_MIDLANDS_RULE_ID,
    )
    return _rated_record_save(
        record=record, actor=actor, now=now, rating=SelfRating(rating), evidence=evidence
    )


@transaction.atomic
def peer_reviewer_add(
    *, assessment: Assessment, user: User, actor: User, now: datetime | None = None
) -> AssessmentParticipant:
    """The agency asks another agency's reviewer to review its self-evaluation
    (`checklist_rules.peer_reviewer_refusal`). They declare no conflict of interest before
    they see it."""
    now = _now(now)
    _require_manager(service=assessment.service, actor=actor, doing="choose its peer reviewer")
    assessment = _lock_assessment(assessment=assessment, expected_version=None)
    _refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    _refuse_read_only(assessment)
    refusal = rules.peer_reviewer_refusal(service=assessment.service, reviewer=user)
    if refusal:
        raise ActionRefused(refusal, rule_id=rules.WEST_MIDLANDS_RULE_ID, field="user")
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
            f"{_person(user)} has declared a conflict of interest with this agency", field="user"
        )
    return _participant_create(
        assessment=assessment, user=user, part=Part.PEER_REVIEWER, actor=actor, now=now
    )


@transaction.atomic
def west_midlands_submit(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """The agency sends its self-evaluation to its peer reviewer: every standard and bullet
    rated with evidence, and an action for each short of met."""
    now = _now(now)
    _require_manager(service=assessment.service, actor=actor, doing="submit its self-evaluation")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    _refuse_unless_state(assessment, [State.DRAFT], "submit the self-evaluation")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    unrated = _unrated(records)
    if unrated:
        raise ActionRefused(
            f"Rate {_refs(unrated)} with evidence before submitting", field="rating"
        )
    no_action = [
        record
        for record in records
        if rules.rating_needs_action(record.rating)
        and not record.actions.filter(status=ActionStatus.OPEN).exists()
    ]
    if no_action:
        raise ActionRefused(
            f"Set the action for {_refs(no_action)}",
            rule_id=rules.WEST_MIDLANDS_RULE_ID,
            field="action",
        )
    reviewers = AssessmentParticipant.objects.filter(
        assessment=assessment, part=Part.PEER_REVIEWER
    ).exclude(declaration__no_conflict=False)
    if not reviewers.exists():
        raise ActionRefused(
            "Choose a peer reviewer from another agency first",
            rule_id=rules.WEST_MIDLANDS_RULE_ID,
            field="participants",
        )
    before = model_snapshot(instance=assessment)
    assessment.submitted_at = now
    return _transition(
        assessment=assessment, to=State.PEER_REVIEW, actor=actor, now=now, before=before
    )


def _require_peer_reviewer(*, assessment: Assessment, actor: User, doing: str) -> None:
    _require_part(
        assessment=assessment,
        actor=actor,
        parts=[Part.PEER_REVIEWER],
        duty=Part.PEER_REVIEWER,
        doing=doing,
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
    now = _now(now)
    _require_peer_reviewer(
        assessment=record.assessment, actor=actor, doing="review the self-evaluation"
    )
    record = _lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    _refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    _refuse_read_only(assessment)
    _refuse_unless_state(assessment, [State.PEER_REVIEW], "review a self-rating")
    comment = comment.strip()
    if not agrees and not comment:
        raise ActionRefused(f"Say why you challenge the rating of {_ref(record)}", field="comment")
    before = model_snapshot(instance=record)
    finding, created = PeerReviewFinding.objects.update_or_create(
        record=record,
        defaults={"agrees": agrees, "comment": comment, "reviewed_at": now, "reviewed_by": actor},
    )
    _save_record(record=record, actor=actor, before=before)
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
    now = _now(now)
    _require_peer_reviewer(assessment=assessment, actor=actor, doing="complete the peer review")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_other_process(assessment, Process.WEST_MIDLANDS_SELF_EVALUATION)
    _refuse_unless_state(assessment, [State.PEER_REVIEW], "complete the peer review")
    records = list(
        assessment.records.select_related("requirement", "peer_review", "assessment").order_by(
            "position"
        )
    )
    unreviewed = [record for record in records if not hasattr(record, "peer_review")]
    if unreviewed:
        raise ActionRefused(
            f"Agree with or challenge {_refs(unreviewed)} before completing the review",
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
                    f"Peer reviewer challenged the rating of {_ref(record)} "
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
    return _transition(
        assessment=assessment,
        to=State.PEER_REVIEWED,
        actor=actor,
        now=now,
        note=f"{len(challenged)} rating{'s' if len(challenged) != 1 else ''} challenged",
        before=before,
    )


# Local partnerships


@transaction.atomic
def local_partnership_create(*, name: str, actor: User) -> LocalPartnership:
    _require_administrator(actor=actor, doing="set up a local partnership")
    name = name.strip()
    if not name:
        raise ActionRefused("Enter the partnership's name", field="name")
    if LocalPartnership.objects.filter(name__iexact=name).exists():
        raise ActionRefused(f"There is already a partnership called {name}", field="name")
    partnership = LocalPartnership.objects.create(name=name[:200])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CREATED,
        target=partnership,
        after=model_snapshot(instance=partnership),
    )
    return partnership


@transaction.atomic
def local_partnership_organisation_add(
    *, partnership: LocalPartnership, organisation: Organisation, actor: User
) -> LocalPartnership:
    """An agency (organisation) joins the partnership: its self-evaluations show there."""
    _require_administrator(actor=actor, doing="change a local partnership")
    if partnership.organisations.filter(pk=organisation.pk).exists():
        raise ActionRefused(
            f"{organisation.name} is already in {partnership.name}", field="organisation"
        )
    partnership.organisations.add(organisation)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=partnership,
        summary=f"{organisation.name} joined",
    )
    return partnership


@transaction.atomic
def local_partnership_member_add(
    *, partnership: LocalPartnership, user: User, actor: User
) -> LocalPartnership:
    """A commissioner joins the partnership and sees its agencies' self-evaluations."""
    _require_administrator(actor=actor, doing="change a local partnership")
    if Role.COMMISSIONER not in roles_of(user):
        raise ActionRefused(
            f"{_person(user)} does not hold the commissioner role: only commissioners see a "
            "partnership's results",
            field="user",
        )
    if partnership.members.filter(pk=user.pk).exists():
        raise ActionRefused(f"{_person(user)} is already a member", field="user")
    partnership.members.add(user)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGED,
        target=partnership,
        summary=f"{_person(user)} joined",
    )
    return partnership


# Self-assessment for readiness


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
    each of its finest requirements (`checklist_rules.readiness_requirements`), only those that
    apply to the interventions named in `scope`, when there is one."""
    now = _now(now)
    _require_manager(service=service, actor=actor, doing="assess it")
    if not framework.is_current:
        raise ActionRefused(
            f"{framework.title} ({framework.edition}) is not the current edition",
            field="framework",
        )
    scope = sorted(set(scope or []))
    if scope:
        refusal = respect.scope_refusal(service=service, scope=scope)
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
    return _create(
        service=service,
        process=process,
        framework=framework,
        requirements=rules.readiness_requirements(framework=framework, scope=scope),
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
    now = _now(now)
    _require_manager(service=record.assessment.service, actor=actor, doing="rate it")
    record = _lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    _refuse_other_process(assessment, Process.SELF_ASSESSMENT)
    _refuse_read_only(assessment)
    if rating not in SelfRating.values:
        raise ActionRefused(f"Rate {_ref(record)} met, partly met or not met", field="rating")
    evidence = evidence.strip()
    if not evidence:
        raise ActionRefused(f"Give the evidence for {_ref(record)}", field="evidence")
    return _rated_record_save(
        record=record, actor=actor, now=now, rating=SelfRating(rating), evidence=evidence
    )


@transaction.atomic
def self_assessment_complete(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """Keep the self-assessment as it stands, every requirement rated: the next one is compared
    with it."""
    now = _now(now)
    _require_manager(service=assessment.service, actor=actor, doing="complete it")
    assessment = _lock_assessment(assessment=assessment, expected_version=expected_version)
    _refuse_other_process(assessment, Process.SELF_ASSESSMENT)
    _refuse_unless_state(assessment, [State.DRAFT], "complete the self-assessment")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    unrated = _unrated(records)
    if unrated:
        raise ActionRefused(
            f"Rate {_refs(unrated)} with evidence before completing", field="rating"
        )
    result = rules.readiness(record.rating for record in records)
    before = model_snapshot(instance=assessment)
    assessment.decided_at = now
    return _transition(
        assessment=assessment,
        to=State.COMPLETED,
        actor=actor,
        now=now,
        note=f"{result.met} of {result.applicable} met ({result.percent_met}%)",
        before=before,
    )
