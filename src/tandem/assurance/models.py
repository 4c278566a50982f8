"""Assurance: a service assessed against a framework of the standards library, through a process.

One model carries every process (Respect accreditation, the 2008 safeguarding audit, the Welsh
commissioning checklist, the West Midlands self-evaluation, self-assessment):

- `Assessment`: a service, a framework edition and a process, with its state (the transitions
  each process permits are in `workflow.py`), its scope and a version for optimistic locking.
- `AssessmentParticipant`: who takes part and in what part; `ConflictDeclaration`: an assessor,
  verifier, panel member or peer reviewer declares no conflict of interest before seeing anything.
- `RequirementRecord`: one per applicable requirement, holding the service's evidence and the
  findings, with its own version so two assessors editing different requirements never collide.
- `EvidenceDocument`: an uploaded file, stored once per service; `EvidenceCitation`: a record
  citing a document at a page or section.
- `MethodJudgement`: the finding for one assessment method the library names for a requirement.
- `AssessmentTransition`: every change of state, with who, when and why.
- `AssessorReport`, `ReportVerification`, `PanelDecision`: the report and what became of it.
- `Action`: an action-plan item (an unmet finding to put right, a condition of a deferral).
"""

from django.conf import settings
from django.db import models

from tandem.lib.documents import DocumentKind
from tandem.organisations.models import Service
from tandem.standards.models import AssessmentMethod, Framework, Requirement


class Process(models.TextChoices):
    RESPECT_ACCREDITATION = "respect_accreditation", "Respect accreditation"
    SAFEGUARDING_AUDIT_2008 = "safeguarding_audit_2008", "Risk management and safeguarding audit"
    WELSH_COMMISSIONING = "welsh_commissioning", "Welsh commissioning checklist"
    WEST_MIDLANDS_SELF_EVALUATION = "west_midlands_self_evaluation", "West Midlands self-evaluation"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"


class State(models.TextChoices):
    """Every state any process uses; which follow which, per process, is `workflow.py`'s."""

    DRAFT = "draft", "Draft: evidence being prepared"
    SUBMITTED = "submitted", "Submitted"
    DESKTOP_ASSESSMENT = "desktop_assessment", "Desktop assessment"
    SITE_VISIT = "site_visit", "Site visit"
    REPORT_DRAFTED = "report_drafted", "Report drafted: awaiting internal verification"
    REPORT_RETURNED = "report_returned", "Report returned for changes"
    INTERNALLY_VERIFIED = "internally_verified", "Internally verified"
    PANEL = "panel", "With the accreditation panel"
    ACCREDITED = "accredited", "Accredited"
    NOT_ACCREDITED = "not_accredited", "Not accredited"
    DEFERRED = "deferred", "Deferred with conditions"
    EXPIRED = "expired", "Accreditation expired"
    REACCREDITED = "reaccredited", "Reaccredited (superseded by a newer accreditation)"
    # The 2008 risk management and safeguarding audit.
    SCHEDULED = "scheduled", "Site visit scheduled"
    VISITED = "visited", "Site visit done"
    REPORTED = "reported", "Audit report written"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    EXEMPT = "exempt", "Exempt: holds Respect accreditation"
    # The Welsh commissioning checklist's outcomes.
    MEETS_STANDARDS = "meets_standards", "Meets the standards"
    PARTLY_MEETS = "partly_meets", "Partly meets the standards: Amber items under review"
    DOES_NOT_MEET = "does_not_meet", "Does not meet the standards: address and reassess"
    # The West Midlands self-evaluation and self-assessment.
    PEER_REVIEW = "peer_review", "With the peer reviewer"
    PEER_REVIEWED = "peer_reviewed", "Peer reviewed"
    COMPLETED = "completed", "Completed"
    # Respect accreditation: the service appeals a decision (`lifecycle_rules.py`).
    APPEAL = "appeal", "Under appeal"


class Part(models.TextChoices):
    """The part someone plays in one assessment (their Tandem role says what they may be)."""

    ASSESSOR = "assessor", "Assessor"
    LEAD_ASSESSOR = "lead_assessor", "Lead assessor"
    SECOND_ASSESSOR = "second_assessor", "Second assessor"
    INTERNAL_VERIFIER = "internal_verifier", "Internal verifier"
    PANEL_MEMBER = "panel_member", "Panel member"
    LINK_PERSON = "link_person", "Link person"
    COMMISSIONER = "commissioner", "Commissioner"
    PEER_REVIEWER = "peer_reviewer", "Peer reviewer"
    SERVICE_CONTACT = "service_contact", "Service contact"


class Judgement(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    MORE_EVIDENCE = "more_evidence", "More evidence needed"


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


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Assessment(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    process = models.CharField(max_length=40, choices=Process.choices)
    state = models.CharField(max_length=32, choices=State.choices, default=State.DRAFT)
    scope = models.JSONField(
        default=list,
        blank=True,
        help_text="The intervention types assessed (standards.InterventionType values); empty: "
        "the process has no scope",
    )
    # Optimistic locking of the assessment's own state; records carry their own version.
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_assessments",
        help_text="The earlier assessment this one follows (reaccreditation, reassessment)",
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="The first day the accreditation no longer holds"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["process", "state", "expires_on"])]

    def __str__(self) -> str:
        return f"{Process(self.process).label}: {self.service.name} ({State(self.state).label})"


class AssessmentTransition(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=32, choices=State.choices)
    to_state = models.CharField(max_length=32, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when Tandem itself moved it (an accreditation expiring)",
    )
    occurred_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class AssessmentParticipant(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessment_parts"
    )
    part = models.CharField(max_length=32, choices=Part.choices)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "part", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user", "part"], name="participant_part_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} as {Part(self.part).label}"


class ConflictDeclaration(models.Model):
    """A participant's declaration about the assessed service, made before they see anything.

    `no_conflict` False records a declared conflict: they are kept out, and someone else must
    take the part."""

    participant = models.OneToOneField(
        AssessmentParticipant, on_delete=models.CASCADE, related_name="declaration"
    )
    no_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.participant}: {'no conflict' if self.no_conflict else 'conflict declared'}"


class RequirementRecord(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="records")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(help_text="The requirement's order in its framework")
    version = models.PositiveIntegerField(default=1)

    # What the service says (or, for a self-evaluation, the agency).
    narrative = models.TextField(blank=True)
    narrative_updated_at = models.DateTimeField(null=True, blank=True)
    narrative_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The earlier record whose evidence this one was offered and accepted from",
    )
    # A process's own rating of the requirement (a RAG rating, a self-rating), its values the
    # process's: see `workflow.ProcessDefinition.rating_choices`.
    rating = models.CharField(max_length=32, blank=True)
    rating_notes = models.TextField(blank=True)

    # The assessor's finding for the requirement as a whole: the recommendation to the panel.
    judgement = models.CharField(max_length=16, choices=Judgement.choices, blank=True)
    judgement_basis = models.TextField(
        blank=True,
        help_text="Evidence seen and verified, and how the recommendation rests on it",
    )
    judged_at = models.DateTimeField(null=True, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement"], name="record_requirement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement.ref} in assessment {self.assessment_id}"


def evidence_path(document: "EvidenceDocument", filename: str) -> str:
    # Named by content, never by the uploaded name: the same file is the same path.
    return f"evidence/{document.service_id}/{document.sha256}"


class EvidenceDocument(models.Model):
    """A document a service has uploaded as evidence, stored once however often it is cited."""

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="evidence_documents"
    )
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, choices=DocumentKind.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["service", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["service", "sha256"], name="evidence_stored_once")
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceCitation(models.Model):
    record = models.ForeignKey(
        RequirementRecord, on_delete=models.CASCADE, related_name="citations"
    )
    document = models.ForeignKey(
        EvidenceDocument, on_delete=models.PROTECT, related_name="citations"
    )
    location = models.CharField(
        max_length=200, help_text="The page or section where the requirement is met"
    )
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["record", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "document", "location"], name="citation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document}, {self.location}"


class MethodJudgement(models.Model):
    """The finding by one assessment method the library names for the requirement."""

    record = models.ForeignKey(
        RequirementRecord, on_delete=models.CASCADE, related_name="method_judgements"
    )
    method = models.CharField(max_length=32, choices=AssessmentMethod.choices)
    result = models.CharField(max_length=16, choices=Judgement.choices)
    evidence_notes = models.TextField(help_text="Evidence seen and verified by this method")
    judged_at = models.DateTimeField()
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["record", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "method"], name="method_judgement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record}: {self.method} {self.result}"


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


class Action(models.Model):
    """An action-plan item: a finding to put right, or a condition of a deferral (when
    `panel_decision` is set). Open past `due_on` means overdue."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    record = models.ForeignKey(
        RequirementRecord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
    )
    panel_decision = models.ForeignKey(
        PanelDecision,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conditions",
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assurance_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closing_evidence = models.TextField(blank=True)
    closing_document = models.ForeignKey(
        EvidenceDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.description[:60]} (due {self.due_on:%d %b %Y})"


# The other processes (2008 safeguarding audit, Welsh commissioning checklist, West Midlands
# self-evaluation, self-assessment): their ratings and what they record beyond the shared model.
# Their rules are in `checklist_rules.py`.


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


class ReportKind(models.TextChoices):
    """The reports Tandem generates from an assessment (`reports.REPORTS` says for which
    processes, from which data and for whom)."""

    ASSESSOR_REPORT = "assessor_report", "Assessor's report"
    REQUIREMENTS = "requirements", "Findings by requirement"
    AUDIT_REPORT = "audit_report", "Safeguarding audit report"
    WELSH_CHECKLIST = "welsh_checklist", "RAG checklist and summary"
    SELF_EVALUATION = "self_evaluation", "Self-evaluation and peer review"
    READINESS = "readiness", "Readiness summary"


class AssessmentReport(models.Model):
    """A report as it was generated: its HTML and PDF are kept, so that what was read or sent
    can be shown again exactly, whatever changes in the assessment after. Each generation of
    the same kind is the next version."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=40, choices=ReportKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    assessment_state = models.CharField(
        max_length=32, choices=State.choices, help_text="The assessment's state when generated"
    )
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    html = models.TextField(help_text="The report's body as rendered (escaped by its template)")
    pdf = models.BinaryField()

    class Meta:
        ordering = ["assessment", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "version"], name="report_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.version}"


# Respect accreditation's lifecycle after the panel (`lifecycle_services.py`): appeals, expiry
# reminders and evidence offered from earlier assessments.


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld: the decision stands"
    OVERTURNED = "overturned", "Overturned: the appeal panel decides again"


class Appeal(models.Model):
    """The service's appeal against a panel decision (not accredited, or deferred), heard by
    panel members who did not decide it (`lifecycle_rules.appeal_conflict`)."""

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


# The Respect accreditation site visit (rules in `site_visit.py`): the case-file sample with a
# review checklist per file, the staff interviews, and the recorded sessions reviewed.


class SampleReason(models.TextChoices):
    DRAWN = "drawn", "Drawn at random"
    REQUESTED = "requested", "Requested by the assessor"


class InterviewKind(models.TextChoices):
    """R22 "Staff interviews"; which kinds a plan must include is `site_visit.py`'s rule."""

    SERVICE_MANAGER = "service_manager", "Service manager"
    PERPETRATOR_WORKER = "perpetrator_worker", "Perpetrator worker"
    ISS_WORKER_OR_IDVA = "iss_worker_or_idva", "ISS worker or IDVA"
    TRUSTEE = "trustee", "Trustee"
    OTHER = "other", "Other (delivery or oversight)"


class SiteVisitPlan(models.Model):
    """An assessment's site-visit plan. The sample is drawn once, from `sample_seed`: the same
    seed and the same live cases give the same files again (`site_visit.draw_stratified_sample`)."""

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
    """One item of a sampled file's review checklist (`site_visit.CASE_FILE_CHECKLIST`): the
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
