"""The shared model of every assurance process: a service assessed against a framework of the
standards library, through a process.

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
    # Respect accreditation: the service appeals a decision (`respect/gates.py`).
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
        "PanelDecision",
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
