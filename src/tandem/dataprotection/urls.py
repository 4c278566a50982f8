from django.urls import path

from tandem.dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path(
        "cases/<str:reference>/subject-access/review/",
        views.case_subject_access_review,
        name="case_subject_access_review",
    ),
]
