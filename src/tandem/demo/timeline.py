"""The history driver: each case's story is planned first as dated steps (its lifecycle, then
the records kept along the way), placed so that its fate is reached before today, and later
replayed in time order; a step still in the future today is not replayed, so recent cases stop
part-way, as real ones would."""

import random
from datetime import datetime, timedelta

from tandem.demo.dates import at_work, local_date, working_day_on_or_before
from tandem.demo.notes import contact_note_steps
from tandem.demo.organisation import Staff
from tandem.demo.plans import CasePlan
from tandem.demo.referrals import lifecycle_story
from tandem.demo.risk import iss_risk_steps, risk_assessment_steps, risk_concern_steps
from tandem.demo.story import CaseStory, Course
from tandem.organisations.models import Service


def case_story(
    plan: CasePlan,
    *,
    received_at: datetime,
    now: datetime,
    service: Service,
    staff: Staff,
) -> tuple[CaseStory, datetime]:
    """The case's planned history from `received_at`, and when its last step for its fate is:
    its way through the lifecycle, then the records kept along the way."""
    story, last_step, course = lifecycle_story(
        plan, received_at=received_at, now=now, service=service, staff=staff
    )
    # The records draw from their own generator, so the lifecycle is drawn as it was without them.
    rng = random.Random(f"{plan.seed}:records")  # noqa: S311 - synthetic demo data, reproducible
    iss_risk_steps(story, plan=plan, course=course, service=service, staff=staff, now=now, rng=rng)
    _intervention_steps(story, plan=plan, course=course, now=now, rng=rng)
    return story, last_step


def _intervention_steps(
    story: CaseStory, *, plan: CasePlan, course: Course, now: datetime, rng: random.Random
) -> None:
    if not course.attending:
        return
    contact_note_steps(story, plan=plan, course=course, now=now, rng=rng)
    risk_assessment_steps(story, plan=plan, course=course, rng=rng)
    risk_concern_steps(story, plan=plan, course=course, now=now, rng=rng)


def scheduled_story(
    plan: CasePlan, *, now: datetime, rng: random.Random, service: Service, staff: Staff
) -> CaseStory:
    """Place the story so that its fate is reached before today, moving the referral earlier
    as far as needed."""
    low, high = plan.received_days_ago
    received_at = at_work(
        working_day_on_or_before(local_date(now) - timedelta(days=rng.randint(low, high))), rng
    )
    while True:
        story, last_step = case_story(
            plan, received_at=received_at, now=now, service=service, staff=staff
        )
        if last_step <= now - timedelta(minutes=10):
            return story
        overshoot = max(1, (last_step - now).days + 1)
        earlier = working_day_on_or_before(received_at.date() - timedelta(days=overshoot))
        received_at = datetime.combine(earlier, received_at.timetz())
