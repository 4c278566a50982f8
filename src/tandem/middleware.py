from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers
from rest_framework.views import APIView

from tandem.lib.two_factor import two_factor_verified


class LoginRequiredForPagesMiddleware(LoginRequiredMiddleware):
    """Pages send an anonymous visitor to sign in, and a person signed in with a password alone
    to their second factor; API views answer 401/403 themselves.

    DRF's default permission class (IsAuthenticated) guards every API view, and its session
    authentication accepts only a session that has passed both factors, so a client gets a
    status code it can act on instead of a redirect to an HTML form.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return None
        refused = super().process_view(request, view_func, view_args, view_kwargs)
        if refused is not None or not getattr(view_func, "login_required", True):
            return refused  # the sign-in page, or a page open to anyone
        if getattr(view_func, "two_factor_required", True) and not two_factor_verified(request):
            return redirect_to_login(request.get_full_path(), settings.TANDEM_TWO_FACTOR_URL)
        return None


# Browser features Tandem never uses, denied to every page and anything it embeds. WebAuthn
# (passkeys) stays allowed for Tandem's own origin.
PERMISSIONS_POLICY = ", ".join(
    [
        *(
            f"{feature}=()"
            for feature in (
                "accelerometer",
                "autoplay",
                "bluetooth",
                "camera",
                "display-capture",
                "geolocation",
                "gyroscope",
                "hid",
                "magnetometer",
                "microphone",
                "midi",
                "payment",
                "serial",
                "usb",
                "xr-spatial-tracking",
            )
        ),
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
    ]
)


class PrivateResponseHeadersMiddleware:
    """Permissions-Policy on every response, and `Cache-Control: no-store` on every response
    that may carry personal data, so no browser, proxy or shared computer keeps a copy: every
    response to a signed-in user and every API response (whoever asks; DRF signs API clients
    in inside the view, after this middleware has looked)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        private = request.path.startswith("/api/") or (user is not None and user.is_authenticated)
        # A view that already said no-store (a subject access download) keeps its own words.
        if private and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
