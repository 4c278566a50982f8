"""Who and from where, for the audit trail.

The client's address is REMOTE_ADDR. X-Forwarded-For is written by whoever sends the request, so
it is believed only when `TANDEM_TRUSTED_PROXY_COUNT` says how many proxies of our own stand in
front of Tandem: each appends the address it saw, so the client is that many entries from the end.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from tandem.audit.context import RequestContext, request_context

USER_AGENT_MAX_LENGTH = 255
PATH_MAX_LENGTH = 2000


def _trusted_proxy_count() -> int:
    return int(getattr(settings, "TANDEM_TRUSTED_PROXY_COUNT", 0))


def _valid_ip(value: str | None) -> str | None:
    """The address in `value` (a port, if any, removed), or None when it is not an address."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("["):  # [IPv6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For as far as trusted proxies vouch."""
    remote_addr = _valid_ip(request.META.get("REMOTE_ADDR"))
    trusted = _trusted_proxy_count()
    if trusted <= 0:
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < trusted:
        # Fewer hops than our own proxies would have added: the header is not theirs to believe.
        return remote_addr
    return _valid_ip(hops[-trusted]) or remote_addr


class AuditRequestMiddleware:
    """Keeps the client address, user agent and path in a context variable during the request.

    Record an event before returning the response: a streamed body is produced after the context
    has ended.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        context = RequestContext(
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
            path=request.path[:PATH_MAX_LENGTH],
        )
        with request_context(context):
            return self.get_response(request)
