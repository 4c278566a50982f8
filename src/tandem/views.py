"""Pages that belong to no one domain area."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.access.roles import roles_of


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"roles": sorted(r.label for r in roles_of(request.user))})
