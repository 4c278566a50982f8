"""The forms of the assurance pages. They check the shape of the input; the services check the
process and the standards and refuse naming what is wrong, shown on the field it names."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from tandem.assurance.models import (
    DecisionOutcome,
    EvidenceDocument,
    Judgement,
    Part,
    Recommendation,
    VerificationOutcome,
)
from tandem.assurance.respect import NARRATIVE_MAX_WORDS
from tandem.assurance.services import ConditionDetails
from tandem.organisations.models import Service
from tandem.standards.models import AssessmentMethod, InterventionType

CONDITION_ROWS = 3
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template_name = CHECKBOXES_TEMPLATE


class GovukFileField(forms.FileField):
    """Rendered as a GOV.UK file upload, which the shared field template does not draw."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template_name = FILE_TEMPLATE


def _required(label: str, message: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, error_messages={"required": message}, **kwargs)


def _long_text(label: str, message: str, *, help_text: str = "", rows: int = 5) -> forms.CharField:
    return _required(
        label, message, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def _radios(label: str, choices: Any, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message},
    )


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
        return f"{obj.get_full_name() or obj.get_username()} ({obj.get_username()})"


class ApplicationForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        label="Which service is applying?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the service that is applying"},
    )
    scope = CheckboxesField(
        label="Which interventions should be accredited?",
        help_text="Any or all of the interventions the service offers. The ICM section of the "
        "standard replaces the structured one for intensive case management.",
        choices=InterventionType.choices,
        widget=GovukCheckboxes,
        error_messages={"required": "Choose at least one intervention to be accredited"},
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services


class ParticipantForm(forms.Form):
    user = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who?",
        error_messages={"required": "Choose who takes the part"},
    )
    part = _radios("Which part?", Part.choices, "Choose the part they take")

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class DeclarationForm(forms.Form):
    no_conflict = _radios(
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


class NarrativeForm(VersionForm):
    narrative = forms.CharField(
        label="How the service meets this requirement",
        required=False,
        help_text=f"At most {NARRATIVE_MAX_WORDS} words. List the supporting documents "
        "separately, with the page or section.",
        widget=forms.Textarea(attrs={"rows": 12}),
    )


class CitationForm(VersionForm):
    document = forms.ModelChoiceField(
        queryset=EvidenceDocument.objects.none(),
        label="Which document?",
        error_messages={"required": "Choose the document"},
    )
    location = _required(
        "Page or section",
        "Give the page or section where the requirement is met",
        max_length=200,
        help_text="For example: page 4, or section 2.3",
    )

    def __init__(self, *args: Any, documents: QuerySet[EvidenceDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = documents


class UploadForm(forms.Form):
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=300,
        help_text="How the document is listed; its file name if left empty",
    )
    file = GovukFileField(
        label="File",
        help_text="PDF, Word, OpenDocument, spreadsheet (xlsx, ods, csv), PNG or JPEG",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )


class MethodJudgementForm(VersionForm):
    method = _radios("Method", [], "Choose the method")
    result = _radios("Finding", Judgement.choices, "Choose the finding")
    evidence_notes = _long_text("Evidence seen and verified", "Note the evidence seen and verified")

    def __init__(self, *args: Any, methods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["method"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, AssessmentMethod(value).label) for value in methods]


class RecordJudgementForm(VersionForm):
    judgement = _radios("Judgement of the indicator", Judgement.choices, "Choose the judgement")
    basis = _long_text(
        "Basis of the recommendation",
        "Give the basis of the judgement",
        help_text="The evidence seen and verified, and how the written submission links with "
        "the case files, recorded sessions and interviews",
    )


class ReportForm(VersionForm):
    recommendation = _radios(
        "Recommendation to the panel", Recommendation.choices, "Choose the recommendation"
    )
    summary = _long_text("Summary", "Summarise the basis of the recommendation", rows=8)


class VerificationForm(VersionForm):
    outcome = _radios("Verification", VerificationOutcome.choices, "Approve or return the report")
    notes = _long_text("Verifier's notes", "Write the verifier's notes")


class DecisionForm(VersionForm):
    outcome = _radios("The panel's decision", DecisionOutcome.choices, "Choose the decision")
    reasons = _long_text("Reasons", "Give the panel's reasons for its decision")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, CONDITION_ROWS + 1):
            self.fields[f"condition_{number}"] = forms.CharField(
                label=f"Condition {number}",
                required=False,
                help_text="For a deferral: what the service must do" if number == 1 else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"condition_{number}_due_on"] = forms.DateField(
                label=f"Condition {number}: due by",
                required=False,
                widget=DateInput(),
                error_messages={"invalid": f"Enter condition {number}'s due date as a real date"},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number in range(1, CONDITION_ROWS + 1):
            text = cleaned.get(f"condition_{number}", "").strip()
            due = cleaned.get(f"condition_{number}_due_on")
            if text and due is None and f"condition_{number}_due_on" not in self.errors:
                self.add_error(
                    f"condition_{number}_due_on", f"Enter the date condition {number} is due by"
                )
            if due and not text:
                self.add_error(f"condition_{number}", f"Describe condition {number}")
        return cleaned

    def conditions(self) -> list[ConditionDetails]:
        found = []
        for number in range(1, CONDITION_ROWS + 1):
            text = self.cleaned_data.get(f"condition_{number}", "").strip()
            due: date | None = self.cleaned_data.get(f"condition_{number}_due_on")
            if text and due:
                found.append(ConditionDetails(description=text, due_on=due))
        return found


class ConditionMetForm(VersionForm):
    evidence = _long_text(
        "How the service met the condition", "Give the evidence that the condition is met"
    )
