"""His contact notes while he attends (rule record-1wd): a session every week and the odd call,
professional contact, supervision or multi-agency meeting, a few recorded more than 1 working
day late."""

import itertools
import random
from datetime import datetime, timedelta

from tandem.cases.services.records import CONTACT_KINDS
from tandem.demo.dates import at_work, local_date, minutes_after, working_days_after
from tandem.demo.organisation import JURISDICTION
from tandem.demo.plans import CasePlan, Extra
from tandem.demo.story import CaseStory, Course
from tandem.lib.calendar import due_after_working_days

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


def _recorded_at(occurred_at: datetime, *, late: bool, rng: random.Random) -> datetime:
    """When a contact is recorded: mostly the same day, some the next working day before the
    1 working day is up (rule record-1wd), and late ones 2 to 4 working days after."""
    if late:
        return working_days_after(occurred_at, rng.randint(2, 4), rng)
    if rng.random() < 0.75:
        return minutes_after(occurred_at, 20, 240, rng)
    due = due_after_working_days(start=occurred_at, working_days=1, jurisdiction=JURISDICTION)
    first_thing = due.replace(hour=8, minute=30)
    spare = int((due - first_thing).total_seconds() // 60)
    return first_thing + timedelta(minutes=rng.randint(0, max(0, spare - 1)))


def contact_note_steps(
    story: CaseStory, *, plan: CasePlan, course: Course, now: datetime, rng: random.Random
) -> None:
    """A session every week he attends, and the odd call, professional contact, supervision or
    multi-agency meeting, each recorded by his worker."""
    for started_at, left_at in course.attending:
        until = left_at or now
        for week in itertools.count():
            week_starts = local_date(started_at) + timedelta(weeks=week)
            if week_starts >= local_date(until):
                break
            kinds = [_SESSION] + [
                kind for kind, chance in _OCCASIONAL_CONTACTS if rng.random() < chance
            ]
            for kind in kinds:
                occurred_at = at_work(week_starts + timedelta(days=rng.randint(1, 4)), rng)
                if occurred_at >= until:
                    continue
                late = rng.random() < _LATE_NOTE_CHANCE or (
                    Extra.LATE_NOTE in plan.extras and week == 2 and kind == _SESSION
                )
                story.at(
                    _recorded_at(occurred_at, late=late, rng=rng),
                    story.record_note,
                    actor=course.worker,
                    occurred_at=occurred_at,
                    kind=kind,
                    note=rng.choice(_NOTES[kind]),
                )
