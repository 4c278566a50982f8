"""Who may see and do what with workforce records.

- The service manager, and HR, of an organisation's services manage its workers' records
  (employment, checks, training, supervision, mentoring) and see the staff compliance matrix.
- A worker sees their own record, and no one else's.
- A practice manager of the organisation may record the supervision they give.
- Supervision content (what was said) is seen only by the supervisee, the supervisor and the
  service manager; others who may open the record see only that it happened.
- A disclosure of personal experience of domestic abuse is seen only by the service manager and
  HR.

Which records someone can open at all is the selectors' decision (404 outside their reach);
these rules decide what they may do with a record they can open (403).
"""

import contextlib

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import Role
from tandem.workforce.models import Supervision, Worker
from tandem.workforce.selectors import (
    WORKFORCE_MANAGER_ROLES,
    managed_organisations,
    organisations_with_role,
)


def _in(user: object, roles: list[Role], organisation_id: int) -> bool:
    """Whether the person holds one of `roles` in the organisation. Answered once per request
    (cached on the user object, like their roles), so a page asking about many records of the
    same organisation makes one query, not one per record."""
    key = frozenset(roles)
    cache: dict[frozenset[Role], set[int]] | None = getattr(user, "_tandem_workforce_orgs", None)
    if cache is None:
        cache = {}
        with contextlib.suppress(AttributeError):
            user._tandem_workforce_orgs = cache  # type: ignore[attr-defined]
    if key not in cache:
        cache[key] = set(
            organisations_with_role(user=user, roles=roles).values_list(  # type: ignore[arg-type]
                "pk", flat=True
            )
        )
    return organisation_id in cache[key]


@rules.predicate
def manages_workforce(user: object) -> bool:
    """A service manager or HR with a current place in some organisation's service."""
    return managed_organisations(user=user).exists()  # type: ignore[arg-type]


@rules.predicate
def manages_worker(user: object, worker: Worker | None) -> bool:
    if worker is None:
        return False
    return _in(user, list(WORKFORCE_MANAGER_ROLES), worker.organisation_id)


@rules.predicate
def is_service_manager_of_worker(user: object, worker: Worker | None) -> bool:
    return worker is not None and _in(user, [Role.SERVICE_MANAGER], worker.organisation_id)


@rules.predicate
def is_the_worker(user: object, worker: Worker | None) -> bool:
    return worker is not None and worker.user_id == getattr(user, "pk", None)


@rules.predicate
def is_practice_manager_of_worker(user: object, worker: Worker | None) -> bool:
    return worker is not None and _in(user, [Role.PRACTICE_MANAGER], worker.organisation_id)


@rules.predicate
def may_read_supervision_content(user: object, supervision: Supervision | None) -> bool:
    """The supervisee, the supervisor and the service manager: no one else reads what was said
    (HR and practice managers who did not give it see only that it happened)."""
    if supervision is None:
        return False
    pk = getattr(user, "pk", None)
    if pk is None:
        return False
    if pk in (supervision.supervisor_id, supervision.supervisee.user_id):
        return True
    return is_service_manager_of_worker(user, supervision.supervisee)


@rules.predicate
def has_worker_record(user: object) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and Worker.objects.filter(user_id=pk).exists()


@rules.predicate
def is_practice_manager_somewhere(user: object) -> bool:
    return organisations_with_role(user=user, roles=[Role.PRACTICE_MANAGER]).exists()  # type: ignore[arg-type]


VIEW_STAFF = "workforce.view_staff"
SHOW_STAFF_MENU = "workforce.show_staff_menu"
MANAGE_WORKFORCE = "workforce.manage_workforce"
VIEW_WORKER = "workforce.view_worker"
MANAGE_WORKER = "workforce.manage_worker"
RECORD_SUPERVISION = "workforce.record_supervision"
RECORD_ANY_SUPERVISION = "workforce.record_any_supervision"
VIEW_SUPERVISION_CONTENT = "workforce.view_supervision_content"
VIEW_DISCLOSURES = "workforce.view_disclosures"

# The workforce pages at all: someone who manages staff, a practice manager (who records the
# supervision they give), or someone with a worker record of their own.
rules.add_perm(VIEW_STAFF, manages_workforce | is_practice_manager_somewhere | has_worker_record)
# The "Staff" menu item: managers only (asked on every page, so without a query for others).
rules.add_perm(SHOW_STAFF_MENU, holds_role(*WORKFORCE_MANAGER_ROLES) & manages_workforce)
rules.add_perm(MANAGE_WORKFORCE, manages_workforce)
rules.add_perm(VIEW_WORKER, manages_worker | is_the_worker)
rules.add_perm(MANAGE_WORKER, manages_worker)
rules.add_perm(RECORD_SUPERVISION, manages_worker | is_practice_manager_of_worker)
rules.add_perm(RECORD_ANY_SUPERVISION, manages_workforce | is_practice_manager_somewhere)
rules.add_perm(VIEW_SUPERVISION_CONTENT, may_read_supervision_content)
rules.add_perm(VIEW_DISCLOSURES, holds_role(Role.SERVICE_MANAGER, Role.HR) & manages_worker)
