"""The forms of the perpetrator case pages. They check the shape of the input; the services
check the standards and refuse with the rule, which `add_refusal_to_form` puts on the field."""

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from tandem.cases.models import (
    Child,
    ClosureReason,
    CriminalJustice,
    EngagementChangeKind,
    ExternalReport,
    FamilyProceedings,
    PerpetratorCase,
    ReferralSource,
    RiskPoint,
    SuspensionKind,
)
from tandem.cases.services.children import ChildSocialCare, ChildTrigger
from tandem.cases.services.intake import ChildDetails, ReferralDetails, SurvivorDetails
from tandem.cases.services.lifecycle import AssessmentDetails, ConsentDetails, ScreeningDetails
from tandem.cases.services.records import CONTACT_KINDS, PlannedAction
from tandem.cases.services.reports import REPORT_SECTIONS, ReportSections
from tandem.cases.services.reviews import ReviewEntry
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service, Side
from tandem.standards.models import InterventionType
from tandem.support.barrier import Relationship
from tandem.web import add_refusal_to_form

SURVIVOR_ROWS = 3
CHILD_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _date_field(
    label: str, *, required: bool = False, help_text: str = "", what: str = ""
) -> forms.DateField:
    """`what` names the date in its error messages, e.g. "survivor 2's date of birth"."""
    what = what or label.lower()
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real date"},
    )


def _text(label: str, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def _long_text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return _text(
        label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": 4})
    )


class CaseActionForm(forms.Form):
    """Every change to a case states the version it was read at (optimistic locking). The field
    is not called `version`, so a stale-record refusal shows above the form, not on a hidden
    input."""

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Reload the case and try again"},
    )

    def __init__(self, *args: Any, case: PerpetratorCase, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["expected_version"] = case.version
        super().__init__(*args, **kwargs)


def refusal_summary(refusal: ActionRefused) -> forms.Form:
    """A refused one-button action (no fields of its own), ready for the error summary."""
    form = forms.Form(data={})
    form.is_valid()
    add_refusal_to_form(form, refusal)
    return form


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        label="Which service is the referral for?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the service the referral is for",
            "invalid_choice": "Choose a service whose perpetrator side you work on",
        },
    )
    first_name = _text("His first name", required=True, max_length=100)
    last_name = _text("His last name", required=True, max_length=100)
    date_of_birth = _date_field("His date of birth", required=True)
    phone = _text("His phone number", max_length=40, widget=forms.TextInput({"type": "tel"}))
    source = forms.ChoiceField(
        label="Who made the referral?",
        choices=ReferralSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who made the referral"},
    )
    referrer_name = _text("Referrer's name", max_length=200)
    referrer_organisation = _text("Referrer's organisation", max_length=200)
    referrer_contact = _text("Referrer's phone or email", max_length=200)
    received_at = forms.DateTimeField(
        label="Date and time the referral was received",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Enter the date and time the referral was received",
            "invalid": "Enter the date and time the referral was received as a real date and time",
        },
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        service_field.queryset = services
        only = list(services[:2])
        if len(only) == 1:
            self.initial.setdefault("service", only[0].pk)
        for number in range(1, SURVIVOR_ROWS + 1):
            prefix = f"Survivor {number}:"
            # The browser must not remember her details: the next person at this computer
            # may work on the perpetrator side.
            unremembered = {"autocomplete": "off"}
            self.fields[f"survivor_{number}_first_name"] = _text(
                f"{prefix} first name", max_length=100, widget=forms.TextInput(unremembered)
            )
            self.fields[f"survivor_{number}_last_name"] = _text(
                f"{prefix} last name", max_length=100, widget=forms.TextInput(unremembered)
            )
            self.fields[f"survivor_{number}_relationship"] = forms.ChoiceField(
                label=f"{prefix} relationship to him",
                required=False,
                choices=[("", "Choose a relationship"), *Relationship.choices],
            )
            self.fields[f"survivor_{number}_phone"] = _text(
                f"{prefix} phone",
                max_length=40,
                widget=forms.TextInput({"type": "tel", **unremembered}),
            )
            self.fields[f"survivor_{number}_email"] = forms.EmailField(
                label=f"{prefix} email",
                required=False,
                widget=forms.EmailInput(unremembered),
                error_messages={
                    "invalid": f"Enter survivor {number}'s email address in the correct format, "
                    "like name@example.invalid"
                },
            )
            self.fields[f"survivor_{number}_date_of_birth"] = _date_field(
                f"{prefix} date of birth", what=f"survivor {number}'s date of birth"
            )
            self.fields[f"survivor_{number}_date_of_birth"].widget.attrs.update(unremembered)
        for number in range(1, CHILD_ROWS + 1):
            prefix = f"Child {number}:"
            self.fields[f"child_{number}_first_name"] = _text(
                f"{prefix} first name", max_length=100
            )
            self.fields[f"child_{number}_last_name"] = _text(f"{prefix} last name", max_length=100)
            self.fields[f"child_{number}_date_of_birth"] = _date_field(
                f"{prefix} date of birth", what=f"child {number}'s date of birth"
            )
            self.fields[f"child_{number}_relationship"] = _text(
                f"{prefix} relationship to him",
                max_length=100,
                help_text="For example son, stepdaughter",
            )
            self.fields[f"child_{number}_lives_with_him"] = forms.BooleanField(
                label=f"{prefix} lives with him", required=False
            )

    def _row(self, kind: str, number: int) -> dict[str, Any]:
        start = f"{kind}_{number}_"
        return {
            name.removeprefix(start): value
            for name, value in self.cleaned_data.items()
            if name.startswith(start)
        }

    def _filled_rows(self, kind: str, rows: int) -> list[tuple[int, dict[str, Any]]]:
        """Rows with anything entered; blank rows are ignored."""
        filled = []
        for number in range(1, rows + 1):
            row = self._row(kind, number)
            if any(value not in ("", None, False) for value in row.values()):
                filled.append((number, row))
        return filled

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number, row in self._filled_rows("survivor", SURVIVOR_ROWS):
            for name, what in (
                ("first_name", "first name"),
                ("last_name", "last name"),
                ("relationship", "relationship to him"),
            ):
                if not row.get(name) and f"survivor_{number}_{name}" not in self.errors:
                    self.add_error(f"survivor_{number}_{name}", f"Enter survivor {number}'s {what}")
        for number, row in self._filled_rows("child", CHILD_ROWS):
            for name, what in (
                ("first_name", "first name"),
                ("relationship", "relationship to him"),
            ):
                if not row.get(name) and f"child_{number}_{name}" not in self.errors:
                    self.add_error(f"child_{number}_{name}", f"Enter child {number}'s {what}")
        return cleaned

    def referral_details(self) -> ReferralDetails:
        data = self.cleaned_data
        return ReferralDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            received_at=data["received_at"],
            source=ReferralSource(data["source"]),
            phone=data["phone"],
            referrer_name=data["referrer_name"],
            referrer_organisation=data["referrer_organisation"],
            referrer_contact=data["referrer_contact"],
            survivors=[
                SurvivorDetails(
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    relationship=Relationship(row["relationship"]),
                    phone=row["phone"],
                    email=row["email"],
                    date_of_birth=row["date_of_birth"],
                )
                for _, row in self._filled_rows("survivor", SURVIVOR_ROWS)
            ],
            children=[
                ChildDetails(
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    date_of_birth=row["date_of_birth"],
                    relationship_to_perpetrator=row["relationship"],
                    lives_with_perpetrator=row["lives_with_him"],
                )
                for _, row in self._filled_rows("child", CHILD_ROWS)
            ],
        )

    def add_refusal(self, refusal: ActionRefused) -> None:
        """The service names the survivors or the children as a whole; show its refusal on the
        row it is about."""
        row_field = {
            "survivors": self._survivor_field_refused,
            "child_date_of_birth": self._child_field_refused,
        }.get(refusal.field)
        if row_field is not None:
            refusal = ActionRefused(refusal.message, rule_id=refusal.rule_id, field=row_field())
        add_refusal_to_form(self, refusal)

    def _survivor_field_refused(self) -> str:
        for number, row in self._filled_rows("survivor", SURVIVOR_ROWS):
            if not (row["phone"].strip() or row["email"].strip()):
                return f"survivor_{number}_phone"
        return "survivor_1_first_name"

    def _child_field_refused(self) -> str:
        his_birth: date = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        for number, row in self._filled_rows("child", CHILD_ROWS):
            born = row["date_of_birth"]
            if born is not None and (born <= his_birth or born > today):
                return f"child_{number}_date_of_birth"
        return "child_1_date_of_birth"

    def row_groups(self, kind: str) -> list[tuple[int, list[forms.BoundField]]]:
        rows = SURVIVOR_ROWS if kind == "survivor" else CHILD_ROWS
        return [
            (number, [self[name] for name in self.fields if name.startswith(f"{kind}_{number}_")])
            for number in range(1, rows + 1)
        ]

    @property
    def survivor_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return self.row_groups("survivor")

    @property
    def child_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return self.row_groups("child")


class ScreeningForm(CaseActionForm):
    criminal_justice = forms.ChoiceField(
        label="Criminal justice involvement",
        choices=CriminalJustice.choices,
        widget=forms.RadioSelect,
        help_text="Pre-sentence means he is not accepted now and can be re-referred later",
        error_messages={"required": "Choose his criminal justice involvement"},
    )
    family_proceedings = forms.ChoiceField(
        label="Private law family proceedings about his children",
        choices=FamilyProceedings.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether there are family proceedings"},
    )
    family_proceedings_judgement = _long_text(
        "Professional judgement on suitability",
        help_text="Needed when proceedings ended more than 12 months ago",
    )
    substance_use = _long_text("Substance use")
    mental_health = _long_text("Mental health")
    social_services_involved = forms.ChoiceField(
        label="Are social services involved?",
        choices=[("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether social services are involved"},
    )
    social_worker_details = _text(
        "Social worker's name and contact", max_length=300, help_text="Needed if they are involved"
    )
    protected_characteristics_barriers = _long_text(
        "Barriers related to protected characteristics",
        help_text="Against the nine protected characteristics of the Equality Act 2010",
    )
    barriers_delivery_plan = _long_text("Delivery plan for those barriers")
    pursuing_child_contact = forms.BooleanField(
        label="He is pursuing child contact through the family courts", required=False
    )
    child_contact_expert_assessment = forms.BooleanField(
        label="An expert domestic violence risk assessment (expert witness status) is on file",
        required=False,
    )
    attendance_required_by_criminal_court = forms.BooleanField(
        label="A criminal court order requires him to attend", required=False
    )
    partner_language_needs_unmet = forms.BooleanField(
        label="A partner cannot be offered an adequate support service because of her language "
        "needs",
        required=False,
    )

    def screening_details(self) -> ScreeningDetails:
        data = self.cleaned_data
        return ScreeningDetails(
            criminal_justice=data["criminal_justice"],
            family_proceedings=data["family_proceedings"],
            family_proceedings_judgement=data["family_proceedings_judgement"],
            substance_use=data["substance_use"],
            mental_health=data["mental_health"],
            social_services_involved={"yes": True, "no": False}.get(
                data["social_services_involved"]
            ),
            social_worker_details=data["social_worker_details"],
            protected_characteristics_barriers=data["protected_characteristics_barriers"],
            barriers_delivery_plan=data["barriers_delivery_plan"],
            pursuing_child_contact=data["pursuing_child_contact"],
            child_contact_expert_assessment=data["child_contact_expert_assessment"],
            attendance_required_by_criminal_court=data["attendance_required_by_criminal_court"],
            partner_language_needs_unmet=data["partner_language_needs_unmet"],
        )


class AssessmentForm(CaseActionForm):
    risk_summary = _long_text("Risk", required=True)
    need_summary = _long_text("Need", required=True)
    responsivity_summary = _long_text("Responsivity", required=True)
    motivation_summary = _long_text("Motivation", required=True)
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("accepted", "Eligible and suitable: accepted"),
            ("not_accepted", "Not accepted"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    intervention_type = forms.ChoiceField(
        label="Intervention he is accepted for",
        required=False,
        widget=forms.RadioSelect,
    )
    decision_statement = _long_text(
        "Factual statement of the decision",
        help_text="This is what he (if safe), the survivors and the referrer are told",
    )
    acknowledges_some_abuse = forms.BooleanField(
        label="He acknowledges some of his abuse", required=False
    )
    sees_abuse_as_a_problem = forms.BooleanField(label="He sees it as a problem", required=False)
    accepts_some_responsibility = forms.BooleanField(
        label="He accepts some responsibility for it", required=False
    )
    agrees_conditions = forms.BooleanField(
        label="He agrees the conditions, including giving his partners' contact details",
        required=False,
    )

    def __init__(self, *args: Any, case: PerpetratorCase, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        offered = {
            InterventionType.BEHAVIOUR_CHANGE: case.service.offers_behaviour_change,
            InterventionType.EARLY_RESPONSE: case.service.offers_early_response,
            InterventionType.ICM: case.service.offers_icm,
        }
        intervention_field = self.fields["intervention_type"]
        assert isinstance(intervention_field, forms.ChoiceField)
        intervention_field.choices = [(t.value, t.label) for t in offered if offered[t]]

    def assessment_details(self) -> AssessmentDetails:
        data = self.cleaned_data
        return AssessmentDetails(
            risk_summary=data["risk_summary"],
            need_summary=data["need_summary"],
            responsivity_summary=data["responsivity_summary"],
            motivation_summary=data["motivation_summary"],
            accepted=data["decision"] == "accepted",
            decision_statement=data["decision_statement"],
            intervention_type=data["intervention_type"],
            acknowledges_some_abuse=data["acknowledges_some_abuse"],
            sees_abuse_as_a_problem=data["sees_abuse_as_a_problem"],
            accepts_some_responsibility=data["accepts_some_responsibility"],
            agrees_conditions=data["agrees_conditions"],
        )


class ConsentForm(CaseActionForm):
    signed_on = _date_field(
        "Date he signed the agreement",
        help_text="Leave blank if he refused or was not asked",
        what="the date he signed",
    )
    covers_case_file_review = forms.BooleanField(
        label="It covers managers, assessors and evaluators reviewing his case file",
        required=False,
    )
    covers_recorded_sessions = forms.BooleanField(
        label="It covers managers, assessors and evaluators seeing recordings of his sessions",
        required=False,
    )
    agrees_not_to_block_iss = forms.BooleanField(
        label="He signed that he will not block survivors' contact with the support service",
        required=False,
    )
    refused = forms.BooleanField(
        label="He refused to sign the agreement (no place is offered)", required=False
    )
    not_sought_reason = _long_text("Why consent could not be sought")

    def consent_details(self) -> ConsentDetails:
        data = self.cleaned_data
        return ConsentDetails(
            signed_on=data["signed_on"],
            covers_case_file_review=data["covers_case_file_review"],
            covers_recorded_sessions=data["covers_recorded_sessions"],
            agrees_not_to_block_iss=data["agrees_not_to_block_iss"],
            refused=data["refused"],
            not_sought_reason=data["not_sought_reason"],
        )


class CloseForm(CaseActionForm):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=[(c.value, c.label) for c in ClosureReason if c != ClosureReason.NOT_ACCEPTED],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case is closing"},
    )
    detail = _long_text("Details", help_text="Needed when the reason is Other")


class SuspensionProposalForm(CaseActionForm):
    kind = forms.ChoiceField(
        label="What is proposed?",
        choices=SuspensionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose suspension or removal"},
    )
    reason = _long_text("Why", required=True)


class EngagementChangeForm(CaseActionForm):
    change = forms.ChoiceField(
        label="What changed?",
        choices=EngagementChangeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what changed"},
    )
    detail = _long_text(
        "What happened",
        required=True,
        help_text="What the ISS needs to know to tell each survivor and review her safety plan",
    )


# Case records


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _datetime_field(label: str, *, what: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a real date and time",
        },
    )


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose first box carries the field's own id, so the error summary's link to the
    field lands on the first box, as the GOV.UK pattern asks. Rendered by
    `cases/_checkboxes.html`."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        if index == "0":
            return id_
        return super().id_for_label(id_, index)


_SIDE_NAMES = {
    Side.PERPETRATOR: "perpetrator side",
    Side.ISS: "ISS",
    Side.BOTH: "both sides",
    Side.MANAGEMENT: "management",
}


def _person_with_side(user: Any) -> str:
    """A person, with their side of the service when the queryset gives it."""
    side = getattr(user, "side", "")
    return _person(user) + (f" ({_SIDE_NAMES[Side(side)]})" if side else "")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return _person_with_side(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return _person_with_side(obj)


class CaseFilesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PerpetratorCase) -> str:
        return f"{obj.reference} {obj.first_name} {obj.last_name} ({obj.get_stage_display()})"


class ContactNoteForm(forms.Form):
    occurred_at = _datetime_field(
        "When did the contact happen?", what="the date and time of the contact"
    )
    kind = forms.ChoiceField(
        label="What kind of contact was it?",
        choices=[(kind, kind) for kind in CONTACT_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of contact it was"},
    )
    note = _long_text("What happened", required=True)


class RiskConcernForm(forms.Form):
    concern = _long_text("What is the risk concern?", required=True)
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
    event_description = _long_text(
        "What happened that changes the risk",
        help_text="Needed for an assessment prompted by an event",
    )
    summary = _long_text("Assessment of his risk", required=True)
    next_assessment_due_on = _date_field(
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
    his_comment = _long_text("His comment on the outcome, if he made one")
    outcome_not_told_reason = _long_text(
        "Why telling him is unsafe", help_text="Needed if he has not been told"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, RISK_ACTION_ROWS + 1):
            self.fields[f"action_{number}_action"] = _text(
                f"Action {number}: what is to be done", max_length=1000
            )
            self.fields[f"action_{number}_due_on"] = _date_field(
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


_YES_NO_NOT_KNOWN = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]
_KNOWN_TO_SOCIAL_CARE = {True: "yes", False: "no", None: "not_known"}


class ChildForm(forms.Form):
    first_name = _text("First name", required=True, max_length=100)
    last_name = _text("Last name", max_length=100)
    date_of_birth = _date_field("Date of birth", help_text="Leave blank if it is not known")
    relationship = _text(
        "Relationship to him",
        required=True,
        max_length=100,
        help_text="For example son, stepdaughter, partner's child",
    )
    lives_with_him = forms.BooleanField(label="Lives with him", required=False)
    known_to_childrens_social_care = forms.ChoiceField(
        label="Is the child known to children's social care?",
        choices=_YES_NO_NOT_KNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether children's social care knows the child"},
    )
    plan = forms.ChoiceField(
        label="Plan",
        choices=Child.Plan.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the child's plan, or None"},
    )
    plan_review_on = _date_field(
        "Date the plan is next reviewed",
        help_text="Needed for a child in need or child protection plan",
        what="the date the plan is next reviewed",
    )
    plan_copy_on_file = forms.BooleanField(
        label="A copy of the plan, with its review dates, is on file",
        help_text="Needed for a child protection plan",
        required=False,
    )
    proceedings = forms.ChoiceField(
        label="Care or contact proceedings about the child",
        choices=Child.Proceedings.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the proceedings about the child, or None"},
    )

    def __init__(self, *args: Any, child: Child | None = None, **kwargs: Any) -> None:
        if child is not None:
            kwargs.setdefault("initial", {}).update(
                first_name=child.first_name,
                last_name=child.last_name,
                date_of_birth=child.date_of_birth,
                relationship=child.relationship_to_perpetrator,
                lives_with_him=child.lives_with_perpetrator,
                known_to_childrens_social_care=_KNOWN_TO_SOCIAL_CARE[
                    child.known_to_childrens_social_care
                ],
                plan=child.plan,
                plan_review_on=child.plan_review_on,
                plan_copy_on_file=child.plan_copy_on_file,
                proceedings=child.proceedings,
            )
        else:
            kwargs.setdefault("initial", {}).update(
                known_to_childrens_social_care="not_known",
                plan=Child.Plan.NONE,
                proceedings=Child.Proceedings.NONE,
            )
        super().__init__(*args, **kwargs)

    def child_details(self) -> ChildDetails:
        data = self.cleaned_data
        return ChildDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            relationship_to_perpetrator=data["relationship"],
            lives_with_perpetrator=data["lives_with_him"],
        )

    def social_care(self) -> ChildSocialCare:
        data = self.cleaned_data
        return ChildSocialCare(
            known_to_childrens_social_care={"yes": True, "no": False}.get(
                data["known_to_childrens_social_care"]
            ),
            plan=data["plan"],
            plan_review_on=data["plan_review_on"],
            plan_copy_on_file=data["plan_copy_on_file"],
            proceedings=data["proceedings"],
        )


class ChildEditForm(CaseActionForm, ChildForm):
    """Editing a child states the case version it was read at, like every change to a case."""

    def __init__(self, *args: Any, case: PerpetratorCase, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, case=case, child=child, **kwargs)


class ReexaminationForm(forms.Form):
    trigger = forms.ChoiceField(
        label="What happened?",
        choices=ChildTrigger.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    details = _long_text("Details", required=True)


class AllocationForm(CaseActionForm):
    worker = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who is his worker?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose his worker",
            "invalid_choice": "Choose a perpetrator worker of this service",
        },
    )

    def __init__(
        self, *args: Any, case: PerpetratorCase, workers: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, case=case, **kwargs)
        worker_field = self.fields["worker"]
        assert isinstance(worker_field, forms.ModelChoiceField)
        worker_field.queryset = workers
        if case.allocated_worker_id:
            self.initial.setdefault("worker", case.allocated_worker_id)


class MeetingDateForm(forms.Form):
    """The day of the meeting decides which cases were open and must be considered, so it is
    chosen first (in the address, so the recording form keeps it)."""

    held_on = _date_field("Date of the meeting", required=True, what="the date of the meeting")

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
    previous_actions_reviewed = _long_text(
        "How the previous meeting's actions were followed up",
        help_text="Needed when the previous meeting set actions",
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "attendees"):
            people_field = self.fields[name]
            assert isinstance(people_field, forms.ModelChoiceField)
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
        assert index is not None
        case = self.cases[index]
        return {"case": case, "children_to_reexamine": case.pk in self.children_to_reexamine}

    def review_entries(self) -> list[ReviewEntry]:
        return [form.review_entry() for form in self.forms]


ReviewEntryFormSet = cast(
    type[BaseReviewEntryFormSet],
    forms.formset_factory(ReviewEntryForm, formset=BaseReviewEntryFormSet, extra=0),
)


class FileAuditForm(forms.Form):
    audited_on = _date_field("Date of the audit", required=True, what="the date of the audit")
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
    findings = _long_text("Findings", required=True)
    feedback = _long_text("Feedback given to the workers", required=True)

    def __init__(self, *args: Any, candidates: QuerySet[PerpetratorCase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sample_field = self.fields["sample"]
        assert isinstance(sample_field, forms.ModelMultipleChoiceField)
        sample_field.queryset = candidates


class ExchangeForm(forms.Form):
    held_on = _date_field("Date of the exchange", required=True, what="the date of the exchange")
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
    summary = _long_text("Changes in risk and engagement exchanged", required=True)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("perpetrator_side_person", "iss_side_person"):
            person_field = self.fields[name]
            assert isinstance(person_field, forms.ModelChoiceField)
            person_field.queryset = staff


class ExternalReportForm(forms.Form):
    recipient = forms.ChoiceField(
        label="Who is the report for?",
        choices=ExternalReport.Recipient.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the report is for"},
    )
    recipient_name = _text(
        "Name of the agency or court",
        required=True,
        max_length=200,
        help_text="For example Example Borough Children's Services (synthetic)",
    )
    intervention_and_attendance = _long_text(
        REPORT_SECTIONS["intervention_and_attendance"], required=True
    )
    further_abuse = _long_text(
        REPORT_SECTIONS["further_abuse"],
        required=True,
        help_text="Any further abuse known to the service, or that none is known",
    )
    concerns_with_evidence = _long_text(REPORT_SECTIONS["concerns_with_evidence"], required=True)
    limitations = _long_text(
        REPORT_SECTIONS["limitations"],
        required=True,
        help_text="Staff of the service do not act as expert witnesses",
    )

    def report_sections(self) -> ReportSections:
        data = self.cleaned_data
        return ReportSections(
            recipient=data["recipient"],
            recipient_name=data["recipient_name"],
            intervention_and_attendance=data["intervention_and_attendance"],
            further_abuse=data["further_abuse"],
            concerns_with_evidence=data["concerns_with_evidence"],
            limitations=data["limitations"],
        )
