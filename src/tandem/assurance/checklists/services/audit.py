"""The 2008 risk management and safeguarding audit (R08 "Audit Process" and "Introduction"; rule
safeguarding-audit-2008): opening it (exempt, or failed automatically, at once where the rules
say), the link person, the visit's schedule, the visit, each evidence indicator's judgement, the
report and the outcome. Respect's lead assessors open audits and record outcomes; the audit's
own lead and second assessors act in their declared parts, within the separation of duties."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.access.roles import roles_of
from tandem.assurance.applicability import applicable_requirements
from tandem.assurance.checklists import gates
from tandem.assurance.checklists.rules import (
    AGREE_AUDIT_SCHEDULE,
    AUDIT,
    LEAD_AUDIT,
    NAME_LINK_PERSON,
)
from tandem.assurance.checklists.selectors import (
    AUDIT_RUNNING,
)
from tandem.assurance.gates import PART_ROLES
from tandem.assurance.labels import day_label, record_label, records_named
from tandem.assurance.models import (
    Assessment,
    AssessmentParticipant,
    AuditScheduleItem,
    Judgement,
    Part,
    Process,
    RequirementRecord,
    SafeguardingAudit,
    ScheduleItemKind,
    State,
)
from tandem.assurance.rules import COORDINATE
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
from tandem.organisations.selectors import current_memberships
from tandem.standards.models import Level


@transaction.atomic
def safeguarding_audit_open(
    *, service: Service, actor: User, runs_iss: bool = True, now: datetime | None = None
) -> Assessment:
    """Respect opens an audit of a service, saying whether it found the provider runs an ISS
    for partners and ex-partners. A service holding current Respect accreditation is recorded
    as exempt, and one without an ISS as failed automatically, with the reason
    (`gates.audit_exemption`, `iss_automatic_fail`); any other gets one record per
    evidence indicator, to schedule and visit."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=COORDINATE,
        refusal="Only a lead assessor can open a safeguarding audit",
    )
    running = Assessment.objects.filter(
        service=service, process=Process.SAFEGUARDING_AUDIT_2008, state__in=AUDIT_RUNNING
    )
    if running.exists():
        raise ActionRefused(f"{service.name} already has an audit under way", field="service")
    framework = current_framework("respect-audit-2008")
    exemption = gates.audit_exemption(service=service, today=timezone.localdate(now))
    automatic_fail = (
        None if exemption else gates.iss_automatic_fail(service=service, runs_iss=runs_iss)
    )
    requirements = (
        []
        if exemption or automatic_fail
        else applicable_requirements(framework=framework, level=Level.INDICATOR, scope=[])
    )
    assessment = assessment_with_records_create(
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
        assessment = transition(
            assessment=assessment,
            to=State.EXEMPT if exemption else State.FAILED,
            actor=actor,
            now=now,
            note=outcome,
        )
    return assessment


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


def _audit(assessment: Assessment) -> SafeguardingAudit:
    return SafeguardingAudit.objects.select_for_update().get(assessment=assessment)


@transaction.atomic
def audit_link_person_name(
    *, assessment: Assessment, user: User, actor: User, now: datetime | None = None
) -> AssessmentParticipant:
    """R08 "Audit Process": "The organisation should appoint a named link person for the audit
    and inform Respect". A service manager of the service (or Respect's lead assessor, told by
    them) names someone working in the service, once."""
    now = now or timezone.now()
    assessment = lock_assessment(assessment=assessment, expected_version=None)
    refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    service = assessment.service
    refuse_unless_permitted(
        actor=actor,
        permission=NAME_LINK_PERSON,
        target=assessment,
        refusal=f"Only a service manager of {service.name} or a lead assessor can name the "
        "audit's link person",
    )
    refuse_read_only(assessment)
    fit = PART_ROLES[Part.LINK_PERSON]
    if not roles_of(user) & fit:
        needed = " or ".join(sorted(role.label for role in fit))
        raise ActionRefused(
            f"{person_name(user)} cannot be the link person: they must be a {needed.lower()}",
            field="user",
        )
    if not current_memberships(user=user).filter(service=service).exists():
        raise ActionRefused(
            f"{person_name(user)} does not work in {service.name}: the link person is the "
            "service's own",
            field="user",
        )
    if AssessmentParticipant.objects.filter(assessment=assessment, part=Part.LINK_PERSON).exists():
        raise ActionRefused("The audit already has a named link person", field="user")
    return participant_create(
        assessment=assessment, user=user, part=Part.LINK_PERSON, actor=actor, now=now
    )


@transaction.atomic
def audit_schedule_set(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    visit_on: date | None,
    items: list[gates.ScheduleItemDetails],
    now: datetime | None = None,
) -> Assessment:
    """The lead assessor proposes the one-day visit: its date and its schedule of case file
    reviews, staff interviews and group recordings (`gates.schedule_refusal`),
    replacing any earlier proposal. The link person then agrees it."""
    now = now or timezone.now()
    refuse_unless_acting(
        assessment=assessment,
        actor=actor,
        permission=LEAD_AUDIT,
        parts=[Part.LEAD_ASSESSOR],
        duty=Part.LEAD_ASSESSOR,
        doing="set the visit's schedule",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    refuse_unless_state(assessment, [State.DRAFT], "change the visit's schedule")
    refusal = gates.schedule_refusal(visit_on=visit_on, items=items, today=timezone.localdate(now))
    if refusal:
        message, field = refusal
        raise ActionRefused(message, rule_id=gates.AUDIT_RULE_ID, field=field)
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
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=AGREE_AUDIT_SCHEDULE,
        target=assessment,
        refusal="Only the audit's link person can agree the schedule",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    refuse_unless_state(assessment, [State.DRAFT], "agree the schedule")
    audit = _audit(assessment)
    items = [
        gates.ScheduleItemDetails(
            kind=ScheduleItemKind(item.kind), starts_at=item.starts_at, description=item.description
        )
        for item in audit.schedule.all()
    ]
    refusal = gates.schedule_refusal(
        visit_on=audit.visit_on, items=items, today=timezone.localdate(now)
    )
    if refusal:
        raise ActionRefused(refusal[0], rule_id=gates.AUDIT_RULE_ID, field=refusal[1])
    leads = _declared(assessment, Part.LEAD_ASSESSOR)
    seconds = _declared(assessment, Part.SECOND_ASSESSOR)
    if not leads or not set(seconds) - set(leads):
        raise ActionRefused(
            "The visit needs two assessors: a lead assessor and a second assessor, each having "
            "declared no conflict of interest",
            rule_id=gates.AUDIT_RULE_ID,
            field="participants",
        )
    before = model_snapshot(instance=assessment)
    audit.schedule_agreed_at = now
    audit.schedule_agreed_by = actor
    audit.save()
    return transition(
        assessment=assessment,
        to=State.SCHEDULED,
        actor=actor,
        now=now,
        note=f"visit on {day_label(audit.visit_on)}",  # type: ignore[arg-type]
        before=before,
    )


@transaction.atomic
def audit_visit_record(
    *, assessment: Assessment, actor: User, expected_version: int, now: datetime | None = None
) -> Assessment:
    """The lead assessor records the visit done, on or after its day: the indicators are then
    judged."""
    now = now or timezone.now()
    refuse_unless_acting(
        assessment=assessment,
        actor=actor,
        permission=LEAD_AUDIT,
        parts=[Part.LEAD_ASSESSOR],
        duty=Part.LEAD_ASSESSOR,
        doing="record the visit",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    refuse_unless_state(assessment, [State.SCHEDULED], "record the visit")
    audit = _audit(assessment)
    if audit.visit_on is None or timezone.localdate(now) < audit.visit_on:
        raise ActionRefused(
            f"The visit is on {day_label(audit.visit_on)}: record it on or after that day"
            if audit.visit_on
            else "The visit has no day",
            field="visit_on",
        )
    return transition(assessment=assessment, to=State.VISITED, actor=actor, now=now)


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
    now = now or timezone.now()
    refuse_unless_acting(
        assessment=record.assessment,
        actor=actor,
        permission=AUDIT,
        parts=[Part.LEAD_ASSESSOR, Part.SECOND_ASSESSOR],
        duty=Part.ASSESSOR,
        doing="judge the audit's indicators",
    )
    record = lock_record(record=record, expected_version=expected_version)
    assessment = record.assessment
    refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    refuse_read_only(assessment)
    refuse_unless_state(assessment, [State.VISITED], "judge the indicators")
    if judgement not in AUDIT_JUDGEMENTS:
        raise ActionRefused(f"Judge {record_label(record)} met or not met", field="judgement")
    basis = basis.strip()
    if not basis:
        raise ActionRefused(f"Give the evidence seen for {record_label(record)}", field="basis")
    before = model_snapshot(instance=record)
    record.judgement = Judgement(judgement)
    record.judgement_basis = basis
    record.judged_at = now
    record.judged_by = actor
    save_record(record=record, actor=actor, before=before)
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
    now = now or timezone.now()
    refuse_unless_acting(
        assessment=assessment,
        actor=actor,
        permission=LEAD_AUDIT,
        parts=[Part.LEAD_ASSESSOR],
        duty=Part.LEAD_ASSESSOR,
        doing="write the audit report",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    refuse_unless_state(assessment, [State.VISITED], "write the audit report")
    records = list(assessment.records.select_related("requirement").order_by("position"))
    unjudged = [record for record in records if record.judgement not in AUDIT_JUDGEMENTS]
    if unjudged:
        raise ActionRefused(
            f"Judge {records_named(unjudged)} met or not met before writing the report",
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
    return transition(assessment=assessment, to=State.REPORTED, actor=actor, now=now, before=before)


@transaction.atomic
def audit_outcome_record(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    actions_due_on: date | None = None,
    now: datetime | None = None,
) -> Assessment:
    """Respect records the outcome the findings give (`gates.audit_outcome`): passed,
    or failed with the reason. Each indicator not met becomes an action for the service, owned
    by its link person, due on `actions_due_on`."""
    now = now or timezone.now()
    refuse_unless_permitted(
        actor=actor,
        permission=COORDINATE,
        refusal="Only a lead assessor can record an audit's outcome",
    )
    assessment = lock_assessment(assessment=assessment, expected_version=expected_version)
    refuse_other_process(assessment, Process.SAFEGUARDING_AUDIT_2008)
    refuse_unless_state(assessment, [State.REPORTED], "record the outcome")
    not_met = list(
        assessment.records.filter(judgement=Judgement.NOT_MET)
        .select_related("requirement", "assessment")
        .order_by("position")
    )
    outcome = gates.audit_outcome(
        service=assessment.service, not_met_refs=[record_label(r) for r in not_met]
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
                description=f"Meet {record_label(record)}: {record.judgement_basis}",
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
    return transition(
        assessment=assessment,
        to=outcome.state,
        actor=actor,
        now=now,
        note=outcome.reason,
        before=before,
    )
