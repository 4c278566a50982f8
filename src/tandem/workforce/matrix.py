"""The staff compliance matrix: people by requirements, each green, amber or red, computed from the
records in a fixed number of queries whatever the number of workers.

Red: overdue or missing. Amber: falls due within one month. Green: otherwise. "n/a": the
requirement does not apply to this person (e.g. the Respect Service Manager course to someone
who is not a service manager, clinical supervision to someone on the management side).
The due dates come from `tandem.workforce.deadlines`, one function per rule.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db.models import Max, Q, Sum
from django.utils.formats import date_format

from tandem.access.roles import Role
from tandem.lib.calendar import Jurisdiction
from tandem.organisations.models import Service, Side, StaffMembership
from tandem.workforce import deadlines
from tandem.workforce.models import (
    SCHEME_FOR_JURISDICTION,
    CriminalRecordCheck,
    Supervision,
    SupervisionKind,
    TrainingKind,
    TrainingRecord,
    Worker,
)

GREEN, AMBER, RED, NOT_APPLICABLE = "green", "amber", "red", "n/a"
STATUS_LABELS = {GREEN: "Met", AMBER: "Due soon", RED: "Overdue or missing", NOT_APPLICABLE: "n/a"}

MANDATORY_KINDS = (
    TrainingKind.SAFEGUARDING,
    TrainingKind.EDI,
    TrainingKind.RISK,
    TrainingKind.DATA_PROTECTION,
    TrainingKind.RESPECT_SERVICE_MANAGER,
)


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    rule_id: str


REQUIREMENTS = (
    Requirement("check", "Criminal record check", "dbs"),
    *(
        Requirement(f"training-{kind.value}", kind.label, "mandatory-training")
        for kind in MANDATORY_KINDS
    ),
    Requirement("cpd", "CPD hours (12 months)", "cpd"),
    Requirement("clinical", "Clinical supervision", "clinical-supervision"),
    Requirement("line-management", "Line management", "line-management"),
    Requirement("peer", "Peer supervision (ICM)", "practice-observation"),
    Requirement("observation", "Practice observation (ICM)", "practice-observation"),
    Requirement("documents", "Job description and person specification (R22 A3.1)", ""),
)


@dataclass(frozen=True)
class Cell:
    requirement: Requirement
    status: str
    text: str
    due_on: date | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Row:
    worker: Worker
    sides: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)

    @property
    def worst(self) -> str:
        statuses = {cell.status for cell in self.cells}
        return next((s for s in (RED, AMBER) if s in statuses), GREEN)


def _hours(minutes: int) -> str:
    return f"{Decimal(minutes) / 60:.2f}".rstrip("0").rstrip(".")


def _d(day: date) -> str:
    return date_format(day, "j M Y")


def status_for_due(*, due_on: date, on: date) -> str:
    """Red once the due day has passed (a renewal due on a day is overdue that day: the check or
    training is no longer current), amber within a month, green otherwise."""
    if due_on <= on:
        return RED
    if due_on <= deadlines.add_months(day=on, months=1):
        return AMBER
    return GREEN


def _due_cell(requirement: Requirement, *, due_on: date, on: date, what: str) -> Cell:
    status = status_for_due(due_on=due_on, on=on)
    verb = "was due" if status == RED else "due"
    return Cell(requirement, status, f"{what}; {verb} {_d(due_on)}", due_on)


def _supervision_due_cell(
    requirement: Requirement, *, last: date | None, started_on: date, due_on: date, on: date
) -> Cell:
    what = f"last {_d(last)}" if last else f"none yet (started {_d(started_on)})"
    if due_on < on:
        return Cell(requirement, RED, f"{what}; was due {_d(due_on)}", due_on)
    if due_on <= deadlines.add_months(day=on, months=1):
        return Cell(requirement, AMBER, f"{what}; due {_d(due_on)}", due_on)
    return Cell(requirement, GREEN, f"{what}; next by {_d(due_on)}", due_on)


def compliance_matrix(*, service: Service, workers: Sequence[Worker], on: date) -> list[Row]:
    """Rows of the staff compliance matrix for the given workers of `service` on `on`, in a fixed
    number of queries (memberships, roles, checks, training, CPD hours, supervision)."""
    worker_ids = [worker.pk for worker in workers]
    user_ids = [worker.user_id for worker in workers]
    scheme = SCHEME_FOR_JURISDICTION[Jurisdiction(service.jurisdiction)]

    sides: dict[int, list[str]] = defaultdict(list)
    for user_id, side in StaffMembership.objects.filter(
        service=service, user_id__in=user_ids, ended_on__isnull=True
    ).values_list("user_id", "side"):
        sides[user_id].append(side)
    service_managers = set(
        Group.objects.filter(name=Role.SERVICE_MANAGER, user__in=user_ids).values_list(
            "user", flat=True
        )
    )
    last_check = dict(
        CriminalRecordCheck.objects.filter(
            worker_id__in=worker_ids, scheme=scheme, issued_on__lte=on
        )
        .values("worker_id")
        .annotate(last=Max("issued_on"))
        .values_list("worker_id", "last")
    )
    last_training: dict[tuple[int, str], date] = {
        (worker_id, kind): last
        for worker_id, kind, last in TrainingRecord.objects.filter(
            worker_id__in=worker_ids, kind__in=MANDATORY_KINDS, completed_on__lte=on
        )
        .values("worker_id", "kind")
        .annotate(last=Max("completed_on"))
        .values_list("worker_id", "kind", "last")
    }
    first, last = deadlines.cpd_window(on=on)
    first_next_month, _ = deadlines.cpd_window(on=deadlines.add_months(day=on, months=1))
    cpd = {
        row["worker_id"]: row
        for row in TrainingRecord.objects.filter(
            worker_id__in=worker_ids, completed_on__gte=first, completed_on__lte=last
        )
        .values("worker_id")
        .annotate(
            total=Sum("hours"),
            staying=Sum("hours", filter=Q(completed_on__gte=first_next_month)),
        )
    }
    last_supervision: dict[tuple[int, str], date] = {
        (worker_id, kind): held
        for worker_id, kind, held in Supervision.objects.filter(
            supervisee_id__in=worker_ids, held_on__lte=on
        )
        .values("supervisee_id", "kind")
        .annotate(last=Max("held_on"))
        .values_list("supervisee_id", "kind", "last")
    }

    # Rule clinical-supervision (NE 3.13): 1.5 hours each calendar month; last month is judged.
    this_month = on.replace(day=1)
    last_month = deadlines.add_months(day=this_month, months=-1)
    clinical_minutes = {
        row["supervisee_id"]: row
        for row in Supervision.objects.filter(
            supervisee_id__in=worker_ids,
            kind=SupervisionKind.CLINICAL,
            held_on__gte=last_month,
            held_on__lte=on,
        )
        .values("supervisee_id")
        .annotate(
            this_month=Sum("minutes", filter=Q(held_on__gte=this_month)),
            last_month=Sum("minutes", filter=Q(held_on__lt=this_month)),
        )
    }

    rows = []
    for worker in workers:
        row = Row(worker=worker, sides=sorted(sides.get(worker.user_id, [])))
        frontline = any(side != Side.MANAGEMENT for side in row.sides)
        for requirement in REQUIREMENTS:
            row.cells.append(
                _cell(
                    requirement,
                    worker=worker,
                    on=on,
                    scheme_label=scheme.label,
                    last_check=last_check.get(worker.pk),
                    last_training=last_training,
                    cpd=cpd.get(worker.pk),
                    last_supervision=last_supervision,
                    clinical_minutes=clinical_minutes.get(worker.pk, {}),
                    last_month=last_month,
                    frontline=frontline,
                    is_service_manager=worker.user_id in service_managers,
                )
            )
        rows.append(row)
    return rows


def _cell(
    requirement: Requirement,
    *,
    worker: Worker,
    on: date,
    scheme_label: str,
    last_check: date | None,
    last_training: dict[tuple[int, str], date],
    cpd: dict[str, Decimal | None] | None,
    last_supervision: dict[tuple[int, str], date],
    clinical_minutes: dict[str, int | None],
    last_month: date,
    frontline: bool,
    is_service_manager: bool,
) -> Cell:
    key = requirement.key
    if key == "check":
        if last_check is None:
            return Cell(requirement, RED, f"no {scheme_label} check on file")
        return _due_cell(
            requirement,
            due_on=deadlines.criminal_record_check_renewal_due(issued_on=last_check),
            on=on,
            what=f"issued {_d(last_check)}",
        )
    if key.startswith("training-"):
        kind = key.removeprefix("training-")
        if kind == TrainingKind.RESPECT_SERVICE_MANAGER and not is_service_manager:
            return Cell(requirement, NOT_APPLICABLE, "service managers only")
        completed = last_training.get((worker.pk, kind))
        if completed is None:
            return Cell(requirement, RED, "not recorded")
        return _due_cell(
            requirement,
            due_on=deadlines.mandatory_training_refresh_due(completed_on=completed),
            on=on,
            what=f"completed {_d(completed)}",
        )
    if key == "cpd":
        hours = (cpd or {}).get("total") or Decimal(0)
        staying = (cpd or {}).get("staying") or Decimal(0)
        text = f"{hours.normalize():f} of {deadlines.CPD_HOURS_PER_YEAR} hours"
        if not deadlines.cpd_is_met(hours=hours):
            return Cell(requirement, RED, text)
        if not deadlines.cpd_is_met(hours=staying):
            return Cell(requirement, AMBER, f"{text}; below 20 within a month")
        return Cell(requirement, GREEN, text)
    if key == "clinical":
        if not frontline:
            return Cell(requirement, NOT_APPLICABLE, "not frontline")
        held = last_supervision.get((worker.pk, SupervisionKind.CLINICAL))
        due_on = deadlines.clinical_supervision_due(last_held_on=held or worker.started_on)
        cell = _supervision_due_cell(
            requirement, last=held, started_on=worker.started_on, due_on=due_on, on=on
        )
        this_month = clinical_minutes.get("this_month") or 0
        previous = clinical_minutes.get("last_month") or 0
        text = f"{cell.text}; {_hours(this_month)} h this month (1.5 expected)"
        short = worker.started_on < last_month and deadlines.clinical_supervision_month_is_short(
            minutes_in_month=previous
        )
        if short:
            text += f"; only {_hours(previous)} h in {last_month:%B}"
            if cell.status == GREEN:
                return Cell(requirement, AMBER, text, cell.due_on)
        return Cell(requirement, cell.status, text, cell.due_on)
    if key == "line-management":
        held = last_supervision.get((worker.pk, SupervisionKind.LINE_MANAGEMENT))
        due_on = deadlines.line_management_due(last_held_on=held or worker.started_on)
        return _supervision_due_cell(
            requirement, last=held, started_on=worker.started_on, due_on=due_on, on=on
        )
    if key in ("peer", "observation"):
        if not worker.is_icm_case_manager:
            return Cell(requirement, NOT_APPLICABLE, "not an ICM case manager")
        kind = SupervisionKind.PEER if key == "peer" else SupervisionKind.OBSERVATION
        held = last_supervision.get((worker.pk, kind))
        start = held or worker.started_on
        due_on = (
            deadlines.peer_supervision_due(last_held_on=start)
            if key == "peer"
            else deadlines.practice_observation_due(
                last_held_on=start, probation_ends_on=worker.probation_ends_on
            )
        )
        return _supervision_due_cell(
            requirement, last=held, started_on=worker.started_on, due_on=due_on, on=on
        )
    # documents
    missing = [
        what
        for what, day in (
            ("job description", worker.job_description_on_file_since),
            ("person specification", worker.person_specification_on_file_since),
        )
        if day is None
    ]
    if missing:
        return Cell(requirement, RED, f"missing: {', '.join(missing)}")
    return Cell(requirement, GREEN, "both on file")
