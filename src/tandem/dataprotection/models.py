"""Legal holds, and the record of what retention has anonymised."""

from django.conf import settings
from django.db import models

from tandem.cases.models import PerpetratorCase
from tandem.support.models import IssCase


class LegalHold(models.Model):
    """A case that must be kept whatever its retention period says (litigation, an inquiry, a
    domestic homicide review): it and the cases linked to it are not anonymised while the
    hold stands. Placed and lifted by a senior manager of the service, with a reason."""

    perpetrator_case = models.ForeignKey(
        PerpetratorCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    iss_case = models.ForeignKey(
        IssCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(perpetrator_case__isnull=False, iss_case__isnull=True)
                | models.Q(perpetrator_case__isnull=True, iss_case__isnull=False),
                name="legal_hold_on_one_case",
            )
        ]

    def __str__(self) -> str:
        case = (
            f"case {self.perpetrator_case_id}"
            if self.perpetrator_case_id
            else f"ISS case {self.iss_case_id}"
        )
        return f"Legal hold on {case}"


class RecordType(models.TextChoices):
    PERPETRATOR_CASES = "perpetrator-cases", "Closed perpetrator cases"
    ISS_CASES = "iss-cases", "Closed ISS cases"
    COMPLAINTS = "complaints", "Answered complaints"


class Anonymisation(models.Model):
    """One record anonymised by `tandem retention run`: it is not selected again."""

    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    record_id = models.PositiveBigIntegerField()
    anonymised_at = models.DateTimeField()

    class Meta:
        ordering = ["-anonymised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "record_id"], name="anonymised_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} {self.record_id} anonymised"


class SubjectAccessRelease(models.Model):
    """His subject access export released to him, after a senior manager confirmed that each
    third-party item listed (survivors, children, staff, referrers named in it) was reviewed:
    redacted, or kept with consent or because it is reasonable to (DPA 2018 Sch. 2 para 16)."""

    case = models.ForeignKey(PerpetratorCase, on_delete=models.PROTECT, related_name="+")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField()
    third_party_items = models.JSONField(
        help_text="The third-party items listed for review when it was released"
    )
    review_note = models.TextField(blank=True, help_text="What the reviewer decided, and why")

    class Meta:
        ordering = ["-released_at", "-pk"]

    def __str__(self) -> str:
        return f"Subject access release for case {self.case_id}"
