"""DRF's request-rate throttles, with rates read from settings on each request (DRF's own read
them once, at import) and the client's address taken as the audit trail takes it (DRF's own
believes any X-Forwarded-For).

A request without credentials is refused (401) before any throttle is asked, at no cost; the
anonymous rate applies to a route open to anonymous callers. The counts are kept in Django's
default cache: per process unless a shared cache is configured.
"""

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tandem.audit.middleware import client_ip


class AnonymousRateThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        rate: str | None = settings.TANDEM_API_THROTTLE_RATES[str(self.scope)]
        return rate

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request) or ""


class PersonRateThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        rate: str | None = settings.TANDEM_API_THROTTLE_RATES[str(self.scope)]
        return rate

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request) or ""
