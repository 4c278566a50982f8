"""/governance/: where to start, the services whose governance someone reads (namespace
"governance", included from tandem/urls.py)."""

from django.urls import path

from tandem.organisations import governance_views

app_name = "governance"
urlpatterns = [path("", governance_views.governance_home, name="home")]
