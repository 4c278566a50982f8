"""The information barrier: the one module through which the perpetrator side (`tandem.cases`) and
the ISS side (`tandem.support`) reach each other. The import contracts in pyproject.toml hold both
sides to it: no `tandem.cases` module imports any other part of `tandem.support`, and no other
`tandem.support` module imports `tandem.cases`.

Survivors have complete confidentiality in relation to the perpetrator programme (R22 C1.3, NE 5.2:
rule survivor-confidentiality). What crosses here, and why:

To the perpetrator side, never her name, contact details, address or what she told the ISS:
- `survivor_contact_statuses`: for each survivor of his case, her position and relationship to him,
  when the ISS referral was made, whether initial contact is complete and its outcome, and whether
  a reason contact is unsafe is recorded. R22 C1.3 lets the perpetrator side know whether contact
  is complete and its outcome; rule iss-before-start needs it to decide whether he can start.
- `released_risk_notes_for_user`: a shared risk note's words and release date once every approval
  is given, never its source (rule survivor-confidentiality; R22-I B3.3 for ICM).
- `Relationship`: the choices a referral names a survivor's relationship to him with.

From the perpetrator side to the ISS side, and nothing back:
- `survivors_receive_from_referral`: the survivors a referral names go straight to the ISS side,
  each with her ISS case and the ISS referral due within 24 hours (rule iss-handover).
- `survivor_tasks_create`: a task for each survivor's ISS worker, for telling her an assessment's
  outcome or a change in his engagement, or acting on a risk concern (rules assessment-outcome,
  engagement-change, concern-24h). Its title names her only through `SURVIVOR`, filled in here.

What the ISS said in a weekly exchange (rule weekly-exchange), approved as a shared risk note is
before the perpetrator side reads it, through the same queue of approvals:
- `exchanges_awaiting_approval_for_user`, `exchange_iss_account_approve`.

To the ISS side, his case as far as her support needs it (it already sees his reference):
- `PerpetratorCase`, the type the ISS side's signatures name his case by;
- `linkable_case_for_user` and `perpetrator_case_lock`, to link her to another of his cases;
- `her_perpetrator_cases`, the cases a risk note about her may be written for.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import User

from tandem.access.roles import Person
from tandem.cases.models import PerpetratorCase, RiskEngagementExchange
from tandem.cases.selectors import exchanges_awaiting_approval_for_user
from tandem.cases.services.reviews import exchange_iss_account_approve
from tandem.compliance.models import TaskSide
from tandem.compliance.services import due_task_create
from tandem.organisations.selectors import case_work_services
from tandem.support.models import Relationship, SharedRiskNote, Survivor, SurvivorLink
from tandem.support.services.intake import survivor_receive_from_referral

if TYPE_CHECKING:
    from tandem.cases.services.intake import SurvivorDetails

__all__ = [
    "SURVIVOR",
    "PerpetratorCase",
    "Relationship",
    "ReleasedRiskNote",
    "RiskEngagementExchange",
    "SurvivorContactStatus",
    "exchange_iss_account_approve",
    "exchanges_awaiting_approval_for_user",
    "her_perpetrator_cases",
    "linkable_case_for_user",
    "perpetrator_case_lock",
    "released_risk_notes_for_user",
    "survivor_contact_statuses",
    "survivor_tasks_create",
    "survivors_receive_from_referral",
]


# To the perpetrator side


@dataclass(frozen=True)
class SurvivorContactStatus:
    """What the perpetrator side may know of one survivor of the case (R22 C1.3)."""

    position: int
    relationship: str
    iss_referred_at: datetime | None
    contact_complete: bool
    outcome: str
    unsafe_reason_recorded: bool


def survivor_contact_statuses(*, case: PerpetratorCase) -> list[SurvivorContactStatus]:
    """For gates and for pages that have already checked access to the case."""
    links = SurvivorLink.objects.filter(perpetrator_case=case).select_related("survivor__iss_case")
    statuses = []
    for link in links.order_by("position"):
        iss_case = getattr(link.survivor, "iss_case", None)
        statuses.append(
            SurvivorContactStatus(
                position=link.position,
                relationship=link.get_relationship_display(),
                iss_referred_at=iss_case.referred_at if iss_case else None,
                contact_complete=bool(iss_case and iss_case.contact_established_at),
                outcome=iss_case.get_contact_outcome_display() if iss_case else "",
                unsafe_reason_recorded=bool(iss_case and iss_case.contact_unsafe_reason.strip()),
            )
        )
    return statuses


@dataclass(frozen=True)
class ReleasedRiskNote:
    """A shared risk note as the perpetrator side sees it: text and date, never its source."""

    note: str
    released_at: datetime


def released_risk_notes_for_user(*, user: Person, case: PerpetratorCase) -> list[ReleasedRiskNote]:
    notes = SharedRiskNote.objects.filter(
        perpetrator_case=case,
        released_at__isnull=False,
        perpetrator_case__service__in=case_work_services(user=user),
    ).order_by("-released_at")
    return [ReleasedRiskNote(n.note, n.released_at) for n in notes if n.released_at]


# From the perpetrator side to the ISS side


def survivors_receive_from_referral(
    *,
    case: PerpetratorCase,
    survivors: Sequence["SurvivorDetails"],
    received_at: datetime,
    actor: User,
    now: datetime,
) -> None:
    """Hand the survivors his referral names to the ISS side, numbered in the order given; their
    records are the ISS side's from here on (rule iss-handover)."""
    for position, survivor in enumerate(survivors, start=1):
        survivor_receive_from_referral(
            case=case,
            position=position,
            first_name=survivor.first_name,
            last_name=survivor.last_name,
            relationship=survivor.relationship,
            phone=survivor.phone,
            email=survivor.email,
            date_of_birth=survivor.date_of_birth,
            received_at=received_at,
            actor=actor,
            now=now,
        )


# Where a task's title names the survivor: replaced here by her name, for her ISS worker to read.
SURVIVOR = "{survivor}"


def survivor_tasks_create(
    *, case: PerpetratorCase, rule_id: str, title: str, due_at: datetime, now: datetime
) -> None:
    """An ISS-side task about his case for each survivor of it, assigned to her ISS worker.
    `title` names her with `SURVIVOR`, so her name never passes through the perpetrator side."""
    for link in case.survivor_links.select_related("survivor__iss_case"):
        iss_case = link.survivor.iss_case
        due_task_create(
            service=case.service,
            rule_id=rule_id,
            title=title.replace(SURVIVOR, str(link.survivor)),
            side=TaskSide.ISS,
            due_at=due_at,
            now=now,
            perpetrator_case=case,
            iss_case=iss_case,
            assigned_to=iss_case.allocated_worker,
        )


# To the ISS side


def linkable_case_for_user(
    *, user: Person, survivor: Survivor, reference: str
) -> PerpetratorCase | None:
    """A perpetrator case of her service, by reference, that this person may read; None for any
    other reference, so a case elsewhere is as unknown as one that does not exist."""
    return (
        PerpetratorCase.objects.filter(
            service=survivor.service,
            service__in=case_work_services(user=user),
            reference__iexact=reference.strip(),
        )
        .select_related("service")
        .first()
    )


def perpetrator_case_lock(*, case: PerpetratorCase) -> PerpetratorCase:
    """His case re-read under a row lock, so two survivors are not linked to it as one position."""
    return PerpetratorCase.objects.select_for_update().get(pk=case.pk)


def her_perpetrator_cases(*, survivor: Survivor) -> list[PerpetratorCase]:
    return [
        link.perpetrator_case
        for link in SurvivorLink.objects.filter(survivor=survivor)
        .select_related("perpetrator_case")
        .order_by("perpetrator_case__reference")
    ]
