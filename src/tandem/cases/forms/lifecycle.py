"""The forms of a case's transitions. They check the shape of the input; the services check the
standards and refuse with the rule, which the page kit shows on the field it names."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from tandem.cases.forms.fields import PersonChoiceField, date_field, long_text_field, text_field
from tandem.cases.models import (
    ClosureReason,
    CriminalJustice,
    EngagementChangeKind,
    FamilyProceedings,
    PerpetratorCase,
    SuspensionKind,
)
from tandem.cases.services.lifecycle import AssessmentDetails, ConsentDetails, ScreeningDetails
from tandem.lib.forms import form_field
from tandem.standards.models import InterventionType


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
    family_proceedings_judgement = long_text_field(
        "Professional judgement on suitability",
        help_text="Needed when proceedings ended more than 12 months ago",
    )
    substance_use = long_text_field("Substance use")
    mental_health = long_text_field("Mental health")
    social_services_involved = forms.ChoiceField(
        label="Are social services involved?",
        choices=[("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether social services are involved"},
    )
    social_worker_details = text_field(
        "Social worker's name and contact", max_length=300, help_text="Needed if they are involved"
    )
    protected_characteristics_barriers = long_text_field(
        "Barriers related to protected characteristics",
        help_text="Against the nine protected characteristics of the Equality Act 2010",
    )
    barriers_delivery_plan = long_text_field("Delivery plan for those barriers")
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
    risk_summary = long_text_field("Risk", required=True)
    need_summary = long_text_field("Need", required=True)
    responsivity_summary = long_text_field("Responsivity", required=True)
    motivation_summary = long_text_field("Motivation", required=True)
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
    decision_statement = long_text_field(
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
        intervention_field = form_field(self, "intervention_type", forms.ChoiceField)
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
    signed_on = date_field(
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
    not_sought_reason = long_text_field("Why consent could not be sought")

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
    detail = long_text_field("Details", help_text="Needed when the reason is Other")


class SuspensionProposalForm(CaseActionForm):
    kind = forms.ChoiceField(
        label="What is proposed?",
        choices=SuspensionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose suspension or removal"},
    )
    reason = long_text_field("Why", required=True)


class EngagementChangeForm(CaseActionForm):
    change = forms.ChoiceField(
        label="What changed?",
        choices=EngagementChangeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what changed"},
    )
    detail = long_text_field(
        "What happened",
        required=True,
        help_text="What the ISS needs to know to tell each survivor and review her safety plan",
    )


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
        worker_field = form_field(self, "worker", forms.ModelChoiceField)
        worker_field.queryset = workers
        if case.allocated_worker_id:
            self.initial.setdefault("worker", case.allocated_worker_id)
