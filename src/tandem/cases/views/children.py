"""The pages about the children connected to him: adding a child, changing a child's details and
recording what makes their needs due for re-examination (rule child-retrigger)."""

from django.http import HttpRequest, HttpResponse

from tandem.access.permissions import require_permission
from tandem.cases import selectors
from tandem.cases.forms.children import ChildEditForm, ChildForm, ReexaminationForm
from tandem.cases.rules import CHANGE_CASE
from tandem.cases.services.children import child_add, child_update, children_reexamination_trigger
from tandem.cases.views.case import case_url
from tandem.cases.views.lifecycle import CASE_FORM_PAGE
from tandem.web import acting_user, form_page, posted

CHILD_FORM_PAGE = "cases/child_form.html"


def case_child_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = ChildForm(posted(request))
    return form_page(
        request,
        form=form,
        act=lambda: child_add(
            case=case,
            actor=acting_user(request),
            child=form.child_details(),
            social_care=form.social_care(),
        ),
        done="Child added",
        success_url=case_url(case),
        template=CHILD_FORM_PAGE,
        case=case,
        heading="Add a child",
        button="Add the child",
        intro="Every child connected to him, with what children's social care knows: gather it "
        "from the agencies, not only from him (rule children-record).",
    )


def case_child_edit(request: HttpRequest, reference: str, child_id: int) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    child = selectors.child_get(case=case, child_id=child_id)
    form = ChildEditForm(posted(request), case=case, child=child)
    return form_page(
        request,
        form=form,
        act=lambda: child_update(
            child=child,
            actor=acting_user(request),
            expected_version=form.cleaned_data["expected_version"],
            details=form.child_details(),
            social_care=form.social_care(),
        ),
        done=f"{child}'s details saved",
        success_url=case_url(case),
        template=CHILD_FORM_PAGE,
        case=case,
        heading=f"Change {child}'s details",
        button="Save",
    )


def case_children_reexamine(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.perpetrator_case_get_for_user(user=request.user, reference=reference)
    require_permission(request.user, CHANGE_CASE, case)
    form = ReexaminationForm(posted(request))
    return form_page(
        request,
        form=form,
        act=lambda: children_reexamination_trigger(
            case=case,
            actor=acting_user(request),
            trigger=form.cleaned_data["trigger"],
            details=form.cleaned_data["details"],
        ),
        done="Recorded: re-examining the children's needs is due by the next case management "
        "review",
        success_url=case_url(case),
        template=CASE_FORM_PAGE,
        case=case,
        heading="The children's needs need re-examining",
        button="Record it",
        intro="A new incident, a pregnancy, a birth or a new child in his household means the "
        "children's needs are re-examined through the case management process (rule "
        "child-retrigger).",
    )
