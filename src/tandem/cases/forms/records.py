"""The forms of the perpetrator side's running records of a case: contact notes, risk concerns
and risk assessments with their actions."""

from typing import Any

from django import forms
from django.utils import timezone

from tandem.cases.forms.fields import date_field, datetime_field, long_text_field, text_field
from tandem.cases.models import RiskPoint
from tandem.cases.services.records import CONTACT_KINDS, PlannedAction
from tandem.lib.errors import ActionRefused
from tandem.web import add_refusal_to_form


class ContactNoteForm(forms.Form):
    occurred_at = datetime_field(
        "When did the contact happen?", what="the date and time of the contact"
    )
    kind = forms.ChoiceField(
        label="What kind of contact was it?",
        choices=[(kind, kind) for kind in CONTACT_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of contact it was"},
    )
    note = long_text_field("What happened", required=True)


class RiskConcernForm(forms.Form):
    concern = long_text_field("What is the risk concern?", required=True)
    imminent = forms.BooleanField(
        label="The risk is imminent: the ISS must act at once", required=False
    )


RISK_ACTION_ROWS = 5


class RiskAssessmentForm(forms.Form):
    point = forms.ChoiceField(
        label="Which assessment is this?",
        choices=RiskPoint.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which assessment this is"},
    )
    event_description = long_text_field(
        "What happened that changes the risk",
        help_text="Needed for an assessment prompted by an event",
    )
    summary = long_text_field("Assessment of his risk", required=True)
    next_assessment_due_on = date_field(
        "When is the next assessment due?",
        help_text="Needed after the intake and half-way assessments of a behaviour-change "
        "intervention. It becomes a task on the work list.",
        what="the date the next assessment is due",
    )
    outcome_told_to_him = forms.ChoiceField(
        label="Has he been told the outcome of this assessment?",
        choices=[("yes", "Yes"), ("no", "No: telling him is unsafe")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether he has been told the outcome"},
    )
    his_comment = long_text_field("His comment on the outcome, if he made one")
    outcome_not_told_reason = long_text_field(
        "Why telling him is unsafe", help_text="Needed if he has not been told"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, RISK_ACTION_ROWS + 1):
            self.fields[f"action_{number}_action"] = text_field(
                f"Action {number}: what is to be done", max_length=1000
            )
            self.fields[f"action_{number}_due_on"] = date_field(
                f"Action {number}: due by", what=f"the date action {number} is due"
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number in range(1, RISK_ACTION_ROWS + 1):
            due_on = cleaned.get(f"action_{number}_due_on")
            if due_on and not cleaned.get(f"action_{number}_action", "").strip():
                self.add_error(f"action_{number}_action", f"Say what action {number} is")
        return cleaned

    def planned_actions(self) -> list[PlannedAction]:
        data = self.cleaned_data
        return [
            PlannedAction(
                action=data[f"action_{number}_action"], due_on=data[f"action_{number}_due_on"]
            )
            for number in range(1, RISK_ACTION_ROWS + 1)
            if data[f"action_{number}_action"].strip()
        ]

    def action_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (number, self[f"action_{number}_action"], self[f"action_{number}_due_on"])
            for number in range(1, RISK_ACTION_ROWS + 1)
        ]

    def add_refusal(self, refusal: ActionRefused) -> None:
        """The service names the actions as a whole; show its refusal on the row it is about."""
        if refusal.field == "actions":
            refusal = ActionRefused(
                refusal.message, rule_id=refusal.rule_id, field=self._action_field_refused()
            )
        add_refusal_to_form(self, refusal)

    def _action_field_refused(self) -> str:
        today = timezone.localdate()
        for number in range(1, RISK_ACTION_ROWS + 1):
            due_on = self.cleaned_data[f"action_{number}_due_on"]
            if due_on is not None and due_on < today:
                return f"action_{number}_due_on"
        return "action_1_action"
