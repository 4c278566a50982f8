"""The forms of the 2008 audit, Welsh checklist, West Midlands self-evaluation and
self-assessment pages. They check the shape of the input; the services check the process and
the standards (`gates.py`) and refuse naming the field, shown next to it."""

from datetime import date, time
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from tandem.assurance.checklists.gates import ScheduleItemDetails
from tandem.assurance.checklists.services.ratings import ActionDetails
from tandem.assurance.forms import (
    CheckboxesField,
    DateInput,
    PersonChoiceField,
    VersionForm,
    radios,
)
from tandem.assurance.models import (
    Judgement,
    Part,
    RagRating,
    ScheduleItemKind,
    SelfRating,
    SpecialistAccreditation,
)
from tandem.lib.forms import form_field
from tandem.organisations.models import Service
from tandem.standards.models import Framework, InterventionType

SCHEDULE_ROWS = 6


def _text(label: str, message: str, *, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message},
    )


def _date(label: str, *, what: str, required: bool, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real date"},
    )


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        return f"{obj.name} ({obj.organisation.name})"


def _service_field(label: str) -> ServiceChoiceField:
    return ServiceChoiceField(
        queryset=Service.objects.none(),
        label=label,
        error_messages={"required": "Choose the service"},
    )


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form_field(form, name, forms.ModelChoiceField)
    field.queryset = queryset


# The 2008 audit


class AuditOpenForm(forms.Form):
    service = _service_field("Which service is audited?")
    runs_iss = radios(
        "Does the provider run an Integrated Support Service (ISS) that contacts partners and "
        "ex-partners?",
        [("yes", "Yes"), ("no", "No: it fails the audit automatically")],
        "Say whether the provider runs an ISS",
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "service", services)


class PersonForm(forms.Form):
    user = PersonChoiceField(
        queryset=User.objects.none(), label="Who?", error_messages={"required": "Choose who"}
    )

    def __init__(self, *args: Any, people: QuerySet[User], label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "user", people)
        if label:
            self.fields["user"].label = label


class AuditAssessorForm(PersonForm):
    part = radios(
        "Which part?",
        [
            (Part.LEAD_ASSESSOR.value, "Lead assessor"),
            (Part.SECOND_ASSESSOR.value, "Second assessor"),
        ],
        "Choose the part they take",
    )


class ScheduleForm(VersionForm):
    """The visit day and up to six schedule items; empty rows are left out."""

    visit_on = _date("Day of the site visit", what="the day of the visit", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [("", "Choose"), *ScheduleItemKind.choices]
        for row in range(1, SCHEDULE_ROWS + 1):
            self.fields[f"kind_{row}"] = forms.ChoiceField(
                label=f"Item {row}: what", choices=kinds, required=False
            )
            self.fields[f"starts_at_{row}"] = forms.TimeField(
                label=f"Item {row}: time",
                required=False,
                help_text="For example 09:30",
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                error_messages={"invalid": f"Enter item {row}'s time as hours and minutes"},
            )
            self.fields[f"description_{row}"] = forms.CharField(
                label=f"Item {row}: details", required=False, max_length=300
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(1, SCHEDULE_ROWS + 1):
            kind, starts_at = cleaned.get(f"kind_{row}"), cleaned.get(f"starts_at_{row}")
            description = cleaned.get(f"description_{row}", "")
            if not (kind or starts_at or description):
                continue
            if not kind:
                self.add_error(f"kind_{row}", f"Choose what item {row} is")
            if not starts_at and f"starts_at_{row}" not in self.errors:
                self.add_error(f"starts_at_{row}", f"Enter item {row}'s time")
        return cleaned

    def items(self) -> list[ScheduleItemDetails]:
        items = []
        for row in range(1, SCHEDULE_ROWS + 1):
            kind = self.cleaned_data.get(f"kind_{row}")
            starts_at: time | None = self.cleaned_data.get(f"starts_at_{row}")
            if kind and starts_at:
                items.append(
                    ScheduleItemDetails(
                        kind=ScheduleItemKind(kind),
                        starts_at=starts_at,
                        description=self.cleaned_data.get(f"description_{row}", ""),
                    )
                )
        return items


class AuditJudgementForm(VersionForm):
    judgement = radios(
        "Is the indicator met?",
        [(Judgement.MET.value, "Met"), (Judgement.NOT_MET.value, "Not met")],
        "Say whether the indicator is met",
    )
    basis = _text("Evidence seen", "Describe the evidence seen")


class AuditReportForm(VersionForm):
    summary = _text("Summary of the findings", "Summarise the audit's findings", rows=8)


class DueDateForm(VersionForm):
    """A date for actions, needed only when there are some (the service says when)."""

    actions_due_on = _date(
        "Actions due by",
        what="the date the actions are due",
        required=False,
        help_text="Needed when an indicator is not met or a rating is challenged",
    )


# The Welsh checklist


class WelshStartForm(forms.Form):
    accreditation = radios(
        "Is the service already accredited (specialist accreditation only, for example Respect "
        "or CSAAP)?",
        SpecialistAccreditation.choices,
        "Say whether the service holds specialist accreditation",
        help_text="If it is, only the commissioning section of the checklist is completed",
    )
    accreditation_evidence = forms.CharField(
        label="Evidence of the accreditation",
        required=False,
        help_text="Needed unless Tandem records the service's current Respect accreditation",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_within_weeks = forms.IntegerField(
        label="Agreed timeframe for reviewing Amber items, in weeks",
        initial=12,
        error_messages={
            "required": "Enter the agreed timeframe in weeks",
            "invalid": "Enter the agreed timeframe as a whole number of weeks",
        },
    )


class _ActionFields(VersionForm):
    """An action on the rated item: all three of what, who and when, or none."""

    action_label = "Improvement action"
    due_label = "Review date"
    due_field = "review_on"

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"] = forms.CharField(
            label=self.action_label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["owner"] = PersonChoiceField(
            queryset=owners, label="Owner of the action", required=False
        )
        self.fields[self.due_field] = _date(
            self.due_label, what=self.due_label.lower(), required=False
        )

    def action_details(self) -> ActionDetails | None:
        data = self.cleaned_data
        description = data.get("action", "")
        owner: User | None = data.get("owner")
        due_on: date | None = data.get(self.due_field)
        if not (description.strip() or owner or due_on):
            return None
        return ActionDetails(description=description, owner=owner, due_on=due_on)


class WelshRatingForm(_ActionFields):
    evidence = _text("Evidence", "Give the evidence")
    rating = radios("RAG status", RagRating.choices, "Choose Red, Amber or Green")

    field_order = ["evidence", "rating", "action", "owner", "review_on"]


class WelshCompleteForm(VersionForm):
    reassess_by = _date(
        "Reassess by",
        what="the date to reassess by",
        required=False,
        help_text="Needed when any item is Red: the service must address it and be reassessed",
    )


# The West Midlands self-evaluation and self-assessment


class SelfRatingForm(VersionForm):
    rating = radios("Self-rating", SelfRating.choices, "Choose met, partly met or not met")
    evidence = _text("Evidence", "Give the evidence")


class WestMidlandsRatingForm(_ActionFields):
    action_label = "Action to take"
    due_label = "Due date"
    due_field = "due_on"

    rating = radios("Self-rating", SelfRating.choices, "Choose met, partly met or not met")
    evidence = _text("Evidence", "Give the evidence")

    field_order = ["rating", "evidence", "action", "owner", "due_on"]


class PeerReviewForm(VersionForm):
    agrees = radios(
        "Do you agree with the self-rating?",
        [("agree", "Agree"), ("challenge", "Challenge")],
        "Say whether you agree or challenge",
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        help_text="Needed when you challenge the rating",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def agreed(self) -> bool:
        return bool(self.cleaned_data["agrees"] == "agree")


class SelfEvaluationStartForm(forms.Form):
    service = _service_field("Which service?")

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "service", services)


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        return f"{obj.title} ({obj.edition})"


class SelfAssessmentStartForm(SelfEvaluationStartForm):
    framework = FrameworkChoiceField(
        queryset=Framework.objects.none(),
        label="Against which framework?",
        error_messages={"required": "Choose the framework"},
    )
    scope = CheckboxesField(
        label="Which interventions? (optional)",
        help_text="Only Respect's standards differ by intervention; leave empty for all",
        choices=InterventionType.choices,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        services: QuerySet[Service],
        frameworks: QuerySet[Framework],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, services=services, **kwargs)
        _set_queryset(self, "framework", frameworks)


# Commissioning


class RelationshipForm(forms.Form):
    commissioner = PersonChoiceField(
        queryset=User.objects.none(),
        label="Commissioner",
        error_messages={"required": "Choose the commissioner"},
    )
    service = _service_field("Service they commission")
    since = _date("Commissioned since", what="the start date", required=True)

    def __init__(
        self,
        *args: Any,
        commissioners: QuerySet[User],
        services: QuerySet[Service],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "commissioner", commissioners)
        _set_queryset(self, "service", services)
