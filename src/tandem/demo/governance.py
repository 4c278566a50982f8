"""Synthetic governance records for the demo service (the lead wires this into the demo).

    from tandem.demo.governance import demo_governance
    demo_governance(service=service, now=now, manager=manager, staff=[worker_a, worker_b])

`manager` must be a senior manager of `service` holding the service manager role (it records
everything, complaints included); `staff` are people working in the service (the first is
named safeguarding lead and put on call; a second, if given, case management lead, so give one
with no open cases allocated). Creates: a policy register with every required policy but one
(k) recorded and one review (d) overdue, a model of work review, an equalities framework
review, a presented quarterly report with its meeting and an action, a service level agreement
with a specialist service, the named roles and an on-call shift, one open complaint and one
feedback entry. All synthetic and obviously so.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from tandem.governance.models import AgreementKind, FeedbackMethod, Policy, RequiredPolicy
from tandem.governance.services.agreements import (
    agreement_record,
    named_role_assign,
    on_call_shift_add,
)
from tandem.governance.services.complaints import complaint_receive, feedback_record
from tandem.governance.services.governing_body import (
    governance_action_add,
    governance_meeting_record,
    performance_report_draft,
    performance_report_present,
)
from tandem.governance.services.policies import (
    edi_review_record,
    model_of_work_review_record,
    policy_record,
)
from tandem.organisations.models import NamedRoleKind, Service

# A tiny valid PDF: the register stores a document for every policy.
SYNTHETIC_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


SHORT_TITLES = {
    "a": "Health and safety, lone working and home visits policy",
    "b": "Equality, diversity and inclusion policy",
    "c": "Confidentiality, data protection and information sharing policy",
    "d": "Safeguarding children and adults policy",
    "e": "Risk management policy",
    "f": "Complaints policy",
    "g": "Interpreters and signers policy",
    "h": "Code of conduct for staff",
    "i": "Disciplinary and grievance policy",
    "j": "Record keeping policy",
    "k": "Practice management and clinical supervision policy",
}


def _pdf(code: str) -> "ContentFile[bytes]":
    # Different bytes per policy, so each is its own stored document.
    return ContentFile(
        SYNTHETIC_PDF + f"% synthetic policy {code}\n".encode(), name=f"policy-{code}.pdf"
    )


def demo_governance(
    *, service: Service, now: datetime, manager: User, staff: Sequence[User] = ()
) -> list[Policy]:
    today = timezone.localdate(now)
    policies = []
    for code in RequiredPolicy.values:
        if code == RequiredPolicy.K:
            continue  # missing, to show on the register
        approved_on = (
            today - relativedelta(years=3, months=2)
            if code == RequiredPolicy.D
            else today - relativedelta(months=8)
        )
        policies.append(
            policy_record(
                service=service,
                required_policy=code,
                title=f"Synthetic {SHORT_TITLES[code]}",
                version_label="v1",
                owner=manager,
                approved_on=approved_on,
                next_review_on=approved_on + relativedelta(years=3),
                document=_pdf(code),
                actor=manager,
                now=now,
            )
        )
    model_of_work_review_record(
        service=service,
        version_label="2026",
        reviewed_on=today - relativedelta(months=10),
        summary_of_changes="Synthetic: added a session on children's experiences; "
        "shorter waiting list contact.",
        consultation="Synthetic: staff away day, service-user focus group and stakeholder survey.",
        actor=manager,
        now=now,
    )
    edi_review_record(
        service=service,
        kind="framework",
        reviewed_on=today - relativedelta(months=14),
        summary="Synthetic: equalities framework reviewed with the specialist services.",
        actor=manager,
        now=now,
    )
    meeting = governance_meeting_record(
        service=service,
        held_on=today - relativedelta(months=2),
        body="Synthetic Board of Trustees",
        minutes="Synthetic minutes: the quarterly performance report was received and discussed.",
        actor=manager,
        now=now,
    )
    report = performance_report_draft(
        service=service,
        period_start=meeting.held_on - relativedelta(months=3),
        period_end=meeting.held_on - timedelta(days=1),
        actor=manager,
        now=now,
    )
    performance_report_present(
        report=report,
        presented_on=meeting.held_on,
        meeting=meeting,
        expected_version=report.version,
        actor=manager,
        now=now,
    )
    governance_action_add(
        meeting=meeting,
        description="Synthetic action: review the waiting list for group places.",
        owner=manager,
        due_on=meeting.held_on + relativedelta(months=1),
        actor=manager,
    )
    agreement_record(
        service=service,
        kind=AgreementKind.SERVICE_LEVEL,
        title="Synthetic SLA with a specialist LGBTQ+ service",
        parties=f"{service.organisation.name}\nSynthetic Specialist Service (not real)",
        signed_on=today - relativedelta(months=6),
        review_on=today + relativedelta(months=6),
        actor=manager,
        now=now,
    )
    first = staff[0] if staff else manager
    named_role_assign(
        service=service,
        kind=NamedRoleKind.SAFEGUARDING_LEAD,
        user=first,
        from_date=today - relativedelta(months=6),
        to_date=None,
        actor=manager,
    )
    named_role_assign(
        service=service,
        kind=NamedRoleKind.OUT_OF_HOURS_LEAD,
        user=manager,
        from_date=today - relativedelta(months=6),
        to_date=None,
        actor=manager,
    )
    if len(staff) > 1:
        named_role_assign(
            service=service,
            kind=NamedRoleKind.CASE_MANAGEMENT_LEAD,
            user=staff[1],
            from_date=today - relativedelta(months=1),
            to_date=None,
            actor=manager,
        )
    on_call_shift_add(
        service=service,
        user=first,
        starts_at=now + timedelta(hours=8),
        ends_at=now + timedelta(hours=20),
        actor=manager,
    )
    complaint_receive(
        service=service,
        received_on=today - timedelta(days=10),
        complainant="Synthetic service user",
        summary="Synthetic: a group session started 30 minutes late without notice.",
        involves_survivor=False,
        response_working_days=None,
        actor=manager,
        now=now,
    )
    feedback_record(
        service=service,
        received_on=today - timedelta(days=20),
        method=FeedbackMethod.FORM,
        from_side="perpetrator",
        theme="Group times",
        summary="Synthetic: evening groups would help people who work days.",
        change_made="Synthetic: an evening group starts next term.",
        actor=manager,
        now=now,
    )
    return policies
