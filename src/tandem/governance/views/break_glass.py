"""Break-glass: the page where a service manager asks to open one record outside their normal
access, saying why (services/break_glass.py decides; the record's page opens on success)."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from tandem.access.permissions import permission_required_or_403
from tandem.audit.models import REASON_MAX_LENGTH
from tandem.cases.models import PerpetratorCase
from tandem.governance.rules import BREAK_GLASS
from tandem.governance.services import break_glass
from tandem.web import acting_user, form_page


class BreakGlassForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which kind of record",
        choices=[
            (break_glass.CASE, "A perpetrator case"),
            (break_glass.ISS_CASE, "A survivor's ISS case"),
        ],
        widget=forms.RadioSelect,
    )
    identifier = forms.CharField(
        label="Its reference or number",
        max_length=50,
        help_text="A case's reference, or the number of an ISS case",
    )
    reason = forms.CharField(
        label="Why you need to open it now",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Recorded in the audit trail. The service's safeguarding lead is told that you "
            "opened it."
        ),
    )


def _record_url(opened: break_glass.BrokenGlass) -> str:
    record = opened.record
    if isinstance(record, PerpetratorCase):
        return reverse("cases:case_detail", kwargs={"reference": record.reference})
    return reverse("support:iss_case_detail", args=[record.pk])


@permission_required_or_403(BREAK_GLASS)
def break_glass_open(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    return form_page(
        request,
        form=form,
        act=lambda: break_glass.break_glass_open(actor=acting_user(request), **form.cleaned_data),
        done=lambda opened: (
            "Opened by break-glass until "
            f"{opened.grant.expires_at.astimezone(break_glass.UK_TIME):%H:%M}. "
            "This is recorded and the safeguarding lead is told."
        ),
        success_url=_record_url,
        heading="Open a record by break-glass",
        intro=(
            "Only in an emergency, for a record you cannot otherwise open. A survivor's record "
            "is never opened for anyone working on the perpetrator side."
        ),
        button="Open the record",
    )
