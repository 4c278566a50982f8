"""Form pieces every assurance page shares: the version a change was read at, dates, GOV.UK
checkboxes and file uploads, choosing a person, and declaring conflicts of interest. Forms check
the shape of the input; the services check the process and the standards and refuse naming what
is wrong, shown on the field it names."""

from typing import Any

from django import forms
from django.contrib.auth.models import User

from tandem.lib.people import person_name

CHECKBOXES_TEMPLATE = "assurance/_checkboxes_field.html"
FILE_TEMPLATE = "assurance/_file_field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """The first box carries the field's own id, so the error summary's link lands on it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        if index == "0":
            return id_
        return super().id_for_label(id_, index)


class CheckboxesField(forms.MultipleChoiceField):
    """Rendered as GOV.UK checkboxes, which the shared field template does not draw."""

    widget = GovukCheckboxes

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template_name = CHECKBOXES_TEMPLATE


class GovukFileField(forms.FileField):
    """Rendered as a GOV.UK file upload, which the shared field template does not draw."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template_name = FILE_TEMPLATE


class VersionForm(forms.Form):
    """Every change states the version it was read at (optimistic locking). The field is not
    called `version`, so a stale-record refusal shows above the form, not on a hidden input."""

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Reload the page and try again"},
    )

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["expected_version"] = version
        super().__init__(*args, **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{person_name(obj)} ({obj.get_username()})"


def radios(label: str, choices: Any, message: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message},
        **kwargs,
    )


class DeclarationForm(forms.Form):
    no_conflict = radios(
        "Do you have a conflict of interest with this service?",
        [("yes", "No: I have no conflict of interest"), ("no", "Yes: I have a conflict")],
        "Say whether you have a conflict of interest",
    )
    details = forms.CharField(
        label="What is the conflict?",
        required=False,
        help_text="Needed when you have one: someone else will take the part",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def declares_no_conflict(self) -> bool:
        return bool(self.cleaned_data["no_conflict"] == "yes")
