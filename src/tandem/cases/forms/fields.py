"""The widgets and fields the case forms share, rendered as GOV.UK Frontend markup."""

from typing import Any

from django import forms
from django.contrib.auth.models import User

from tandem.cases.models import PerpetratorCase
from tandem.lib.people import person_name
from tandem.organisations.models import Side


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def date_field(
    label: str, *, required: bool = False, help_text: str = "", what: str = ""
) -> forms.DateField:
    """`what` names the date in its error messages, e.g. "survivor 2's date of birth"."""
    what = what or label.lower()
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real date"},
    )


def text_field(label: str, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def long_text_field(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return text_field(
        label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": 4})
    )


def datetime_field(label: str, *, what: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a real date and time",
        },
    )


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose first box carries the field's own id, so the error summary's link to the
    field lands on the first box, as the GOV.UK pattern asks. Rendered by
    `cases/_checkboxes.html`."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        if index == "0":
            return id_
        return super().id_for_label(id_, index)


_SIDE_NAMES = {
    Side.PERPETRATOR: "perpetrator side",
    Side.ISS: "ISS",
    Side.BOTH: "both sides",
    Side.MANAGEMENT: "management",
}


def person_with_side(user: Any) -> str:
    """A person, with their side of the service when the queryset gives it."""
    side = getattr(user, "side", "")
    return person_name(user) + (f" ({_SIDE_NAMES[Side(side)]})" if side else "")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_with_side(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_with_side(obj)


class CaseFilesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PerpetratorCase) -> str:
        return f"{obj.reference} {obj.first_name} {obj.last_name} ({obj.get_stage_display()})"
