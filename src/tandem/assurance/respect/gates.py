"""The rules of Respect accreditation (rules.md section 6, "Respect accreditation (2022)"; R22
introduction, scope and structure; rule respect-accreditation), each in one function or constant
that pages, API and services share; their dates are `deadlines.py`'s:

- the written submission: `narrative_refusal` (250 words), `needs_narrative`;
- who can be accredited, for what: `survivor_support_refusal`, `scope_refusal`;
- after the panel: `appeal_refusal`, and `accepted_evidence` (evidence given once);
- the site visit (R22 "Information about how each indicator will be assessed"): the case-file
  sample's size and strata, the review checklist of each file, the staff interviews every visit
  includes, and the times noted in recorded sessions.

R22: "the Assessor will review a sample of case files, the number of which will be dependent on
the number of live cases the service has. The Assessor may request specific case files"; "Staff
interviews: these include the Service Manager, at least one Perpetrator Worker, at least one
Integrated Support Service Worker or IDVA, at least one Trustee, and others"; "Recorded sessions
review: the Assessor will review a sample of video or audio recorded sessions."
"""

import math
import re
from collections.abc import Iterable
from datetime import date

from django.db import models
from django.db.models import Q

from tandem.assurance.models import (
    DecisionOutcome,
    InterviewKind,
    Judgement,
    PanelDecision,
    RagRating,
    SelfRating,
)
from tandem.assurance.respect.deadlines import APPEAL_WINDOW_DAYS, appeal_closes_on
from tandem.cases.models import Stage
from tandem.organisations.models import IssProvision, Service
from tandem.standards.models import AssessmentMethod, InterventionType, Requirement

RULE_ID = "respect-accreditation"

# R22 "Streamlining the accreditation process": services "describe how they meet each
# requirement in 250 words and list the documents that support their narrative".
NARRATIVE_MAX_WORDS = 250

_HAS_LETTER_OR_DIGIT = re.compile(r"\w")


def narrative_word_count(text: str) -> int:
    """Words as a person counts them: runs of characters between whitespace, so a hyphenated
    word ("risk-led") is one word and a number ("12", "B3.3", "2022/23") is a word. A run with
    no letter or digit in it (a lone dash or bullet) is punctuation, not a word."""
    return sum(1 for token in text.split() if _HAS_LETTER_OR_DIGIT.search(token))


def narrative_refusal(*, ref: str, text: str) -> str | None:
    """Why a narrative is too long for the written submission, with its count; None if it fits."""
    words = narrative_word_count(text)
    if words <= NARRATIVE_MAX_WORDS:
        return None
    return f"The narrative for {ref} has {words} words; the limit is {NARRATIVE_MAX_WORDS}"


def needs_narrative(requirement: Requirement) -> bool:
    """Whether the written submission covers the indicator: those the library assesses only by
    other methods (e.g. B6.1, by staff interviews) need no narrative."""
    methods = requirement.assessment_methods
    return not methods or AssessmentMethod.WRITTEN_SUBMISSION in methods


def survivor_support_refusal(*, service: Service) -> str | None:
    """R22 scope: "Organisations running an intervention with perpetrators without support for
    survivors cannot be considered for accreditation". A service needs an Integrated Support
    Service of its own or one run by a named partner organisation."""
    if service.iss_provision == IssProvision.INTERNAL:
        return None
    if service.iss_provision == IssProvision.EXTERNAL and service.external_iss_organisation_id:
        return None
    return (
        f"{service.name} has no Integrated Support Service for survivors (internal or external): "
        "perpetrator work without survivor support cannot be accredited"
    )


def offered_interventions(*, service: Service) -> frozenset[InterventionType]:
    offered = {
        InterventionType.BEHAVIOUR_CHANGE: service.offers_behaviour_change,
        InterventionType.EARLY_RESPONSE: service.offers_early_response,
        InterventionType.ICM: service.offers_icm,
    }
    return frozenset(kind for kind, offers in offered.items() if offers)


def scope_refusal(*, service: Service, scope: list[str]) -> str | None:
    """R22 scope: a service applies for any or all of the interventions it offers, and for at
    least one."""
    if not scope:
        return "Choose at least one intervention to be accredited"
    unknown = [value for value in scope if value not in InterventionType.values]
    if unknown:
        return f"Unknown intervention type: {', '.join(unknown)}"
    not_offered = [
        InterventionType(value).label
        for value in scope
        if value not in offered_interventions(service=service)
    ]
    if not_offered:
        return f"{service.name} does not offer: {'; '.join(not_offered)}"
    return None


# After the panel

# Accreditation is all or nothing; a refusal or a deferral is what a service may contest.
APPEALABLE_OUTCOMES = frozenset({DecisionOutcome.NOT_ACCREDITED, DecisionOutcome.DEFERRED})


def appeal_refusal(*, decision: PanelDecision, decided_on: date, today: date) -> str | None:
    """Why this decision cannot be appealed today, or None."""
    outcome = DecisionOutcome(decision.outcome)
    if outcome not in APPEALABLE_OUTCOMES:
        return (
            f"Only a decision of “not accredited” or “deferred” can be appealed: this one is "
            f"“{outcome.label}”"
        )
    closes_on = appeal_closes_on(decided_on)
    if today > closes_on:
        return (
            f"An appeal must be lodged within {APPEAL_WINDOW_DAYS} days of the decision: the "
            f"window closed on {closes_on:%-d %B %Y}"
        )
    return None


# Evidence given once: what counts as evidence already accepted.
ACCEPTED_RATINGS = frozenset({RagRating.GREEN.value, SelfRating.MET.value})


def accepted_evidence() -> Q:
    """Records whose evidence was accepted: judged met by an assessor, or rated Green (Welsh
    checklist) or met (self-evaluation, self-assessment) and not challenged by a peer reviewer.
    Only a record with a narrative or a citation has evidence to offer."""
    accepted = Q(judgement=Judgement.MET) | (
        Q(rating__in=ACCEPTED_RATINGS) & ~Q(peer_review__agrees=False)
    )
    return accepted & (~Q(narrative="") | Q(citations__isnull=False))


# The site visit

# Live cases: accepted and not closed (a referral not yet assessed has no case file to review,
# and no intervention type to stratify by).
LIVE_STAGES = (Stage.ASSESSED, Stage.IN_INTERVENTION, Stage.SUSPENDED)

SAMPLE_FRACTION = 0.10
SAMPLE_MIN = 5
SAMPLE_MAX = 20


def case_file_sample_size(live_cases: int) -> int:
    """How many case files to draw from `live_cases` live cases.

    R22 says only that the number "will be dependent on the number of live cases"; it gives no
    figure. This is TANDEM'S DEFAULT, not the standard's: 10% of live cases rounded up, at least
    5 and at most 20, and never more than there are (0 live cases → 0; 30 → 5; 51 → 6;
    300 → 20)."""
    if live_cases <= 0:
        return 0
    wanted = max(SAMPLE_MIN, math.ceil(live_cases * SAMPLE_FRACTION))
    return min(live_cases, wanted, SAMPLE_MAX)


class RiskStratum(models.TextChoices):
    """A case's risk for stratifying the sample. The perpetrator side records no graded risk
    level (its risk assessments are narrative; the DASH grade is the ISS side's and never crosses
    the information barrier), so the stratum is the latest risk concern the case raised (rule
    concern-24h): imminent, raised, or none."""

    IMMINENT = "imminent", "Imminent risk concern raised"
    RAISED = "raised", "Risk concern raised"
    NONE = "none", "No risk concern raised"


def risk_stratum(*, latest_concern_imminent: bool | None) -> RiskStratum:
    """`latest_concern_imminent`: None when the case raised no risk concern."""
    if latest_concern_imminent is None:
        return RiskStratum.NONE
    return RiskStratum.IMMINENT if latest_concern_imminent else RiskStratum.RAISED


Stratum = tuple[str, str]  # (intervention type, risk stratum)


# The review checklist for each sampled case file: what R22 names "by case file review".
CASE_FILE_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("consent", "Confidentiality agreement explained, consent sought and signed on file (B3.2)"),
    ("iss_handover", "Survivors' contact details passed to the ISS at intake (B3.3)"),
    ("criminal_justice", "Criminal justice involvement checked before acceptance (B3.4)"),
    ("diversity", "Barriers to participation identified and planned for (B3.5)"),
    ("outcome", "Assessment outcome communicated and recorded with dates (B3.7)"),
    ("risk", "Risk assessed with a recognised tool and kept up to date (B4.1)"),
    ("recording", "Contacts, supervision and reviews recorded within one working day (B2.2)"),
    ("case_review", "Case management review actions tracked on the file (B2.1)"),
    ("children", "Plan for a child in need or at risk; Child Protection Plan copy on file (B5.3)"),
)
CHECKLIST_ITEMS = frozenset(key for key, _ in CASE_FILE_CHECKLIST)


# R22: the interviews every site visit includes; others are added as needed.
REQUIRED_INTERVIEW_KINDS = (
    InterviewKind.SERVICE_MANAGER,
    InterviewKind.PERPETRATOR_WORKER,
    InterviewKind.ISS_WORKER_OR_IDVA,
    InterviewKind.TRUSTEE,
)


def interview_plan_refusal(kinds: Iterable[str]) -> str | None:
    """Why an interview plan with interviews of these kinds cannot be complete (rule
    respect-accreditation, R22 "Staff interviews"), or None."""
    planned = set(kinds)
    missing = [kind.label.lower() for kind in REQUIRED_INTERVIEW_KINDS if kind not in planned]
    if not missing:
        return None
    listed = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
    return (
        f"The interview plan needs at least one interview with each of the service manager, a "
        f"perpetrator worker, an ISS worker or IDVA and a trustee (R22): no {listed} planned"
    )


_TIME = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})$")


def parse_recording_time(text: str) -> int:
    """A time in a recording, "mm:ss" or "hh:mm:ss", as seconds. ValueError, with a message
    saying what is wrong, for anything else (minutes and seconds are 00-59)."""
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(
            "Enter the time in the recording as mm:ss or hh:mm:ss, for example 12:05 or 1:02:30"
        )
    hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    if minutes > 59 or seconds > 59:
        raise ValueError(
            "Minutes and seconds in the time must be 00 to 59: write 75 minutes as 1:15:00"
        )
    return hours * 3600 + minutes * 60 + seconds


def recording_time_label(seconds: int) -> str:
    """12:05 below an hour, 1:02:30 from an hour."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"
