from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from tandem.accounts import views as account_views
from tandem.work import views as work_views

api_v1 = (
    [
        path("", include("tandem.standards.apis")),
        path("", include("tandem.cases.apis.urls")),
        path("", include("tandem.delivery.apis")),
        path("", include("tandem.support.apis.urls")),
        path("", include("tandem.work.apis")),
        path("assurance/", include("tandem.assurance.apis")),
        path("", include("tandem.organisations.apis")),
        path("", include("tandem.governance.apis")),
        path("workforce/", include("tandem.workforce.apis")),
        path("", include("tandem.accounts.apis")),
        path("", include("tandem.accounts.api_tokens_apis")),
        path("", include("tandem.audit.apis")),
        path("", include("tandem.dataprotection.apis")),
    ],
    "v1",
)

urlpatterns = [
    path("", work_views.home, name="home"),
    path("sign-in/", account_views.sign_in, name="login"),
    path("sign-out/", account_views.sign_out, name="logout"),
    path("account/", include("tandem.accounts.urls")),
    path("standards/", include("tandem.standards.urls")),
    # /cases/<reference>/subject-access/review/: before cases' own, which it extends.
    path("", include("tandem.dataprotection.urls")),
    path("cases/", include("tandem.cases.urls")),
    path("delivery/", include("tandem.delivery.urls")),
    path("support/", include("tandem.support.urls")),
    path("my-work/", include("tandem.work.urls")),
    path("assurance/", include("tandem.assurance.urls")),
    path("services/", include("tandem.organisations.urls")),
    # /governance/ and /services/<id>/governance/...: the paths are in its urls.py.
    path("", include("tandem.governance.urls")),
    path("workforce/", include("tandem.workforce.urls")),
    path("audit-trail/", include("tandem.audit.urls")),
    path("api/v1/", include(api_v1, namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
]
