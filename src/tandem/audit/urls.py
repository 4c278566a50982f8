from django.urls import path

from tandem.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_trail, name="trail"),
    path("download/", views.audit_trail_download, name="trail_download"),
]
