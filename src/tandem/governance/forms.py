"""The forms of the governance pages. They check the shape of the input; the governance
services check the rules and refuse naming the field, which `add_refusal_to_form` puts next to
it."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from tandem.governance.models import (
    ActionStatus,
    AgreementKind,
    ComplaintOutcome,
    EdiReviewKind,
    FeedbackMethod,
    RequiredPolicy,
)
from tandem.lib.people import person_name
from tandem.organisations.models import NamedRoleKind

FILE_TEMPLATE = "governance/_file_field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _date(label: str, *, what: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real date"},
    )


def _datetime(label: str, *, what: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a real date and time",
        },
    )


def _text(
    label: str, *, what: str, max_length: int | None = None, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        error_messages={"required": f"Enter {what}"},
    )


def _long(
    label: str, *, what: str, required: bool = True, help_text: str = "", rows: int = 5
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {what}"},
    )


def _choice(label: str, choices: Any, *, what: str, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose"), *list(choices)],
        required=required,
        error_messages={"required": f"Choose {what}", "invalid_choice": f"Choose {what}"},
    )


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_name(obj)


def _person_field(
    label: str, *, staff: QuerySet[User], what: str, required: bool = True
) -> PersonField:
    return PersonField(
        label=label,
        queryset=staff,
        required=required,
        empty_label="Choose",
        error_messages={"required": f"Choose {what}", "invalid_choice": f"Choose {what}"},
    )


class VersionedForm(forms.Form):
    """Every edit states the version it was read at (optimistic locking): a stale-record
    refusal shows above the form."""

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Reload the page and try again"},
    )

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["expected_version"] = version
        super().__init__(*args, **kwargs)


class PolicyForm(forms.Form):
    required_policy = _choice(
        "Required policy it satisfies (R22 A1.1)",
        RequiredPolicy.choices,
        what="which required policy this satisfies",
    )
    title = _text("Title", what="the policy's title", max_length=200)
    version_label = _text(
        "Version", what="the version", max_length=40, help_text="For example, v3 or 2026-1"
    )
    approved_on = _date("Approved by the governing body on", what="the approval date")
    next_review_on = _date(
        "Next review on",
        what="the next review date",
        help_text="At most 3 years after approval (rule policies)",
    )
    document = forms.FileField(
        label="The policy document",
        help_text="PDF, Word or OpenDocument, at most 20 MB",
        error_messages={"required": "Choose the policy document to upload"},
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _person_field("Owner", staff=staff, what="the policy's owner")
        self.fields["document"].template_name = FILE_TEMPLATE  # type: ignore[attr-defined]
        self.order_fields(["required_policy", "title", "version_label", "owner"])


class ModelOfWorkForm(forms.Form):
    version_label = _text("Version", what="the version", max_length=40)
    reviewed_on = _date("Reviewed on", what="the review date")
    summary_of_changes = _long("Summary of the changes made", what="a summary of the changes made")
    consultation = _long(
        "Consultation held",
        what="the consultation held",
        help_text="How staff were consulted, and the service-user and stakeholder feedback used",
    )


class EdiReviewForm(forms.Form):
    kind = _choice("What was reviewed", EdiReviewKind.choices, what="what was reviewed")
    reviewed_on = _date("Reviewed on", what="the review date")
    summary = _long("What the review found and changed", what="what the review found and changed")


class ReportDraftForm(forms.Form):
    period_start = _date("Period from", what="the start of the period")
    period_end = _date("Period to", what="the end of the period")


class ReportEditForm(VersionedForm):
    text = _long("Report", what="the report's text", rows=25)


class ReportPresentForm(VersionedForm):
    presented_on = _date("Presented on", what="the meeting date")

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = forms.ModelChoiceField(
            label="At the meeting (optional)",
            queryset=meetings,
            required=False,
            empty_label="Not recorded here",
            error_messages={"invalid_choice": "Choose a meeting of this service"},
        )
        self.fields["meeting"].label_from_instance = lambda meeting: (  # type: ignore[attr-defined]
            f"{meeting.body}, {meeting.held_on:%-d %B %Y}"
        )


class MeetingForm(forms.Form):
    held_on = _date("Held on", what="the meeting date")
    body = _text("Who met", what="who met (for example, Board of trustees)", max_length=200)
    minutes = _long("Minutes", what="the minutes", rows=10)


class ActionForm(forms.Form):
    description = _long("Action", what="the action", rows=3)
    due_on = _date("Due on", what="the due date")

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _person_field("Owner", staff=staff, what="the action's owner")


class ActionStatusForm(VersionedForm):
    status = _choice("Status", ActionStatus.choices, what="the action's status")


class AgreementForm(forms.Form):
    kind = _choice("Kind", AgreementKind.choices, what="the kind of agreement")
    title = _text("Title", what="the agreement's title", max_length=200)
    parties = _long("Parties", what="the parties to the agreement", rows=3, help_text="One a line")
    signed_on = _date("Signed on", what="the date it was signed")
    review_on = _date("Review on", what="the review date")


class AgreementReviewForm(VersionedForm):
    reviewed_on = _date("Reviewed on", what="the review date")
    next_review_on = _date(
        "Next review on (if renewed)", what="the next review date", required=False
    )
    ended_on = _date("Ended on (if it ended)", what="the date it ended", required=False)


class NamedRoleEndForm(forms.Form):
    to_date = _date("Last day in the role", what="the last day")


class NamedRoleForm(forms.Form):
    kind = _choice("Role", NamedRoleKind.choices, what="the role")
    from_date = _date("From", what="the first day")
    to_date = _date("To (optional)", what="the last day", required=False)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"] = _person_field("Person", staff=staff, what="the person")
        self.order_fields(["kind", "user"])


class OnCallForm(forms.Form):
    starts_at = _datetime("On call from", what="when the shift starts")
    ends_at = _datetime("On call until", what="when the shift ends")

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"] = _person_field("Person on call", staff=staff, what="who is on call")
        self.order_fields(["user"])


class ComplaintForm(forms.Form):
    received_on = _date("Received on", what="the date received")
    complainant = _text(
        "Complainant",
        what="who complained",
        max_length=200,
        help_text="For example: service user, survivor, professional. No more than is needed.",
    )
    summary = _long("What the complaint is about", what="what the complaint is about")
    involves_survivor = forms.TypedChoiceField(
        label="Does it involve a survivor?",
        help_text="Made by a survivor or about one: only the ISS side's service manager reads it",
        choices=[("", "Choose"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        error_messages={
            "required": "Choose whether it involves a survivor",
            "invalid_choice": "Choose whether it involves a survivor",
        },
    )
    response_working_days = forms.IntegerField(
        label="Response timeframe in working days (optional)",
        required=False,
        help_text="Leave blank for the service's 20 working days",
        error_messages={"invalid": "Enter the response timeframe as a whole number"},
    )


class ComplaintUpdateForm(VersionedForm):
    investigation = _long("Investigation", what="the investigation", required=False)
    outcome = _choice("Outcome", ComplaintOutcome.choices, what="the outcome", required=False)
    responded_on = _date(
        "Complainant told the outcome on", what="the response date", required=False
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigator"] = _person_field(
            "Investigator", staff=staff, what="the investigator", required=False
        )
        self.order_fields(["investigator"])


class FeedbackForm(forms.Form):
    received_on = _date("Received on", what="the date received")
    method = _choice("How it was given", FeedbackMethod.choices, what="how it was given")
    from_side = _choice(
        "About",
        [("perpetrator", "Perpetrator intervention"), ("iss", "ISS")],
        what="which part of the service it is about",
    )
    theme = _text("Theme", what="the theme", max_length=100, help_text="For example: group times")
    summary = _long(
        "What was said", what="what was said", help_text="No names or identifying details"
    )
    change_made = _long("Change made because of it (optional)", what="the change", required=False)


class PeriodForm(forms.Form):
    period_start = _date("From", what="the start of the period")
    period_end = _date("To", what="the end of the period")
