"""What the governance pages share: a service's record lists are one section page (a heading,
an intro, buttons and tables of cells), and its links are named routes with the service first."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from tandem.organisations.models import Service


def today() -> date:
    return timezone.localdate()


def cell(text: object, *, href: str = "", tag: str = "", colour: str = "") -> dict[str, object]:
    """One table cell: its text, a link, and a tag in a colour."""
    return {"text": text, "href": href, "tag": tag, "colour": colour}


def date_text(day: date | None) -> str:
    return f"{day:%-d %b %Y}" if day else ""


def service_url(name: str, service: Service, *args: int) -> str:
    """The URL of the governance route `name` for the service (and the records it names)."""
    return reverse(name, args=[service.pk, *args])


def section_page(
    request: HttpRequest,
    *,
    service: Service,
    heading: str,
    intro: str,
    tables: list[dict[str, Any]],
    buttons: list[tuple[str, str]],
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "governance/section.html",
        {
            "service": service,
            "heading": heading,
            "intro": intro,
            "tables": tables,
            "buttons": buttons,
            **(extra or {}),
        },
    )
