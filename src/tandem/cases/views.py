"""Pages for perpetrator cases: the list, recording a referral, the case page and each transition.

Which cases someone can open is the selectors' decision (404 outside their services); what they
may do with a case they can open is the permission rules' (403); whether the standards allow it
is the services' (a refusal naming the rule, shown on the form).
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.cases import gates, selectors
from tandem.cases.forms import (
    AllocationForm,
    AssessmentForm,
    CaseActionForm,
    CaseReviewMeetingForm,
    ChildEditForm,
    ChildForm,
    CloseForm,
    ConsentForm,
    ContactNoteForm,
    EngagementChangeForm,
    ExchangeForm,
    ExternalReportForm,
    FileAuditForm,
    MeetingDateForm,
    ReexaminationForm,
    ReferralForm,
    ReviewEntryFormSet,
    RiskAssessmentForm,
    RiskConcernForm,
    ScreeningForm,
    SuspensionProposalForm,
    refusal_summary,
)
from tandem.cases.models import PerpetratorCase, Stage, SuspensionProposal
from tandem.cases.rules import (
    CHANGE_CASE,
    EXPORT_SUBJECT_ACCESS,
    MANAGE_CASE_REVIEWS,
    RECORD_ENGAGEMENT_CHANGE,
    RECORD_REFERRAL,
    RECORD_SUSPENSION_ISS_STEPS,
    SIGN_OFF,
    VIEW_CASE_LIST,
)
from tandem.cases.services.children import child_add, child_update, children_reexamination_trigger
from tandem.cases.services.engagement import engagement_change_record, engagement_changes_allowed
from tandem.cases.services.intake import perpetrator_referral_receive
from tandem.cases.services.lifecycle import (
    perpetrator_case_allocate,
    perpetrator_case_assess,
    perpetrator_case_close,
    perpetrator_case_record_consent,
    perpetrator_case_screen,
    perpetrator_case_start_intervention,
)
from tandem.cases.services.records import (
    contact_note_record,
    risk_assessment_record,
    risk_concern_raise,
)
from tandem.cases.services.reports import (
    external_report_draft,
    external_report_release,
    external_report_sign_off,
)
from tandem.cases.services.reviews import (
    case_review_meeting_record,
    file_audit_record,
    risk_engagement_exchange_record,
)
from tandem.cases.services.suspension import (
    perpetrator_case_reengage,
    suspension_propose,
    suspension_record_iss_consultation,
    suspension_record_survivors_informed,
    suspension_sign_off,
)
from tandem.cases.subject_access import Export, subject_access_export, subject_access_sections
from tandem.compliance import deadlines
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service
from tandem.organisations.selectors import perpetrator_side_services
from tandem.support.barrier import released_risk_notes_for_user, survivor_contact_statuses
from tandem.web import add_refusal_to_form, form_action_succeeded

CASES_PAGE_SIZE = 25


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
    if request.method == "POST" and form.is_valid():
        try:
            case = perpetrator_referral_receive(
                service=form.cleaned_data["service"],
                actor=request.user,  # type: ignore[arg-type]
                details=form.referral_details(),
            )
        except ActionRefused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, f"Referral recorded as case {case.reference}")
            return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/referral_form.html", {"form": form})


def _case_page(
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
    return _case_page(request, case)


def _case_to_change(request: HttpRequest, reference: str, permission: str) -> PerpetratorCase:
    """404 for a case the person cannot see; 403 for one they can see but not change."""
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    if not request.user.has_perm(permission, case):
        raise PermissionDenied(permission)
    return case


def _form_page(
    request: HttpRequest,
    *,
    case: PerpetratorCase,
    form: CaseActionForm,
    act: Callable[[int], object],
    heading: str,
    button: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    """Show the form; on a valid POST call the service with the version the form was read at."""
    if form_action_succeeded(
        request, form=form, act=lambda: act(form.cleaned_data["expected_version"]), done=done
    ):
        return redirect("cases:case_detail", reference=case.reference)
    return render(
        request,
        "cases/case_form.html",
        {"case": case, "form": form, "heading": heading, "button": button, "intro": intro},
    )


def case_screen(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = ScreeningForm(request.POST or None, case=case)
    return _form_page(
        request,
        case=case,
        form=form,
        act=lambda version: perpetrator_case_screen(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=version,
            screening=form.screening_details(),
        ),
        heading="Screening",
        button="Record screening",
        done="Screening recorded",
        intro="Routine enquiry about criminal justice, family proceedings, substance use, mental "
        "health and social services, and the barriers he faces.",
    )


def case_assess(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = AssessmentForm(request.POST or None, case=case)
    return _form_page(
        request,
        case=case,
        form=form,
        act=lambda version: perpetrator_case_assess(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=version,
            assessment=form.assessment_details(),
        ),
        heading="Assessment and decision",
        button="Record the assessment",
        done="Assessment recorded: telling him (if safe), the survivors and the referrer is due "
        "within 1 working day",
    )


def case_consent(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = ConsentForm(request.POST or None, case=case)
    return _form_page(
        request,
        case=case,
        form=form,
        act=lambda version: perpetrator_case_record_consent(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=version,
            consent=form.consent_details(),
        ),
        heading="Confidentiality and information-sharing agreement",
        button="Record consent",
        done="Consent recorded",
    )


def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = CloseForm(request.POST or None, case=case)
    return _form_page(
        request,
        case=case,
        form=form,
        act=lambda version: perpetrator_case_close(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=version,
            reason=form.cleaned_data["reason"],
            detail=form.cleaned_data["detail"],
        ),
        heading="Close the case",
        button="Close the case",
        done="Case closed: the survivors' ISS support goes on",
        intro="The survivors' ISS cases stay open: closing his case does not end their support.",
    )


def case_suspension_propose(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = SuspensionProposalForm(request.POST or None, case=case)
    return _form_page(
        request,
        case=case,
        form=form,
        act=lambda version: suspension_propose(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=version,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
        ),
        heading="Propose a suspension or removal",
        button="Propose",
        done="Proposed: tell the ISS within 24 hours. It takes effect only once the ISS has been "
        "consulted, the survivors told first and a senior manager signs it off.",
        intro="Nothing changes for him yet. The ISS must be consulted and the survivors told "
        "first, so they can be safety-planned, and then a senior manager signs it off.",
    )


def case_engagement_change_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, RECORD_ENGAGEMENT_CHANGE)
    form = EngagementChangeForm(request.POST or None, case=case)
    return _form_page(
        request,
        case=case,
        form=form,
        act=lambda version: engagement_change_record(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=version,
            change=form.cleaned_data["change"],
            detail=form.cleaned_data["detail"],
        ),
        heading="Record a change in his engagement",
        button="Record the change",
        done="Engagement change recorded: tell the ISS within 24 hours; each survivor is to be "
        "told within 3 working days",
        intro="A missed session, lost contact, a suspension being considered or his being "
        "assessed as unsuitable is told to the ISS within 24 hours, and to each survivor within 3 "
        "working days, sooner if there is heightened concern for her safety (rule "
        "engagement-change). Record completing or dropping out by closing the case.",
    )


def _subject_access(
    request: HttpRequest, reference: str, *, form: str
) -> tuple[PerpetratorCase, Export]:
    """404 for a case the person cannot see; 403 unless they may produce his data. Each
    production is recorded in the audit trail as an export."""
    case = _case_to_change(request, reference, EXPORT_SUBJECT_ACCESS)
    export = subject_access_export(case=case, now=timezone.now())
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED,
        target=case,
        summary=f"subject access: the data held about him, {form}",
    )
    return case, export


def case_subject_access(request: HttpRequest, reference: str) -> HttpResponse:
    """NE 5.2: the data held about him, printable, built only from `subject_access_export`."""
    case, export = _subject_access(request, reference, form="printable page")
    return render(
        request,
        "cases/subject_access.html",
        {"case": case, "sections": subject_access_sections(export)},
    )


def case_subject_access_json(request: HttpRequest, reference: str) -> HttpResponse:
    """NE 5.2: the same data as a JSON download."""
    case, export = _subject_access(request, reference, form="JSON download")
    response = JsonResponse(export, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="{case.reference}-data-held-about-you.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _post_action(
    request: HttpRequest, case: PerpetratorCase, act: Callable[[], object], done: str
) -> HttpResponse:
    """A one-button action: back to the case page, with the refusal there if it is refused."""
    try:
        act()
    except ActionRefused as refusal:
        return _case_page(request, case, refused=refusal_summary(refusal))
    messages.success(request, done)
    return redirect("cases:case_detail", reference=case.reference)


def _posted_version(request: HttpRequest, case: PerpetratorCase) -> int:
    form = CaseActionForm(request.POST, case=case)
    # A missing or mangled version is treated as stale, so the service asks for a reload.
    return form.cleaned_data["expected_version"] if form.is_valid() else 0


@require_POST
def case_start(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    return _post_action(
        request,
        case,
        lambda: perpetrator_case_start_intervention(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=_posted_version(request, case),
        ),
        "Intervention started",
    )


@require_POST
def case_reengage(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    return _post_action(
        request,
        case,
        lambda: perpetrator_case_reengage(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=_posted_version(request, case),
        ),
        "He is back in the intervention",
    )


def _no_proposal(case: PerpetratorCase) -> ActionRefused:
    return ActionRefused(
        f"no suspension or removal of {case.reference} is awaiting sign-off",
        rule_id="suspend-remove",
    )


def _on_proposal(
    case: PerpetratorCase, act: Callable[[SuspensionProposal], object]
) -> Callable[[], object]:
    """The action on the proposal awaiting sign-off, refused if there is none."""

    def run() -> object:
        proposal = gates.suspension_awaiting_sign_off(case=case)
        if proposal is None:
            raise _no_proposal(case)
        return act(proposal)

    return run


@require_POST
def case_suspension_iss_consulted(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, RECORD_SUSPENSION_ISS_STEPS)
    return _post_action(
        request,
        case,
        _on_proposal(
            case,
            lambda proposal: suspension_record_iss_consultation(
                proposal=proposal,
                actor=request.user,  # type: ignore[arg-type]
            ),
        ),
        "ISS consultation recorded",
    )


@require_POST
def case_suspension_survivors_informed(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, RECORD_SUSPENSION_ISS_STEPS)
    return _post_action(
        request,
        case,
        _on_proposal(
            case,
            lambda proposal: suspension_record_survivors_informed(
                proposal=proposal,
                actor=request.user,  # type: ignore[arg-type]
            ),
        ),
        "Recorded that the survivors were told first",
    )


def case_suspension_sign_off(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, SIGN_OFF)
    proposal = gates.suspension_awaiting_sign_off(case=case)
    refused = None
    if request.method == "POST":
        try:
            if proposal is None:
                raise _no_proposal(case)
            suspension_sign_off(proposal=proposal, actor=request.user)  # type: ignore[arg-type]
        except ActionRefused as refusal:
            refused = refusal_summary(refusal)
        else:
            messages.success(request, f"{proposal.get_kind_display()} signed off")
            return redirect("cases:case_detail", reference=case.reference)
    return render(
        request,
        "cases/suspension_sign_off.html",
        {
            "case": case,
            "proposal": proposal,
            "missing": gates.gate_suspension_sign_off(proposal=proposal) if proposal else [],
            "form": refused,
        },
    )


# Case records


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (which must show every required field's
    error, not a fresh form)."""
    return request.POST if request.method == "POST" else None


def _add_refusal(form: Form, refusal: ActionRefused) -> None:
    add_refusal = getattr(form, "add_refusal", None)
    if add_refusal is not None:
        add_refusal(refusal)
    else:
        add_refusal_to_form(form, refusal)


def _record_page(
    request: HttpRequest,
    *,
    case: PerpetratorCase,
    form: Form,
    act: Callable[[], object],
    heading: str,
    button: str,
    done: str,
    intro: str = "",
    template: str = "cases/case_form.html",
) -> HttpResponse:
    """Show the form; on a valid POST call the service, then go back to the case page."""
    if request.method == "POST" and form.is_valid():
        try:
            act()
        except ActionRefused as refusal:
            _add_refusal(form, refusal)
        else:
            messages.success(request, done)
            return redirect("cases:case_detail", reference=case.reference)
    return render(
        request,
        template,
        {"case": case, "form": form, "heading": heading, "button": button, "intro": intro},
    )


def case_risk_concern_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = RiskConcernForm(_posted(request))
    return _record_page(
        request,
        case=case,
        form=form,
        act=lambda: risk_concern_raise(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            concern=form.cleaned_data["concern"],
            imminent=form.cleaned_data["imminent"],
        ),
        heading="Share a risk concern with the ISS",
        button="Share the concern",
        done="Risk concern shared: each survivor's ISS worker has it on their work list",
        intro="A specific risk concern is shared with the ISS within 24 hours, and at once when "
        "the risk is imminent (rule concern-24h). Out of hours, also follow the on-call process.",
    )


def case_note_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = ContactNoteForm(_posted(request))
    return _record_page(
        request,
        case=case,
        form=form,
        act=lambda: contact_note_record(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            occurred_at=form.cleaned_data["occurred_at"],
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        ),
        heading="Record a contact",
        button="Record the contact",
        done="Contact recorded",
        intro="Contacts with him and with professionals, supervision about his case, "
        "multi-agency work and risk or need reviews are recorded within 1 working day of "
        "happening (rule record-1wd). A later record is kept, and flagged as recorded late.",
    )


def case_risk_assessment_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = RiskAssessmentForm(_posted(request))
    return _record_page(
        request,
        case=case,
        form=form,
        act=lambda: risk_assessment_record(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            point=form.cleaned_data["point"],
            summary=form.cleaned_data["summary"],
            actions=form.planned_actions(),
            event_description=form.cleaned_data["event_description"],
            next_assessment_due_on=form.cleaned_data["next_assessment_due_on"],
            outcome_told_to_him=form.cleaned_data["outcome_told_to_him"] == "yes",
            his_comment=form.cleaned_data["his_comment"],
            outcome_not_told_reason=form.cleaned_data["outcome_not_told_reason"],
        ),
        heading="Record a risk assessment",
        button="Record the risk assessment",
        done="Risk assessment recorded: its actions are in his action plan",
        template="cases/risk_assessment_form.html",
    )


def case_child_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = ChildForm(_posted(request))
    return _record_page(
        request,
        case=case,
        form=form,
        act=lambda: child_add(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            child=form.child_details(),
            social_care=form.social_care(),
        ),
        heading="Add a child",
        button="Add the child",
        done="Child added",
        intro="Every child connected to him, with what children's social care knows: gather it "
        "from the agencies, not only from him (rule children-record).",
        template="cases/child_form.html",
    )


def case_child_edit(request: HttpRequest, reference: str, child_id: int) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    child = selectors.child_get(case=case, child_id=child_id)
    form = ChildEditForm(_posted(request), case=case, child=child)
    if request.method == "POST" and form.is_valid():
        try:
            child_update(
                child=child,
                actor=request.user,  # type: ignore[arg-type]
                expected_version=form.cleaned_data["expected_version"],
                details=form.child_details(),
                social_care=form.social_care(),
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, f"{child}'s details saved")
            return redirect("cases:case_detail", reference=case.reference)
    return render(
        request,
        "cases/child_form.html",
        {"case": case, "form": form, "heading": f"Change {child}'s details", "button": "Save"},
    )


def case_children_reexamine(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = ReexaminationForm(_posted(request))
    return _record_page(
        request,
        case=case,
        form=form,
        act=lambda: children_reexamination_trigger(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            trigger=form.cleaned_data["trigger"],
            details=form.cleaned_data["details"],
        ),
        heading="The children's needs need re-examining",
        button="Record it",
        done="Recorded: re-examining the children's needs is due by the next case management "
        "review",
        intro="A new incident, a pregnancy, a birth or a new child in his household means the "
        "children's needs are re-examined through the case management process (rule "
        "child-retrigger).",
    )


def case_allocate(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = AllocationForm(
        _posted(request),
        case=case,
        workers=selectors.perpetrator_workers_of(service=case.service),
    )
    return _form_page(
        request,
        case=case,
        form=form,
        act=lambda version: perpetrator_case_allocate(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=version,
            worker=form.cleaned_data["worker"],
        ),
        heading="Allocate his worker",
        button="Allocate",
        done="Worker allocated: the case's open tasks are theirs now",
        intro="Only perpetrator workers of the service are listed: the intervention is never "
        "delivered by ISS staff (rule not-same-staff).",
    )


def case_report_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    form = ExternalReportForm(_posted(request))
    return _record_page(
        request,
        case=case,
        form=form,
        act=lambda: external_report_draft(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            sections=form.report_sections(),
        ),
        heading="Draft a report to children's social care or a court",
        button="Save the draft",
        done="Report drafted: a senior manager must sign it off before it is released",
        intro="Write to the template: every section is needed, including what can and cannot be "
        "concluded (rules external-report and limitations). It cannot be released until a "
        "senior manager signs it off.",
    )


def _report_page(
    request: HttpRequest,
    case: PerpetratorCase,
    report_id: int,
    *,
    refused: Form | None = None,
    signing_off: bool = False,
) -> HttpResponse:
    """A report is perpetrator-side work: shown to that side and to whoever may sign it off."""
    user = request.user
    can_change = user.has_perm(CHANGE_CASE, case)
    can_sign_off = user.has_perm(SIGN_OFF, case)
    if not (can_change or can_sign_off):
        raise PermissionDenied(CHANGE_CASE)
    report = selectors.external_report_get(case=case, report_id=report_id)
    audit_event_record(
        actor=user, action=AuditEvent.Action.VIEWED, target=report, summary="report page"
    )
    return render(
        request,
        "cases/report_detail.html",
        {
            "case": case,
            "report": report,
            "refused": refused,
            "signing_off": signing_off,
            "can_sign_off": can_sign_off and report.signed_off_at is None,
            "can_release": can_change
            and report.signed_off_at is not None
            and report.released_at is None,
        },
    )


def case_report_detail(request: HttpRequest, reference: str, report_id: int) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    return _report_page(request, case, report_id)


def case_report_sign_off(request: HttpRequest, reference: str, report_id: int) -> HttpResponse:
    case = _case_to_change(request, reference, SIGN_OFF)
    if request.method != "POST":
        return _report_page(request, case, report_id, signing_off=True)
    report = selectors.external_report_get(case=case, report_id=report_id)
    try:
        external_report_sign_off(report=report, actor=request.user)  # type: ignore[arg-type]
    except ActionRefused as refusal:
        return _report_page(
            request, case, report_id, refused=refusal_summary(refusal), signing_off=True
        )
    messages.success(request, f"Report to {report.recipient_name} signed off: it can be released")
    return redirect("cases:case_detail", reference=case.reference)


@require_POST
def case_report_release(request: HttpRequest, reference: str, report_id: int) -> HttpResponse:
    case = _case_to_change(request, reference, CHANGE_CASE)
    report = selectors.external_report_get(case=case, report_id=report_id)
    try:
        external_report_release(report=report, actor=request.user)  # type: ignore[arg-type]
    except ActionRefused as refusal:
        return _report_page(request, case, report_id, refused=refusal_summary(refusal))
    messages.success(request, f"Report released to {report.recipient_name}")
    return redirect("cases:case_detail", reference=case.reference)


# Case management reviews and case-file audits: the service's, not one case's.


def _service_to_manage(request: HttpRequest, service_id: int) -> Service:
    """404 for a service the person does no case work in; 403 unless they run its reviews."""
    service = selectors.service_get_for_user(user=request.user, service_id=service_id)
    if not request.user.has_perm(MANAGE_CASE_REVIEWS, service):
        raise PermissionDenied(MANAGE_CASE_REVIEWS)
    return service


def service_reviews(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service_to_manage(request, service_id)
    today = timezone.localdate()
    meetings = list(selectors.case_review_history(service=service))
    audits = list(selectors.file_audit_history(service=service))
    exchanges = list(selectors.exchange_history(service=service)[:12])
    exchange_due = deadlines.weekly_exchange_due(
        last_held_on=exchanges[0].held_on if exchanges else None, today=today
    )
    review_due = deadlines.case_review_due(
        last_held_on=meetings[0].held_on if meetings else None, today=today
    )
    audit_due = deadlines.file_audit_due(
        last_audited_on=audits[0].audited_on if audits else None, today=today
    )
    return render(
        request,
        "cases/service_reviews.html",
        {
            "service": service,
            "meetings": meetings,
            "audits": audits,
            "review_due": review_due,
            "review_overdue": review_due < today,
            "audit_due": audit_due,
            "audit_overdue": audit_due < today,
            "exchanges": exchanges,
            "exchange_due": exchange_due,
            "exchange_overdue": exchange_due < today,
        },
    )


def case_review_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service_to_manage(request, service_id)
    today = timezone.localdate()
    date_form = MeetingDateForm(
        request.GET if "held_on" in request.GET else None, initial={"held_on": today}
    )
    if date_form.is_bound and not date_form.is_valid():
        return render(
            request,
            "cases/case_review_form.html",
            {"service": service, "date_form": date_form, "error_forms": [date_form]},
        )
    held_on: date = date_form.cleaned_data["held_on"] if date_form.is_bound else today
    cases = list(selectors.open_cases_at(service=service, on=held_on))
    data = request.POST if request.method == "POST" else None
    meeting_form = CaseReviewMeetingForm(
        data, staff=selectors.case_review_staff_of(service=service, on=held_on)
    )
    entries = ReviewEntryFormSet(
        data,
        cases=cases,
        children_to_reexamine=selectors.cases_with_children_to_reexamine(service=service),
    )
    # Both validated, so every error on the page shows at once.
    valid = [meeting_form.is_valid(), entries.is_valid()] if data is not None else [False]
    if all(valid):
        try:
            case_review_meeting_record(
                service=service,
                actor=request.user,  # type: ignore[arg-type]
                held_on=held_on,
                chair=meeting_form.cleaned_data["chair"],
                attendees=list(meeting_form.cleaned_data["attendees"]),
                entries=entries.review_entries(),
                previous_actions_reviewed=meeting_form.cleaned_data["previous_actions_reviewed"],
            )
        except ActionRefused as refusal:
            add_refusal_to_form(meeting_form, refusal)
        else:
            messages.success(
                request, f"Case management review of {held_on.day} {held_on:%b %Y} recorded"
            )
            return redirect("cases:service_reviews", service_id=service.pk)
    return render(
        request,
        "cases/case_review_form.html",
        {
            "service": service,
            "date_form": date_form,
            "held_on": held_on,
            "form": meeting_form,
            "entries": entries,
            "error_forms": [form for form in (meeting_form, *entries.forms) if form.errors],
            "non_form_errors": entries.non_form_errors() if data is not None else [],
            "previous": selectors.previous_case_review(service=service),
        },
    )


def exchange_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service_to_manage(request, service_id)
    today = timezone.localdate()
    form = ExchangeForm(
        _posted(request), staff=selectors.case_review_staff_of(service=service, on=today)
    )
    if request.method == "POST" and form.is_valid():
        try:
            risk_engagement_exchange_record(
                service=service,
                actor=request.user,  # type: ignore[arg-type]
                held_on=form.cleaned_data["held_on"],
                perpetrator_side_person=form.cleaned_data["perpetrator_side_person"],
                iss_side_person=form.cleaned_data["iss_side_person"],
                summary=form.cleaned_data["summary"],
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, "Weekly risk and engagement exchange recorded")
            return redirect("cases:service_reviews", service_id=service.pk)
    return render(request, "cases/exchange_form.html", {"service": service, "form": form})


def file_audit_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _service_to_manage(request, service_id)
    form = FileAuditForm(
        _posted(request),
        candidates=selectors.file_audit_candidates(service=service, today=timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            file_audit_record(
                service=service,
                actor=request.user,  # type: ignore[arg-type]
                audited_on=form.cleaned_data["audited_on"],
                sample=list(form.cleaned_data["sample"]),
                findings=form.cleaned_data["findings"],
                feedback=form.cleaned_data["feedback"],
            )
        except ActionRefused as refusal:
            add_refusal_to_form(form, refusal)
        else:
            messages.success(request, "Case-file audit recorded")
            return redirect("cases:service_reviews", service_id=service.pk)
    return render(request, "cases/file_audit_form.html", {"service": service, "form": form})
