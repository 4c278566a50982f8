"""Writes to complaints (WG 18) and feedback (rule feedback, R22-S/I B7.3)."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.governance import deadlines
from tandem.governance.inputs import (
    TEXT_MAX,
    not_in_future,
    require_choice,
    require_staff,
    require_text,
)
from tandem.governance.models import (
    COMPLAINT_RESPONSE_WORKING_DAYS,
    Complaint,
    ComplaintOutcome,
    FeedbackEntry,
    FeedbackMethod,
)
from tandem.governance.rules import (
    MANAGE_COMPLAINTS,
    READ_SURVIVOR_COMPLAINTS,
)
from tandem.governance.services.common import (
    audit_created,
    locked_at_version,
    now_or_current,
    refuse_unless_governance_manager,
    saved_with_new_version,
)
from tandem.lib.anonymise import record_anonymised
from tandem.lib.calendar import Jurisdiction
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service

# Complaints (WG 18) and feedback (rule feedback, R22-S/I B7.3)


def _only_the_service_manager(service: Service) -> str:
    return f"only the service manager of {service.name} can record its complaints"


@transaction.atomic
def complaint_receive(
    *,
    service: Service,
    received_on: date,
    complainant: str,
    summary: str,
    response_working_days: int | None,
    actor: User,
    involves_survivor: bool = True,
    now: datetime | None = None,
) -> Complaint:
    """Record a complaint; its response is due within the service's timeframe (WG 18 ii: 20
    working days unless another is given). One involving a survivor (unless said otherwise) is
    read and answered on the ISS side only (rule survivor-confidentiality)."""
    now = now_or_current(now)
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_COMPLAINTS,
        target=service,
        refusal=_only_the_service_manager(service),
    )
    not_in_future(
        received_on, field="received_on", what="The date received", today=timezone.localdate(now)
    )
    days = (
        COMPLAINT_RESPONSE_WORKING_DAYS if response_working_days is None else response_working_days
    )
    if not 1 <= days <= 60:
        raise ActionRefused(
            "the response timeframe must be between 1 and 60 working days",
            field="response_working_days",
            rule_id="complaints",
        )
    complaint = Complaint.objects.create(
        service=service,
        received_on=received_on,
        complainant=require_text(
            complainant, field="complainant", what="who complained", limit=200
        ),
        summary=require_text(summary, field="summary", what="what the complaint is about"),
        involves_survivor=involves_survivor,
        response_working_days=days,
        response_due_on=deadlines.complaint_response_due(
            received_on=received_on,
            working_days=days,
            jurisdiction=Jurisdiction(service.jurisdiction),
        ),
        recorded_by=actor,
    )
    audit_created(actor=actor, target=complaint, summary="complaint received")
    return complaint


@transaction.atomic
def complaint_update(
    *,
    complaint: Complaint,
    investigator: User | None,
    investigation: str,
    outcome: str,
    responded_on: date | None,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> Complaint:
    """Record the investigation, its outcome and when the complainant was told (WG 18 ii)."""
    now = now_or_current(now)
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_COMPLAINTS,
        target=complaint.service,
        refusal=_only_the_service_manager(complaint.service),
    )
    if complaint.involves_survivor:
        refuse_unless_permitted(
            actor=actor,
            permission=READ_SURVIVOR_COMPLAINTS,
            target=complaint,
            refusal="a complaint involving a survivor is answered on the ISS side only",
            rule_id="survivor-confidentiality",
        )
    current: Complaint = locked_at_version(
        Complaint, pk=complaint.pk, expected_version=expected_version, what="the complaint"
    )
    if outcome and outcome not in ComplaintOutcome.values:
        raise ActionRefused("choose the outcome", field="outcome")
    if investigator is not None:
        require_staff(
            user=investigator, service=current.service, field="investigator", on=current.received_on
        )
    if responded_on is not None:
        not_in_future(
            responded_on,
            field="responded_on",
            what="The response date",
            today=timezone.localdate(now),
        )
        if responded_on < current.received_on:
            raise ActionRefused(
                "the response cannot be before the complaint was received", field="responded_on"
            )
        if not outcome:
            raise ActionRefused(
                "record the outcome the complainant was told (WG 18 ii)",
                field="outcome",
                rule_id="complaints",
            )
    before = model_snapshot(instance=current)
    current.investigator = investigator
    current.investigation = (investigation or "").strip()[:TEXT_MAX]
    current.outcome = outcome
    current.responded_on = responded_on
    saved_with_new_version(actor=actor, current=current, before=before, summary="complaint updated")
    return current


@transaction.atomic
def feedback_record(
    *,
    service: Service,
    received_on: date,
    method: str,
    from_side: str,
    theme: str,
    summary: str,
    change_made: str,
    actor: User,
    now: datetime | None = None,
) -> FeedbackEntry:
    """A service user's views and any change made because of them (rule feedback)."""
    now = now_or_current(now)
    refuse_unless_governance_manager(actor=actor, service=service)
    require_choice(method, choices=FeedbackMethod.values, field="method", what="how it was given")
    require_choice(
        from_side,
        choices=["perpetrator", "iss"],
        field="from_side",
        what="which part of the service it is about",
    )
    not_in_future(
        received_on, field="received_on", what="The date received", today=timezone.localdate(now)
    )
    entry = FeedbackEntry.objects.create(
        service=service,
        received_on=received_on,
        method=method,
        from_side=from_side,
        theme=require_text(theme, field="theme", what="the theme", limit=100),
        summary=require_text(summary, field="summary", what="what was said"),
        change_made=(change_made or "").strip()[:TEXT_MAX],
        recorded_by=actor,
    )
    audit_created(actor=actor, target=entry, summary="service-user feedback recorded")
    return entry


@transaction.atomic
def complaint_anonymise(*, complaint: Complaint, reason: str) -> None:
    """Past its retention period (tandem.dataprotection decides when): who complained, what
    about and the investigation replaced; the dates, timeframe and outcome kept for the
    service's record of complaints handled (WG 18). Audited without the values removed."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.responded_on is None:
        raise ActionRefused(
            "the complaint has not been answered: only an answered complaint is anonymised",
            field="complaint",
        )
    record_anonymised(complaint)
    audit_event_record(
        actor=None,
        action=AuditEvent.Action.CHANGED,
        target=complaint,
        summary=f"anonymised: {reason}",
    )
