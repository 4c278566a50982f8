"""The data protection officer's narrowing of the trail: by record, by person, by date."""

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType

from tandem.audit.selectors import TrailFilter, audited_record_types


def record_type_value(content_type: ContentType) -> str:
    """How a kind of record is named in the filter: `support.isscase`."""
    return f"{content_type.app_label}.{content_type.model}"


class TrailFilterForm(forms.Form):
    record_type = forms.ChoiceField(required=False, label="Kind of record")
    record_id = forms.CharField(
        required=False,
        max_length=50,
        label="Record number or reference",
        help_text=(
            "As in the record's address: an ISS case at /support/12/ is 12; a perpetrator case "
            "is its reference"
        ),
    )
    person = forms.CharField(
        required=False, max_length=150, label="Who", help_text="Their username"
    )
    since = forms.DateField(required=False, label="From (date)", help_text="For example 27/3/2026")
    until = forms.DateField(required=False, label="To (date)", help_text="Inclusive")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record_types = {record_type_value(kind): kind for kind in audited_record_types()}
        self.fields["record_type"].choices = [  # type: ignore[attr-defined]
            ("", "Any"),
            *((value, str(kind.name).capitalize()) for value, kind in self.record_types.items()),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("record_id") and not cleaned.get("record_type"):
            self.add_error("record_type", "Choose the kind of record the number is of")
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be on or after the start date")
        return cleaned

    def narrowed(self) -> TrailFilter:
        """The filter of a valid form (call after is_valid)."""
        data = self.cleaned_data
        return TrailFilter(
            record_type=self.record_types.get(data.get("record_type") or ""),
            record_id=data.get("record_id", ""),
            person=data.get("person", ""),
            since=data.get("since"),
            until=data.get("until"),
        )
