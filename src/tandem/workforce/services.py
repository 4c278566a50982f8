"""Writes to workforce records. Each checks its preconditions, names the rule that refuses it, and
writes an audit event."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils.formats import date_format

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.lib.people import person_name
from tandem.organisations.models import Organisation
from tandem.workforce import deadlines
from tandem.workforce.mentoring import co_worked_sessions
from tandem.workforce.models import (
    AbuseExperienceDisclosure,
    CheckLevel,
    CheckScheme,
    CriminalRecordCheck,
    Experience,
    Mentoring,
    Supervision,
    SupervisionKind,
    TrainingKind,
    TrainingRecord,
    Worker,
)
from tandem.workforce.rules import MANAGE_WORKER


def _date(day: date) -> str:
    return date_format(day, "j M Y")


def _not_in_future(*, day: date | None, today: date, field: str, what: str) -> None:
    if day is not None and day > today:
        raise ActionRefused(f"{what} cannot be in the future ({_date(day)})", field=field)


WORKER_FIELDS = (
    "employment_type",
    "job_title",
    "started_on",
    "probation_ends_on",
    "gender",
    "job_description_on_file_since",
    "person_specification_on_file_since",
    "relevant_experience_since",
)


def _worker_checked(*, worker: Worker, today: date) -> None:
    if not worker.job_title.strip():
        raise ActionRefused("enter the job title", field="job_title")
    if worker.probation_ends_on is not None and worker.probation_ends_on < worker.started_on:
        raise ActionRefused(
            f"probation cannot end ({_date(worker.probation_ends_on)}) before the start "
            f"({_date(worker.started_on)})",
            field="probation_ends_on",
        )
    for field, what in (
        ("job_description_on_file_since", "the job description's date on file"),
        ("person_specification_on_file_since", "the person specification's date on file"),
        ("relevant_experience_since", "the start of relevant experience"),
    ):
        _not_in_future(day=getattr(worker, field), today=today, field=field, what=what)


@transaction.atomic
def worker_create(
    *,
    actor: User | None,
    user: User,
    organisation: Organisation,
    employment_type: str,
    job_title: str,
    started_on: date,
    today: date,
    probation_ends_on: date | None = None,
    gender: str = "",
    job_description_on_file_since: date | None = None,
    person_specification_on_file_since: date | None = None,
    relevant_experience_since: date | None = None,
) -> Worker:
    """Open a person's employment record in an organisation (one per person and organisation)."""
    if Worker.objects.filter(user=user, organisation=organisation).exists():
        raise ActionRefused(
            f"{person_name(user)} already has a worker record in {organisation}", field="user"
        )
    worker = Worker(
        user=user,
        organisation=organisation,
        employment_type=employment_type,
        job_title=job_title.strip(),
        started_on=started_on,
        probation_ends_on=probation_ends_on,
        gender=gender,
        job_description_on_file_since=job_description_on_file_since,
        person_specification_on_file_since=person_specification_on_file_since,
        relevant_experience_since=relevant_experience_since,
    )
    _worker_checked(worker=worker, today=today)
    worker.save()
    audit_event_record(
        actor=actor,
        action="created",
        target=worker,
        summary=f"worker record opened for {person_name(user)}",
        after=model_snapshot(instance=worker),
    )
    return worker


@transaction.atomic
def worker_update(
    *, worker: Worker, actor: User, expected_version: int, today: date, **changes: object
) -> Worker:
    """Edit a worker record, refusing if someone else changed it since it was read."""
    unknown = set(changes) - set(WORKER_FIELDS)
    if unknown:
        raise ValueError(f"not a worker field: {', '.join(sorted(unknown))}")
    current = (
        Worker.objects.select_for_update(of=("self",)).select_related("user").get(pk=worker.pk)
    )
    if current.version != expected_version:
        raise StaleRecord(f"the worker record of {person_name(current.user)}")
    before = model_snapshot(instance=current)
    for field, value in changes.items():
        setattr(current, field, value.strip() if isinstance(value, str) else value)
    _worker_checked(worker=current, today=today)
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    audit_event_record(
        actor=actor,
        action="changed",
        target=current,
        summary=f"worker record of {person_name(current.user)} changed",
        before=before,
        after=model_snapshot(instance=current),
    )
    return current


@transaction.atomic
def criminal_record_check_record(
    *,
    actor: User | None,
    worker: Worker,
    scheme: str,
    level: str,
    certificate_number: str,
    issued_on: date,
    today: date,
) -> CriminalRecordCheck:
    """Rule dbs (R22 A3.3, R08 A4.3, WG 12): record a criminal record check and its
    certificate (the number is stored encrypted)."""
    if scheme not in CheckScheme.values:
        raise ActionRefused("choose the body that carried out the check", field="scheme")
    if level not in CheckLevel.values:
        raise ActionRefused("choose the level of the check", field="level")
    number = certificate_number.strip()
    if not number:
        raise ActionRefused("enter the certificate number", field="certificate_number")
    if len(number) > 40:
        raise ActionRefused(
            "the certificate number is too long (at most 40 characters)",
            field="certificate_number",
        )
    _not_in_future(day=issued_on, today=today, field="issued_on", what="the issue date")
    check = CriminalRecordCheck.objects.create(
        worker=worker,
        scheme=scheme,
        level=level,
        certificate_number=number,
        issued_on=issued_on,
        recorded_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=check,
        summary=f"{check.get_scheme_display()} check issued {_date(issued_on)} recorded for "
        f"{person_name(worker.user)}",
        after=model_snapshot(instance=check),
    )
    return check


MAX_TRAINING_HOURS = Decimal(500)
MAX_SUPERVISION_MINUTES = 8 * 60


@transaction.atomic
def training_record(
    *,
    actor: User | None,
    worker: Worker,
    kind: str,
    title: str,
    completed_on: date,
    hours: Decimal,
    today: date,
    provider: str = "",
) -> TrainingRecord:
    """Rules cpd and mandatory-training (R22 A3.4): a course or development activity with its
    hours; a mandatory course also renews that training for 3 years."""
    if kind not in TrainingKind.values:
        raise ActionRefused("choose what kind of training it was", field="kind")
    if not title.strip():
        raise ActionRefused("enter the course or activity", field="title")
    if hours <= 0 or hours > MAX_TRAINING_HOURS:
        raise ActionRefused(
            f"enter the hours, more than 0 and at most {MAX_TRAINING_HOURS} (rule cpd counts them)",
            rule_id="cpd",
            field="hours",
        )
    _not_in_future(day=completed_on, today=today, field="completed_on", what="the completion date")
    if completed_on < worker.started_on.replace(year=worker.started_on.year - 50):
        raise ActionRefused("enter a real completion date", field="completed_on")
    record = TrainingRecord.objects.create(
        worker=worker,
        kind=kind,
        title=title.strip(),
        provider=provider.strip(),
        completed_on=completed_on,
        hours=hours,
        recorded_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=record,
        summary=f"training recorded for {person_name(worker.user)}: {record.title}",
        after=model_snapshot(instance=record),
    )
    return record


@transaction.atomic
def supervision_record(
    *,
    actor: User,
    supervisee: Worker,
    supervisor: User,
    kind: str,
    held_on: date,
    minutes: int,
    today: date,
    notes: str = "",
    competency: str = "",
    training_needs: str = "",
) -> Supervision:
    """Record a supervision session. Rule line-management (R22 A3.5): line management minutes
    the competency and training needs discussed. Rule clinical-supervision: clinical
    supervision is separate from line management, so the two are never the same record."""
    if kind not in SupervisionKind.values:
        raise ActionRefused("choose the kind of supervision", field="kind")
    if supervisor.pk == supervisee.user_id:
        raise ActionRefused("a worker cannot supervise themselves", field="supervisor")
    if supervisor.pk != actor.pk:
        refuse_unless_permitted(
            actor=actor,
            permission=MANAGE_WORKER,
            target=supervisee,
            refusal="you may record only the supervision you give: choose yourself as the "
            "supervisor",
            field="supervisor",
        )
    if minutes <= 0 or minutes > MAX_SUPERVISION_MINUTES:
        raise ActionRefused(
            f"enter how long it lasted, in minutes (1 to {MAX_SUPERVISION_MINUTES})",
            field="minutes",
        )
    _not_in_future(day=held_on, today=today, field="held_on", what="the supervision date")
    if kind == SupervisionKind.LINE_MANAGEMENT:
        if not competency.strip():
            raise ActionRefused(
                "minute the competency discussed", rule_id="line-management", field="competency"
            )
        if not training_needs.strip():
            raise ActionRefused(
                "minute the training needs identified (or that there are none)",
                rule_id="line-management",
                field="training_needs",
            )
    elif competency.strip() or training_needs.strip():
        raise ActionRefused(
            "competency and training needs are minuted in line management only: record them "
            "there (clinical supervision is kept separate from line management)",
            rule_id="clinical-supervision",
            field="competency",
        )
    supervision = Supervision.objects.create(
        supervisee=supervisee,
        supervisor=supervisor,
        kind=kind,
        held_on=held_on,
        minutes=minutes,
        notes=notes.strip(),
        competency=competency.strip(),
        training_needs=training_needs.strip(),
        recorded_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=supervision,
        summary=f"{supervision.get_kind_display()} of {person_name(supervisee.user)} recorded",
        after=model_snapshot(instance=supervision),
    )
    return supervision


@transaction.atomic
def disclosure_record(
    *,
    actor: User,
    worker: Worker,
    experience: str,
    disclosed_on: date,
    agreed_support: str,
    decision: str,
    today: date,
) -> AbuseExperienceDisclosure:
    """A worker's disclosure of personal experience of domestic abuse, with the agreed support
    and any decision: restricted to the service manager and HR. The audit event says only that
    a disclosure was recorded (its encrypted fields never enter the trail)."""
    if experience not in Experience.values:
        raise ActionRefused("choose the experience disclosed", field="experience")
    if not agreed_support.strip():
        raise ActionRefused("enter the support agreed", field="agreed_support")
    _not_in_future(day=disclosed_on, today=today, field="disclosed_on", what="the disclosure date")
    disclosure = AbuseExperienceDisclosure.objects.create(
        worker=worker,
        experience=experience,
        disclosed_on=disclosed_on,
        agreed_support=agreed_support.strip(),
        decision=decision.strip(),
        recorded_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=disclosure,
        summary="restricted disclosure recorded",
        after=model_snapshot(instance=disclosure, fields=["worker", "disclosed_on"]),
    )
    return disclosure


@transaction.atomic
def mentoring_start(
    *, actor: User | None, mentee: Worker, mentor: User, started_on: date, today: date
) -> Mentoring:
    """Rule mentoring (NE 3.12): a new group worker co-works with an experienced worker (the
    mentor) for at least 6 months or 26 sessions."""
    if mentor.pk == mentee.user_id:
        raise ActionRefused(
            "a worker cannot mentor themselves", rule_id="mentoring", field="mentor"
        )
    if not Worker.objects.filter(user=mentor, organisation_id=mentee.organisation_id).exists():
        raise ActionRefused(
            f"{person_name(mentor)} has no worker record in {mentee.organisation}: the mentor is "
            "an experienced worker of the same organisation",
            rule_id="mentoring",
            field="mentor",
        )
    if Mentoring.objects.filter(mentee=mentee, ended_on__isnull=True).exists():
        raise ActionRefused(
            f"{person_name(mentee.user)} already has a mentor: end that mentoring first",
            rule_id="mentoring",
            field="mentor",
        )
    _not_in_future(day=started_on, today=today, field="started_on", what="the start date")
    mentoring = Mentoring.objects.create(mentee=mentee, mentor=mentor, started_on=started_on)
    audit_event_record(
        actor=actor,
        action="created",
        target=mentoring,
        summary=f"{person_name(mentor)} mentors {person_name(mentee.user)}",
        after=model_snapshot(instance=mentoring),
    )
    return mentoring


@transaction.atomic
def mentoring_end(*, actor: User, mentoring: Mentoring, ended_on: date, today: date) -> Mentoring:
    """Rule mentoring (NE 3.12): end a mentoring only once it has lasted 6 months or the mentee
    has co-worked 26 sessions with the mentor (group sessions both facilitated from the start to
    the end, counted by tandem.delivery)."""
    current = (
        Mentoring.objects.select_for_update(of=("self",))
        .select_related("mentee__user", "mentor")
        .get(pk=mentoring.pk)
    )
    if current.ended_on is not None:
        raise ActionRefused("this mentoring has already ended", field="ended_on")
    if ended_on < current.started_on:
        raise ActionRefused("the mentoring cannot end before it started", field="ended_on")
    _not_in_future(day=ended_on, today=today, field="ended_on", what="the end date")
    sessions_co_worked = co_worked_sessions().count(
        mentee=current.mentee.user, mentor=current.mentor, since=current.started_on, until=ended_on
    )
    if not deadlines.mentoring_is_complete(
        started_on=current.started_on, sessions_co_worked=sessions_co_worked, on=ended_on
    ):
        served = deadlines.mentoring_time_served_on(started_on=current.started_on)
        raise ActionRefused(
            f"mentoring lasts at least 6 months (until {_date(served)}) or "
            f"{deadlines.MENTORING_SESSIONS} co-worked sessions ({sessions_co_worked} so far)",
            rule_id="mentoring",
            field="ended_on",
        )
    before = model_snapshot(instance=current)
    current.ended_on = ended_on
    current.save(update_fields=["ended_on"])
    audit_event_record(
        actor=actor,
        action="changed",
        target=current,
        summary=f"mentoring ended ({sessions_co_worked} co-worked sessions)",
        before=before,
        after=model_snapshot(instance=current),
    )
    return current
