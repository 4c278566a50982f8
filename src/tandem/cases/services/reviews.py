"""The service's reviews of its cases: case management reviews (rule case-review), case-file
audits (rule file-audit) and the weekly risk and engagement exchange (rule weekly-exchange)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tandem.access.approvals import Approvals, approval_give
from tandem.access.permissions import refuse_unless_permitted
from tandem.access.roles import Role, roles_of
from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases.models import (
    CaseReviewEntry,
    CaseReviewMeeting,
    FileAudit,
    PerpetratorCase,
    RiskEngagementExchange,
)
from tandem.cases.rules import (
    GIVE_EXCHANGE_ISS_MANAGER_APPROVAL,
    GIVE_EXCHANGE_SERVICE_MANAGER_APPROVAL,
    MANAGE_CASE_REVIEWS,
)
from tandem.cases.selectors import file_audit_candidates, open_cases_at
from tandem.cases.services.common import refuse_future
from tandem.compliance.models import DueTask
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.organisations.models import Service, Side, StaffMembership
from tandem.organisations.selectors import iss_side_services, perpetrator_side_services


@dataclass(frozen=True)
class ReviewEntry:
    case: PerpetratorCase
    decisions: str
    actions: str = ""
    children_reexamined: bool = False


def _both_sides_represented(*, perpetrator_side: set[int], iss_side: set[int]) -> bool:
    """Two different people, one for each side. A manager on both sides can speak for either
    side, but not for both at once."""
    return any(one != other for one in perpetrator_side for other in iss_side)


def _staff_sides_on(*, service: Service, people: set[int], on: date) -> dict[int, str]:
    """Each person's side in the service on the day, for those on its staff that day."""
    memberships = StaffMembership.objects.filter(
        service=service, user_id__in=people, started_on__lte=on
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    return dict(memberships.values_list("user_id", "side"))


@transaction.atomic
def case_review_meeting_record(
    *,
    service: Service,
    actor: User,
    held_on: date,
    chair: User,
    attendees: list[User],
    entries: list[ReviewEntry],
    previous_actions_reviewed: str = "",
    now: datetime | None = None,
) -> CaseReviewMeeting:
    """Rule case-review (R22-S B2.1, R22-I B3.3): every case open that day considered, with
    decisions; the previous meeting's actions reviewed; the intervention and the ISS both
    represented; chaired by someone who does not work directly with service users. Ticking
    that a case's children's needs were re-examined completes its child-retrigger tasks."""
    now = now or timezone.now()
    refuse_future(value=held_on, field_name="held_on", now=now)
    sides = _staff_sides_on(
        service=service, people={chair.pk, *(person.pk for person in attendees)}, on=held_on
    )
    if chair.pk not in sides:
        raise ActionRefused(f"{person_name(chair)} is not on this service's staff", field="chair")
    if roles_of(chair) & {Role.PERPETRATOR_WORKER, Role.ISS_WORKER}:
        raise ActionRefused(
            f"{person_name(chair)} works directly with service users: the chair must not",
            rule_id="case-review",
            field="chair",
        )
    outsiders = [person_name(person) for person in attendees if person.pk not in sides]
    if outsiders:
        raise ActionRefused(
            f"not on this service's staff: {', '.join(outsiders)}", field="attendees"
        )
    represented = _both_sides_represented(
        perpetrator_side={
            pk for pk, side in sides.items() if side in (Side.PERPETRATOR, Side.BOTH)
        },
        iss_side={pk for pk, side in sides.items() if side in (Side.ISS, Side.BOTH)},
    )
    if not represented:
        raise ActionRefused(
            "the intervention and the ISS must both be represented, by different people",
            rule_id="case-review",
            field="attendees",
        )
    considered = [entry for entry in entries if entry.decisions.strip() or entry.actions.strip()]
    for entry in considered:
        if entry.case.service_id != service.pk:
            raise ActionRefused(
                f"{entry.case.reference} is not a case of this service", field="entries"
            )
        if not entry.decisions.strip():
            raise ActionRefused(
                f"record the decisions about {entry.case.reference}",
                rule_id="case-review",
                field="entries",
            )
    considered_ids = [entry.case.pk for entry in considered]
    if len(set(considered_ids)) != len(considered_ids):
        raise ActionRefused("each case is considered once per meeting", field="entries")
    missing = list(
        open_cases_at(service=service, on=held_on)
        .exclude(pk__in=considered_ids)
        .values_list("reference", flat=True)
    )
    if missing:
        raise ActionRefused(
            f"every open case must be considered, with decisions: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing",
            rule_id="case-review",
            field="entries",
        )
    previous = (
        CaseReviewMeeting.objects.filter(service=service, held_on__lte=held_on)
        .order_by("-held_on", "-recorded_at")
        .first()
    )
    actions_to_review = previous is not None and previous.entries.exclude(actions="").exists()
    if actions_to_review and not previous_actions_reviewed.strip():
        raise ActionRefused(
            "review the actions from the previous meeting",
            rule_id="case-review",
            field="previous_actions_reviewed",
        )
    meeting = CaseReviewMeeting.objects.create(
        service=service,
        held_on=held_on,
        chair=chair,
        previous_actions_reviewed=previous_actions_reviewed.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    meeting.attendees.set(attendees)
    CaseReviewEntry.objects.bulk_create(
        CaseReviewEntry(
            meeting=meeting,
            case=entry.case,
            decisions=entry.decisions.strip(),
            actions=entry.actions.strip(),
        )
        for entry in considered
    )
    DueTask.objects.filter(
        rule_id="child-retrigger",
        perpetrator_case__in=[entry.case.pk for entry in considered if entry.children_reexamined],
        completed_at__isnull=True,
    ).update(completed_at=now, completed_by=actor)
    audit_event_record(
        actor=actor,
        action="created",
        target=meeting,
        summary=f"case management review of {service.name}: {len(considered)} case(s) considered",
        after=model_snapshot(instance=meeting, fields=["held_on", "chair", "attendees"]),
    )
    return meeting


@transaction.atomic
def file_audit_record(
    *,
    service: Service,
    actor: User,
    audited_on: date,
    sample: list[PerpetratorCase],
    findings: str,
    feedback: str,
    now: datetime | None = None,
) -> FileAudit:
    """Rule file-audit (R22-S B2.3, R22-I B2.2): done by the intervention manager, with a record
    of the files sampled, the findings and the feedback given to the workers."""
    now = now or timezone.now()
    refuse_future(value=audited_on, field_name="audited_on", now=now)
    refuse_unless_permitted(
        actor=actor,
        permission=MANAGE_CASE_REVIEWS,
        target=service,
        refusal="case-file audits are done by the intervention manager of this service",
        rule_id="file-audit",
        field="",
    )
    if not sample:
        raise ActionRefused("choose the case files audited", rule_id="file-audit", field="sample")
    elsewhere = [case.reference for case in sample if case.service_id != service.pk]
    if elsewhere:
        raise ActionRefused(f"not a case of this service: {', '.join(elsewhere)}", field="sample")
    auditable = set(
        file_audit_candidates(service=service, today=audited_on)
        .filter(pk__in=[case.pk for case in sample])
        .values_list("pk", flat=True)
    )
    not_auditable = [case.reference for case in sample if case.pk not in auditable]
    if not_auditable:
        raise ActionRefused(
            f"not a file that could be audited on {audited_on:%d %b %Y} (referred after it, or "
            f"closed over 8 weeks before it): {', '.join(not_auditable)}",
            rule_id="file-audit",
            field="sample",
        )
    if not findings.strip():
        raise ActionRefused("record the findings", rule_id="file-audit", field="findings")
    if not feedback.strip():
        raise ActionRefused(
            "record the feedback given to the workers", rule_id="file-audit", field="feedback"
        )
    audit = FileAudit.objects.create(
        service=service,
        audited_on=audited_on,
        auditor=actor,
        findings=findings.strip(),
        feedback=feedback.strip(),
    )
    audit.sample.set(sample)
    audit_event_record(
        actor=actor,
        action="created",
        target=audit,
        summary=f"case-file audit of {service.name}: {len(sample)} file(s)",
        after=model_snapshot(instance=audit, fields=["audited_on", "auditor", "sample"]),
    )
    return audit


@transaction.atomic
def risk_engagement_exchange_record(
    *,
    service: Service,
    actor: User,
    held_on: date,
    perpetrator_side_person: User,
    iss_side_person: User,
    summary: str,
    iss_account: str = "",
    now: datetime | None = None,
) -> RiskEngagementExchange:
    """Rule weekly-exchange (R08 B3.5): a record of the weekly exchange of changes in risk and
    engagement between someone on the perpetrator side and someone on the ISS side. What the
    ISS shared (`iss_account`) is held from the perpetrator side until approved
    (`exchange_iss_account_approve`, rule survivor-confidentiality)."""
    now = now or timezone.now()
    refuse_future(value=held_on, field_name="held_on", now=now)
    if not perpetrator_side_services(user=perpetrator_side_person).filter(pk=service.pk).exists():
        raise ActionRefused(
            "choose someone on the perpetrator side of this service",
            rule_id="weekly-exchange",
            field="perpetrator_side_person",
        )
    if not iss_side_services(user=iss_side_person).filter(pk=service.pk).exists():
        raise ActionRefused(
            "choose someone on the ISS side of this service",
            rule_id="weekly-exchange",
            field="iss_side_person",
        )
    if perpetrator_side_person.pk == iss_side_person.pk:
        raise ActionRefused(
            "an exchange is between two people, one from each side",
            rule_id="weekly-exchange",
            field="iss_side_person",
        )
    if not summary.strip():
        raise ActionRefused("record the changes in risk and engagement exchanged", field="summary")
    exchange = RiskEngagementExchange.objects.create(
        service=service,
        held_on=held_on,
        perpetrator_side_person=perpetrator_side_person,
        iss_side_person=iss_side_person,
        summary=summary.strip(),
        iss_account=iss_account.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=exchange,
        summary="weekly exchange"
        + (": what the ISS shared awaits approval" if exchange.iss_account else ""),
    )
    return exchange


CONFIDENTIALITY = "survivor-confidentiality"
EXCHANGE_APPROVALS = Approvals(
    iss_manager=GIVE_EXCHANGE_ISS_MANAGER_APPROVAL,
    service_manager=GIVE_EXCHANGE_SERVICE_MANAGER_APPROVAL,
    iss_manager_refusal="only a manager on the ISS side of the service can approve it first",
)


@transaction.atomic
def exchange_iss_account_approve(
    *, exchange: RiskEngagementExchange, actor: User, now: datetime | None = None
) -> RiskEngagementExchange:
    """Give the next approval what the ISS shared in an exchange needs before the perpetrator
    side reads it: the same approvals, in the same order, as a shared risk note's
    (`tandem.support.services.risk_notes.shared_risk_note_approve`).

    1. The ISS manager: a service or practice manager on the ISS side of the service.
    2. Where the service offers intensive case management, also its service manager on the
       perpetrator side (R22-I B3.3), after the first.

    Nobody approves words they recorded."""
    now = now or timezone.now()
    exchange = (
        RiskEngagementExchange.objects.select_for_update()
        .select_related("service")
        .get(pk=exchange.pk)
    )
    if not exchange.iss_account:
        raise ActionRefused("nothing the ISS shared awaits approval", rule_id=CONFIDENTIALITY)
    if exchange.iss_account_released_at is not None:
        raise ActionRefused("what the ISS shared is already released", rule_id=CONFIDENTIALITY)
    if exchange.recorded_by_id == actor.pk:
        raise ActionRefused(
            "another manager must approve what you recorded", rule_id=CONFIDENTIALITY
        )
    given = approval_give(record=exchange, actor=actor, now=now, approvals=EXCHANGE_APPROVALS)
    if not exchange.service.offers_icm or exchange.service_manager_approved_at is not None:
        exchange.iss_account_released_at = now
    exchange.save()
    audit_event_record(
        actor=actor,
        action="changed",
        target=exchange,
        summary=f"what the ISS shared in the weekly exchange approved by the {given}"
        + (": released to the perpetrator side" if exchange.iss_account_released_at else ""),
    )
    return exchange
