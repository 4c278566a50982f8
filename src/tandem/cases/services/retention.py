"""Anonymising a closed perpetrator case past its retention period (UK GDPR storage limitation;
WG 20 i: records are kept and destroyed in line with data protection law). Which cases are past
retention, and which are held, is tandem.dataprotection's to decide."""

from django.db import transaction

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.cases.models import Child, PerpetratorCase
from tandem.lib.anonymise import ANONYMISED, record_anonymised, records_within
from tandem.lib.errors import ActionRefused


@transaction.atomic
def perpetrator_case_anonymise(*, case: PerpetratorCase, reason: str) -> None:
    """His name, number and every note about him, his children and the people around him
    replaced; his year of birth, the stages, dates, choices and answers that the service's
    counts and compliance rest on kept. Records of the ISS side are the ISS's own to anonymise.
    Recorded in the audit trail without the values removed."""
    case = PerpetratorCase.objects.select_for_update().get(pk=case.pk)
    if case.closed_at is None:
        raise ActionRefused(
            f"case {case.reference} is open: only a closed case is anonymised", field="case"
        )
    case.first_name = case.last_name = ANONYMISED
    case.date_of_birth = case.date_of_birth.replace(month=1, day=1)
    case.save(update_fields=["first_name", "last_name", "date_of_birth"])
    record_anonymised(case)
    case.possible_duplicate_of.clear()
    for record in records_within(case, app_label="cases", depth=2):
        if isinstance(record, Child):
            record.date_of_birth = None
            record.save(update_fields=["date_of_birth"])
        record_anonymised(record)
    audit_event_record(
        actor=None,
        action=AuditEvent.Action.CHANGED,
        target=case,
        summary=f"anonymised: {reason}",
    )
