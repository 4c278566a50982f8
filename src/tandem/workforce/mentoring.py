"""What rule mentoring (NE 3.12) needs from outside workforce: the group sessions a mentee and
their mentor co-worked. A mentoring ends at 6 months or 26 such sessions.

Sessions are delivery's records, and delivery stands above workforce in the layers: it allocates
staff to sessions, so it imports workforce (the dbs gate, facilitators' genders). Workforce
cannot import delivery back without a cycle, so it declares here the one thing it needs, and
delivery provides it when the apps are ready (`DeliveryConfig.ready`).
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Expression, OuterRef

# A person, a day, or (in a subquery) a reference to the outer query's column.
PersonRef = User | OuterRef | Expression
DayRef = date | OuterRef | Expression


class CoWorkedCount(Protocol):
    def __call__(self, *, mentee: User, mentor: User, since: date, until: date) -> int:
        """The group sessions held from `since` to `until` (both included) that the mentee and
        the mentor both facilitated. One query."""
        ...


class CoWorkedCountExpression(Protocol):
    def __call__(
        self, *, mentee: PersonRef, mentor: PersonRef, since: DayRef, until: DayRef
    ) -> Expression:
        """The same count as one subquery, to annotate many rows at once (with `OuterRef`s for
        the people and days): no query per row."""
        ...


@dataclass(frozen=True)
class CoWorkedSessions:
    count: CoWorkedCount
    count_expression: CoWorkedCountExpression


_provided: CoWorkedSessions | None = None


def co_worked_sessions_provide(sessions: CoWorkedSessions) -> None:
    """Delivery's answer, given once the apps are ready."""
    global _provided
    _provided = sessions


def co_worked_sessions() -> CoWorkedSessions:
    """The co-worked sessions count, as delivery provides it; refused loudly if it never did
    (a mentoring's progress cannot be judged without it)."""
    if _provided is None:
        raise ImproperlyConfigured(
            "rule mentoring counts co-worked sessions, which tandem.delivery provides in "
            "DeliveryConfig.ready(): is tandem.delivery in INSTALLED_APPS?"
        )
    return _provided
