"""Reports to children's social care, a court or another agency (rules external-report,
limitations): drafted to the template, signed off by a senior manager, then released."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.services import audit_event_record
from tandem.cases.models import ExternalReport, PerpetratorCase
from tandem.cases.rules import SIGN_OFF
from tandem.lib.calendar import UK_TIME
from tandem.lib.errors import ActionRefused


@dataclass(frozen=True)
class ReportSections:
    recipient: str
    recipient_name: str
    intervention_and_attendance: str
    further_abuse: str
    concerns_with_evidence: str
    limitations: str


# The report template's sections (rule external-report), in the order they are written.
REPORT_SECTIONS = {
    "intervention_and_attendance": "The nature of the intervention and his attendance",
    "further_abuse": "Further abuse",
    "concerns_with_evidence": "Concerns, with the evidence for each",
    "limitations": "Limitations: what can and cannot be concluded",
}


@transaction.atomic
def external_report_draft(
    *,
    case: PerpetratorCase,
    actor: User,
    sections: ReportSections,
    now: datetime | None = None,
) -> ExternalReport:
    """Rules external-report and limitations (R22-S B5.5-B5.6, B4.3): a report to children's
    social care, a court or another agency is written to the template, every section required,
    including what can and cannot be concluded. It is a draft until a senior manager signs it
    off."""
    now = now or timezone.now()
    if sections.recipient not in ExternalReport.Recipient.values:
        raise ActionRefused("choose who the report is for", field="recipient")
    if not sections.recipient_name.strip():
        raise ActionRefused("name the agency or court it is for", field="recipient_name")
    for name, heading in REPORT_SECTIONS.items():
        if not getattr(sections, name).strip():
            raise ActionRefused(
                f'write the section "{heading}"',
                rule_id="limitations" if name == "limitations" else "external-report",
                field=name,
            )
    report = ExternalReport.objects.create(
        case=case,
        drafted_by=actor,
        drafted_at=now,
        recipient=sections.recipient,
        **{name: getattr(sections, name).strip() for name in ("recipient_name", *REPORT_SECTIONS)},
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=report,
        summary=f"report on {case.reference} drafted for {report.recipient_name}",
    )
    return report


def _lock_report(*, report: ExternalReport) -> ExternalReport:
    return (
        ExternalReport.objects.select_for_update().select_related("case__service").get(pk=report.pk)
    )


@transaction.atomic
def external_report_sign_off(
    *, report: ExternalReport, actor: User, now: datetime | None = None
) -> ExternalReport:
    """Rule external-report: a senior manager of the service signs the report off before it can
    be released."""
    now = now or timezone.now()
    report = _lock_report(report=report)
    refuse_unless_permitted(
        actor=actor,
        permission=SIGN_OFF,
        target=report.case,
        refusal="only a senior manager of the service can sign off a report",
        rule_id="external-report",
        field="",
    )
    if report.signed_off_at is not None:
        raise ActionRefused("the report is already signed off", rule_id="external-report")
    report.signed_off_by = actor
    report.signed_off_at = now
    report.save(update_fields=["signed_off_by", "signed_off_at"])
    audit_event_record(
        actor=actor,
        action="changed",
        target=report,
        summary=f"report to {report.recipient_name} signed off",
    )
    return report


@transaction.atomic
def external_report_release(
    *, report: ExternalReport, actor: User, now: datetime | None = None
) -> ExternalReport:
    """Rule external-report: a report is never released without a senior manager's sign-off."""
    now = now or timezone.now()
    report = _lock_report(report=report)
    if report.signed_off_at is None:
        raise ActionRefused(
            "cannot release the report: a senior manager has not signed it off",
            rule_id="external-report",
        )
    if report.released_at is not None:
        raise ActionRefused(
            f"the report was already released on {report.released_at.astimezone(UK_TIME):%d %b %Y}"
        )
    report.released_at = now
    report.save(update_fields=["released_at"])
    audit_event_record(
        actor=actor,
        action="exported",
        target=report,
        summary=f"report on {report.case.reference} released to {report.recipient_name}",
    )
    return report
