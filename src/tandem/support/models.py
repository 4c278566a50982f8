"""The Integrated Support Service: survivors, their ISS cases, contact, safety and risk.

Everything here is on the ISS side of the information barrier. The perpetrator side reaches it
only through `tandem.support.selectors.survivor_contact_status_for_case` (whether initial contact
is complete and its outcome, R22 C1.3) and approved `SharedRiskNote`s shown without their source.

Where she lives, how to reach her and everything written about what she said are encrypted at
rest (`EncryptedTextField`, tandem.lib.encryption), so a database dump or backup reveals none of
it; her name and date of birth stay plain for duplicate checks and lists. Her phone numbers are
looked up by their blind index (`phone_index`, `value_index`), never by the encrypted value.
"""

from django.conf import settings
from django.core.validators import validate_email
from django.db import models

from tandem.lib.encryption import BlindIndexField, EncryptedTextField
from tandem.organisations.models import Service
from tandem.support.contact_values import ContactPointKind, contact_lookup_text


class Relationship(models.TextChoices):
    CURRENT_PARTNER = "current_partner", "Current partner"
    EX_PARTNER = "ex_partner", "Ex-partner"
    NEW_PARTNER = "new_partner", "New partner"
    FAMILY_MEMBER = "family_member", "Other family member"


class Survivor(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="survivors")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = EncryptedTextField(max_length=40, blank=True)
    phone_index = BlindIndexField(
        of=lambda survivor: contact_lookup_text(kind=ContactPointKind.PHONE, value=survivor.phone)
    )
    email = EncryptedTextField(max_length=254, blank=True, validators=[validate_email])
    contact_details_received_at = models.DateTimeField(
        help_text="When the service received her contact details (rule iss-handover: 24 hours)"
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class SurvivorLink(models.Model):
    """A survivor of a perpetrator case: one survivor may be linked to several perpetrators and
    one perpetrator to several survivors."""

    perpetrator_case = models.ForeignKey(
        "cases.PerpetratorCase", on_delete=models.PROTECT, related_name="survivor_links"
    )
    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="links")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    position = models.PositiveSmallIntegerField(
        help_text="Survivor 1, 2, ... of this case: how the perpetrator side refers to her"
    )

    class Meta:
        ordering = ["perpetrator_case", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["perpetrator_case", "survivor"], name="survivor_linked_once_per_case"
            ),
            models.UniqueConstraint(
                fields=["perpetrator_case", "position"], name="survivor_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Survivor {self.position} of case {self.perpetrator_case_id}"


class ContactOutcome(models.TextChoices):
    SUPPORT_ACCEPTED = "support_accepted", "Spoke: support accepted"
    SUPPORT_DECLINED = "support_declined", "Spoke: support declined"


class IssCase(models.Model):
    """One survivor's support from the ISS, opened from the perpetrator referral."""

    survivor = models.OneToOneField(Survivor, on_delete=models.PROTECT, related_name="iss_case")
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_iss_cases",
    )
    referred_at = models.DateTimeField(
        null=True, blank=True, help_text="When her details were passed to the ISS"
    )
    contact_established_at = models.DateTimeField(null=True, blank=True)
    contact_outcome = models.CharField(max_length=20, choices=ContactOutcome.choices, blank=True)
    contact_unsafe_reason = EncryptedTextField(
        blank=True, help_text="Why contact is unsafe or impossible (rule iss-before-start)"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = EncryptedTextField(blank=True)
    early_closure_reason = EncryptedTextField(
        blank=True,
        help_text="Why support ended within 4 months of him leaving the intervention "
        "(rule iss-duration)",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_at"]

    def __str__(self) -> str:
        return f"ISS case {self.pk}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class AttemptOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", "No answer"
    MESSAGE_LEFT = "message_left", "Message left (safe to do so)"
    NOT_SAFE_TO_TALK = "not_safe_to_talk", "Answered: not safe to talk"
    WRONG_NUMBER = "wrong_number", "Wrong number or address"
    SUPPORT_ACCEPTED = "support_accepted", "Spoke: support accepted"
    SUPPORT_DECLINED = "support_declined", "Spoke: support declined"


class ContactAttempt(models.Model):
    """Rule iss-contact: every attempt is recorded, even with no answer."""

    iss_case = models.ForeignKey(IssCase, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField()
    method = models.CharField(max_length=12, choices=ContactMethod.choices)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    notes = EncryptedTextField(blank=True)
    destination = EncryptedTextField(
        max_length=254, blank=True, help_text="The number or email address used, if any"
    )
    destination_address = models.ForeignKey(
        "SurvivorAddress",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The address written to or visited, if any",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-attempted_at"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} at {self.attempted_at:%Y-%m-%d %H:%M}"


class SafeContactPreference(models.Model):
    """How and when she can safely be contacted: shown wherever someone is about to contact her."""

    survivor = models.OneToOneField(Survivor, on_delete=models.CASCADE, related_name="safe_contact")
    preferred_methods = models.JSONField(default=list)
    unsafe_methods = models.JSONField(default=list)
    safe_times = EncryptedTextField(max_length=200, blank=True)
    notes = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"Safe contact for survivor {self.survivor_id}"


class SharedRiskNote(models.Model):
    """Risk information passed from the ISS to the perpetrator side: only once approved by the
    ISS manager (and for ICM, also the service manager), and shown there without its source."""

    perpetrator_case = models.ForeignKey(
        "cases.PerpetratorCase", on_delete=models.CASCADE, related_name="shared_risk_notes"
    )
    source_iss_case = models.ForeignKey(
        IssCase, on_delete=models.CASCADE, related_name="shared_risk_notes"
    )
    note = EncryptedTextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    iss_manager_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    iss_manager_approved_at = models.DateTimeField(null=True, blank=True)
    service_manager_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_manager_approved_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(
        null=True, blank=True, help_text="When every approval it needs was given"
    )

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"Shared risk note {self.pk}"


class SurvivorAddress(models.Model):
    """Where she lives, changed only through `survivor_address_change`: confirmed with her, its
    source recorded, and the address she left flagged unsafe. Leaked safe addresses are the most
    common serious data breach in this sector, so nothing is sent to an unsafe one."""

    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="addresses")
    lines = EncryptedTextField(help_text="Every line of the address but the postcode")
    postcode = EncryptedTextField(max_length=10)
    current = models.BooleanField(default=False)
    source = EncryptedTextField(
        max_length=200, help_text="Where the address came from, e.g. she told her ISS worker"
    )
    confirmed_with_survivor_at = models.DateTimeField()
    unsafe = models.BooleanField(default=False)
    unsafe_reason = EncryptedTextField(blank=True)
    known_to_perpetrator = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-current", "-recorded_at", "-pk"]
        verbose_name_plural = "survivor addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["survivor"],
                condition=models.Q(current=True),
                name="one_current_address_per_survivor",
            ),
            models.CheckConstraint(
                condition=models.Q(unsafe=False) | ~models.Q(unsafe_reason=""),
                name="unsafe_address_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"Address {self.pk} of survivor {self.survivor_id}"


class ContactPoint(models.Model):
    """A phone number or email address of hers and whether it is safe to use. Addresses carry
    the same flags themselves (`SurvivorAddress`), so no address has two records that disagree."""

    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="contact_points")
    kind = models.CharField(max_length=8, choices=ContactPointKind.choices)
    value = EncryptedTextField(max_length=254)
    value_index = BlindIndexField(
        of=lambda point: contact_lookup_text(kind=point.kind, value=point.value)
    )
    unsafe = models.BooleanField(default=False)
    unsafe_reason = EncryptedTextField(blank=True)
    known_to_perpetrator = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unsafe=False) | ~models.Q(unsafe_reason=""),
                name="unsafe_contact_point_says_why",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} of survivor {self.survivor_id}"


class DuplicateResolution(models.TextChoices):
    SAME_PERSON = "same_person", "Same person: linked to her existing record"
    DIFFERENT_PEOPLE = "different_people", "Not the same person"


# How many possible duplicates of her record are flagged (the most recent) and shown: beyond a
# handful, a match says little (a shared office number), and an unbounded list made her page and
# the API fail with every survivor who shared it.
POSSIBLE_DUPLICATES_AT_MOST = 20


class PossibleDuplicateSurvivor(models.Model):
    """A survivor named in a referral who may already have a record in the service (same name
    and date of birth, or same phone). Flagged for the ISS to decide, never merged silently."""

    survivor = models.ForeignKey(
        Survivor, on_delete=models.CASCADE, related_name="possible_duplicates"
    )
    existing = models.ForeignKey(Survivor, on_delete=models.CASCADE, related_name="+")
    matched_on = models.CharField(max_length=100)
    flagged_at = models.DateTimeField()
    resolution = models.CharField(max_length=20, choices=DuplicateResolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["flagged_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survivor", "existing"], name="possible_duplicate_flagged_once"
            )
        ]

    def __str__(self) -> str:
        return f"Survivor {self.survivor_id} may be survivor {self.existing_id}"


class DashAssessment(models.Model):
    """One completed DASH risk checklist with her (rule dash): the answers as given, the score,
    the practitioner's judgement and the MARAC referral criteria it met, as recorded then."""

    iss_case = models.ForeignKey(IssCase, on_delete=models.PROTECT, related_name="dash_assessments")
    instrument_id = models.CharField(max_length=50)
    instrument_version = models.CharField(max_length=20)
    answers = models.JSONField(help_text="Answer option id by question number")
    yes_count = models.PositiveSmallIntegerField()
    professional_judgement_high = models.BooleanField(default=False)
    professional_judgement_reasons = EncryptedTextField(blank=True)
    criteria = models.JSONField(default=list, help_text="The MARAC referral criteria met")
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(professional_judgement_high=False)
                | ~models.Q(professional_judgement_reasons=""),
                name="dash_judgement_has_reasons",
            )
        ]

    def __str__(self) -> str:
        return f"DASH of ISS case {self.iss_case_id} on {self.assessed_at:%Y-%m-%d}"


class RiskIncident(models.Model):
    """An incident of abuse against her that the ISS knows of: counted for the MARAC potential
    escalation and repeat referral criteria (rule dash)."""

    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="risk_incidents")
    occurred_on = models.DateField()
    summary = EncryptedTextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"Incident on {self.occurred_on:%Y-%m-%d} (survivor {self.survivor_id})"


class MaracReferral(models.Model):
    """Her referral to the MARAC, made on the criteria a DASH assessment met (rule dash)."""

    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="marac_referrals")
    dash_assessment = models.ForeignKey(
        DashAssessment, on_delete=models.PROTECT, related_name="marac_referrals"
    )
    referred_on = models.DateField()
    criteria = models.JSONField(help_text="The MARAC referral criteria it was made on")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"MARAC referral on {self.referred_on:%Y-%m-%d} (survivor {self.survivor_id})"


class SafetyPlan(models.Model):
    """The safety plan agreed with her, and when it is next reviewed. A new plan supersedes the
    one before it, which is kept as it was; reviewing a plan unchanged moves its review date."""

    iss_case = models.ForeignKey(IssCase, on_delete=models.PROTECT, related_name="safety_plans")
    agreed_on = models.DateField()
    summary = EncryptedTextField(help_text="What was agreed with her")
    review_on = models.DateField(help_text="When it is next reviewed with her")
    reviewed_at = models.DateTimeField(null=True, blank=True, help_text="When last reviewed")
    superseded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-agreed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["iss_case"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_safety_plan_per_iss_case",
            ),
            models.CheckConstraint(
                condition=models.Q(review_on__gt=models.F("agreed_on")),
                name="safety_plan_reviewed_after_agreed",
            ),
        ]

    def __str__(self) -> str:
        return f"Safety plan of {self.agreed_on:%Y-%m-%d} (ISS case {self.iss_case_id})"


class SessionMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    TEXT = "text", "Text messages"


class SupportSession(models.Model):
    """One support session held with her."""

    iss_case = models.ForeignKey(IssCase, on_delete=models.PROTECT, related_name="support_sessions")
    held_at = models.DateTimeField()
    method = models.CharField(max_length=12, choices=SessionMethod.choices)
    summary = EncryptedTextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_at", "-pk"]

    def __str__(self) -> str:
        return f"Support session at {self.held_at:%Y-%m-%d %H:%M} (ISS case {self.iss_case_id})"


class SignpostingKind(models.TextChoices):
    SIGNPOSTED = "signposted", "Signposted"
    REFERRED = "referred", "Referred"


SIGNPOSTED_TO_MAX_LENGTH = 200


class Signposting(models.Model):
    """Another organisation or service she was signposted or referred to, and what came of it."""

    iss_case = models.ForeignKey(IssCase, on_delete=models.PROTECT, related_name="signpostings")
    made_on = models.DateField()
    to_whom = EncryptedTextField(
        max_length=SIGNPOSTED_TO_MAX_LENGTH, help_text="The organisation or service"
    )
    kind = models.CharField(
        max_length=12,
        choices=SignpostingKind.choices,
        help_text="Signposted: she was given their details. Referred: her details were passed "
        "to them, with her agreement.",
    )
    reason = EncryptedTextField()
    outcome = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-made_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.made_on:%Y-%m-%d} (ISS case {self.iss_case_id})"
