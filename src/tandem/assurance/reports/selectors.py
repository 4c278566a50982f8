"""Which reports someone may read of an assessment, and the versions generated.

Which assessments someone may open is decided per process, in one place (`report_access_get`):
Respect accreditation by `respect.selectors.assessment_get_for_user`, the others by
`checklists.selectors.checklist_get_for_user`. Whether they may read a kind of report is its
`ReportDefinition.permission`, on the access they opened it with.
"""

from django.db.models import QuerySet
from django.http import Http404

from tandem.access.permissions import permitted
from tandem.access.roles import Person
from tandem.assurance.checklists import selectors as checklist_selectors
from tandem.assurance.checklists.selectors import ChecklistAccess
from tandem.assurance.models import Assessment, AssessmentReport, Process, ReportKind
from tandem.assurance.reports.definitions import REPORTS, ReportDefinition
from tandem.assurance.respect import selectors as respect_selectors
from tandem.assurance.respect.selectors import AssessmentAccess

# Who someone is in an assessment they opened: its process's selector says.
ReportAccess = AssessmentAccess | ChecklistAccess


def report_access_get(*, user: Person, assessment_id: int) -> ReportAccess:
    """The assessment, opened by its own process's selector (404 when this person may not open
    it): the checklist processes are not Respect accreditation's to open."""
    process = Assessment.objects.filter(pk=assessment_id).values_list("process", flat=True).first()
    if process in checklist_selectors.CHECKLIST_PROCESSES:
        return checklist_selectors.checklist_get_for_user(
            user=user, assessment_id=assessment_id, process=Process(process)
        )
    return respect_selectors.assessment_get_for_user(user=user, assessment_id=assessment_id)


def report_definitions_for(*, user: Person, access: ReportAccess) -> list[ReportDefinition]:
    """The kinds of report this person may read of this assessment."""
    return [
        definition
        for definition in REPORTS.values()
        if definition.applies_to(access.assessment)
        and permitted(user, definition.permission, access)
    ]


def report_definition_get(*, access: ReportAccess, kind: str) -> ReportDefinition:
    """The kind of report, if there is one for this assessment's process; 404 otherwise. Whether
    the person may read it is `ReportDefinition.permission`'s."""
    definition = REPORTS.get(ReportKind(kind)) if kind in ReportKind.values else None
    if definition is None or not definition.applies_to(access.assessment):
        raise Http404("No such report for this assessment")
    return definition


def reports_of(*, access: ReportAccess, kind: ReportKind) -> QuerySet[AssessmentReport]:
    """The versions generated of one kind, newest first, without their bodies."""
    return (
        AssessmentReport.objects.filter(assessment=access.assessment, kind=kind)
        .select_related("generated_by")
        .defer("html", "pdf")
        .order_by("-version")
    )


def report_get(*, access: ReportAccess, kind: ReportKind, version: int) -> AssessmentReport:
    report = AssessmentReport.objects.filter(
        assessment=access.assessment, kind=kind, version=version
    ).first()
    if report is None:
        raise Http404("No such version of this report")
    return report
