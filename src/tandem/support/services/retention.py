"""Anonymising a closed ISS case past its retention period (UK GDPR storage limitation; WG 20 i:
records are kept and destroyed in line with data protection law). Which cases are past
retention, and which are held, is tandem.dataprotection's to decide."""

from django.db import transaction

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.lib.anonymise import ANONYMISED, record_anonymised, records_within
from tandem.lib.errors import ActionRefused
from tandem.support.models import IssCase, Survivor


@transaction.atomic
def iss_case_anonymise(*, iss_case: IssCase, reason: str) -> None:
    """Her name, date of birth, addresses, numbers and every note of her support replaced;
    the dates, outcomes and choices the service's counts and compliance rest on kept. Recorded
    in the audit trail without the values removed."""
    iss_case = IssCase.objects.select_for_update().get(pk=iss_case.pk)
    if iss_case.closed_at is None:
        raise ActionRefused(
            f"ISS case {iss_case.pk} is open: only a closed case is anonymised", field="iss_case"
        )
    survivor = Survivor.objects.select_for_update().get(pk=iss_case.survivor_id)
    survivor.first_name = survivor.last_name = ANONYMISED
    survivor.date_of_birth = None
    survivor.save(update_fields=["first_name", "last_name", "date_of_birth"])
    record_anonymised(survivor)
    for record in records_within(survivor, app_label="support", depth=3):
        record_anonymised(record)
    audit_event_record(
        actor=None,
        action=AuditEvent.Action.CHANGED,
        target=iss_case,
        summary=f"anonymised: {reason}",
    )
