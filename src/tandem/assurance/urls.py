from django.urls import include, path

from tandem.assurance import (
    certificate_views,
    lifecycle_views,
    report_views,
    site_visit_views,
    views,
)

app_name = "assurance"
urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    # The 2008 audit, Welsh checklist, West Midlands self-evaluation and self-assessment.
    path("checklists/", include("tandem.assurance.checklist_urls")),
    path("register/", views.register, name="register"),
    path("apply/", views.apply, name="apply"),
    path("declarations/<int:participant_id>/", views.declare, name="declare"),
    path("documents/<int:document_id>/", views.document_download, name="document_download"),
    path("<int:assessment_id>/", views.assessment_detail, name="assessment_detail"),
    path("<int:assessment_id>/participants/", views.participants, name="participants"),
    path("<int:assessment_id>/documents/", views.document_upload, name="document_upload"),
    path("<int:assessment_id>/submit/", views.submit, name="submit"),
    path("<int:assessment_id>/desktop-assessment/", views.start_desktop, name="start_desktop"),
    path("<int:assessment_id>/site-visit/", views.start_site_visit, name="start_site_visit"),
    path("<int:assessment_id>/site-visit/plan/", site_visit_views.plan, name="site_visit_plan"),
    path(
        "<int:assessment_id>/site-visit/sample/draw/",
        site_visit_views.draw,
        name="site_visit_draw",
    ),
    path(
        "<int:assessment_id>/site-visit/sample/request/",
        site_visit_views.request_file,
        name="site_visit_request_file",
    ),
    path(
        "<int:assessment_id>/site-visit/case-files/<int:sampled_file_id>/",
        site_visit_views.case_file,
        name="site_visit_case_file",
    ),
    path(
        "<int:assessment_id>/site-visit/interviews/new/",
        site_visit_views.interview_add,
        name="site_visit_interview_add",
    ),
    path(
        "<int:assessment_id>/site-visit/interviews/complete/",
        site_visit_views.interviews_complete,
        name="site_visit_interviews_complete",
    ),
    path(
        "<int:assessment_id>/site-visit/recordings/new/",
        site_visit_views.session_add,
        name="site_visit_session_add",
    ),
    path(
        "<int:assessment_id>/site-visit/recordings/<int:session_id>/observations/new/",
        site_visit_views.observation_add,
        name="site_visit_observation_add",
    ),
    path("<int:assessment_id>/report/", views.report, name="report"),
    path("<int:assessment_id>/report/submit/", views.report_submit, name="report_submit"),
    path("<int:assessment_id>/reports/", report_views.report_list, name="reports"),
    path(
        "<int:assessment_id>/reports/<slug:kind>/generate/",
        report_views.report_generate,
        name="report_generate",
    ),
    path(
        "<int:assessment_id>/reports/<slug:kind>/v<int:version>/",
        report_views.report_detail,
        name="report_detail",
    ),
    path(
        "<int:assessment_id>/reports/<slug:kind>/v<int:version>.pdf",
        report_views.report_pdf,
        name="report_pdf",
    ),
    path(
        "<int:assessment_id>/exports/evidence-pack.zip",
        report_views.evidence_pack,
        name="evidence_pack",
    ),
    path(
        "<int:assessment_id>/exports/requirements.csv",
        report_views.requirements_csv,
        name="requirements_csv",
    ),
    path(
        "<int:assessment_id>/exports/requirements.xlsx",
        report_views.requirements_xlsx,
        name="requirements_xlsx",
    ),
    path("<int:assessment_id>/certificate/", certificate_views.certificate, name="certificate"),
    path(
        "<int:assessment_id>/certificate.pdf",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
    path("<int:assessment_id>/verify/", views.verify, name="verify"),
    path("<int:assessment_id>/refer/", views.refer, name="refer"),
    path("<int:assessment_id>/decide/", views.decide, name="decide"),
    path(
        "<int:assessment_id>/conditions/<int:action_id>/meet/",
        views.condition_meet,
        name="condition_meet",
    ),
    # Appeals and evidence offered from earlier assessments (`lifecycle_views.py`).
    path("<int:assessment_id>/appeals/", lifecycle_views.appeals, name="appeals"),
    path("<int:assessment_id>/appeals/new/", lifecycle_views.appeal_lodge, name="appeal_lodge"),
    path(
        "<int:assessment_id>/appeals/<int:appeal_id>/hear/",
        lifecycle_views.appeal_hear,
        name="appeal_hear",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/offers/",
        lifecycle_views.record_offers,
        name="record_offers",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/offers/<int:source_id>/accept/",
        lifecycle_views.offer_accept,
        name="offer_accept",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/offers/<int:source_id>/decline/",
        lifecycle_views.offer_decline,
        name="offer_decline",
    ),
    path("<int:assessment_id>/records/<int:record_id>/", views.record_detail, name="record_detail"),
    path(
        "<int:assessment_id>/records/<int:record_id>/narrative/",
        views.record_narrative,
        name="record_narrative",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/citations/new/",
        views.record_cite,
        name="record_cite",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/citations/<int:citation_id>/remove/",
        views.citation_remove,
        name="citation_remove",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/methods/",
        views.record_method,
        name="record_method",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/judgement/",
        views.record_judge,
        name="record_judge",
    ),
]
