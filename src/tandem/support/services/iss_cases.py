"""Her ISS case itself: read under a lock against a stale form, its ISS worker (rules
separate-workers, not-same-staff), and closing it (rule iss-duration)."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.organisations.gates import case_management_lead_refusal
from tandem.organisations.models import Side, StaffMembership
from tandem.organisations.selectors import iss_side_services, perpetrator_side_services
from tandem.support.models import IssCase, SurvivorLink
from tandem.support.selectors import MinimumSupport, iss_minimum_support
from tandem.workforce.gates import allocation_refusal


def iss_case_lock(*, iss_case: IssCase, expected_version: int) -> IssCase:
    current = (
        IssCase.objects.select_for_update().select_related("survivor__service").get(pk=iss_case.pk)
    )
    if current.version != expected_version:
        raise StaleRecord("this ISS case")
    return current


def iss_case_save_with_version(iss_case: IssCase) -> IssCase:
    iss_case.version = F("version") + 1
    iss_case.save()
    iss_case.refresh_from_db()
    return iss_case


@transaction.atomic
def iss_case_allocate(
    *, iss_case: IssCase, actor: User, expected_version: int, worker: User
) -> IssCase:
    """Allocate her ISS worker. Rule separate-workers: two survivors of the same perpetrator have
    different workers. Rule not-same-staff: no one who works on the perpetrator side."""
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    service = iss_case.survivor.service
    if not iss_side_services(user=worker).filter(pk=service.pk).exists():
        raise ActionRefused("choose an ISS worker of this service", field="worker")
    on_perpetrator_side = StaffMembership.objects.filter(
        user=worker, service=service, side__in=[Side.PERPETRATOR, Side.BOTH], ended_on__isnull=True
    ).exists()
    if on_perpetrator_side or perpetrator_side_services(user=worker).filter(pk=service.pk).exists():
        raise ActionRefused(
            "the ISS must not be delivered by staff who deliver the perpetrator intervention",
            rule_id="not-same-staff",
            field="worker",
        )
    perpetrator_cases = SurvivorLink.objects.filter(survivor=iss_case.survivor).values(
        "perpetrator_case"
    )
    clash = (
        IssCase.objects.filter(
            allocated_worker=worker,
            survivor__links__perpetrator_case__in=perpetrator_cases,
            closed_at__isnull=True,
        )
        .exclude(pk=iss_case.pk)
        .exists()
    )
    if clash:
        raise ActionRefused(
            "this worker supports another survivor of the same perpetrator: choose someone else",
            rule_id="separate-workers",
            field="worker",
        )
    dbs_refusal = allocation_refusal(user=worker, service=service, on=timezone.localdate())
    if dbs_refusal:
        raise ActionRefused(dbs_refusal, rule_id="dbs", field="worker")
    lead_refusal = case_management_lead_refusal(user=worker, service=service)
    if lead_refusal:
        raise ActionRefused(lead_refusal, rule_id="case-management-lead", field="worker")
    iss_case.allocated_worker = worker
    iss_case = iss_case_save_with_version(iss_case)
    audit_event_record(
        actor=actor, action="changed", target=iss_case, summary=f"allocated to {worker}"
    )
    return iss_case


# Support duration (rule iss-duration)


@transaction.atomic
def iss_case_close(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    reason: str,
    early_closure_reason: str = "",
    now: datetime | None = None,
) -> IssCase:
    """Close her ISS case. Rule iss-duration (NE 5.3.1): support is available at least 4
    months after he leaves the intervention, so closing while any of her perpetrators' cases is
    open, or within 4 months of the last one closing, needs the reason it ends early."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    if iss_case.closed_at is not None:
        raise ActionRefused("her ISS case is already closed", field="reason")
    if not reason.strip():
        raise ActionRefused("say why support is ending", field="reason")
    why_support_continues = _why_support_continues(
        iss_minimum_support(survivor=iss_case.survivor), now=now
    )
    early = bool(why_support_continues)
    if early and not early_closure_reason.strip():
        raise ActionRefused(
            f"{why_support_continues}: support continues at least 4 months after he leaves the "
            "intervention, so say why it ends early",
            rule_id="iss-duration",
            field="early_closure_reason",
        )
    iss_case.closed_at = now
    iss_case.closure_reason = reason.strip()
    iss_case.early_closure_reason = early_closure_reason.strip() if early else ""
    iss_case = iss_case_save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="changed",
        target=iss_case,
        summary="ISS case closed" + (" early, with the reason recorded" if early else ""),
    )
    return iss_case


def _why_support_continues(minimum: MinimumSupport, *, now: datetime) -> str:
    """Why closing now would end her support early (rule iss-duration), or "" when it would not."""
    if minimum.open_cases:
        return f"case {', '.join(minimum.open_cases)} is still open"
    if minimum.until is not None and now < minimum.until:
        return f"support continues until {timezone.localtime(minimum.until):%d %b %Y %H:%M}"
    return ""
