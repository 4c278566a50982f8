"""Who may see and do what with programmes, groups, sessions and recordings: the perpetrator side
of a service and its managers. ISS workers never (the information barrier), nor assessors,
commissioners or anyone without a role. Which records someone can open at all is the selectors'
decision (404 outside their services)."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import MANAGER_ROLES, PERPETRATOR_WORK_ROLES
from tandem.organisations.models import Service
from tandem.organisations.selectors import perpetrator_side_services


@rules.predicate
def works_perpetrator_side_of_a_service(user: object) -> bool:
    return perpetrator_side_services(user=user).exists()  # type: ignore[arg-type]


@rules.predicate
def works_perpetrator_side_of_service(user: object, service: Service | None) -> bool:
    if service is None:
        return False
    return perpetrator_side_services(user=user).filter(pk=service.pk).exists()  # type: ignore[arg-type]


is_manager = holds_role(*MANAGER_ROLES)

VIEW_DELIVERY = "delivery.view_delivery"
RECORD_DELIVERY = "delivery.record_delivery"
MANAGE_PROGRAMMES = "delivery.manage_programmes"
REVIEW_RECORDINGS = "delivery.review_recordings"

rules.add_perm(
    VIEW_DELIVERY,
    holds_role(*PERPETRATOR_WORK_ROLES) & works_perpetrator_side_of_a_service,
)
# Plan sessions, record attendance, add participants, register recordings.
rules.add_perm(RECORD_DELIVERY, works_perpetrator_side_of_service)
# Set up programmes and groups.
rules.add_perm(MANAGE_PROGRAMMES, is_manager & works_perpetrator_side_of_service)
# Rule recording: the practice manager reviews the sample (a service manager may too).
rules.add_perm(REVIEW_RECORDINGS, is_manager & works_perpetrator_side_of_service)
