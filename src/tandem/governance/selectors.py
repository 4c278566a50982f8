"""Reads of governance records, scoped to the person asking.

Anyone working in a service (with a staff role) may read its policy register; its senior
managers see and manage the rest of its governance; complaints are seen by the service manager
only. A service outside someone's reach is 404, so its existence is not leaked. Every read here
is set-based: the number of queries does not grow with the rows shown.

What survivors said crosses no barrier here (rule survivor-confidentiality): feedback from the
ISS side and complaints involving a survivor are read only by the managers working on the ISS
side of the service; everyone else who reads the section is told how many there are.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User as AuthUser
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import Person as User
from tandem.access.roles import Role, roles_of
from tandem.cases.models import PerpetratorCase, Stage
from tandem.compliance.models import (
    DUE_SOON,
    DUE_SOON_WORKING_DAYS,
    LATER,
    OVERDUE,
    DueTask,
    RecurringItem,
)
from tandem.governance import deadlines
from tandem.governance.models import (
    ISS_FEEDBACK,
    Agreement,
    Complaint,
    EdiReview,
    EdiReviewKind,
    FeedbackEntry,
    GovernanceAction,
    GovernanceMeeting,
    ModelOfWorkReview,
    OnCallShift,
    PerformanceReport,
    Policy,
    PolicyAcknowledgement,
    ReportStatus,
    RequiredPolicy,
)
from tandem.lib.calendar import UK_TIME, Jurisdiction, due_after_working_days
from tandem.organisations.models import NamedRole, Service, StaffMembership
from tandem.organisations.selectors import (
    current_memberships,
    iss_side_services,
    senior_managed_services,
)
from tandem.support.models import IssCase

# Services and the 404


def policy_register_services_for_user(*, user: User) -> QuerySet[Service]:
    """Services whose policy register this person may read: those they work in now, whatever
    their role (R22 A1.1 guidance 2b-c: policies available to all staff and part of every
    induction); an account with no role reads none."""
    if not roles_of(user):
        return Service.objects.none()
    return Service.objects.filter(pk__in=current_memberships(user=user).values("service"))


def governance_services_for_user(*, user: User) -> QuerySet[Service]:
    """Services whose governance this person manages: those they are a senior manager of."""
    return senior_managed_services(user=user)


def complaint_services_for_user(*, user: User) -> QuerySet[Service]:
    """Services whose complaints this person sees: the service manager's only (a senior
    manager holding the service manager role)."""
    if Role.SERVICE_MANAGER not in roles_of(user):
        return Service.objects.none()
    return senior_managed_services(user=user)


def iss_feedback_services_for_user(*, user: User) -> QuerySet[Service]:
    """Services whose ISS-side feedback (what survivors said) this person reads: those whose
    governance they manage while working on the ISS side (rule survivor-confidentiality)."""
    return governance_services_for_user(user=user) & iss_side_services(user=user)


def survivor_complaint_services_for_user(*, user: User) -> QuerySet[Service]:
    """Services whose complaints involving a survivor this person reads: the service manager
    working on the ISS side only (rule survivor-confidentiality)."""
    return complaint_services_for_user(user=user) & iss_side_services(user=user)


def _reads(services: QuerySet[Service], service: Service) -> bool:
    return services.filter(pk=service.pk).exists()


def _get(services: QuerySet[Service], service_id: int) -> Service:
    service = services.select_related("organisation").filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service")
    return service


def policy_register_service_get(*, user: User, service_id: int) -> Service:
    return _get(policy_register_services_for_user(user=user), service_id)


def governance_service_get(*, user: User, service_id: int) -> Service:
    return _get(governance_services_for_user(user=user), service_id)


def complaint_service_get(*, user: User, service_id: int) -> Service:
    return _get(complaint_services_for_user(user=user), service_id)


def policy_register_services_listed(*, user: User) -> list[tuple[Service, bool]]:
    """The services whose register this person reads, each with whether they manage its
    governance, in two queries."""
    managed = set(governance_services_for_user(user=user).values_list("pk", flat=True))
    services = policy_register_services_for_user(user=user).select_related("organisation")
    return [(service, service.pk in managed) for service in services.order_by("name", "pk")]


# The policy register


@dataclass(frozen=True)
class RegisterRow:
    """One required policy (R22 A1.1 a-k) and the current version satisfying it, if any."""

    code: str
    title: str
    policy: Policy | None
    review_overdue: bool
    review_due_soon: bool
    acknowledged_at: datetime | None


def _due_soon_day(*, now: datetime, jurisdiction: str) -> date:
    return timezone.localdate(
        due_after_working_days(
            start=now,
            working_days=DUE_SOON_WORKING_DAYS,
            jurisdiction=Jurisdiction(jurisdiction),
        )
    )


def current_policies_of(*, service: Service, user: User) -> dict[str, Policy]:
    """The latest approved version of each required policy, with its acknowledgement count and
    when `user` acknowledged it (if they did), in one query."""
    mine = PolicyAcknowledgement.objects.filter(policy=OuterRef("pk"), user_id=user.pk or 0)
    policies = (
        Policy.objects.filter(service=service)
        .select_related("owner")
        .annotate(
            acknowledgement_count=Count("acknowledgements"),
            my_acknowledged_at=Subquery(mine.values("acknowledged_at")[:1]),
        )
        .order_by("required_policy", "-approved_on", "-pk")
    )
    latest: dict[str, Policy] = {}
    for policy in policies:
        latest.setdefault(policy.required_policy, policy)
    return latest


def policy_register(*, service: Service, user: User, now: datetime) -> list[RegisterRow]:
    """Every required policy (R22 A1.1 a-k), missing ones included, with its review status
    (rule policies: overdue once the review date has passed; due soon within 2 working days)."""
    today = timezone.localdate(now)
    soon = _due_soon_day(now=now, jurisdiction=service.jurisdiction)
    latest = current_policies_of(service=service, user=user)
    rows = []
    for code, title in RequiredPolicy.choices:
        policy = latest.get(code)
        rows.append(
            RegisterRow(
                code=code,
                title=title,
                policy=policy,
                review_overdue=policy is not None and policy.next_review_on < today,
                review_due_soon=policy is not None and today <= policy.next_review_on <= soon,
                acknowledged_at=getattr(policy, "my_acknowledged_at", None),
            )
        )
    return rows


def policy_get(*, service: Service, policy_id: int) -> Policy:
    policy = Policy.objects.filter(service=service, pk=policy_id).select_related("owner").first()
    if policy is None:
        raise Http404("No such policy in this service")
    return policy


def policy_versions_of(*, service: Service) -> QuerySet[Policy]:
    return (
        Policy.objects.filter(service=service)
        .select_related("owner")
        .annotate(acknowledgement_count=Count("acknowledgements"))
        .order_by("required_policy", "-approved_on", "-pk")
    )


def acknowledgements_of(*, policy: Policy) -> QuerySet[PolicyAcknowledgement]:
    return PolicyAcknowledgement.objects.filter(policy=policy).select_related("user")


# The other records, each list in one query


def edi_reviews_of(*, service: Service) -> QuerySet[EdiReview]:
    return EdiReview.objects.filter(service=service).order_by("-reviewed_on", "-pk")


def model_of_work_reviews_of(*, service: Service) -> QuerySet[ModelOfWorkReview]:
    return ModelOfWorkReview.objects.filter(service=service).order_by("-reviewed_on", "-pk")


def performance_reports_of(*, service: Service) -> QuerySet[PerformanceReport]:
    return PerformanceReport.objects.filter(service=service).select_related("meeting")


def performance_report_get(*, service: Service, report_id: int) -> PerformanceReport:
    report = performance_reports_of(service=service).filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report in this service")
    return report


def meetings_of(*, service: Service) -> QuerySet[GovernanceMeeting]:
    return GovernanceMeeting.objects.filter(service=service).order_by("-held_on", "-pk")


def meeting_get(*, service: Service, meeting_id: int) -> GovernanceMeeting:
    meeting = meetings_of(service=service).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such meeting in this service")
    return meeting


def actions_of(*, service: Service) -> QuerySet[GovernanceAction]:
    return (
        GovernanceAction.objects.filter(meeting__service=service)
        .select_related("owner", "meeting")
        .order_by("status", "due_on", "pk")
    )


def action_get(*, service: Service, action_id: int) -> GovernanceAction:
    action = actions_of(service=service).filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action in this service")
    return action


def agreements_of(*, service: Service) -> QuerySet[Agreement]:
    return Agreement.objects.filter(service=service).order_by("ended_on", "review_on", "pk")


def agreement_get(*, service: Service, agreement_id: int) -> Agreement:
    agreement = agreements_of(service=service).filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404("No such agreement in this service")
    return agreement


def named_role_get(*, service: Service, role_id: int) -> NamedRole:
    role = named_roles_of(service=service).filter(pk=role_id).first()
    if role is None:
        raise Http404("No such named role in this service")
    return role


def named_roles_of(*, service: Service) -> QuerySet[NamedRole]:
    return NamedRole.objects.filter(service=service).select_related("user")


def on_call_shifts_of(*, service: Service, now: datetime) -> QuerySet[OnCallShift]:
    """The rota from the shift on now onwards."""
    return (
        OnCallShift.objects.filter(service=service, ends_at__gt=now)
        .select_related("user")
        .order_by("starts_at", "pk")
    )


def complaints_of(*, service: Service, user: User) -> QuerySet[Complaint]:
    """The service's complaints this person reads: one involving a survivor only on the ISS
    side (rule survivor-confidentiality)."""
    complaints = Complaint.objects.filter(service=service).select_related("investigator")
    if not _reads(survivor_complaint_services_for_user(user=user), service):
        complaints = complaints.filter(involves_survivor=False)
    return complaints


def complaint_get(*, service: Service, complaint_id: int, user: User) -> Complaint:
    """One complaint this person reads; one involving a survivor is 404 off the ISS side, as
    unknown as one that does not exist."""
    complaint = complaints_of(service=service, user=user).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404("No such complaint in this service")
    return complaint


@dataclass(frozen=True)
class Withheld:
    """How many records of a list are kept from this person (rule survivor-confidentiality),
    and how many of those are still open: a count, never their words."""

    count: int
    open: int


def complaints_withheld(*, service: Service, user: User) -> Withheld:
    if _reads(survivor_complaint_services_for_user(user=user), service):
        return Withheld(0, 0)
    counts = Complaint.objects.filter(service=service, involves_survivor=True).aggregate(
        count=Count("pk"), open=Count("pk", filter=Q(responded_on__isnull=True))
    )
    return Withheld(counts["count"], counts["open"])


def feedback_of(*, service: Service, user: User) -> QuerySet[FeedbackEntry]:
    """The service's feedback this person reads: what survivors said (from the ISS side) only
    on the ISS side (rule survivor-confidentiality)."""
    entries = FeedbackEntry.objects.filter(service=service)
    if not _reads(iss_feedback_services_for_user(user=user), service):
        entries = entries.exclude(from_side=ISS_FEEDBACK)
    return entries


@dataclass(frozen=True)
class FeedbackSummary:
    """Rule feedback (R22-S/I B7.3): how many views were given in a period, on which themes,
    and the changes made because of them."""

    period_start: date
    period_end: date
    count: int
    by_theme: list[tuple[str, int]]
    by_method: list[tuple[str, int]]
    changes_made: list[FeedbackEntry]
    # Entries counted in `count` whose themes and words this person does not read.
    withheld: int


def feedback_summary(
    *, service: Service, user: User, period_start: date, period_end: date
) -> FeedbackSummary:
    """Counts of every entry in the period; themes, methods and changes of those this person
    reads (rule survivor-confidentiality)."""
    in_period = Q(received_on__gte=period_start, received_on__lte=period_end)
    total = FeedbackEntry.objects.filter(in_period, service=service).count()
    entries = list(
        feedback_of(service=service, user=user).filter(in_period).order_by("received_on", "pk")
    )
    themes: dict[str, int] = {}
    methods: dict[str, int] = {}
    for entry in entries:
        themes[entry.theme.strip().capitalize()] = (
            themes.get(entry.theme.strip().capitalize(), 0) + 1
        )
        label = entry.get_method_display()
        methods[label] = methods.get(label, 0) + 1
    return FeedbackSummary(
        period_start=period_start,
        period_end=period_end,
        count=total,
        by_theme=sorted(themes.items(), key=lambda item: (-item[1], item[0])),
        by_method=sorted(methods.items(), key=lambda item: (-item[1], item[0])),
        changes_made=[entry for entry in entries if entry.change_made.strip()],
        withheld=total - len(entries),
    )


# The performance report's draft, from Tandem's own records


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UK_TIME)


def performance_figures(
    *, service: Service, period_start: date, period_end: date, now: datetime
) -> dict[str, object]:
    """Rule governance-report (R22 A2.2): the intervention's activity and performance in the
    period, from the service's own records, in a fixed number of queries."""
    start, end = _start_of(period_start), _start_of(period_end + timedelta(days=1))
    cases = PerpetratorCase.objects.filter(service=service)
    referrals = cases.filter(referral_received_at__gte=start, referral_received_at__lt=end).count()
    closed = cases.filter(closed_at__gte=start, closed_at__lt=end).count()
    by_stage = dict(
        cases.exclude(stage=Stage.CLOSED).values_list("stage").annotate(n=Count("pk")).order_by()
    )
    iss = IssCase.objects.filter(survivor__service=service).aggregate(
        referred=Count("pk", filter=Q(referred_at__gte=start, referred_at__lt=end)),
        open=Count("pk", filter=Q(closed_at__isnull=True)),
        contacted=Count(
            "pk", filter=Q(contact_established_at__gte=start, contact_established_at__lt=end)
        ),
    )
    tasks = DueTask.objects.filter(service=service).aggregate(
        overdue=Count("pk", filter=Q(completed_at__isnull=True, due_at__lt=now)),
        done_late=Count(
            "pk",
            filter=Q(completed_at__gte=start, completed_at__lt=end)
            & Q(completed_at__gt=F("due_at")),
        ),
    )
    complaints = Complaint.objects.filter(
        service=service, received_on__gte=period_start, received_on__lte=period_end
    ).count()
    feedback = FeedbackEntry.objects.filter(
        service=service, received_on__gte=period_start, received_on__lte=period_end
    ).count()
    return {
        "referrals": referrals,
        "closed": closed,
        "open_by_stage": [
            (label, by_stage.get(value, 0))
            for value, label in Stage.choices
            if value != Stage.CLOSED
        ],
        "iss_referred": iss["referred"],
        "iss_open": iss["open"],
        "iss_contacted": iss["contacted"],
        "tasks_overdue": tasks["overdue"],
        "tasks_done_late": tasks["done_late"],
        "complaints": complaints,
        "feedback": feedback,
    }


def performance_report_draft_text(
    *, service: Service, period_start: date, period_end: date, now: datetime
) -> str:
    """The draft the manager edits before presenting it (rule governance-report)."""
    figures = performance_figures(
        service=service, period_start=period_start, period_end=period_end, now=now
    )
    stages = "\n".join(f"- {label}: {count}" for label, count in figures["open_by_stage"])  # type: ignore[attr-defined]
    return (
        f"Performance report: {service.name}\n"
        f"Period: {period_start:%-d %B %Y} to {period_end:%-d %B %Y}\n\n"
        "Perpetrator intervention\n"
        f"- Referrals received: {figures['referrals']}\n"
        f"- Cases closed: {figures['closed']}\n"
        f"Open cases by stage now:\n{stages}\n\n"
        "Integrated Support Service\n"
        f"- Survivors referred to the ISS: {figures['iss_referred']}\n"
        f"- Initial contact established: {figures['iss_contacted']}\n"
        f"- ISS cases open now: {figures['iss_open']}\n\n"
        "Deadlines\n"
        f"- Due tasks overdue now: {figures['tasks_overdue']}\n"
        f"- Due tasks completed late in the period: {figures['tasks_done_late']}\n\n"
        "Complaints and feedback\n"
        f"- Complaints received: {figures['complaints']}\n"
        f"- Service-user feedback entries: {figures['feedback']}\n\n"
        "Progress against objectives\n(the manager adds this)\n\n"
        "Actions and changes proposed\n(the manager adds this)\n"
    )


# Due items: the governance calendar and the "My work" page


def _annotated(service: Service, name: str) -> date | None:
    """A date the query annotated the service with (the stubs cannot see annotations)."""
    value: date | None = getattr(service, name)
    return value


def _urgency(*, due_on: date, today: date, soon: date) -> int:
    return OVERDUE if due_on < today else DUE_SOON if due_on <= soon else LATER


def governance_due_items(
    *, services: QuerySet[Service], now: datetime, complaints_for: User | None
) -> list[RecurringItem]:
    """Every governance due item of these services: required policies missing (due now) and
    policy reviews (rule policies), the model of work review (rule model-review), the next
    quarterly report (rule governance-report), open governing body actions, the equalities
    reviews (rule edi-review), agreement reviews and the responses due to the complaints
    `complaints_for` reads (WG 18; none without them). In date order; a fixed number of
    queries whatever the number of services or records."""
    today = timezone.localdate(now)
    last_review = ModelOfWorkReview.objects.filter(service=OuterRef("pk")).order_by("-reviewed_on")
    last_report = PerformanceReport.objects.filter(
        service=OuterRef("pk"), status=ReportStatus.PRESENTED
    ).order_by("-presented_on")
    last_edi = {
        kind: Subquery(
            EdiReview.objects.filter(service=OuterRef("pk"), kind=kind)
            .order_by("-reviewed_on")
            .values("reviewed_on")[:1]
        )
        for kind in EdiReviewKind.values
    }
    service_list = list(
        services.annotate(
            last_model_review_on=Subquery(last_review.values("reviewed_on")[:1]),
            last_report_on=Subquery(last_report.values("presented_on")[:1]),
            **{f"last_edi_{kind}": subquery for kind, subquery in last_edi.items()},
        ).order_by("name", "pk")
    )
    by_pk = {service.pk: service for service in service_list}
    soon = {
        service.pk: _due_soon_day(now=now, jurisdiction=service.jurisdiction)
        for service in service_list
    }
    items: list[RecurringItem] = []

    def add(service: Service, title: str, rule_id: str, due_on: date) -> None:
        urgency = _urgency(due_on=due_on, today=today, soon=soon[service.pk])
        items.append(RecurringItem(service, title, rule_id, due_on, urgency))

    latest: dict[tuple[int, str], tuple[str, date]] = {}
    for service_id, code, title, review_on in (
        Policy.objects.filter(service__in=by_pk)
        .order_by("service", "required_policy", "-approved_on", "-pk")
        .values_list("service_id", "required_policy", "title", "next_review_on")
    ):
        latest.setdefault((service_id, code), (title, review_on))
    for service in service_list:
        for code, label in RequiredPolicy.choices:
            found = latest.get((service.pk, code))
            if found is None:
                add(service, f"Required policy missing: {label[:60]}", "policies", today)
            else:
                add(service, f"Policy review: {found[0]}", "policies", found[1])
        add(
            service,
            "Model of work review",
            "model-review",
            deadlines.model_review_due(
                last_reviewed_on=_annotated(service, "last_model_review_on"),
                today=today,
            ),
        )
        add(
            service,
            "Quarterly performance report to the governing body",
            "governance-report",
            deadlines.governance_report_due(
                last_presented_on=_annotated(service, "last_report_on"),
                today=today,
            ),
        )
        for kind, label in EdiReviewKind.choices:
            add(
                service,
                f"Review: {label}",
                "edi-review",
                deadlines.edi_review_due(
                    kind=kind,
                    last_reviewed_on=_annotated(service, f"last_edi_{kind}"),
                    today=today,
                ),
            )
    for agreement in Agreement.objects.filter(service__in=by_pk, ended_on__isnull=True):
        add(
            by_pk[agreement.service_id],
            f"Agreement review: {agreement.title}",
            "agreements",
            agreement.review_on,
        )
    for action in GovernanceAction.objects.filter(
        meeting__service__in=by_pk, status="open"
    ).select_related("meeting"):
        add(
            by_pk[action.meeting.service_id],
            f"Governing body action: {action.description[:60]}",
            "governance-report",
            action.due_on,
        )
    if complaints_for is not None:
        unanswered = Complaint.objects.filter(service__in=by_pk, responded_on__isnull=True)
        # A complaint involving a survivor is the ISS side's to answer (survivor-confidentiality).
        readable = Q(involves_survivor=False) | Q(
            service__in=survivor_complaint_services_for_user(user=complaints_for)
        )
        for complaint in unanswered.filter(readable):
            add(
                by_pk[complaint.service_id],
                f"Complaint response (received {complaint.received_on:%-d %b %Y})",
                "complaints",
                complaint.response_due_on,
            )
    return sorted(items, key=lambda item: (item.due_on, item.service.name, item.title))


def governance_due_items_of(
    *, service: Service, now: datetime, complaints_for: User | None
) -> list[RecurringItem]:
    """Every governance due item of one service, for its governance calendar."""
    return governance_due_items(
        services=Service.objects.filter(pk=service.pk), now=now, complaints_for=complaints_for
    )


def staff_choices_of(*, service: Service, on: date) -> QuerySet[AuthUser]:
    """People working in the service on a day, as the queryset of a form's choice of person."""
    staff = AuthUser.objects.filter(
        Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gte=on),
        memberships__service=service,
        memberships__started_on__lte=on,
    ).distinct()
    return staff.order_by("last_name", "first_name", "username")


def staff_of(*, service: Service, on: date) -> list["AuthUser"]:
    """People working in the service on a day, for the forms' choices of person."""
    memberships = (
        StaffMembership.objects.filter(service=service, started_on__lte=on)
        .exclude(ended_on__lt=on)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )
    return [membership.user for membership in memberships]


def staff_not_acknowledged(*, service: Service, policy: Policy, on: date) -> list["AuthUser"]:
    """Who works in the service on `on` and has not acknowledged this version (R22 A1.1
    guidance 2c), in two queries."""
    acknowledged = set(
        PolicyAcknowledgement.objects.filter(policy=policy).values_list("user_id", flat=True)
    )
    return [person for person in staff_of(service=service, on=on) if person.pk not in acknowledged]
