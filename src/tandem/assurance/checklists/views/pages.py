"""What the checklist processes' pages share: opening an assessment of a process, its own page,
the audit event of reading it, and the form page's caption and confirmation steps.

Who may open the pages at all is the permission rules' decision (403); which assessment or
service, the checklist selectors' (404, so nothing is leaked); what they may do in one, the
rules again (403); whether the process allows it now, the services' (a refusal naming the field
and rule, shown on the form).
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from tandem.assurance.checklists import selectors
from tandem.assurance.checklists.selectors import ChecklistAccess
from tandem.assurance.forms import VersionForm
from tandem.assurance.labels import record_label
from tandem.assurance.models import Assessment, Process, RequirementRecord
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.organisations.models import Service
from tandem.web import form_page

FORM_TEMPLATE = "assurance/checklists/form.html"

_DETAIL_VIEWS = {
    Process.SAFEGUARDING_AUDIT_2008: "assurance:checklists:audit_detail",
    Process.WELSH_COMMISSIONING: "assurance:checklists:welsh_detail",
    Process.WEST_MIDLANDS_SELF_EVALUATION: "assurance:checklists:wm_detail",
    Process.SELF_ASSESSMENT: "assurance:checklists:sa_detail",
}


def checklist_detail_url(assessment: Assessment) -> str:
    """The page of an assessment of one of these processes."""
    return reverse(_DETAIL_VIEWS[Process(assessment.process)], args=[assessment.pk])


def checklist_access(request: HttpRequest, assessment_id: int, process: Process) -> ChecklistAccess:
    """The assessment of `process` as this person may see it; 404 when they may not open it."""
    return selectors.checklist_get_for_user(
        user=request.user, assessment_id=assessment_id, process=process
    )


def viewed(request: HttpRequest, assessment: Assessment) -> None:
    audit_event_record(
        actor=request.user, action=AuditEvent.Action.VIEWED, target=assessment, summary="page"
    )


def on_checklist(
    *,
    assessment: Assessment | None = None,
    service: Service | None = None,
    record: RequirementRecord | None = None,
) -> dict[str, Any]:
    """A checklist form page's template and caption: the service, and the requirement the form is
    about (`FORM_TEMPLATE` names the service in the title only when there is one)."""
    return {
        "template": FORM_TEMPLATE,
        "service": service or (assessment.service if assessment else None),
        "record_label": record_label(record) if record else "",
    }


def confirm_page(
    request: HttpRequest,
    *,
    assessment: Assessment,
    act: Callable[[VersionForm], object],
    heading: str,
    button: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    """A step that is only a button: the form holds just the version the page was read at."""
    form = VersionForm(request.POST or None, version=assessment.version)
    back = checklist_detail_url(assessment)
    return form_page(
        request,
        form=form,
        act=lambda: act(form),
        done=done,
        success_url=back,
        back=back,
        heading=heading,
        button=button,
        intro=intro,
        **on_checklist(assessment=assessment),
    )
