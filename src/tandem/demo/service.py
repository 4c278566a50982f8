"""The demo service: 18 months of a synthetic perpetrator service and its ISS.

Every record is made through the real services with `now=` set in the past, so stages, transitions,
due tasks and their completion read like real history, breaches included: a few ISS referrals made
after 24 hours, first contacts later than 5 working days, contact notes recorded more than 1 working
day late, tasks overdue today, and a case management review, a case-file audit and the weekly risk
and engagement exchange overdue. Each case's story is planned first as dated steps, then replayed in
time order; a step still in the future today is not replayed, so recent cases stop part-way, as real
ones would. Its records come with it: weekly contact notes and the risk assessments while he
attends, risk concerns for the ISS, and on the ISS side her DASH, MARAC referral and risk notes for
his worker. The service's monthly reviews, its audits and the weekly risk and engagement exchanges
with the ISS come last, from the dates the stories recorded.

Everyone in it is invented: first names from short lists, surnames such as "Example" and
"Testington", phone numbers in Ofcom's drama range (07700 900xxx), emails at example.invalid.
"""

import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import partial

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from tandem.access.roles import Role
from tandem.cases.models import (
    Child,
    ClosureReason,
    CriminalJustice,
    FamilyProceedings,
    PerpetratorCase,
    ReferralSource,
    RiskPoint,
    Stage,
    SuspensionKind,
    SuspensionProposal,
)
from tandem.cases.selectors import file_audit_candidates, open_cases_at
from tandem.cases.services.intake import (
    ChildDetails,
    ReferralDetails,
    SurvivorDetails,
    perpetrator_referral_receive,
)
from tandem.cases.services.lifecycle import (
    AssessmentDetails,
    ConsentDetails,
    ScreeningDetails,
    perpetrator_case_assess,
    perpetrator_case_close,
    perpetrator_case_record_consent,
    perpetrator_case_screen,
    perpetrator_case_start_intervention,
)
from tandem.cases.services.records import (
    CONTACT_KINDS,
    PlannedAction,
    contact_note_record,
    risk_assessment_record,
    risk_concern_raise,
)
from tandem.cases.services.reviews import (
    ReviewEntry,
    case_review_meeting_record,
    file_audit_record,
    risk_engagement_exchange_record,
)
from tandem.cases.services.suspension import (
    perpetrator_case_reengage,
    suspension_propose,
    suspension_record_iss_consultation,
    suspension_record_survivors_informed,
    suspension_sign_off,
)
from tandem.compliance.models import DueTask
from tandem.compliance.services import due_tasks_complete
from tandem.demo.delivery import demo_delivery
from tandem.demo.governance import demo_governance
from tandem.demo.users import DemoRefused, demo_memberships_ensure, demo_user
from tandem.demo.workforce import demo_workforce
from tandem.lib.calendar import UK_TIME, Jurisdiction, due_after_working_days, is_working_day
from tandem.organisations.models import (
    Delivery,
    IssProvision,
    Organisation,
    Service,
    Side,
    StaffMembership,
)
from tandem.standards.models import InterventionType
from tandem.support.gates import DASH_INSTRUMENT_ID
from tandem.support.instruments import instrument_get
from tandem.support.models import (
    AttemptOutcome,
    ContactMethod,
    IssCase,
    Relationship,
    SharedRiskNote,
    Survivor,
)
from tandem.support.services.contact import (
    contact_attempt_record,
    iss_contact_unsafe_record,
    iss_referral_make,
)
from tandem.support.services.dash import (
    dash_assessment_record,
    marac_referral_record,
    risk_incident_record,
)
from tandem.support.services.iss_cases import iss_case_allocate
from tandem.support.services.risk_notes import shared_risk_note_approve, shared_risk_note_write
from tandem.support.services.safe_contact import safe_contact_preferences_set

ORGANISATION_NAME = "Synthetic Example Services"
SERVICE_NAME = "Example DAPP (synthetic)"
SEED = 20_261_123
FULL_SIZE = 160
HISTORY = timedelta(days=548)
JURISDICTION = Jurisdiction.ENGLAND_AND_WALES

PERPETRATOR_FIRST_NAMES = [
    "Adam",
    "Ben",
    "Carl",
    "Dan",
    "Ed",
    "Frank",
    "Gary",
    "Harry",
    "Ian",
    "Jack",
    "Karl",
    "Liam",
    "Mark",
    "Neil",
    "Owen",
    "Paul",
    "Rob",
    "Sean",
    "Tom",
    "Will",
]
SURVIVOR_FIRST_NAMES = [
    "Alice",
    "Beth",
    "Clare",
    "Dawn",
    "Emma",
    "Fay",
    "Gemma",
    "Hannah",
    "Isla",
    "Jo",
    "Kate",
    "Lucy",
    "Mia",
    "Nina",
    "Olivia",
    "Pam",
    "Rose",
    "Sara",
    "Tina",
    "Zoe",
]
CHILD_FIRST_NAMES = [
    "Alex",
    "Bailey",
    "Casey",
    "Drew",
    "Eden",
    "Frankie",
    "Harley",
    "Jamie",
    "Jordan",
    "Kit",
    "Logan",
    "Morgan",
    "Quinn",
    "Riley",
    "Sky",
]
SURNAMES = [
    "Example",
    "Sample",
    "Testington",
    "Demo",
    "Placeholder",
    "Fictional",
    "Specimen",
    "Exampleton",
    "Samplewood",
    "Testwell",
    "Mockley",
    "Notreal",
    "Dummyfield",
    "Madeup",
    "Pretendly",
]
REFERRERS = (
    ("Example Constabulary (synthetic)", "police"),
    ("Example Council Children's Services (synthetic)", "childrens-services"),
    ("Example Probation Delivery Unit (synthetic)", "probation"),
    ("Example Health Centre (synthetic)", "health-centre"),
    ("Example Housing Association (synthetic)", "housing"),
)
EXTRA_STAFF = (
    (Role.PERPETRATOR_WORKER, Side.PERPETRATOR, "Pat", "Example"),
    (Role.PERPETRATOR_WORKER, Side.PERPETRATOR, "Chris", "Sample"),
    (Role.PERPETRATOR_WORKER, Side.PERPETRATOR, "Robin", "Testington"),
    (Role.ISS_WORKER, Side.ISS, "Sam", "Specimen"),
    (Role.ISS_WORKER, Side.ISS, "Jo", "Placeholder"),
    (Role.ISS_WORKER, Side.ISS, "Lee", "Exampleton"),
)


class Fate(Enum):
    """Where a case's story has got to by today."""

    REFERRED = "referred"
    SCREENED = "screened"
    ASSESSED_AWAITING_START = "assessed, awaiting a group start"
    ASSESSED_CONTACT_PENDING = "assessed, survivor not yet reached"
    IN_INTERVENTION = "in intervention"
    SUSPENSION_PROPOSED = "in intervention, suspension proposed"
    REENGAGED = "in intervention after a suspension"
    SUSPENDED = "suspended"
    NOT_ACCEPTED_CJ_PENDING = "not accepted: pre-sentence"
    NOT_ACCEPTED_UNDER_18 = "not accepted: under 18"
    NOT_ACCEPTED_AT_ASSESSMENT = "not accepted at assessment"
    CONSENT_REFUSED = "not accepted: refused consent"
    COMPLETED = "completed"
    DROPPED_OUT = "dropped out"
    MOVED = "moved away"
    CUSTODY = "in custody"
    OTHER = "closed: other"
    DESELECTED = "de-selected"


@dataclass(frozen=True)
class _FateSpec:
    weight: int  # cases with this fate in the full-size demo
    received_days_ago: tuple[int, int]


FATES: dict[Fate, _FateSpec] = {
    Fate.REFERRED: _FateSpec(8, (0, 6)),
    Fate.SCREENED: _FateSpec(10, (8, 45)),
    Fate.ASSESSED_AWAITING_START: _FateSpec(10, (20, 70)),
    Fate.ASSESSED_CONTACT_PENDING: _FateSpec(4, (15, 40)),
    Fate.IN_INTERVENTION: _FateSpec(38, (50, 230)),
    Fate.SUSPENSION_PROPOSED: _FateSpec(2, (60, 200)),
    Fate.REENGAGED: _FateSpec(2, (150, 250)),
    Fate.SUSPENDED: _FateSpec(4, (90, 200)),
    Fate.NOT_ACCEPTED_CJ_PENDING: _FateSpec(7, (10, 540)),
    Fate.NOT_ACCEPTED_UNDER_18: _FateSpec(2, (10, 540)),
    Fate.NOT_ACCEPTED_AT_ASSESSMENT: _FateSpec(8, (20, 540)),
    Fate.CONSENT_REFUSED: _FateSpec(3, (20, 540)),
    Fate.COMPLETED: _FateSpec(30, (260, 500)),
    Fate.DROPPED_OUT: _FateSpec(14, (90, 520)),
    Fate.MOVED: _FateSpec(5, (90, 520)),
    Fate.CUSTODY: _FateSpec(5, (90, 520)),
    Fate.OTHER: _FateSpec(3, (90, 520)),
    Fate.DESELECTED: _FateSpec(5, (120, 520)),
}
MIN_SIZE = len(FATES)

_SCREENED_FATES = set(Fate) - {Fate.REFERRED}
_ASSESSED_FATES = _SCREENED_FATES - {
    Fate.SCREENED,
    Fate.NOT_ACCEPTED_CJ_PENDING,
    Fate.NOT_ACCEPTED_UNDER_18,
}
_CONSENTED_FATES = _ASSESSED_FATES - {Fate.NOT_ACCEPTED_AT_ASSESSMENT, Fate.CONSENT_REFUSED}
_STARTED_FATES = _CONSENTED_FATES - {Fate.ASSESSED_AWAITING_START, Fate.ASSESSED_CONTACT_PENDING}
_CLOSURES: dict[Fate, tuple[ClosureReason, tuple[int, int], tuple[str, ...]]] = {
    # reason, weeks after the start, and what the worker wrote
    Fate.COMPLETED: (ClosureReason.COMPLETED, (26, 30), ("",)),
    Fate.DROPPED_OUT: (
        ClosureReason.DROPPED_OUT,
        (3, 14),
        ("Stopped attending after several missed sessions; not reachable (synthetic)", ""),
    ),
    Fate.MOVED: (ClosureReason.MOVED, (4, 20), ("Moved out of the area for work (synthetic)",)),
    Fate.CUSTODY: (
        ClosureReason.CUSTODY,
        (2, 16),
        ("Remanded in custody on an unrelated matter (synthetic)",),
    ),
    Fate.OTHER: (
        ClosureReason.OTHER,
        (3, 20),
        ("A long-term illness stops him attending for the foreseeable future (synthetic)",),
    ),
}
_SUSPENSION_REASONS = (
    "Charged with a domestic abuse offence against a new partner: on hold until the criminal "
    "case concludes (rule cj-pending; synthetic)",
    "Under police investigation after an incident reported by the ISS (synthetic)",
)
_REMOVAL_REASONS = (
    "Continued abusive behaviour in the group despite warnings; re-engagement tried first "
    "(synthetic)",
    "Threatening messages to a group member (synthetic)",
)


class _Contact(Enum):
    """How the ISS's first contact with a survivor goes."""

    ACCEPTED = "support accepted"
    DECLINED = "support declined"
    LATE = "reached after 5 working days"
    UNSAFE = "unsafe or impossible"
    UNREACHED = "not yet reached"
    NOT_YET_REFERRED = "details not yet passed to the ISS"


class _Extra(Enum):
    """Risk records and breaches forced onto a case, so that even the smallest demo has each."""

    LATE_NOTE = "a contact note recorded more than 1 working day late"
    RISK_CONCERN = "a risk concern raised with the ISS"
    IMMINENT_CONCERN = "an imminent risk concern raised with the ISS"
    DASH_HIGH_RISK = "DASH at visible high risk, referred to MARAC, a risk note released"
    DASH_STANDARD = "DASH below the MARAC criteria, a risk note released"
    DASH_ESCALATING = (
        "incidents, a DASH two days ago awaiting its MARAC referral, a note unapproved"
    )
    ICM = "offered intensive case management: a risk note needs both managers' approval"


@dataclass(frozen=True)
class DemoServiceSummary:
    already_loaded: bool
    cases_by_stage: dict[str, int]
    survivors: int
    children: int
    open_tasks: int
    overdue_tasks: int


@dataclass
class _Staff:
    perpetrator_workers: list[User]
    iss_workers: list[User]
    service_manager: User
    practice_manager: User


@dataclass
class _Identity:
    """Who the referral is about, fixed before any dates are: a re-referral reuses it."""

    first_name: str
    last_name: str
    phone: str
    source: ReferralSource
    referrer: tuple[str, str, str]  # name, organisation, contact
    survivors: list[SurvivorDetails]
    has_children: bool


@dataclass
class _CasePlan:
    fate: Fate
    seed: int
    identity: _Identity
    contacts: list[_Contact]
    late_iss_referral: list[bool]
    outcome_told: bool = True
    proposed_working_days_ago: int = 3  # for a suspension proposed and not yet signed off
    demo_iss_worker_first: bool = False  # so the demo ISS sign-in has this case's tasks
    received_days_ago: tuple[int, int] = (0, 0)
    extras: set[_Extra] = field(default_factory=set)
    # A re-referral of a man first not accepted while pre-sentence (rule cj-pending).
    original: "_CasePlan | None" = None
    story: "_CaseStory | None" = None


@dataclass
class _Course:
    """What a case's lifecycle settled that the records kept along the way depend on."""

    worker: User
    iss_workers: list[User]  # each survivor's, by position
    first_contacts: list[datetime | None] = field(default_factory=list)  # when each was reached
    intervention_type: str = ""
    # When he attended: from the start (or re-engagement) until he left, or None while he still
    # attends.
    attending: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    ended_case: bool = False  # his last period ended with the case closed or him removed


@dataclass(frozen=True)
class _RiskAssessment:
    point: RiskPoint
    summary: str
    actions: list[PlannedAction]
    told: bool
    his_comment: str = ""
    not_told_reason: str = ""
    event_description: str = ""
    next_due_on: date | None = None


@dataclass
class _CaseStory:
    """One case's history as dated steps, replayed through the services in time order."""

    details: ReferralDetails
    steps: list[tuple[datetime, int, Callable[[datetime], object]]] = field(default_factory=list)
    case: PerpetratorCase | None = None
    iss_cases: dict[int, IssCase] = field(default_factory=dict)
    proposal: SuspensionProposal | None = None
    risk_note: SharedRiskNote | None = None

    def at(self, moment: datetime, action: Callable[..., object], **arguments: object) -> None:
        self.steps.append((moment, len(self.steps), partial(action, **arguments)))

    def replay(self, *, until: datetime) -> None:
        for moment, _, action in sorted(self.steps, key=lambda step: step[:2]):
            if moment > until:
                break
            action(moment)

    def _case(self) -> PerpetratorCase:
        assert self.case is not None, "the referral is always the first step"
        return self.case

    def _iss_case(self, position: int) -> IssCase:
        iss_case = self.iss_cases[position]
        iss_case.refresh_from_db(fields=["version"])
        return iss_case

    def receive(self, now: datetime, *, service: Service, actor: User) -> None:
        self.case = perpetrator_referral_receive(
            service=service, actor=actor, details=self.details, now=now
        )
        links = self.case.survivor_links.select_related("survivor__iss_case")
        self.iss_cases = {link.position: link.survivor.iss_case for link in links}

    def screen(self, now: datetime, *, actor: User, screening: ScreeningDetails) -> None:
        case = self._case()
        self.case = perpetrator_case_screen(
            case=case, actor=actor, expected_version=case.version, screening=screening, now=now
        )

    def assess(self, now: datetime, *, actor: User, assessment: AssessmentDetails) -> None:
        case = self._case()
        self.case = perpetrator_case_assess(
            case=case, actor=actor, expected_version=case.version, assessment=assessment, now=now
        )

    def record_consent(self, now: datetime, *, actor: User, consent: ConsentDetails) -> None:
        case = self._case()
        self.case = perpetrator_case_record_consent(
            case=case, actor=actor, expected_version=case.version, consent=consent, now=now
        )

    def tell_outcome(self, now: datetime, *, actor: User, position: int | None) -> None:
        # The ISS tells each survivor first; the perpetrator side's own tasks close after, so
        # its completion never sweeps up a survivor's task.
        if position is None:
            due_tasks_complete(
                rule_id="assessment-outcome", perpetrator_case=self._case(), actor=actor, now=now
            )
        else:
            due_tasks_complete(
                rule_id="assessment-outcome",
                iss_case=self.iss_cases[position],
                actor=actor,
                now=now,
            )

    def start(self, now: datetime, *, actor: User) -> None:
        case = self._case()
        self.case = perpetrator_case_start_intervention(
            case=case, actor=actor, expected_version=case.version, now=now
        )

    def close(self, now: datetime, *, actor: User, reason: str, detail: str) -> None:
        case = self._case()
        self.case = perpetrator_case_close(
            case=case,
            actor=actor,
            expected_version=case.version,
            reason=reason,
            detail=detail,
            now=now,
        )

    def propose(self, now: datetime, *, actor: User, kind: str, reason: str) -> None:
        case = self._case()
        self.proposal = suspension_propose(
            case=case, actor=actor, expected_version=case.version, kind=kind, reason=reason, now=now
        )
        case.refresh_from_db(fields=["version"])

    def consult_iss(self, now: datetime, *, actor: User) -> None:
        assert self.proposal is not None
        self.proposal = suspension_record_iss_consultation(
            proposal=self.proposal, actor=actor, now=now
        )

    def inform_survivors(self, now: datetime, *, actor: User) -> None:
        assert self.proposal is not None
        self.proposal = suspension_record_survivors_informed(
            proposal=self.proposal, actor=actor, now=now
        )

    def sign_off(self, now: datetime, *, actor: User) -> None:
        assert self.proposal is not None
        self.case = suspension_sign_off(proposal=self.proposal, actor=actor, now=now)

    def reengage(self, now: datetime, *, actor: User) -> None:
        case = self._case()
        self.case = perpetrator_case_reengage(
            case=case, actor=actor, expected_version=case.version, now=now
        )

    # Allocation and safe-contact preferences record no time of their own (their audit events,
    # like every audit event, carry the moment the demo is loaded).

    def allocate(self, now: datetime, *, position: int, actor: User, worker: User) -> None:
        iss_case = self._iss_case(position)
        self.iss_cases[position] = iss_case_allocate(
            iss_case=iss_case, actor=actor, expected_version=iss_case.version, worker=worker
        )

    def refer_to_iss(self, now: datetime, *, position: int, actor: User) -> None:
        iss_case = self._iss_case(position)
        self.iss_cases[position] = iss_referral_make(
            iss_case=iss_case, actor=actor, expected_version=iss_case.version, now=now
        )

    def attempt_contact(
        self, now: datetime, *, position: int, actor: User, method: str, outcome: str
    ) -> None:
        iss_case = self._iss_case(position)
        contact_attempt_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            attempted_at=now,
            method=method,
            outcome=outcome,
            # The demo calls and texts her own number: the send guard checks it is safe.
            destination=iss_case.survivor.phone,
            notes=_ATTEMPT_NOTES[AttemptOutcome(outcome)],
            now=now,
        )

    def record_unsafe(self, now: datetime, *, position: int, actor: User, reason: str) -> None:
        iss_case = self._iss_case(position)
        self.iss_cases[position] = iss_contact_unsafe_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            reason=reason,
            now=now,
        )

    def set_safe_contact(
        self, now: datetime, *, position: int, actor: User, preference: tuple[str, str, str]
    ) -> None:
        unsafe_method, safe_times, notes = preference
        iss_case = self._iss_case(position)
        safe_contact_preferences_set(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            preferred_methods=[ContactMethod.PHONE],
            unsafe_methods=[unsafe_method],
            safe_times=safe_times,
            notes=notes,
        )

    # His records on the perpetrator side while he attends: contacts and risk.

    def record_note(
        self, now: datetime, *, actor: User, occurred_at: datetime, kind: str, note: str
    ) -> None:
        contact_note_record(
            case=self._case(), actor=actor, occurred_at=occurred_at, kind=kind, note=note, now=now
        )

    def assess_risk(self, now: datetime, *, actor: User, assessment: _RiskAssessment) -> None:
        risk_assessment_record(
            case=self._case(),
            actor=actor,
            point=assessment.point,
            summary=assessment.summary,
            actions=assessment.actions,
            event_description=assessment.event_description,
            next_assessment_due_on=assessment.next_due_on,
            outcome_told_to_him=assessment.told,
            his_comment=assessment.his_comment,
            outcome_not_told_reason=assessment.not_told_reason,
            now=now,
        )

    def raise_concern(self, now: datetime, *, actor: User, concern: str, imminent: bool) -> None:
        risk_concern_raise(
            case=self._case(), actor=actor, concern=concern, imminent=imminent, now=now
        )

    # Her risk on the ISS side.

    def act_on_concern(self, now: datetime, *, position: int, actor: User) -> None:
        due_tasks_complete(
            rule_id="concern-24h", iss_case=self.iss_cases[position], actor=actor, now=now
        )

    def record_incident(
        self, now: datetime, *, position: int, actor: User, occurred_on: date, summary: str
    ) -> None:
        iss_case = self._iss_case(position)
        risk_incident_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            occurred_on=occurred_on,
            summary=summary,
            now=now,
        )

    def assess_dash(
        self, now: datetime, *, position: int, actor: User, answers: dict[int, str]
    ) -> None:
        iss_case = self._iss_case(position)
        dash_assessment_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            answers=answers,
            professional_judgement_high=False,
            professional_judgement_reasons="",
            now=now,
        )

    def refer_to_marac(self, now: datetime, *, position: int, actor: User) -> None:
        iss_case = self._iss_case(position)
        marac_referral_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            referred_on=_local_date(now),
            now=now,
        )

    def write_risk_note(self, now: datetime, *, position: int, actor: User, note: str) -> None:
        self.risk_note = shared_risk_note_write(
            iss_case=self.iss_cases[position],
            perpetrator_case=self._case(),
            actor=actor,
            note=note,
            now=now,
        )

    def approve_risk_note(self, now: datetime, *, actor: User) -> None:
        assert self.risk_note is not None
        self.risk_note = shared_risk_note_approve(note=self.risk_note, actor=actor, now=now)


_ATTEMPT_NOTES = {
    AttemptOutcome.NO_ANSWER: "No answer; no message left (synthetic)",
    AttemptOutcome.MESSAGE_LEFT: "Left a neutral message giving only a first name (synthetic)",
    AttemptOutcome.NOT_SAFE_TO_TALK: "She answered and said it was not safe to talk (synthetic)",
    AttemptOutcome.WRONG_NUMBER: "Number not recognised; checking with the referrer (synthetic)",
    AttemptOutcome.SUPPORT_ACCEPTED: "Spoke with her; she accepted support (synthetic)",
    AttemptOutcome.SUPPORT_DECLINED: "Spoke with her; she declined support for now (synthetic)",
}
_UNSAFE_REASONS = (
    "She still lives with him and has no phone he does not check; the referrer advises no "
    "contact until a safe route is agreed (synthetic)",
    "The only number given is disconnected and no agency holds current details (synthetic)",
    "She has moved to a refuge out of area and asked that only the refuge contacts her (synthetic)",
)
_SAFE_CONTACT = (
    (ContactMethod.LETTER, "Only call Tue/Thu 10:00-12:00", "Do not send letters (synthetic)"),
    (ContactMethod.TEXT, "Weekday mornings", "He reads her texts: never text (synthetic)"),
    (ContactMethod.EMAIL, "Any weekday before 15:00", "Shared email account (synthetic)"),
)


# Dates and times: everything happens in working hours on working days, in UK time.


def _working_day_on_or_after(day: date) -> date:
    while not is_working_day(day=day, jurisdiction=JURISDICTION):
        day += timedelta(days=1)
    return day


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day=day, jurisdiction=JURISDICTION):
        day -= timedelta(days=1)
    return day


def _working_days_before(day: date, working_days: int) -> date:
    while working_days:
        day -= timedelta(days=1)
        if is_working_day(day=day, jurisdiction=JURISDICTION):
            working_days -= 1
    return day


def _at_work(day: date, rng: random.Random) -> datetime:
    minutes = rng.randint(9 * 60, 17 * 60)
    return datetime.combine(
        _working_day_on_or_after(day), time(minutes // 60, minutes % 60), tzinfo=UK_TIME
    )


def _working_days_after(moment: datetime, working_days: int, rng: random.Random) -> datetime:
    """Some time in working hours `working_days` working days after `moment`."""
    day = due_after_working_days(start=moment, working_days=working_days, jurisdiction=JURISDICTION)
    return _at_work(day.date(), rng)


def _minutes_after(moment: datetime, low: int, high: int, rng: random.Random) -> datetime:
    return moment + timedelta(minutes=rng.randint(low, high))


def _local_date(moment: datetime) -> date:
    return moment.astimezone(UK_TIME).date()


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _years_after(day: date, years: int) -> date:
    return _years_before(day, -years)


# Synthetic people.


class _Phones:
    """Numbers from Ofcom's drama range, each used once."""

    def __init__(self, rng: random.Random) -> None:
        self._free = list(range(1000))
        rng.shuffle(self._free)

    def next(self) -> str:
        return f"07700 900{self._free.pop():03d}"


def _identity(rng: random.Random, phones: _Phones, today: date) -> _Identity:
    last_name = rng.choice(SURNAMES)
    source = ReferralSource.AGENCY if rng.random() < 0.75 else ReferralSource.SELF
    referrer = ("", "", "")
    if source == ReferralSource.AGENCY:
        organisation, slug = rng.choice(REFERRERS)
        name = (
            f"{rng.choice(SURVIVOR_FIRST_NAMES + PERPETRATOR_FIRST_NAMES)} {rng.choice(SURNAMES)}"
        )
        referrer = (f"{name} (synthetic)", organisation, f"referrals@{slug}.example.invalid")
    count = rng.choices([1, 2, 3], weights=[58, 35, 7])[0]
    if count == 1:
        partner = [Relationship.CURRENT_PARTNER, Relationship.EX_PARTNER]
        relationships = rng.choices(partner, weights=[55, 45])
    elif count == 2:
        relationships = rng.choice(
            [
                [Relationship.CURRENT_PARTNER, Relationship.EX_PARTNER],
                [Relationship.NEW_PARTNER, Relationship.EX_PARTNER],
            ]
        )
    else:
        relationships = [
            Relationship.CURRENT_PARTNER,
            Relationship.EX_PARTNER,
            Relationship.FAMILY_MEMBER,
        ]
    survivors = []
    for relationship in relationships:
        first_name = rng.choice(SURVIVOR_FIRST_NAMES)
        survivor_last_name = last_name if rng.random() < 0.3 else rng.choice(SURNAMES)
        email = ""
        if rng.random() < 0.35:
            email = f"{first_name}.{survivor_last_name}{rng.randint(1, 99)}@example.invalid"
        born = None
        if rng.random() < 0.75:
            born = _years_before(today, rng.randint(19, 60)) - timedelta(days=rng.randint(0, 364))
        survivors.append(
            SurvivorDetails(
                first_name,
                survivor_last_name,
                relationship,
                phone=phones.next(),
                email=email.lower(),
                date_of_birth=born,
            )
        )
    return _Identity(
        first_name=rng.choice(PERPETRATOR_FIRST_NAMES),
        last_name=last_name,
        phone=phones.next() if rng.random() < 0.8 else "",
        source=source,
        referrer=referrer,
        survivors=survivors,
        has_children=rng.random() < 0.6,
    )


def _date_of_birth(fate: Fate, received: date, rng: random.Random) -> date:
    if fate == Fate.NOT_ACCEPTED_UNDER_18:
        return _years_before(received, 17) - timedelta(days=rng.randint(30, 300))
    if rng.random() < 0.1:  # 18 to 21: flagged for extra care (rule min-age)
        return _years_before(received, 18) - timedelta(days=rng.randint(30, 1000))
    return _years_before(received, rng.randint(22, 58)) - timedelta(days=rng.randint(0, 364))


def _children(
    identity: _Identity, born: date, received: date, rng: random.Random
) -> list[ChildDetails]:
    if not identity.has_children:
        return []
    lives_together = identity.survivors[0].relationship == Relationship.CURRENT_PARTNER
    children = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        child_born = received - timedelta(days=rng.randint(60, 16 * 365))
        if child_born <= _years_after(born, 18):
            continue  # he would have been a child himself
        children.append(
            ChildDetails(
                first_name=rng.choice(CHILD_FIRST_NAMES),
                relationship_to_perpetrator=rng.choice(
                    ["son", "daughter", "son", "daughter", "stepson", "stepdaughter"]
                ),
                last_name=rng.choice([identity.last_name, identity.survivors[0].last_name]),
                date_of_birth=child_born,
                lives_with_perpetrator=lives_together and rng.random() < 0.7,
            )
        )
    return children


def _screening(
    fate: Fate, *, rereferral: bool, children: bool, rng: random.Random
) -> ScreeningDetails:
    if fate == Fate.NOT_ACCEPTED_CJ_PENDING:
        criminal_justice = CriminalJustice.PRE_SENTENCE
    elif rereferral or rng.random() < 0.25:
        criminal_justice = CriminalJustice.CONCLUDED
    else:
        criminal_justice = CriminalJustice.NONE
    family = rng.choices(
        [FamilyProceedings.NONE, FamilyProceedings.WITHIN_12_MONTHS, FamilyProceedings.OLDER],
        weights=[80, 8, 12],
    )[0]
    social_services = children and rng.random() < 0.35
    barriers = rng.random() < 0.2
    return ScreeningDetails(
        criminal_justice=criminal_justice,
        family_proceedings=family,
        family_proceedings_judgement=(
            "Child arrangements order made two years ago; no current proceedings; suitable for "
            "a behaviour-change programme (synthetic)"
            if family == FamilyProceedings.OLDER
            else ""
        ),
        substance_use=rng.choice(
            ["", "", "", "Alcohol most evenings; referred to Example Recovery (synthetic)"]
        ),
        mental_health=rng.choice(["", "", "", "", "Low mood; GP aware (synthetic)"]),
        social_services_involved=social_services,
        social_worker_details=(
            "J. Example, Example Council children's services, "
            "social.work@council.example.invalid (synthetic)"
            if social_services
            else ""
        ),
        protected_characteristics_barriers=(
            "Dyslexia: finds written materials hard (synthetic)" if barriers else ""
        ),
        barriers_delivery_plan=(
            "Materials read aloud; one-to-one catch-up after each session (synthetic)"
            if barriers
            else ""
        ),
    )


def _assessment(
    fate: Fate, screening: ScreeningDetails, rng: random.Random, *, icm: bool = False
) -> AssessmentDetails:
    if fate == Fate.NOT_ACCEPTED_AT_ASSESSMENT:
        return AssessmentDetails(
            risk_summary="High risk; minimises every incident (synthetic)",
            need_summary="Housing and alcohol (synthetic)",
            responsivity_summary="Attends appointments late or not at all (synthetic)",
            motivation_summary="Denies any abuse and says the referral is unfair (synthetic)",
            accepted=False,
            decision_statement=(
                "Not accepted: he does not acknowledge any abusive behaviour and would not agree "
                "to the conditions, including partner contact (rule acceptance). The referrer was "
                "told and given alternatives (synthetic)."
            ),
        )
    # Behaviour-change is never offered within 12 months of private law proceedings.
    icm = (
        icm
        or screening.family_proceedings == FamilyProceedings.WITHIN_12_MONTHS
        or rng.random() < 0.25
    )
    intervention = InterventionType.ICM if icm else InterventionType.BEHAVIOUR_CHANGE
    return AssessmentDetails(
        risk_summary=rng.choice(
            [
                "Medium risk: repeated verbal abuse and controlling behaviour (synthetic)",
                "High risk: escalating incidents over the last year (synthetic)",
                "Medium risk: jealousy and monitoring of her phone (synthetic)",
            ]
        ),
        need_summary=rng.choice(
            ["Employment and debt (synthetic)", "Alcohol use (synthetic)", "Housing (synthetic)"]
        ),
        responsivity_summary=rng.choice(
            ["Works well in a group (synthetic)", "Prefers one-to-one at first (synthetic)"]
        ),
        motivation_summary=rng.choice(
            [
                "Wants to keep contact with his children (synthetic)",
                "Acknowledges some abuse and sees it as a problem (synthetic)",
            ]
        ),
        accepted=True,
        decision_statement=(
            "Eligible and suitable: acknowledges some abusive behaviour, sees it as a problem, "
            "accepts some responsibility and agrees the conditions including ISS contact with "
            f"survivors. Offered {InterventionType(intervention).label.lower()} (synthetic)."
        ),
        intervention_type=intervention,
    )


def _contact_steps(
    story: _CaseStory,
    *,
    position: int,
    referred_at: datetime,
    contact: _Contact,
    worker: User,
    rng: random.Random,
) -> datetime | None:
    """The ISS's attempts to reach her; returns when contact was settled (reached, or recorded
    as unsafe), or None while she has not been reached."""
    attempt = partial(story.at, action=story.attempt_contact, position=position, actor=worker)
    if contact == _Contact.UNREACHED:
        for offset in (1, 2, 3, 5, 7, 10, 13, 17, 22):
            outcome = rng.choice([AttemptOutcome.NO_ANSWER, AttemptOutcome.MESSAGE_LEFT])
            attempt(_working_days_after(referred_at, offset, rng), method="phone", outcome=outcome)
        return None
    settled_after = {
        _Contact.ACCEPTED: rng.randint(1, 4),
        _Contact.DECLINED: rng.randint(1, 4),
        _Contact.LATE: rng.randint(6, 9),
        _Contact.UNSAFE: rng.randint(2, 3),
    }[contact]
    failures = rng.randint(2, 4) if contact == _Contact.LATE else rng.randint(0, 2)
    moments = sorted(
        _working_days_after(referred_at, rng.randint(1, settled_after - 1), rng)
        if settled_after > 1
        else _minutes_after(referred_at, 20, 120, rng)
        for _ in range(failures)
    )
    for moment in moments:
        outcome = rng.choices(
            [
                AttemptOutcome.NO_ANSWER,
                AttemptOutcome.MESSAGE_LEFT,
                AttemptOutcome.NOT_SAFE_TO_TALK,
                AttemptOutcome.WRONG_NUMBER,
            ],
            weights=[50, 30, 15, 5],
        )[0]
        method = (
            "text" if outcome == AttemptOutcome.MESSAGE_LEFT and rng.random() < 0.3 else "phone"
        )
        attempt(moment, method=method, outcome=outcome)
    settled = _working_days_after(referred_at, settled_after, rng)
    if moments and settled <= moments[-1]:
        settled = _minutes_after(moments[-1], 30, 90, rng)
    if contact == _Contact.UNSAFE:
        story.at(
            settled,
            story.record_unsafe,
            position=position,
            actor=worker,
            reason=rng.choice(_UNSAFE_REASONS),
        )
        return settled
    declined = contact == _Contact.DECLINED or (contact == _Contact.LATE and rng.random() < 0.3)
    outcome = AttemptOutcome.SUPPORT_DECLINED if declined else AttemptOutcome.SUPPORT_ACCEPTED
    attempt(settled, method="phone", outcome=outcome)
    if not declined and rng.random() < 0.3:
        story.at(
            _minutes_after(settled, 5, 20, rng),
            story.set_safe_contact,
            position=position,
            actor=worker,
            preference=rng.choice(_SAFE_CONTACT),
        )
    return settled


def _story(
    plan: _CasePlan,
    *,
    received_at: datetime,
    now: datetime,
    service: Service,
    staff: _Staff,
) -> tuple[_CaseStory, datetime]:
    """The case's planned history from `received_at`, and when its last step for its fate is:
    its way through the lifecycle, then the records kept along the way."""
    story, last_step, course = _lifecycle_story(
        plan, received_at=received_at, now=now, service=service, staff=staff
    )
    # The records draw from their own generator, so the lifecycle is drawn as it was without them.
    rng = random.Random(f"{plan.seed}:records")
    _iss_risk_steps(story, plan=plan, course=course, service=service, staff=staff, now=now, rng=rng)
    _intervention_steps(story, plan=plan, course=course, now=now, rng=rng)
    return story, last_step


def _lifecycle_story(
    plan: _CasePlan,
    *,
    received_at: datetime,
    now: datetime,
    service: Service,
    staff: _Staff,
) -> tuple[_CaseStory, datetime, _Course]:
    """The case's way through the lifecycle from `received_at`, when its last step for its fate
    is, and what the records kept along the way need to know. Drawn from the plan's own seed, so
    moving the referral date redraws the same story."""
    rng = random.Random(plan.seed)
    fate, identity = plan.fate, plan.identity
    survivors = len(identity.survivors)
    original = plan.original.story if plan.original is not None else None
    if original is not None:
        born, children = original.details.date_of_birth, original.details.children
    else:
        born = _date_of_birth(fate, received_at.date(), rng)
        children = _children(identity, born, received_at.date(), rng)
    name, organisation, contact = identity.referrer
    story = _CaseStory(
        ReferralDetails(
            first_name=identity.first_name,
            last_name=identity.last_name,
            date_of_birth=born,
            received_at=received_at,
            source=identity.source,
            phone=identity.phone,
            referrer_name=name,
            referrer_organisation=organisation,
            referrer_contact=contact,
            survivors=identity.survivors,
            children=children,
        )
    )
    worker = rng.choice(staff.perpetrator_workers)
    senior = rng.choice([staff.service_manager, staff.practice_manager])
    demo_iss_worker, *other_iss_workers = staff.iss_workers
    if plan.demo_iss_worker_first:
        iss_workers = [demo_iss_worker, *rng.sample(other_iss_workers, k=survivors - 1)]
    else:
        iss_workers = rng.sample(staff.iss_workers, k=survivors)
    course = _Course(worker=worker, iss_workers=iss_workers)
    story.at(
        received_at, story.receive, service=service, actor=rng.choice(staff.perpetrator_workers)
    )
    last_step = received_at

    settled: list[datetime | None] = []
    for position, (contact_kind, late, iss_worker) in enumerate(
        zip(plan.contacts, plan.late_iss_referral, iss_workers, strict=True), start=1
    ):
        if contact_kind == _Contact.NOT_YET_REFERRED:
            settled.append(None)
            continue
        if late:
            referred_at = _working_days_after(received_at, rng.randint(2, 3), rng)
        else:
            # Before the end of the working day it arrived (referrals arrive by 17:00).
            end_of_day = datetime.combine(received_at.date(), time(17, 30), tzinfo=UK_TIME)
            latest = min(180, int((end_of_day - received_at).total_seconds() // 60))
            referred_at = _minutes_after(received_at, 15, max(15, latest), rng)
        story.at(
            referred_at - timedelta(minutes=2),
            story.allocate,
            position=position,
            actor=staff.service_manager,
            worker=iss_worker,
        )
        story.at(referred_at, story.refer_to_iss, position=position, actor=staff.service_manager)
        settled.append(
            _contact_steps(
                story,
                position=position,
                referred_at=referred_at,
                contact=contact_kind,
                worker=iss_worker,
                rng=rng,
            )
        )
    course.first_contacts = settled

    if fate not in _SCREENED_FATES:
        return story, last_step, course
    screening = _screening(fate, rereferral=original is not None, children=bool(children), rng=rng)
    screened_at = _working_days_after(received_at, rng.randint(1, 5), rng)
    story.at(screened_at, story.screen, actor=worker, screening=screening)
    last_step = screened_at
    if fate not in _ASSESSED_FATES:
        return story, last_step, course

    assessed_at = _working_days_after(screened_at, rng.randint(4, 12), rng)
    assessment = _assessment(fate, screening, rng, icm=_Extra.ICM in plan.extras)
    course.intervention_type = assessment.intervention_type
    story.at(assessed_at, story.assess, actor=worker, assessment=assessment)
    last_step = assessed_at
    if plan.outcome_told:
        told_late = rng.random() < 0.1
        for position, iss_worker in enumerate(iss_workers, start=1):
            told_at = (
                _working_days_after(assessed_at, 2, rng)
                if told_late
                else _minutes_after(assessed_at, 30, 150, rng)
            )
            story.at(told_at, story.tell_outcome, actor=iss_worker, position=position)
        told_at = (
            _working_days_after(assessed_at, 3, rng)
            if told_late
            else _minutes_after(assessed_at, 160, 300, rng)
        )
        story.at(told_at, story.tell_outcome, actor=worker, position=None)
    if fate == Fate.NOT_ACCEPTED_AT_ASSESSMENT:
        return story, last_step, course

    signed_at = (
        _minutes_after(assessed_at, 20, 90, rng)
        if rng.random() < 0.7
        else _working_days_after(assessed_at, rng.randint(1, 4), rng)
    )
    if fate == Fate.CONSENT_REFUSED:
        story.at(
            signed_at,
            story.record_consent,
            actor=worker,
            consent=ConsentDetails(None, refused=True),
        )
        return story, signed_at, course
    if fate == Fate.ASSESSED_AWAITING_START and rng.random() < 0.4:
        return story, last_step, course  # the agreement is still to be signed
    consent = ConsentDetails(
        signed_at.astimezone(UK_TIME).date(),
        covers_case_file_review=True,
        covers_recorded_sessions=True,
    )
    story.at(signed_at, story.record_consent, actor=worker, consent=consent)
    last_step = signed_at
    if fate not in _STARTED_FATES:
        return story, last_step, course

    ready = max([signed_at, *(moment for moment in settled if moment is not None)])
    started_at = _working_days_after(ready, rng.randint(2, 10), rng)
    story.at(started_at, story.start, actor=worker)
    last_step = started_at

    if fate in _CLOSURES:
        reason, (low, high), details = _CLOSURES[fate]
        closed_on = started_at.date() + timedelta(weeks=rng.randint(low, high))
        closed_at = _at_work(closed_on + timedelta(days=rng.randint(0, 4)), rng)
        story.at(closed_at, story.close, actor=worker, reason=reason, detail=rng.choice(details))
        course.attending = [(started_at, closed_at)]
        course.ended_case = True
        return story, closed_at, course
    course.attending = [(started_at, None)]
    if fate == Fate.IN_INTERVENTION:
        return story, last_step, course

    if fate == Fate.SUSPENSION_PROPOSED:
        # Proposed in the last few days: the ISS has been consulted, the survivors not yet told.
        proposed_on = _working_days_before(_local_date(now), plan.proposed_working_days_ago)
        proposed_at = _at_work(proposed_on, rng)
        proposed_at = max(proposed_at, _working_days_after(started_at, 5, rng))
    else:
        proposed_at = _at_work(started_at.date() + timedelta(weeks=rng.randint(4, 12)), rng)
    kind = SuspensionKind.REMOVAL if fate == Fate.DESELECTED else SuspensionKind.SUSPENSION
    reasons = _REMOVAL_REASONS if kind == SuspensionKind.REMOVAL else _SUSPENSION_REASONS
    story.at(proposed_at, story.propose, actor=worker, kind=kind, reason=rng.choice(reasons))
    consulted_at = _minutes_after(proposed_at, 60, 240, rng)
    story.at(consulted_at, story.consult_iss, actor=iss_workers[0])
    if fate == Fate.SUSPENSION_PROPOSED:
        return story, consulted_at, course
    informed_at = _working_days_after(consulted_at, rng.randint(1, 2), rng)
    story.at(informed_at, story.inform_survivors, actor=iss_workers[0])
    signed_off_at = _minutes_after(informed_at, 60, 300, rng)
    story.at(signed_off_at, story.sign_off, actor=senior)
    course.attending = [(started_at, signed_off_at)]
    course.ended_case = fate == Fate.DESELECTED
    if fate != Fate.REENGAGED:
        return story, signed_off_at, course
    reengaged_at = _at_work(signed_off_at.date() + timedelta(weeks=rng.randint(3, 8)), rng)
    story.at(reengaged_at, story.reengage, actor=worker)
    course.attending.append((reengaged_at, None))
    return story, reengaged_at, course


# The records kept along the way: his contact notes and risk assessments while he attends (rules
# record-1wd and risk-points), risk concerns for the ISS (rule concern-24h), and her DASH risk
# checklist, MARAC referral and risk notes for the perpetrator side (rules dash and
# survivor-confidentiality).

_SESSION, _CALL, _PROFESSIONAL, _MULTI_AGENCY, _SUPERVISION, _RISK_REVIEW = CONTACT_KINDS
_NOTES = {
    _SESSION: (
        "Attended the group session on jealousy and control and completed the exercise (synthetic)",
        "Attended; quiet in the group and spoke about his week only when asked (synthetic)",
        "Attended the session on parenting after abuse; reflected on an argument in front of the "
        "children (synthetic)",
        "Attended; challenged for blaming her for an incident and accepted the challenge "
        "(synthetic)",
        "One-to-one session: went through his time-out plan and when he last used it (synthetic)",
        "Attended late after a shift; caught up on the homework afterwards (synthetic)",
    ),
    _CALL: (
        "Phoned to move next week's session because of a shift change (synthetic)",
        "Reminder call about the session; he confirmed he will attend (synthetic)",
    ),
    _PROFESSIONAL: (
        "Spoke with his probation officer about his attendance (synthetic)",
        "Update from the children's social worker on contact arrangements (synthetic)",
    ),
    _MULTI_AGENCY: (
        "Discussed at the multi-agency meeting; no new actions for this service (synthetic)",
    ),
    _SUPERVISION: ("Case discussed in supervision: focus on his minimising (synthetic)",),
    _RISK_REVIEW: ("Reviewed his needs: referred on for debt advice (synthetic)",),
}
# Besides the weekly session: how often in a week each other kind of contact happens.
_OCCASIONAL_CONTACTS = (
    (_CALL, 0.2),
    (_PROFESSIONAL, 0.08),
    (_SUPERVISION, 0.05),
    (_RISK_REVIEW, 0.04),
    (_MULTI_AGENCY, 0.03),
)
_LATE_NOTE_CHANCE = 0.01

_RISK_SUMMARIES = {
    RiskPoint.INTAKE: (
        "Medium risk: controlling behaviour and monitoring of her phone (synthetic)",
        "High risk: escalating incidents over the last year and separation pending (synthetic)",
        "Medium risk: verbal abuse when drinking; he acknowledges some of it (synthetic)",
    ),
    RiskPoint.HALFWAY: (
        "Medium risk, unchanged: engaging but still minimising (synthetic)",
        "Risk reduced from high to medium: no incidents reported since the start (synthetic)",
    ),
    RiskPoint.END: (
        "Medium risk at the end: uses his time-out plan, still jealous at times (synthetic)",
        "Risk remains high: left the intervention without addressing the abuse (synthetic)",
    ),
    RiskPoint.EVENT: (
        "Risk raised to high until the police and the ISS have acted (synthetic)",
        "Risk reviewed: medium, with closer monitoring of contact arrangements (synthetic)",
    ),
}
_RISK_ACTIONS = (
    "Work on his time-out plan in one-to-one sessions (synthetic)",
    "Check contact arrangements with the children's social worker (synthetic)",
    "Refer to Example Recovery for his alcohol use (synthetic)",
    "Go through his use of her phone and social media in the next session (synthetic)",
    "Share the assessment with the ISS (synthetic)",
)
_HIS_COMMENTS = (
    "",
    "He said the assessment was fair (synthetic)",
    "He disagreed with the level of risk but accepted the plan (synthetic)",
)
_NOT_TOLD_REASONS = (
    "Telling him could raise the risk to her: the ISS advises waiting until she has moved "
    "(synthetic)",
)
_REENGAGED_EVENT = "Re-engaged after a suspension: risk reviewed before he rejoins (synthetic)"
_CONCERNS = {
    False: (
        "In the group he spoke of tracking her location through a shared phone app (synthetic)",
        "He said he has been driving past her new address to 'check on the children' (synthetic)",
    ),
    True: (
        "He said after the session that he would 'sort out' her new partner tonight (synthetic)",
    ),
}
_RISK_NOTES = (
    "She says he has been waiting near her workplace at the end of the day; police informed "
    "(synthetic)",
    "She reports messages from him through a new account, against his bail conditions (synthetic)",
    "She is worried about his drinking before child contact handovers (synthetic)",
)
_INCIDENTS = (
    "Turned up at her door shouting; left before the police arrived (synthetic)",
    "Repeated calls and messages through the night (synthetic)",
    "Pushed her during a child contact handover (synthetic)",
)
_DASH_CHANCE = 0.12  # of the other survivors first reached and supported


def _recorded_at(occurred_at: datetime, *, late: bool, rng: random.Random) -> datetime:
    """When a contact is recorded: mostly the same day, some the next working day before the
    1 working day is up (rule record-1wd), and late ones 2 to 4 working days after."""
    if late:
        return _working_days_after(occurred_at, rng.randint(2, 4), rng)
    if rng.random() < 0.75:
        return _minutes_after(occurred_at, 20, 240, rng)
    due = due_after_working_days(start=occurred_at, working_days=1, jurisdiction=JURISDICTION)
    first_thing = due.replace(hour=8, minute=30)
    spare = int((due - first_thing).total_seconds() // 60)
    return first_thing + timedelta(minutes=rng.randint(0, max(0, spare - 1)))


def _contact_note_steps(
    story: _CaseStory, *, plan: _CasePlan, course: _Course, now: datetime, rng: random.Random
) -> None:
    """A session every week he attends, and the odd call, professional contact, supervision or
    multi-agency meeting, each recorded by his worker."""
    for started_at, left_at in course.attending:
        until = left_at or now
        for week in itertools.count():
            week_starts = _local_date(started_at) + timedelta(weeks=week)
            if week_starts >= _local_date(until):
                break
            kinds = [_SESSION] + [
                kind for kind, chance in _OCCASIONAL_CONTACTS if rng.random() < chance
            ]
            for kind in kinds:
                occurred_at = _at_work(week_starts + timedelta(days=rng.randint(1, 4)), rng)
                if occurred_at >= until:
                    continue
                late = rng.random() < _LATE_NOTE_CHANCE or (
                    _Extra.LATE_NOTE in plan.extras and week == 2 and kind == _SESSION
                )
                story.at(
                    _recorded_at(occurred_at, late=late, rng=rng),
                    story.record_note,
                    actor=course.worker,
                    occurred_at=occurred_at,
                    kind=kind,
                    note=rng.choice(_NOTES[kind]),
                )


def _planned_risk(
    point: RiskPoint,
    at: datetime,
    rng: random.Random,
    *,
    next_due_on: date | None = None,
    event: str = "",
) -> _RiskAssessment:
    """An assessment with an action or two for his action plan, due in the coming weeks; he is
    told the outcome unless that is unsafe for her (rule outcome-comment)."""
    today = _local_date(at)
    actions = [
        PlannedAction(action, today + timedelta(weeks=rng.randint(2, 8)))
        for action in rng.sample(_RISK_ACTIONS, k=rng.randint(1, 2))
    ]
    told = rng.random() >= 0.1
    return _RiskAssessment(
        point=point,
        summary=rng.choice(_RISK_SUMMARIES[point]),
        actions=actions,
        told=told,
        his_comment=rng.choice(_HIS_COMMENTS) if told else "",
        not_told_reason="" if told else rng.choice(_NOT_TOLD_REASONS),
        event_description=event,
        next_due_on=next_due_on,
    )


def _while_attending(
    moment: datetime, attending: list[tuple[datetime, datetime | None]], rng: random.Random
) -> datetime | None:
    """`moment`, or his return if he is suspended then, or None if he has left by then."""
    for started_at, left_at in attending:
        if moment < started_at:
            return _working_days_after(started_at, rng.randint(1, 5), rng)
        if left_at is None or moment < left_at:
            return moment
    return None


def _risk_assessment_steps(
    story: _CaseStory, *, plan: _CasePlan, course: _Course, rng: random.Random
) -> None:
    """Rule risk-points: intake at the start; for behaviour-change, half-way at 13 weeks (a few
    recorded late) and the end at 26 weeks, or at the programme's last session; an end
    assessment whenever he leaves, and an event assessment when he re-engages."""
    started_at, _ = course.attending[0]
    left_at = course.attending[-1][1]
    behaviour_change = course.intervention_type == InterventionType.BEHAVIOUR_CHANGE
    halfway_on = _working_day_on_or_after(_local_date(started_at) + timedelta(weeks=13))
    end_on = _working_day_on_or_after(_local_date(started_at) + timedelta(weeks=26))
    if plan.fate == Fate.COMPLETED and left_at is not None:
        end_on = _local_date(left_at)
    end_at = None
    if course.ended_case and left_at is not None:
        end_at = left_at - timedelta(minutes=rng.randint(20, 90))

    intake_at = _minutes_after(started_at, 30, 120, rng)
    story.at(
        intake_at,
        story.assess_risk,
        actor=course.worker,
        assessment=_planned_risk(
            RiskPoint.INTAKE, intake_at, rng, next_due_on=halfway_on if behaviour_change else None
        ),
    )
    if behaviour_change:
        if rng.random() < 0.1:
            due = datetime.combine(halfway_on, time(17, 0), tzinfo=UK_TIME)
            planned_at = _working_days_after(due, rng.randint(1, 4), rng)
        else:
            planned_at = _at_work(_working_days_before(halfway_on, rng.randint(0, 3)), rng)
        halfway_at = _while_attending(planned_at, course.attending, rng)
        if halfway_at is not None and (end_at is None or halfway_at < end_at):
            # The end assessment follows at least four weeks after the half-way one.
            next_due_on = max(end_on, _local_date(halfway_at) + timedelta(weeks=4))
            story.at(
                halfway_at,
                story.assess_risk,
                actor=course.worker,
                assessment=_planned_risk(
                    RiskPoint.HALFWAY, halfway_at, rng, next_due_on=next_due_on
                ),
            )
    for resumed_at, _ in course.attending[1:]:
        assessed_at = _minutes_after(resumed_at, 30, 120, rng)
        story.at(
            assessed_at,
            story.assess_risk,
            actor=course.worker,
            assessment=_planned_risk(RiskPoint.EVENT, assessed_at, rng, event=_REENGAGED_EVENT),
        )
    if end_at is not None:
        story.at(
            end_at,
            story.assess_risk,
            actor=course.worker,
            assessment=_planned_risk(RiskPoint.END, end_at, rng),
        )


def _risk_concern_steps(
    story: _CaseStory, *, plan: _CasePlan, course: _Course, now: datetime, rng: random.Random
) -> None:
    """Rule concern-24h: raised part-way through his first period of attending; each
    survivor's ISS worker acts on it (at once when imminent), and his worker reassesses."""
    for extra, imminent in ((_Extra.RISK_CONCERN, False), (_Extra.IMMINENT_CONCERN, True)):
        if extra not in plan.extras:
            continue
        started_at, left_at = course.attending[0]
        raised_at = _at_work(_local_date(started_at + ((left_at or now) - started_at) * 0.4), rng)
        concern = rng.choice(_CONCERNS[imminent])
        story.at(
            raised_at, story.raise_concern, actor=course.worker, concern=concern, imminent=imminent
        )
        for position, iss_worker in enumerate(course.iss_workers, start=1):
            acted_at = (
                _minutes_after(raised_at, 5, 15, rng)
                if imminent
                else _minutes_after(raised_at, 60, 300, rng)
            )
            story.at(acted_at, story.act_on_concern, position=position, actor=iss_worker)
        assessed_at = _minutes_after(raised_at, 60, 180, rng)
        story.at(
            assessed_at,
            story.assess_risk,
            actor=course.worker,
            assessment=_planned_risk(
                RiskPoint.EVENT,
                assessed_at,
                rng,
                event=f"Risk concern raised with the ISS: {concern}",
            ),
        )


def _intervention_steps(
    story: _CaseStory, *, plan: _CasePlan, course: _Course, now: datetime, rng: random.Random
) -> None:
    if not course.attending:
        return
    _contact_note_steps(story, plan=plan, course=course, now=now, rng=rng)
    _risk_assessment_steps(story, plan=plan, course=course, rng=rng)
    _risk_concern_steps(story, plan=plan, course=course, now=now, rng=rng)


def _dash_answers(yes: int, rng: random.Random) -> dict[int, str]:
    """Answers to every DASH question with `yes` of them answered yes."""
    instrument = instrument_get(instrument_id=DASH_INSTRUMENT_ID)
    counted = instrument.counts_answer
    assert counted is not None, "the DASH is a checklist scored by its yes answers"
    numbers = sorted(instrument.question_numbers)
    others = [answer for answer in instrument.answer_ids if answer != counted]
    yeses = set(rng.sample(numbers, k=yes))
    return {number: counted if number in yeses else rng.choice(others) for number in numbers}


def _iss_risk_steps(
    story: _CaseStory,
    *,
    plan: _CasePlan,
    course: _Course,
    service: Service,
    staff: _Staff,
    now: datetime,
    rng: random.Random,
) -> None:
    """The first survivor's DASH at first contact, for the cases forced to have one and a few
    others; at the visible high-risk threshold, her MARAC referral follows within a day or so."""
    extras = plan.extras & _DASH_EXTRAS
    reached_at = course.first_contacts[0] if course.first_contacts else None
    if plan.contacts[0] != _Contact.ACCEPTED or reached_at is None:
        return
    if not extras and rng.random() >= _DASH_CHANCE:
        return
    worker = course.iss_workers[0]
    threshold = service.dash_high_risk_threshold
    if _Extra.DASH_HIGH_RISK in extras:
        yes = rng.randint(threshold + 1, threshold + 4)
    elif extras:
        yes = rng.randint(3, threshold - 4)
    else:
        yes = rng.randint(2, threshold + 2)
    assessed_at = _minutes_after(reached_at, 15, 90, rng)
    story.at(
        assessed_at, story.assess_dash, position=1, actor=worker, answers=_dash_answers(yes, rng)
    )
    shared_after = assessed_at
    if yes >= threshold:
        referred_at = (
            _working_days_after(assessed_at, 1, rng)
            if rng.random() < 0.7
            else _minutes_after(assessed_at, 30, 120, rng)
        )
        story.at(referred_at, story.refer_to_marac, position=1, actor=worker)
        shared_after = referred_at
    if extras & {_Extra.DASH_HIGH_RISK, _Extra.DASH_STANDARD}:
        _released_risk_note_steps(
            story, course=course, after=shared_after, approver=staff.service_manager, rng=rng
        )
    if _Extra.DASH_ESCALATING in extras:
        _escalation_steps(story, course=course, first_dash_at=assessed_at, now=now, rng=rng)


def _released_risk_note_steps(
    story: _CaseStory,
    *,
    course: _Course,
    after: datetime,
    approver: User,
    rng: random.Random,
) -> None:
    """A risk note for his worker, written once he attends and released the same day: approved
    by the ISS manager and, for intensive case management, by the service manager too (R22-I
    B3.3). The demo service manager works on both sides, so gives each approval in turn."""
    worker = course.iss_workers[0]
    written_at = _working_days_after(max(after, course.attending[0][0]), rng.randint(1, 3), rng)
    story.at(
        written_at,
        story.write_risk_note,
        position=1,
        actor=worker,
        note=rng.choice(_RISK_NOTES),
    )
    approved_at = _minutes_after(written_at, 30, 180, rng)
    story.at(approved_at, story.approve_risk_note, actor=approver)
    if course.intervention_type == InterventionType.ICM:
        story.at(_minutes_after(approved_at, 5, 60, rng), story.approve_risk_note, actor=approver)


def _escalation_steps(
    story: _CaseStory,
    *,
    course: _Course,
    first_dash_at: datetime,
    now: datetime,
    rng: random.Random,
) -> None:
    """Three incidents since her first DASH, then another DASH two working days ago meeting the
    potential-escalation criterion: her MARAC referral is overdue today. A risk note written
    yesterday still awaits the ISS manager's approval."""
    worker = course.iss_workers[0]
    today = _local_date(now)
    dash_at = _at_work(_working_days_before(today, 2), rng)
    for fraction, summary in zip((0.3, 0.6, 0.85), _INCIDENTS, strict=True):
        recorded_on = _local_date(first_dash_at + (dash_at - first_dash_at) * fraction)
        recorded_at = min(_at_work(recorded_on, rng), dash_at - timedelta(hours=1))
        story.at(
            recorded_at,
            story.record_incident,
            position=1,
            actor=worker,
            occurred_on=_local_date(recorded_at) - timedelta(days=rng.randint(0, 2)),
            summary=summary,
        )
    story.at(
        dash_at,
        story.assess_dash,
        position=1,
        actor=worker,
        answers=_dash_answers(rng.randint(5, 10), rng),
    )
    story.at(
        _at_work(_working_days_before(today, 1), rng),
        story.write_risk_note,
        position=1,
        actor=worker,
        note=rng.choice(_RISK_NOTES),
    )


def _fate_counts(size: int) -> dict[Fate, int]:
    """One case of every fate, and the rest shared out by weight (the full size is exact)."""
    if size < MIN_SIZE:
        raise ValueError(f"the demo needs at least {MIN_SIZE} cases, one of each fate")
    spare = size - MIN_SIZE
    spare_weight = sum(spec.weight - 1 for spec in FATES.values())
    counts = {
        fate: 1 + round((spec.weight - 1) * spare / spare_weight) for fate, spec in FATES.items()
    }
    counts[Fate.IN_INTERVENTION] += size - sum(counts.values())
    return counts


def _plans(size: int, rng: random.Random, today: date) -> list[_CasePlan]:
    """Every case's fate and people, with the breaches the worklist should show forced onto the
    first case of a fate so that even the smallest demo has each of them."""
    phones = _Phones(rng)
    plans = []
    for fate, count in _fate_counts(size).items():
        for index in range(count):
            identity = _identity(rng, phones, today)
            survivors = len(identity.survivors)
            plan = _CasePlan(
                fate=fate,
                seed=rng.randrange(2**32),
                identity=identity,
                contacts=_contacts(rng, survivors),
                late_iss_referral=[rng.random() < 0.05 for _ in range(survivors)],
                received_days_ago=FATES[fate].received_days_ago,
            )
            first = index == 0
            if fate == Fate.REFERRED and first:
                # Received two to four days ago and still not passed to the ISS: overdue.
                plan.contacts = [_Contact.NOT_YET_REFERRED] * survivors
                plan.received_days_ago = (2, 4)
            if fate == Fate.SUSPENSION_PROPOSED:
                # Telling the survivors is due 3 working days after the proposal: the first is
                # due soon, the others overdue.
                plan.proposed_working_days_ago = 2 if first else rng.randint(4, 6)
                plan.demo_iss_worker_first = True
            if fate == Fate.ASSESSED_CONTACT_PENDING:
                plan.contacts[0] = _Contact.UNREACHED
            if fate == Fate.ASSESSED_AWAITING_START and first:
                plan.outcome_told = False
            if fate == Fate.COMPLETED and first:
                plan.late_iss_referral[0] = True
            if fate == Fate.DROPPED_OUT and first:
                plan.contacts[0] = _Contact.LATE
            if fate == Fate.NOT_ACCEPTED_CJ_PENDING and first:
                plan.received_days_ago = (330, 400)
            if fate == Fate.NOT_ACCEPTED_AT_ASSESSMENT and first:
                plan.received_days_ago = (535, 545)  # the start of the 18 months
            plans.append(plan)
    # He re-refers once the proceedings have concluded: the same man and the same survivors.
    original = next(plan for plan in plans if plan.fate == Fate.NOT_ACCEPTED_CJ_PENDING)
    rereferral = next(plan for plan in plans if plan.fate == Fate.IN_INTERVENTION)
    rereferral.original = original
    rereferral.identity = original.identity
    rereferral.contacts = _contacts(rng, len(original.identity.survivors))
    rereferral.late_iss_referral = [False] * len(original.identity.survivors)
    rereferral.received_days_ago = (120, 160)
    for fate, extras in _FORCED_EXTRAS.items():
        plan = next(plan for plan in plans if plan.fate == fate)
        plan.extras = extras
        if extras & _DASH_EXTRAS:
            plan.contacts[0] = _Contact.ACCEPTED  # the ISS supports her, so assesses her risk
    return plans


_DASH_EXTRAS = {_Extra.DASH_HIGH_RISK, _Extra.DASH_STANDARD, _Extra.DASH_ESCALATING}
# On the first case of each fate. The escalating DASH is on a case whose survivor the demo ISS
# sign-in supports, so that her open MARAC referral task is on its "My work".
_FORCED_EXTRAS = {
    Fate.IN_INTERVENTION: {_Extra.DASH_HIGH_RISK, _Extra.LATE_NOTE, _Extra.RISK_CONCERN},
    Fate.SUSPENSION_PROPOSED: {_Extra.DASH_ESCALATING},
    Fate.REENGAGED: {_Extra.IMMINENT_CONCERN},
    Fate.COMPLETED: {_Extra.DASH_STANDARD, _Extra.ICM},
    Fate.DROPPED_OUT: {_Extra.RISK_CONCERN},
}


def _contacts(rng: random.Random, survivors: int) -> list[_Contact]:
    return [
        rng.choices(
            [_Contact.ACCEPTED, _Contact.DECLINED, _Contact.LATE, _Contact.UNSAFE],
            weights=[66, 20, 6, 8],
        )[0]
        for _ in range(survivors)
    ]


def _schedule(
    plan: _CasePlan, *, now: datetime, rng: random.Random, service: Service, staff: _Staff
) -> _CaseStory:
    """Place the story so that its fate is reached before today, moving the referral earlier
    as far as needed."""
    low, high = plan.received_days_ago
    received_at = _at_work(
        _working_day_on_or_before(_local_date(now) - timedelta(days=rng.randint(low, high))), rng
    )
    while True:
        story, last_step = _story(
            plan, received_at=received_at, now=now, service=service, staff=staff
        )
        if last_step <= now - timedelta(minutes=10):
            return story
        overshoot = max(1, (last_step - now).days + 1)
        earlier = _working_day_on_or_before(received_at.date() - timedelta(days=overshoot))
        received_at = datetime.combine(earlier, received_at.timetz())


# The service's own records: case management reviews (rule case-review) and case-file audits
# (rule file-audit), each made once every case's story has been replayed, from the dates recorded.

_DECISIONS_BEFORE_START = (
    "Screening and assessment on track; ISS contact in progress (synthetic)",
    "Assessed; waiting for a place in the next group (synthetic)",
    "Referrer asked for the police call-out history before assessment (synthetic)",
)
_DECISIONS_DURING = (
    "Risk and progress reviewed with the ISS; plan unchanged (synthetic)",
    "ISS update on her safety shared; keep the current risk level (synthetic)",
    "Some minimising in sessions; focus on accountability next month (synthetic)",
    "Attendance patchy; worker to agree a plan with him (synthetic)",
)
_REVIEW_ACTIONS = (
    "Worker to update the risk assessment after the next session (synthetic)",
    "ISS to check her safety plan before the next meeting (synthetic)",
    "Ask the children's social worker for an update (synthetic)",
)
_AUDIT_FINDINGS = (
    "Consent, screening and ISS contact outcomes complete in every file; two contact notes "
    "recorded late (synthetic)",
    "Risk assessments up to date with action plans; session notes thin in one file (synthetic)",
    "One file missing the children's social worker details; otherwise complete (synthetic)",
)
_AUDIT_FEEDBACK = (
    "Fed back to each worker in supervision, with a reminder to record within 1 working day "
    "(synthetic)",
    "Feedback given at the team meeting and to the workers concerned (synthetic)",
)


def _review_entry(case: PerpetratorCase, held_on: date, rng: random.Random) -> ReviewEntry:
    started_at = case.intervention_started_at
    started = started_at is not None and _local_date(started_at) <= held_on
    return ReviewEntry(
        case=case,
        decisions=rng.choice(_DECISIONS_DURING if started else _DECISIONS_BEFORE_START),
        actions=rng.choice(_REVIEW_ACTIONS) if rng.random() < 0.2 else "",
    )


def _case_reviews_record(
    *, service: Service, staff: _Staff, first_referral_on: date, now: datetime, rng: random.Random
) -> None:
    """Monthly while the service has open cases, chaired in turn by the service and practice
    managers with a perpetrator worker and an ISS worker, every case open that day considered.
    The last was six weeks ago: the next one is overdue today, the missed review the worklist
    shows."""
    held = [_working_day_on_or_before(_local_date(now) - timedelta(weeks=6))]
    while True:
        earlier = _working_day_on_or_after(held[-1] - relativedelta(months=1))
        if earlier < first_referral_on or not open_cases_at(service=service, on=earlier).exists():
            break
        held.append(earlier)
    previous_on: date | None = None
    for number, held_on in enumerate(reversed(held)):
        chair = staff.service_manager if number % 2 == 0 else staff.practice_manager
        case_review_meeting_record(
            service=service,
            actor=chair,
            held_on=held_on,
            chair=chair,
            attendees=[rng.choice(staff.perpetrator_workers), rng.choice(staff.iss_workers)],
            entries=[
                _review_entry(case, held_on, rng)
                for case in open_cases_at(service=service, on=held_on)
            ],
            previous_actions_reviewed=(
                f"Actions from {previous_on:%d %B %Y} reviewed: done, or carried forward "
                "(synthetic)"
                if previous_on
                else ""
            ),
            now=datetime.combine(held_on, time(16, 30), tzinfo=UK_TIME),
        )
        previous_on = held_on


def _file_audits_record(
    *, service: Service, staff: _Staff, first_referral_on: date, now: datetime, rng: random.Random
) -> None:
    """By the practice manager every six to eight weeks while there are files, once more than
    eight weeks apart, six files sampled each time. The last was ten weeks ago: the next one is
    overdue today."""
    audited = [_working_day_on_or_before(_local_date(now) - timedelta(weeks=10))]
    while True:
        gap = timedelta(days=rng.randint(63, 66) if len(audited) == 3 else rng.randint(42, 56))
        earlier = _working_day_on_or_after(audited[-1] - gap)
        if (
            earlier < first_referral_on
            or not file_audit_candidates(service=service, today=earlier).exists()
        ):
            break
        audited.append(earlier)
    for audited_on in reversed(audited):
        files = list(file_audit_candidates(service=service, today=audited_on))
        file_audit_record(
            service=service,
            actor=staff.practice_manager,
            audited_on=audited_on,
            sample=rng.sample(files, k=min(6, len(files))),
            findings=rng.choice(_AUDIT_FINDINGS),
            feedback=rng.choice(_AUDIT_FEEDBACK),
            now=datetime.combine(audited_on, time(15, 0), tzinfo=UK_TIME),
        )


_EXCHANGE_SUMMARIES = (
    "No change in risk this week; attendance steady in both groups (synthetic)",
    "Two men missed a session; the ISS will tell their partners (synthetic)",
    "The ISS reports one survivor feels less safe; his worker will review his risk (synthetic)",
    "New referrals this week; ISS contact with their partners under way (synthetic)",
    "One man back after a suspension; the ISS has updated his partner's safety plan (synthetic)",
    "Lost contact with one man; the ISS has told his partner and checked her plan (synthetic)",
)


def _exchanges_record(
    *, service: Service, staff: _Staff, first_referral_on: date, now: datetime, rng: random.Random
) -> None:
    """Rule weekly-exchange (R08 B3.5): a perpetrator worker and an ISS worker exchange the
    week's changes in risk and engagement, from the first referral on, never more than a week
    apart, until ten days ago: last week's was missed, so the next one is overdue today, the
    gap the service manager's work list shows."""
    held = [_working_day_on_or_before(_local_date(now) - timedelta(days=10))]
    while (earlier := _working_day_on_or_after(held[-1] - timedelta(weeks=1))) >= (
        first_referral_on
    ):
        held.append(earlier)
    for held_on in reversed(held):
        perpetrator_side_person = rng.choice(staff.perpetrator_workers)
        risk_engagement_exchange_record(
            service=service,
            actor=perpetrator_side_person,
            held_on=held_on,
            perpetrator_side_person=perpetrator_side_person,
            iss_side_person=rng.choice(staff.iss_workers),
            summary=rng.choice(_EXCHANGE_SUMMARIES),
            now=datetime.combine(held_on, time(15, 30), tzinfo=UK_TIME),
        )


def _staff_create(*, service: Service, started_on: date) -> _Staff:
    demo_memberships_ensure(service=service, started_on=started_on)
    extra: dict[Role, list[User]] = {Role.PERPETRATOR_WORKER: [], Role.ISS_WORKER: []}
    for number, (role, side, first_name, last_name) in enumerate(EXTRA_STAFF, start=1):
        user, created = User.objects.get_or_create(
            username=f"example-{role.value}-{number}",
            defaults={"first_name": first_name, "last_name": f"{last_name} (synthetic)"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        StaffMembership.objects.get_or_create(
            user=user,
            service=service,
            ended_on=None,
            defaults={"side": side, "started_on": started_on},
        )
        extra[role].append(user)
    return _Staff(
        perpetrator_workers=[demo_user(Role.PERPETRATOR_WORKER), *extra[Role.PERPETRATOR_WORKER]],
        iss_workers=[demo_user(Role.ISS_WORKER), *extra[Role.ISS_WORKER]],
        service_manager=demo_user(Role.SERVICE_MANAGER),
        practice_manager=demo_user(Role.PRACTICE_MANAGER),
    )


def demo_service_get() -> Service | None:
    return Service.objects.filter(organisation__name=ORGANISATION_NAME, name=SERVICE_NAME).first()


def demo_service_summary(
    *, service: Service, now: datetime, already_loaded: bool
) -> DemoServiceSummary:
    stages = Counter(
        PerpetratorCase.objects.filter(service=service).values_list("stage", flat=True)
    )
    open_tasks = DueTask.objects.filter(service=service, completed_at__isnull=True)
    return DemoServiceSummary(
        already_loaded=already_loaded,
        cases_by_stage={stage.label: stages[stage.value] for stage in Stage},
        survivors=Survivor.objects.filter(service=service).count(),
        children=Child.objects.filter(case__service=service).count(),
        open_tasks=open_tasks.count(),
        overdue_tasks=open_tasks.filter(due_at__lt=now).count(),
    )


def demo_service_load(
    *, today: datetime | None = None, size: int = FULL_SIZE
) -> DemoServiceSummary:
    """Load the demo service with `size` perpetrator cases and 18 months of history up to
    `today`, unless it is already loaded. Needs the demo sign-ins (`demo_users_create`) first;
    refused unless DEBUG is on."""
    if not settings.DEBUG:
        raise DemoRefused(
            "demo data is loaded only with DEBUG=true: demo accounts share a published password"
        )
    now = today or timezone.now()
    started_on = _local_date(now - HISTORY - timedelta(days=30))
    existing = demo_service_get()
    if existing is not None:
        demo_memberships_ensure(service=existing, started_on=started_on)
        return demo_service_summary(service=existing, now=now, already_loaded=True)
    with transaction.atomic():
        organisation, _ = Organisation.objects.get_or_create(name=ORGANISATION_NAME)
        service = Service.objects.create(
            organisation=organisation,
            name=SERVICE_NAME,
            jurisdiction=JURISDICTION,
            offers_behaviour_change=True,
            offers_icm=True,
            delivery=Delivery.BOTH,
            iss_provision=IssProvision.INTERNAL,
        )
        staff = _staff_create(service=service, started_on=started_on)
        # Before any allocation: a worker without a current criminal record check is refused.
        demo_workforce(service=service, now=now)
        rng = random.Random(SEED)
        plans = _plans(size, rng, _local_date(now))
        # An original referral is placed before its re-referral, which reuses its dates of birth.
        for plan in sorted(plans, key=lambda plan: plan.original is not None):
            plan.story = _schedule(plan, now=now, rng=rng, service=service, staff=staff)
        stories = [plan.story for plan in plans if plan.story is not None]
        for story in sorted(stories, key=lambda story: story.details.received_at):
            story.replay(until=now)
        first_referral_on = _local_date(min(story.details.received_at for story in stories))
        _case_reviews_record(
            service=service, staff=staff, first_referral_on=first_referral_on, now=now, rng=rng
        )
        _file_audits_record(
            service=service, staff=staff, first_referral_on=first_referral_on, now=now, rng=rng
        )
        _exchanges_record(
            service=service, staff=staff, first_referral_on=first_referral_on, now=now, rng=rng
        )
        demo_delivery(service=service, now=now)
        # The practice manager carries no caseload, so may be the case management lead.
        demo_governance(
            service=service,
            now=now,
            manager=staff.service_manager,
            staff=[staff.perpetrator_workers[0], staff.practice_manager],
        )
    return demo_service_summary(service=service, now=now, already_loaded=False)
