from django.urls import path

from tandem.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.referral_new, name="referral_new"),
    path("services/<int:service_id>/reviews/", views.service_reviews, name="service_reviews"),
    path("services/<int:service_id>/reviews/new/", views.case_review_new, name="case_review_new"),
    path("services/<int:service_id>/exchanges/new/", views.exchange_new, name="exchange_new"),
    path(
        "services/<int:service_id>/file-audits/new/",
        views.file_audit_new,
        name="file_audit_new",
    ),
    path("<str:reference>/", views.case_detail, name="case_detail"),
    path("<str:reference>/screen/", views.case_screen, name="case_screen"),
    path("<str:reference>/assess/", views.case_assess, name="case_assess"),
    path("<str:reference>/consent/", views.case_consent, name="case_consent"),
    path("<str:reference>/start/", views.case_start, name="case_start"),
    path("<str:reference>/close/", views.case_close, name="case_close"),
    path(
        "<str:reference>/suspension/propose/",
        views.case_suspension_propose,
        name="case_suspension_propose",
    ),
    path(
        "<str:reference>/suspension/iss-consulted/",
        views.case_suspension_iss_consulted,
        name="case_suspension_iss_consulted",
    ),
    path(
        "<str:reference>/suspension/survivors-informed/",
        views.case_suspension_survivors_informed,
        name="case_suspension_survivors_informed",
    ),
    path(
        "<str:reference>/suspension/sign-off/",
        views.case_suspension_sign_off,
        name="case_suspension_sign_off",
    ),
    path("<str:reference>/re-engage/", views.case_reengage, name="case_reengage"),
    path(
        "<str:reference>/engagement-changes/new/",
        views.case_engagement_change_new,
        name="case_engagement_change_new",
    ),
    path("<str:reference>/subject-access/", views.case_subject_access, name="case_subject_access"),
    path(
        "<str:reference>/subject-access.json",
        views.case_subject_access_json,
        name="case_subject_access_json",
    ),
    path("<str:reference>/notes/new/", views.case_note_new, name="case_note_new"),
    path(
        "<str:reference>/risk-concerns/new/",
        views.case_risk_concern_new,
        name="case_risk_concern_new",
    ),
    path(
        "<str:reference>/risk-assessments/new/",
        views.case_risk_assessment_new,
        name="case_risk_assessment_new",
    ),
    path("<str:reference>/children/new/", views.case_child_new, name="case_child_new"),
    path(
        "<str:reference>/children/re-examine/",
        views.case_children_reexamine,
        name="case_children_reexamine",
    ),
    path(
        "<str:reference>/children/<int:child_id>/",
        views.case_child_edit,
        name="case_child_edit",
    ),
    path("<str:reference>/allocate/", views.case_allocate, name="case_allocate"),
    path("<str:reference>/reports/new/", views.case_report_new, name="case_report_new"),
    path(
        "<str:reference>/reports/<int:report_id>/",
        views.case_report_detail,
        name="case_report_detail",
    ),
    path(
        "<str:reference>/reports/<int:report_id>/sign-off/",
        views.case_report_sign_off,
        name="case_report_sign_off",
    ),
    path(
        "<str:reference>/reports/<int:report_id>/release/",
        views.case_report_release,
        name="case_report_release",
    ),
]
