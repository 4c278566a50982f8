"""Assurance pages, under /assurance/ (namespace "assurance"): each sub-package's, gathered here.
The checklist processes' have their own namespace, "assurance:checklists"."""

from django.urls import include, path

from tandem.assurance.checklists.views import index as checklist_index
from tandem.assurance.reports import urls as report_urls
from tandem.assurance.respect import urls as respect_urls

app_name = "assurance"
urlpatterns = [
    *respect_urls.urlpatterns,
    # The 2008 audit, Welsh checklist, West Midlands self-evaluation and self-assessment.
    path("checklists/", include("tandem.assurance.checklists.urls")),
    # Declaring for a part in any process; each process's page follows.
    path(
        "declarations/<int:participant_id>/",
        checklist_index.declare_for_any_process,
        name="declare",
    ),
    *report_urls.urlpatterns,
]
