"""Respect accreditation's pages, gathered into the "assurance" namespace by
`tandem.assurance.urls`."""

from django.urls import path

from tandem.assurance.respect.views import (
    accreditation,
    certificate,
    evidence,
    lifecycle,
    site_visit,
)

urlpatterns = [
    path("", accreditation.assessment_list, name="assessment_list"),
    path("register/", accreditation.register, name="register"),
    path("apply/", accreditation.apply, name="apply"),
    path("documents/<int:document_id>/", evidence.document_download, name="document_download"),
    path("<int:assessment_id>/", accreditation.assessment_detail, name="assessment_detail"),
    path("<int:assessment_id>/participants/", accreditation.participants, name="participants"),
    path("<int:assessment_id>/documents/", evidence.document_upload, name="document_upload"),
    path("<int:assessment_id>/submit/", accreditation.submit, name="submit"),
    path(
        "<int:assessment_id>/desktop-assessment/", accreditation.start_desktop, name="start_desktop"
    ),
    path(
        "<int:assessment_id>/site-visit/", accreditation.start_site_visit, name="start_site_visit"
    ),
    path("<int:assessment_id>/site-visit/plan/", site_visit.plan, name="site_visit_plan"),
    path(
        "<int:assessment_id>/site-visit/sample/draw/",
        site_visit.draw,
        name="site_visit_draw",
    ),
    path(
        "<int:assessment_id>/site-visit/sample/request/",
        site_visit.request_file,
        name="site_visit_request_file",
    ),
    path(
        "<int:assessment_id>/site-visit/case-files/<int:sampled_file_id>/",
        site_visit.case_file,
        name="site_visit_case_file",
    ),
    path(
        "<int:assessment_id>/site-visit/interviews/new/",
        site_visit.interview_add,
        name="site_visit_interview_add",
    ),
    path(
        "<int:assessment_id>/site-visit/interviews/complete/",
        site_visit.interviews_complete,
        name="site_visit_interviews_complete",
    ),
    path(
        "<int:assessment_id>/site-visit/recordings/new/",
        site_visit.session_add,
        name="site_visit_session_add",
    ),
    path(
        "<int:assessment_id>/site-visit/recordings/<int:session_id>/observations/new/",
        site_visit.observation_add,
        name="site_visit_observation_add",
    ),
    path("<int:assessment_id>/report/", evidence.report, name="report"),
    path("<int:assessment_id>/report/submit/", evidence.report_submit, name="report_submit"),
    path("<int:assessment_id>/certificate/", certificate.certificate, name="certificate"),
    path(
        "<int:assessment_id>/certificate.pdf",
        certificate.certificate_pdf,
        name="certificate_pdf",
    ),
    path("<int:assessment_id>/verify/", accreditation.verify, name="verify"),
    path("<int:assessment_id>/refer/", accreditation.refer, name="refer"),
    path("<int:assessment_id>/decide/", accreditation.decide, name="decide"),
    path(
        "<int:assessment_id>/conditions/<int:action_id>/meet/",
        accreditation.condition_meet,
        name="condition_meet",
    ),
    # Appeals and evidence offered from earlier assessments (`views/lifecycle.py`).
    path("<int:assessment_id>/appeals/", lifecycle.appeals, name="appeals"),
    path("<int:assessment_id>/appeals/new/", lifecycle.appeal_lodge, name="appeal_lodge"),
    path(
        "<int:assessment_id>/appeals/<int:appeal_id>/hear/",
        lifecycle.appeal_hear,
        name="appeal_hear",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/offers/",
        lifecycle.record_offers,
        name="record_offers",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/offers/<int:source_id>/accept/",
        lifecycle.offer_accept,
        name="offer_accept",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/offers/<int:source_id>/decline/",
        lifecycle.offer_decline,
        name="offer_decline",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/", evidence.record_detail, name="record_detail"
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/narrative/",
        evidence.record_narrative,
        name="record_narrative",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/citations/new/",
        evidence.record_cite,
        name="record_cite",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/citations/<int:citation_id>/remove/",
        evidence.citation_remove,
        name="citation_remove",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/methods/",
        evidence.record_method,
        name="record_method",
    ),
    path(
        "<int:assessment_id>/records/<int:record_id>/judgement/",
        evidence.record_judge,
        name="record_judge",
    ),
]
