"""Pages of the 2008 audit, the Welsh checklist, the West Midlands self-evaluation and
self-assessments: included from `tandem.assurance.urls` under /assurance/checklists/ (namespace
"assurance:checklists")."""

from django.urls import path

from tandem.assurance.checklists.views import audit, index, self_assessment, welsh, west_midlands

app_name = "checklists"
urlpatterns = [
    path("", index.index, name="index"),
    path("declarations/<int:participant_id>/", index.declare, name="declare"),
    # The 2008 risk management and safeguarding audit
    path("audits/new/", audit.audit_new, name="audit_new"),
    path("audits/<int:assessment_id>/", audit.audit_detail, name="audit_detail"),
    path(
        "audits/<int:assessment_id>/link-person/",
        audit.audit_link_person,
        name="audit_link_person",
    ),
    path("audits/<int:assessment_id>/assessors/", audit.audit_assessors, name="audit_assessors"),
    path("audits/<int:assessment_id>/schedule/", audit.audit_schedule, name="audit_schedule"),
    path("audits/<int:assessment_id>/agree/", audit.audit_agree, name="audit_agree"),
    path("audits/<int:assessment_id>/visited/", audit.audit_visited, name="audit_visited"),
    path(
        "audits/<int:assessment_id>/indicators/<int:record_id>/",
        audit.audit_judge,
        name="audit_judge",
    ),
    path("audits/<int:assessment_id>/report/", audit.audit_report, name="audit_report"),
    path("audits/<int:assessment_id>/outcome/", audit.audit_outcome, name="audit_outcome"),
    # The Welsh commissioning checklist
    path("commissioning/", welsh.commissioning, name="commissioning"),
    path("commissioning/relationships/", welsh.relationships, name="relationships"),
    path("commissioning/<int:service_id>/new/", welsh.welsh_new, name="welsh_new"),
    path("welsh/<int:assessment_id>/", welsh.welsh_detail, name="welsh_detail"),
    path(
        "welsh/<int:assessment_id>/questions/<int:record_id>/",
        welsh.welsh_rate,
        name="welsh_rate",
    ),
    path("welsh/<int:assessment_id>/complete/", welsh.welsh_complete, name="welsh_complete"),
    # The West Midlands self-evaluation
    path("west-midlands/new/", west_midlands.wm_new, name="wm_new"),
    path("west-midlands/<int:assessment_id>/", west_midlands.wm_detail, name="wm_detail"),
    path(
        "west-midlands/<int:assessment_id>/records/<int:record_id>/",
        west_midlands.wm_rate,
        name="wm_rate",
    ),
    path(
        "west-midlands/<int:assessment_id>/peer-reviewer/",
        west_midlands.wm_reviewer,
        name="wm_reviewer",
    ),
    path("west-midlands/<int:assessment_id>/submit/", west_midlands.wm_submit, name="wm_submit"),
    path(
        "west-midlands/<int:assessment_id>/records/<int:record_id>/review/",
        west_midlands.wm_review,
        name="wm_review",
    ),
    path(
        "west-midlands/<int:assessment_id>/review/complete/",
        west_midlands.wm_review_complete,
        name="wm_review_complete",
    ),
    path("partnerships/", west_midlands.partnerships, name="partnerships"),
    path(
        "partnerships/<int:partnership_id>/",
        west_midlands.partnership_detail,
        name="partnership_detail",
    ),
    # Self-assessment
    path("self-assessments/new/", self_assessment.sa_new, name="sa_new"),
    path("self-assessments/<int:assessment_id>/", self_assessment.sa_detail, name="sa_detail"),
    path(
        "self-assessments/<int:assessment_id>/records/<int:record_id>/",
        self_assessment.sa_rate,
        name="sa_rate",
    ),
    path(
        "self-assessments/<int:assessment_id>/complete/",
        self_assessment.sa_complete,
        name="sa_complete",
    ),
]
