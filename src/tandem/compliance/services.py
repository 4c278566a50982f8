"""Creating and completing due tasks. Other apps' services call these inside their transactions."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction

from tandem.compliance.models import DueTask, TaskSide
from tandem.organisations.models import Service

if TYPE_CHECKING:
    from tandem.cases.models import PerpetratorCase
    from tandem.support.models import IssCase


@transaction.atomic
def due_task_create(
    *,
    service: Service,
    rule_id: str,
    title: str,
    side: TaskSide,
    due_at: datetime,
    now: datetime,
    perpetrator_case: "PerpetratorCase | None" = None,
    iss_case: "IssCase | None" = None,
    assigned_to: User | None = None,
) -> DueTask:
    return DueTask.objects.create(
        service=service,
        rule_id=rule_id,
        title=title,
        side=side,
        due_at=due_at,
        created_at=now,
        perpetrator_case=perpetrator_case,
        iss_case=iss_case,
        assigned_to=assigned_to,
    )


@transaction.atomic
def due_tasks_complete(
    *,
    rule_id: str,
    actor: User,
    now: datetime,
    perpetrator_case: "PerpetratorCase | None" = None,
    iss_case: "IssCase | None" = None,
    service: Service | None = None,
) -> int:
    """Mark the open tasks of a rule for a case (or a whole service) done, e.g. once the ISS
    referral is made."""
    tasks = DueTask.objects.filter(rule_id=rule_id, completed_at__isnull=True)
    if service is not None:
        tasks = tasks.filter(service=service)
    if perpetrator_case is not None:
        tasks = tasks.filter(perpetrator_case=perpetrator_case)
    if iss_case is not None:
        tasks = tasks.filter(iss_case=iss_case)
    return tasks.update(completed_at=now, completed_by=actor)
