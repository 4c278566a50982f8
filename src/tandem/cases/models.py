"""Perpetrator cases: referral to closure, with the standards' gates recorded on the case.

Survivors' details never live here: a referral's survivor contact details go straight to the ISS
side (`tandem.support`), and this side sees only what the standards require it to act on.
"""

from django.conf import settings
from django.db import models

from tandem.lib.encryption import EncryptedTextField
from tandem.organisations.models import Service
from tandem.standards.models import InterventionType


class Stage(models.TextChoices):
    REFERRED = "referred", "Referred"
    SCREENED = "screened", "Screened"
    ASSESSED = "assessed", "Assessed: accepted"
    IN_INTERVENTION = "in_intervention", "In intervention"
    SUSPENDED = "suspended", "Suspended (on hold)"
    CLOSED = "closed", "Closed"


class ReferralSource(models.TextChoices):
    AGENCY = "agency", "Agency referral"
    SELF = "self", "Self-referral"


class CriminalJustice(models.TextChoices):
    NONE = "none", "None known"
    PRE_SENTENCE = "pre_sentence", "In the criminal justice process, pre-sentence"
    CONCLUDED = "concluded", "Proceedings concluded"


class FamilyProceedings(models.TextChoices):
    NONE = "none", "None"
    WITHIN_12_MONTHS = "within_12_months", "Private law proceedings now or in the last 12 months"
    OLDER = "older", "Private law proceedings more than 12 months ago"


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", "Completed"
    DESELECTED = "deselected", "De-selected (removed)"
    DROPPED_OUT = "dropped_out", "Dropped out"
    MOVED = "moved", "Moved away"
    CUSTODY = "custody", "In custody"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    OTHER = "other", "Other"


class PerpetratorCase(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="perpetrator_cases")
    reference = models.CharField(max_length=20, unique=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REFERRED)
    # Optimistic locking: every write states the version it read, so two people editing the
    # same case cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=40, blank=True)

    referral_received_at = models.DateTimeField()
    referral_source = models.CharField(max_length=10, choices=ReferralSource.choices)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField(max_length=200, blank=True)
    possible_duplicate_of = models.ManyToManyField("self", blank=True, symmetrical=True)

    # Screening (rules cj-pending, family-court, min-age, routine-enquiry, diversity-barriers).
    screened_at = models.DateTimeField(null=True, blank=True)
    criminal_justice = models.CharField(max_length=20, choices=CriminalJustice.choices, blank=True)
    family_proceedings = models.CharField(
        max_length=20, choices=FamilyProceedings.choices, blank=True
    )
    family_proceedings_judgement = models.TextField(
        blank=True, help_text="Professional judgement where proceedings ended over 12 months ago"
    )
    substance_use = models.TextField(blank=True)
    mental_health = models.TextField(blank=True)
    social_services_involved = models.BooleanField(null=True)
    social_worker_details = models.CharField(max_length=300, blank=True)
    protected_characteristics_barriers = models.TextField(blank=True)
    barriers_delivery_plan = models.TextField(blank=True)
    needs_extra_care_young_adult = models.BooleanField(default=False)
    pursuing_child_contact = models.BooleanField(
        default=False, help_text="Pursuing child contact through the family courts (R08 B8.1)"
    )
    child_contact_expert_assessment = models.BooleanField(
        default=False,
        help_text="An expert domestic violence risk assessment (expert witness status) is on file",
    )
    attendance_required_by_criminal_court = models.BooleanField(
        default=False, help_text="Attendance is a requirement of a criminal court order"
    )
    partner_language_needs_unmet = models.BooleanField(
        default=False,
        help_text="A partner cannot be offered an adequate ISS because of her language needs",
    )

    # Assessment and decision (rule assessment-outcome).
    assessed_at = models.DateTimeField(null=True, blank=True)
    risk_summary = models.TextField(blank=True)
    need_summary = models.TextField(blank=True)
    responsivity_summary = models.TextField(blank=True)
    motivation_summary = models.TextField(blank=True)
    intervention_type = models.CharField(
        max_length=20, choices=InterventionType.choices, blank=True
    )
    decision_statement = models.TextField(blank=True)
    # Rule acceptance (NE 4.6): what acceptance rests on, recorded with the decision.
    acknowledges_some_abuse = models.BooleanField(default=False)
    sees_abuse_as_a_problem = models.BooleanField(default=False)
    accepts_some_responsibility = models.BooleanField(default=False)
    agrees_conditions = models.BooleanField(
        default=False, help_text="Agrees the conditions, including giving partners' contact details"
    )

    # Consent (rule consent).
    consent_signed_on = models.DateField(null=True, blank=True)
    consent_covers_case_file_review = models.BooleanField(default=False)
    consent_covers_recorded_sessions = models.BooleanField(default=False)
    consent_agrees_not_to_block_iss = models.BooleanField(
        default=False, help_text="He signed that he will not block survivors' contact with the ISS"
    )
    consent_refused = models.BooleanField(default=False)
    consent_not_sought_reason = models.TextField(blank=True)

    intervention_started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_detail = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_perpetrator_cases",
    )

    class Meta:
        ordering = ["-referral_received_at"]
        indexes = [models.Index(fields=["service", "stage"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.first_name} {self.last_name}"


class TransitionKind(models.TextChoices):
    SCREENED = "screened", "Screened"
    ASSESSED = "assessed", "Assessed"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    INTERVENTION_STARTED = "intervention_started", "Intervention started"
    SUSPENDED = "suspended", "Suspended"
    REENGAGED = "reengaged", "Re-engaged"
    CLOSED = "closed", "Closed"


class CaseTransition(models.Model):
    """Who moved the case, when, from which stage to which, and why."""

    case = models.ForeignKey(PerpetratorCase, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=24, choices=TransitionKind.choices)
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return (
            f"{self.case.reference}: {self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"
        )


class SuspensionKind(models.TextChoices):
    SUSPENSION = "suspension", "Suspension (on hold)"
    REMOVAL = "removal", "Removal (de-selection)"


class SuspensionProposal(models.Model):
    """Rule suspend-remove: takes effect only with the ISS consulted, the survivor told first and
    a senior manager's sign-off, each recorded with who and when."""

    case = models.ForeignKey(PerpetratorCase, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(max_length=12, choices=SuspensionKind.choices)
    reason = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    iss_consulted_at = models.DateTimeField(null=True, blank=True)
    iss_consulted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    survivors_informed_at = models.DateTimeField(null=True, blank=True)
    survivors_informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} proposed for {self.case.reference}"


class Child(models.Model):
    """Rule children-record: every child connected to the perpetrator."""

    class Plan(models.TextChoices):
        NONE = "none", "None"
        CHILD_IN_NEED = "child_in_need", "Child in need plan"
        CHILD_PROTECTION = "child_protection", "Child protection plan"

    class Proceedings(models.TextChoices):
        NONE = "none", "None"
        PUBLIC_LAW = "public", "Public law (care) proceedings"
        PRIVATE_LAW = "private", "Private law (child arrangements) proceedings"

    case = models.ForeignKey(PerpetratorCase, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_on = models.DateField(null=True, blank=True, help_text="For a pregnancy")
    relationship_to_perpetrator = models.CharField(max_length=100)
    lives_with_perpetrator = models.BooleanField(default=False)
    known_to_childrens_social_care = models.BooleanField(null=True)
    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.NONE)
    plan_review_on = models.DateField(null=True, blank=True)
    plan_copy_on_file = models.BooleanField(
        default=False,
        help_text="A copy of the plan, with its review dates, is on file (rule child-plan: "
        "required for a child protection plan)",
    )
    proceedings = models.CharField(
        max_length=10, choices=Proceedings.choices, default=Proceedings.NONE
    )

    class Meta:
        ordering = ["date_of_birth"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class RiskPoint(models.TextChoices):
    INTAKE = "intake", "Intake"
    HALFWAY = "halfway", "Half-way"
    END = "end", "End"
    EVENT = "event", "Event that changes risk"


class RiskAssessment(models.Model):
    """Rule risk-points: intake, half-way and end for behaviour-change, and on events."""

    case = models.ForeignKey(
        PerpetratorCase, on_delete=models.CASCADE, related_name="risk_assessments"
    )
    point = models.CharField(max_length=10, choices=RiskPoint.choices)
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField()
    event_description = models.TextField(blank=True)
    # Rule outcome-comment (R08 D1.5): he is told the outcome and may comment, unless unsafe.
    outcome_told_to_him = models.BooleanField(default=False)
    his_comment = models.TextField(blank=True)
    outcome_not_told_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"{self.get_point_display()} risk assessment of {self.case.reference}"


class ActionPlanItem(models.Model):
    """An action in the perpetrator action plan, arising from a risk assessment."""

    risk_assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="actions"
    )
    action = models.TextField()
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.action[:60]


class ContactNote(models.Model):
    """Rule record-1wd: contacts recorded within one working day of happening."""

    case = models.ForeignKey(PerpetratorCase, on_delete=models.CASCADE, related_name="notes")
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    note = models.TextField()
    recorded_late = models.BooleanField(
        default=False, help_text="Recorded more than one working day after it happened"
    )

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.occurred_at:%Y-%m-%d}"


class CaseReviewMeeting(models.Model):
    """Rule case-review (R22-S B2.1, R22-I B3.3): at least monthly; every open case considered;
    the previous meeting's actions reviewed; intervention and ISS both represented; chaired by
    someone who does not work directly with service users."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="case_reviews")
    held_on = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    previous_actions_reviewed = models.TextField(
        blank=True, help_text="How each action from the previous meeting was followed up"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Case management review {self.held_on:%d %b %Y}"


class CaseReviewEntry(models.Model):
    """One open case as considered at a review meeting, with its decisions and actions."""

    meeting = models.ForeignKey(CaseReviewMeeting, on_delete=models.CASCADE, related_name="entries")
    case = models.ForeignKey(PerpetratorCase, on_delete=models.PROTECT, related_name="reviews")
    decisions = models.TextField()
    actions = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"], name="case_reviewed_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} at {self.meeting}"


class FileAudit(models.Model):
    """Rule file-audit (R22-S B2.3, R22-I B2.2): by the intervention manager, ideally monthly and
    never more than 8 weeks apart, with a record kept."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="file_audits")
    audited_on = models.DateField()
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sample = models.ManyToManyField(PerpetratorCase, related_name="file_audits")
    findings = models.TextField()
    feedback = models.TextField(help_text="Feedback given to the workers whose files were audited")

    class Meta:
        ordering = ["-audited_on"]

    def __str__(self) -> str:
        return f"Case-file audit {self.audited_on:%d %b %Y}"


class ExternalReport(models.Model):
    """Rules external-report and limitations (R22-S B5.5-B5.6, B4.3): a report to children's
    social care or a court, written to the template's sections and released only after a senior
    manager's sign-off."""

    class Recipient(models.TextChoices):
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
        COURT = "court", "Court"
        OTHER_AGENCY = "other_agency", "Other agency"

    case = models.ForeignKey(PerpetratorCase, on_delete=models.PROTECT, related_name="reports")
    recipient = models.CharField(max_length=24, choices=Recipient.choices)
    recipient_name = models.CharField(max_length=200)
    intervention_and_attendance = models.TextField()
    further_abuse = models.TextField()
    concerns_with_evidence = models.TextField()
    limitations = models.TextField(help_text="What can and cannot be concluded from the work")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-drafted_at"]

    def __str__(self) -> str:
        return f"Report on {self.case.reference} to {self.recipient_name}"


class EngagementChangeKind(models.TextChoices):
    """Rule engagement-change (R22 C1.8, NE 5.4.3): the changes in his engagement that are not a
    change of stage. Completing and dropping out are recorded by closing the case, and a proposed
    suspension or removal by proposing it; each of those makes the same tasks due."""

    MISSED_SESSION = "missed_session", "Missed a session"
    LOST_CONTACT = "lost_contact", "Lost contact with him"
    SUSPENSION_CONSIDERED = "suspension_considered", "Suspension considered"
    UNSUITABLE = "unsuitable", "Assessed as unsuitable for the intervention"


class EngagementChange(models.Model):
    """A change in his engagement, recorded when it is known: telling the ISS is due within 24
    hours of `recorded_at` and each survivor within 3 working days (rule engagement-change)."""

    case = models.ForeignKey(
        PerpetratorCase, on_delete=models.CASCADE, related_name="engagement_changes"
    )
    change = models.CharField(max_length=24, choices=EngagementChangeKind.choices)
    detail = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_change_display()} ({self.case.reference})"


class RiskConcern(models.Model):
    """Rule concern-24h (R22 C1.7, R08 B3.5): a specific risk concern the perpetrator side must
    share with the ISS within 24 hours, or at once when the risk is imminent."""

    case = models.ForeignKey(
        PerpetratorCase, on_delete=models.CASCADE, related_name="risk_concerns"
    )
    concern = models.TextField()
    imminent = models.BooleanField(default=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Risk concern about {self.case.reference} at {self.raised_at:%Y-%m-%d %H:%M}"


class RiskEngagementExchange(models.Model):
    """Rule weekly-exchange (R08 B3.5): the DVPP and the ISS exchange changes in risk and
    engagement at least weekly."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="exchanges")
    held_on = models.DateField()
    perpetrator_side_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    iss_side_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(help_text="Changes in risk and engagement exchanged")
    # What the ISS said in the exchange is free text crossing the barrier: like a shared risk
    # note, the perpetrator side reads it only once released, after the ISS manager's approval
    # and, where the service offers intensive case management, the service manager's too
    # (rule survivor-confidentiality, R22-I B3.3). The ISS side reads it at once.
    iss_account = EncryptedTextField(
        blank=True, help_text="What the ISS shared: the perpetrator side reads it once approved"
    )
    iss_manager_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    iss_manager_approved_at = models.DateTimeField(null=True, blank=True)
    service_manager_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_manager_approved_at = models.DateTimeField(null=True, blank=True)
    iss_account_released_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Risk and engagement exchange {self.held_on:%d %b %Y}"
