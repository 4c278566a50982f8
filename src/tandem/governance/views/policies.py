"""The policy register (rule policies, R22 A1.1, WM 1): every member of staff reads it and
acknowledges the policies; its senior managers record approved versions. And the reviews the
standards ask for: the model of work (rule model-review) and equality, diversity and inclusion
(rule edi-review)."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.permissions import permission_required_or_403, permitted
from tandem.governance import selectors
from tandem.governance.deadlines import model_review_due
from tandem.governance.forms import EdiReviewForm, ModelOfWorkForm, PolicyForm
from tandem.governance.models import Policy
from tandem.governance.rules import MANAGE_GOVERNANCE, READ_POLICY_REGISTER
from tandem.governance.services import policies as policy_services
from tandem.governance.views.sections import cell, date_text, section_page, service_url, today
from tandem.web import acting_user, button_action, form_page, refusal_message_redirect


@permission_required_or_403(READ_POLICY_REGISTER)
def policy_register(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.policy_register_service_get(user=request.user, service_id=service_id)
    rows = selectors.policy_register(service=service, user=request.user, now=timezone.now())
    return render(
        request,
        "governance/policy_register.html",
        {
            "service": service,
            "rows": rows,
            "missing_count": sum(1 for row in rows if row.policy is None),
            "overdue_count": sum(1 for row in rows if row.review_overdue),
            "can_manage": permitted(request.user, MANAGE_GOVERNANCE, service),
        },
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def policy_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = PolicyForm(
        request.POST or None,
        request.FILES or None,
        staff=selectors.staff_choices_of(service=service, on=today()),
    )

    def record() -> Policy:
        data = form.cleaned_data
        return policy_services.policy_record(
            service=service,
            required_policy=data["required_policy"],
            title=data["title"],
            version_label=data["version_label"],
            owner=data["owner"],
            approved_on=data["approved_on"],
            next_review_on=data["next_review_on"],
            document=data["document"],
            actor=acting_user(request),
        )

    back = service_url("governance:policies", service)
    return form_page(
        request,
        form=form,
        act=record,
        done="Policy recorded",
        success_url=back,
        heading="Record an approved policy",
        caption=service.name,
        intro="A new version of a policy is recorded the same way: the register shows the latest.",
        button="Record the policy",
        back=back,
        multipart=form.is_multipart(),
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def policy_detail(request: HttpRequest, service_id: int, policy_id: int) -> HttpResponse:
    """A policy version and who acknowledged it when (R22 A1.1 guidance 2c)."""
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    policy = selectors.policy_get(service=service, policy_id=policy_id)
    return render(
        request,
        "governance/policy_detail.html",
        {
            "service": service,
            "policy": policy,
            "acknowledgements": selectors.acknowledgements_of(policy=policy),
            "not_acknowledged": selectors.staff_not_acknowledged(
                service=service, policy=policy, on=today()
            ),
        },
    )


@require_POST
@permission_required_or_403(READ_POLICY_REGISTER)
def policy_acknowledge(request: HttpRequest, service_id: int, policy_id: int) -> HttpResponse:
    service = selectors.policy_register_service_get(user=request.user, service_id=service_id)
    policy = selectors.policy_get(service=service, policy_id=policy_id)
    register = reverse("governance:policies", args=[service.pk])
    return button_action(
        request,
        act=lambda: policy_services.policy_acknowledge(policy=policy, actor=acting_user(request)),
        done=f"You acknowledged {policy}",
        success_url=register,
        # A one-button action from the register: a refusal is said there, as a message.
        refused=lambda refusal: refusal_message_redirect(request, refusal, to=register),
    )


@permission_required_or_403(READ_POLICY_REGISTER)
def policy_document(request: HttpRequest, service_id: int, policy_id: int) -> HttpResponse:
    service = selectors.policy_register_service_get(user=request.user, service_id=service_id)
    policy = selectors.policy_get(service=service, policy_id=policy_id)
    try:
        handle = policy.document.open("rb")
    except FileNotFoundError:
        raise Http404("The document is missing from storage") from None
    response = FileResponse(handle, as_attachment=True, filename=policy.document_name)
    return response  # type: ignore[return-value]


# The model of work (rule model-review)


@permission_required_or_403(MANAGE_GOVERNANCE)
def model_of_work(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    reviews = list(selectors.model_of_work_reviews_of(service=service))
    due = model_review_due(
        last_reviewed_on=reviews[0].reviewed_on if reviews else None, today=today()
    )
    return section_page(
        request,
        service=service,
        heading="Model of work",
        intro=f"The model of work is reviewed every year, in consultation with the staff involved, "
        f"and each review's date and summary of changes recorded (rule model-review, R22 B1.2). "
        f"Next review due {due:%-d %B %Y}.",
        buttons=[("Record a review", service_url("governance:model_of_work_new", service))],
        tables=[
            {
                "caption": "Reviews of the model of work, latest first",
                "head": ["Version", "Reviewed", "Summary of changes", "Consultation"],
                "rows": [
                    [
                        cell(review.version_label),
                        cell(date_text(review.reviewed_on)),
                        cell(review.summary_of_changes),
                        cell(review.consultation),
                    ]
                    for review in reviews
                ],
                "empty": "No review of the model of work is recorded yet.",
            }
        ],
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def model_of_work_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = ModelOfWorkForm(request.POST or None)
    back = service_url("governance:model_of_work", service)
    return form_page(
        request,
        form=form,
        act=lambda: policy_services.model_of_work_review_record(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="Review of the model of work recorded",
        success_url=back,
        heading="Record a review of the model of work",
        caption=service.name,
        button="Record the review",
        back=back,
    )


# Equality, diversity and inclusion reviews (rule edi-review)


@permission_required_or_403(MANAGE_GOVERNANCE)
def edi_reviews(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    rows = [
        [
            cell(review.get_kind_display()),
            cell(date_text(review.reviewed_on)),
            cell(review.summary),
        ]
        for review in selectors.edi_reviews_of(service=service)
    ]
    return section_page(
        request,
        service=service,
        heading="Equality, diversity and inclusion reviews",
        intro="The equalities framework is reviewed every 3 years; the diversity goals and the "
        "service-user profile at least annually (rule edi-review, R22 D1.1, D1.3).",
        buttons=[("Record a review", service_url("governance:edi_review_new", service))],
        tables=[
            {
                "caption": "Reviews, latest first",
                "head": ["What was reviewed", "Reviewed", "Found and changed"],
                "rows": rows,
                "empty": "No review recorded yet.",
            }
        ],
    )


@permission_required_or_403(MANAGE_GOVERNANCE)
def edi_review_new(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.governance_service_get(user=request.user, service_id=service_id)
    form = EdiReviewForm(request.POST or None)
    back = service_url("governance:edi_reviews", service)
    return form_page(
        request,
        form=form,
        act=lambda: policy_services.edi_review_record(
            service=service, actor=acting_user(request), **form.cleaned_data
        ),
        done="Review recorded",
        success_url=back,
        heading="Record an equality, diversity and inclusion review",
        caption=service.name,
        button="Record the review",
        back=back,
    )
