from django.urls import path

from tandem.support import views

app_name = "support"
urlpatterns = [
    path("", views.iss_case_list, name="iss_case_list"),
    path("<int:pk>/", views.iss_case_detail, name="iss_case_detail"),
    path("<int:pk>/referral/", views.iss_referral_make, name="iss_referral_make"),
    path("<int:pk>/contact-attempts/", views.contact_attempt_record, name="contact_attempt_record"),
    path(
        "<int:pk>/contact-unsafe/",
        views.iss_contact_unsafe_record,
        name="iss_contact_unsafe_record",
    ),
    path("<int:pk>/allocation/", views.iss_case_allocate, name="iss_case_allocate"),
    path(
        "<int:pk>/safe-contact/",
        views.safe_contact_preferences_set,
        name="safe_contact_preferences_set",
    ),
    path("<int:pk>/address/", views.survivor_address_change, name="survivor_address_change"),
    path("<int:pk>/contact-points/", views.contact_point_record, name="contact_point_record"),
    path("<int:pk>/links/", views.survivor_link_to_case, name="survivor_link_to_case"),
    path(
        "<int:pk>/possible-duplicates/<int:flag_pk>/",
        views.possible_duplicate_resolve,
        name="possible_duplicate_resolve",
    ),
    path("<int:pk>/risk-notes/", views.shared_risk_note_write, name="shared_risk_note_write"),
    path("<int:pk>/incidents/", views.risk_incident_record, name="risk_incident_record"),
    path("<int:pk>/marac-referrals/", views.marac_referral_record, name="marac_referral_record"),
    path("<int:pk>/close/", views.iss_case_close, name="iss_case_close"),
    path("<int:pk>/safety-plans/", views.safety_plan_record, name="safety_plan_record"),
    path("<int:pk>/safety-plans/review/", views.safety_plan_review, name="safety_plan_review"),
    path("<int:pk>/sessions/", views.support_session_record, name="support_session_record"),
    path("<int:pk>/referrals/", views.signposting_record, name="signposting_record"),
    path("<int:pk>/dash/", views.dash_assessment_record, name="dash_assessment_record"),
    path("<int:pk>/dash/<int:dash_pk>/", views.dash_result, name="dash_result"),
    path(
        "risk-notes/awaiting-approval/",
        views.risk_notes_awaiting_approval,
        name="risk_notes_awaiting_approval",
    ),
    path(
        "risk-notes/<int:pk>/approve/",
        views.shared_risk_note_approve,
        name="shared_risk_note_approve",
    ),
    path(
        "risk-notes/exchanges/<int:pk>/approve/",
        views.exchange_iss_account_approve,
        name="exchange_iss_account_approve",
    ),
]
