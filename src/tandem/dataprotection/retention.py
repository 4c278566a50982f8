"""The retention schedule and `tandem retention run`: records past their retention period are
anonymised by their own app's service, unless a legal hold stands on them or a linked case.

UK GDPR (storage limitation, Art. 5(1)(e)) requires personal data be kept no longer than needed,
and the standards ask that records be "kept, stored and destroyed in line with relevant Data
Protection legislation" (WG 20 i; R22 A1.1 c asks for a data protection policy; the 2008 audit's
A6.1 for records that meet the Data Protection Act). None of them sets a period: the defaults
(settings.TANDEM_RETENTION_YEARS, README) are six years after closure, the limitation period for
claims in contract and tort (Limitation Act 1980, ss. 2 and 5), and each service sets its own.

A record is past retention the day after the anniversary of its closure: on the anniversary
itself it is kept. Audit events are never touched (they are the trail of what was done).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models, transaction

from tandem.cases.models import PerpetratorCase
from tandem.cases.services.retention import perpetrator_case_anonymise
from tandem.dataprotection.models import Anonymisation, LegalHold, RecordType
from tandem.governance.models import Complaint
from tandem.governance.services.complaints import complaint_anonymise
from tandem.lib.calendar import UK_TIME
from tandem.support.models import IssCase, SurvivorLink
from tandem.support.services.retention import iss_case_anonymise


@dataclass(frozen=True)
class RetentionLine:
    """What a run found and did for one record type."""

    record_type: RecordType
    years: int
    past_retention: int
    held: int
    anonymised: int


def retention_years(record_type: RecordType) -> int:
    return int(settings.TANDEM_RETENTION_YEARS[record_type.value])


def last_kept_day(*, today: date, years: int) -> date:
    """A record closed on this day is kept today, its anniversary; one closed earlier is past."""
    return today - relativedelta(years=years)


def held_perpetrator_case_ids() -> set[int]:
    """Cases under a standing hold, and those linked to an ISS case under one."""
    standing = LegalHold.objects.filter(lifted_at__isnull=True)
    direct = set(
        standing.filter(perpetrator_case__isnull=False).values_list("perpetrator_case", flat=True)
    )
    linked = SurvivorLink.objects.filter(
        survivor__iss_case__in=standing.filter(iss_case__isnull=False).values("iss_case")
    ).values_list("perpetrator_case", flat=True)
    return {pk for pk in direct | set(linked) if pk is not None}


def held_iss_case_ids() -> set[int]:
    """ISS cases under a standing hold, and those of survivors linked to a held case."""
    standing = LegalHold.objects.filter(lifted_at__isnull=True)
    direct = set(standing.filter(iss_case__isnull=False).values_list("iss_case", flat=True))
    linked = IssCase.objects.filter(
        survivor__links__perpetrator_case__in=standing.filter(
            perpetrator_case__isnull=False
        ).values("perpetrator_case")
    ).values_list("pk", flat=True)
    return {pk for pk in direct | set(linked) if pk is not None}


def _closed_before(
    model: type[models.Model], *, record_type: RecordType, field: str, day: date
) -> models.QuerySet:
    """Records closed before `day` (UK time), not yet anonymised."""
    start = datetime.combine(day, time.min, tzinfo=UK_TIME)
    done = Anonymisation.objects.filter(record_type=record_type).values("record_id")
    boundary = {f"{field}__lt": start if field.endswith("_at") else day}
    return model._default_manager.filter(**boundary).exclude(pk__in=done).order_by("pk")


@dataclass(frozen=True)
class _Schedule:
    record_type: RecordType
    model: type[models.Model]
    closed_field: str
    held: Callable[[], set[int]]
    anonymise: Callable[[models.Model, str], None]


SCHEDULE = (
    _Schedule(
        RecordType.PERPETRATOR_CASES,
        PerpetratorCase,
        "closed_at",
        held_perpetrator_case_ids,
        lambda record, reason: perpetrator_case_anonymise(case=record, reason=reason),  # type: ignore[arg-type]
    ),
    _Schedule(
        RecordType.ISS_CASES,
        IssCase,
        "closed_at",
        held_iss_case_ids,
        lambda record, reason: iss_case_anonymise(iss_case=record, reason=reason),  # type: ignore[arg-type]
    ),
    _Schedule(
        RecordType.COMPLAINTS,
        Complaint,
        "responded_on",
        set,
        lambda record, reason: complaint_anonymise(complaint=record, reason=reason),  # type: ignore[arg-type]
    ),
)


def retention_run(*, now: datetime, dry_run: bool) -> list[RetentionLine]:
    """Anonymise every record past its retention period and not held, each with its record of
    anonymisation in one transaction; a dry run counts the same and changes nothing."""
    today = now.astimezone(UK_TIME).date()
    lines = []
    for entry in SCHEDULE:
        years = retention_years(entry.record_type)
        due = list(
            _closed_before(
                entry.model,
                record_type=entry.record_type,
                field=entry.closed_field,
                day=last_kept_day(today=today, years=years),
            )
        )
        held = entry.held()
        to_anonymise = [record for record in due if record.pk not in held]
        if not dry_run:
            reason = (
                f"closed more than {years} years ago "
                f"(retention schedule: {entry.record_type.label.lower()})"
            )
            for record in to_anonymise:
                with transaction.atomic():
                    entry.anonymise(record, reason)
                    Anonymisation.objects.create(
                        record_type=entry.record_type, record_id=record.pk, anonymised_at=now
                    )
        lines.append(
            RetentionLine(
                record_type=entry.record_type,
                years=years,
                past_retention=len(due),
                held=len(due) - len(to_anonymise),
                anonymised=0 if dry_run else len(to_anonymise),
            )
        )
    return lines
