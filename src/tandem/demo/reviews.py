"""The service's own records: monthly case management reviews (rule case-review), case-file
audits (rule file-audit) and the weekly risk and engagement exchanges with the ISS (rule
weekly-exchange), each made once every case's story has been replayed, from the dates recorded.
The latest of each is late, so each is overdue today."""

import random
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from tandem.cases.models import PerpetratorCase
from tandem.cases.selectors import file_audit_candidates, open_cases_at
from tandem.cases.services.reviews import (
    ReviewEntry,
    case_review_meeting_record,
    file_audit_record,
    risk_engagement_exchange_record,
)
from tandem.demo.dates import local_date, working_day_on_or_after, working_day_on_or_before
from tandem.demo.organisation import Staff
from tandem.lib.calendar import UK_TIME
from tandem.organisations.models import Service

_DECISIONS_BEFORE_START = (
    "Screening and assessment on track; ISS contact in progress (synthetic)",
    "Assessed; waiting for a place in the next group (synthetic)",
    "Referrer asked for the police call-out history before assessment (synthetic)",
)
_DECISIONS_DURING = (
    "Risk and progress reviewed with the ISS; plan unchanged (synthetic)",
    "ISS update on her safety shared; keep the current risk level (synthetic)",
    "Some minimising in sessions; focus on accountability next month (synthetic)",
    "Attendance patchy; worker to agree a plan with him (synthetic)",
)
_REVIEW_ACTIONS = (
    "Worker to update the risk assessment after the next session (synthetic)",
    "ISS to check her safety plan before the next meeting (synthetic)",
    "Ask the children's social worker for an update (synthetic)",
)
_AUDIT_FINDINGS = (
    "Consent, screening and ISS contact outcomes complete in every file; two contact notes "
    "recorded late (synthetic)",
    "Risk assessments up to date with action plans; session notes thin in one file (synthetic)",
    "One file missing the children's social worker details; otherwise complete (synthetic)",
)
_AUDIT_FEEDBACK = (
    "Fed back to each worker in supervision, with a reminder to record within 1 working day "
    "(synthetic)",
    "Feedback given at the team meeting and to the workers concerned (synthetic)",
)


def _review_entry(case: PerpetratorCase, held_on: date, rng: random.Random) -> ReviewEntry:
    started_at = case.intervention_started_at
    started = started_at is not None and local_date(started_at) <= held_on
    return ReviewEntry(
        case=case,
        decisions=rng.choice(_DECISIONS_DURING if started else _DECISIONS_BEFORE_START),
        actions=rng.choice(_REVIEW_ACTIONS) if rng.random() < 0.2 else "",
    )


def case_reviews_record(
    *, service: Service, staff: Staff, first_referral_on: date, now: datetime, rng: random.Random
) -> None:
    """Monthly while the service has open cases, chaired in turn by the service and practice
    managers with a perpetrator worker and an ISS worker, every case open that day considered.
    The last was six weeks ago: the next one is overdue today, the missed review the worklist
    shows."""
    held = [working_day_on_or_before(local_date(now) - timedelta(weeks=6))]
    while True:
        earlier = working_day_on_or_after(held[-1] - relativedelta(months=1))
        if earlier < first_referral_on or not open_cases_at(service=service, on=earlier).exists():
            break
        held.append(earlier)
    previous_on: date | None = None
    for number, held_on in enumerate(reversed(held)):
        chair = staff.service_manager if number % 2 == 0 else staff.practice_manager
        case_review_meeting_record(
            service=service,
            actor=chair,
            held_on=held_on,
            chair=chair,
            attendees=[rng.choice(staff.perpetrator_workers), rng.choice(staff.iss_workers)],
            entries=[
                _review_entry(case, held_on, rng)
                for case in open_cases_at(service=service, on=held_on)
            ],
            previous_actions_reviewed=(
                f"Actions from {previous_on:%d %B %Y} reviewed: done, or carried forward "
                "(synthetic)"
                if previous_on
                else ""
            ),
            now=datetime.combine(held_on, time(16, 30), tzinfo=UK_TIME),
        )
        previous_on = held_on


def file_audits_record(
    *, service: Service, staff: Staff, first_referral_on: date, now: datetime, rng: random.Random
) -> None:
    """By the practice manager every six to eight weeks while there are files, once more than
    eight weeks apart, six files sampled each time. The last was ten weeks ago: the next one is
    overdue today."""
    audited = [working_day_on_or_before(local_date(now) - timedelta(weeks=10))]
    while True:
        gap = timedelta(days=rng.randint(63, 66) if len(audited) == 3 else rng.randint(42, 56))
        earlier = working_day_on_or_after(audited[-1] - gap)
        if (
            earlier < first_referral_on
            or not file_audit_candidates(service=service, today=earlier).exists()
        ):
            break
        audited.append(earlier)
    for audited_on in reversed(audited):
        files = list(file_audit_candidates(service=service, today=audited_on))
        file_audit_record(
            service=service,
            actor=staff.practice_manager,
            audited_on=audited_on,
            sample=rng.sample(files, k=min(6, len(files))),
            findings=rng.choice(_AUDIT_FINDINGS),
            feedback=rng.choice(_AUDIT_FEEDBACK),
            now=datetime.combine(audited_on, time(15, 0), tzinfo=UK_TIME),
        )


_EXCHANGE_SUMMARIES = (
    "No change in risk this week; attendance steady in both groups (synthetic)",
    "Two men missed a session; the ISS will tell their partners (synthetic)",
    "The ISS reports one survivor feels less safe; his worker will review his risk (synthetic)",
    "New referrals this week; ISS contact with their partners under way (synthetic)",
    "One man back after a suspension; the ISS has updated his partner's safety plan (synthetic)",
    "Lost contact with one man; the ISS has told his partner and checked her plan (synthetic)",
)


def exchanges_record(
    *, service: Service, staff: Staff, first_referral_on: date, now: datetime, rng: random.Random
) -> None:
    """Rule weekly-exchange (R08 B3.5): a perpetrator worker and an ISS worker exchange the
    week's changes in risk and engagement, from the first referral on, never more than a week
    apart, until ten days ago: last week's was missed, so the next one is overdue today, the
    gap the service manager's work list shows."""
    held = [working_day_on_or_before(local_date(now) - timedelta(days=10))]
    while (earlier := working_day_on_or_after(held[-1] - timedelta(weeks=1))) >= (
        first_referral_on
    ):
        held.append(earlier)
    for held_on in reversed(held):
        perpetrator_side_person = rng.choice(staff.perpetrator_workers)
        risk_engagement_exchange_record(
            service=service,
            actor=perpetrator_side_person,
            held_on=held_on,
            perpetrator_side_person=perpetrator_side_person,
            iss_side_person=rng.choice(staff.iss_workers),
            summary=rng.choice(_EXCHANGE_SUMMARIES),
            now=datetime.combine(held_on, time(15, 30), tzinfo=UK_TIME),
        )
