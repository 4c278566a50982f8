"""Her safety plans and their reviews, support sessions, and the organisations she was
signposted or referred to."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tandem.audit.services import audit_event_record
from tandem.compliance.models import TaskSide
from tandem.compliance.services import due_task_create, due_tasks_complete
from tandem.lib.errors import ActionRefused
from tandem.support.deadlines import SAFETY_PLAN_REVIEW, safety_plan_review_due
from tandem.support.models import (
    SIGNPOSTED_TO_MAX_LENGTH,
    IssCase,
    SafetyPlan,
    SessionMethod,
    Signposting,
    SignpostingKind,
    SupportSession,
)
from tandem.support.services.iss_cases import iss_case_lock, iss_case_save_with_version


def _make_review_due(*, iss_case: IssCase, review_on: date, now: datetime) -> None:
    due_task_create(
        service=iss_case.survivor.service,
        rule_id=SAFETY_PLAN_REVIEW,
        title=f"Review {iss_case.survivor}'s safety plan",
        side=TaskSide.ISS,
        due_at=safety_plan_review_due(review_on=review_on),
        now=now,
        iss_case=iss_case,
        assigned_to=iss_case.allocated_worker,
    )


@transaction.atomic
def safety_plan_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    agreed_on: date,
    summary: str,
    review_on: date,
    now: datetime | None = None,
) -> SafetyPlan:
    """The safety plan agreed with her. It supersedes her current plan (kept as it was) and its
    review; her new plan's review becomes due at the end of `review_on`."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    if agreed_on > timezone.localdate(now):
        raise ActionRefused("the plan cannot be agreed in the future", field="agreed_on")
    if not summary.strip():
        raise ActionRefused("say what was agreed in the plan", field="summary")
    if review_on <= agreed_on:
        raise ActionRefused(
            f"the review date must be after the plan was agreed ({agreed_on:%d %b %Y})",
            field="review_on",
        )
    SafetyPlan.objects.filter(iss_case=iss_case, superseded_at__isnull=True).update(
        superseded_at=now
    )
    due_tasks_complete(rule_id=SAFETY_PLAN_REVIEW, iss_case=iss_case, actor=actor, now=now)
    plan = SafetyPlan.objects.create(
        iss_case=iss_case,
        agreed_on=agreed_on,
        summary=summary.strip(),
        review_on=review_on,
        recorded_by=actor,
        recorded_at=now,
    )
    _make_review_due(iss_case=iss_case, review_on=review_on, now=now)
    iss_case_save_with_version(iss_case)
    # What the plan says stays out of the trail: managers on both sides read it.
    audit_event_record(actor=actor, action="created", target=plan, summary="safety plan recorded")
    return plan


@transaction.atomic
def safety_plan_review(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    next_review_on: date,
    now: datetime | None = None,
) -> SafetyPlan:
    """Her current plan reviewed with her and kept as it is: its review task is done and the
    next review is due at the end of `next_review_on`. A changed plan is a new plan instead."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    plan = SafetyPlan.objects.filter(iss_case=iss_case, superseded_at__isnull=True).first()
    if plan is None:
        raise ActionRefused("she has no safety plan to review: record one", field="next_review_on")
    today = timezone.localdate(now)
    if next_review_on <= today:
        raise ActionRefused(
            f"the next review date must be after today ({today:%d %b %Y})", field="next_review_on"
        )
    plan.reviewed_at = now
    plan.review_on = next_review_on
    plan.save(update_fields=["reviewed_at", "review_on"])
    due_tasks_complete(rule_id=SAFETY_PLAN_REVIEW, iss_case=iss_case, actor=actor, now=now)
    _make_review_due(iss_case=iss_case, review_on=next_review_on, now=now)
    iss_case_save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="changed",
        target=plan,
        summary=f"safety plan reviewed: next review {next_review_on:%d %b %Y}",
    )
    return plan


@transaction.atomic
def support_session_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    held_at: datetime,
    method: str,
    summary: str,
    now: datetime | None = None,
) -> SupportSession:
    """A support session held with her."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    if held_at > now:
        raise ActionRefused("the session cannot be in the future", field="held_at")
    if method not in SessionMethod.values:
        raise ActionRefused("choose how the session was held", field="method")
    if not summary.strip():
        raise ActionRefused("say what the session covered", field="summary")
    session = SupportSession.objects.create(
        iss_case=iss_case,
        held_at=held_at,
        method=method,
        summary=summary.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    iss_case_save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="created",
        target=session,
        summary=f"support session recorded: {session.get_method_display()}",
    )
    return session


@transaction.atomic
def signposting_record(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    made_on: date,
    to_whom: str,
    kind: str,
    reason: str,
    outcome: str = "",
    now: datetime | None = None,
) -> Signposting:
    """Another organisation or service she was signposted or referred to."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    if made_on > timezone.localdate(now):
        raise ActionRefused("it cannot be in the future", field="made_on")
    if not to_whom.strip():
        raise ActionRefused("name the organisation or service", field="to_whom")
    if len(to_whom.strip()) > SIGNPOSTED_TO_MAX_LENGTH:
        raise ActionRefused(
            f"shorten the name to {SIGNPOSTED_TO_MAX_LENGTH} characters or fewer", field="to_whom"
        )
    if kind not in SignpostingKind.values:
        raise ActionRefused("choose whether she was signposted or referred", field="kind")
    if not reason.strip():
        raise ActionRefused("say why", field="reason")
    signposting = Signposting.objects.create(
        iss_case=iss_case,
        made_on=made_on,
        to_whom=to_whom.strip(),
        kind=kind,
        reason=reason.strip(),
        outcome=outcome.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    iss_case_save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="created",
        target=signposting,
        summary=f"{signposting.get_kind_display().lower()} to another service",
    )
    return signposting
