"""Synthetic perpetrator cases for site-visit tests, written directly: the sample needs many live
cases in chosen strata, not their histories."""

import itertools
from datetime import UTC, date, datetime

from django.contrib.auth.models import User

from tandem.cases.models import Child, PerpetratorCase, RiskConcern, Stage
from tandem.organisations.models import Service

RECEIVED = datetime(2026, 1, 5, 10, tzinfo=UTC)
_numbers = itertools.count(1)


def live_case(
    service: Service,
    by: User,
    *,
    intervention: str = "behaviour_change",
    stage: str = Stage.IN_INTERVENTION,
    consent: bool = True,
    concern: bool | None = None,
) -> PerpetratorCase:
    """`concern`: None for no risk concern raised, else whether the latest one was imminent."""
    case = PerpetratorCase.objects.create(
        service=service,
        reference=f"SV{next(_numbers):05d}",
        stage=stage,
        first_name="Synthetic",
        last_name="Person",
        date_of_birth=date(1985, 3, 1),
        phone="07700900999",
        referral_received_at=RECEIVED,
        referral_source="agency",
        referrer_contact="synthetic-referrer@example.org",
        intervention_type=intervention,
        consent_signed_on=date(2026, 1, 6) if consent else None,
        consent_covers_case_file_review=consent,
        consent_covers_recorded_sessions=consent,
        created_by=by,
    )
    if concern is not None:
        RiskConcern.objects.create(
            case=case,
            concern="Synthetic concern",
            imminent=concern,
            raised_by=by,
            raised_at=RECEIVED,
        )
    return case


def with_child_protection_plan(case: PerpetratorCase) -> PerpetratorCase:
    Child.objects.create(
        case=case,
        first_name="Synthetic",
        relationship_to_perpetrator="Son",
        plan=Child.Plan.CHILD_PROTECTION,
    )
    return case
