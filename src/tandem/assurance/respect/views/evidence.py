"""Pages for a Respect accreditation's evidence and findings: each indicator's record, the
service's narrative, documents and citations, the assessor's findings by method and judgement,
and the assessor's report.

As in `accreditation.py`: an assessment someone cannot open is a 404, one they may not do this
with a 403, and a step the process refuses is shown on the form naming the rule.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.assurance.forms import VersionForm
from tandem.assurance.models import EvidenceCitation, Judgement, RequirementRecord
from tandem.assurance.respect import gates, selectors
from tandem.assurance.respect.forms import (
    CitationForm,
    MethodJudgementForm,
    NarrativeForm,
    RecordJudgementForm,
    ReportForm,
    UploadForm,
)
from tandem.assurance.respect.rules import ASSESS, PREPARE_EVIDENCE, VIEW_ASSESSMENTS
from tandem.assurance.respect.selectors import AssessmentAccess
from tandem.assurance.respect.services import application, findings
from tandem.assurance.respect.views.accreditation import (
    assessment_access,
    detail_url,
    on_assessment,
    record_url,
)
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.lib.documents import CONTENT_TYPES, EVIDENCE_MAX_BYTES, DocumentKind, size_label
from tandem.web import acting_user, button_action, form_page, refusal_message_redirect


@permission_required_or_403(VIEW_ASSESSMENTS)
def record_detail(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    record = selectors.record_get_for(access=access, record_id=record_id)
    assessment = access.assessment
    user = request.user
    may_edit_evidence = user.has_perm(PREPARE_EVIDENCE, assessment) and application.evidence_open(
        record
    )
    can_judge = user.has_perm(ASSESS, assessment) and findings.findings_open(assessment)
    return render(
        request,
        "assurance/record_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "record": record,
            "requirement": record.requirement,
            "words": gates.narrative_word_count(record.narrative),
            "max_words": gates.NARRATIVE_MAX_WORDS,
            "needs_narrative": gates.needs_narrative(record.requirement),
            "more_evidence": selectors.more_evidence_requested(record),
            "may_edit_evidence": may_edit_evidence,
            "can_judge": can_judge,
            "version_form": VersionForm(version=record.version),
            "methods_not_met": findings.methods_not_met(record),
        },
    )


def record_to_change(
    request: HttpRequest, assessment_id: int, record_id: int, permission: str
) -> tuple[AssessmentAccess, RequirementRecord]:
    """A record of an accreditation this person can open (404 otherwise), for a change they
    need `permission` for (403 otherwise)."""
    access = assessment_access(request, assessment_id)
    record = selectors.record_get_for(access=access, record_id=record_id)
    require_permission(request.user, permission, access.assessment)
    return access, record


# The service's evidence


@permission_required_or_403(VIEW_ASSESSMENTS)
def record_narrative(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access, record = record_to_change(request, assessment_id, record_id, PREPARE_EVIDENCE)
    form = NarrativeForm(
        request.POST or None, version=record.version, initial={"narrative": record.narrative}
    )
    back = record_url(record)
    return form_page(
        request,
        form=form,
        act=lambda: application.record_narrative_save(
            record=record,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            narrative=form.cleaned_data["narrative"],
        ),
        done=f"Narrative for {record.requirement.ref} saved",
        success_url=back,
        back=back,
        heading=f"Narrative for {record.requirement.ref}",
        button="Save the narrative",
        intro=record.requirement.text,
        **on_assessment(access.assessment, record),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def record_cite(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access, record = record_to_change(request, assessment_id, record_id, PREPARE_EVIDENCE)
    form = CitationForm(
        request.POST or None,
        version=record.version,
        documents=selectors.documents_of(service=access.assessment.service),
    )
    back = record_url(record)
    return form_page(
        request,
        form=form,
        act=lambda: application.evidence_citation_add(
            record=record,
            document=form.cleaned_data["document"],
            location=form.cleaned_data["location"],
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        done="Document cited",
        success_url=back,
        back=back,
        heading=f"Cite a supporting document for {record.requirement.ref}",
        button="Cite the document",
        intro="Upload a document first if it is not in the list. A document can support "
        "several indicators: it is stored once.",
        **on_assessment(access.assessment, record),
    )


@require_POST
@permission_required_or_403(VIEW_ASSESSMENTS)
def citation_remove(
    request: HttpRequest, assessment_id: int, record_id: int, citation_id: int
) -> HttpResponse:
    _, record = record_to_change(request, assessment_id, record_id, PREPARE_EVIDENCE)
    citation = EvidenceCitation.objects.filter(pk=citation_id, record=record).first()
    if citation is None:
        raise PermissionDenied("no such citation")
    form = VersionForm(request.POST, version=record.version)
    return button_action(
        request,
        act=lambda: application.evidence_citation_remove(
            citation=citation,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"] if form.is_valid() else 0,
        ),
        done="Citation removed",
        success_url=record_url(record),
        refused=lambda refusal: refusal_message_redirect(request, refusal, to=record_url(record)),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def document_upload(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    require_permission(request.user, PREPARE_EVIDENCE, access.assessment)
    form = UploadForm(request.POST or None, request.FILES or None)
    service = access.assessment.service
    return form_page(
        request,
        form=form,
        act=lambda: application.evidence_document_upload(
            service=service,
            actor=acting_user(request),
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        ),
        done=lambda uploaded: (
            f"{uploaded[0].title} uploaded"
            if uploaded[1]
            else f"That file is already stored, as {uploaded[0].title}: cite it as it is"
        ),
        success_url=reverse("assurance:document_upload", args=[assessment_id]),
        template="assurance/documents.html",
        access=access,
        assessment=access.assessment,
        documents=selectors.documents_of(service=service),
        max_size=size_label(EVIDENCE_MAX_BYTES),
    )


def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    # Not wrapped in permission_required_or_403, which is typed for pages, not file streams.
    require_permission(request.user, VIEW_ASSESSMENTS)
    document = selectors.document_get_for_user(user=request.user, document_id=document_id)
    audit_event_record(actor=request.user, action=AuditEvent.Action.VIEWED, target=document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=CONTENT_TYPES[DocumentKind(document.kind)],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The assessor's findings and report


@permission_required_or_403(VIEW_ASSESSMENTS)
def record_method(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access, record = record_to_change(request, assessment_id, record_id, ASSESS)
    form = MethodJudgementForm(
        request.POST or None,
        version=record.version,
        methods=list(record.requirement.assessment_methods),
    )
    back = record_url(record)
    return form_page(
        request,
        form=form,
        act=lambda: findings.method_judgement_record(
            record=record,
            method=form.cleaned_data["method"],
            result=form.cleaned_data["result"],
            evidence_notes=form.cleaned_data["evidence_notes"],
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        done="Finding recorded",
        success_url=back,
        back=back,
        heading=f"Finding by method for {record.requirement.ref}",
        button="Record the finding",
        intro=record.requirement.text,
        **on_assessment(access.assessment, record),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def record_judge(request: HttpRequest, assessment_id: int, record_id: int) -> HttpResponse:
    access, record = record_to_change(request, assessment_id, record_id, ASSESS)
    form = RecordJudgementForm(
        request.POST or None,
        version=record.version,
        initial={"judgement": record.judgement, "basis": record.judgement_basis},
    )
    back = record_url(record)
    return form_page(
        request,
        form=form,
        act=lambda: findings.record_judge(
            record=record,
            judgement=form.cleaned_data["judgement"],
            basis=form.cleaned_data["basis"],
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
        ),
        done=f"Judgement of {record.requirement.ref} recorded",
        success_url=back,
        back=back,
        heading=f"Judgement of {record.requirement.ref}",
        button="Record the judgement",
        intro="Met only when every method the standard names for it is done and met.",
        **on_assessment(access.assessment, record),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def report_submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = assessment_access(request, assessment_id)
    require_permission(request.user, ASSESS, access.assessment)
    assessment = access.assessment
    existing = getattr(assessment, "assessor_report", None)
    form = ReportForm(
        request.POST or None,
        version=assessment.version,
        initial={"recommendation": existing.recommendation, "summary": existing.summary}
        if existing
        else {},
    )
    back = detail_url(assessment)
    return form_page(
        request,
        form=form,
        act=lambda: findings.assessor_report_submit(
            assessment=assessment,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            recommendation=form.cleaned_data["recommendation"],
            summary=form.cleaned_data["summary"],
        ),
        done="Report submitted for internal verification",
        success_url=back,
        back=back,
        heading="Submit the report for internal verification",
        button="Submit the report",
        intro="The report gives, for every indicator, the evidence seen and verified, the "
        "methods used and the judgement with its basis.",
        **on_assessment(assessment),
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def report(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The assessor's report as it stands: for the people assessing, verifying and deciding, and
    for the service once it is released."""
    access = assessment_access(request, assessment_id)
    if not access.sees_findings:
        raise PermissionDenied("the report is not released")
    assessment = access.assessment
    audit_event_record(
        actor=request.user, action=AuditEvent.Action.VIEWED, target=assessment, summary="report"
    )
    return render(
        request,
        "assurance/report.html",
        {
            "access": access,
            "assessment": assessment,
            "report": getattr(assessment, "assessor_report", None),
            "records": selectors.record_list_for(access=access),
            "verifications": assessment.verifications.select_related("verified_by"),
            "decisions": assessment.panel_decisions.select_related("decided_by"),
            "met": Judgement.MET,
            "generated_at": timezone.now(),
        },
    )
