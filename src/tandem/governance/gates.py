"""The governance gates: the refusals of governance writes, each one function named after its
rule in rules.md (section 5) or its source where rules.md has no id. A gate returns the
refusal (naming the field and rule) or None when it passes; the dates are in `deadlines.py`."""

from datetime import date

from tandem.access.roles import Person
from tandem.cases.models import PerpetratorCase, Stage
from tandem.governance.deadlines import policy_review_latest
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service
from tandem.support.models import IssCase


def policy_review_refusal(*, approved_on: date, next_review_on: date) -> ActionRefused | None:
    """Rule policies (R22 A1.1, WM 1): a policy's next review is after its approval and at most
    3 years after it (exactly 3 years is allowed)."""
    latest = policy_review_latest(approved_on=approved_on)
    if next_review_on <= approved_on:
        return ActionRefused(
            "the next review must be after the governing body's approval",
            field="next_review_on",
            rule_id="policies",
        )
    if next_review_on > latest:
        return ActionRefused(
            f"policies are reviewed at least every 3 years: the next review must be on or "
            f"before {latest:%-d %B %Y}",
            field="next_review_on",
            rule_id="policies",
        )
    return None


def agreement_dates_refusal(*, signed_on: date, review_on: date) -> ActionRefused | None:
    """Agreements (R22 C1.7, D1.2): an agreement is reviewed after it is signed."""
    if review_on <= signed_on:
        return ActionRefused(
            "the review date must be after the date it was signed", field="review_on"
        )
    return None


def _open_cases_allocated_to(*, user: Person, service: Service) -> int:
    """His open cases and her open ISS cases alike: the lead works directly with neither."""
    perpetrator_cases = (
        PerpetratorCase.objects.filter(service=service, allocated_worker_id=user.pk or 0)
        .exclude(stage=Stage.CLOSED)
        .filter(closed_at__isnull=True)
    )
    iss_cases = IssCase.objects.filter(
        survivor__service=service, allocated_worker_id=user.pk or 0, closed_at__isnull=True
    )
    return perpetrator_cases.count() + iss_cases.count()


def case_management_lead_caseload_refusal(
    *, user: Person, service: Service
) -> ActionRefused | None:
    """Rule case-management-lead (R22-S B2.1 guidance: the person responsible for case
    management "does not work directly with perpetrators or survivors"): no one with open
    cases allocated to them in the service can be named lead."""
    open_cases = _open_cases_allocated_to(user=user, service=service)
    if open_cases:
        return ActionRefused(
            f"the case management lead must not carry a caseload: they have {open_cases} open "
            f"case{'s' if open_cases != 1 else ''} allocated in {service.name}; "
            "reallocate them first",
            field="user",
            rule_id="case-management-lead",
        )
    return None
