from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
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
