"""Where the current request came from, kept for the audit trail without passing the request on.

`AuditRequestMiddleware` sets it for the length of a request; outside a request (commands, the
shell, background work) there is none, and events are recorded without a where-from.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    user_agent: str
    path: str


_current: ContextVar[RequestContext | None] = ContextVar("tandem_audit_request", default=None)


def current_request_context() -> RequestContext | None:
    return _current.get()


@contextmanager
def request_context(context: RequestContext) -> Iterator[RequestContext]:
    """Make `context` the current request's for the block, restoring what was before after it."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
