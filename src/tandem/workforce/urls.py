from django.urls import path

from tandem.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<int:service_id>/staff/", views.staff_list, name="staff_list"),
    path("services/<int:service_id>/matrix/", views.matrix, name="matrix"),
    path("services/<int:service_id>/workers/new/", views.worker_new, name="worker_new"),
    path("workers/<int:worker_id>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:worker_id>/edit/", views.worker_edit, name="worker_edit"),
    path("workers/<int:worker_id>/checks/new/", views.check_new, name="check_new"),
    path("workers/<int:worker_id>/training/new/", views.training_new, name="training_new"),
    path("workers/<int:worker_id>/supervision/new/", views.supervision_new, name="supervision_new"),
    path("workers/<int:worker_id>/disclosures/new/", views.disclosure_new, name="disclosure_new"),
    path("workers/<int:worker_id>/mentoring/new/", views.mentoring_new, name="mentoring_new"),
    path(
        "workers/<int:worker_id>/mentoring/<int:mentoring_id>/end/",
        views.mentoring_end_view,
        name="mentoring_end",
    ),
]
