"""An assessment's reports and exports, gathered into the "assurance" namespace by
`tandem.assurance.urls`."""

from django.urls import path

from tandem.assurance.reports import views

urlpatterns = [
    path("<int:assessment_id>/reports/", views.report_list, name="reports"),
    path(
        "<int:assessment_id>/reports/<slug:kind>/generate/",
        views.report_generate,
        name="report_generate",
    ),
    path(
        "<int:assessment_id>/reports/<slug:kind>/v<int:version>/",
        views.report_detail,
        name="report_detail",
    ),
    path(
        "<int:assessment_id>/reports/<slug:kind>/v<int:version>.pdf",
        views.report_pdf,
        name="report_pdf",
    ),
    path(
        "<int:assessment_id>/exports/evidence-pack.zip",
        views.evidence_pack,
        name="evidence_pack",
    ),
    path(
        "<int:assessment_id>/exports/requirements.csv",
        views.requirements_csv,
        name="requirements_csv",
    ),
    path(
        "<int:assessment_id>/exports/requirements.xlsx",
        views.requirements_xlsx,
        name="requirements_xlsx",
    ),
]
