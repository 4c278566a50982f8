"""The forms of the Respect accreditation pages. They check the shape of the input; the services
check the process and the standards and refuse naming what is wrong, shown on the field it names."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from tandem.assurance.forms import (
    CheckboxesField,
    DateInput,
    GovukCheckboxes,
    GovukFileField,
    PersonChoiceField,
    VersionForm,
    radios,
)
from tandem.assurance.models import (
    AppealOutcome,
    DecisionOutcome,
    EvidenceDocument,
    InterviewKind,
    Judgement,
    Part,
    Recommendation,
    RequirementRecord,
    VerificationOutcome,
)
from tandem.assurance.respect.gates import CASE_FILE_CHECKLIST, NARRATIVE_MAX_WORDS
from tandem.assurance.respect.services.panel import ConditionDetails
from tandem.cases.models import PerpetratorCase
from tandem.lib.forms import form_field
from tandem.organisations.models import Service
from tandem.standards.models import AssessmentMethod, InterventionType

CONDITION_ROWS = 3


def _required(label: str, message: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, error_messages={"required": message}, **kwargs)


def _long_text(label: str, message: str, *, help_text: str = "", rows: int = 5) -> forms.CharField:
    return _required(
        label, message, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


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
        field = form_field(self, "service", forms.ModelChoiceField)
        field.queryset = services


class ParticipantForm(forms.Form):
    user = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who?",
        error_messages={"required": "Choose who takes the part"},
    )
    part = radios("Which part?", Part.choices, "Choose the part they take")

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "user", forms.ModelChoiceField)
        field.queryset = people


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
        field = form_field(self, "document", forms.ModelChoiceField)
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
    method = radios("Method", [], "Choose the method")
    result = radios("Finding", Judgement.choices, "Choose the finding")
    evidence_notes = _long_text("Evidence seen and verified", "Note the evidence seen and verified")

    def __init__(self, *args: Any, methods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "method", forms.ChoiceField)
        field.choices = [(value, AssessmentMethod(value).label) for value in methods]


class RecordJudgementForm(VersionForm):
    judgement = radios("Judgement of the indicator", Judgement.choices, "Choose the judgement")
    basis = _long_text(
        "Basis of the recommendation",
        "Give the basis of the judgement",
        help_text="The evidence seen and verified, and how the written submission links with "
        "the case files, recorded sessions and interviews",
    )


class ReportForm(VersionForm):
    recommendation = radios(
        "Recommendation to the panel", Recommendation.choices, "Choose the recommendation"
    )
    summary = _long_text("Summary", "Summarise the basis of the recommendation", rows=8)


class VerificationForm(VersionForm):
    outcome = radios("Verification", VerificationOutcome.choices, "Approve or return the report")
    notes = _long_text("Verifier's notes", "Write the verifier's notes")


class DecisionForm(VersionForm):
    outcome = radios("The panel's decision", DecisionOutcome.choices, "Choose the decision")
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


# After the panel


class AppealForm(VersionForm):
    grounds = forms.CharField(
        label="Grounds of the appeal",
        help_text="Why the decision should be changed, and the evidence for it",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Give the grounds of the appeal"},
    )


class AppealHearingForm(VersionForm):
    outcome = forms.ChoiceField(
        label="The appeal's outcome",
        choices=AppealOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the appeal is upheld or overturned"},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reasons for the appeal's outcome"},
    )


# The site visit


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PerpetratorCase) -> str:
        label = f"{obj.reference} ({obj.get_intervention_type_display() or 'no intervention'})"
        if getattr(obj, "has_child_protection_plan", False):
            label += ": a child has a Child Protection Plan"
        return label


class CaseRequestForm(forms.Form):
    case = CaseChoiceField(
        queryset=PerpetratorCase.objects.none(),
        label="Case file",
        help_text="Live cases whose consent covers case-file review, not yet in the sample",
        empty_label="Choose a case",
    )
    reason = forms.CharField(
        max_length=300,
        label="Why this file",
        help_text="For example: a child under a Child Protection Plan; seen in a recorded session",
    )

    def __init__(self, *args: Any, cases: QuerySet[PerpetratorCase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "case", CaseChoiceField)
        field.queryset = cases


class CaseFileReviewForm(VersionForm):
    """A tick and notes for each item of `CASE_FILE_CHECKLIST`."""

    def __init__(self, *args: Any, initial_checks: dict[str, tuple[bool, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for item, text in CASE_FILE_CHECKLIST:
            ticked, notes = initial_checks.get(item, (False, ""))
            self.fields[f"{item}_ticked"] = forms.BooleanField(
                required=False, label=text, initial=ticked
            )
            self.fields[f"{item}_notes"] = forms.CharField(
                required=False,
                label=f"Notes: {text}",
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=notes,
            )

    def checks(self) -> dict[str, tuple[bool, str]]:
        return {
            item: (self.cleaned_data[f"{item}_ticked"], self.cleaned_data[f"{item}_notes"])
            for item, _ in CASE_FILE_CHECKLIST
        }


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(
        choices=InterviewKind.choices, widget=forms.RadioSelect, label="Who is interviewed"
    )
    name = forms.CharField(max_length=200, label="Name")
    role = forms.CharField(max_length=200, label="Role")
    planned_on = forms.DateField(widget=DateInput(), label="Date of the interview")


class RecordedSessionForm(forms.Form):
    description = forms.CharField(max_length=300, label="Recorded session")
    recorded_on = forms.DateField(widget=DateInput(), label="Date of the recording")


class RecordChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RequirementRecord) -> str:
        return f"{obj.requirement.ref}: {obj.requirement.text[:80]}"


class ObservationForm(forms.Form):
    record = RecordChoiceField(
        queryset=RequirementRecord.objects.none(), label="Indicator", empty_label="Choose one"
    )
    at = forms.CharField(
        max_length=12, label="Time in the recording", help_text="mm:ss or hh:mm:ss, e.g. 12:05"
    )
    observation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Observation")

    def __init__(self, *args: Any, records: QuerySet[RequirementRecord], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "record", RecordChoiceField)
        field.queryset = records
