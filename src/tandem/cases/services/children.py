"""The children connected to him (rules children-record, child-plan) and what makes their needs
due for re-examination (rule child-retrigger)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from tandem.audit.services import audit_event_record, model_snapshot
from tandem.cases.deadlines import close_of_day
from tandem.cases.models import CaseReviewMeeting, Child, PerpetratorCase, Stage
from tandem.cases.services.common import case_lock_for_write, refuse_future
from tandem.cases.services.intake import ChildDetails
from tandem.compliance import deadlines
from tandem.compliance.models import DueTask, TaskSide
from tandem.compliance.services import due_task_create
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service


def case_review_due_for_service(*, service: Service, today: date) -> date:
    last = CaseReviewMeeting.objects.filter(service=service).order_by("-held_on").first()
    return deadlines.case_review_due(last_held_on=last.held_on if last else None, today=today)


class ChildTrigger(models.TextChoices):
    """What makes the children's needs due for re-examination (rule child-retrigger)."""

    INCIDENT = "incident", "A new incident of domestic abuse"
    PREGNANCY = "pregnancy", "A pregnancy"
    BIRTH = "birth", "A birth"
    NEW_CHILD = "new_child", "A new child in his household"


@transaction.atomic
def children_reexamination_trigger(
    *,
    case: PerpetratorCase,
    actor: User,
    trigger: str,
    details: str,
    now: datetime | None = None,
) -> DueTask:
    """Rule child-retrigger (R08 B7.10): a new incident, a pregnancy, a birth or a new child in
    his household prompts a re-examination of the children's needs through the case
    management process, so it is due by the next case management review (today, if that is
    already overdue)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if case.stage == Stage.CLOSED:
        raise ActionRefused(
            "the case is closed: raise it with children's social care instead", field="trigger"
        )
    if trigger not in ChildTrigger.values:
        raise ActionRefused("choose what happened", field="trigger")
    if not details.strip():
        raise ActionRefused("say what happened", field="details")
    next_review = case_review_due_for_service(service=case.service, today=today)
    label = ChildTrigger(trigger).label
    task = due_task_create(
        service=case.service,
        rule_id="child-retrigger",
        title=f"Re-examine the children's needs in {case.reference}: {label.lower()}",
        side=TaskSide.PERPETRATOR,
        due_at=close_of_day(max(next_review, today)),
        now=now,
        perpetrator_case=case,
        assigned_to=case.allocated_worker,
    )
    audit_event_record(
        actor=actor,
        action="created",
        target=task,
        summary=f"children's needs to re-examine in {case.reference}: {label.lower()}: "
        f"{details.strip()}",
    )
    return task


@dataclass(frozen=True)
class ChildSocialCare:
    """What children's social care knows of the child (rules children-record and child-plan)."""

    known_to_childrens_social_care: bool | None = None
    plan: str = Child.Plan.NONE
    plan_review_on: date | None = None
    plan_copy_on_file: bool = False
    proceedings: str = Child.Proceedings.NONE


def _validate_child(
    *,
    case: PerpetratorCase,
    child: ChildDetails,
    social_care: ChildSocialCare,
    now: datetime,
) -> None:
    if not child.first_name.strip():
        raise ActionRefused("enter the child's first name", field="first_name")
    if not child.relationship_to_perpetrator.strip():
        raise ActionRefused("enter the child's relationship to him", field="relationship")
    if child.date_of_birth is not None:
        refuse_future(value=child.date_of_birth, field_name="date_of_birth", now=now)
        if child.date_of_birth <= case.date_of_birth:
            raise ActionRefused(
                "the child would be older than him: check both dates of birth",
                rule_id="children-record",
                field="date_of_birth",
            )
    if social_care.plan not in Child.Plan.values:
        raise ActionRefused("choose the child's plan, or none", field="plan")
    if social_care.proceedings not in Child.Proceedings.values:
        raise ActionRefused("choose the proceedings about the child, or none", field="proceedings")
    has_plan = social_care.plan != Child.Plan.NONE
    if has_plan and social_care.known_to_childrens_social_care is False:
        raise ActionRefused(
            "a child with a plan is known to children's social care",
            field="known_to_childrens_social_care",
        )
    if has_plan and social_care.plan_review_on is None:
        raise ActionRefused(
            f"enter the {Child.Plan(social_care.plan).label.lower()}'s review date",
            rule_id="child-plan",
            field="plan_review_on",
        )
    if not has_plan and social_care.plan_review_on is not None:
        raise ActionRefused(
            "there is no plan to review: leave the review date blank", field="plan_review_on"
        )
    if social_care.plan == Child.Plan.CHILD_PROTECTION and not social_care.plan_copy_on_file:
        raise ActionRefused(
            "a copy of the child protection plan, with its review dates, must be on file",
            rule_id="child-plan",
            field="plan_copy_on_file",
        )
    if not has_plan and social_care.plan_copy_on_file:
        raise ActionRefused(
            "there is no plan to keep a copy of: choose the plan or untick this",
            field="plan_copy_on_file",
        )


def _set_child_fields(*, record: Child, child: ChildDetails, social_care: ChildSocialCare) -> None:
    record.first_name = child.first_name.strip()
    record.last_name = child.last_name.strip()
    record.date_of_birth = child.date_of_birth
    record.relationship_to_perpetrator = child.relationship_to_perpetrator.strip()
    record.lives_with_perpetrator = child.lives_with_perpetrator
    record.known_to_childrens_social_care = social_care.known_to_childrens_social_care
    record.plan = social_care.plan
    record.plan_review_on = social_care.plan_review_on
    record.plan_copy_on_file = social_care.plan_copy_on_file
    record.proceedings = social_care.proceedings


def _in_intervention(case: PerpetratorCase) -> bool:
    return case.stage in (Stage.IN_INTERVENTION, Stage.SUSPENDED)


@transaction.atomic
def child_add(
    *,
    case: PerpetratorCase,
    actor: User,
    child: ChildDetails,
    social_care: ChildSocialCare | None = None,
    now: datetime | None = None,
) -> Child:
    """Rule children-record (R22-S/I B5.1): every child connected to him. During the
    intervention, a child born since it started, or a child now living with him, also makes the
    children's needs due for re-examination (rule child-retrigger)."""
    now = now or timezone.now()
    social_care = social_care or ChildSocialCare()
    _validate_child(case=case, child=child, social_care=social_care, now=now)
    record = Child(case=case)
    _set_child_fields(record=record, child=child, social_care=social_care)
    record.save()
    audit_event_record(
        actor=actor,
        action="created",
        target=record,
        summary=f"child added to {case.reference}",
        after=model_snapshot(instance=record),
    )
    if _in_intervention(case):
        started = case.intervention_started_at
        born_since_start = (
            child.date_of_birth is not None
            and started is not None
            and child.date_of_birth >= timezone.localdate(started)
        )
        if born_since_start:
            trigger = ChildTrigger.BIRTH
        elif child.lives_with_perpetrator:
            trigger = ChildTrigger.NEW_CHILD
        else:
            return record
        children_reexamination_trigger(
            case=case,
            actor=actor,
            trigger=trigger,
            details=f"{record} added to the case",
            now=now,
        )
    return record


@transaction.atomic
def child_update(
    *,
    child: Child,
    actor: User,
    expected_version: int,
    details: ChildDetails,
    social_care: ChildSocialCare,
    now: datetime | None = None,
) -> Child:
    """Correct a child's details and record what children's social care knows: whether the
    child is known to it, a child in need or child protection plan with its review date (and,
    for child protection, a copy on file: rule child-plan), and any care or contact proceedings.
    A child newly living with him during the intervention is a child-retrigger. The case's
    version guards against two people editing the case at once."""
    now = now or timezone.now()
    case = case_lock_for_write(case=child.case, expected_version=expected_version)
    record = Child.objects.select_for_update().get(pk=child.pk, case=case)
    _validate_child(case=case, child=details, social_care=social_care, now=now)
    before = model_snapshot(instance=record)
    moved_in = details.lives_with_perpetrator and not record.lives_with_perpetrator
    _set_child_fields(record=record, child=details, social_care=social_care)
    record.save()
    case.version = F("version") + 1
    case.save(update_fields=["version"])
    case.refresh_from_db()
    audit_event_record(
        actor=actor,
        action="changed",
        target=record,
        summary=f"child's details on {case.reference} changed",
        before=before,
        after=model_snapshot(instance=record),
    )
    if moved_in and _in_intervention(case):
        children_reexamination_trigger(
            case=case,
            actor=actor,
            trigger=ChildTrigger.NEW_CHILD,
            details=f"{record} now lives with him",
            now=now,
        )
    return record
