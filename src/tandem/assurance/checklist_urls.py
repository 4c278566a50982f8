"""Pages of the 2008 audit, the Welsh checklist, the West Midlands self-evaluation and
self-assessments: included from `urls.py` under /assurance/checklists/ (namespace
"assurance:checklists")."""

from django.urls import path

from tandem.assurance import checklist_views as views

app_name = "checklists"
urlpatterns = [
    path("", views.index, name="index"),
    path("declarations/<int:participant_id>/", views.declare, name="declare"),
    # The 2008 risk management and safeguarding audit
    path("audits/new/", views.audit_new, name="audit_new"),
    path("audits/<int:assessment_id>/", views.audit_detail, name="audit_detail"),
    path(
        "audits/<int:assessment_id>/link-person/",
        views.audit_link_person,
        name="audit_link_person",
    ),
    path("audits/<int:assessment_id>/assessors/", views.audit_assessors, name="audit_assessors"),
    path("audits/<int:assessment_id>/schedule/", views.audit_schedule, name="audit_schedule"),
    path("audits/<int:assessment_id>/agree/", views.audit_agree, name="audit_agree"),
    path("audits/<int:assessment_id>/visited/", views.audit_visited, name="audit_visited"),
    path(
        "audits/<int:assessment_id>/indicators/<int:record_id>/",
        views.audit_judge,
        name="audit_judge",
    ),
    path("audits/<int:assessment_id>/report/", views.audit_report, name="audit_report"),
    path("audits/<int:assessment_id>/outcome/", views.audit_outcome, name="audit_outcome"),
    # The Welsh commissioning checklist
    path("commissioning/", views.commissioning, name="commissioning"),
    path("commissioning/relationships/", views.relationships, name="relationships"),
    path("commissioning/<int:service_id>/new/", views.welsh_new, name="welsh_new"),
    path("welsh/<int:assessment_id>/", views.welsh_detail, name="welsh_detail"),
    path(
        "welsh/<int:assessment_id>/questions/<int:record_id>/",
        views.welsh_rate,
        name="welsh_rate",
    ),
    path("welsh/<int:assessment_id>/complete/", views.welsh_complete, name="welsh_complete"),
    # The West Midlands self-evaluation
    path("west-midlands/new/", views.wm_new, name="wm_new"),
    path("west-midlands/<int:assessment_id>/", views.wm_detail, name="wm_detail"),
    path(
        "west-midlands/<int:assessment_id>/records/<int:record_id>/",
        views.wm_rate,
        name="wm_rate",
    ),
    path(
        "west-midlands/<int:assessment_id>/peer-reviewer/",
        views.wm_reviewer,
        name="wm_reviewer",
    ),
    path("west-midlands/<int:assessment_id>/submit/", views.wm_submit, name="wm_submit"),
    path(
        "west-midlands/<int:assessment_id>/records/<int:record_id>/review/",
        views.wm_review,
        name="wm_review",
    ),
    path(
        "west-midlands/<int:assessment_id>/review/complete/",
        views.wm_review_complete,
        name="wm_review_complete",
    ),
    path("partnerships/", views.partnerships, name="partnerships"),
    path(
        "partnerships/<int:partnership_id>/",
        views.partnership_detail,
        name="partnership_detail",
    ),
    # Self-assessment
    path("self-assessments/new/", views.sa_new, name="sa_new"),
    path("self-assessments/<int:assessment_id>/", views.sa_detail, name="sa_detail"),
    path(
        "self-assessments/<int:assessment_id>/records/<int:record_id>/",
        views.sa_rate,
        name="sa_rate",
    ),
    path(
        "self-assessments/<int:assessment_id>/complete/",
        views.sa_complete,
        name="sa_complete",
    ),
]
