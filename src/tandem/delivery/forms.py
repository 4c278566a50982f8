"""The forms of the delivery pages. They check the shape of the input; the services check the
standards and refuse with the rule, which the page kit (`tandem.web`) puts on the field. A form
whose write the standards warn against shows the warnings and asks for a reason to go ahead."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from tandem.cases.forms.fields import DateInput, GovukCheckboxes
from tandem.cases.models import PerpetratorCase
from tandem.delivery.models import (
    AttendanceStatus,
    DeliverySession,
    GroupFormat,
    ProgrammeKind,
    ProgrammeSession,
    RecordingMedium,
    SessionType,
)
from tandem.delivery.services import PlannedProgrammeSession
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.web import add_refusal_to_form


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_name(obj)


class CaseField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PerpetratorCase) -> str:
        return f"{obj.reference} {obj.first_name} {obj.last_name}"


def _text(label: str, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def _long_text(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return _text(
        label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": 4})
    )


def _date(label: str) -> forms.DateField:
    what = label.lower()
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real date"},
    )


def _number(label: str, *, min_value: int = 0, max_value: int = 1000) -> forms.IntegerField:
    what = label.lower()
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a whole number",
            "min_value": f"Enter {what} of at least {min_value}",
            "max_value": f"Enter {what} of at most {max_value}",
        },
    )


def _time(label: str) -> forms.TimeField:
    what = label.lower()
    return forms.TimeField(
        label=label,
        widget=TimeInput(),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real time"},
    )


def _exception_reason() -> forms.CharField:
    return _long_text(
        "Reason for going ahead against the standards",
        required=False,
        help_text="Only needed when the standards warn against it: the reason is kept with the "
        "rules it goes against and shows in compliance reports",
    )


class WarningsForm(forms.Form):
    """A form whose refusal may be the standards' warnings: they are listed above the reason."""

    warnings: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warnings = []

    def add_refusal(self, refusal: ActionRefused) -> None:
        self.warnings = list(getattr(refusal, "warnings", []))
        if self.warnings:
            self.add_error(
                "exception_reason",
                "The standards warn against this: give a reason to go ahead anyway",
            )
            return
        add_refusal_to_form(self, refusal)


class ProgrammeForm(WarningsForm):
    name = _text("Programme name", max_length=200)
    kind = forms.ChoiceField(
        label="Kind of programme",
        choices=ProgrammeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of programme"},
    )
    planned_contact_hours = _number("Planned contact hours", min_value=1)
    planned_weeks = _number("Planned weeks", min_value=1, max_value=200)
    for_men_abusive_to_female_partners = forms.BooleanField(
        label="For men abusive to female partners (the facilitator mix applies)",
        required=False,
        initial=True,
    )
    sessions = _long_text(
        "Sessions in sequence",
        required=False,
        help_text="One a line: module | session title | planned minutes",
    )
    exception_reason = _exception_reason()

    def clean_sessions(self) -> list[PlannedProgrammeSession]:
        planned = []
        for number, line in enumerate(self.cleaned_data["sessions"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not parts[2].isdigit():
                raise forms.ValidationError(
                    f"Line {number}: write module | session title | planned minutes"
                )
            planned.append(PlannedProgrammeSession(parts[0], parts[1], int(parts[2])))
        return planned


class GroupForm(forms.Form):
    name = _text("Group name", max_length=200)
    format = forms.ChoiceField(
        label="Rolling or closed",
        choices=GroupFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose rolling or closed"},
    )
    starts_on = _date("Start date")
    facilitators = PeopleField(
        queryset=User.objects.none(),
        label="Facilitators",
        widget=GovukCheckboxes,
        error_messages={"required": "Choose the facilitators"},
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = staff  # type: ignore[attr-defined]


class VersionedForm(WarningsForm):
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Reload the page and try again"},
    )

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["expected_version"] = version
        super().__init__(*args, **kwargs)


class ParticipantForm(VersionedForm):
    case = CaseField(
        queryset=PerpetratorCase.objects.none(),
        label="Who joins the group",
        empty_label="Choose a man in the intervention",
        error_messages={"required": "Choose who joins", "invalid_choice": "Choose who joins"},
    )
    joined_on = _date("Date he joins")
    exception_reason = _exception_reason()

    def __init__(self, *args: Any, cases: QuerySet[PerpetratorCase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]


class LeaveForm(VersionedForm):
    """He left the group: his last day in it and why (completed, suspended or removed, dropped
    out)."""

    left_on = _date("Date he left")
    reason = _long_text(
        "Why he left",
        help_text="For example: completed the programme, suspended, removed, or dropped out",
    )


class SessionForm(WarningsForm):
    programme_session = forms.ModelChoiceField(
        queryset=ProgrammeSession.objects.none(),
        label="Programme session",
        required=False,
        empty_label="Not a programme session",
    )
    held_on = _date("Date")
    starts_at = _time("Start time")
    ends_at = _time("End time")
    facilitators = PeopleField(
        queryset=User.objects.none(),
        label="Facilitators",
        widget=GovukCheckboxes,
        error_messages={"required": "Choose the facilitators"},
    )
    planning_minutes = _number("Planning slot before (minutes)", max_value=240)
    debrief_minutes = _number("Debrief slot after (minutes)", max_value=240)
    notes = _long_text("Notes", required=False)
    exception_reason = _exception_reason()

    def __init__(
        self,
        *args: Any,
        staff: QuerySet[User],
        programme_sessions: QuerySet[ProgrammeSession],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {}).update({"planning_minutes": 30, "debrief_minutes": 30})
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = staff  # type: ignore[attr-defined]
        self.fields["programme_session"].queryset = programme_sessions  # type: ignore[attr-defined]


ONE_MAN_TYPES = [choice for choice in SessionType.choices if choice[0] != SessionType.GROUP]


class OneToOneSessionForm(SessionForm):
    """A session with one man: one-to-one work, or ICM's case-manager contacts, disruption
    activities and multi-agency actions."""

    session_type = forms.ChoiceField(
        label="Type of session",
        choices=ONE_MAN_TYPES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of session"},
    )
    case = CaseField(
        queryset=PerpetratorCase.objects.none(),
        label="Whose session",
        empty_label="Choose a man in the intervention",
        error_messages={
            "required": "Choose whose session it is",
            "invalid_choice": "Choose whose session it is",
        },
    )
    field_order = ["session_type", "case"]

    def __init__(self, *args: Any, cases: QuerySet[PerpetratorCase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["planning_minutes"].help_text = "The 30-minute slots are a rule for groups"
        del self.fields["exception_reason"]


class AttendanceForm(VersionedForm):
    """One status and the minutes attended for each of the session's participants."""

    exception_reason = _exception_reason()

    def __init__(
        self,
        *args: Any,
        session: DeliverySession,
        participants: list[PerpetratorCase],
        recorded: dict[int, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, version=session.version, **kwargs)
        self.participants = participants
        self.rows = []
        for case in participants:
            mark = recorded.get(case.pk)
            status = forms.ChoiceField(
                label=f"Attendance of {case.reference}",
                choices=[("", "Choose"), *AttendanceStatus.choices],
                initial=mark.status if mark else "",
                error_messages={"required": f"Choose {case.reference}'s attendance"},
            )
            minutes = forms.IntegerField(
                label=f"Minutes {case.reference} attended",
                required=False,
                min_value=0,
                max_value=session.duration_minutes,
                initial=mark.minutes_attended if mark else None,
                help_text="Needed if late or excluded; blank when attended means the whole session",
                error_messages={
                    "invalid": "Enter the minutes as a whole number",
                    "min_value": "Enter the minutes as 0 or more",
                    "max_value": f"At most the session's {session.duration_minutes} minutes",
                },
            )
            self.fields[f"status_{case.pk}"] = status
            self.fields[f"minutes_{case.pk}"] = minutes
        # Keep the reason last.
        self.order_fields([*[name for name in self.fields if name != "exception_reason"]])
        for case in participants:
            self.rows.append((case, self[f"status_{case.pk}"], self[f"minutes_{case.pk}"]))

    def entries(self) -> list[Any]:
        from tandem.delivery.services import AttendanceEntry

        return [
            AttendanceEntry(
                case_id=case.pk,
                status=self.cleaned_data[f"status_{case.pk}"],
                minutes_attended=self.cleaned_data[f"minutes_{case.pk}"],
            )
            for case in self.participants
        ]


class RecordingForm(forms.Form):
    medium = forms.ChoiceField(
        label="Medium",
        choices=RecordingMedium.choices,
        widget=forms.RadioSelect,
        help_text="Group sessions on video, one-to-one sessions on audio (rule recording)",
        error_messages={"required": "Choose video or audio"},
    )
    storage_location = _text(
        "Where it is kept",
        max_length=500,
        help_text="The location in the service's own storage: Tandem keeps no media",
    )
    checksum_sha256 = _text("SHA-256 checksum of the file", max_length=64)
    retain_until = _date("Keep until")


class ReviewForm(forms.Form):
    reviewed_on = _date("Date reviewed")
    observations = _long_text("Observations")
    feedback = _long_text("Feedback given to the facilitators")
