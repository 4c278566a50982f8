"""The forms about the children connected to him and their re-examination."""

from typing import Any

from django import forms

from tandem.cases.forms.fields import date_field, long_text_field, text_field
from tandem.cases.forms.lifecycle import CaseActionForm
from tandem.cases.models import Child, PerpetratorCase
from tandem.cases.services.children import ChildSocialCare, ChildTrigger
from tandem.cases.services.intake import ChildDetails

_YES_NO_NOT_KNOWN = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]


_KNOWN_TO_SOCIAL_CARE = {True: "yes", False: "no", None: "not_known"}


class ChildForm(forms.Form):
    first_name = text_field("First name", required=True, max_length=100)
    last_name = text_field("Last name", max_length=100)
    date_of_birth = date_field("Date of birth", help_text="Leave blank if it is not known")
    relationship = text_field(
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
    plan_review_on = date_field(
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
    details = long_text_field("Details", required=True)
