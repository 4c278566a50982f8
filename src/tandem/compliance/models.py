"""What is due: stored due tasks (what the standards require to happen by when, for which case,
under which rule), and recurring items (computed from the records each time), each with its
urgency on a person's work list."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models

from tandem.organisations.models import Service


class TaskSide(models.TextChoices):
    """Which side of the information barrier may see the task: an ISS task names a survivor."""

    PERPETRATOR = "perpetrator", "Perpetrator work"
    ISS = "iss", "ISS"


class DueTask(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="due_tasks")
    rule_id = models.CharField(max_length=40, help_text="The rule in rules.md that requires it")
    title = models.CharField(max_length=300)
    side = models.CharField(max_length=12, choices=TaskSide.choices)
    perpetrator_case = models.ForeignKey(
        "cases.PerpetratorCase",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="due_tasks",
    )
    iss_case = models.ForeignKey(
        "support.IssCase", on_delete=models.CASCADE, null=True, blank=True, related_name="due_tasks"
    )
    due_at = models.DateTimeField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["service", "side", "completed_at", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(side="iss") | models.Q(iss_case__isnull=False),
                name="iss_task_names_its_iss_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_at:%d %b %Y %H:%M}, rule {self.rule_id})"


# How pressing something due is, on a person's work list: overdue, due soon (within
# DUE_SOON_WORKING_DAYS working days in the service's jurisdiction) or later.
DUE_SOON_WORKING_DAYS = 2

OVERDUE, DUE_SOON, LATER = 0, 1, 2


@dataclass(frozen=True)
class RecurringItem:
    """Something a service does again and again, due from when it was last done: not a stored
    task, but computed from the records each time (each area's `due.py`)."""

    service: Service
    title: str
    rule_id: str
    due_on: date
    urgency: int
    # Where the person does it; set by `tandem.work` for each area.
    url: str = ""
