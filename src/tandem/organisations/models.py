"""Organisations, the services they run (what is assessed and accredited), and who works where:
staff membership and the named posts (safeguarding lead, case management lead, ...).

A person's side in a service (perpetrator work, ISS, both, or management) is the basis of the
information barrier: it decides which survivor records they can ever see.
"""

from django.conf import settings
from django.db import models

from tandem.lib.calendar import Jurisdiction
from tandem.standards.models import InterventionType


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.TextChoices):
    GROUP = "group", "Group"
    ONE_TO_ONE = "one_to_one", "One-to-one"
    BOTH = "both", "Group and one-to-one"


class IssProvision(models.TextChoices):
    INTERNAL = "internal", "Internal: run by the same organisation"
    EXTERNAL = "external", "External: run by a partner organisation"


# Which service field records that each intervention type is offered.
OFFERS_FIELD = {
    InterventionType.BEHAVIOUR_CHANGE: "offers_behaviour_change",
    InterventionType.EARLY_RESPONSE: "offers_early_response",
    InterventionType.ICM: "offers_icm",
}


class Service(models.Model):
    """A perpetrator intervention service with its ISS: the unit that is assessed and accredited."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    jurisdiction = models.CharField(
        max_length=32,
        choices=Jurisdiction.choices,
        help_text="Decides bank holidays and which criminal record body applies",
    )
    offers_behaviour_change = models.BooleanField(default=False)
    offers_early_response = models.BooleanField(default=False)
    offers_icm = models.BooleanField(default=False, verbose_name="offers intensive case management")
    delivery = models.CharField(max_length=16, choices=Delivery.choices)
    iss_provision = models.CharField(max_length=16, choices=IssProvision.choices)
    external_iss_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="iss_partnerships",
    )
    partnership_agreement_signed_on = models.DateField(null=True, blank=True)
    information_sharing_agreement_signed_on = models.DateField(null=True, blank=True)
    has_youth_provision = models.BooleanField(
        default=False, help_text="Provision for young men: allows places under 18 (rule min-age)"
    )
    dash_high_risk_threshold = models.PositiveSmallIntegerField(
        default=14, help_text="DASH yes answers that mean visible high risk (some areas use 17)"
    )
    marac_escalation_incidents = models.PositiveSmallIntegerField(default=3)
    marac_escalation_window_days = models.PositiveSmallIntegerField(default=365)
    referral_response_working_days = models.PositiveSmallIntegerField(
        default=5,
        help_text="The service's stated timeframe for telling a referrer why a referral was not "
        "accepted, with alternatives (rule referral-response)",
    )
    # Optimistic locking: an edit states the version it read, so two managers editing the
    # settings at once cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="service_name_unique"),
            models.CheckConstraint(
                condition=models.Q(iss_provision="internal", external_iss_organisation__isnull=True)
                | models.Q(iss_provision="external", external_iss_organisation__isnull=False),
                name="service_external_iss_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def intervention_types_offered(self) -> list[InterventionType]:
        return [kind for kind, field in OFFERS_FIELD.items() if getattr(self, field)]

    @property
    def criminal_record_body(self) -> str:
        return criminal_record_body(Jurisdiction(self.jurisdiction))


def criminal_record_body(jurisdiction: Jurisdiction) -> str:
    """Rule dbs (R22 A3.3): who carries out staff criminal record checks, by jurisdiction."""
    return {
        Jurisdiction.ENGLAND_AND_WALES: "Disclosure and Barring Service (DBS)",
        Jurisdiction.SCOTLAND: "Disclosure Scotland",
        Jurisdiction.NORTHERN_IRELAND: "AccessNI",
    }[jurisdiction]


class Side(models.TextChoices):
    PERPETRATOR = "perpetrator", "Perpetrator work"
    ISS = "iss", "ISS / IDVA"
    BOTH = "both", "Both (managers only)"
    # Runs the service without working on cases: sees no perpetrator case and no survivor record.
    MANAGEMENT = "management", "Management (no case records)"


class StaffMembership(models.Model):
    """Someone working in a service, on one side of the information barrier (both: managers;
    management: no case records at all)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="memberships")
    side = models.CharField(max_length=16, choices=Side.choices)
    is_senior_manager = models.BooleanField(
        default=False,
        help_text="May sign off suspensions, removals and reports to courts and social care",
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["service", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "service"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_membership_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.service} ({self.get_side_display()})"


# Named posts (R22 A2.1, C1.7): recorded on the governance pages; read here too, by the
# case-management-lead gate (`gates.py`) that case allocation asks.


class NamedRoleKind(models.TextChoices):
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    OUT_OF_HOURS_LEAD = "out_of_hours_lead", "Out-of-hours lead (R22 C1.7)"
    PRACTICE_MANAGER = "practice_manager", "Practice or treatment manager"
    CASE_MANAGEMENT_LEAD = "case_management_lead", "Case management lead"


class NamedRole(models.Model):
    """A person of the service named to a role from one date (to another, once it ends)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="named_roles")
    kind = models.CharField(max_length=24, choices=NamedRoleKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["service", "kind", "-from_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user}"
