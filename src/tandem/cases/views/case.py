"""The perpetrator cases list, recording a referral, and the case page with its one-button
actions."""

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tandem.access.permissions import permission_required_or_403
from tandem.audit.models import AuditEvent
from tandem.audit.reads import audit_page_read
from tandem.audit.services import audit_event_record
from tandem.cases import gates, selectors
from tandem.cases.forms.intake import ReferralForm
from tandem.cases.forms.lifecycle import CaseActionForm
from tandem.cases.models import PerpetratorCase, Stage
from tandem.cases.rules import (
    CHANGE_CASE,
    EXPORT_SUBJECT_ACCESS,
    RECORD_ENGAGEMENT_CHANGE,
    RECORD_REFERRAL,
    RECORD_SUSPENSION_ISS_STEPS,
    SIGN_OFF,
    VIEW_CASE_LIST,
)
from tandem.cases.services.engagement import engagement_changes_allowed
from tandem.cases.services.intake import perpetrator_referral_receive
from tandem.organisations.selectors import perpetrator_side_services
from tandem.support.barrier import released_risk_notes_for_user, survivor_contact_statuses
from tandem.web import acting_user, button_action, form_page, refusal_summary

CASES_PAGE_SIZE = 25


def case_url(case: PerpetratorCase) -> str:
    return reverse("cases:case_detail", kwargs={"reference": case.reference})


@permission_required_or_403(VIEW_CASE_LIST)
def case_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    if query:
        cases = selectors.perpetrator_case_search_for_user(user=request.user, query=query)
    else:
        cases = selectors.perpetrator_case_list_for_user(user=request.user)
    page = Paginator(cases.order_by("-referral_received_at", "-pk"), CASES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit_page_read(request, records=page, model=PerpetratorCase, summary="case list page")
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "query": query,
            "can_record_referral": request.user.has_perm(RECORD_REFERRAL),
            "review_services": selectors.case_review_services_for_user(user=request.user),
        },
    )


@permission_required_or_403(RECORD_REFERRAL)
def referral_new(request: HttpRequest) -> HttpResponse:
    form = ReferralForm(request.POST or None, services=perpetrator_side_services(user=request.user))
    return form_page(
        request,
        form=form,
        act=lambda: perpetrator_referral_receive(
            service=form.cleaned_data["service"],
            actor=acting_user(request),
            details=form.referral_details(),
        ),
        done=lambda case: f"Referral recorded as case {case.reference}",
        success_url=case_url,
        template="cases/referral_form.html",
    )


def case_page(
    request: HttpRequest, case: PerpetratorCase, *, refused: Form | None = None
) -> HttpResponse:
    """The case page, with a refused action's reason in the error summary when there is one."""
    audit_event_record(
        actor=request.user, action=AuditEvent.Action.VIEWED, target=case, summary="case page"
    )
    user = request.user
    can_change = user.has_perm(CHANGE_CASE, case)
    proposal = gates.suspension_awaiting_sign_off(case=case)
    stage = Stage(case.stage)
    can_sign_off_reports = user.has_perm(SIGN_OFF, case)
    context: dict[str, Any] = {
        "case": case,
        "refused": refused,
        "action_form": CaseActionForm(case=case),
        "can_change": can_change,
        "can_screen": can_change and stage == Stage.REFERRED,
        "can_assess": can_change and stage == Stage.SCREENED,
        "can_record_consent": can_change and stage in (Stage.SCREENED, Stage.ASSESSED),
        "can_start": can_change and stage == Stage.ASSESSED,
        "can_close": can_change and stage != Stage.CLOSED,
        "can_propose_suspension": can_change
        and stage == Stage.IN_INTERVENTION
        and proposal is None,
        "can_reengage": can_change and stage == Stage.SUSPENDED,
        "can_record_iss_steps": user.has_perm(RECORD_SUSPENSION_ISS_STEPS, case),
        "can_record_engagement_change": user.has_perm(RECORD_ENGAGEMENT_CHANGE, case)
        and bool(engagement_changes_allowed(stage=stage)),
        "can_export_subject_access": user.has_perm(EXPORT_SUBJECT_ACCESS, case),
        "engagement_changes": case.engagement_changes.select_related("recorded_by"),
        "can_sign_off": proposal is not None and user.has_perm(SIGN_OFF, case),
        "proposal": proposal,
        "start_refusals": (
            gates.intervention_start_refusals(case=case) if stage == Stage.ASSESSED else []
        ),
        "acceptance_not_met": gates.acceptance_not_met(case=case),
        "risk_concerns": case.risk_concerns.select_related("raised_by"),
        "survivors": survivor_contact_statuses(case=case),
        "risk_notes": released_risk_notes_for_user(user=user, case=case),
        "children": case.children.all(),
        "can_record": can_change,
        "can_reexamine_children": can_change and stage != Stage.CLOSED,
        "can_allocate": can_change and stage != Stage.CLOSED,
        # Risk is shared with the ISS (rule risk-points); notes and reports are perpetrator-side
        # work, shown to that side and to a senior manager who signs reports off.
        "risk_assessments": selectors.risk_assessments_of(case=case),
        "action_plan": selectors.action_plan_of(case=case),
        "notes": selectors.contact_notes_of(case=case) if can_change else [],
        "show_reports": can_change or can_sign_off_reports,
        "reports": (
            selectors.external_reports_of(case=case) if can_change or can_sign_off_reports else []
        ),
        "transitions": case.transitions.select_related("actor"),
        "duplicates": case.possible_duplicate_of.all(),
        # The ISS side sees the case's risk-relevant record, not the perpetrator side's work.
        "tasks": (selectors.open_perpetrator_side_tasks_of(case=case) if can_change else []),
    }
    return render(request, "cases/case_detail.html", context)


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    return case_page(request, case)


def case_button_action(
    request: HttpRequest, case: PerpetratorCase, act: Callable[[], object], done: str
) -> HttpResponse:
    """A one-button action: back to the case page, with the refusal there if it is refused."""
    return button_action(
        request,
        act=act,
        done=done,
        success_url=case_url(case),
        refused=lambda refusal: case_page(request, case, refused=refusal_summary(refusal)),
    )


def posted_version(request: HttpRequest, case: PerpetratorCase) -> int:
    """The case version a one-button action was read at."""
    form = CaseActionForm(request.POST, case=case)
    # A missing or mangled version is treated as stale, so the service asks for a reload.
    return form.cleaned_data["expected_version"] if form.is_valid() else 0
