"""The governance rules and deadlines, each one function named after its rule in rules.md
(section 5) or its source where rules.md has no id. Pages, the API, the governance calendar and
the "My work" items all call these; none computes a governance deadline itself."""

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from tandem.cases.models import PerpetratorCase, Stage
from tandem.lib.calendar import UK_TIME, Jurisdiction, due_after_working_days
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import Service
from tandem.support.models import IssCase

User = AbstractBaseUser | AnonymousUser

# Rule policies (R22 A1.1 guidance 2a, WM 1): reviewed at least every 3 years.
POLICY_REVIEW_MAX_YEARS = 3
# Rule model-review (R22-S/I B1.2): reviewed every year.
MODEL_REVIEW_MONTHS = 12
# Rule governance-report (R22 A2.2): reports at least quarterly.
GOVERNANCE_REPORT_MONTHS = 3


def policy_review_latest(*, approved_on: date) -> date:
    """Rule policies (R22 A1.1, WM 1): the latest a policy's next review may be, 3 years after
    the governing body approved it."""
    return approved_on + relativedelta(years=POLICY_REVIEW_MAX_YEARS)


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


def model_review_due(*, last_reviewed_on: date | None, today: date) -> date:
    """Rule model-review (R22-S B1.2, R22-I B1.2): the model of work is reviewed every year, 12
    months after the last review; with none recorded, one is due now."""
    if last_reviewed_on is None:
        return today
    return last_reviewed_on + relativedelta(months=MODEL_REVIEW_MONTHS)


def governance_report_due(*, last_presented_on: date | None, today: date) -> date:
    """Rule governance-report (R22 A2.2): the governing body receives a performance report at
    least quarterly, 3 months after the last one presented; with none presented, one is due
    now."""
    if last_presented_on is None:
        return today
    return last_presented_on + relativedelta(months=GOVERNANCE_REPORT_MONTHS)


# Rule edi-review (R22 D1.1, D1.3): the equalities framework every 3 years; diversity goals and
# the service-user profile at least annually.
EDI_REVIEW_MONTHS = {"framework": 36, "diversity_goals": 12, "service_user_profile": 12}


def edi_review_due(*, kind: str, last_reviewed_on: date | None, today: date) -> date:
    """Rule edi-review (R22 D1.1, D1.3): the equalities framework is reviewed every 3 years,
    the diversity goals and the service-user profile at least annually; with none recorded, a
    review is due now."""
    if last_reviewed_on is None:
        return today
    return last_reviewed_on + relativedelta(months=EDI_REVIEW_MONTHS[kind])


def complaint_response_due(
    *, received_on: date, working_days: int, jurisdiction: Jurisdiction
) -> date:
    """Complaints (WG 18 ii, no id in rules.md): the outcome is told to the complainant within
    the service's timeframe, in working days in its jurisdiction from the day it was received
    (20 working days unless the complaint says otherwise)."""
    start = datetime.combine(received_on, time(12), tzinfo=UK_TIME)
    return due_after_working_days(
        start=start, working_days=working_days, jurisdiction=jurisdiction
    ).date()


def agreement_dates_refusal(*, signed_on: date, review_on: date) -> ActionRefused | None:
    """Agreements (R22 C1.7, D1.2): an agreement is reviewed after it is signed."""
    if review_on <= signed_on:
        return ActionRefused(
            "the review date must be after the date it was signed", field="review_on"
        )
    return None


def _open_cases_allocated_to(*, user: User, service: Service) -> int:
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


def case_management_lead_caseload_refusal(*, user: User, service: Service) -> ActionRefused | None:
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
