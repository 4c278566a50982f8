"""Demo workforce records for the demo service (synthetic): a worker record and a current
criminal record check for every member of staff (rule dbs), mandatory training and CPD,
supervision; one check falls due for renewal soon and one clinical supervision is overdue, so
the compliance matrix and the work pages show amber and red.

Call it after the service's staff exist and before anyone is allocated cases:
`demo_workforce(service=service, now=now)`; it is idempotent (staff with a worker record are
left alone).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.roles import Role
from tandem.lib.calendar import Jurisdiction
from tandem.organisations.models import Service, Side, StaffMembership
from tandem.workforce import deadlines, services
from tandem.workforce.models import (
    SCHEME_FOR_JURISDICTION,
    CheckLevel,
    EmploymentType,
    Gender,
    SupervisionKind,
    TrainingKind,
    Worker,
)

MANDATORY = (
    TrainingKind.SAFEGUARDING,
    TrainingKind.EDI,
    TrainingKind.RISK,
    TrainingKind.DATA_PROTECTION,
)
GENDERS = (Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.MALE, Gender.ANOTHER)


@transaction.atomic
def demo_workforce(*, service: Service, now: datetime) -> list[Worker]:
    """Worker records, checks, training and supervision for the demo service's current staff.

    The service manager's check falls due for renewal in 3 weeks (amber); the first
    perpetrator worker's clinical supervision is overdue (red). Returns the workers created."""
    today = timezone.localdate(now)
    memberships = list(
        StaffMembership.objects.filter(service=service, ended_on__isnull=True)
        .exclude(user__worker_records__organisation_id=service.organisation_id)
        .select_related("user")
        .order_by("user__username", "pk")
    )
    managers = set(
        User.objects.filter(groups__name=Role.SERVICE_MANAGER).values_list("pk", flat=True)
    )
    supervisor = next((m.user for m in memberships if m.user_id in managers), None)
    scheme = SCHEME_FOR_JURISDICTION[Jurisdiction(service.jurisdiction)]
    overdue_given = False
    created = []
    for number, membership in enumerate(memberships):
        user = membership.user
        is_manager = user.pk in managers
        started_on = min(membership.started_on, today - timedelta(days=400))
        worker = services.worker_create(
            actor=None,
            user=user,
            organisation=service.organisation,
            employment_type=EmploymentType.STAFF,
            job_title="Service manager" if is_manager else "Synthetic practitioner",
            started_on=started_on,
            today=today,
            probation_ends_on=deadlines.add_months(day=started_on, months=6),
            gender=GENDERS[number % len(GENDERS)],
            job_description_on_file_since=started_on,
            person_specification_on_file_since=started_on,
            relevant_experience_since=started_on - timedelta(days=365 * 4),
        )
        if is_manager:
            # Falls due for renewal within the month: amber on the matrix, due soon for him.
            issued_on = deadlines.add_years(day=today, years=-3) + timedelta(days=21)
        else:
            # Current on the demo's day and on the real one (allocation asks about today).
            issued_on = max(
                today - timedelta(days=200 + 37 * number),
                timezone.localdate() - timedelta(days=700),
            )
        services.criminal_record_check_record(
            actor=None,
            worker=worker,
            scheme=scheme,
            level=CheckLevel.ENHANCED_BARRED,
            certificate_number=f"SYNTHETIC-{number + 1:06d}",
            issued_on=issued_on,
            today=max(today, timezone.localdate()),
        )
        kinds = [*MANDATORY, *([TrainingKind.RESPECT_SERVICE_MANAGER] if is_manager else [])]
        for position, kind in enumerate(kinds):
            services.training_record(
                actor=None,
                worker=worker,
                kind=kind,
                title=f"{kind.label} (synthetic course)",
                completed_on=today - timedelta(days=60 + 90 * position + 11 * number),
                hours=Decimal(6),
                today=today,
            )
        services.training_record(
            actor=None,
            worker=worker,
            kind=TrainingKind.OTHER,
            title="Synthetic reflective practice workshop",
            completed_on=today - timedelta(days=30 + number),
            hours=Decimal(3 + number % 4),
            today=today,
        )
        if supervisor is not None and user != supervisor:
            services.supervision_record(
                actor=supervisor,
                supervisee=worker,
                supervisor=supervisor,
                kind=SupervisionKind.LINE_MANAGEMENT,
                held_on=today - timedelta(days=20 + number),
                minutes=60,
                today=today,
                notes="Synthetic line management notes.",
                competency="Synthetic: competency discussed against the job description.",
                training_needs="Synthetic: none beyond the mandatory refreshers.",
            )
            if membership.side != Side.MANAGEMENT:
                overdue = not overdue_given and membership.side == Side.PERPETRATOR
                overdue_given = overdue_given or overdue
                services.supervision_record(
                    actor=supervisor,
                    supervisee=worker,
                    supervisor=supervisor,
                    kind=SupervisionKind.CLINICAL,
                    # Rule clinical-supervision: at most 6 weeks apart; one is overdue.
                    held_on=today - timedelta(days=50 if overdue else 14 + number),
                    minutes=90,
                    today=today,
                    notes="Synthetic clinical supervision notes.",
                )
        created.append(worker)
    return created


def demo_worker_checked(
    *, user: User, service: Service, gender: str, issued_on: date, today: date
) -> Worker:
    """Someone the demo allocates work to who lacks a current criminal record check (rule dbs):
    their worker record in the service's organisation (opened if missing, with `gender`) and an
    enhanced check issued on `issued_on`, through the workforce services."""
    worker = Worker.objects.filter(user=user, organisation_id=service.organisation_id).first()
    if worker is None:
        worker = services.worker_create(
            actor=None,
            user=user,
            organisation=service.organisation,
            employment_type=EmploymentType.STAFF,
            job_title="Synthetic practitioner",
            started_on=issued_on,
            today=today,
            gender=gender,
        )
    services.criminal_record_check_record(
        actor=None,
        worker=worker,
        scheme=SCHEME_FOR_JURISDICTION[Jurisdiction(service.jurisdiction)],
        level=CheckLevel.ENHANCED_BARRED,
        certificate_number=f"SYNTHETIC-{user.pk:06d}",
        issued_on=issued_on,
        today=today,
    )
    return worker
