"""The DASH risk checklist with her, the incidents against her and her MARAC referrals (rule
dash)."""

from collections.abc import Mapping
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.audit.services import audit_event_record
from tandem.compliance.models import DueTask, TaskSide
from tandem.compliance.services import due_task_create, due_tasks_complete
from tandem.lib.calendar import Jurisdiction
from tandem.lib.errors import ActionRefused
from tandem.support.deadlines import marac_referral_due
from tandem.support.gates import (
    DASH_INSTRUMENT_ID,
    MaracSettings,
    dash_yes_count,
    marac_referral_criteria,
)
from tandem.support.instruments import instrument_get
from tandem.support.models import DashAssessment, IssCase, MaracReferral, RiskIncident
from tandem.support.services.iss_cases import iss_case_lock, iss_case_save_with_version


def marac_settings_of(*, iss_case: IssCase) -> MaracSettings:
    service = iss_case.survivor.service
    try:
        return MaracSettings(
            visible_high_risk_threshold=service.dash_high_risk_threshold,
            escalation_incidents=service.marac_escalation_incidents,
            escalation_window_days=service.marac_escalation_window_days,
        )
    except ValueError as problem:
        raise ActionRefused(
            f"the service's MARAC referral settings cannot be used ({problem}): ask an "
            "administrator to correct them",
            rule_id="dash",
        ) from None


@transaction.atomic
def dash_assessment_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    answers: Mapping[int, str],
    professional_judgement_high: bool,
    professional_judgement_reasons: str,
    now: datetime | None = None,
) -> DashAssessment:
    """Her answers to the DASH risk checklist, scored, with the MARAC referral criteria they
    meet with the service's settings, her recorded incidents and earlier MARAC referrals.
    Meeting any criterion makes a MARAC referral due (unless one is already due).

    Every question is answered (yes, no or don't know). A professional judgement of high risk
    needs written reasons and only ever raises the level."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    instrument = instrument_get(instrument_id=DASH_INSTRUMENT_ID)
    for question in instrument.questions:
        if question.number not in answers:
            raise ActionRefused(
                f"answer question {question.number} ({question.topic}): yes, no or don't know",
                rule_id="dash",
                field=f"question_{question.number}",
            )
    try:
        yes_count = dash_yes_count(instrument=instrument, answers=dict(answers))
    except ValueError as problem:
        raise ActionRefused(str(problem), rule_id="dash", field="answers") from None
    reasons = professional_judgement_reasons.strip()
    if professional_judgement_high and not reasons:
        raise ActionRefused(
            "give your reasons for judging her risk high",
            rule_id="dash",
            field="professional_judgement_reasons",
        )
    survivor = iss_case.survivor
    criteria = marac_referral_criteria(
        yes_count=yes_count,
        settings=marac_settings_of(iss_case=iss_case),
        professional_judgement_high=professional_judgement_high,
        professional_judgement_reasons=reasons,
        incident_dates=list(survivor.risk_incidents.values_list("occurred_on", flat=True)),
        assessed_on=timezone.localdate(now),
        previous_marac_referral_dates=list(
            survivor.marac_referrals.values_list("referred_on", flat=True)
        ),
    )
    assessment = DashAssessment.objects.create(
        iss_case=iss_case,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers={str(number): answers[number] for number in sorted(answers)},
        yes_count=yes_count,
        professional_judgement_high=professional_judgement_high,
        professional_judgement_reasons=reasons if professional_judgement_high else "",
        criteria=[criterion.value for criterion in criteria],
        assessed_at=now,
        assessed_by=actor,
    )
    referral_due = DueTask.objects.filter(
        rule_id="dash", iss_case=iss_case, completed_at__isnull=True
    ).exists()
    if criteria and not referral_due:
        due_task_create(
            service=survivor.service,
            rule_id="dash",
            title=f"Refer {survivor} to MARAC",
            side=TaskSide.ISS,
            due_at=marac_referral_due(
                assessed_at=now, jurisdiction=Jurisdiction(survivor.service.jurisdiction)
            ),
            now=now,
            iss_case=iss_case,
            assigned_to=iss_case.allocated_worker,
        )
    iss_case_save_with_version(iss_case)
    # Her answers and the result stay out of the trail: managers on both sides read it.
    audit_event_record(
        actor=actor, action="created", target=assessment, summary="DASH risk checklist recorded"
    )
    return assessment


@transaction.atomic
def risk_incident_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    occurred_on: date,
    summary: str,
    now: datetime | None = None,
) -> RiskIncident:
    """An incident against her, counted by the next DASH assessment for potential escalation
    and repeat referral (rule dash)."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    if occurred_on > timezone.localdate(now):
        raise ActionRefused("the incident cannot be in the future", field="occurred_on")
    if not summary.strip():
        raise ActionRefused("say what happened", field="summary")
    incident = RiskIncident.objects.create(
        survivor=iss_case.survivor,
        occurred_on=occurred_on,
        summary=summary.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    iss_case_save_with_version(iss_case)
    audit_event_record(actor=actor, action="created", target=incident, summary="incident recorded")
    return incident


@transaction.atomic
def marac_referral_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    referred_on: date,
    now: datetime | None = None,
) -> MaracReferral:
    """Her referral to the MARAC, made on the criteria her latest DASH assessment met; the
    referral task is done (rule dash)."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    if referred_on > timezone.localdate(now):
        raise ActionRefused("the referral cannot be in the future", field="referred_on")
    latest = iss_case.dash_assessments.order_by("-assessed_at", "-pk").first()
    if latest is None or not latest.criteria:
        raise ActionRefused(
            "her latest DASH assessment meets no MARAC referral criterion: record the "
            "assessment the referral is made on first",
            rule_id="dash",
            field="referred_on",
        )
    assessed_on = timezone.localdate(latest.assessed_at)
    if referred_on < assessed_on:
        raise ActionRefused(
            f"the referral cannot be before the DASH assessment it is made on "
            f"({assessed_on:%d %b %Y})",
            rule_id="dash",
            field="referred_on",
        )
    if latest.marac_referrals.exists():
        raise ActionRefused(
            "the referral on her latest DASH assessment is already recorded",
            rule_id="dash",
            field="referred_on",
        )
    referral = MaracReferral.objects.create(
        survivor=iss_case.survivor,
        dash_assessment=latest,
        referred_on=referred_on,
        criteria=latest.criteria,
        referred_by=actor,
        recorded_at=now,
    )
    due_tasks_complete(rule_id="dash", iss_case=iss_case, actor=actor, now=now)
    iss_case_save_with_version(iss_case)
    audit_event_record(
        actor=actor, action="created", target=referral, summary="MARAC referral recorded"
    )
    return referral
