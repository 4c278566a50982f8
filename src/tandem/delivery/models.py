"""Programmes, groups, sessions, attendance and the recordings register.

Attendance feeds the perpetrator case (rule engagement-change); the standards' numbers for groups
(rules group-size, facilitators, facilitator-load, dose) are warnings a service may go ahead
against with a recorded reason (`DeliveryException`), which the exceptions page lists. Tandem
keeps the register of recordings and their review, never the media itself (rule recording).
"""

from django.conf import settings
from django.db import models

from tandem.cases.models import EngagementChange, PerpetratorCase
from tandem.organisations.models import Service


class ProgrammeKind(models.TextChoices):
    BEHAVIOUR_CHANGE = "behaviour_change", "Behaviour-change group"
    ONE_TO_ONE = "one_to_one", "One-to-one"
    EARLY_RESPONSE = "early_response", "Early response"
    ICM = "icm", "Intensive case management (ICM)"


class Programme(models.Model):
    """A curriculum: modules and sessions in sequence, with its planned contact hours and weeks."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ProgrammeKind.choices)
    planned_contact_hours = models.PositiveSmallIntegerField()
    planned_weeks = models.PositiveSmallIntegerField()
    for_men_abusive_to_female_partners = models.BooleanField(
        default=True,
        help_text="Groups of men abusive to female partners: the facilitator mix applies "
        "(rule facilitators)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["service", "name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="programme_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeSession(models.Model):
    """One session of a programme's curriculum, in its module and place in the sequence."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    sequence = models.PositiveSmallIntegerField()
    module = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    planned_minutes = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["programme", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "sequence"], name="programme_session_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.module}: {self.title}"


class GroupFormat(models.TextChoices):
    ROLLING = "rolling", "Rolling (men join as places free up)"
    CLOSED = "closed", "Closed (everyone starts together)"


class Group(models.Model):
    """A group running a programme, with its facilitators and its participants."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="delivery_groups")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=200)
    format = models.CharField(max_length=10, choices=GroupFormat.choices)
    starts_on = models.DateField()
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    # Optimistic locking: joining, leaving and re-staffing state the version they read.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["service", "name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class GroupParticipant(models.Model):
    """A perpetrator case in a group: only a case of the group's service in the intervention."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="participants")
    case = models.ForeignKey(PerpetratorCase, on_delete=models.PROTECT, related_name="group_places")
    joined_on = models.DateField()
    # The last day he was in the group (sessions after it are not his); with why he left.
    left_on = models.DateField(null=True, blank=True)
    leaving_reason = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["group", "case__reference"]
        constraints = [
            models.UniqueConstraint(fields=["group", "case"], name="group_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} in {self.group}"


class SessionType(models.TextChoices):
    GROUP = "group", "Group session"
    ONE_TO_ONE = "one_to_one", "One-to-one session"
    CASE_MANAGER_CONTACT = "case_manager_contact", "ICM: case-manager contact"
    DISRUPTION_ACTIVITY = "disruption_activity", "ICM: disruption activity"
    MULTI_AGENCY_ACTION = "multi_agency_action", "ICM: multi-agency action"


class DeliverySession(models.Model):
    """A session held (or planned) for a group, or with one man (one-to-one and ICM work)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="delivery_sessions")
    session_type = models.CharField(max_length=24, choices=SessionType.choices)
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    case = models.ForeignKey(
        PerpetratorCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delivery_sessions",
    )
    programme_session = models.ForeignKey(
        ProgrammeSession, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    planning_minutes = models.PositiveSmallIntegerField(
        help_text="Planning slot before the session (rule facilitator-load: at least 30)"
    )
    debrief_minutes = models.PositiveSmallIntegerField(
        help_text="Debrief slot after the session (rule facilitator-load: at least 30)"
    )
    notes = models.TextField(blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField()
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-starts_at"]
        indexes = [models.Index(fields=["service", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session_type="group", group__isnull=False, case__isnull=True)
                | (
                    ~models.Q(session_type="group")
                    & models.Q(group__isnull=True, case__isnull=False)
                ),
                name="delivery_session_group_or_one_man",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="delivery_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        who = (
            self.group.name
            if self.group_id and self.group
            else str(self.case and self.case.reference)
        )
        return f"{self.get_session_type_display()} {who} on {self.held_on:%d %b %Y}"

    @property
    def duration_minutes(self) -> int:
        return (self.ends_at.hour * 60 + self.ends_at.minute) - (
            self.starts_at.hour * 60 + self.starts_at.minute
        )


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    LATE = "late", "Late"
    ABSENT_WITH_NOTICE = "absent_with_notice", "Absent with notice"
    ABSENT_WITHOUT_NOTICE = "absent_without_notice", "Absent without notice"
    EXCLUDED = "excluded", "Excluded"


# Statuses that are a missed session for rule engagement-change.
MISSED = frozenset(
    {
        AttendanceStatus.ABSENT_WITH_NOTICE,
        AttendanceStatus.ABSENT_WITHOUT_NOTICE,
        AttendanceStatus.EXCLUDED,
    }
)


class Attendance(models.Model):
    session = models.ForeignKey(
        DeliverySession, on_delete=models.CASCADE, related_name="attendances"
    )
    case = models.ForeignKey(PerpetratorCase, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(max_length=24, choices=AttendanceStatus.choices)
    minutes_attended = models.PositiveSmallIntegerField()
    # The engagement change this absence was told as (rule engagement-change): once per absence.
    engagement_change = models.ForeignKey(
        EngagementChange, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "case__reference"]
        constraints = [
            models.UniqueConstraint(fields=["session", "case"], name="attendance_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_status_display()}"


class DeliveryException(models.Model):
    """Going ahead against the standards' delivery warnings, with the reason: what compliance
    reports show for rules group-size, facilitators, facilitator-load and dose."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=100)
    session = models.ForeignKey(
        DeliverySession, on_delete=models.CASCADE, null=True, blank=True, related_name="exceptions"
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="exceptions"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="exceptions"
    )
    rule_ids = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action}: {', '.join(self.rule_ids)}"


class RecordingMedium(models.TextChoices):
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Consent given"
    NOT_GIVEN = "not_given", "No consent on file"


class Recording(models.Model):
    """Rule recording (R22-S B6.4, R08 B1.5): a session's recording as held in the service's own
    storage. Tandem keeps where it is and its checksum, never the media."""

    session = models.OneToOneField(
        DeliverySession, on_delete=models.PROTECT, related_name="recording"
    )
    medium = models.CharField(max_length=8, choices=RecordingMedium.choices)
    storage_location = models.CharField(max_length=500)
    checksum_sha256 = models.CharField(max_length=64)
    retain_until = models.DateField()
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField()
    selected_for_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["-session__held_on"]

    def __str__(self) -> str:
        return f"{self.get_medium_display()} of {self.session}"


class RecordingConsent(models.Model):
    """Each participant's consent to the recording being seen (rule consent), as at registering."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="consents")
    case = models.ForeignKey(PerpetratorCase, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ConsentStatus.choices)

    class Meta:
        ordering = ["recording", "case__reference"]
        constraints = [
            models.UniqueConstraint(fields=["recording", "case"], name="recording_consent_once")
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_status_display()}"


class RecordingReview(models.Model):
    """The practice manager's review of a sampled recording, with the feedback to facilitators."""

    recording = models.OneToOneField(Recording, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField()
    observations = models.TextField()
    feedback = models.TextField(help_text="Feedback given to the facilitators")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Review of {self.recording}"
