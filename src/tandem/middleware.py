import hashlib
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from tandem.idempotency.services import (
    KEY_MAX_LENGTH,
    AlreadyDone,
    Answer,
    KeyReused,
    write_once,
)
from tandem.lib.documents import size_label
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


class IdempotentApiWritesMiddleware:
    """An API POST sent with an `Idempotency-Key` header is done once per person, route and key
    for 24 hours (`tandem.idempotency`): a repeat with the same body gets the first answer
    (status, body and Location) and records nothing; the same key with a different body gets
    422. A refused or failed request keeps nothing, so it may be sent again under its key.
    Uploads (multipart) are not covered: their bodies are not read here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = request.headers.get("Idempotency-Key", "")
        if (
            request.method != "POST"
            or not key
            or not request.path.startswith("/api/")
            or request.content_type == "multipart/form-data"
        ):
            return self.get_response(request)
        if len(key) > KEY_MAX_LENGTH:
            return JsonResponse(
                {"Idempotency-Key": [f"Use a key of at most {KEY_MAX_LENGTH} characters."]},
                status=400,
            )
        user = _api_user(request)
        if user is None:
            return self.get_response(request)
        try:
            return write_once(
                user=user,
                route=request.path,
                key=key,
                fingerprint=hashlib.sha256(request.body).hexdigest(),
                write=lambda: self.get_response(request),
                answer=_answer_kept,
            )
        except AlreadyDone as done:
            return _answer_again(done.answer)
        except KeyReused:
            return JsonResponse(
                {
                    "Idempotency-Key": [
                        "This key was sent before with a different request: "
                        "use a new key for each new request."
                    ]
                },
                status=422,
            )


def _api_user(request: HttpRequest) -> User | None:
    """Who the API will take the request to be from, authenticated as the API does it (Basic
    or session, with its CSRF check, which reads the body: read here first, so the view can
    read it again); None for anyone it would refuse, the view left to refuse them itself."""
    request.body  # noqa: B018 (kept for the view and the fingerprint)
    signed_in = request.user
    # DRF's settings hold the classes (imported from their dotted names), not the names.
    authenticators = cast(
        list[type[BaseAuthentication]], api_settings.DEFAULT_AUTHENTICATION_CLASSES
    )
    parsers = cast(list[type[BaseParser]], api_settings.DEFAULT_PARSER_CLASSES)
    api_request = Request(
        request,
        authenticators=[auth() for auth in authenticators],
        parsers=[parser() for parser in parsers],
    )
    try:
        user = api_request.user
    except APIException:
        # A refused authentication leaves the request anonymous: the view's own answers it.
        request.user = signed_in
        return None
    return user if isinstance(user, User) and user.is_authenticated else None


def _answer_kept(response: HttpResponseBase) -> Answer | None:
    """A success is kept to answer a repeat with; anything else is not (it may be retried)."""
    if not 200 <= response.status_code < 300 or not isinstance(response, HttpResponse):
        return None
    return Answer(
        status=response.status_code,
        body=response.content.decode(),
        content_type=response.get("Content-Type", ""),
        location=response.get("Location", ""),
    )


def _answer_again(answer: Answer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    if answer.location:
        response["Location"] = answer.location
    response["Idempotent-Replayed"] = "true"
    return response
