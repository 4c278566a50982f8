"""The certificate of a Respect accreditation, as a page and as a PDF (rule respect-accreditation:
accredited for the interventions in scope, for 3 years from the panel's decision).

Which assessments someone can open is the selectors' decision (404); whether they may have its
certificate is the rule `rules.VIEW_CERTIFICATE` (403, asked before looking for a
certificate, so a refusal tells nothing of the decision); an assessment the panel has not
accredited has no certificate (404).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from tandem.access.permissions import permission_required_or_403, permitted, require_permission
from tandem.access.roles import Person
from tandem.assurance.downloads import as_attachment, export_filename
from tandem.assurance.models import Assessment, Process, State
from tandem.assurance.respect import selectors
from tandem.assurance.respect.deadlines import is_accreditation_current
from tandem.assurance.respect.rules import VIEW_ASSESSMENTS, VIEW_CERTIFICATE
from tandem.assurance.respect.selectors import AssessmentAccess
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.lib.pdf import PageMarks, pdf_render

# The panel accredited it: still current, or since expired or followed by a reaccreditation.
CERTIFIED_STATES = frozenset({State.ACCREDITED, State.EXPIRED, State.REACCREDITED})


@dataclass(frozen=True)
class Certificate:
    service: str
    organisation: str
    scope: list[str]
    framework: str
    decided_on: date
    expires_on: date
    status: str

    @property
    def last_day(self) -> date:
        """The last day accredited: the day before the expiry date."""
        return self.expires_on - timedelta(days=1)

    @property
    def title(self) -> str:
        return f"Certificate of Respect accreditation: {self.service}"


def _status(assessment: Assessment, *, today: date) -> str:
    expires_on = assessment.expires_on
    if assessment.state == State.REACCREDITED:
        return "Followed by a reaccreditation"
    if assessment.state == State.ACCREDITED and is_accreditation_current(
        expires_on=expires_on, today=today
    ):
        return "Current"
    return "Expired"


def certificate_of(assessment: Assessment, *, today: date | None = None) -> Certificate | None:
    """The certificate of an accreditation the panel granted, or None. Its expiry date is the one
    recorded with the decision (`deadlines.accreditation_expires_on`, 3 years on), which is also
    the one the register shows and on which the accreditation expires."""
    if (
        assessment.process != Process.RESPECT_ACCREDITATION
        or assessment.state not in CERTIFIED_STATES
        or assessment.decided_at is None
        or assessment.expires_on is None
    ):
        return None
    framework = assessment.framework
    return Certificate(
        service=assessment.service.name,
        organisation=assessment.service.organisation.name,
        scope=[selectors.intervention_label(value) for value in assessment.scope],
        framework=f"{framework.title}, {framework.edition}",
        decided_on=timezone.localdate(assessment.decided_at),
        expires_on=assessment.expires_on,
        status=_status(assessment, today=today or timezone.localdate()),
    )


def may_see_certificate(*, user: Person, access: AssessmentAccess) -> bool:
    """Whether the assessment page links a certificate for this person."""
    return (
        permitted(user, VIEW_CERTIFICATE, access) and certificate_of(access.assessment) is not None
    )


def _certificate(request: HttpRequest, assessment_id: int) -> tuple[AssessmentAccess, Certificate]:
    access = selectors.assessment_get_for_user(user=request.user, assessment_id=assessment_id)
    require_permission(request.user, VIEW_CERTIFICATE, access)
    certificate = certificate_of(access.assessment)
    if certificate is None:
        raise Http404("This assessment has no certificate")
    return access, certificate


@permission_required_or_403(VIEW_ASSESSMENTS)
def certificate(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access, found = _certificate(request, assessment_id)
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.VIEWED,
        target=access.assessment,
        summary="certificate",
    )
    return render(
        request,
        "assurance/certificate/certificate.html",
        {"access": access, "assessment": access.assessment, "certificate": found},
    )


@permission_required_or_403(VIEW_ASSESSMENTS)
def certificate_pdf(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access, found = _certificate(request, assessment_id)
    assessment = access.assessment
    body = render_to_string(
        "assurance/certificate/_certificate.html", {"certificate": found, "for_print": True}
    )
    pdf = pdf_render(
        body_html=body,
        marks=PageMarks(title=found.title, generated_at=timezone.now(), version=assessment.version),
    )
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        target=assessment,
        summary="certificate, PDF",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    as_attachment(response, export_filename(assessment, "certificate", "pdf"))
    return response
