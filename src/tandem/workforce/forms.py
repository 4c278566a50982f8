"""The forms of the workforce pages. They check the shape of the input; the services check the
rules and refuse naming the rule, which the page kit (`tandem.web`) puts on the field."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from tandem.lib.forms import form_field
from tandem.lib.people import person_name
from tandem.workforce.models import (
    CheckLevel,
    CheckScheme,
    EmploymentType,
    Experience,
    Gender,
    SupervisionKind,
    TrainingKind,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    what = label.lower()
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real date"},
    )


def _text(label: str, *, required: bool = False, long: bool = False, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput(),
        error_messages={"required": f"Enter {label.lower()}"},
        **kwargs,
    )


def _choice(label: str, choices: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose {label.lower()}", "invalid_choice": "Choose one"},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_name(obj)


def _person_choice(label: str, queryset: QuerySet[User]) -> PersonChoiceField:
    return PersonChoiceField(
        queryset=queryset,
        label=label,
        error_messages={"required": f"Choose {label.lower()}", "invalid_choice": "Choose someone"},
    )


class WorkerForm(forms.Form):
    employment_type = _choice("Employment type", EmploymentType.choices)
    job_title = _text("Job title", required=True, max_length=200)
    started_on = _date("Start date")
    probation_ends_on = _date("Probation end date", required=False)
    gender = _choice(
        "Gender",
        [("", "Not recorded"), *Gender.choices],
        required=False,
    )
    job_description_on_file_since = _date(
        "Job description on file since", required=False, help_text="R22 A3.1"
    )
    person_specification_on_file_since = _date(
        "Person specification on file since", required=False, help_text="R22 A3.1"
    )
    relevant_experience_since = _date(
        "Relevant experience since",
        required=False,
        help_text="Case managers need three years (rule case-manager-experience)",
    )
    is_icm_case_manager = forms.BooleanField(
        label="ICM case manager (peer supervision and practice observation due)", required=False
    )


class WorkerNewForm(WorkerForm):
    user = _person_choice("Person", User.objects.none())
    field_order = ["user"]

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "user", forms.ModelChoiceField)
        field.queryset = people


class WorkerEditForm(WorkerForm):
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Reload the page and try again"},
    )


class CheckForm(forms.Form):
    scheme = _choice("Who carried out the check", CheckScheme.choices)
    level = _choice("Level", CheckLevel.choices)
    certificate_number = _text("Certificate number", required=True, max_length=40)
    issued_on = _date("Issue date")


class TrainingForm(forms.Form):
    kind = _choice("Kind of training", TrainingKind.choices)
    title = _text("Course or activity", required=True, max_length=200)
    provider = _text("Provider", max_length=200)
    completed_on = _date("Date completed")
    hours = forms.DecimalField(
        label="Hours",
        min_value=Decimal("0.25"),
        max_value=Decimal(500),
        max_digits=5,
        decimal_places=2,
        help_text="Counted towards 20 hours a year (rule cpd)",
        error_messages={
            "required": "Enter the hours",
            "invalid": "Enter the hours as a number, like 3 or 1.5",
            "min_value": "Enter at least 0.25 hours",
            "max_value": "Enter at most 500 hours",
            "max_digits": "Enter at most 500 hours",
            "max_decimal_places": "Enter the hours to two decimal places at most",
        },
    )


class SupervisionForm(forms.Form):
    kind = _choice("Kind of supervision", SupervisionKind.choices)
    supervisor = _person_choice("Supervisor", User.objects.none())
    held_on = _date("Date held")
    minutes = forms.IntegerField(
        label="How long, in minutes",
        min_value=1,
        max_value=480,
        error_messages={
            "required": "Enter how long it lasted, in minutes",
            "invalid": "Enter the minutes as a whole number",
            "min_value": "Enter at least 1 minute",
            "max_value": "Enter at most 480 minutes",
        },
    )
    notes = _text(
        "Notes",
        long=True,
        help_text="Seen only by the supervisee, the supervisor and the service manager",
    )
    competency = _text(
        "Competency discussed",
        long=True,
        help_text="Line management only: minuted (rule line-management)",
    )
    training_needs = _text(
        "Training needs identified",
        long=True,
        help_text="Line management only: minuted (rule line-management)",
    )

    def __init__(self, *args: Any, supervisors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "supervisor", forms.ModelChoiceField)
        field.queryset = supervisors


class DisclosureForm(forms.Form):
    experience = _choice("Experience disclosed", Experience.choices)
    disclosed_on = _date("Date disclosed")
    agreed_support = _text("Support agreed", required=True, long=True)
    decision = _text("Decision, if any", long=True)


class MentoringForm(forms.Form):
    mentor = _person_choice("Mentor", User.objects.none())
    started_on = _date("Start date")

    def __init__(self, *args: Any, mentors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "mentor", forms.ModelChoiceField)
        field.queryset = mentors


class MentoringEndForm(forms.Form):
    ended_on = _date(
        "End date", help_text="Rule mentoring: at least 6 months or 26 co-worked sessions"
    )
