"""Referrals and cases: each case's way through the lifecycle (referral, ISS referral and
contact, screening, assessment, consent, start, and a closure, suspension or removal where its
fate has one), a few ISS referrals made after 24 hours and first contacts later than 5 working
days among them."""

import random
from datetime import date, datetime, time, timedelta

from tandem.cases.models import ClosureReason, CriminalJustice, FamilyProceedings, SuspensionKind
from tandem.cases.services.intake import ChildDetails, ReferralDetails
from tandem.cases.services.lifecycle import AssessmentDetails, ConsentDetails, ScreeningDetails
from tandem.demo.dates import (
    at_work,
    local_date,
    minutes_after,
    working_days_after,
    working_days_before,
    years_after,
    years_before,
)
from tandem.demo.iss import contact_steps
from tandem.demo.organisation import Staff
from tandem.demo.people import CHILD_FIRST_NAMES, Identity
from tandem.demo.plans import CasePlan, Contact, Extra, Fate
from tandem.demo.story import CaseStory, Course
from tandem.lib.calendar import UK_TIME
from tandem.organisations.models import Service
from tandem.standards.models import InterventionType
from tandem.support.models import Relationship

_SCREENED_FATES = set(Fate) - {Fate.REFERRED}
_ASSESSED_FATES = _SCREENED_FATES - {
    Fate.SCREENED,
    Fate.NOT_ACCEPTED_CJ_PENDING,
    Fate.NOT_ACCEPTED_UNDER_18,
}
_CONSENTED_FATES = _ASSESSED_FATES - {Fate.NOT_ACCEPTED_AT_ASSESSMENT, Fate.CONSENT_REFUSED}
_STARTED_FATES = _CONSENTED_FATES - {Fate.ASSESSED_AWAITING_START, Fate.ASSESSED_CONTACT_PENDING}
_CLOSURES: dict[Fate, tuple[ClosureReason, tuple[int, int], tuple[str, ...]]] = {
    # reason, weeks after the start, and what the worker wrote
    Fate.COMPLETED: (ClosureReason.COMPLETED, (26, 30), ("",)),
    Fate.DROPPED_OUT: (
        ClosureReason.DROPPED_OUT,
        (3, 14),
        ("Stopped attending after several missed sessions; not reachable (synthetic)", ""),
    ),
    Fate.MOVED: (ClosureReason.MOVED, (4, 20), ("Moved out of the area for work (synthetic)",)),
    Fate.CUSTODY: (
        ClosureReason.CUSTODY,
        (2, 16),
        ("Remanded in custody on an unrelated matter (synthetic)",),
    ),
    Fate.OTHER: (
        ClosureReason.OTHER,
        (3, 20),
        ("A long-term illness stops him attending for the foreseeable future (synthetic)",),
    ),
}
_SUSPENSION_REASONS = (
    "Charged with a domestic abuse offence against a new partner: on hold until the criminal "
    "case concludes (rule cj-pending; synthetic)",
    "Under police investigation after an incident reported by the ISS (synthetic)",
)
_REMOVAL_REASONS = (
    "Continued abusive behaviour in the group despite warnings; re-engagement tried first "
    "(synthetic)",
    "Threatening messages to a group member (synthetic)",
)


def _date_of_birth(fate: Fate, received: date, rng: random.Random) -> date:
    if fate == Fate.NOT_ACCEPTED_UNDER_18:
        return years_before(received, 17) - timedelta(days=rng.randint(30, 300))
    if rng.random() < 0.1:  # 18 to 21: flagged for extra care (rule min-age)
        return years_before(received, 18) - timedelta(days=rng.randint(30, 1000))
    return years_before(received, rng.randint(22, 58)) - timedelta(days=rng.randint(0, 364))


def _children(
    identity: Identity, born: date, received: date, rng: random.Random
) -> list[ChildDetails]:
    if not identity.has_children:
        return []
    lives_together = identity.survivors[0].relationship == Relationship.CURRENT_PARTNER
    children = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        child_born = received - timedelta(days=rng.randint(60, 16 * 365))
        if child_born <= years_after(born, 18):
            continue  # he would have been a child himself
        children.append(
            ChildDetails(
                first_name=rng.choice(CHILD_FIRST_NAMES),
                relationship_to_perpetrator=rng.choice(
                    ["son", "daughter", "son", "daughter", "stepson", "stepdaughter"]
                ),
                last_name=rng.choice([identity.last_name, identity.survivors[0].last_name]),
                date_of_birth=child_born,
                lives_with_perpetrator=lives_together and rng.random() < 0.7,
            )
        )
    return children


def _screening(
    fate: Fate, *, rereferral: bool, children: bool, rng: random.Random
) -> ScreeningDetails:
    if fate == Fate.NOT_ACCEPTED_CJ_PENDING:
        criminal_justice = CriminalJustice.PRE_SENTENCE
    elif rereferral or rng.random() < 0.25:
        criminal_justice = CriminalJustice.CONCLUDED
    else:
        criminal_justice = CriminalJustice.NONE
    family = rng.choices(
        [FamilyProceedings.NONE, FamilyProceedings.WITHIN_12_MONTHS, FamilyProceedings.OLDER],
        weights=[80, 8, 12],
    )[0]
    social_services = children and rng.random() < 0.35
    barriers = rng.random() < 0.2
    return ScreeningDetails(
        criminal_justice=criminal_justice,
        family_proceedings=family,
        family_proceedings_judgement=(
            "Child arrangements order made two years ago; no current proceedings; suitable for "
            "a behaviour-change programme (synthetic)"
            if family == FamilyProceedings.OLDER
            else ""
        ),
        substance_use=rng.choice(
            ["", "", "", "Alcohol most evenings; referred to Example Recovery (synthetic)"]
        ),
        mental_health=rng.choice(["", "", "", "", "Low mood; GP aware (synthetic)"]),
        social_services_involved=social_services,
        social_worker_details=(
            "J. Example, Example Council children's services, "
            "social.work@council.example.invalid (synthetic)"
            if social_services
            else ""
        ),
        protected_characteristics_barriers=(
            "Dyslexia: finds written materials hard (synthetic)" if barriers else ""
        ),
        barriers_delivery_plan=(
            "Materials read aloud; one-to-one catch-up after each session (synthetic)"
            if barriers
            else ""
        ),
    )


def _assessment(
    fate: Fate, screening: ScreeningDetails, rng: random.Random, *, icm: bool = False
) -> AssessmentDetails:
    if fate == Fate.NOT_ACCEPTED_AT_ASSESSMENT:
        return AssessmentDetails(
            risk_summary="High risk; minimises every incident (synthetic)",
            need_summary="Housing and alcohol (synthetic)",
            responsivity_summary="Attends appointments late or not at all (synthetic)",
            motivation_summary="Denies any abuse and says the referral is unfair (synthetic)",
            accepted=False,
            decision_statement=(
                "Not accepted: he does not acknowledge any abusive behaviour and would not agree "
                "to the conditions, including partner contact (rule acceptance). The referrer was "
                "told and given alternatives (synthetic)."
            ),
        )
    # Behaviour-change is never offered within 12 months of private law proceedings.
    icm = (
        icm
        or screening.family_proceedings == FamilyProceedings.WITHIN_12_MONTHS
        or rng.random() < 0.25
    )
    intervention = InterventionType.ICM if icm else InterventionType.BEHAVIOUR_CHANGE
    return AssessmentDetails(
        risk_summary=rng.choice(
            [
                "Medium risk: repeated verbal abuse and controlling behaviour (synthetic)",
                "High risk: escalating incidents over the last year (synthetic)",
                "Medium risk: jealousy and monitoring of her phone (synthetic)",
            ]
        ),
        need_summary=rng.choice(
            ["Employment and debt (synthetic)", "Alcohol use (synthetic)", "Housing (synthetic)"]
        ),
        responsivity_summary=rng.choice(
            ["Works well in a group (synthetic)", "Prefers one-to-one at first (synthetic)"]
        ),
        motivation_summary=rng.choice(
            [
                "Wants to keep contact with his children (synthetic)",
                "Acknowledges some abuse and sees it as a problem (synthetic)",
            ]
        ),
        accepted=True,
        decision_statement=(
            "Eligible and suitable: acknowledges some abusive behaviour, sees it as a problem, "
            "accepts some responsibility and agrees the conditions including ISS contact with "
            f"survivors. Offered {InterventionType(intervention).label.lower()} (synthetic)."
        ),
        intervention_type=intervention,
    )


def lifecycle_story(
    plan: CasePlan,
    *,
    received_at: datetime,
    now: datetime,
    service: Service,
    staff: Staff,
) -> tuple[CaseStory, datetime, Course]:
    """The case's way through the lifecycle from `received_at`, when its last step for its fate
    is, and what the records kept along the way need to know. Drawn from the plan's own seed, so
    moving the referral date redraws the same story."""
    rng = random.Random(plan.seed)  # noqa: S311 - synthetic demo data, reproducible by design
    fate, identity = plan.fate, plan.identity
    survivors = len(identity.survivors)
    original = plan.original.story if plan.original is not None else None
    if original is not None:
        born, children = original.details.date_of_birth, original.details.children
    else:
        born = _date_of_birth(fate, received_at.date(), rng)
        children = _children(identity, born, received_at.date(), rng)
    name, organisation, contact = identity.referrer
    story = CaseStory(
        ReferralDetails(
            first_name=identity.first_name,
            last_name=identity.last_name,
            date_of_birth=born,
            received_at=received_at,
            source=identity.source,
            phone=identity.phone,
            referrer_name=name,
            referrer_organisation=organisation,
            referrer_contact=contact,
            survivors=identity.survivors,
            children=children,
        )
    )
    worker = rng.choice(staff.perpetrator_workers)
    senior = rng.choice([staff.service_manager, staff.practice_manager])
    demo_iss_worker, *other_iss_workers = staff.iss_workers
    if plan.demo_iss_worker_first:
        iss_workers = [demo_iss_worker, *rng.sample(other_iss_workers, k=survivors - 1)]
    else:
        iss_workers = rng.sample(staff.iss_workers, k=survivors)
    course = Course(worker=worker, iss_workers=iss_workers)
    story.at(
        received_at, story.receive, service=service, actor=rng.choice(staff.perpetrator_workers)
    )
    last_step = received_at

    settled: list[datetime | None] = []
    for position, (contact_kind, late, iss_worker) in enumerate(
        zip(plan.contacts, plan.late_iss_referral, iss_workers, strict=True), start=1
    ):
        if contact_kind == Contact.NOT_YET_REFERRED:
            settled.append(None)
            continue
        if late:
            referred_at = working_days_after(received_at, rng.randint(2, 3), rng)
        else:
            # Before the end of the working day it arrived (referrals arrive by 17:00).
            end_of_day = datetime.combine(received_at.date(), time(17, 30), tzinfo=UK_TIME)
            latest = min(180, int((end_of_day - received_at).total_seconds() // 60))
            referred_at = minutes_after(received_at, 15, max(15, latest), rng)
        story.at(
            referred_at - timedelta(minutes=2),
            story.allocate,
            position=position,
            actor=staff.service_manager,
            worker=iss_worker,
        )
        story.at(referred_at, story.refer_to_iss, position=position, actor=staff.service_manager)
        settled.append(
            contact_steps(
                story,
                position=position,
                referred_at=referred_at,
                contact=contact_kind,
                worker=iss_worker,
                rng=rng,
            )
        )
    course.first_contacts = settled

    if fate not in _SCREENED_FATES:
        return story, last_step, course
    screening = _screening(fate, rereferral=original is not None, children=bool(children), rng=rng)
    screened_at = working_days_after(received_at, rng.randint(1, 5), rng)
    story.at(screened_at, story.screen, actor=worker, screening=screening)
    last_step = screened_at
    if fate not in _ASSESSED_FATES:
        return story, last_step, course

    assessed_at = working_days_after(screened_at, rng.randint(4, 12), rng)
    assessment = _assessment(fate, screening, rng, icm=Extra.ICM in plan.extras)
    course.intervention_type = assessment.intervention_type
    story.at(assessed_at, story.assess, actor=worker, assessment=assessment)
    last_step = assessed_at
    if plan.outcome_told:
        told_late = rng.random() < 0.1
        for position, iss_worker in enumerate(iss_workers, start=1):
            told_at = (
                working_days_after(assessed_at, 2, rng)
                if told_late
                else minutes_after(assessed_at, 30, 150, rng)
            )
            story.at(told_at, story.tell_outcome, actor=iss_worker, position=position)
        told_at = (
            working_days_after(assessed_at, 3, rng)
            if told_late
            else minutes_after(assessed_at, 160, 300, rng)
        )
        story.at(told_at, story.tell_outcome, actor=worker, position=None)
    if fate == Fate.NOT_ACCEPTED_AT_ASSESSMENT:
        return story, last_step, course

    signed_at = (
        minutes_after(assessed_at, 20, 90, rng)
        if rng.random() < 0.7
        else working_days_after(assessed_at, rng.randint(1, 4), rng)
    )
    if fate == Fate.CONSENT_REFUSED:
        story.at(
            signed_at,
            story.record_consent,
            actor=worker,
            consent=ConsentDetails(None, refused=True),
        )
        return story, signed_at, course
    if fate == Fate.ASSESSED_AWAITING_START and rng.random() < 0.4:
        return story, last_step, course  # the agreement is still to be signed
    consent = ConsentDetails(
        signed_at.astimezone(UK_TIME).date(),
        covers_case_file_review=True,
        covers_recorded_sessions=True,
    )
    story.at(signed_at, story.record_consent, actor=worker, consent=consent)
    last_step = signed_at
    if fate not in _STARTED_FATES:
        return story, last_step, course

    ready = max([signed_at, *(moment for moment in settled if moment is not None)])
    started_at = working_days_after(ready, rng.randint(2, 10), rng)
    story.at(started_at, story.start, actor=worker)
    last_step = started_at

    if fate in _CLOSURES:
        reason, (low, high), details = _CLOSURES[fate]
        closed_on = started_at.date() + timedelta(weeks=rng.randint(low, high))
        closed_at = at_work(closed_on + timedelta(days=rng.randint(0, 4)), rng)
        story.at(closed_at, story.close, actor=worker, reason=reason, detail=rng.choice(details))
        course.attending = [(started_at, closed_at)]
        course.ended_case = True
        return story, closed_at, course
    course.attending = [(started_at, None)]
    if fate == Fate.IN_INTERVENTION:
        return story, last_step, course

    if fate == Fate.SUSPENSION_PROPOSED:
        # Proposed in the last few days: the ISS has been consulted, the survivors not yet told.
        proposed_on = working_days_before(local_date(now), plan.proposed_working_days_ago)
        proposed_at = at_work(proposed_on, rng)
        proposed_at = max(proposed_at, working_days_after(started_at, 5, rng))
    else:
        proposed_at = at_work(started_at.date() + timedelta(weeks=rng.randint(4, 12)), rng)
    kind = SuspensionKind.REMOVAL if fate == Fate.DESELECTED else SuspensionKind.SUSPENSION
    reasons = _REMOVAL_REASONS if kind == SuspensionKind.REMOVAL else _SUSPENSION_REASONS
    story.at(proposed_at, story.propose, actor=worker, kind=kind, reason=rng.choice(reasons))
    consulted_at = minutes_after(proposed_at, 60, 240, rng)
    story.at(consulted_at, story.consult_iss, actor=iss_workers[0])
    if fate == Fate.SUSPENSION_PROPOSED:
        return story, consulted_at, course
    informed_at = working_days_after(consulted_at, rng.randint(1, 2), rng)
    story.at(informed_at, story.inform_survivors, actor=iss_workers[0])
    signed_off_at = minutes_after(informed_at, 60, 300, rng)
    story.at(signed_off_at, story.sign_off, actor=senior)
    course.attending = [(started_at, signed_off_at)]
    course.ended_case = fate == Fate.DESELECTED
    if fate != Fate.REENGAGED:
        return story, signed_off_at, course
    reengaged_at = at_work(signed_off_at.date() + timedelta(weeks=rng.randint(3, 8)), rng)
    story.at(reengaged_at, story.reengage, actor=worker)
    course.attending.append((reengaged_at, None))
    return story, reengaged_at, course
