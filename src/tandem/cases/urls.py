from django.urls import path

from tandem.cases.views import (
    case,
    children,
    lifecycle,
    records,
    reports,
    reviews,
    subject_access,
    suspension,
)

app_name = "cases"
urlpatterns = [
    path("", case.case_list, name="case_list"),
    path("new/", case.referral_new, name="referral_new"),
    path("services/<int:service_id>/reviews/", reviews.service_reviews, name="service_reviews"),
    path("services/<int:service_id>/reviews/new/", reviews.case_review_new, name="case_review_new"),
    path("services/<int:service_id>/exchanges/new/", reviews.exchange_new, name="exchange_new"),
    path(
        "services/<int:service_id>/file-audits/new/",
        reviews.file_audit_new,
        name="file_audit_new",
    ),
    path("<str:reference>/", case.case_detail, name="case_detail"),
    path("<str:reference>/screen/", lifecycle.case_screen, name="case_screen"),
    path("<str:reference>/assess/", lifecycle.case_assess, name="case_assess"),
    path("<str:reference>/consent/", lifecycle.case_consent, name="case_consent"),
    path("<str:reference>/start/", lifecycle.case_start, name="case_start"),
    path("<str:reference>/close/", lifecycle.case_close, name="case_close"),
    path(
        "<str:reference>/suspension/propose/",
        suspension.case_suspension_propose,
        name="case_suspension_propose",
    ),
    path(
        "<str:reference>/suspension/iss-consulted/",
        suspension.case_suspension_iss_consulted,
        name="case_suspension_iss_consulted",
    ),
    path(
        "<str:reference>/suspension/survivors-informed/",
        suspension.case_suspension_survivors_informed,
        name="case_suspension_survivors_informed",
    ),
    path(
        "<str:reference>/suspension/sign-off/",
        suspension.case_suspension_sign_off,
        name="case_suspension_sign_off",
    ),
    path("<str:reference>/re-engage/", suspension.case_reengage, name="case_reengage"),
    path(
        "<str:reference>/engagement-changes/new/",
        records.case_engagement_change_new,
        name="case_engagement_change_new",
    ),
    path(
        "<str:reference>/subject-access/",
        subject_access.case_subject_access,
        name="case_subject_access",
    ),
    path(
        "<str:reference>/subject-access.json",
        subject_access.case_subject_access_json,
        name="case_subject_access_json",
    ),
    path("<str:reference>/notes/new/", records.case_note_new, name="case_note_new"),
    path(
        "<str:reference>/risk-concerns/new/",
        records.case_risk_concern_new,
        name="case_risk_concern_new",
    ),
    path(
        "<str:reference>/risk-assessments/new/",
        records.case_risk_assessment_new,
        name="case_risk_assessment_new",
    ),
    path("<str:reference>/children/new/", children.case_child_new, name="case_child_new"),
    path(
        "<str:reference>/children/re-examine/",
        children.case_children_reexamine,
        name="case_children_reexamine",
    ),
    path(
        "<str:reference>/children/<int:child_id>/",
        children.case_child_edit,
        name="case_child_edit",
    ),
    path("<str:reference>/allocate/", lifecycle.case_allocate, name="case_allocate"),
    path("<str:reference>/reports/new/", reports.case_report_new, name="case_report_new"),
    path(
        "<str:reference>/reports/<int:report_id>/",
        reports.case_report_detail,
        name="case_report_detail",
    ),
    path(
        "<str:reference>/reports/<int:report_id>/sign-off/",
        reports.case_report_sign_off,
        name="case_report_sign_off",
    ),
    path(
        "<str:reference>/reports/<int:report_id>/release/",
        reports.case_report_release,
        name="case_report_release",
    ),
]
