"""The API kit: what every app's `apis.py` builds on, so that every route answers refusals,
missing records and pages the same way.

- A service's refusal (`ActionRefused`) raised in a view is answered by `refusal_exception_handler`
  (set in settings): 400 with `{field: [message]}` and `rule`, or 409 for a stale read
  (`StaleRecord`). No view catches them itself. A view whose input names a field otherwise than
  the service does says so in `refusal_field_names`.
- `DepthLimitedJSONParser` (set in settings) answers JSON nested deeper than
  `TANDEM_JSON_MAX_DEPTH` with 400; a body too large never reaches it
  (`tandem.middleware.RequestSizeLimitMiddleware`).
- `bounded_list` and `bounded_map`: every list (or map) a request may carry has an upper bound,
  refused beyond it with a 400 in people's words, and shown in the schema.
- `signed_in` is the acting person; `created` the 201 answer; `write_schema` and `list_schema`
  document a route's answers with the shared `REFUSED`, `NOT_ALLOWED`, `STALE` and a route's own
  `not_found`.

Whether someone may call a route at all is `tandem.access.permissions.RulePermission`'s decision.
"""

from typing import IO, Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import MaxLengthValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler

from tandem.idempotency.services import KEY_MAX_LENGTH
from tandem.lib.errors import ActionRefused, StaleRecord

REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "Invalid input, or refused by the standards: `{field: [message]}` (`non_field_errors` "
        "when no one field is at fault), with `rule` naming the rule in rules.md when one refuses"
    ),
)
NOT_ALLOWED = OpenApiResponse(description="Signed in, but may not do this")
STALE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Someone changed the record since `version` was read: `{version: [message]}`",
)


def not_found(description: str) -> OpenApiResponse:
    """A route's 404, saying what it looked for among what the person may open (a record
    outside their reach is 404, so its existence is not leaked)."""
    return OpenApiResponse(description=description)


def signed_in(request: Request) -> User:
    """The acting person; the route's permission class has already refused anyone not signed in."""
    return cast(User, request.user)


def created(serializer_class: type[serializers.Serializer[Any]], record: Any) -> Response:
    return Response(serializer_class(record).data, status=status.HTTP_201_CREATED)


def write_schema(
    input_serializer: type[serializers.Serializer[Any]] | None,
    output: Any,
    summary: str,
    *,
    not_found: OpenApiResponse,
    created_status: int = status.HTTP_201_CREATED,
    stale: bool = False,
) -> Any:
    """The schema of a write: its answer, and the refusals every write may meet."""
    responses = {created_status: output, 400: REFUSED, 403: NOT_ALLOWED, 404: not_found}
    if stale:
        responses[409] = STALE
    return extend_schema(summary=summary, request=input_serializer, responses=responses)


def list_schema(summary: str, *, not_found: OpenApiResponse) -> Any:
    return extend_schema(summary=summary, responses={403: NOT_ALLOWED, 404: not_found})


NOT_SIGNED_IN = (
    "Not signed in: send an API token as `Authorization: Token <token>` (made on the API tokens "
    "page), or sign in with a session."
)


class BoundedListField(serializers.ListField):
    """A ListField that refuses too many items before validating any of them, and reports the
    errors of nested records as `many=True` does: a list, `{}` for each record without any."""

    def run_child_validation(self, data: list[Any]) -> list[Any]:
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        try:
            return cast(list[Any], super().run_child_validation(data))
        except serializers.ValidationError as error:
            if not isinstance(self.child, serializers.BaseSerializer) or not isinstance(
                error.detail, dict
            ):
                raise
            by_item = cast(dict[Any, Any], error.detail)  # keyed by index, not by name
            raise serializers.ValidationError(
                [by_item.get(index, {}) for index in range(len(data))]
            ) from None


def bounded_list(
    child: serializers.Field[Any, Any, Any, Any],
    *,
    at_most: int,
    too_many: str,
    **kwargs: Any,
) -> BoundedListField:
    """A list in a request, of at most `at_most` items; more are refused with `too_many` (say it
    in people's words, naming the limit). A list field even around a nested serializer (rather
    than `many=True`), so that the schema shows the bound as `maxItems`."""
    return BoundedListField(
        child=child, max_length=at_most, error_messages={"max_length": too_many}, **kwargs
    )


def bounded_map(
    child: serializers.Field[Any, Any, Any, Any],
    *,
    at_most: int,
    too_many: str,
    **kwargs: Any,
) -> serializers.DictField:
    """A map in a request (keys to values), of at most `at_most` entries (`maxProperties`)."""
    return serializers.DictField(
        child=child, validators=[MaxLengthValidator(at_most, message=too_many)], **kwargs
    )


def refusal_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the domain's refusals: 409 for a write based on a stale read, 400 for
    any other refusal, naming the field (as the view's input names it) and the rule. A request
    with no credentials at all is told how to send them."""
    if (
        isinstance(exc, exceptions.NotAuthenticated)
        and exc.detail == exceptions.NotAuthenticated.default_detail
    ):
        exc.detail = exceptions.ErrorDetail(NOT_SIGNED_IN, code=exc.default_code)
    if isinstance(exc, StaleRecord):
        return Response(exc.as_api_error(), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ActionRefused):
        field_names = getattr(context.get("view"), "refusal_field_names", None)
        return Response(
            exc.as_api_error(field_names=field_names), status=status.HTTP_400_BAD_REQUEST
        )
    return exception_handler(exc, context)


class LimitOffsetWithCeiling(LimitOffsetPagination):
    """Pages of 100 by default; without a ceiling, a huge `limit` reaches the database as an
    out-of-range integer and fails instead of answering a page."""

    max_limit = 1000


def _nesting_depth(value: Any) -> int:
    """How many arrays and objects deep a parsed JSON value goes (a bare number: 0)."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


class DepthLimitedJSONParser(JSONParser):
    """JSON nested deeper than any route takes is refused with 400, not parsed into a
    RecursionError and a 500. No route's input goes more than a few levels deep."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        limit = settings.TANDEM_JSON_MAX_DEPTH
        refusal = f"JSON nested more than {limit} levels deep is not accepted."
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(refusal) from None
        if _nesting_depth(data) > limit:
            raise ParseError(refusal)
        return data


def document_idempotency_key(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every POST that takes JSON or a form says it honours
    an `Idempotency-Key` header (tandem.middleware.IdempotentApiWritesMiddleware) and may
    answer 422 for a key sent before with a different request."""
    for operations in result.get("paths", {}).values():
        post = operations.get("post")
        content = (post or {}).get("requestBody", {}).get("content", {})
        if post is None or set(content) == {"multipart/form-data"}:
            continue
        post.setdefault("parameters", []).append(
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string", "maxLength": KEY_MAX_LENGTH},
                "description": "Any unique value: sent again with the same request within 24 "
                "hours, the write is not done twice and the first answer is given again",
            }
        )
        post["responses"].setdefault(
            "422", {"description": "The Idempotency-Key was sent before with a different request"}
        )
    return result
