"""The checklist processes' routes, under /api/v1/assurance/checklists/ (gathered by
`tandem.assurance.apis`)."""

from django.urls import path

from tandem.assurance.checklists.apis.commissioning import (
    CommissioningApi,
    PartnershipApi,
    PartnershipCreateApi,
    PartnershipMemberApi,
    PartnershipOrganisationApi,
    RelationshipApi,
)
from tandem.assurance.checklists.apis.steps import (
    AuditOpenApi,
    CompleteApi,
    JudgementApi,
    LinkPersonApi,
    OutcomeApi,
    PeerReviewApi,
    PeerReviewerApi,
    RatingApi,
    ReportApi,
    ScheduleAgreeApi,
    ScheduleApi,
    SelfAssessmentStartApi,
    SubmitApi,
    VisitApi,
    WelshStartApi,
    WestMidlandsStartApi,
)
from tandem.assurance.checklists.apis.summaries import SummaryApi

_ONE = "checklists/<int:assessment_id>"
_RECORD = f"{_ONE}/records/<int:record_id>"
urlpatterns = [
    path("checklists/audits/", AuditOpenApi.as_view(), name="checklists-audits"),
    path("checklists/welsh/", WelshStartApi.as_view(), name="checklists-welsh"),
    path(
        "checklists/west-midlands/",
        WestMidlandsStartApi.as_view(),
        name="checklists-west-midlands",
    ),
    path(
        "checklists/self-assessments/",
        SelfAssessmentStartApi.as_view(),
        name="checklists-self-assessments",
    ),
    path("checklists/commissioning/", CommissioningApi.as_view(), name="checklists-commissioning"),
    path(
        "checklists/commissioning/relationships/",
        RelationshipApi.as_view(),
        name="checklists-relationships",
    ),
    path(
        "checklists/partnerships/", PartnershipCreateApi.as_view(), name="checklists-partnerships"
    ),
    path(
        "checklists/partnerships/<int:partnership_id>/",
        PartnershipApi.as_view(),
        name="checklists-partnership",
    ),
    path(
        "checklists/partnerships/<int:partnership_id>/organisations/",
        PartnershipOrganisationApi.as_view(),
        name="checklists-partnership-organisations",
    ),
    path(
        "checklists/partnerships/<int:partnership_id>/members/",
        PartnershipMemberApi.as_view(),
        name="checklists-partnership-members",
    ),
    path(f"{_ONE}/", SummaryApi.as_view(), name="checklists-summary"),
    path(f"{_ONE}/link-person/", LinkPersonApi.as_view(), name="checklists-link-person"),
    path(f"{_ONE}/schedule/", ScheduleApi.as_view(), name="checklists-schedule"),
    path(f"{_ONE}/schedule/agree/", ScheduleAgreeApi.as_view(), name="checklists-schedule-agree"),
    path(f"{_ONE}/visit/", VisitApi.as_view(), name="checklists-visit"),
    path(f"{_ONE}/report/", ReportApi.as_view(), name="checklists-report"),
    path(f"{_ONE}/outcome/", OutcomeApi.as_view(), name="checklists-outcome"),
    path(f"{_ONE}/peer-reviewer/", PeerReviewerApi.as_view(), name="checklists-peer-reviewer"),
    path(f"{_ONE}/submit/", SubmitApi.as_view(), name="checklists-submit"),
    path(f"{_ONE}/complete/", CompleteApi.as_view(), name="checklists-complete"),
    path(f"{_RECORD}/judgement/", JudgementApi.as_view(), name="checklists-judgement"),
    path(f"{_RECORD}/rating/", RatingApi.as_view(), name="checklists-rating"),
    path(f"{_RECORD}/peer-review/", PeerReviewApi.as_view(), name="checklists-peer-review"),
]
