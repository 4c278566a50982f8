"""The form of a report to another agency, written to the template (rule external-report)."""

from django import forms

from tandem.cases.forms.fields import long_text_field, text_field
from tandem.cases.models import ExternalReport
from tandem.cases.services.reports import REPORT_SECTIONS, ReportSections


class ExternalReportForm(forms.Form):
    recipient = forms.ChoiceField(
        label="Who is the report for?",
        choices=ExternalReport.Recipient.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the report is for"},
    )
    recipient_name = text_field(
        "Name of the agency or court",
        required=True,
        max_length=200,
        help_text="For example Example Borough Children's Services (synthetic)",
    )
    intervention_and_attendance = long_text_field(
        REPORT_SECTIONS["intervention_and_attendance"], required=True
    )
    further_abuse = long_text_field(
        REPORT_SECTIONS["further_abuse"],
        required=True,
        help_text="Any further abuse known to the service, or that none is known",
    )
    concerns_with_evidence = long_text_field(
        REPORT_SECTIONS["concerns_with_evidence"], required=True
    )
    limitations = long_text_field(
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
