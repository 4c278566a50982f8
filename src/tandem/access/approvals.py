"""What crosses the information barrier is released by two approvals, in order (rule
survivor-confidentiality; R22-I B3.3): first a manager on the ISS side, then, for intensive case
management only, the perpetrator side's service manager. A shared risk note (`tandem.support`)
and what the ISS said in a weekly exchange (`tandem.cases`) go through the same steps, here, on
records that keep `iss_manager_approved_by/_at` and `service_manager_approved_by/_at`."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tandem.access.permissions import refuse_unless_permitted
from tandem.access.roles import Person

CONFIDENTIALITY = "survivor-confidentiality"
SERVICE_MANAGER_REFUSAL = (
    "for intensive case management the service manager of the intervention must also agree: "
    "only they can give this approval"
)


@dataclass(frozen=True)
class Approvals:
    """The permissions of the two approvals, and what refuses someone the first."""

    iss_manager: str
    service_manager: str
    iss_manager_refusal: str


def approval_give(*, record: Any, actor: Person, now: datetime, approvals: Approvals) -> str:
    """Record the next approval `record` needs from `actor`, refusing one they may not give;
    returns which it was ("ISS manager" or "service manager"). The caller has locked the record,
    refused its own author, and decides from the approvals given whether it is released."""
    if record.iss_manager_approved_at is None:
        refuse_unless_permitted(
            actor=actor,
            permission=approvals.iss_manager,
            target=record,
            refusal=approvals.iss_manager_refusal,
            rule_id=CONFIDENTIALITY,
            field="",
        )
        record.iss_manager_approved_by = actor
        record.iss_manager_approved_at = now
        return "ISS manager"
    refuse_unless_permitted(
        actor=actor,
        permission=approvals.service_manager,
        target=record,
        refusal=SERVICE_MANAGER_REFUSAL,
        rule_id=CONFIDENTIALITY,
        field="",
    )
    record.service_manager_approved_by = actor
    record.service_manager_approved_at = now
    return "service manager"
