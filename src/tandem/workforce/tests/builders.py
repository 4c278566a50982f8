"""Builders for tests in any app: give someone on a service's staff a worker record
with a current criminal record check (rule dbs), so they can be allocated cases and sessions."""

from datetime import date, timedelta

from django.contrib.auth.models import User

from tandem.lib.calendar import Jurisdiction
from tandem.organisations.models import Service
from tandem.workforce.models import (
    SCHEME_FOR_JURISDICTION,
    CheckLevel,
    CriminalRecordCheck,
    EmploymentType,
    Worker,
)


def worker_with_current_check(
    *, user: User, service: Service, gender: str = "", issued_on: date | None = None
) -> Worker:
    """The user's worker record in the service's organisation (created if missing), with an
    enhanced check of the service's jurisdiction's scheme, issued a year ago unless stated."""
    worker, _ = Worker.objects.get_or_create(
        user=user,
        organisation_id=service.organisation_id,
        defaults={
            "employment_type": EmploymentType.STAFF,
            "job_title": "Synthetic worker",
            "started_on": date(2024, 1, 1),
            "gender": gender,
        },
    )
    CriminalRecordCheck.objects.create(
        worker=worker,
        scheme=SCHEME_FOR_JURISDICTION[Jurisdiction(service.jurisdiction)],
        level=CheckLevel.ENHANCED_BARRED,
        # No number: fixtures write no encrypted value, so tests of key rotation own every token.
        certificate_number="",
        issued_on=issued_on or date.today() - timedelta(days=365),
    )
    return worker
