from django.urls import path

from tandem.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("new/", views.service_new, name="service_new"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("<int:service_id>/", views.service_detail, name="service_detail"),
    path("<int:service_id>/settings/", views.service_edit, name="service_edit"),
    path("<int:service_id>/staff/new/", views.membership_new, name="membership_new"),
    path(
        "<int:service_id>/staff/<int:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
]
