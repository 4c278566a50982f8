"""Respect accreditations through the API, under /api/v1/assurance/ (gathered by
`tandem.assurance.apis`): the same selectors, rules and services as the pages.

An assessment someone may not open (including an assessor, verifier or panel member who has not
declared no conflict of interest) is 404; one they can open but may not act on is 403. A refusal
is 400 with the field and, where a rule refuses, the rule; a write based on a stale read is 409
(`tandem.api.refusal_exception_handler` answers both). The register of accredited services is
public: no sign-in.
"""

from django.urls import path

from tandem.assurance.respect.apis.steps import (
    CitationApi,
    ConditionMetApi,
    DecisionApi,
    DeclarationApi,
    DesktopAssessmentApi,
    DocumentListApi,
    MethodJudgementApi,
    NarrativeApi,
    ParticipantApi,
    RecordJudgementApi,
    ReferApi,
    ReportApi,
    SiteVisitApi,
    SubmitApi,
    VerificationApi,
)
from tandem.assurance.respect.apis.summaries import (
    AssessmentDetailApi,
    AssessmentListApi,
    RegisterApi,
)

_RECORD = "assessments/<int:assessment_id>/records/<int:record_id>"
urlpatterns = [
    path("register/", RegisterApi.as_view(), name="assurance-register"),
    path("assessments/", AssessmentListApi.as_view(), name="assurance-assessments"),
    path(
        "assessments/<int:assessment_id>/",
        AssessmentDetailApi.as_view(),
        name="assurance-assessment",
    ),
    path(
        "assessments/<int:assessment_id>/participants/",
        ParticipantApi.as_view(),
        name="assurance-participants",
    ),
    path(
        "declarations/<int:participant_id>/",
        DeclarationApi.as_view(),
        name="assurance-declaration",
    ),
    path(
        "assessments/<int:assessment_id>/documents/",
        DocumentListApi.as_view(),
        name="assurance-documents",
    ),
    path("assessments/<int:assessment_id>/submit/", SubmitApi.as_view(), name="assurance-submit"),
    path(
        "assessments/<int:assessment_id>/desktop-assessment/",
        DesktopAssessmentApi.as_view(),
        name="assurance-desktop-assessment",
    ),
    path(
        "assessments/<int:assessment_id>/site-visit/",
        SiteVisitApi.as_view(),
        name="assurance-site-visit",
    ),
    path(f"{_RECORD}/narrative/", NarrativeApi.as_view(), name="assurance-narrative"),
    path(f"{_RECORD}/citations/", CitationApi.as_view(), name="assurance-citations"),
    path(f"{_RECORD}/methods/", MethodJudgementApi.as_view(), name="assurance-methods"),
    path(f"{_RECORD}/judgement/", RecordJudgementApi.as_view(), name="assurance-judgement"),
    path("assessments/<int:assessment_id>/report/", ReportApi.as_view(), name="assurance-report"),
    path(
        "assessments/<int:assessment_id>/verification/",
        VerificationApi.as_view(),
        name="assurance-verification",
    ),
    path("assessments/<int:assessment_id>/refer/", ReferApi.as_view(), name="assurance-refer"),
    path(
        "assessments/<int:assessment_id>/decision/",
        DecisionApi.as_view(),
        name="assurance-decision",
    ),
    path(
        "assessments/<int:assessment_id>/conditions/<int:action_id>/meet/",
        ConditionMetApi.as_view(),
        name="assurance-condition-meet",
    ),
]
