"""Reads of ISS records. Only the ISS side (and managers on both sides) ever sees a survivor.

What the perpetrator side may read of the ISS side is `tandem.support.barrier`'s, not these.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.access.roles import ISS_WORK_ROLES, MANAGER_ROLES, Role, roles_of
from tandem.access.roles import Person as User
from tandem.audit.selectors import break_glass_granted
from tandem.compliance import deadlines
from tandem.compliance.models import DueTask, TaskSide
from tandem.lib.calendar import Jurisdiction, is_late
from tandem.organisations.models import Service, Side, StaffMembership
from tandem.organisations.selectors import (
    iss_side_services,
    perpetrator_side_services,
)
from tandem.standards.models import InterventionType
from tandem.support.contact_values import normalised_contact_value
from tandem.support.gates import MaracCriterion
from tandem.support.instruments import Question, instrument_get
from tandem.support.models import (
    POSSIBLE_DUPLICATES_AT_MOST,
    ContactAttempt,
    ContactMethod,
    ContactPoint,
    ContactPointKind,
    DashAssessment,
    IssCase,
    MaracReferral,
    PossibleDuplicateSurvivor,
    RiskIncident,
    SafeContactPreference,
    SafetyPlan,
    SharedRiskNote,
    Signposting,
    SupportSession,
    Survivor,
    SurvivorAddress,
    SurvivorLink,
)


def survivor_list_for_user(*, user: User) -> QuerySet[Survivor]:
    return Survivor.objects.filter(service__in=iss_side_services(user=user))


def iss_case_list_for_user(*, user: User) -> QuerySet[IssCase]:
    return IssCase.objects.filter(
        survivor__service__in=iss_side_services(user=user)
    ).select_related("survivor", "allocated_worker")


def iss_case_get_for_user(*, user: User, pk: int) -> IssCase:
    """404 for anyone not on the ISS side of her service: her record's existence is not leaked.
    A manager's unexpired break-glass access (never given across the barrier) opens her case."""
    iss_case = iss_case_list_for_user(user=user).filter(pk=pk).first()
    if iss_case is None:
        if not break_glass_granted(user=user, model=IssCase, object_id=pk):
            raise Http404("No such ISS case")
        iss_case = IssCase.objects.select_related("survivor", "allocated_worker").get(pk=pk)
    return iss_case


def iss_case_overview_for_user(*, user: User) -> QuerySet[IssCase]:
    """The ISS cases list: cases awaiting referral first (they are the newest), then by ISS
    referral, newest first; with what a row shows fetched in a fixed number of queries."""
    return (
        iss_case_list_for_user(user=user)
        .select_related("survivor__service")
        .prefetch_related(
            Prefetch(
                "survivor__links",
                queryset=SurvivorLink.objects.select_related("perpetrator_case").order_by(
                    "perpetrator_case__reference"
                ),
            )
        )
        .order_by(
            F("referred_at").desc(nulls_first=True),
            "-survivor__contact_details_received_at",
            "-pk",
        )
    )


@dataclass(frozen=True)
class IssContactStatus:
    """Where initial contact with her stands (rules iss-handover and iss-contact). `awaiting`
    names the step whose deadline `due_at` is, while one is due."""

    state: Literal["complete", "unsafe", "closed", "due", "overdue"]
    due_at: datetime | None = None
    awaiting: str = ""
    outcome: str = ""


def iss_contact_status(*, iss_case: IssCase, now: datetime) -> IssContactStatus:
    if iss_case.contact_established_at is not None:
        return IssContactStatus("complete", outcome=iss_case.get_contact_outcome_display())
    if iss_case.contact_unsafe_reason.strip():
        return IssContactStatus("unsafe")
    if iss_case.closed_at is not None:
        return IssContactStatus("closed")
    survivor = iss_case.survivor
    if iss_case.referred_at is None:
        due_at = deadlines.iss_handover_due(
            details_received_at=survivor.contact_details_received_at
        )
        awaiting = "ISS referral"
    else:
        due_at = deadlines.iss_contact_due(
            iss_referred_at=iss_case.referred_at,
            jurisdiction=Jurisdiction(survivor.service.jurisdiction),
        )
        awaiting = "initial contact"
    state: Literal["due", "overdue"] = "overdue" if is_late(due=due_at, done=now) else "due"
    return IssContactStatus(state, due_at=due_at, awaiting=awaiting)


@dataclass(frozen=True)
class IssCaseRecord:
    """Everything her ISS case page shows, read for someone already allowed to see it."""

    iss_case: IssCase
    contact_status: IssContactStatus
    links: list[SurvivorLink]
    open_tasks: list[DueTask]
    attempts: list[ContactAttempt]
    safe_contact: SafeContactPreference | None
    addresses: list[SurvivorAddress]
    contact_points: list[ContactPoint]
    shared_risk_notes: list[SharedRiskNote]
    possible_duplicates: list[PossibleDuplicateSurvivor]
    dash_assessments: list[DashAssessment]
    incidents: list[RiskIncident]
    marac_referrals: list[MaracReferral]
    minimum_support: "MinimumSupport"

    @property
    def preferred_method_labels(self) -> list[str]:
        return _method_labels(self.safe_contact.preferred_methods if self.safe_contact else [])

    @property
    def unsafe_method_labels(self) -> list[str]:
        return _method_labels(self.safe_contact.unsafe_methods if self.safe_contact else [])

    @property
    def never_use(self) -> list[SurvivorAddress | ContactPoint]:
        """Her addresses, numbers and emails that nothing may be sent to."""
        places: list[SurvivorAddress | ContactPoint] = [*self.addresses, *self.contact_points]
        return [place for place in places if place.unsafe or place.known_to_perpetrator]


def _method_labels(methods: list[str]) -> list[str]:
    return [method.label for method in ContactMethod if method in methods]


def iss_case_record_for_user(*, user: User, pk: int, now: datetime) -> IssCaseRecord:
    """404 for anyone not on the ISS side of her service, like `iss_case_get_for_user`."""
    iss_case = iss_case_get_for_user(user=user, pk=pk)
    survivor = iss_case.survivor
    return IssCaseRecord(
        iss_case=iss_case,
        contact_status=iss_contact_status(iss_case=iss_case, now=now),
        links=list(
            SurvivorLink.objects.filter(survivor=survivor)
            .select_related("perpetrator_case")
            .order_by("perpetrator_case__reference")
        ),
        open_tasks=list(
            DueTask.objects.filter(
                iss_case=iss_case, side=TaskSide.ISS, completed_at__isnull=True
            ).order_by("due_at", "pk")
        ),
        attempts=list(
            iss_case.attempts.select_related("recorded_by", "destination_address").order_by(
                "-attempted_at"
            )
        ),
        safe_contact=SafeContactPreference.objects.filter(survivor=survivor).first(),
        addresses=list(SurvivorAddress.objects.filter(survivor=survivor)),
        contact_points=list(ContactPoint.objects.filter(survivor=survivor)),
        shared_risk_notes=list(
            iss_case.shared_risk_notes.select_related(
                "perpetrator_case",
                "written_by",
                "iss_manager_approved_by",
                "service_manager_approved_by",
            )
        ),
        possible_duplicates=list(
            survivor.possible_duplicates.select_related("existing__iss_case")
            .prefetch_related(
                Prefetch(
                    "existing__links",
                    queryset=SurvivorLink.objects.select_related("perpetrator_case").order_by(
                        "perpetrator_case__reference"
                    ),
                )
            )
            # Undecided first; never more than are flagged at once, so the page stays readable
            # (and its queries small) with flags made before there was a bound.
            .order_by("resolution", "flagged_at", "pk")[:POSSIBLE_DUPLICATES_AT_MOST]
        ),
        dash_assessments=list(iss_case.dash_assessments.select_related("assessed_by")),
        incidents=list(survivor.risk_incidents.select_related("recorded_by")),
        marac_referrals=list(survivor.marac_referrals.select_related("referred_by")),
        minimum_support=iss_minimum_support(survivor=survivor),
    )


def iss_worker_choices(*, service: Service) -> QuerySet[AbstractUser]:
    """Who her case can be allocated to: current ISS-side staff of her service. Managers on both
    sides are left out: the ISS is not delivered by perpetrator-side staff (rule not-same-staff)."""
    today = timezone.localdate()
    memberships = StaffMembership.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        service=service,
        side=Side.ISS,
        started_on__lte=today,
    )
    return (
        get_user_model()
        .objects.filter(
            pk__in=memberships.values("user"),
            groups__name__in=[role.value for role in ISS_WORK_ROLES],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# Support duration (rule iss-duration)

ISS_MINIMUM_SUPPORT = relativedelta(months=4)


@dataclass(frozen=True)
class MinimumSupport:
    """How long her support must stay available (rule iss-duration, NE 5.3.1): while any of her
    perpetrators' cases is open, and 4 months after the last one closed."""

    open_cases: list[str]
    until: datetime | None


def iss_minimum_support(*, survivor: Survivor) -> MinimumSupport:
    cases = [
        (link.perpetrator_case.reference, link.perpetrator_case.closed_at)
        for link in SurvivorLink.objects.filter(survivor=survivor)
        .select_related("perpetrator_case")
        .order_by("perpetrator_case__reference")
    ]
    open_cases = [reference for reference, closed_at in cases if closed_at is None]
    closed = [closed_at for _, closed_at in cases if closed_at is not None]
    if open_cases or not closed:
        return MinimumSupport(open_cases=open_cases, until=None)
    # In UK time, so "4 months later" keeps the time of day across a clock change.
    return MinimumSupport(
        open_cases=[], until=timezone.localtime(max(closed)) + ISS_MINIMUM_SUPPORT
    )


@dataclass(frozen=True)
class Destination:
    """A place she can be reached that is not marked unsafe or known to him, as a contact form
    offers it: `key` is what the form posts."""

    key: str
    label: str
    value: "str | SurvivorAddress"


def safe_destinations(*, survivor: Survivor) -> list[Destination]:
    """Her numbers and emails (on her record and recorded since) and her current address,
    leaving out any marked unsafe or known to him. `assert_safe_to_send` still checks whatever
    is chosen: this only keeps the unusable ones off the form."""
    points = list(ContactPoint.objects.filter(survivor=survivor))
    barred = {
        (point.kind, normalised_contact_value(kind=point.kind, value=point.value))
        for point in points
        if point.unsafe or point.known_to_perpetrator
    }
    offered: dict[tuple[str, str], Destination] = {}
    candidates = [
        (ContactPointKind.PHONE, survivor.phone),
        (ContactPointKind.EMAIL, survivor.email),
        *((point.kind, point.value) for point in points),
    ]
    for kind, value in candidates:
        if not value:
            continue
        comparable = (kind, normalised_contact_value(kind=kind, value=value))
        if comparable in barred or comparable in offered:
            continue
        what = "Phone" if kind == ContactPointKind.PHONE else "Email"
        offered[comparable] = Destination(
            key=f"{kind}:{value}", label=f"{what}: {value}", value=value
        )
    destinations = list(offered.values())
    address = SurvivorAddress.objects.filter(
        survivor=survivor, current=True, unsafe=False, known_to_perpetrator=False
    ).first()
    if address is not None:
        destinations.append(
            Destination(
                key=f"address:{address.pk}",
                label=f"Current address: {address.lines.splitlines()[0]}, {address.postcode}",
                value=address,
            )
        )
    return destinations


def survivor_address_of(*, survivor: Survivor, pk: int) -> SurvivorAddress | None:
    return SurvivorAddress.objects.filter(survivor=survivor, pk=pk).first()


# Shared risk notes awaiting approval (rule survivor-confidentiality)


@dataclass(frozen=True)
class NoteAwaitingApproval:
    """A shared risk note this person may approve now. `source` (her ISS case) is given only
    for the ISS manager's approval: the intervention's service manager sees, as the perpetrator
    side will, the words without their source."""

    note: SharedRiskNote
    approval: Literal["iss-manager", "service-manager"]
    source: IssCase | None


def risk_notes_awaiting_approval_for_user(*, user: User) -> list[NoteAwaitingApproval]:
    """What `shared_risk_note_approve` would accept from this person, oldest first, in a fixed
    number of queries. Nobody is offered a note they wrote."""
    roles = roles_of(user)
    awaiting = SharedRiskNote.objects.filter(released_at__isnull=True).exclude(
        written_by_id=user.pk
    )
    first: list[NoteAwaitingApproval] = []
    if roles & MANAGER_ROLES:
        first = [
            NoteAwaitingApproval(note, "iss-manager", note.source_iss_case)
            for note in awaiting.filter(
                iss_manager_approved_at__isnull=True,
                source_iss_case__survivor__service__in=iss_side_services(user=user),
            ).select_related("perpetrator_case", "source_iss_case__survivor", "written_by")
        ]
    second: list[NoteAwaitingApproval] = []
    if Role.SERVICE_MANAGER in roles:
        second = [
            NoteAwaitingApproval(note, "service-manager", None)
            for note in awaiting.filter(
                iss_manager_approved_at__isnull=False,
                service_manager_approved_at__isnull=True,
                perpetrator_case__intervention_type=InterventionType.ICM,
                perpetrator_case__service__in=perpetrator_side_services(user=user),
            ).select_related("perpetrator_case")
        ]
    return sorted([*first, *second], key=lambda item: (item.note.written_at, item.note.pk))


def risk_note_awaiting_approval_for_user(*, user: User, pk: int) -> NoteAwaitingApproval:
    """404 for a note this person cannot approve now, so nothing about it is leaked."""
    for item in risk_notes_awaiting_approval_for_user(user=user):
        if item.note.pk == pk:
            return item
    raise Http404("No such risk note awaiting your approval")


# DASH (rule dash)


@dataclass(frozen=True)
class DashAnswer:
    question: Question
    answer_label: str


@dataclass(frozen=True)
class DashResult:
    """One DASH assessment as its result page shows it."""

    assessment: DashAssessment
    answers: list[DashAnswer]
    criteria: list[MaracCriterion]
    threshold: int


def dash_result_for_user(*, user: User, iss_case_pk: int, pk: int) -> DashResult:
    """404 unless the person is on the ISS side of her service and the assessment is hers."""
    iss_case = iss_case_get_for_user(user=user, pk=iss_case_pk)
    assessment = (
        DashAssessment.objects.filter(iss_case=iss_case, pk=pk)
        .select_related("assessed_by", "iss_case__survivor__service")
        .first()
    )
    if assessment is None:
        raise Http404("No such DASH assessment")
    instrument = instrument_get(instrument_id=assessment.instrument_id)
    labels = {option.id: option.label for option in instrument.answer_options}
    return DashResult(
        assessment=assessment,
        answers=[
            DashAnswer(question, labels.get(assessment.answers.get(str(question.number)), ""))
            for question in instrument.questions
        ],
        criteria=[MaracCriterion(value) for value in assessment.criteria],
        threshold=iss_case.survivor.service.dash_high_risk_threshold,
    )


def possible_duplicate_of(*, iss_case: IssCase, pk: int) -> PossibleDuplicateSurvivor:
    """A possible duplicate flagged on her record; 404 for any other."""
    flag = (
        PossibleDuplicateSurvivor.objects.filter(survivor=iss_case.survivor, pk=pk)
        .select_related("survivor__iss_case", "existing__iss_case")
        .first()
    )
    if flag is None:
        raise Http404("No such possible duplicate")
    return flag


# Safety plans, support sessions, signposting and referrals


@dataclass(frozen=True)
class SupportWork:
    """Her safety plans (current first), support sessions and signposting, for someone already
    allowed to see her ISS case, in a fixed number of queries."""

    safety_plans: list[SafetyPlan]
    sessions: list[SupportSession]
    signpostings: list[Signposting]

    @property
    def current_safety_plan(self) -> SafetyPlan | None:
        return next((plan for plan in self.safety_plans if plan.superseded_at is None), None)


def safety_plans_of(*, iss_case: IssCase) -> QuerySet[SafetyPlan]:
    return iss_case.safety_plans.select_related("recorded_by").order_by(
        F("superseded_at").desc(nulls_first=True), "-agreed_on", "-pk"
    )


def support_sessions_of(*, iss_case: IssCase) -> QuerySet[SupportSession]:
    return iss_case.support_sessions.select_related("recorded_by")


def signpostings_of(*, iss_case: IssCase) -> QuerySet[Signposting]:
    return iss_case.signpostings.select_related("recorded_by")


def support_work_of(*, iss_case: IssCase) -> SupportWork:
    return SupportWork(
        safety_plans=list(safety_plans_of(iss_case=iss_case)),
        sessions=list(support_sessions_of(iss_case=iss_case)),
        signpostings=list(signpostings_of(iss_case=iss_case)),
    )
