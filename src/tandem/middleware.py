from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
from rest_framework.views import APIView

from tandem.lib.documents import size_label


class LoginRequiredForPagesMiddleware(LoginRequiredMiddleware):
    """Pages send an anonymous visitor to sign in; API views answer 401/403 themselves.

    DRF's default permission class (IsAuthenticated) guards every API view, so a client gets a
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
        return super().process_view(request, view_func, view_args, view_kwargs)


class RequestSizeLimitMiddleware:
    """A request body larger than the set limit is refused with 400 before anything reads it:
    an upload (multipart) may be as large as `TANDEM_UPLOAD_REQUEST_MAX_BYTES`, anything else as
    `TANDEM_REQUEST_MAX_BYTES`. The WSGI server reads no more of a body than its Content-Length,
    so that header is what is checked. Pages get a page saying so, the API its usual 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        upload = request.content_type == "multipart/form-data"
        limit = settings.TANDEM_REQUEST_MAX_BYTES
        if upload:
            limit = settings.TANDEM_UPLOAD_REQUEST_MAX_BYTES
        if length <= limit:
            return self.get_response(request)
        message = (
            f"What was sent is too large: at most {size_label(limit)} "
            f"{'with the files attached' if upload else 'can be sent at once'}."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"non_field_errors": [message]}, status=400)
        return render(request, "400.html", {"message": message}, status=400)
