"""The ISS case routes under /api/v1/ (`tandem.urls` includes them)."""

from django.urls import path

from tandem.support.apis.contact import (
    ContactAttemptApi,
    ContactUnsafeApi,
    IssCaseAllocateApi,
    IssCaseCloseApi,
    IssReferralApi,
)
from tandem.support.apis.dash import DashAssessmentApi, MaracReferralApi, RiskIncidentApi
from tandem.support.apis.iss_cases import IssCaseDetailApi, IssCaseListApi
from tandem.support.apis.links import PossibleDuplicateApi, SurvivorLinkApi
from tandem.support.apis.risk_notes import (
    RiskNoteApproveApi,
    RiskNotesAwaitingApprovalApi,
    SharedRiskNoteWriteApi,
)
from tandem.support.apis.support_work import (
    SafetyPlanReviewApi,
    SafetyPlansApi,
    SignpostingsApi,
    SupportSessionsApi,
)

urlpatterns = [
    path("iss-cases/", IssCaseListApi.as_view(), name="iss-case-list"),
    path("iss-cases/<int:pk>/", IssCaseDetailApi.as_view(), name="iss-case-detail"),
    path("iss-cases/<int:pk>/referral/", IssReferralApi.as_view(), name="iss-case-referral"),
    path(
        "iss-cases/<int:pk>/contact-attempts/",
        ContactAttemptApi.as_view(),
        name="iss-case-contact-attempts",
    ),
    path("iss-cases/<int:pk>/unsafe/", ContactUnsafeApi.as_view(), name="iss-case-unsafe"),
    path("iss-cases/<int:pk>/allocate/", IssCaseAllocateApi.as_view(), name="iss-case-allocate"),
    path("iss-cases/<int:pk>/links/", SurvivorLinkApi.as_view(), name="iss-case-links"),
    path(
        "iss-cases/<int:pk>/possible-duplicates/<int:flag_pk>/",
        PossibleDuplicateApi.as_view(),
        name="iss-case-possible-duplicate",
    ),
    path(
        "iss-cases/<int:pk>/risk-notes/",
        SharedRiskNoteWriteApi.as_view(),
        name="iss-case-risk-notes",
    ),
    path("iss-cases/<int:pk>/close/", IssCaseCloseApi.as_view(), name="iss-case-close"),
    path("iss-cases/<int:pk>/dash/", DashAssessmentApi.as_view(), name="iss-case-dash"),
    path("iss-cases/<int:pk>/incidents/", RiskIncidentApi.as_view(), name="iss-case-incidents"),
    path(
        "iss-cases/<int:pk>/marac-referrals/",
        MaracReferralApi.as_view(),
        name="iss-case-marac-referrals",
    ),
    path(
        "iss-cases/<int:pk>/safety-plans/", SafetyPlansApi.as_view(), name="iss-case-safety-plans"
    ),
    path(
        "iss-cases/<int:pk>/safety-plans/review/",
        SafetyPlanReviewApi.as_view(),
        name="iss-case-safety-plan-review",
    ),
    path("iss-cases/<int:pk>/sessions/", SupportSessionsApi.as_view(), name="iss-case-sessions"),
    path("iss-cases/<int:pk>/referrals/", SignpostingsApi.as_view(), name="iss-case-referrals"),
    path(
        "risk-notes/awaiting-approval/",
        RiskNotesAwaitingApprovalApi.as_view(),
        name="risk-notes-awaiting-approval",
    ),
    path("risk-notes/<int:pk>/approve/", RiskNoteApproveApi.as_view(), name="risk-note-approve"),
]
