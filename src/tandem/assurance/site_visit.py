"""The rules of a Respect accreditation site visit (R22 introduction, "Information about how each
indicator will be assessed"; rule respect-accreditation): the case-file sample, the staff
interviews, and the times noted in recorded sessions. Services, selectors and pages use these
functions; none of them repeats a rule.

R22: "the Assessor will review a sample of case files, the number of which will be dependent on
the number of live cases the service has. The Assessor may request specific case files"; "Staff
interviews: these include the Service Manager, at least one Perpetrator Worker, at least one
Integrated Support Service Worker or IDVA, at least one Trustee, and others"; "Recorded sessions
review: the Assessor will review a sample of video or audio recorded sessions."
"""

import math
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db import models

from tandem.assurance.models import InterviewKind
from tandem.cases.models import Stage

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


def draw_stratified_sample(*, pool: Mapping[int, Stratum], size: int, seed: int) -> list[int]:
    """Case ids drawn from `pool` (case id → stratum), reproducible: the same seed and the same
    pool always give the same ids, in the same order.

    Stratified: first one case from each stratum (strata in a random order, so that when the
    sample is smaller than the number of strata it is chance which go unrepresented), then the
    remaining places at random from all the rest, so larger strata get more in proportion."""
    rng = random.Random(seed)
    by_stratum: dict[Stratum, list[int]] = defaultdict(list)
    for case_id in sorted(pool):
        by_stratum[pool[case_id]].append(case_id)
    strata = sorted(by_stratum)
    rng.shuffle(strata)
    for stratum in strata:
        rng.shuffle(by_stratum[stratum])
    drawn = [by_stratum[stratum].pop() for stratum in strata][:size]
    rest = sorted(case_id for ids in by_stratum.values() for case_id in ids)
    rng.shuffle(rest)
    return drawn + rest[: max(0, size - len(drawn))]


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
