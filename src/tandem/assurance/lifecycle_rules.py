"""Respect accreditation after the panel (rule respect-accreditation; rules.md section 6): appeals
and the evidence Tandem offers again. Each rule is one function that services, pages and the API
share. The standards set no appeal window: `APPEAL_WINDOW_DAYS` is Tandem's setting, kept here.
"""

from datetime import date, timedelta

from django.db.models import Q

from tandem.assurance import respect
from tandem.assurance.models import (
    AppealOutcome,
    Assessment,
    AssessmentParticipant,
    DecisionOutcome,
    Judgement,
    PanelDecision,
    Part,
    RagRating,
    SelfRating,
)

RULE_ID = respect.RULE_ID

# A decision can be appealed up to and including 28 days after the day it was made.
APPEAL_WINDOW_DAYS = 28

# Accreditation is all or nothing; a refusal or a deferral is what a service may contest.
APPEALABLE_OUTCOMES = frozenset({DecisionOutcome.NOT_ACCREDITED, DecisionOutcome.DEFERRED})


def appeal_closes_on(decided_on: date) -> date:
    """The last day an appeal may be lodged: decided on 1 March, appealable to 29 March."""
    return decided_on + timedelta(days=APPEAL_WINDOW_DAYS)


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


def original_deciders(decision: PanelDecision) -> frozenset[int]:
    """Who decided: the panel member who recorded the decision and every panel member, declared
    free of conflict, who was on the panel when it was made."""
    on_panel = AssessmentParticipant.objects.filter(
        assessment_id=decision.assessment_id,
        part=Part.PANEL_MEMBER,
        declaration__no_conflict=True,
        added_at__lte=decision.decided_at,
    ).values_list("user_id", flat=True)
    return frozenset({decision.decided_by_id, *on_panel})


def appeal_conflict(*, assessment: Assessment, user_id: int, name: str) -> str | None:
    """An appeal is heard, and an overturned decision made again, by panel members who did not
    decide it: anyone who recorded or took part in a decision under appeal (or overturned on
    appeal) is refused. An upheld appeal leaves the original panel in place."""
    appeals = assessment.appeals.exclude(outcome=AppealOutcome.UPHELD).select_related("decision")
    for appeal in appeals:
        if user_id in original_deciders(appeal.decision):
            return (
                f"{name} took part in the panel decision of "
                f"{appeal.decision.decided_at:%-d %B %Y} under appeal: an appeal is heard and "
                "decided by panel members who did not decide it"
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
