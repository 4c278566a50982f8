"""The governance pages' routes, under /services/<service_id>/governance/, in the
organisations namespace (added to its `urls.py`). Where to start, /governance/, is in
`governance_home_urls.py`."""

from django.urls import path

from tandem.organisations import governance_views

_g = "<int:service_id>/governance"
urlpatterns = [
    path(f"{_g}/", governance_views.calendar, name="governance_calendar"),
    path(f"{_g}/policies/", governance_views.policy_register, name="governance_policies"),
    path(f"{_g}/policies/new/", governance_views.policy_new, name="governance_policy_new"),
    path(
        f"{_g}/policies/<int:policy_id>/", governance_views.policy_detail, name="governance_policy"
    ),
    path(
        f"{_g}/policies/<int:policy_id>/acknowledge/",
        governance_views.policy_acknowledge,
        name="governance_policy_acknowledge",
    ),
    path(
        f"{_g}/policies/<int:policy_id>/document/",
        governance_views.policy_document,
        name="governance_policy_document",
    ),
    path(f"{_g}/model-of-work/", governance_views.model_of_work, name="governance_model_of_work"),
    path(
        f"{_g}/model-of-work/new/",
        governance_views.model_of_work_new,
        name="governance_model_of_work_new",
    ),
    path(f"{_g}/edi/", governance_views.edi_reviews, name="governance_edi_reviews"),
    path(f"{_g}/edi/new/", governance_views.edi_review_new, name="governance_edi_review_new"),
    path(f"{_g}/governing-body/", governance_views.reports, name="governance_reports"),
    path(
        f"{_g}/governing-body/reports/new/",
        governance_views.report_new,
        name="governance_report_new",
    ),
    path(
        f"{_g}/governing-body/reports/<int:report_id>/",
        governance_views.report_edit,
        name="governance_report",
    ),
    path(
        f"{_g}/governing-body/reports/<int:report_id>/present/",
        governance_views.report_present,
        name="governance_report_present",
    ),
    path(
        f"{_g}/governing-body/meetings/new/",
        governance_views.meeting_new,
        name="governance_meeting_new",
    ),
    path(
        f"{_g}/governing-body/meetings/<int:meeting_id>/actions/new/",
        governance_views.action_new,
        name="governance_action_new",
    ),
    path(
        f"{_g}/governing-body/actions/<int:action_id>/",
        governance_views.action_status,
        name="governance_action_status",
    ),
    path(f"{_g}/agreements/", governance_views.agreements, name="governance_agreements"),
    path(f"{_g}/agreements/new/", governance_views.agreement_new, name="governance_agreement_new"),
    path(
        f"{_g}/agreements/<int:agreement_id>/review/",
        governance_views.agreement_review,
        name="governance_agreement_review",
    ),
    path(
        f"{_g}/roles/<int:role_id>/end/",
        governance_views.named_role_end,
        name="governance_named_role_end",
    ),
    path(f"{_g}/roles/", governance_views.named_roles, name="governance_named_roles"),
    path(f"{_g}/roles/new/", governance_views.named_role_new, name="governance_named_role_new"),
    path(f"{_g}/on-call/new/", governance_views.on_call_new, name="governance_on_call_new"),
    path(f"{_g}/complaints/", governance_views.complaints, name="governance_complaints"),
    path(f"{_g}/complaints/new/", governance_views.complaint_new, name="governance_complaint_new"),
    path(
        f"{_g}/complaints/<int:complaint_id>/",
        governance_views.complaint_edit,
        name="governance_complaint",
    ),
    path(f"{_g}/feedback/", governance_views.feedback, name="governance_feedback"),
    path(f"{_g}/feedback/new/", governance_views.feedback_new, name="governance_feedback_new"),
]
