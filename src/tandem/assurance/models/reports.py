"""The reports generated from an assessment, kept as they were generated."""

from django.conf import settings
from django.db import models

from tandem.assurance.models.assessments import Assessment, State


class ReportKind(models.TextChoices):
    """The reports Tandem generates from an assessment (`reports.definitions.REPORTS` says for which
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
