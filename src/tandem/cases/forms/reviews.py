"""The forms of the service's reviews: case management reviews (one entry per open case),
case-file audits and the weekly risk and engagement exchange."""

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from tandem.cases.forms.fields import (
    CaseFilesChoiceField,
    GovukCheckboxes,
    PeopleChoiceField,
    PersonChoiceField,
    date_field,
    long_text_field,
)
from tandem.cases.models import PerpetratorCase
from tandem.cases.services.reviews import ReviewEntry
from tandem.lib.forms import form_field


class MeetingDateForm(forms.Form):
    """The day of the meeting decides which cases were open and must be considered, so it is
    chosen first (in the address, so the recording form keeps it)."""

    held_on = date_field("Date of the meeting", required=True, what="the date of the meeting")

    def clean_held_on(self) -> date:
        held_on: date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("The date of the meeting cannot be in the future")
        return held_on


class CaseReviewMeetingForm(forms.Form):
    chair = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who chaired it?",
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Someone who does not work directly with service users",
        error_messages={
            "required": "Choose who chaired the meeting",
            "invalid_choice": "Choose someone on this service's staff",
        },
    )
    attendees = PeopleChoiceField(
        queryset=User.objects.none(),
        label="Who attended?",
        widget=GovukCheckboxes,
        help_text="The intervention and the ISS must both be represented",
        error_messages={
            "required": "Choose who attended",
            "invalid_choice": "Choose people on this service's staff",
            "invalid_pk_value": "Choose people on this service's staff",
        },
    )
    previous_actions_reviewed = long_text_field(
        "How the previous meeting's actions were followed up",
        help_text="Needed when the previous meeting set actions",
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "attendees"):
            people_field = form_field(self, name, forms.ModelChoiceField)
            people_field.queryset = staff


class ReviewEntryForm(forms.Form):
    """One open case at the meeting: the decisions about it and any actions."""

    case_reference = forms.CharField(widget=forms.HiddenInput)
    decisions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Reviewed at the next meeting",
    )

    def __init__(
        self, *args: Any, case: PerpetratorCase, children_to_reexamine: bool, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {})["case_reference"] = case.reference
        super().__init__(*args, **kwargs)
        self.case = case
        self.children_to_reexamine = children_to_reexamine
        self.fields["decisions"].label = f"Decisions about {case.reference}"
        self.fields["decisions"].error_messages["required"] = (
            f"Record the decisions about {case.reference}: every open case is considered "
            "(rule case-review)"
        )
        self.fields["actions"].label = f"Actions for {case.reference}"
        if children_to_reexamine:
            self.fields["children_reexamined"] = forms.BooleanField(
                label=f"The children's needs in {case.reference} were re-examined",
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("case_reference") != self.case.reference:
            raise forms.ValidationError(
                "The open cases changed since this page was opened: reload it and try again"
            )
        return cleaned

    def review_entry(self) -> ReviewEntry:
        data = self.cleaned_data
        return ReviewEntry(
            case=self.case,
            decisions=data["decisions"],
            actions=data["actions"],
            children_reexamined=data.get("children_reexamined", False),
        )


class BaseReviewEntryFormSet(forms.BaseFormSet):
    """One form per case open on the day, whatever count was posted: the list of cases is the
    server's, not the browser's."""

    def __init__(
        self,
        *args: Any,
        cases: list[PerpetratorCase],
        children_to_reexamine: set[int],
        **kwargs: Any,
    ) -> None:
        self.cases = cases
        self.children_to_reexamine = children_to_reexamine
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        return len(self.cases)

    def initial_form_count(self) -> int:
        # Every case's form counts as an existing one, so a blank one is validated (and
        # refused), never skipped as an unused extra form.
        return len(self.cases)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        if index is None:
            raise TypeError("every form of a case review is one case's: there is no blank form")
        case = self.cases[index]
        return {"case": case, "children_to_reexamine": case.pk in self.children_to_reexamine}

    def review_entries(self) -> list[ReviewEntry]:
        return [form.review_entry() for form in self.forms]


ReviewEntryFormSet = cast(
    type[BaseReviewEntryFormSet],
    forms.formset_factory(ReviewEntryForm, formset=BaseReviewEntryFormSet, extra=0),
)


class FileAuditForm(forms.Form):
    audited_on = date_field("Date of the audit", required=True, what="the date of the audit")
    sample = CaseFilesChoiceField(
        queryset=PerpetratorCase.objects.none(),
        label="Which case files were audited?",
        widget=GovukCheckboxes,
        help_text="Open cases, and those closed in the last 8 weeks",
        error_messages={
            "required": "Choose the case files audited",
            "invalid_choice": "Choose case files of this service",
            "invalid_pk_value": "Choose case files of this service",
        },
    )
    findings = long_text_field("Findings", required=True)
    feedback = long_text_field("Feedback given to the workers", required=True)

    def __init__(self, *args: Any, candidates: QuerySet[PerpetratorCase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sample_field = form_field(self, "sample", forms.ModelMultipleChoiceField)
        sample_field.queryset = candidates


class ExchangeForm(forms.Form):
    held_on = date_field("Date of the exchange", required=True, what="the date of the exchange")
    perpetrator_side_person = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who took part for the perpetrator side?",
        error_messages={"required": "Choose who took part for the perpetrator side"},
    )
    iss_side_person = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who took part for the ISS?",
        error_messages={"required": "Choose who took part for the ISS"},
    )
    summary = long_text_field(
        "What the perpetrator side shared: changes in his risk and engagement", required=True
    )
    iss_account = long_text_field(
        "What the ISS shared (optional)",
        required=False,
        help_text="The perpetrator side reads this only once a manager on the ISS side approves "
        "it, as with a shared risk note. Say nothing that identifies her or where she is.",
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("perpetrator_side_person", "iss_side_person"):
            person_field = form_field(self, name, forms.ModelChoiceField)
            person_field.queryset = staff
