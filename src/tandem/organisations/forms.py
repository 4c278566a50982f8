"""The forms of the service pages. They check the shape of the input; the services check the
rules and refuse naming the field, which `add_refusal_to_form` puts next to it."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from tandem.lib.calendar import Jurisdiction
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Delivery, IssProvision, Organisation, Service, Side
from tandem.organisations.services import ServiceSettings, service_settings_of
from tandem.standards.models import InterventionType
from tandem.web import add_refusal_to_form

CHECKBOXES_TEMPLATE = "organisations/_checkboxes_field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose first box carries the field's own id, so the error summary's link to the
    field lands on the first box, as the GOV.UK pattern asks."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        if index == "0":
            return id_
        return super().id_for_label(id_, index)


class CheckboxesField(forms.MultipleChoiceField):
    """Any number of choices as GOV.UK checkboxes; whether none is allowed is the service's
    decision, so it names the rule."""

    widget = GovukCheckboxes

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.template_name = CHECKBOXES_TEMPLATE


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


def _date_field(label: str, *, what: str, required: bool, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real date"},
    )


def _number(label: str, *, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": f"Enter {label[0].lower()}{label[1:]} as a whole number",
        },
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={"required": "Enter the organisation's name"},
    )


class ServiceForm(forms.Form):
    """A service's settings. Creating one also chooses its organisation, which never changes."""

    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation that runs the service",
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation that runs the service"},
    )
    name = forms.CharField(
        label="Service name", max_length=200, error_messages={"required": "Enter the service name"}
    )
    jurisdiction = forms.ChoiceField(
        label="Jurisdiction",
        help_text="Decides the bank holidays in working-day deadlines and which body carries out "
        "staff criminal record checks",
        choices=Jurisdiction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the jurisdiction"},
    )
    intervention_types = CheckboxesField(
        label="Intervention types offered",
        help_text="Choose at least one",
        choices=InterventionType.choices,
    )
    delivery = forms.ChoiceField(
        label="Delivery",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the intervention is delivered"},
    )
    iss_provision = forms.ChoiceField(
        label="Integrated Support Service (ISS) for survivors",
        help_text="No perpetrator work without survivor support can be accredited",
        choices=IssProvision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the ISS is internal or external"},
    )
    external_iss_organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        label="Partner organisation that runs the ISS",
        help_text="External ISS only",
        empty_label="None: the ISS is internal",
        required=False,
    )
    partnership_agreement_signed_on = _date_field(
        "Partnership agreement with the ISS partner signed on",
        what="the date the partnership agreement was signed",
        required=False,
        help_text="External ISS only",
    )
    information_sharing_agreement_signed_on = _date_field(
        "Information sharing agreement with the ISS partner signed on",
        what="the date the information sharing agreement was signed",
        required=False,
        help_text="External ISS only",
    )
    has_youth_provision = forms.BooleanField(
        label="Has provision for young men (allows places under 18)", required=False
    )
    dash_high_risk_threshold = _number(
        "DASH high-risk threshold",
        help_text="Yes answers that mean visible high risk: usually 14, some areas use 17",
    )
    marac_escalation_incidents = _number(
        "Incidents that escalate a case to MARAC", help_text="Within the window below"
    )
    marac_escalation_window_days = _number(
        "MARAC escalation window, in days", help_text="Usually 365"
    )
    referral_response_working_days = _number(
        "Referral response timeframe, in working days",
        help_text="How soon a referrer is told why a referral was not accepted, with alternatives",
    )
    # Not called `version`, so a stale-record refusal shows above the form, not on a hidden input.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        service: Service | None = None,
        **kwargs: Any,
    ) -> None:
        if service is not None:
            current = service_settings_of(service)
            kwargs.setdefault("initial", {}).update(
                {
                    **vars(current),
                    "intervention_types": sorted(current.intervention_types),
                    "expected_version": service.version,
                }
            )
        else:
            kwargs.setdefault("initial", {}).update(
                {
                    "dash_high_risk_threshold": 14,
                    "marac_escalation_incidents": 3,
                    "marac_escalation_window_days": 365,
                    "referral_response_working_days": 5,
                }
            )
        super().__init__(*args, **kwargs)
        if service is None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
            del self.fields["expected_version"]
        else:
            del self.fields["organisation"]
            self.fields["expected_version"].required = True
        self.fields["external_iss_organisation"].queryset = organisations  # type: ignore[attr-defined]

    def service_settings(self) -> ServiceSettings:
        data = self.cleaned_data
        return ServiceSettings(
            name=data["name"],
            jurisdiction=data["jurisdiction"],
            intervention_types=frozenset(data["intervention_types"]),
            delivery=data["delivery"],
            iss_provision=data["iss_provision"],
            external_iss_organisation=data["external_iss_organisation"],
            partnership_agreement_signed_on=data["partnership_agreement_signed_on"],
            information_sharing_agreement_signed_on=data["information_sharing_agreement_signed_on"],
            has_youth_provision=data["has_youth_provision"],
            dash_high_risk_threshold=data["dash_high_risk_threshold"],
            marac_escalation_incidents=data["marac_escalation_incidents"],
            marac_escalation_window_days=data["marac_escalation_window_days"],
            referral_response_working_days=data["referral_response_working_days"],
        )


class MembershipForm(forms.Form):
    username = forms.CharField(
        label="Their username",
        help_text="The username they sign in to Tandem with",
        max_length=150,
        error_messages={"required": "Enter their username"},
    )
    side = forms.ChoiceField(
        label="Side of the information barrier",
        help_text="Perpetrator work and the ISS are kept apart: only managers work on both. "
        "Management sees no case records.",
        choices=Side.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their side of the information barrier"},
    )
    is_senior_manager = forms.BooleanField(
        label="Senior manager",
        help_text="Signs off suspensions, removals and reports to courts and social care, and "
        "manages this service's settings and staff",
        required=False,
    )
    started_on = _date_field("Started on", what="the day they started", required=True)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("started_on", today)
        super().__init__(*args, **kwargs)

    def add_refusal(self, refusal: ActionRefused) -> None:
        """The service names the person `user`; this form asks for their username."""
        if refusal.field == "user":
            refusal.field = "username"
        add_refusal_to_form(self, refusal)


class MembershipEndForm(forms.Form):
    ended_on = _date_field(
        "Last day in the service",
        what="their last day in the service",
        required=True,
        help_text="From the day after, they can open nothing of this service",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("ended_on", today)
        super().__init__(*args, **kwargs)
