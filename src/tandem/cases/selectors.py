"""Reads of perpetrator cases, scoped to the services a person works in."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User as AuthUser
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import (
    MANAGER_ROLES,
    PERPETRATOR_WORK_ROLES,
    Role,
    iss_role_label,
    roles_of,
)
from tandem.access.roles import Person as User
from tandem.audit.selectors import break_glass_granted
from tandem.cases.models import (
    ActionPlanItem,
    CaseReviewEntry,
    CaseReviewMeeting,
    Child,
    ContactNote,
    ExternalReport,
    FileAudit,
    PerpetratorCase,
    RiskAssessment,
    RiskEngagementExchange,
)
from tandem.compliance.models import DueTask, TaskSide
from tandem.lib.calendar import UK_TIME
from tandem.lib.people import person_name
from tandem.organisations.models import Service, Side, StaffMembership
from tandem.organisations.selectors import (
    case_work_services,
    current_memberships,
    iss_side_services,
    perpetrator_side_services,
)

# Rule file-audit: never more than 8 weeks between case-file audits.
FILE_AUDIT_MAX_GAP_WEEKS = 8


def perpetrator_case_list_for_user(*, user: User) -> QuerySet[PerpetratorCase]:
    return PerpetratorCase.objects.filter(service__in=case_work_services(user=user)).select_related(
        "service", "allocated_worker"
    )


def perpetrator_case_get_for_user(*, user: User, reference: str) -> PerpetratorCase:
    """404, not 403, for a case outside the person's services: its existence is not leaked.
    A manager's unexpired break-glass access opens that one case too."""
    case = perpetrator_case_list_for_user(user=user).filter(reference=reference).first()
    if case is None:
        case = (
            PerpetratorCase.objects.select_related("service", "allocated_worker")
            .filter(reference=reference)
            .first()
        )
        if case is None or not break_glass_granted(
            user=user, model=PerpetratorCase, object_id=case.pk
        ):
            raise Http404("No such case")
    return case


def perpetrator_case_search_for_user(*, user: User, query: str) -> QuerySet[PerpetratorCase]:
    """Cases whose reference or perpetrator's name contains the query. Survivors are never
    searched here, so a survivor's name finds nothing on the perpetrator side."""
    words = query.split()
    if not words:
        return PerpetratorCase.objects.none()
    cases = perpetrator_case_list_for_user(user=user)
    for word in words[:5]:
        cases = cases.filter(
            Q(reference__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return cases


def case_review_services_for_user(*, user: User) -> QuerySet[Service]:
    """Services whose case management reviews and case-file audits this person runs: a senior
    manager of the service, or a practice or service manager on its perpetrator side. A manager
    on the management side opens no case records, so runs none of them."""
    if not roles_of(user) & MANAGER_ROLES:
        return Service.objects.none()
    memberships = (
        current_memberships(user=user)
        .filter(Q(is_senior_manager=True) | Q(side__in=[Side.PERPETRATOR, Side.BOTH]))
        .exclude(side=Side.MANAGEMENT)
    )
    return Service.objects.filter(pk__in=memberships.values("service"))


def service_get_for_user(*, user: User, service_id: int) -> Service:
    """404 for a service the person does no case work in, like a case outside their services."""
    service = case_work_services(user=user).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service")
    return service


def open_cases_at(*, service: Service, on: date) -> QuerySet[PerpetratorCase]:
    """The service's cases open at the end of `on` (UK time): referred by then and not closed by
    then. A case management review held that day considers every one of them."""
    end_of_day = datetime.combine(on + timedelta(days=1), time(0), tzinfo=UK_TIME)
    return (
        PerpetratorCase.objects.filter(service=service, referral_received_at__lt=end_of_day)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end_of_day))
        .order_by("reference")
    )


def file_audit_candidates(*, service: Service, today: date) -> QuerySet[PerpetratorCase]:
    """Case files a case-file audit held on `today` (rule file-audit) can sample: those referred
    by the end of that day (UK time) and still open then, or closed within the longest gap
    allowed between audits (8 weeks), whose files are still being finished. `today` may be an
    earlier day, for an audit recorded after it was done: a file referred after it did not
    exist then and is never offered.

    A case referred on the audit day itself is included: an audit is recorded by its date, not
    its time, and a file opened that morning can be sampled that afternoon, as a case management
    review held that day considers it (`open_cases_at`). Refusing it would make a true same-day
    audit impossible to record."""
    end_of_day = datetime.combine(today + timedelta(days=1), time(0), tzinfo=UK_TIME)
    closed_since = datetime.combine(
        today - timedelta(weeks=FILE_AUDIT_MAX_GAP_WEEKS), time(0), tzinfo=UK_TIME
    )
    return (
        PerpetratorCase.objects.filter(service=service, referral_received_at__lt=end_of_day)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=closed_since))
        .order_by("reference")
    )


def _memberships_on(*, service: Service, on: date) -> QuerySet[StaffMembership]:
    return StaffMembership.objects.filter(service=service, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )


def perpetrator_workers_of(*, service: Service) -> QuerySet[AuthUser]:
    """Who a perpetrator case can be allocated to: current staff on the service's perpetrator
    side only (someone also on the ISS side never delivers the intervention)."""
    memberships = _memberships_on(service=service, on=timezone.localdate()).filter(
        side=Side.PERPETRATOR
    )
    return (
        AuthUser.objects.filter(
            pk__in=memberships.values("user_id"),
            groups__name__in=[role.value for role in PERPETRATOR_WORK_ROLES],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def case_review_staff_of(*, service: Service, on: date) -> QuerySet[AuthUser]:
    """Who can chair or attend a case management review held on `on`: the service's staff that
    day, each with their `side`. The management side is left out: a review goes through every
    open case, which they may not open."""
    memberships = _memberships_on(service=service, on=on).exclude(side=Side.MANAGEMENT)
    return (
        AuthUser.objects.filter(pk__in=memberships.values("user_id"))
        .annotate(side=Subquery(memberships.filter(user_id=OuterRef("pk")).values("side")[:1]))
        .order_by("last_name", "first_name", "username")
    )


def case_review_history(*, service: Service) -> QuerySet[CaseReviewMeeting]:
    return (
        CaseReviewMeeting.objects.filter(service=service)
        .select_related("chair")
        .annotate(cases_considered=Count("entries", distinct=True))
        .order_by("-held_on", "-recorded_at")
    )


def file_audit_history(*, service: Service) -> QuerySet[FileAudit]:
    return (
        FileAudit.objects.filter(service=service)
        .select_related("auditor")
        .annotate(files_audited=Count("sample", distinct=True))
        .order_by("-audited_on", "-pk")
    )


def previous_case_review(*, service: Service) -> CaseReviewMeeting | None:
    """The latest meeting, with its entries that set actions (to review at the next one)."""
    return (
        CaseReviewMeeting.objects.filter(service=service)
        .order_by("-held_on", "-recorded_at")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=CaseReviewEntry.objects.exclude(actions="")
                .select_related("case")
                .order_by("case__reference"),
                to_attr="entries_with_actions",
            )
        )
        .first()
    )


def cases_with_children_to_reexamine(*, service: Service) -> set[int]:
    """Ids of the service's cases with an open child-retrigger task."""
    return set(
        DueTask.objects.filter(
            service=service, rule_id="child-retrigger", completed_at__isnull=True
        ).values_list("perpetrator_case_id", flat=True)
    )


def contact_notes_of(*, case: PerpetratorCase) -> QuerySet[ContactNote]:
    return case.notes.select_related("recorded_by").order_by("-occurred_at", "-pk")


def risk_assessments_of(*, case: PerpetratorCase) -> QuerySet[RiskAssessment]:
    return case.risk_assessments.select_related("assessed_by").order_by("-assessed_at", "-pk")


def action_plan_of(*, case: PerpetratorCase) -> QuerySet[ActionPlanItem]:
    """The perpetrator action plan: every action from his risk assessments, open ones first."""
    return (
        ActionPlanItem.objects.filter(risk_assessment__case=case)
        .select_related("risk_assessment")
        .order_by(F("done_on").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "pk")
    )


def external_reports_of(*, case: PerpetratorCase) -> QuerySet[ExternalReport]:
    return case.reports.select_related("drafted_by", "signed_off_by").order_by("-drafted_at")


def external_report_get(*, case: PerpetratorCase, report_id: int) -> ExternalReport:
    report = external_reports_of(case=case).filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report")
    return report


def child_get(*, case: PerpetratorCase, child_id: int) -> Child:
    child = case.children.filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    return child


def exchange_history(*, service: Service) -> QuerySet[RiskEngagementExchange]:
    return (
        RiskEngagementExchange.objects.filter(service=service)
        .select_related("perpetrator_side_person", "iss_side_person")
        .order_by("-held_on", "-recorded_at")
    )


def reads_iss_side_of(*, user: User, service: Service) -> bool:
    """Whether this person works on the ISS side of the service: reads what the ISS said in an
    exchange before it is released, and the names of its ISS staff."""
    return iss_side_services(user=user).filter(pk=service.pk).exists()


@dataclass(frozen=True)
class ExchangeAsRead:
    """A weekly exchange as one person may read it (rule survivor-confidentiality): the ISS
    side's person by role and what the ISS shared only once released, unless they work on the
    ISS side of the service."""

    exchange: RiskEngagementExchange
    iss_side_person: str
    iss_account: str
    iss_account_awaiting_approval: bool


def exchange_as_read(*, exchange: RiskEngagementExchange, reads_iss_side: bool) -> ExchangeAsRead:
    released = exchange.iss_account_released_at is not None
    shown = reads_iss_side or released
    return ExchangeAsRead(
        exchange=exchange,
        iss_side_person=person_name(exchange.iss_side_person)
        if reads_iss_side
        else iss_role_label(exchange.iss_side_person),
        iss_account=exchange.iss_account if shown else "",
        iss_account_awaiting_approval=bool(exchange.iss_account) and not released,
    )


def exchanges_as_read(*, service: Service, user: User, limit: int) -> list[ExchangeAsRead]:
    reads_iss_side = reads_iss_side_of(user=user, service=service)
    return [
        exchange_as_read(exchange=exchange, reads_iss_side=reads_iss_side)
        for exchange in exchange_history(service=service)[:limit]
    ]


def exchanges_awaiting_approval_for_user(*, user: User) -> list[RiskEngagementExchange]:
    """What `exchange_iss_account_approve` would accept from this person now, oldest first:
    the ISS manager's approval in services whose ISS side they manage, the service manager's
    (intensive case management) in those whose perpetrator side they do. Never what they
    recorded themselves."""
    roles = roles_of(user)
    awaiting = (
        RiskEngagementExchange.objects.filter(iss_account_released_at__isnull=True)
        .exclude(iss_account="")
        .exclude(recorded_by_id=user.pk)
    )
    wanted = Q(pk__in=[])
    if roles & MANAGER_ROLES:
        wanted |= Q(iss_manager_approved_at__isnull=True, service__in=iss_side_services(user=user))
    if Role.SERVICE_MANAGER in roles:
        wanted |= Q(
            iss_manager_approved_at__isnull=False,
            service__offers_icm=True,
            service__in=perpetrator_side_services(user=user),
        )
    return list(
        awaiting.filter(wanted)
        .select_related("service", "iss_side_person")
        .order_by("recorded_at", "pk")
    )


def open_perpetrator_side_tasks_of(*, case: PerpetratorCase) -> QuerySet[DueTask]:
    """The case's open tasks for the perpetrator side; ISS-side tasks name survivors and are
    never listed on his case."""
    return DueTask.objects.filter(
        perpetrator_case=case, side=TaskSide.PERPETRATOR, completed_at__isnull=True
    ).select_related("assigned_to")
