"""The ISS side's domain rules: the DASH risk checklist score and the MARAC referral criteria,
as pure functions (rule `dash`).

R22 B4.1: the DASH is the risk identification checklist most agencies share and the one the MARAC
process uses, so a service records it and refers on its criteria; it is helpful but insufficient
on its own, which is why professional judgement can always raise the level. The checklist itself is
data (`tandem.support.instruments`, `safelives-dash`); the four referral criteria are:

- visible high risk: at least the service's threshold of yes answers (14 by default; some areas
  use 17);
- professional judgement: the practitioner judges the risk high, with written reasons; it only
  ever raises the level;
- potential escalation: at least 3 incidents (by default) in the year (by default) up to the
  assessment;
- repeat referral: a new incident within a year (by default) after a previous MARAC referral.

Meeting any criterion means a MARAC referral is due; the services that hold cases create the task.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from tandem.support.instruments import Instrument, InstrumentKind, instrument_get

DASH_INSTRUMENT_ID = "safelives-dash"

RISK_HIGH = "high"
RISK_STANDARD = "standard"


class MaracCriterion(Enum):
    """A reason a case meets the MARAC referral criteria (rule `dash`)."""

    VISIBLE_HIGH_RISK = "visible-high-risk"
    PROFESSIONAL_JUDGEMENT = "professional-judgement"
    POTENTIAL_ESCALATION = "potential-escalation"
    REPEAT_REFERRAL = "repeat-referral"

    @property
    def label(self) -> str:
        return _CRITERION_LABELS[self]


_CRITERION_LABELS = {
    MaracCriterion.VISIBLE_HIGH_RISK: "Visible high risk (DASH yes answers at the threshold)",
    MaracCriterion.PROFESSIONAL_JUDGEMENT: "Professional judgement of high risk",
    MaracCriterion.POTENTIAL_ESCALATION: "Potential escalation",
    MaracCriterion.REPEAT_REFERRAL: "Repeat referral",
}


def _dash_question_count() -> int:
    return len(instrument_get(instrument_id=DASH_INSTRUMENT_ID).questions)


@dataclass(frozen=True)
class MaracSettings:
    """A service's MARAC referral settings (rule `dash`); the defaults are SafeLives' criteria."""

    visible_high_risk_threshold: int = 14
    escalation_incidents: int = 3
    escalation_window_days: int = 365
    repeat_window_days: int = 365

    def __post_init__(self) -> None:
        question_count = _dash_question_count()
        if not 1 <= self.visible_high_risk_threshold <= question_count:
            raise ValueError(
                f"visible_high_risk_threshold must be between 1 and {question_count} (the number "
                f"of DASH questions), not {self.visible_high_risk_threshold}"
            )
        # One incident is a single event, not a pattern: escalation needs at least two.
        if self.escalation_incidents < 2:
            raise ValueError(
                f"escalation_incidents must be at least 2, not {self.escalation_incidents}"
            )
        for name in ("escalation_window_days", "repeat_window_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1 day, not {getattr(self, name)}")


def dash_yes_count(*, instrument: Instrument, answers: dict[int, str]) -> int:
    """The checklist's score: how many questions were answered yes (rule `dash`).

    `answers` maps question numbers to answer option ids. A question left out is not answered,
    which is not a yes. An answer to a question the instrument does not have, or one that is not
    one of its options, is refused naming the question and the value.
    """
    if instrument.kind != InstrumentKind.ITEM_CHECKLIST:
        raise ValueError(f"{instrument.id} is a {instrument.kind}, not a checklist with answers")
    for number, answer in answers.items():
        if number not in instrument.question_numbers:
            raise ValueError(
                f"question {number!r} is not one of the {len(instrument.questions)} questions "
                f"of {instrument.id}"
            )
        if answer not in instrument.answer_ids:
            options = ", ".join(instrument.answer_ids)
            raise ValueError(f"question {number}: {answer!r} is not one of the answers {options}")
    return sum(1 for answer in answers.values() if answer == instrument.counts_answer)


def marac_referral_criteria(
    *,
    yes_count: int,
    settings: MaracSettings,
    professional_judgement_high: bool,
    professional_judgement_reasons: str,
    incident_dates: list[date],
    assessed_on: date,
    previous_marac_referral_dates: list[date],
) -> list[MaracCriterion]:
    """The MARAC referral criteria a DASH assessment meets, in the order of `MaracCriterion`.

    Rule `dash` (R22 B4.1: the DASH is the common multi-agency checklist used for MARAC referral,
    helpful but insufficient alone). Boundaries, in whole days:

    - potential escalation counts the incidents from `escalation_window_days` before
      `assessed_on` up to `assessed_on`, both ends included: with 365 days, an incident on
      2025-03-01 counts for an assessment on 2026-03-01, one on 2025-02-28 does not;
    - repeat referral needs an incident after a previous referral, up to and including
      `repeat_window_days` after it: with 365 days, a referral on 2025-03-01 is repeated by an
      incident on 2026-03-01 but not on 2026-03-02; an incident on the referral day itself is the
      one that was referred, not a new one;
    - incidents after `assessed_on` are not part of this assessment and are left out.

    Professional judgement only raises: a judgement of high needs written reasons, and no input
    removes a criterion another input met.
    """
    question_count = _dash_question_count()
    if not 0 <= yes_count <= question_count:
        raise ValueError(f"yes_count must be between 0 and {question_count}, not {yes_count}")
    if professional_judgement_high and not professional_judgement_reasons.strip():
        raise ValueError(
            "professional_judgement_reasons: a professional judgement of high risk needs "
            "written reasons"
        )
    incidents = [incident for incident in incident_dates if incident <= assessed_on]
    criteria: list[MaracCriterion] = []
    if yes_count >= settings.visible_high_risk_threshold:
        criteria.append(MaracCriterion.VISIBLE_HIGH_RISK)
    if professional_judgement_high:
        criteria.append(MaracCriterion.PROFESSIONAL_JUDGEMENT)
    escalation_start = assessed_on - timedelta(days=settings.escalation_window_days)
    in_window = [incident for incident in incidents if incident >= escalation_start]
    if len(in_window) >= settings.escalation_incidents:
        criteria.append(MaracCriterion.POTENTIAL_ESCALATION)
    repeat_window = timedelta(days=settings.repeat_window_days)
    if any(
        referral < incident <= referral + repeat_window
        for referral in previous_marac_referral_dates
        for incident in incidents
    ):
        criteria.append(MaracCriterion.REPEAT_REFERRAL)
    return criteria


def risk_level(*, criteria: Iterable[MaracCriterion]) -> str:
    """The level to show: "high" when any MARAC referral criterion is met, else "standard"."""
    return RISK_HIGH if any(True for _ in criteria) else RISK_STANDARD
