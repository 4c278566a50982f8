"""Every case's plan: where its story has got to by today (its fate), who it is about, how the
ISS's first contact with each survivor goes, and the breaches and risk records forced onto the
first case of a fate so that even the smallest demo has each of them."""

import random
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from tandem.demo.people import Identity, Phones, synthetic_identity
from tandem.demo.story import CaseStory


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
class FateSpec:
    weight: int  # cases with this fate in the full-size demo
    received_days_ago: tuple[int, int]


FATES: dict[Fate, FateSpec] = {
    Fate.REFERRED: FateSpec(8, (0, 6)),
    Fate.SCREENED: FateSpec(10, (8, 45)),
    Fate.ASSESSED_AWAITING_START: FateSpec(10, (20, 70)),
    Fate.ASSESSED_CONTACT_PENDING: FateSpec(4, (15, 40)),
    Fate.IN_INTERVENTION: FateSpec(38, (50, 230)),
    Fate.SUSPENSION_PROPOSED: FateSpec(2, (60, 200)),
    Fate.REENGAGED: FateSpec(2, (150, 250)),
    Fate.SUSPENDED: FateSpec(4, (90, 200)),
    Fate.NOT_ACCEPTED_CJ_PENDING: FateSpec(7, (10, 540)),
    Fate.NOT_ACCEPTED_UNDER_18: FateSpec(2, (10, 540)),
    Fate.NOT_ACCEPTED_AT_ASSESSMENT: FateSpec(8, (20, 540)),
    Fate.CONSENT_REFUSED: FateSpec(3, (20, 540)),
    Fate.COMPLETED: FateSpec(30, (260, 500)),
    Fate.DROPPED_OUT: FateSpec(14, (90, 520)),
    Fate.MOVED: FateSpec(5, (90, 520)),
    Fate.CUSTODY: FateSpec(5, (90, 520)),
    Fate.OTHER: FateSpec(3, (90, 520)),
    Fate.DESELECTED: FateSpec(5, (120, 520)),
}
MIN_SIZE = len(FATES)


class Contact(Enum):
    """How the ISS's first contact with a survivor goes."""

    ACCEPTED = "support accepted"
    DECLINED = "support declined"
    LATE = "reached after 5 working days"
    UNSAFE = "unsafe or impossible"
    UNREACHED = "not yet reached"
    NOT_YET_REFERRED = "details not yet passed to the ISS"


class Extra(Enum):
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


@dataclass
class CasePlan:
    fate: Fate
    seed: int
    identity: Identity
    contacts: list[Contact]
    late_iss_referral: list[bool]
    outcome_told: bool = True
    proposed_working_days_ago: int = 3  # for a suspension proposed and not yet signed off
    demo_iss_worker_first: bool = False  # so the demo ISS sign-in has this case's tasks
    received_days_ago: tuple[int, int] = (0, 0)
    extras: set[Extra] = field(default_factory=set)
    # A re-referral of a man first not accepted while pre-sentence (rule cj-pending).
    original: "CasePlan | None" = None
    story: "CaseStory | None" = None


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


def case_plans(size: int, rng: random.Random, today: date) -> list[CasePlan]:
    """Every case's fate and people, with the breaches the worklist should show forced onto the
    first case of a fate so that even the smallest demo has each of them."""
    phones = Phones(rng)
    plans = []
    for fate, count in _fate_counts(size).items():
        for index in range(count):
            identity = synthetic_identity(rng, phones, today)
            survivors = len(identity.survivors)
            plan = CasePlan(
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
                plan.contacts = [Contact.NOT_YET_REFERRED] * survivors
                plan.received_days_ago = (2, 4)
            if fate == Fate.SUSPENSION_PROPOSED:
                # Telling the survivors is due 3 working days after the proposal: the first is
                # due soon, the others overdue.
                plan.proposed_working_days_ago = 2 if first else rng.randint(4, 6)
                plan.demo_iss_worker_first = True
            if fate == Fate.ASSESSED_CONTACT_PENDING:
                plan.contacts[0] = Contact.UNREACHED
            if fate == Fate.ASSESSED_AWAITING_START and first:
                plan.outcome_told = False
            if fate == Fate.COMPLETED and first:
                plan.late_iss_referral[0] = True
            if fate == Fate.DROPPED_OUT and first:
                plan.contacts[0] = Contact.LATE
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
        if extras & DASH_EXTRAS:
            plan.contacts[0] = Contact.ACCEPTED  # the ISS supports her, so assesses her risk
    return plans


DASH_EXTRAS = {Extra.DASH_HIGH_RISK, Extra.DASH_STANDARD, Extra.DASH_ESCALATING}
# On the first case of each fate. The escalating DASH is on a case whose survivor the demo ISS
# sign-in supports, so that her open MARAC referral task is on its "My work".
_FORCED_EXTRAS = {
    Fate.IN_INTERVENTION: {Extra.DASH_HIGH_RISK, Extra.LATE_NOTE, Extra.RISK_CONCERN},
    Fate.SUSPENSION_PROPOSED: {Extra.DASH_ESCALATING},
    Fate.REENGAGED: {Extra.IMMINENT_CONCERN},
    Fate.COMPLETED: {Extra.DASH_STANDARD, Extra.ICM},
    Fate.DROPPED_OUT: {Extra.RISK_CONCERN},
}


def _contacts(rng: random.Random, survivors: int) -> list[Contact]:
    return [
        rng.choices(
            [Contact.ACCEPTED, Contact.DECLINED, Contact.LATE, Contact.UNSAFE],
            weights=[66, 20, 6, 8],
        )[0]
        for _ in range(survivors)
    ]
