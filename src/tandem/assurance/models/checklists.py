"""What the processes other than Respect accreditation (the 2008 safeguarding audit, the Welsh
commissioning checklist, the West Midlands self-evaluation, self-assessment) record beyond the
shared model (`assessments`): their ratings, the audit's visit and schedule, the Welsh checklist's
opening question, commissioning relationships, peer review findings and local partnerships.
Their rules are in `checklists/gates.py` and `checklists/deadlines.py`.
"""

from django.conf import settings
from django.db import models

from tandem.assurance.models.assessments import Assessment, RequirementRecord
from tandem.organisations.models import Service


class RagRating(models.TextChoices):
    """WG Appendix 1: "Each item should be RAG rated"."""

    RED = "red", "Red: does not meet the criteria"
    AMBER = "amber", "Amber: partially meets the criteria"
    GREEN = "green", "Green: meets the criteria completely"


class SelfRating(models.TextChoices):
    """A self-evaluation's or self-assessment's own rating of a requirement."""

    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


class SpecialistAccreditation(models.TextChoices):
    """WG section 4: the specialist accreditation that takes a service straight to the
    commissioning section of the checklist."""

    NONE = "none", "No specialist accreditation"
    RESPECT = "respect", "Respect accreditation"
    CSAAP = "csaap", "Correctional Services Accreditation and Advice Panel (CSAAP)"


class ScheduleItemKind(models.TextChoices):
    """R08 audit process: "a pre agreed schedule of case file reviews, interviews with staff and
    the viewing of group recordings"."""

    CASE_FILE_REVIEW = "case_file_review", "Case file review"
    STAFF_INTERVIEW = "staff_interview", "Staff interview"
    GROUP_RECORDING = "group_recording", "Group recording"


class SafeguardingAudit(models.Model):
    """The 2008 audit's own details: the one-day site visit, its agreed schedule, the report and
    the reason for the outcome (an automatic fail or an exemption included)."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="safeguarding_audit"
    )
    visit_on = models.DateField(null=True, blank=True)
    schedule_agreed_at = models.DateTimeField(null=True, blank=True)
    schedule_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report_summary = models.TextField(blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Safeguarding audit {self.assessment_id}"


class AuditScheduleItem(models.Model):
    audit = models.ForeignKey(SafeguardingAudit, on_delete=models.CASCADE, related_name="schedule")
    kind = models.CharField(max_length=32, choices=ScheduleItemKind.choices)
    starts_at = models.TimeField(help_text="The time on the visit day")
    description = models.CharField(max_length=300)

    class Meta:
        ordering = ["audit", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} {ScheduleItemKind(self.kind).label}: {self.description}"


class WelshChecklist(models.Model):
    """The Welsh checklist's opening question and its agreed timeframe for Amber reviews."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="welsh_checklist"
    )
    specialist_accreditation = models.CharField(
        max_length=16, choices=SpecialistAccreditation.choices
    )
    accreditation_evidence = models.TextField(blank=True)
    review_within_weeks = models.PositiveSmallIntegerField(
        help_text="The agreed timeframe: each Amber item is reviewed within this many weeks"
    )

    def __str__(self) -> str:
        return f"Welsh checklist {self.assessment_id}"


class CommissioningRelationship(models.Model):
    """A commissioner commissions a service: they run its Welsh checklists and see its results.
    Recorded by an administrator; `ended_on` set when the contract ends (last day)."""

    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commissioned_services"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="commissioners")
    since = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["service", "since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "service"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_commissioning_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commissioner} commissions {self.service}"


class PeerReviewFinding(models.Model):
    """WM implementation: another agency's reviewer agrees with or challenges a self-rating."""

    record = models.OneToOneField(
        RequirementRecord, on_delete=models.CASCADE, related_name="peer_review"
    )
    agrees = models.BooleanField()
    comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.record}: {'agreed' if self.agrees else 'challenged'}"


class LocalPartnership(models.Model):
    """WM introduction: each local area partnership monitors the standards in its area. Its
    members who hold the commissioner role see its agencies' self-evaluations."""

    name = models.CharField(max_length=200, unique=True)
    organisations = models.ManyToManyField(
        "organisations.Organisation", related_name="local_partnerships", blank=True
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="local_partnerships", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
