from django.urls import path

from tandem.delivery import views

app_name = "delivery"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<int:service_id>/programmes/new/", views.programme_new, name="programme_new"),
    path(
        "services/<int:service_id>/sessions/new/",
        views.one_to_one_session_new,
        name="one_to_one_session_new",
    ),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:programme_id>/groups/new/", views.group_new, name="group_new"),
    path("groups/<int:group_id>/", views.group_register, name="group_register"),
    path("groups/<int:group_id>/participants/new/", views.participant_new, name="participant_new"),
    path(
        "groups/<int:group_id>/participants/<int:participant_id>/leave/",
        views.participant_leave,
        name="participant_leave",
    ),
    path("groups/<int:group_id>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/recording/", views.recording_new, name="recording_new"),
    path("recordings/", views.recordings, name="recordings"),
    path("recordings/<int:recording_id>/review/", views.recording_review, name="recording_review"),
    path("exceptions/", views.exceptions, name="exceptions"),
]
