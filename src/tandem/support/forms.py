"""The forms on a survivor's ISS case page. Each carries the case's `version`, so two people
working on her case at once cannot silently overwrite each other; each has its own prefix, so
its fields keep distinct ids on the one page."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import QuerySet

from tandem.lib.errors import ActionRefused, StaleRecord
from tandem.lib.forms import form_field
from tandem.support.barrier import PerpetratorCase
from tandem.support.instruments import AnswerOption, Question
from tandem.support.models import (
    SIGNPOSTED_TO_MAX_LENGTH,
    AttemptOutcome,
    ContactMethod,
    ContactPointKind,
    Relationship,
    SessionMethod,
    SignpostingKind,
)
from tandem.support.selectors import Destination
from tandem.web import add_refusal_to_form

CHECKBOXES_TEMPLATE = "support/_checkboxes_field.html"


class CheckboxesField(forms.MultipleChoiceField):
    """Any number of choices, or none, as GOV.UK checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.template_name = CHECKBOXES_TEMPLATE


class WorkerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AbstractUser) -> str:
        return obj.get_full_name() or obj.get_username()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: str, *, what: str, help_text: str = "") -> forms.DateField:
    """`what` names the date in its error messages, e.g. "when it happened"."""
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real date"},
    )


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def add_refusal(self, refusal: ActionRefused) -> None:
        """A stale-record refusal shows above the form, not on the hidden `version` input; any
        other on the field it names (`tandem.web.show_refusal` asks this)."""
        if isinstance(refusal, StaleRecord):
            self.add_error(None, refusal.message)
        else:
            add_refusal_to_form(self, refusal)


class IssReferralForm(VersionedForm):
    prefix = "referral"


class ContactAttemptForm(VersionedForm):
    prefix = "attempt"

    method = forms.ChoiceField(
        label="How did you try to contact her?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you tried to contact her"},
    )
    attempted_at = forms.DateTimeField(
        label="When",
        help_text="Date and time, UK time. Not in the future.",
        error_messages={
            "required": "Enter when you tried to contact her",
            "invalid": "Enter a real date and time, like 20/11/2026 10:14",
        },
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=AttemptOutcome.choices,
        error_messages={"required": "Choose the outcome, even if there was no answer"},
    )
    destination = forms.ChoiceField(
        label="Number, email or address used",
        help_text="Only her numbers, emails and current address that are not marked unsafe or "
        "known to him are offered",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of her numbers, emails or her address"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args: object, destinations: list[Destination], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.destinations = {destination.key: destination for destination in destinations}
        field = form_field(self, "destination", forms.ChoiceField)
        field.choices = [
            ("", "None: in person, not at her address"),
            *((d.key, d.label) for d in destinations),
        ]

    def clean_destination(self) -> object:
        """The chosen number or email address as a string, her address as itself, or None."""
        key = self.cleaned_data["destination"]
        return self.destinations[key].value if key else None


class ContactUnsafeForm(VersionedForm):
    prefix = "unsafe"

    reason = forms.CharField(
        label="Why contact with her is unsafe or impossible",
        help_text="Recorded in place of contact before his intervention can start "
        "(rule iss-before-start)",
        widget=forms.Textarea,
        error_messages={"required": "Say why contact is unsafe or impossible"},
    )


class AllocationForm(VersionedForm):
    prefix = "allocation"

    worker = WorkerField(
        label="ISS worker",
        queryset=get_user_model().objects.none(),
        empty_label="Choose a worker",
        error_messages={
            "required": "Choose an ISS worker",
            "invalid_choice": "Choose an ISS worker of this service",
        },
    )

    def __init__(self, *args: object, workers: QuerySet[AbstractUser], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        worker_field = form_field(self, "worker", WorkerField)
        worker_field.queryset = workers


class SafeContactForm(VersionedForm):
    prefix = "safe"

    preferred_methods = CheckboxesField(
        label="Ways she prefers to be contacted",
        choices=ContactMethod.choices,
    )
    unsafe_methods = CheckboxesField(
        label="Ways that are unsafe for her",
        help_text="These are refused when anyone records or makes contact",
        choices=ContactMethod.choices,
    )
    safe_times = forms.CharField(
        label="Safe times",
        help_text="For example, only call Tue/Thu 10-12",
        required=False,
        max_length=200,
    )
    notes = forms.CharField(
        label="Other safe-contact notes",
        help_text="For example, do not leave voicemail",
        required=False,
        widget=forms.Textarea,
    )


class AddressChangeForm(VersionedForm):
    prefix = "address"

    lines = forms.CharField(
        label="New address",
        help_text="Every line but the postcode",
        widget=forms.Textarea,
        error_messages={"required": "Enter the address"},
    )
    postcode = forms.CharField(
        label="Postcode", max_length=10, error_messages={"required": "Enter the postcode"}
    )
    source = forms.CharField(
        label="Where the address came from",
        help_text="For example, she told her ISS worker on the phone",
        max_length=200,
        error_messages={"required": "Say where the new address came from"},
    )
    confirmed_with_survivor = forms.BooleanField(
        label="I have confirmed this address with her", required=False
    )
    known_to_perpetrator = forms.BooleanField(
        label="He knows or may know this address",
        help_text="Nothing will be sent to it",
        required=False,
    )


class ContactPointForm(VersionedForm):
    prefix = "point"

    kind = forms.ChoiceField(
        label="Phone number or email address",
        choices=ContactPointKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose phone number or email address"},
    )
    value = forms.CharField(
        label="Number or address",
        max_length=254,
        error_messages={"required": "Enter the number or email address"},
    )
    unsafe = forms.BooleanField(label="Unsafe to use", required=False)
    unsafe_reason = forms.CharField(label="Why it is unsafe", required=False, widget=forms.Textarea)
    known_to_perpetrator = forms.BooleanField(label="He knows or may know it", required=False)


class SurvivorLinkForm(forms.Form):
    """Link her to another perpetrator case of her service, found by its reference."""

    prefix = "link"

    reference = forms.CharField(
        label="His case reference",
        max_length=20,
        error_messages={"required": "Enter the reference of his case"},
    )
    relationship = forms.ChoiceField(
        label="She is his",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how she is related to him"},
    )


class SharedRiskNoteForm(forms.Form):
    prefix = "risk_note"

    perpetrator_case = forms.ChoiceField(
        label="For his case",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which of her perpetrators' cases it is for",
            "invalid_choice": "Choose one of her perpetrators' cases",
        },
    )
    note = forms.CharField(
        label="Risk information to share",
        help_text="Shown on his case, without saying where it came from, once approved by the "
        "ISS manager (for intensive case management, also by the service manager). Share only "
        "what his workers need to manage the risk he poses.",
        widget=forms.Textarea,
        error_messages={"required": "Write the risk information to share"},
    )

    def __init__(self, *args: object, cases: list[PerpetratorCase], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.cases = {str(case.pk): case for case in cases}
        field = form_field(self, "perpetrator_case", forms.ChoiceField)
        field.choices = [(str(case.pk), case.reference) for case in cases]

    def clean_perpetrator_case(self) -> PerpetratorCase:
        return self.cases[self.cleaned_data["perpetrator_case"]]


class IssCaseCloseForm(VersionedForm):
    prefix = "close"

    reason = forms.CharField(
        label="Why support is ending",
        widget=forms.Textarea,
        error_messages={"required": "Say why support is ending"},
    )
    early_closure_reason = forms.CharField(
        label="Why it ends early (if it does)",
        help_text="Needed while his case is open or within 4 months of it closing "
        "(rule iss-duration)",
        required=False,
        widget=forms.Textarea,
    )


class RiskIncidentForm(VersionedForm):
    prefix = "incident"

    occurred_on = date_field("When it happened", what="when it happened")
    summary = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        error_messages={"required": "Say what happened"},
    )


class MaracReferralForm(VersionedForm):
    prefix = "marac"

    referred_on = date_field("Referred to MARAC on", what="the date of the referral")


class DuplicateDecisionForm(VersionedForm):
    prefix = "duplicate"

    # Posted by the button pressed: "Same person: link instead" or "Not the same person".
    decision = forms.ChoiceField(
        label="Same person",
        choices=[("same_person", "Same person"), ("different_people", "Not the same person")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose whether they are the same person"},
    )


def question_field_name(number: int) -> str:
    return f"question_{number}"


class DashForm(VersionedForm):
    """The DASH risk checklist: one yes / no / don't know question each, shown by number and
    Tandem's topic label until the published wording is transcribed (never invented)."""

    prefix = "dash"

    professional_judgement_high = forms.BooleanField(
        label="In my professional judgement her risk is high",
        help_text="Raises the level whatever the score; never lowers it",
        required=False,
    )
    professional_judgement_reasons = forms.CharField(
        label="Reasons for your judgement",
        help_text="Needed if you judge her risk high",
        required=False,
        widget=forms.Textarea,
    )

    def __init__(
        self,
        *args: object,
        questions: list[Question],
        answer_options: tuple[AnswerOption, ...],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        judgement = {
            name: self.fields.pop(name)
            for name in ("professional_judgement_high", "professional_judgement_reasons")
        }
        for question in questions:
            self.fields[question_field_name(question.number)] = forms.ChoiceField(
                label=f"Question {question.number}: {question.text or question.topic}",
                choices=[(option.id, option.label) for option in answer_options],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Answer question {question.number}: yes, no or don't know",
                    "invalid_choice": f"Answer question {question.number}: yes, no or don't know",
                },
            )
        self.fields.update(judgement)
        self.questions = questions

    def answers(self) -> dict[int, str]:
        return {
            question.number: self.cleaned_data[question_field_name(question.number)]
            for question in self.questions
        }


class SafetyPlanForm(VersionedForm):
    prefix = "safety_plan"

    agreed_on = date_field("Agreed with her on", what="when the plan was agreed")
    summary = forms.CharField(
        label="What was agreed",
        widget=forms.Textarea,
        error_messages={"required": "Say what was agreed in the plan"},
    )
    review_on = date_field(
        "Review it with her by",
        what="when the plan will be reviewed",
        help_text="After the day it was agreed. A review becomes due for her ISS worker then.",
    )


class SafetyPlanReviewForm(VersionedForm):
    prefix = "plan_review"

    next_review_on = date_field(
        "Next review by",
        what="when the plan will next be reviewed",
        help_text="For a plan reviewed with her and kept as it is. If it changed, record the "
        "new plan instead.",
    )


class SupportSessionForm(VersionedForm):
    prefix = "session"

    held_at = forms.DateTimeField(
        label="When",
        help_text="Date and time, UK time. Not in the future.",
        error_messages={
            "required": "Enter when the session was held",
            "invalid": "Enter a real date and time, like 20/11/2026 10:14",
        },
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    method = forms.ChoiceField(
        label="How was it held?",
        choices=SessionMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the session was held"},
    )
    summary = forms.CharField(
        label="What it covered",
        widget=forms.Textarea,
        error_messages={"required": "Say what the session covered"},
    )


class SignpostingForm(VersionedForm):
    prefix = "signposting"

    made_on = date_field("On", what="when she was signposted or referred")
    kind = forms.ChoiceField(
        label="Signposted or referred?",
        help_text="Signposted: she was given their details. Referred: her details were passed "
        "to them, with her agreement.",
        choices=SignpostingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether she was signposted or referred"},
    )
    to_whom = forms.CharField(
        label="Organisation or service",
        max_length=SIGNPOSTED_TO_MAX_LENGTH,
        error_messages={
            "required": "Name the organisation or service",
            "max_length": f"Shorten the name to {SIGNPOSTED_TO_MAX_LENGTH} characters or fewer",
        },
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea,
        error_messages={"required": "Say why she was signposted or referred"},
    )
    outcome = forms.CharField(
        label="Outcome (optional)",
        help_text="What came of it, if known",
        required=False,
        widget=forms.Textarea,
    )
