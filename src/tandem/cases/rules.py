"""Who may do what with perpetrator cases. Which cases someone can see at all is decided by the
selectors (their services); these rules decide what they may do with a case they can see."""

import rules

from tandem.access.predicates import holds_role
from tandem.access.roles import ISS_WORK_ROLES, MANAGER_ROLES, PERPETRATOR_WORK_ROLES, Role
from tandem.cases.models import PerpetratorCase, RiskEngagementExchange
from tandem.cases.selectors import case_review_services_for_user
from tandem.organisations.models import Service
from tandem.organisations.selectors import (
    is_senior_manager_of,
    iss_side_services,
    perpetrator_side_services,
)


@rules.predicate
def works_perpetrator_side_of(user: object, case: PerpetratorCase | None) -> bool:
    if case is None:
        return False
    return perpetrator_side_services(user=user).filter(pk=case.service_id).exists()  # type: ignore[arg-type]


@rules.predicate
def works_iss_side_of(user: object, case: PerpetratorCase | None) -> bool:
    """On the ISS side of the case's service: who records, on a proposed suspension or removal,
    that the ISS was consulted and the survivors told first (rule suspend-remove)."""
    if case is None:
        return False
    return iss_side_services(user=user).filter(pk=case.service_id).exists()  # type: ignore[arg-type]


@rules.predicate
def works_perpetrator_side_of_a_service(user: object) -> bool:
    """On the perpetrator side of at least one service now: a referral belongs to a service, so
    the role alone gives someone nowhere to record one."""
    return perpetrator_side_services(user=user).exists()  # type: ignore[arg-type]


@rules.predicate
def is_senior_manager_of_case_service(user: object, case: PerpetratorCase | None) -> bool:
    return case is not None and is_senior_manager_of(user=user, service=case.service)  # type: ignore[arg-type]


@rules.predicate
def runs_case_reviews_of(user: object, service: Service | None) -> bool:
    """A senior manager of the service, or a practice or service manager on its perpetrator
    side: who holds case management reviews and case-file audits (rules case-review,
    file-audit)."""
    if service is None:
        return False
    return case_review_services_for_user(user=user).filter(pk=service.pk).exists()  # type: ignore[arg-type]


@rules.predicate
def works_iss_side_of_exchange_service(
    user: object, exchange: RiskEngagementExchange | None
) -> bool:
    if exchange is None:
        return False
    return iss_side_services(user=user).filter(pk=exchange.service_id).exists()  # type: ignore[arg-type]


@rules.predicate
def works_perpetrator_side_of_exchange_service(
    user: object, exchange: RiskEngagementExchange | None
) -> bool:
    if exchange is None:
        return False
    return perpetrator_side_services(user=user).filter(pk=exchange.service_id).exists()  # type: ignore[arg-type]


# The permission names, for views, APIs and services to import (templates say perms.cases.*).
VIEW_CASE_LIST = "cases.view_case_list"
ADD_REFERRAL = "cases.add_referral"
RECORD_REFERRAL = "cases.record_referral"
CHANGE_CASE = "cases.change_perpetrator_case"
RECORD_ENGAGEMENT_CHANGE = "cases.record_engagement_change"
RECORD_SUSPENSION_ISS_STEPS = "cases.record_suspension_iss_steps"
SIGN_OFF = "cases.sign_off"
EXPORT_SUBJECT_ACCESS = "cases.export_subject_access"
MANAGE_CASE_REVIEWS = "cases.manage_case_reviews"
GIVE_EXCHANGE_ISS_MANAGER_APPROVAL = "cases.give_exchange_iss_manager_approval"
GIVE_EXCHANGE_SERVICE_MANAGER_APPROVAL = "cases.give_exchange_service_manager_approval"

rules.add_perm(VIEW_CASE_LIST, holds_role(*(PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES)))
rules.add_perm(ADD_REFERRAL, holds_role(*PERPETRATOR_WORK_ROLES))
# May record a referral now: the role, and a service whose perpetrator side they work on.
rules.add_perm(
    RECORD_REFERRAL,
    holds_role(*PERPETRATOR_WORK_ROLES) & works_perpetrator_side_of_a_service,
)
rules.add_perm(CHANGE_CASE, works_perpetrator_side_of)
# Rule engagement-change: his worker's side records what changed; the ISS is then told.
rules.add_perm(RECORD_ENGAGEMENT_CHANGE, works_perpetrator_side_of)
rules.add_perm(RECORD_SUSPENSION_ISS_STEPS, works_iss_side_of)
# Signs off a suspension or removal (rule suspend-remove) and a report to another agency (rule
# external-report).
rules.add_perm(SIGN_OFF, is_senior_manager_of_case_service)
# NE 5.2: the data held about him, which never shows whether a survivor had contact with the
# ISS, is produced for him by a senior manager of the service (subject access).
rules.add_perm(EXPORT_SUBJECT_ACCESS, is_senior_manager_of_case_service)
# Case management reviews, case-file audits and the weekly exchange (rules case-review,
# file-audit, weekly-exchange).
rules.add_perm(MANAGE_CASE_REVIEWS, runs_case_reviews_of)
# What the ISS said in a weekly exchange reaches the perpetrator side as a shared risk note does
# (rule survivor-confidentiality): approved first by a manager on the ISS side of the service,
# then, where the service offers intensive case management, by the service manager on its
# perpetrator side (R22-I B3.3).
rules.add_perm(
    GIVE_EXCHANGE_ISS_MANAGER_APPROVAL,
    holds_role(*MANAGER_ROLES) & works_iss_side_of_exchange_service,
)
rules.add_perm(
    GIVE_EXCHANGE_SERVICE_MANAGER_APPROVAL,
    holds_role(Role.SERVICE_MANAGER) & works_perpetrator_side_of_exchange_service,
)
