"""What Respect accreditation records beyond the shared model (`assessments`):

- `AssessorReport`, `ReportVerification`, `PanelDecision`: the report and what became of it;
- after the panel: `Appeal`, `ExpiryReminder`, `EvidenceOfferDecision` (evidence offered from
  earlier assessments);
- the site visit: `SiteVisitPlan` with its `SampledCaseFile`s (each with a `CaseFileCheck` per
  item of its review checklist), `SiteVisitInterview`s and `RecordedSession`s (with the
  assessor's `SessionObservation`s).
"""

from django.conf import settings
from django.db import models

from tandem.assurance.models.assessments import Assessment, RequirementRecord


class Recommendation(models.TextChoices):
    """The assessor's overall recommendation to the panel."""

    ACCREDIT = "accredit", "Accredit"
    DEFER = "defer", "Defer with conditions"
    NOT_ACCREDIT = "not_accredit", "Do not accredit"


class VerificationOutcome(models.TextChoices):
    APPROVED = "approved", "Approved: ready for the panel"
    RETURNED = "returned", "Returned to the assessor for changes"


class DecisionOutcome(models.TextChoices):
    ACCREDITED = "accredited", "Accredited"
    NOT_ACCREDITED = "not_accredited", "Not accredited"
    DEFERRED = "deferred", "Deferred with conditions"


class AssessorReport(models.Model):
    """The assessor's overall recommendation to the panel; the per-requirement findings are the
    records' judgements and method judgements."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="assessor_report"
    )
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices)
    summary = models.TextField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Report on assessment {self.assessment_id}"


class ReportVerification(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="verifications"
    )
    outcome = models.CharField(max_length=16, choices=VerificationOutcome.choices)
    notes = models.TextField()
    verified_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["verified_at", "pk"]

    def __str__(self) -> str:
        return f"{self.outcome} on assessment {self.assessment_id}"


class PanelDecision(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="panel_decisions"
    )
    outcome = models.CharField(max_length=16, choices=DecisionOutcome.choices)
    reasons = models.TextField()
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.outcome} on assessment {self.assessment_id}"


# Respect accreditation's lifecycle after the panel (`respect/services/lifecycle.py`): appeals,
# expiry reminders and evidence offered from earlier assessments.


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld: the decision stands"
    OVERTURNED = "overturned", "Overturned: the appeal panel decides again"


class Appeal(models.Model):
    """The service's appeal against a panel decision (not accredited, or deferred), heard by
    panel members who did not decide it (`gates.appeal_conflict`)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="appeals")
    decision = models.OneToOneField(PanelDecision, on_delete=models.PROTECT, related_name="appeal")
    grounds = models.TextField()
    lodged_at = models.DateTimeField()
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=AppealOutcome.choices, blank=True)
    outcome_reasons = models.TextField(blank=True)
    heard_at = models.DateTimeField(null=True, blank=True)
    heard_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["lodged_at", "pk"]

    def __str__(self) -> str:
        return f"Appeal against decision {self.decision_id}"


class ExpiryReminder(models.Model):
    """A reminder before an accreditation expires, sent once per date
    (`compliance.deadlines.accreditation_expiry_reminders_on`): its due tasks are on the
    senior managers' work pages."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    remind_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["assessment", "remind_on"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "remind_on"], name="expiry_reminder_once")
        ]

    def __str__(self) -> str:
        return f"Expiry reminder {self.remind_on:%d %b %Y} for assessment {self.assessment_id}"


class EvidenceOfferDecision(models.Model):
    """The service's answer to evidence offered from an earlier record: accepted (copied, with
    `RequirementRecord.carried_from` set) or declined (not offered again)."""

    record = models.ForeignKey(
        RequirementRecord, on_delete=models.CASCADE, related_name="offer_decisions"
    )
    source = models.ForeignKey(RequirementRecord, on_delete=models.CASCADE, related_name="+")
    accepted = models.BooleanField()
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["record", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "source"], name="evidence_offer_once")
        ]

    def __str__(self) -> str:
        return f"{self.record}: {'accepted' if self.accepted else 'declined'} {self.source_id}"


# The Respect accreditation site visit (rules in `respect/gates.py`): the case-file sample with a
# review checklist per file, the staff interviews, and the recorded sessions reviewed.


class SampleReason(models.TextChoices):
    DRAWN = "drawn", "Drawn at random"
    REQUESTED = "requested", "Requested by the assessor"


class InterviewKind(models.TextChoices):
    """R22 "Staff interviews"; which kinds a plan must include is `respect.gates`' rule."""

    SERVICE_MANAGER = "service_manager", "Service manager"
    PERPETRATOR_WORKER = "perpetrator_worker", "Perpetrator worker"
    ISS_WORKER_OR_IDVA = "iss_worker_or_idva", "ISS worker or IDVA"
    TRUSTEE = "trustee", "Trustee"
    OTHER = "other", "Other (delivery or oversight)"


class SiteVisitPlan(models.Model):
    """An assessment's site-visit plan. The sample is drawn once, from `sample_seed`: the same
    seed and the same live cases give the same files again
    (`respect.services.site_visit.draw_stratified_sample`)."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="site_visit_plan"
    )
    sample_seed = models.BigIntegerField(null=True, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    live_cases = models.PositiveIntegerField(
        null=True, blank=True, help_text="Live cases when the sample was drawn"
    )
    sample_drawn_at = models.DateTimeField(null=True, blank=True)
    sample_drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    interviews_completed_at = models.DateTimeField(null=True, blank=True)
    interviews_completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Site-visit plan of assessment {self.assessment_id}"


class SampledCaseFile(models.Model):
    """A perpetrator case file in the sample, drawn or requested, with the stratum it had."""

    plan = models.ForeignKey(SiteVisitPlan, on_delete=models.CASCADE, related_name="case_files")
    case = models.ForeignKey("cases.PerpetratorCase", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=SampleReason.choices)
    request_reason = models.CharField(max_length=300, blank=True)
    intervention_type = models.CharField(max_length=20, blank=True)
    risk_stratum = models.CharField(max_length=16, blank=True)
    position = models.PositiveIntegerField(help_text="The order drawn or requested")
    version = models.PositiveIntegerField(default=1)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "case"], name="case_file_sampled_once")
        ]

    def __str__(self) -> str:
        return f"Case file {self.case_id} in {self.plan}"


class CaseFileCheck(models.Model):
    """One item of a sampled file's review checklist (`respect.gates.CASE_FILE_CHECKLIST`): the
    assessor's tick and notes."""

    case_file = models.ForeignKey(SampledCaseFile, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(max_length=32)
    ticked = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    checked_at = models.DateTimeField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case_file", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case_file", "item"], name="case_file_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {'ticked' if self.ticked else 'not ticked'}"


class SiteVisitInterview(models.Model):
    plan = models.ForeignKey(SiteVisitPlan, on_delete=models.CASCADE, related_name="interviews")
    kind = models.CharField(max_length=24, choices=InterviewKind.choices)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    planned_on = models.DateField()
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "planned_on", "pk"]

    def __str__(self) -> str:
        return f"Interview with {self.name} ({self.role})"


class RecordedSession(models.Model):
    plan = models.ForeignKey(
        SiteVisitPlan, on_delete=models.CASCADE, related_name="recorded_sessions"
    )
    description = models.CharField(max_length=300)
    recorded_on = models.DateField()
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "recorded_on", "pk"]

    def __str__(self) -> str:
        return f"Recording of {self.recorded_on:%d %b %Y}: {self.description[:60]}"


class SessionObservation(models.Model):
    """The assessor's observation against an indicator, at a time in the recording."""

    session = models.ForeignKey(
        RecordedSession, on_delete=models.CASCADE, related_name="observations"
    )
    record = models.ForeignKey(RequirementRecord, on_delete=models.CASCADE, related_name="+")
    at_seconds = models.PositiveIntegerField(help_text="Seconds from the start of the recording")
    observation = models.TextField()
    noted_at = models.DateTimeField()
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["session", "at_seconds", "pk"]

    def __str__(self) -> str:
        return f"{self.record} at {self.at_seconds}s"
