"""The ISS's side of a case's story: its attempts to reach each survivor after the referral,
some reached late, some unsafe to contact, some not yet reached."""

import random
from datetime import datetime
from functools import partial

from django.contrib.auth.models import User

from tandem.demo.dates import minutes_after, working_days_after
from tandem.demo.plans import Contact
from tandem.demo.story import CaseStory
from tandem.support.models import AttemptOutcome, ContactMethod

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


def contact_steps(
    story: CaseStory,
    *,
    position: int,
    referred_at: datetime,
    contact: Contact,
    worker: User,
    rng: random.Random,
) -> datetime | None:
    """The ISS's attempts to reach her; returns when contact was settled (reached, or recorded
    as unsafe), or None while she has not been reached."""
    attempt = partial(story.at, action=story.attempt_contact, position=position, actor=worker)
    if contact == Contact.UNREACHED:
        for offset in (1, 2, 3, 5, 7, 10, 13, 17, 22):
            outcome = rng.choice([AttemptOutcome.NO_ANSWER, AttemptOutcome.MESSAGE_LEFT])
            attempt(working_days_after(referred_at, offset, rng), method="phone", outcome=outcome)
        return None
    settled_after = {
        Contact.ACCEPTED: rng.randint(1, 4),
        Contact.DECLINED: rng.randint(1, 4),
        Contact.LATE: rng.randint(6, 9),
        Contact.UNSAFE: rng.randint(2, 3),
    }[contact]
    failures = rng.randint(2, 4) if contact == Contact.LATE else rng.randint(0, 2)
    moments = sorted(
        working_days_after(referred_at, rng.randint(1, settled_after - 1), rng)
        if settled_after > 1
        else minutes_after(referred_at, 20, 120, rng)
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
    settled = working_days_after(referred_at, settled_after, rng)
    if moments and settled <= moments[-1]:
        settled = minutes_after(moments[-1], 30, 90, rng)
    if contact == Contact.UNSAFE:
        story.at(
            settled,
            story.record_unsafe,
            position=position,
            actor=worker,
            reason=rng.choice(_UNSAFE_REASONS),
        )
        return settled
    declined = contact == Contact.DECLINED or (contact == Contact.LATE and rng.random() < 0.3)
    outcome = AttemptOutcome.SUPPORT_DECLINED if declined else AttemptOutcome.SUPPORT_ACCEPTED
    attempt(settled, method="phone", outcome=outcome)
    if not declined and rng.random() < 0.3:
        story.at(
            minutes_after(settled, 5, 20, rng),
            story.set_safe_contact,
            position=position,
            actor=worker,
            preference=rng.choice(_SAFE_CONTACT),
        )
    return settled
