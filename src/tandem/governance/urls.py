"""The governance pages' routes, in the "governance" namespace: where to start, /governance/,
and a service's governance under /services/<service_id>/governance/ (included at the root from
tandem/urls.py, so each keeps its path)."""

from django.urls import path

from tandem.governance.views import (
    agreements,
    break_glass,
    complaints,
    governing_body,
    home,
    policies,
)

app_name = "governance"
_g = "services/<int:service_id>/governance"
urlpatterns = [
    path("governance/", home.governance_home, name="home"),
    path("break-glass/", break_glass.break_glass_open, name="break_glass"),
    path(f"{_g}/", home.calendar, name="calendar"),
    path(f"{_g}/policies/", policies.policy_register, name="policies"),
    path(f"{_g}/policies/new/", policies.policy_new, name="policy_new"),
    path(f"{_g}/policies/<int:policy_id>/", policies.policy_detail, name="policy"),
    path(
        f"{_g}/policies/<int:policy_id>/acknowledge/",
        policies.policy_acknowledge,
        name="policy_acknowledge",
    ),
    path(
        f"{_g}/policies/<int:policy_id>/document/",
        policies.policy_document,
        name="policy_document",
    ),
    path(f"{_g}/model-of-work/", policies.model_of_work, name="model_of_work"),
    path(f"{_g}/model-of-work/new/", policies.model_of_work_new, name="model_of_work_new"),
    path(f"{_g}/edi/", policies.edi_reviews, name="edi_reviews"),
    path(f"{_g}/edi/new/", policies.edi_review_new, name="edi_review_new"),
    path(f"{_g}/governing-body/", governing_body.reports, name="reports"),
    path(f"{_g}/governing-body/reports/new/", governing_body.report_new, name="report_new"),
    path(
        f"{_g}/governing-body/reports/<int:report_id>/",
        governing_body.report_edit,
        name="report",
    ),
    path(
        f"{_g}/governing-body/reports/<int:report_id>/present/",
        governing_body.report_present,
        name="report_present",
    ),
    path(f"{_g}/governing-body/meetings/new/", governing_body.meeting_new, name="meeting_new"),
    path(
        f"{_g}/governing-body/meetings/<int:meeting_id>/actions/new/",
        governing_body.action_new,
        name="action_new",
    ),
    path(
        f"{_g}/governing-body/actions/<int:action_id>/",
        governing_body.action_status,
        name="action_status",
    ),
    path(f"{_g}/agreements/", agreements.agreements, name="agreements"),
    path(f"{_g}/agreements/new/", agreements.agreement_new, name="agreement_new"),
    path(
        f"{_g}/agreements/<int:agreement_id>/review/",
        agreements.agreement_review,
        name="agreement_review",
    ),
    path(f"{_g}/roles/<int:role_id>/end/", agreements.named_role_end, name="named_role_end"),
    path(f"{_g}/roles/", agreements.named_roles, name="named_roles"),
    path(f"{_g}/roles/new/", agreements.named_role_new, name="named_role_new"),
    path(f"{_g}/on-call/new/", agreements.on_call_new, name="on_call_new"),
    path(f"{_g}/complaints/", complaints.complaints, name="complaints"),
    path(f"{_g}/complaints/new/", complaints.complaint_new, name="complaint_new"),
    path(
        f"{_g}/complaints/<int:complaint_id>/",
        complaints.complaint_edit,
        name="complaint",
    ),
    path(f"{_g}/feedback/", complaints.feedback, name="feedback"),
    path(f"{_g}/feedback/new/", complaints.feedback_new, name="feedback_new"),
]
