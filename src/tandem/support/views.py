"""Pages of the Integrated Support Service: the ISS cases list and a survivor's case page.

Only the ISS side of her service ever reaches these: the selectors 404 for anyone else, so the
perpetrator side cannot learn that her record exists.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tandem.access.permissions import permission_required_or_403, require_permission
from tandem.audit.reads import audit_page_read
from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused
from tandem.lib.people import person_name
from tandem.support import barrier, selectors
from tandem.support.barrier import her_perpetrator_cases, linkable_case_for_user
from tandem.support.forms import (
    AddressChangeForm,
    AllocationForm,
    ContactAttemptForm,
    ContactPointForm,
    ContactUnsafeForm,
    DashForm,
    DuplicateDecisionForm,
    IssCaseCloseForm,
    IssReferralForm,
    MaracReferralForm,
    RiskIncidentForm,
    SafeContactForm,
    SafetyPlanForm,
    SafetyPlanReviewForm,
    SharedRiskNoteForm,
    SignpostingForm,
    SupportSessionForm,
    SurvivorLinkForm,
)
from tandem.support.gates import DASH_INSTRUMENT_ID
from tandem.support.instruments import instrument_get
from tandem.support.models import IssCase, SharedRiskNote
from tandem.support.rules import (
    APPROVE_SHARED_RISK_NOTES,
    CHANGE_ISS_CASE,
    VIEW_ISS_CASE,
    VIEW_ISS_CASE_LIST,
)
from tandem.support.services import (
    contact,
    dash,
    iss_cases,
    links,
    risk_notes,
    safe_contact,
    support_work,
)
from tandem.web import NOT_DONE, acting_user, button_action, form_submission

PAGE_SIZE = 25

# The forms on her case page, by the name the template places them under.
CASE_FORMS: dict[str, type[forms.Form]] = {
    "referral_form": IssReferralForm,
    "attempt_form": ContactAttemptForm,
    "unsafe_form": ContactUnsafeForm,
    "allocation_form": AllocationForm,
    "safe_contact_form": SafeContactForm,
    "address_form": AddressChangeForm,
    "contact_point_form": ContactPointForm,
    "link_form": SurvivorLinkForm,
    "risk_note_form": SharedRiskNoteForm,
    "incident_form": RiskIncidentForm,
    "marac_form": MaracReferralForm,
    "close_form": IssCaseCloseForm,
    "duplicate_form": DuplicateDecisionForm,
    "safety_plan_form": SafetyPlanForm,
    "plan_review_form": SafetyPlanReviewForm,
    "session_form": SupportSessionForm,
    "signposting_form": SignpostingForm,
}


@permission_required_or_403(VIEW_ISS_CASE_LIST)
def iss_case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.iss_case_overview_for_user(user=request.user)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_page_read(request, records=page, model=IssCase, summary="ISS case list page")
    now = timezone.now()
    rows = [(case, selectors.iss_contact_status(iss_case=case, now=now)) for case in page]
    return render(request, "support/iss_case_list.html", {"page": page, "rows": rows})


@permission_required_or_403(VIEW_ISS_CASE)
def iss_case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.iss_case_record_for_user(user=request.user, pk=pk, now=timezone.now())
    audit_event_record(
        actor=request.user, action="viewed", target=record.iss_case, summary="ISS case viewed"
    )
    return _render_case_page(request, record=record)


def _render_case_page(
    request: HttpRequest,
    *,
    record: selectors.IssCaseRecord,
    failed_form: tuple[str, forms.Form] | None = None,
) -> HttpResponse:
    """Her case page with every form fresh at the case's current version, except one that was
    just refused, which keeps what was typed and its errors."""
    iss_case = record.iss_case
    context: dict[str, object] = {
        "record": record,
        "support_work": selectors.support_work_of(iss_case=iss_case),
        "iss_case": iss_case,
        "survivor": iss_case.survivor,
        "can_change": request.user.has_perm(CHANGE_ISS_CASE, iss_case),
        "failed_form": failed_form[1] if failed_form else None,
    }
    for name, form_class in CASE_FORMS.items():
        context[name] = _unbound_form(form_class, record=record)
    if failed_form:
        context[failed_form[0]] = failed_form[1]
    status = 400 if failed_form else 200
    return render(request, "support/iss_case_detail.html", context, status=status)


def _unbound_form(form_class: type[forms.Form], *, record: selectors.IssCaseRecord) -> forms.Form:
    iss_case = record.iss_case
    initial: dict[str, object] = {"version": iss_case.version}
    if form_class is SafeContactForm and record.safe_contact is not None:
        initial |= {
            "preferred_methods": record.safe_contact.preferred_methods,
            "unsafe_methods": record.safe_contact.unsafe_methods,
            "safe_times": record.safe_contact.safe_times,
            "notes": record.safe_contact.notes,
        }
    if form_class is ContactAttemptForm:
        initial["attempted_at"] = timezone.localtime().replace(second=0, microsecond=0)
    if form_class is SupportSessionForm:
        initial["held_at"] = timezone.localtime().replace(second=0, microsecond=0)
    return _form(form_class, iss_case=iss_case, initial=initial)


def _form(form_class: type[forms.Form], *, iss_case: IssCase, **kwargs: object) -> forms.Form:
    survivor = iss_case.survivor
    if form_class is AllocationForm:
        kwargs["workers"] = selectors.iss_worker_choices(service=survivor.service)
    if form_class is ContactAttemptForm:
        kwargs["destinations"] = selectors.safe_destinations(survivor=survivor)
    if form_class is SharedRiskNoteForm:
        kwargs["cases"] = her_perpetrator_cases(survivor=survivor)
    return form_class(**kwargs)  # type: ignore[arg-type]


def _case_action(
    request: HttpRequest,
    pk: int,
    *,
    form_name: str,
    act: Callable[[IssCase, forms.Form], str],
) -> HttpResponse:
    """Run one action from her case page: refuse (403) someone who may see but not change her
    case, show a refusal on the form that caused it, and on success go back to her page."""
    iss_case = selectors.iss_case_get_for_user(user=request.user, pk=pk)
    require_permission(request.user, CHANGE_ISS_CASE, iss_case)
    form = _form(CASE_FORMS[form_name], iss_case=iss_case, data=request.POST)
    done = form_submission(request, form=form, act=lambda: act(iss_case, form))
    if done is not NOT_DONE:
        messages.success(request, done)
        return redirect("support:iss_case_detail", pk=iss_case.pk)
    record = selectors.iss_case_record_for_user(user=request.user, pk=pk, now=timezone.now())
    return _render_case_page(request, record=record, failed_form=(form_name, form))


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def iss_referral_make(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        contact.iss_referral_make(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["version"],
        )
        return "ISS referral made: initial contact is now due within 5 working days"

    return _case_action(request, pk, form_name="referral_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def contact_attempt_record(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        contact.contact_attempt_record(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=data["version"],
            attempted_at=data["attempted_at"],
            method=data["method"],
            outcome=data["outcome"],
            notes=data["notes"],
            destination=data["destination"],
        )
        return "Contact attempt recorded"

    return _case_action(request, pk, form_name="attempt_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def iss_contact_unsafe_record(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        contact.iss_contact_unsafe_record(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
        return "Recorded why contact with her is unsafe or impossible"

    return _case_action(request, pk, form_name="unsafe_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def iss_case_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        worker = form.cleaned_data["worker"]
        iss_cases.iss_case_allocate(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["version"],
            worker=worker,
        )
        return f"Allocated to {person_name(worker)}"

    return _case_action(request, pk, form_name="allocation_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def safe_contact_preferences_set(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        safe_contact.safe_contact_preferences_set(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=data["version"],
            preferred_methods=data["preferred_methods"],
            unsafe_methods=data["unsafe_methods"],
            safe_times=data["safe_times"],
            notes=data["notes"],
        )
        return "Safe-contact preferences saved"

    return _case_action(request, pk, form_name="safe_contact_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def survivor_address_change(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        safe_contact.survivor_address_change(
            survivor=iss_case.survivor,
            actor=acting_user(request),
            expected_version=data["version"],
            lines=data["lines"],
            postcode=data["postcode"],
            source=data["source"],
            confirmed_with_survivor=data["confirmed_with_survivor"],
            known_to_perpetrator=data["known_to_perpetrator"],
        )
        return "New address recorded. Any previous address is now marked unsafe."

    return _case_action(request, pk, form_name="address_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def contact_point_record(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        point = safe_contact.contact_point_record(
            survivor=iss_case.survivor,
            actor=acting_user(request),
            expected_version=data["version"],
            kind=data["kind"],
            value=data["value"],
            unsafe=data["unsafe"],
            unsafe_reason=data["unsafe_reason"],
            known_to_perpetrator=data["known_to_perpetrator"],
        )
        return f"{point.get_kind_display()} recorded"

    return _case_action(request, pk, form_name="contact_point_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def survivor_link_to_case(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        case = linkable_case_for_user(
            user=request.user, survivor=iss_case.survivor, reference=data["reference"]
        )
        if case is None:
            raise ActionRefused(
                f"there is no case {data['reference'].strip()} in her service", field="reference"
            )
        link = links.survivor_link_to_case(
            survivor=iss_case.survivor,
            perpetrator_case=case,
            relationship=data["relationship"],
            actor=acting_user(request),
        )
        return f"Linked to case {case.reference} as his survivor {link.position}"

    return _case_action(request, pk, form_name="link_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def possible_duplicate_resolve(request: HttpRequest, pk: int, flag_pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        flag = selectors.possible_duplicate_of(iss_case=iss_case, pk=flag_pk)
        same_person = data["decision"] == "same_person"
        links.survivor_duplicate_resolve(
            flag=flag,
            actor=acting_user(request),
            expected_version=data["version"],
            same_person=same_person,
        )
        if same_person:
            return (
                f"Linked to her existing record (ISS case {flag.existing.iss_case.pk}) instead. "
                "This ISS case is closed."
            )
        return "Marked as not the same person"

    return _case_action(request, pk, form_name="duplicate_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def shared_risk_note_write(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        risk_notes.shared_risk_note_write(
            iss_case=iss_case,
            perpetrator_case=data["perpetrator_case"],
            actor=acting_user(request),
            note=data["note"],
        )
        return "Risk note written: it is shared once a manager approves it"

    return _case_action(request, pk, form_name="risk_note_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def risk_incident_record(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        dash.risk_incident_record(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=data["version"],
            occurred_on=data["occurred_on"],
            summary=data["summary"],
        )
        return "Incident recorded. Complete a new DASH with her: it counts her incidents."

    return _case_action(request, pk, form_name="incident_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def marac_referral_record(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        dash.marac_referral_record(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["version"],
            referred_on=form.cleaned_data["referred_on"],
        )
        return "MARAC referral recorded"

    return _case_action(request, pk, form_name="marac_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def iss_case_close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        iss_cases.iss_case_close(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=data["version"],
            reason=data["reason"],
            early_closure_reason=data["early_closure_reason"],
        )
        return "Her ISS case is closed"

    return _case_action(request, pk, form_name="close_form", act=act)


# Safety plans, support sessions, signposting and referrals


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def safety_plan_record(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        plan = support_work.safety_plan_record(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=data["version"],
            agreed_on=data["agreed_on"],
            summary=data["summary"],
            review_on=data["review_on"],
        )
        return f"Safety plan recorded: review it with her by {plan.review_on:%d %B %Y}"

    return _case_action(request, pk, form_name="safety_plan_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def safety_plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        plan = support_work.safety_plan_review(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["version"],
            next_review_on=form.cleaned_data["next_review_on"],
        )
        return f"Safety plan reviewed: review it again by {plan.review_on:%d %B %Y}"

    return _case_action(request, pk, form_name="plan_review_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def support_session_record(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        support_work.support_session_record(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=data["version"],
            held_at=data["held_at"],
            method=data["method"],
            summary=data["summary"],
        )
        return "Support session recorded"

    return _case_action(request, pk, form_name="session_form", act=act)


@require_POST
@permission_required_or_403(VIEW_ISS_CASE)
def signposting_record(request: HttpRequest, pk: int) -> HttpResponse:
    def act(iss_case: IssCase, form: forms.Form) -> str:
        data = form.cleaned_data
        signposting = support_work.signposting_record(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=data["version"],
            made_on=data["made_on"],
            to_whom=data["to_whom"],
            kind=data["kind"],
            reason=data["reason"],
            outcome=data["outcome"],
        )
        return f"{signposting.get_kind_display()} to {signposting.to_whom}: recorded"

    return _case_action(request, pk, form_name="signposting_form", act=act)


# The DASH risk checklist (rule dash)


def _dash_form(**kwargs: object) -> DashForm:
    instrument = instrument_get(instrument_id=DASH_INSTRUMENT_ID)
    return DashForm(
        questions=list(instrument.questions),
        answer_options=instrument.answer_options,
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
@permission_required_or_403(VIEW_ISS_CASE)
def dash_assessment_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The DASH form (GET) and recording it (POST), for the ISS side of her service."""
    iss_case = selectors.iss_case_get_for_user(user=request.user, pk=pk)
    require_permission(request.user, CHANGE_ISS_CASE, iss_case)
    if request.method != "POST":
        form = _dash_form(initial={"version": iss_case.version})
        return _render_dash_form(request, iss_case=iss_case, form=form)
    form = _dash_form(data=request.POST)
    assessment = form_submission(
        request,
        form=form,
        act=lambda: dash.dash_assessment_record(
            iss_case=iss_case,
            actor=acting_user(request),
            expected_version=form.cleaned_data["version"],
            answers=form.answers(),
            professional_judgement_high=form.cleaned_data["professional_judgement_high"],
            professional_judgement_reasons=form.cleaned_data["professional_judgement_reasons"],
        ),
    )
    if assessment is not NOT_DONE:
        return redirect("support:dash_result", pk=iss_case.pk, dash_pk=assessment.pk)
    return _render_dash_form(request, iss_case=iss_case, form=form, status=400)


def _render_dash_form(
    request: HttpRequest, *, iss_case: IssCase, form: DashForm, status: int = 200
) -> HttpResponse:
    instrument = instrument_get(instrument_id=DASH_INSTRUMENT_ID)
    context = {
        "iss_case": iss_case,
        "survivor": iss_case.survivor,
        "form": form,
        "instrument": instrument,
        "threshold": iss_case.survivor.service.dash_high_risk_threshold,
    }
    return render(request, "support/dash_form.html", context, status=status)


@permission_required_or_403(VIEW_ISS_CASE)
def dash_result(request: HttpRequest, pk: int, dash_pk: int) -> HttpResponse:
    result = selectors.dash_result_for_user(user=request.user, iss_case_pk=pk, pk=dash_pk)
    audit_event_record(
        actor=request.user,
        action="viewed",
        target=result.assessment,
        summary="DASH result viewed",
    )
    return render(request, "support/dash_result.html", {"result": result})


# Shared risk notes awaiting approval (rule survivor-confidentiality)


@permission_required_or_403(APPROVE_SHARED_RISK_NOTES)
def risk_notes_awaiting_approval(request: HttpRequest) -> HttpResponse:
    return _render_awaiting(request)


def _render_awaiting(request: HttpRequest, *, refusal: ActionRefused | None = None) -> HttpResponse:
    awaiting = selectors.risk_notes_awaiting_approval_for_user(user=request.user)
    exchanges = barrier.exchanges_awaiting_approval_for_user(user=request.user)
    audit_page_read(
        request,
        records=[item.note for item in awaiting],
        model=SharedRiskNote,
        summary="risk notes awaiting approval page",
    )
    return render(
        request,
        "support/risk_notes_awaiting.html",
        {"awaiting": awaiting, "exchanges": exchanges, "refusal": refusal},
        status=400 if refusal else 200,
    )


@require_POST
@permission_required_or_403(APPROVE_SHARED_RISK_NOTES)
def shared_risk_note_approve(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.risk_note_awaiting_approval_for_user(user=request.user, pk=pk)
    return button_action(
        request,
        act=lambda: risk_notes.shared_risk_note_approve(note=item.note, actor=acting_user(request)),
        done=_approval_done,
        success_url=reverse("support:risk_notes_awaiting_approval"),
        refused=lambda refusal: _render_awaiting(request, refusal=refusal),
    )


def _approval_done(note: SharedRiskNote) -> str:
    reference = note.perpetrator_case.reference
    if note.released_at:
        return f"Approved: the risk note is now shown on case {reference}"
    return (
        f"Approved for the ISS: the service manager must also agree before case {reference} "
        "sees it (intensive case management)"
    )


@require_POST
@permission_required_or_403(APPROVE_SHARED_RISK_NOTES)
def exchange_iss_account_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """What the ISS said in a weekly exchange, approved as a shared risk note is; 404 for one
    this person cannot approve now."""
    exchange = next(
        (
            item
            for item in barrier.exchanges_awaiting_approval_for_user(user=request.user)
            if item.pk == pk
        ),
        None,
    )
    if exchange is None:
        raise Http404("No such exchange awaiting your approval")
    return button_action(
        request,
        act=lambda: barrier.exchange_iss_account_approve(
            exchange=exchange, actor=acting_user(request)
        ),
        done=lambda approved: (
            "Approved: the perpetrator side now reads what the ISS shared"
            if approved.iss_account_released_at
            else "Approved for the ISS: the service manager must also agree (intensive case "
            "management)"
        ),
        success_url=reverse("support:risk_notes_awaiting_approval"),
        refused=lambda refusal: _render_awaiting(request, refusal=refusal),
    )
