"""The standards library: published frameworks, their requirements, and mappings between them.

Rows are written only by the loader (`services.library_load`) from the versioned data files in
`data/`; nothing in the application edits them.
"""

from urllib.parse import urlencode

from django.db import models
from django.urls import reverse


class Level(models.TextChoices):
    SECTION = "section", "Section"
    STANDARD = "standard", "Standard"
    INDICATOR = "indicator", "Indicator"
    ITEM = "item", "Item"
    QUESTION = "question", "Question"


class AssessmentMethod(models.TextChoices):
    WRITTEN_SUBMISSION = "written_submission", "Written submission"
    STAFF_INTERVIEWS = "staff_interviews", "Staff interviews"
    CASE_FILE_REVIEW = "case_file_review", "Case files review"
    RECORDED_SESSIONS_REVIEW = "recorded_sessions_review", "Recorded sessions review"
    SITE_VISIT_DOCUMENTS = "site_visit_documents", "Review of documents at the site visit"


class InterventionType(models.TextChoices):
    BEHAVIOUR_CHANGE = "behaviour_change", "Behaviour-change (structured)"
    EARLY_RESPONSE = "early_response", "Early-response (structured)"
    ICM = "icm", "Intensive case management"


class GuidanceForce(models.TextChoices):
    MUST = "must", "Must"
    SHOULD = "should", "Should"
    INFORMATIVE = "informative", "Informative"


class Relation(models.TextChoices):
    EQUAL = "equal", "Equal to"
    SUBSET = "subset", "Covered by"
    SUPERSET = "superset", "Covers"
    INTERSECT = "intersect", "Overlaps"


class Framework(models.Model):
    slug = models.SlugField(max_length=64, help_text="Stable id, e.g. respect-2022")
    edition = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    published = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of publication, where the source gives it"
    )
    source = models.CharField(max_length=200, help_text="The source text it was transcribed from")
    description = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64)
    is_current = models.BooleanField(
        default=True, help_text="The newest loaded edition of this framework: shown by default"
    )
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slug", "edition"], name="framework_edition_unique")
        ]
        ordering = ["slug", models.F("published").desc(nulls_last=True), "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.edition})"

    def get_absolute_url(self) -> str:
        return reverse("standards:framework_detail", args=[self.slug]) + self.edition_query

    @property
    def edition_query(self) -> str:
        """The query string that pins an older edition in links; empty for the current one."""
        return "" if self.is_current else "?" + urlencode({"edition": self.edition})


class Requirement(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    code = models.CharField(max_length=64, help_text="Stable id within the framework, e.g. S-B3.3")
    ref = models.CharField(max_length=64, help_text="The reference as printed, e.g. B3.3")
    level = models.CharField(max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(help_text="Order in the source document")
    depth = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    purpose = models.TextField(blank=True)
    guidance = models.JSONField(default=list, help_text='[{"text": ..., "force": ...}]')
    evidence = models.JSONField(default=list)
    assessment_methods = models.JSONField(default=list)
    applies_to = models.JSONField(default=list, help_text="Empty: applies to every intervention")
    search_text = models.TextField(help_text="Lower-cased words of every text field, for search")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="requirement_code_unique")
        ]
        ordering = ["framework", "position"]

    def __str__(self) -> str:
        return f"{self.framework.slug}:{self.code}"

    def get_absolute_url(self) -> str:
        framework = self.framework
        return (
            reverse("standards:requirement_detail", args=[framework.slug, self.code])
            + framework.edition_query
        )

    @property
    def applies_to_labels(self) -> list[str]:
        return [InterventionType(value).label for value in self.applies_to]

    @property
    def assessment_method_labels(self) -> list[str]:
        return [AssessmentMethod(value).label for value in self.assessment_methods]

    @property
    def heading(self) -> str:
        return f"{self.ref} {self.title}".strip() if self.title else self.ref


class RequirementMapping(models.Model):
    """`source` is `relation` of `target`, e.g. a Welsh standard is covered by (subset) R22 B3.2."""

    source = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="mappings_out")
    target = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="mappings_in")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    rationale = models.CharField(max_length=500)
    data_file = models.CharField(max_length=200, help_text="The mappings file it was loaded from")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="mapping_pair_unique")
        ]
        ordering = ["source__framework__slug", "source__position", "target__position"]

    def __str__(self) -> str:
        return f"{self.source} {self.relation} {self.target}"
