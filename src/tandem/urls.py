from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from tandem import views

api_v1 = (
    [
        path("", include("tandem.standards.apis")),
        path("", include("tandem.cases.apis")),
        path("", include("tandem.delivery.apis")),
        path("", include("tandem.support.apis")),
        path("", include("tandem.compliance.apis")),
        path("assurance/", include("tandem.assurance.apis")),
        path("", include("tandem.organisations.apis")),
        path("", include("tandem.organisations.governance_apis")),
        path("workforce/", include("tandem.workforce.apis")),
    ],
    "v1",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("standards/", include("tandem.standards.urls")),
    path("cases/", include("tandem.cases.urls")),
    path("delivery/", include("tandem.delivery.urls")),
    path("support/", include("tandem.support.urls")),
    path("my-work/", include("tandem.compliance.urls")),
    path("assurance/", include("tandem.assurance.urls")),
    path("services/", include("tandem.organisations.urls")),
    path("governance/", include("tandem.organisations.governance_home_urls")),
    path("workforce/", include("tandem.workforce.urls")),
    path("api/v1/", include(api_v1, namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
]
