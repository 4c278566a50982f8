"""The workforce: each person's employment record in an organisation, their criminal record
checks, training, supervision and mentoring, and restricted disclosures.

A person's side of the information barrier is on `organisations.StaffMembership` (per service),
not here: a worker record is about employment, and is shown beside the memberships.
"""

from django.conf import settings
from django.db import models

from tandem.lib.calendar import Jurisdiction
from tandem.lib.encryption import EncryptedTextField
from tandem.lib.people import person_name
from tandem.organisations.models import Organisation


class EmploymentType(models.TextChoices):
    STAFF = "staff", "Staff"
    SESSIONAL = "sessional", "Sessional worker"
    VOLUNTEER = "volunteer", "Volunteer"


class Gender(models.TextChoices):
    """Recorded for the facilitator mix (rule facilitators)."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    ANOTHER = "another", "Another gender, or prefers not to say"


class Worker(models.Model):
    """A person's employment record in an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="worker_records"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="workers")
    employment_type = models.CharField(max_length=16, choices=EmploymentType.choices)
    job_title = models.CharField(max_length=200)
    started_on = models.DateField()
    probation_ends_on = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    job_description_on_file_since = models.DateField(
        null=True, blank=True, help_text="When the signed job description was put on file"
    )
    person_specification_on_file_since = models.DateField(null=True, blank=True)
    relevant_experience_since = models.DateField(
        null=True,
        blank=True,
        help_text="Start of relevant experience (rule case-manager-experience: three years)",
    )
    is_icm_case_manager = models.BooleanField(
        default=False,
        help_text="Intensive case management: peer supervision and practice observation due "
        "(rule practice-observation)",
    )
    # Optimistic locking: an edit states the version it read.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation__name", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_worker_record_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{person_name(self.user)} ({self.organisation})"


class CheckScheme(models.TextChoices):
    """Who carries out criminal record checks, by jurisdiction (rule dbs)."""

    DBS = "dbs", "Disclosure and Barring Service (DBS)"
    DISCLOSURE_SCOTLAND = "disclosure-scotland", "Disclosure Scotland"
    ACCESSNI = "accessni", "AccessNI"


SCHEME_FOR_JURISDICTION = {
    Jurisdiction.ENGLAND_AND_WALES: CheckScheme.DBS,
    Jurisdiction.SCOTLAND: CheckScheme.DISCLOSURE_SCOTLAND,
    Jurisdiction.NORTHERN_IRELAND: CheckScheme.ACCESSNI,
}


class CheckLevel(models.TextChoices):
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced-barred", "Enhanced with barred lists (PVG membership in Scotland)"


class CriminalRecordCheck(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="checks")
    scheme = models.CharField(max_length=24, choices=CheckScheme.choices)
    level = models.CharField(max_length=24, choices=CheckLevel.choices)
    certificate_number = EncryptedTextField(max_length=40)
    issued_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["worker", "-issued_on"]
        indexes = [models.Index(fields=["worker", "scheme", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} check issued {self.issued_on:%d %b %Y}"


class TrainingKind(models.TextChoices):
    """Rule mandatory-training (R22 A3.4): the mandatory courses, each refreshed every 3 years;
    anything else counts towards CPD hours only (rule cpd)."""

    SAFEGUARDING = "safeguarding", "Safeguarding"
    EDI = "edi", "Equality, diversity and inclusion"
    RISK = "risk", "Risk assessment and management"
    DATA_PROTECTION = "data-protection", "Data protection"
    RESPECT_SERVICE_MANAGER = "respect-service-manager", "Respect Service Manager course"
    OTHER = "other", "Other course or development activity"


class TrainingRecord(models.Model):
    """A course or development activity a worker completed, with its hours (rule cpd)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="training")
    kind = models.CharField(max_length=32, choices=TrainingKind.choices)
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["worker", "-completed_on"]
        indexes = [models.Index(fields=["worker", "kind", "completed_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="training_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.completed_on:%d %b %Y})"


class SupervisionKind(models.TextChoices):
    LINE_MANAGEMENT = "line-management", "Line management"
    PRACTICE = "practice", "Practice supervision"
    CLINICAL = "clinical", "Clinical supervision"
    CASE_MANAGEMENT = "case-management", "Case management supervision (ICM)"
    PEER = "peer", "Peer supervision (ICM)"
    OBSERVATION = "observation", "Practice observation (ICM)"


class Supervision(models.Model):
    """A supervision session. That it happened (who, when, how long) is seen by the workers'
    managers; what was said (`notes`, and for line management the competency and training needs)
    only by the supervisee, the supervisor and the service manager."""

    supervisee = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="supervisions")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions_given"
    )
    kind = models.CharField(max_length=24, choices=SupervisionKind.choices)
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    notes = EncryptedTextField(blank=True)
    competency = EncryptedTextField(
        blank=True, help_text="Line management: competency discussed (rule line-management)"
    )
    training_needs = EncryptedTextField(
        blank=True, help_text="Line management: training needs identified (rule line-management)"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["supervisee", "-held_on"]
        indexes = [models.Index(fields=["supervisee", "kind", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="supervision_minutes")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d %b %Y}"


class Experience(models.TextChoices):
    VICTIM = "victim", "As a victim or survivor"
    PERPETRATOR = "perpetrator", "As someone who has used abuse"
    BOTH = "both", "Both"


class AbuseExperienceDisclosure(models.Model):
    """A worker's disclosure of personal experience of domestic abuse: restricted to the service
    manager and HR of the worker's organisation, never shown to anyone else (not even in the
    audit trail, which keeps no snapshot of the encrypted fields)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="disclosures")
    experience = models.CharField(max_length=16, choices=Experience.choices)
    disclosed_on = models.DateField()
    agreed_support = EncryptedTextField()
    decision = EncryptedTextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["worker", "-disclosed_on"]

    def __str__(self) -> str:
        return f"disclosure recorded {self.disclosed_on:%d %b %Y}"


class Mentoring(models.Model):
    """Rule mentoring (NE 3.12): a new group worker co-works with an experienced worker for at
    least 6 months or 26 sessions."""

    mentee = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="mentorings")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentees"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mentee", "-started_on"]

    def __str__(self) -> str:
        return f"mentoring from {self.started_on:%d %b %Y}"
