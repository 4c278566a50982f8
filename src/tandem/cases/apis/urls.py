"""The perpetrator case routes under /api/v1/ (`tandem.urls` includes them)."""

from django.urls import path

from tandem.cases.apis.case import CaseDetailApi
from tandem.cases.apis.children import ChildDetailApi, ChildListApi, ChildrenReexaminationApi
from tandem.cases.apis.intake import CaseListApi
from tandem.cases.apis.lifecycle import (
    CaseAllocateApi,
    CaseAssessApi,
    CaseCloseApi,
    CaseConsentApi,
    CaseScreenApi,
    CaseStartApi,
)
from tandem.cases.apis.records import (
    ContactNoteListApi,
    EngagementChangeListApi,
    RiskAssessmentListApi,
    RiskConcernApi,
)
from tandem.cases.apis.reports import (
    ExternalReportListApi,
    ExternalReportReleaseApi,
    ExternalReportSignOffApi,
)
from tandem.cases.apis.reviews import CaseReviewListApi, ExchangeListApi, FileAuditListApi

urlpatterns = [
    path("cases/", CaseListApi.as_view(), name="case-list"),
    path("cases/<str:reference>/", CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<str:reference>/screen/", CaseScreenApi.as_view(), name="case-screen"),
    path("cases/<str:reference>/assess/", CaseAssessApi.as_view(), name="case-assess"),
    path("cases/<str:reference>/consent/", CaseConsentApi.as_view(), name="case-consent"),
    path("cases/<str:reference>/start/", CaseStartApi.as_view(), name="case-start"),
    path("cases/<str:reference>/close/", CaseCloseApi.as_view(), name="case-close"),
    path("cases/<str:reference>/notes/", ContactNoteListApi.as_view(), name="case-notes"),
    path(
        "cases/<str:reference>/risk-assessments/",
        RiskAssessmentListApi.as_view(),
        name="case-risk-assessments",
    ),
    path(
        "cases/<str:reference>/risk-concerns/", RiskConcernApi.as_view(), name="case-risk-concerns"
    ),
    path(
        "cases/<str:reference>/engagement-changes/",
        EngagementChangeListApi.as_view(),
        name="case-engagement-changes",
    ),
    path("cases/<str:reference>/children/", ChildListApi.as_view(), name="case-children"),
    path(
        "cases/<str:reference>/children/<int:child_id>/",
        ChildDetailApi.as_view(),
        name="case-child",
    ),
    path(
        "cases/<str:reference>/children-reexamination/",
        ChildrenReexaminationApi.as_view(),
        name="case-children-reexamination",
    ),
    path("cases/<str:reference>/allocate/", CaseAllocateApi.as_view(), name="case-allocate"),
    path("cases/<str:reference>/reports/", ExternalReportListApi.as_view(), name="case-reports"),
    path(
        "cases/<str:reference>/reports/<int:report_id>/sign-off/",
        ExternalReportSignOffApi.as_view(),
        name="case-report-sign-off",
    ),
    path(
        "cases/<str:reference>/reports/<int:report_id>/release/",
        ExternalReportReleaseApi.as_view(),
        name="case-report-release",
    ),
    path(
        "services/<int:service_id>/case-reviews/",
        CaseReviewListApi.as_view(),
        name="service-case-reviews",
    ),
    path(
        "services/<int:service_id>/file-audits/",
        FileAuditListApi.as_view(),
        name="service-file-audits",
    ),
    path(
        "services/<int:service_id>/exchanges/", ExchangeListApi.as_view(), name="service-exchanges"
    ),
]
