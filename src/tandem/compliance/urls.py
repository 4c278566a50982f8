from django.urls import path

from tandem.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.my_work, name="my_work"),
]
