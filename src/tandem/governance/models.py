"""Governance (issue 5): the policy register, the model of work, reports to the governing body,
agreements, the on-call rota, complaints and service-user feedback. Governance is the
organisation's, recorded per service. Rules are in `gates.py`, deadlines in `deadlines.py`.

The records moved here from `tandem.organisations` keep their tables (`db_table`), so moving
them needed no data migration. Named roles stay in organisations, beside staff membership.
"""

from django.conf import settings
from django.db import models

from tandem.organisations.models import Service


class RequiredPolicy(models.TextChoices):
    """The policies and procedures R22 A1.1 (guidance 1, a-k) requires, in its words."""

    A = (
        "a",
        "a. Health and safety policy (covering safety for staff and service users); lone "
        "working and home visits policy; a procedure for staff in responding to abuse from "
        "service users",
    )
    B = (
        "b",
        "b. Equal opportunities and diversity strategy; equal opportunities, diversity and "
        "inclusion policies for service delivery and employment",
    )
    C = (
        "c",
        "c. Confidentiality, data protection and information-sharing policies; procedure and "
        "guidelines on sharing information internally and externally; multiagency information "
        "sharing protocols; response to serious incident or case review",
    )
    D = "d", "d. Safeguarding children and vulnerable adults policy and procedure"
    E = (
        "e",
        "e. Risk management policy and procedure, relating to the cases the intervention is "
        "aimed at",
    )
    F = "f", "f. Complaints policy and procedure"
    G = (
        "g",
        "g. Policy and procedure on the use and domestic abuse training of interpreters, "
        "signers, etc.",
    )
    H = "h", "h. Code of conduct for staff"
    I = "i", "i. Disciplinary and grievance policy and procedure"  # noqa: E741
    J = "j", "j. Record keeping policy and procedure"
    K = "k", "k. Policy covering practice management and clinical supervision"


def policy_document_path(policy: "Policy", filename: str) -> str:
    # Named by content, never by the uploaded name (as evidence files are).
    return f"governance/{policy.service_id}/policies/{policy.document_sha256}"


class Policy(models.Model):
    """One approved version of a policy: which required policy (R22 A1.1 a-k) it satisfies, who
    owns it, when the governing body approved it, when it is next reviewed (rule policies: at
    most 3 years after approval) and the document itself. A new version is a new record."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="policies")
    required_policy = models.CharField(max_length=1, choices=RequiredPolicy.choices)
    title = models.CharField(max_length=200)
    version_label = models.CharField(max_length=40)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(help_text="When the governing body approved this version")
    next_review_on = models.DateField()
    document = models.FileField(upload_to=policy_document_path, max_length=200)
    document_name = models.CharField(max_length=255)
    document_kind = models.CharField(max_length=8)
    document_sha256 = models.CharField(max_length=64)
    document_size = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        db_table = "organisations_policy"
        ordering = ["service", "required_policy", "-approved_on", "-pk"]
        indexes = [models.Index(fields=["service", "required_policy", "approved_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.version_label})"


class PolicyAcknowledgement(models.Model):
    """A member of staff's acknowledgement, at induction, that they have read a policy version
    (R22 A1.1 guidance 2c)."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField()

    class Meta:
        db_table = "organisations_policyacknowledgement"
        ordering = ["policy", "acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "user"], name="policy_acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.policy}"


class ModelOfWorkReview(models.Model):
    """A version of the model of work: its review date, the summary of changes and the
    consultation held (rule model-review, R22-S/I B1.2)."""

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="model_of_work_reviews"
    )
    version_label = models.CharField(max_length=40)
    reviewed_on = models.DateField()
    summary_of_changes = models.TextField()
    consultation = models.TextField(help_text="Who was consulted and how")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        db_table = "organisations_modelofworkreview"
        ordering = ["service", "-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Model of work {self.version_label} (reviewed {self.reviewed_on})"


class GovernanceMeeting(models.Model):
    """A meeting of the governing body or senior management team, with its minutes."""

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="governance_meetings"
    )
    held_on = models.DateField()
    body = models.CharField(max_length=200, help_text="e.g. Board of trustees")
    minutes = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        db_table = "organisations_governancemeeting"
        ordering = ["service", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.body} on {self.held_on}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PRESENTED = "presented", "Presented"


class PerformanceReport(models.Model):
    """A quarterly performance report to the governing body (rule governance-report, R22 A2.2):
    drafted from Tandem's own records, edited by the manager, then presented at a meeting."""

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="performance_reports"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    text = models.TextField()
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default="draft")
    presented_on = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(
        GovernanceMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "organisations_performancereport"
        ordering = ["service", "-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", presented_on__isnull=True)
                | models.Q(status="presented", presented_on__isnull=False),
                name="performance_report_presented_dated",
            )
        ]

    def __str__(self) -> str:
        return f"Performance report {self.period_start} to {self.period_end}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class GovernanceAction(models.Model):
    """An action the governing body agreed, with its owner, due date and status (R22 A2.2)."""

    meeting = models.ForeignKey(GovernanceMeeting, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default="open")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "organisations_governanceaction"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class AgreementKind(models.TextChoices):
    INFORMATION_SHARING = "information_sharing", "Information sharing agreement"
    ISS_PARTNERSHIP = "iss_partnership", "Partnership agreement with an external ISS (R22 C1.7)"
    SERVICE_LEVEL = "service_level", "Service level agreement with a specialist service (R22 D1.2)"


class Agreement(models.Model):
    """An agreement with other organisations: its parties, when it was signed and reviewed."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=24, choices=AgreementKind.choices)
    title = models.CharField(max_length=200)
    parties = models.TextField(help_text="The organisations party to it, one a line")
    signed_on = models.DateField()
    review_on = models.DateField()
    ended_on = models.DateField(
        null=True, blank=True, help_text="When it ended or was replaced: no review due after"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "organisations_agreement"
        ordering = ["service", "review_on", "pk"]

    def __str__(self) -> str:
        return self.title


class OnCallShift(models.Model):
    """Who is on call out of hours, from when to when (the on-call rota, R22 C1.7)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="on_call_shifts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "organisations_oncallshift"
        ordering = ["service", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="on_call_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on call from {self.starts_at}"


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The service's default timeframe for responding to a complaint (WG 18 ii), in working days.
COMPLAINT_RESPONSE_WORKING_DAYS = 20


class Complaint(models.Model):
    """A complaint (WG 18): received, investigated objectively, outcome told to the complainant
    within the service's timeframe. Seen by the service manager only; one involving a survivor
    by the service manager on the ISS side only (rule survivor-confidentiality)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="complaints")
    received_on = models.DateField()
    complainant = models.CharField(
        max_length=200, help_text="Who complained, e.g. service user, survivor, professional"
    )
    summary = models.TextField()
    # True unless the recorder said otherwise: a complaint recorded before the question was
    # asked stays on the ISS side rather than risk crossing the barrier.
    involves_survivor = models.BooleanField(
        default=True, help_text="Made by or about a survivor: read on the ISS side only"
    )
    response_working_days = models.PositiveSmallIntegerField(
        default=COMPLAINT_RESPONSE_WORKING_DAYS
    )
    response_due_on = models.DateField()
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    investigation = models.TextField(blank=True)
    outcome = models.CharField(max_length=16, choices=ComplaintOutcome.choices, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "organisations_complaint"
        ordering = ["service", "-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Complaint received {self.received_on}"


class FeedbackMethod(models.TextChoices):
    FORM = "form", "Feedback form"
    FOCUS_GROUP = "focus_group", "Focus group"
    INTERVIEW = "interview", "Interview or conversation"
    COMPLIMENT = "compliment", "Compliment"
    OTHER = "other", "Other"


# Feedback from the ISS side: what survivors said, read on the ISS side only.
ISS_FEEDBACK = "iss"


class FeedbackEntry(models.Model):
    """A service user's views about the service (rule feedback, R22 B7.3), with the theme and
    any change made because of it."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="feedback")
    received_on = models.DateField()
    method = models.CharField(max_length=16, choices=FeedbackMethod.choices)
    from_side = models.CharField(
        max_length=16,
        choices=[("perpetrator", "Perpetrator intervention"), (ISS_FEEDBACK, "ISS")],
        help_text="Which part of the service the feedback is about",
    )
    theme = models.CharField(max_length=100)
    summary = models.TextField()
    change_made = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "organisations_feedbackentry"
        ordering = ["service", "-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Feedback on {self.received_on}: {self.theme}"


class EdiReviewKind(models.TextChoices):
    """What rule edi-review (R22 D1.1, D1.3) asks to be reviewed, and how often."""

    FRAMEWORK = "framework", "Equalities framework (every 3 years)"
    DIVERSITY_GOALS = "diversity_goals", "Diversity goals (at least annually)"
    SERVICE_USER_PROFILE = "service_user_profile", "Service-user profile (at least annually)"


class EdiReview(models.Model):
    """A review of the equalities framework, the diversity goals or the service-user profile
    (rule edi-review, R22 D1.1, D1.3)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="edi_reviews")
    kind = models.CharField(max_length=24, choices=EdiReviewKind.choices)
    reviewed_on = models.DateField()
    summary = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        db_table = "organisations_edireview"
        ordering = ["service", "kind", "-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reviewed {self.reviewed_on}"
