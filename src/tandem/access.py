"""The one permission layer. Views, API routes, exports and searches ask it; none decides alone.

Permissions are named rules (`rules.add_perm` in each app's `rules.py`). A page view is wrapped
in `permission_required_or_403`; an API view declares `required_permission` and uses
`RulePermission`.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def permission_required_or_403(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    """Refuse (403) a signed-in user who lacks `permission`; sign-in itself is the middleware's."""

    def decorator(view: ViewFunc) -> ViewFunc:
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        wrapped.__module__ = view.__module__
        return wrapped  # type: ignore[return-value]

    return decorator


class RulePermission(BasePermission):
    """Allows an API request when the user holds the view's `required_permission` rule."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        permission: str = view.required_permission  # type: ignore[attr-defined]
        return bool(request.user and request.user.has_perm(permission))
