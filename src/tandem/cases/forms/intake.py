"""The referral form: his details, the survivors' contact details (handed to the ISS side) and
the children. It checks the shape of the input; the service checks the standards."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from tandem.cases.forms.fields import DateTimeInput, date_field, text_field
from tandem.cases.models import ReferralSource
from tandem.cases.services.intake import ChildDetails, ReferralDetails, SurvivorDetails
from tandem.lib.errors import ActionRefused
from tandem.lib.forms import form_field
from tandem.organisations.models import Service
from tandem.support.barrier import Relationship
from tandem.web import add_refusal_to_form

SURVIVOR_ROWS = 3


CHILD_ROWS = 3


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        label="Which service is the referral for?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the service the referral is for",
            "invalid_choice": "Choose a service whose perpetrator side you work on",
        },
    )
    first_name = text_field("His first name", required=True, max_length=100)
    last_name = text_field("His last name", required=True, max_length=100)
    date_of_birth = date_field("His date of birth", required=True)
    phone = text_field("His phone number", max_length=40, widget=forms.TextInput({"type": "tel"}))
    source = forms.ChoiceField(
        label="Who made the referral?",
        choices=ReferralSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who made the referral"},
    )
    referrer_name = text_field("Referrer's name", max_length=200)
    referrer_organisation = text_field("Referrer's organisation", max_length=200)
    referrer_contact = text_field("Referrer's phone or email", max_length=200)
    received_at = forms.DateTimeField(
        label="Date and time the referral was received",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Enter the date and time the referral was received",
            "invalid": "Enter the date and time the referral was received as a real date and time",
        },
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service_field = form_field(self, "service", forms.ModelChoiceField)
        service_field.queryset = services
        only = list(services[:2])
        if len(only) == 1:
            self.initial.setdefault("service", only[0].pk)
        for number in range(1, SURVIVOR_ROWS + 1):
            prefix = f"Survivor {number}:"
            # The browser must not remember her details: the next person at this computer
            # may work on the perpetrator side.
            unremembered = {"autocomplete": "off"}
            self.fields[f"survivor_{number}_first_name"] = text_field(
                f"{prefix} first name", max_length=100, widget=forms.TextInput(unremembered)
            )
            self.fields[f"survivor_{number}_last_name"] = text_field(
                f"{prefix} last name", max_length=100, widget=forms.TextInput(unremembered)
            )
            self.fields[f"survivor_{number}_relationship"] = forms.ChoiceField(
                label=f"{prefix} relationship to him",
                required=False,
                choices=[("", "Choose a relationship"), *Relationship.choices],
            )
            self.fields[f"survivor_{number}_phone"] = text_field(
                f"{prefix} phone",
                max_length=40,
                widget=forms.TextInput({"type": "tel", **unremembered}),
            )
            self.fields[f"survivor_{number}_email"] = forms.EmailField(
                label=f"{prefix} email",
                required=False,
                widget=forms.EmailInput(unremembered),
                error_messages={
                    "invalid": f"Enter survivor {number}'s email address in the correct format, "
                    "like name@example.invalid"
                },
            )
            self.fields[f"survivor_{number}_date_of_birth"] = date_field(
                f"{prefix} date of birth", what=f"survivor {number}'s date of birth"
            )
            self.fields[f"survivor_{number}_date_of_birth"].widget.attrs.update(unremembered)
        for number in range(1, CHILD_ROWS + 1):
            prefix = f"Child {number}:"
            self.fields[f"child_{number}_first_name"] = text_field(
                f"{prefix} first name", max_length=100
            )
            self.fields[f"child_{number}_last_name"] = text_field(
                f"{prefix} last name", max_length=100
            )
            self.fields[f"child_{number}_date_of_birth"] = date_field(
                f"{prefix} date of birth", what=f"child {number}'s date of birth"
            )
            self.fields[f"child_{number}_relationship"] = text_field(
                f"{prefix} relationship to him",
                max_length=100,
                help_text="For example son, stepdaughter",
            )
            self.fields[f"child_{number}_lives_with_him"] = forms.BooleanField(
                label=f"{prefix} lives with him", required=False
            )

    def _row(self, kind: str, number: int) -> dict[str, Any]:
        start = f"{kind}_{number}_"
        return {
            name.removeprefix(start): value
            for name, value in self.cleaned_data.items()
            if name.startswith(start)
        }

    def _filled_rows(self, kind: str, rows: int) -> list[tuple[int, dict[str, Any]]]:
        """Rows with anything entered; blank rows are ignored."""
        filled = []
        for number in range(1, rows + 1):
            row = self._row(kind, number)
            if any(value not in ("", None, False) for value in row.values()):
                filled.append((number, row))
        return filled

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number, row in self._filled_rows("survivor", SURVIVOR_ROWS):
            for name, what in (
                ("first_name", "first name"),
                ("last_name", "last name"),
                ("relationship", "relationship to him"),
            ):
                if not row.get(name) and f"survivor_{number}_{name}" not in self.errors:
                    self.add_error(f"survivor_{number}_{name}", f"Enter survivor {number}'s {what}")
        for number, row in self._filled_rows("child", CHILD_ROWS):
            for name, what in (
                ("first_name", "first name"),
                ("relationship", "relationship to him"),
            ):
                if not row.get(name) and f"child_{number}_{name}" not in self.errors:
                    self.add_error(f"child_{number}_{name}", f"Enter child {number}'s {what}")
        return cleaned

    def referral_details(self) -> ReferralDetails:
        data = self.cleaned_data
        return ReferralDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            received_at=data["received_at"],
            source=ReferralSource(data["source"]),
            phone=data["phone"],
            referrer_name=data["referrer_name"],
            referrer_organisation=data["referrer_organisation"],
            referrer_contact=data["referrer_contact"],
            survivors=[
                SurvivorDetails(
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    relationship=Relationship(row["relationship"]),
                    phone=row["phone"],
                    email=row["email"],
                    date_of_birth=row["date_of_birth"],
                )
                for _, row in self._filled_rows("survivor", SURVIVOR_ROWS)
            ],
            children=[
                ChildDetails(
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    date_of_birth=row["date_of_birth"],
                    relationship_to_perpetrator=row["relationship"],
                    lives_with_perpetrator=row["lives_with_him"],
                )
                for _, row in self._filled_rows("child", CHILD_ROWS)
            ],
        )

    def add_refusal(self, refusal: ActionRefused) -> None:
        """The service names the survivors or the children as a whole; show its refusal on the
        row it is about."""
        row_field = {
            "survivors": self._survivor_field_refused,
            "child_date_of_birth": self._child_field_refused,
        }.get(refusal.field)
        if row_field is not None:
            refusal = ActionRefused(refusal.message, rule_id=refusal.rule_id, field=row_field())
        add_refusal_to_form(self, refusal)

    def _survivor_field_refused(self) -> str:
        for number, row in self._filled_rows("survivor", SURVIVOR_ROWS):
            if not (row["phone"].strip() or row["email"].strip()):
                return f"survivor_{number}_phone"
        return "survivor_1_first_name"

    def _child_field_refused(self) -> str:
        his_birth: date = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        for number, row in self._filled_rows("child", CHILD_ROWS):
            born = row["date_of_birth"]
            if born is not None and (born <= his_birth or born > today):
                return f"child_{number}_date_of_birth"
        return "child_1_date_of_birth"

    def row_groups(self, kind: str) -> list[tuple[int, list[forms.BoundField]]]:
        rows = SURVIVOR_ROWS if kind == "survivor" else CHILD_ROWS
        return [
            (number, [self[name] for name in self.fields if name.startswith(f"{kind}_{number}_")])
            for number in range(1, rows + 1)
        ]

    @property
    def survivor_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return self.row_groups("survivor")

    @property
    def child_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return self.row_groups("child")
