"""Workforce pages: the staff list and compliance matrix of a service, a worker's page, and the
forms that add each record.

Which records someone can open is the selectors' decision (404 outside their reach); what they
may do with one is the permission rules' (403); whether the standards allow it is the services'
(a refusal naming the rule, shown on the form).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.lib.people import person_name
from tandem.organisations.models import Service
from tandem.organisations.selectors import current_memberships
from tandem.web import acting_user, form_action_succeeded, form_page, posted
from tandem.workforce import deadlines, selectors
from tandem.workforce.forms import (
    CheckForm,
    DisclosureForm,
    MentoringEndForm,
    MentoringForm,
    SupervisionForm,
    TrainingForm,
    WorkerEditForm,
    WorkerNewForm,
)
from tandem.workforce.matrix import REQUIREMENTS, compliance_matrix
from tandem.workforce.models import (
    Worker,
)
from tandem.workforce.rules import (
    MANAGE_WORKER,
    MANAGE_WORKFORCE,
    RECORD_SUPERVISION,
    VIEW_DISCLOSURES,
    VIEW_STAFF,
    VIEW_SUPERVISION_CONTENT,
    VIEW_WORKER,
)
from tandem.workforce.services import (
    WORKER_FIELDS,
    criminal_record_check_record,
    disclosure_record,
    mentoring_end,
    mentoring_start,
    supervision_record,
    training_record,
    worker_create,
    worker_update,
)


def _worker_allowed(request: HttpRequest, worker_id: int, permission: str) -> Worker:
    """403 for someone with no business in workforce pages at all; 404 for a worker outside
    their reach; 403 again if they may open the worker but not do this."""
    require_permission(request.user, VIEW_STAFF)
    worker = selectors.worker_get_for_user(user=request.user, worker_id=worker_id)
    require_permission(request.user, permission, worker)
    return worker


@permission_required_or_403(VIEW_STAFF)
def index(request: HttpRequest) -> HttpResponse:
    """The services whose staff this person manages, and their own worker records."""
    services = selectors.managed_services(user=request.user).select_related("organisation")
    own = selectors.own_worker_records(user=request.user)
    return render(request, "workforce/index.html", {"services": services, "own": own})


@permission_required_or_403(MANAGE_WORKFORCE)
def staff_list(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    workers = list(selectors.service_workers(service=service))
    rows = compliance_matrix(service=service, workers=workers, on=timezone.localdate())
    return render(
        request,
        "workforce/staff_list.html",
        {
            "service": service,
            "rows": rows,
            "without_record": selectors.staff_without_worker_record(service=service),
        },
    )


@permission_required_or_403(MANAGE_WORKFORCE)
def matrix(request: HttpRequest, service_id: int) -> HttpResponse:
    """The staff compliance matrix: people by requirements, green, amber or red."""
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    workers = list(selectors.service_workers(service=service))
    rows = compliance_matrix(service=service, workers=workers, on=timezone.localdate())
    return render(
        request,
        "workforce/matrix.html",
        {"service": service, "rows": rows, "requirements": REQUIREMENTS},
    )


@permission_required_or_403(MANAGE_WORKFORCE)
def worker_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    form = WorkerNewForm(
        posted(request), people=selectors.staff_without_worker_record(service=service)
    )

    def act() -> Worker:
        data = form.cleaned_data
        return worker_create(
            actor=acting_user(request),
            organisation=service.organisation,
            today=timezone.localdate(),
            user=data["user"],
            **{name: data[name] for name in WORKER_FIELDS},
        )

    back = reverse("workforce:staff_list", args=[service.pk])
    return form_page(
        request,
        form=form,
        act=act,
        heading="Add a worker record",
        caption=service.name,
        button="Save the worker record",
        done="Worker record saved",
        success_url=back,
        back=back,
        intro="Staff, sessional workers and volunteers of the service without a worker record "
        "are listed. Their side of the information barrier is set on the service's staff list.",
    )


def worker_detail(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _worker_allowed(request, worker_id, VIEW_WORKER)
    return _worker_page(request, worker)


def _worker_page(
    request: HttpRequest, worker: Worker, *, end_form: MentoringEndForm | None = None
) -> HttpResponse:
    """The worker's page; with a refused or mistyped end of mentoring in the error summary when
    `end_form` has errors."""
    today = timezone.localdate()
    memberships = list(
        current_memberships(user=worker.user)
        .filter(service__organisation_id=worker.organisation_id)
        .select_related("service")
    )
    service: Service | None = memberships[0].service if memberships else None
    row = compliance_matrix(service=service, workers=[worker], on=today)[0] if service else None
    checks = [
        (check, deadlines.criminal_record_check_renewal_due(issued_on=check.issued_on))
        for check in selectors.criminal_record_checks_of(worker=worker)
    ]
    first, last = deadlines.cpd_window(on=today)
    training = list(selectors.training_records_of(worker=worker))
    cpd_hours = sum((t.hours for t in training if first <= t.completed_on <= last), start=0)
    supervisions = [
        (supervision, request.user.has_perm(VIEW_SUPERVISION_CONTENT, supervision))
        for supervision in selectors.supervisions_for_worker(worker=worker)
    ]
    may_see_disclosures = request.user.has_perm(VIEW_DISCLOSURES, worker)
    disclosures = list(selectors.disclosures_of(worker=worker)) if may_see_disclosures else []
    return render(
        request,
        "workforce/worker_detail.html",
        {
            "worker": worker,
            "memberships": memberships,
            "row": row,
            "checks": checks,
            "training": training,
            "cpd_hours": cpd_hours,
            "cpd_target": deadlines.CPD_HOURS_PER_YEAR,
            "supervisions": supervisions,
            "mentorings": selectors.mentoring_progress_of(worker=worker, on=today),
            "end_form": end_form or MentoringEndForm(initial={"ended_on": today}),
            "refused": end_form if end_form is not None and end_form.errors else None,
            "may_manage": request.user.has_perm(MANAGE_WORKER, worker),
            "may_record_supervision": request.user.has_perm(RECORD_SUPERVISION, worker),
            "may_see_disclosures": may_see_disclosures,
            "disclosures": disclosures,
            "case_manager_experienced": deadlines.has_case_manager_experience(
                relevant_experience_since=worker.relevant_experience_since, on=today
            ),
        },
    )


def _back(worker: Worker) -> str:
    return reverse("workforce:worker_detail", args=[worker.pk])


def worker_edit(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _worker_allowed(request, worker_id, MANAGE_WORKER)
    initial = {name: getattr(worker, name) for name in WORKER_FIELDS}
    form = WorkerEditForm(posted(request), initial={**initial, "expected_version": worker.version})

    def act() -> Worker:
        data = form.cleaned_data
        return worker_update(
            worker=worker,
            actor=acting_user(request),
            expected_version=data["expected_version"],
            today=timezone.localdate(),
            **{name: data[name] for name in WORKER_FIELDS},
        )

    back = _back(worker)
    return form_page(
        request,
        form=form,
        act=act,
        heading="Change the worker record",
        caption=person_name(worker.user),
        button="Save the changes",
        done="Worker record changed",
        success_url=back,
        back=back,
    )


def check_new(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _worker_allowed(request, worker_id, MANAGE_WORKER)
    form = CheckForm(posted(request))
    back = _back(worker)
    return form_page(
        request,
        form=form,
        act=lambda: criminal_record_check_record(
            actor=acting_user(request),
            worker=worker,
            today=timezone.localdate(),
            **form.cleaned_data,
        ),
        heading="Record a criminal record check",
        caption=person_name(worker.user),
        button="Save the check",
        done="Criminal record check recorded",
        success_url=back,
        back=back,
        intro="A check of the body for the service's jurisdiction (DBS in England and Wales, "
        "Disclosure Scotland, AccessNI in Northern Ireland) is renewed every 3 years; without a "
        "current one a worker cannot be allocated cases or sessions (rule dbs). The certificate "
        "number is stored encrypted.",
    )


def training_new(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _worker_allowed(request, worker_id, MANAGE_WORKER)
    form = TrainingForm(posted(request))
    back = _back(worker)
    return form_page(
        request,
        form=form,
        act=lambda: training_record(
            actor=acting_user(request),
            worker=worker,
            today=timezone.localdate(),
            **form.cleaned_data,
        ),
        heading="Record training or development",
        caption=person_name(worker.user),
        button="Save the training",
        done="Training recorded",
        success_url=back,
        back=back,
        intro="Safeguarding, EDI, risk assessment and management, and data protection are "
        "refreshed every 3 years (rule mandatory-training); every worker needs 20 hours of "
        "development a year (rule cpd).",
    )


def _supervisors(worker: Worker) -> Any:
    return selectors.organisation_staff(organisation_id=worker.organisation_id).exclude(
        pk=worker.user_id
    )


def supervision_new(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _worker_allowed(request, worker_id, RECORD_SUPERVISION)
    form = SupervisionForm(
        posted(request),
        supervisors=_supervisors(worker),
        initial={"supervisor": request.user.pk},
    )
    may_view = request.user.has_perm(VIEW_WORKER, worker)
    back = _back(worker) if may_view else reverse("workforce:index")
    return form_page(
        request,
        form=form,
        act=lambda: supervision_record(
            actor=acting_user(request),
            supervisee=worker,
            today=timezone.localdate(),
            **form.cleaned_data,
        ),
        heading="Record supervision",
        caption=person_name(worker.user),
        button="Save the supervision",
        done="Supervision recorded",
        success_url=back,
        back=back,
        intro="Clinical supervision at most 6 weeks apart and 1.5 hours a month, separate from "
        "line management (rule clinical-supervision); line management minutes competency and "
        "training needs (rule line-management). What was said is seen only by the supervisee, "
        "the supervisor and the service manager.",
    )


def disclosure_new(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _worker_allowed(request, worker_id, VIEW_DISCLOSURES)
    form = DisclosureForm(posted(request))
    back = _back(worker)
    return form_page(
        request,
        form=form,
        act=lambda: disclosure_record(
            actor=acting_user(request),
            worker=worker,
            today=timezone.localdate(),
            **form.cleaned_data,
        ),
        heading="Record a disclosure of personal experience of domestic abuse",
        caption=person_name(worker.user),
        button="Save the disclosure",
        done="Disclosure recorded (restricted)",
        success_url=back,
        back=back,
        intro="Restricted: seen only by the service manager and HR.",
    )


def mentoring_new(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _worker_allowed(request, worker_id, MANAGE_WORKER)
    form = MentoringForm(posted(request), mentors=_supervisors(worker))
    back = _back(worker)
    return form_page(
        request,
        form=form,
        act=lambda: mentoring_start(
            actor=acting_user(request),
            mentee=worker,
            today=timezone.localdate(),
            **form.cleaned_data,
        ),
        heading="Record a mentor",
        caption=person_name(worker.user),
        button="Save the mentoring",
        done="Mentoring recorded",
        success_url=back,
        back=back,
        intro="A new group worker co-works with an experienced worker for at least 6 months or "
        "26 sessions (rule mentoring).",
    )


@require_POST
def mentoring_end_view(request: HttpRequest, worker_id: int, mentoring_id: int) -> HttpResponse:
    """End a mentoring (rule mentoring: at least 6 months or 26 co-worked sessions); a refusal
    is shown on the worker's page, naming the rule."""
    worker = _worker_allowed(request, worker_id, MANAGE_WORKER)
    mentoring = selectors.mentoring_get_for_worker(worker=worker, mentoring_id=mentoring_id)
    form = MentoringEndForm(request.POST)
    if form_action_succeeded(
        request,
        form=form,
        act=lambda: mentoring_end(
            actor=acting_user(request),
            mentoring=mentoring,
            ended_on=form.cleaned_data["ended_on"],
            today=timezone.localdate(),
        ),
        done="Mentoring ended",
    ):
        return redirect(_back(worker))
    return _worker_page(request, worker, end_form=form)
