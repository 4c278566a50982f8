"""The one permission layer. Views, API routes, exports, searches and services ask it; none
decides alone.

Permissions are named rules (`rules.add_perm` in each app's `rules.py`, which exports each name
as a constant). A page view is wrapped in `permission_required_or_403` (or asks
`require_permission` about a record it has opened); an API view declares `required_permission`
and uses `RulePermission`; a service that must refuse an actor asks `refuse_unless_permitted`,
with the same names.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from tandem.access.roles import Person
from tandem.lib.errors import ActionRefused

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def permitted(user: Person, permission: str, target: object | None = None) -> bool:
    """Whether `user` holds `permission` (on `target`, for a rule about one record)."""
    # Every user model Django gives a view (User, AnonymousUser) answers has_perm; rules' object
    # permissions take any object, not only a model instance.
    return bool(user.has_perm(permission, target))  # type: ignore[union-attr,arg-type]


def require_permission(user: Person, permission: str, target: object | None = None) -> None:
    """403 (PermissionDenied) unless `user` holds `permission` (on `target`): for a page or API
    route about a record the person can open but may not act on."""
    if not permitted(user, permission, target):
        raise PermissionDenied(permission)


def refuse_unless_permitted(
    *,
    actor: Person,
    permission: str,
    target: object | None = None,
    refusal: str,
    rule_id: str = "",
    field: str = "actor",
) -> None:
    """For services: refuse (`ActionRefused`, with `refusal` as the reason the person reads)
    unless the actor holds `permission` (on `target`), the same rule the pages and API ask."""
    if not permitted(actor, permission, target):
        raise ActionRefused(refusal, rule_id=rule_id, field=field)


def permission_required_or_403(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    """Refuse (403) a signed-in user who lacks `permission`; sign-in itself is the middleware's."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_permission(request.user, permission)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


class RulePermission(BasePermission):
    """Allows an API request when the user holds the view's `required_permission` rule."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        permission: str = view.required_permission  # type: ignore[attr-defined]
        return bool(request.user and permitted(request.user, permission))
