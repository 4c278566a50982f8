"""The forms of the sign-in and account pages: they check the shape of the input; the services
check the rules and refuse naming the field."""

from django import forms


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )


class EnrolmentCodeForm(TwoFactorCodeForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows now"


class DeactivationForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        help_text="For example: left the organisation on 30 November",
        error_messages={"required": "Give the reason for deactivating the account"},
    )
