"""The rules of the assurance processes other than Respect accreditation (rules.md section 6), each
in one function or constant that pages, API, services and reports share (their dates are
`deadlines.py`'s):

- the 2008 risk management and safeguarding audit (R08 "Audit Process" and "Introduction"):
  `audit_exemption`, `iss_automatic_fail`, `schedule_refusal`, `audit_outcome`;
- the Welsh commissioning checklist (WG section 4, section 6, Appendix 1): `worst_rag`,
  `welsh_checklist_questions`, `welsh_outcome`, `review_date_refusal`, `review_trend`;
- the West Midlands self-evaluation (WM introduction, "Implementation and monitoring"):
  `west_midlands_requirements`, `rating_needs_action`, `peer_reviewer_refusal`;
- self-assessment for readiness: `readiness_requirements`, `readiness`.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import Enum

from django.contrib.auth.models import AbstractBaseUser

from tandem.assurance.applicability import applies_to_scope
from tandem.assurance.checklists.deadlines import review_window_end
from tandem.assurance.labels import day_label
from tandem.assurance.models import (
    RagRating,
    ScheduleItemKind,
    SelfRating,
    SpecialistAccreditation,
    State,
)
from tandem.assurance.respect.gates import survivor_support_refusal
from tandem.assurance.respect.selectors import current_respect_accreditation
from tandem.lib.people import person_name
from tandem.organisations.models import Service
from tandem.organisations.selectors import current_memberships
from tandem.standards.models import Framework, Level, Requirement

AUDIT_RULE_ID = "safeguarding-audit-2008"
WELSH_RULE_ID = "welsh-checklist"
WEST_MIDLANDS_RULE_ID = "west-midlands-self-evaluation"
SELF_ASSESSMENT_RULE_ID = "self-assessment"


# The 2008 risk management and safeguarding audit


def audit_exemption(*, service: Service, today: date) -> str | None:
    """R08 "Risk Management and Safeguarding Audits": "Organisations that have met the Respect
    accreditation standard are exempt from this process". The reason the service is exempt (it
    holds Respect accreditation today: `respect.selectors.current_respect_accreditation`), or
    None."""
    accreditation = current_respect_accreditation(service=service, today=today)
    if accreditation is None or accreditation.expires_on is None:
        return None
    last_day = accreditation.expires_on - timedelta(days=1)
    return (
        f"{service.name} holds Respect accreditation until {day_label(last_day)}: organisations "
        "that have met the Respect accreditation standard are exempt from the audit"
    )


def iss_automatic_fail(*, service: Service, runs_iss: bool = True) -> str | None:
    """R08 "Introduction": "Organisations running a DVPP without an ISS cannot be considered for
    audit as they are unsafe and will automatically fail." The reason the service fails, or
    None when it has an Integrated Support Service (its own, or a named partner's).

    Tandem's service record always names an ISS (the organisations app refuses a service
    without one), so Respect states what it found when it opens the audit (`runs_iss`): a
    provider found to run no ISS that contacts partners and ex-partners fails all the same."""
    if runs_iss and survivor_support_refusal(service=service) is None:
        return None
    return (
        f"{service.name} runs perpetrator work without an Integrated Support Service (ISS) for "
        "partners and ex-partners: it cannot be considered for audit and fails automatically"
    )


# R08 "Audit Process": a pre-agreed schedule of each of these on the visit day.
SCHEDULE_KINDS_NEEDED = (
    ScheduleItemKind.CASE_FILE_REVIEW,
    ScheduleItemKind.STAFF_INTERVIEW,
    ScheduleItemKind.GROUP_RECORDING,
)


@dataclass(frozen=True)
class ScheduleItemDetails:
    kind: ScheduleItemKind
    starts_at: time
    description: str


def schedule_refusal(
    *, visit_on: date | None, items: Collection[ScheduleItemDetails], today: date
) -> tuple[str, str] | None:
    """R08 "Audit Process": "a site visit for one day with a pre agreed schedule of case file
    reviews, interviews with staff and the viewing of group recordings". Why the schedule cannot
    be agreed, with the field at fault; None when it can: a visit day after today, and at least
    one of each kind, each described."""
    if visit_on is None:
        return "Enter the day of the site visit", "visit_on"
    if visit_on <= today:
        return "The site visit must be on a day after today", "visit_on"
    for number, item in enumerate(items, start=1):
        if not item.description.strip():
            return f"Describe schedule item {number}", "schedule"
    kinds = {item.kind for item in items}
    missing = [kind.label.lower() for kind in SCHEDULE_KINDS_NEEDED if kind not in kinds]
    if missing:
        return (
            "The visit's schedule needs at least one of each of case file reviews, staff "
            f"interviews and group recordings: add {' and '.join(missing)}",
            "schedule",
        )
    return None


@dataclass(frozen=True)
class AuditOutcome:
    state: State
    reason: str


def audit_outcome(*, service: Service, not_met_refs: list[str]) -> AuditOutcome:
    """The audit passes when the service still has an ISS (R08 "Introduction") and every evidence
    indicator is met; otherwise it fails, saying why."""
    no_iss = iss_automatic_fail(service=service)
    if no_iss:
        return AuditOutcome(State.FAILED, no_iss)
    if not_met_refs:
        return AuditOutcome(State.FAILED, f"Evidence indicators not met: {', '.join(not_met_refs)}")
    return AuditOutcome(State.PASSED, "Every evidence indicator met")


# The Welsh commissioning checklist

# Appendix 1's opening question: answered on the checklist itself, not RAG rated.
WELSH_ACCREDITATION_QUESTION = "C.Q1"
# The "Commissioning, Accountability and Audit" section (WG section 6).
WELSH_COMMISSIONING_SECTION = "C"

_RAG_ORDER = {RagRating.GREEN: 0, RagRating.AMBER: 1, RagRating.RED: 2}


def worst_rag(ratings: Iterable[str]) -> RagRating | None:
    """WG Appendix 1: a standard's (or the whole checklist's) status is its worst item's: Red
    over Amber over Green. None while any is unrated, or when there are none."""
    values = list(ratings)
    if not values or any(value not in RagRating.values for value in values):
        return None
    return max((RagRating(value) for value in values), key=_RAG_ORDER.__getitem__)


def _ancestors_include(requirement: Requirement, code: str, by_pk: dict[int, Requirement]) -> bool:
    node: Requirement | None = requirement
    while node is not None:
        if node.code == code:
            return True
        node = by_pk.get(node.parent_id) if node.parent_id else None
    return False


def welsh_checklist_questions(
    *, framework: Framework, accreditation: SpecialistAccreditation
) -> list[Requirement]:
    """The questions a checklist rates. WG section 4: evidence of specialist accreditation
    (Respect, CSAAP) "should be accepted as evidence that they would also meet the Standards",
    and rules.md section 6: such services "go straight to the commissioning section", so they
    complete only its questions; every other service completes every question. (Appendix 1
    prints "If no move to the 'commissioning' section"; section 4 and its Figure 1 decide.)
    The opening question itself is answered on the checklist, not rated."""
    requirements = list(Requirement.objects.filter(framework=framework).order_by("position"))
    by_pk = {requirement.pk: requirement for requirement in requirements}
    questions = [
        requirement
        for requirement in requirements
        if requirement.level == Level.QUESTION and requirement.code != WELSH_ACCREDITATION_QUESTION
    ]
    if accreditation == SpecialistAccreditation.NONE:
        return questions
    return [q for q in questions if _ancestors_include(q, WELSH_COMMISSIONING_SECTION, by_pk)]


def specialist_accreditation_refusal(
    *, accreditation: SpecialistAccreditation, evidence: str, respect_confirmed: bool
) -> str | None:
    """A claimed specialist accreditation needs evidence (WG section 4: "Evidence that services
    are accredited by these bodies"), unless it is Respect accreditation Tandem itself records as
    current."""
    if accreditation == SpecialistAccreditation.NONE or evidence.strip():
        return None
    if accreditation == SpecialistAccreditation.RESPECT and respect_confirmed:
        return None
    return f"Give the evidence of the service's {accreditation.label}"


_OUTCOMES = {
    RagRating.RED: State.DOES_NOT_MEET,
    RagRating.AMBER: State.PARTLY_MEETS,
    RagRating.GREEN: State.MEETS_STANDARDS,
}
_OUTCOME_RAG = {state: rating for rating, state in _OUTCOMES.items()}


def welsh_outcome(ratings: Iterable[str]) -> State | None:
    """WG Appendix 1: "Any Red items will indicate that the service has not met the standards and
    will need to address area and be re-assessed"; Amber items are reviewed within the agreed
    timeframe; every item Green meets the standards. None while any item is unrated."""
    worst = worst_rag(ratings)
    return None if worst is None else _OUTCOMES[worst]


def outcome_rag(state: State | str) -> RagRating | None:
    """The RAG status a completed checklist's outcome stands for (None before it is complete)."""
    return _OUTCOME_RAG.get(State(state))


REVIEW_WEEKS_MIN = 1
REVIEW_WEEKS_MAX = 52


def review_weeks_refusal(weeks: int) -> str | None:
    if REVIEW_WEEKS_MIN <= weeks <= REVIEW_WEEKS_MAX:
        return None
    return (
        f"The agreed timeframe for reviewing Amber items is {REVIEW_WEEKS_MIN} to "
        f"{REVIEW_WEEKS_MAX} weeks"
    )


def review_date_refusal(*, review_on: date, today: date, weeks: int) -> str | None:
    """WG Appendix 1: "Any Amber areas should be reviewed within an agreed timeframe that gives
    the service opportunity to improve the item". The review date must be after today and no
    later than the checklist's agreed timeframe (`weeks` weeks from today, that day included)."""
    if review_on <= today:
        return "The review date must be after today"
    last = review_window_end(today=today, weeks=weeks)
    if review_on > last:
        return (
            f"The review date must be within the agreed timeframe of {weeks} "
            f"week{'s' if weeks != 1 else ''}: on or before {day_label(last)}"
        )
    return None


class Trend(Enum):
    FIRST = "first review"
    IMPROVED = "improved"
    SAME = "no change"
    WORSE = "worse"


def review_trend(*, previous: State | str | None, current: State | str) -> Trend:
    """WG section 6 asks commissioners to review services frequently, as adherence "can
    fluctuate": this review's overall status against the previous review's."""
    if previous is None:
        return Trend.FIRST
    before, now = outcome_rag(previous), outcome_rag(current)
    if before is None or now is None:
        return Trend.FIRST
    if _RAG_ORDER[now] < _RAG_ORDER[before]:
        return Trend.IMPROVED
    if _RAG_ORDER[now] > _RAG_ORDER[before]:
        return Trend.WORSE
    return Trend.SAME


# The West Midlands self-evaluation


def west_midlands_requirements(*, framework: Framework) -> list[Requirement]:
    """WM: the agency self-rates each standard and each of its bullets."""
    return list(
        Requirement.objects.filter(
            framework=framework, level__in=[Level.STANDARD, Level.ITEM]
        ).order_by("position")
    )


def rating_needs_action(rating: str) -> bool:
    """A rating short of met becomes an action (issue 4 "Action plans")."""
    return rating in (SelfRating.PARTLY, SelfRating.NOT_MET)


def peer_reviewer_refusal(*, service: Service, reviewer: AbstractBaseUser) -> str | None:
    """WM "Implementation and monitoring": "Peer reviews of DVA standards across the West
    Midlands Region": the reviewer is from another agency. They must work in at least one
    service of an organisation other than the assessed service's, and in none of its."""
    name = person_name(reviewer)
    memberships = current_memberships(user=reviewer)
    if memberships.filter(service__organisation_id=service.organisation_id).exists():
        return (
            f"{name} works for {service.organisation.name}: a peer reviewer comes from another "
            "agency"
        )
    if not memberships.exists():
        return f"{name} works in no agency in Tandem: a peer reviewer comes from another agency"
    return None


# Self-assessment for readiness


def readiness_requirements(*, framework: Framework, scope: Collection[str]) -> list[Requirement]:
    """The requirements a service rates to see how ready it is: the finest requirements of the
    framework (those with no requirement below them), whatever their level. Sections are
    headings and checklist questions are prompts, not requirements: Respect's indicators, the
    Welsh standards' items, each West Midlands bullet, each Home Office standard. With a scope
    (intervention types), those that apply to it, as for accreditation."""
    requirements = list(Requirement.objects.filter(framework=framework).order_by("position"))
    by_pk = {requirement.pk: requirement for requirement in requirements}
    parents = {
        requirement.parent_id
        for requirement in requirements
        if requirement.parent_id and requirement.level != Level.QUESTION
    }

    def applies(requirement: Requirement) -> bool:
        node: Requirement | None = requirement
        while node is not None:
            if scope and not applies_to_scope(applies_to=node.applies_to, scope=scope):
                return False
            node = by_pk.get(node.parent_id) if node.parent_id else None
        return True

    return [
        requirement
        for requirement in requirements
        if requirement.level not in (Level.SECTION, Level.QUESTION)
        and requirement.pk not in parents
        and applies(requirement)
    ]


@dataclass(frozen=True)
class Readiness:
    """How far a service is from meeting a framework: of the applicable requirements, how many
    it rates met, partly met, not met, and not yet rated."""

    applicable: int
    met: int
    partly: int
    not_met: int
    unrated: int

    @property
    def percent_met(self) -> int:
        """Met as a whole percentage of the applicable requirements, rounded down so readiness
        is never overstated (99.6% is 99%, not 100%)."""
        return self.met * 100 // self.applicable if self.applicable else 0

    @property
    def to_go(self) -> int:
        """Requirements still to meet: accreditation needs every applicable one met."""
        return self.applicable - self.met


def readiness(ratings: Iterable[str]) -> Readiness:
    values = list(ratings)
    return Readiness(
        applicable=len(values),
        met=values.count(SelfRating.MET),
        partly=values.count(SelfRating.PARTLY),
        not_met=values.count(SelfRating.NOT_MET),
        unrated=sum(1 for value in values if value not in SelfRating.values),
    )
