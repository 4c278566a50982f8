"""Risk and MARAC: his risk assessments while he attends (rule risk-points), risk concerns for
the ISS (rule concern-24h), and her DASH risk checklist, MARAC referral and risk notes for the
perpetrator side (rules dash and survivor-confidentiality)."""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User

from tandem.cases.models import RiskPoint
from tandem.cases.services.records import PlannedAction
from tandem.demo.dates import (
    at_work,
    local_date,
    minutes_after,
    working_day_on_or_after,
    working_days_after,
    working_days_before,
)
from tandem.demo.organisation import Staff
from tandem.demo.plans import DASH_EXTRAS, CasePlan, Contact, Extra, Fate
from tandem.demo.story import CaseStory, Course, PlannedRiskAssessment
from tandem.lib.calendar import UK_TIME
from tandem.organisations.models import Service
from tandem.standards.models import InterventionType
from tandem.support.gates import DASH_INSTRUMENT_ID
from tandem.support.instruments import instrument_get

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


def _planned_risk(
    point: RiskPoint,
    at: datetime,
    rng: random.Random,
    *,
    next_due_on: date | None = None,
    event: str = "",
) -> PlannedRiskAssessment:
    """An assessment with an action or two for his action plan, due in the coming weeks; he is
    told the outcome unless that is unsafe for her (rule outcome-comment)."""
    today = local_date(at)
    actions = [
        PlannedAction(action, today + timedelta(weeks=rng.randint(2, 8)))
        for action in rng.sample(_RISK_ACTIONS, k=rng.randint(1, 2))
    ]
    told = rng.random() >= 0.1
    return PlannedRiskAssessment(
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
            return working_days_after(started_at, rng.randint(1, 5), rng)
        if left_at is None or moment < left_at:
            return moment
    return None


def risk_assessment_steps(
    story: CaseStory, *, plan: CasePlan, course: Course, rng: random.Random
) -> None:
    """Rule risk-points: intake at the start; for behaviour-change, half-way at 13 weeks (a few
    recorded late) and the end at 26 weeks, or at the programme's last session; an end
    assessment whenever he leaves, and an event assessment when he re-engages."""
    started_at, _ = course.attending[0]
    left_at = course.attending[-1][1]
    behaviour_change = course.intervention_type == InterventionType.BEHAVIOUR_CHANGE
    halfway_on = working_day_on_or_after(local_date(started_at) + timedelta(weeks=13))
    end_on = working_day_on_or_after(local_date(started_at) + timedelta(weeks=26))
    if plan.fate == Fate.COMPLETED and left_at is not None:
        end_on = local_date(left_at)
    end_at = None
    if course.ended_case and left_at is not None:
        end_at = left_at - timedelta(minutes=rng.randint(20, 90))

    intake_at = minutes_after(started_at, 30, 120, rng)
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
            planned_at = working_days_after(due, rng.randint(1, 4), rng)
        else:
            planned_at = at_work(working_days_before(halfway_on, rng.randint(0, 3)), rng)
        halfway_at = _while_attending(planned_at, course.attending, rng)
        if halfway_at is not None and (end_at is None or halfway_at < end_at):
            # The end assessment follows at least four weeks after the half-way one.
            next_due_on = max(end_on, local_date(halfway_at) + timedelta(weeks=4))
            story.at(
                halfway_at,
                story.assess_risk,
                actor=course.worker,
                assessment=_planned_risk(
                    RiskPoint.HALFWAY, halfway_at, rng, next_due_on=next_due_on
                ),
            )
    for resumed_at, _ in course.attending[1:]:
        assessed_at = minutes_after(resumed_at, 30, 120, rng)
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


def risk_concern_steps(
    story: CaseStory, *, plan: CasePlan, course: Course, now: datetime, rng: random.Random
) -> None:
    """Rule concern-24h: raised part-way through his first period of attending; each
    survivor's ISS worker acts on it (at once when imminent), and his worker reassesses."""
    for extra, imminent in ((Extra.RISK_CONCERN, False), (Extra.IMMINENT_CONCERN, True)):
        if extra not in plan.extras:
            continue
        started_at, left_at = course.attending[0]
        raised_at = at_work(local_date(started_at + ((left_at or now) - started_at) * 0.4), rng)
        concern = rng.choice(_CONCERNS[imminent])
        story.at(
            raised_at, story.raise_concern, actor=course.worker, concern=concern, imminent=imminent
        )
        for position, iss_worker in enumerate(course.iss_workers, start=1):
            acted_at = (
                minutes_after(raised_at, 5, 15, rng)
                if imminent
                else minutes_after(raised_at, 60, 300, rng)
            )
            story.at(acted_at, story.act_on_concern, position=position, actor=iss_worker)
        assessed_at = minutes_after(raised_at, 60, 180, rng)
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


def _dash_answers(yes: int, rng: random.Random) -> dict[int, str]:
    """Answers to every DASH question with `yes` of them answered yes."""
    instrument = instrument_get(instrument_id=DASH_INSTRUMENT_ID)
    counted = instrument.counts_answer
    if counted is None:
        raise ValueError("the DASH is a checklist scored by its yes answers")
    numbers = sorted(instrument.question_numbers)
    others = [answer for answer in instrument.answer_ids if answer != counted]
    yeses = set(rng.sample(numbers, k=yes))
    return {number: counted if number in yeses else rng.choice(others) for number in numbers}


def iss_risk_steps(
    story: CaseStory,
    *,
    plan: CasePlan,
    course: Course,
    service: Service,
    staff: Staff,
    now: datetime,
    rng: random.Random,
) -> None:
    """The first survivor's DASH at first contact, for the cases forced to have one and a few
    others; at the visible high-risk threshold, her MARAC referral follows within a day or so."""
    extras = plan.extras & DASH_EXTRAS
    reached_at = course.first_contacts[0] if course.first_contacts else None
    if plan.contacts[0] != Contact.ACCEPTED or reached_at is None:
        return
    if not extras and rng.random() >= _DASH_CHANCE:
        return
    worker = course.iss_workers[0]
    threshold = service.dash_high_risk_threshold
    if Extra.DASH_HIGH_RISK in extras:
        yes = rng.randint(threshold + 1, threshold + 4)
    elif extras:
        yes = rng.randint(3, threshold - 4)
    else:
        yes = rng.randint(2, threshold + 2)
    assessed_at = minutes_after(reached_at, 15, 90, rng)
    story.at(
        assessed_at, story.assess_dash, position=1, actor=worker, answers=_dash_answers(yes, rng)
    )
    shared_after = assessed_at
    if yes >= threshold:
        referred_at = (
            working_days_after(assessed_at, 1, rng)
            if rng.random() < 0.7
            else minutes_after(assessed_at, 30, 120, rng)
        )
        story.at(referred_at, story.refer_to_marac, position=1, actor=worker)
        shared_after = referred_at
    if extras & {Extra.DASH_HIGH_RISK, Extra.DASH_STANDARD}:
        _released_risk_note_steps(
            story, course=course, after=shared_after, approver=staff.service_manager, rng=rng
        )
    if Extra.DASH_ESCALATING in extras:
        _escalation_steps(story, course=course, first_dash_at=assessed_at, now=now, rng=rng)


def _released_risk_note_steps(
    story: CaseStory,
    *,
    course: Course,
    after: datetime,
    approver: User,
    rng: random.Random,
) -> None:
    """A risk note for his worker, written once he attends and released the same day: approved
    by the ISS manager and, for intensive case management, by the service manager too (R22-I
    B3.3). The demo service manager works on both sides, so gives each approval in turn."""
    worker = course.iss_workers[0]
    written_at = working_days_after(max(after, course.attending[0][0]), rng.randint(1, 3), rng)
    story.at(
        written_at,
        story.write_risk_note,
        position=1,
        actor=worker,
        note=rng.choice(_RISK_NOTES),
    )
    approved_at = minutes_after(written_at, 30, 180, rng)
    story.at(approved_at, story.approve_risk_note, actor=approver)
    if course.intervention_type == InterventionType.ICM:
        story.at(minutes_after(approved_at, 5, 60, rng), story.approve_risk_note, actor=approver)


def _escalation_steps(
    story: CaseStory,
    *,
    course: Course,
    first_dash_at: datetime,
    now: datetime,
    rng: random.Random,
) -> None:
    """Three incidents since her first DASH, then another DASH two working days ago meeting the
    potential-escalation criterion: her MARAC referral is overdue today. A risk note written
    yesterday still awaits the ISS manager's approval."""
    worker = course.iss_workers[0]
    today = local_date(now)
    dash_at = at_work(working_days_before(today, 2), rng)
    for fraction, summary in zip((0.3, 0.6, 0.85), _INCIDENTS, strict=True):
        recorded_on = local_date(first_dash_at + (dash_at - first_dash_at) * fraction)
        recorded_at = min(at_work(recorded_on, rng), dash_at - timedelta(hours=1))
        story.at(
            recorded_at,
            story.record_incident,
            position=1,
            actor=worker,
            occurred_on=local_date(recorded_at) - timedelta(days=rng.randint(0, 2)),
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
        at_work(working_days_before(today, 1), rng),
        story.write_risk_note,
        position=1,
        actor=worker,
        note=rng.choice(_RISK_NOTES),
    )
