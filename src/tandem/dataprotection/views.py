"""Subject access review (NE 5.2; UK GDPR Art. 15(4)): the other people named in his export,
listed for a senior manager to review, and the release recorded once they confirm it."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from tandem.access.permissions import require_permission
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.cases.rules import EXPORT_SUBJECT_ACCESS
from tandem.cases.selectors import perpetrator_case_get_for_user
from tandem.cases.subject_access import subject_access_export
from tandem.dataprotection.models import SubjectAccessRelease
from tandem.dataprotection.subject_access import (
    NOTE_MAX,
    subject_access_release,
    subject_access_third_parties,
)
from tandem.web import acting_user, form_page


class ReleaseForm(forms.Form):
    third_parties_reviewed = forms.BooleanField(
        required=False,
        label="I have reviewed each item listed: removed it, or kept it with consent or where "
        "it is reasonable to",
    )
    review_note = forms.CharField(
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea,
        label="What you decided, and why (optional)",
    )


def case_subject_access_review(request: HttpRequest, reference: str) -> HttpResponse:
    """404 for a case the person cannot see; 403 unless they may produce his data."""
    user = acting_user(request)
    case = perpetrator_case_get_for_user(user=user, reference=reference)
    require_permission(user, EXPORT_SUBJECT_ACCESS, case)
    export = subject_access_export(case=case, now=timezone.now())
    if request.method != "POST":
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.EXPORTED,
            target=case,
            summary="subject access: the data held about him, for third-party review",
        )
    form = ReleaseForm(request.POST or None)
    return form_page(
        request,
        form=form,
        act=lambda: subject_access_release(
            case=case, export=export, actor=user, now=timezone.now(), **form.cleaned_data
        ),
        done="Release recorded: print his data or download it from this page",
        success_url=reverse("cases:case_subject_access", args=[case.reference]),
        template="dataprotection/subject_access_review.html",
        heading="Review other people named before release",
        caption=f"{case.reference} · {case.service.name}",
        intro="His data holds only his side's own records, but what staff wrote can name "
        "others. Each item below names someone else: remove it from what he receives, or keep "
        "it with their consent or where it is reasonable to.",
        button="Record the release",
        back=reverse("cases:case_subject_access", args=[case.reference]),
        items=subject_access_third_parties(case=case, export=export),
        releases=SubjectAccessRelease.objects.filter(case=case).select_related("released_by"),
    )
