"""Refusals for groups and sessions: who may join a group or facilitate a session at all."""

from datetime import date

from django.contrib.auth.models import User
from django.db.models import Q

from tandem.cases.models import PerpetratorCase, Stage
from tandem.organisations.models import Service, Side, StaffMembership
from tandem.workforce.gates import allocation_refusal


def participant_refusal(*, case: PerpetratorCase, service: Service) -> str | None:
    """Rule iss-before-start (R22-S B3.3, WG 5): only a case of the group's service in the
    intervention joins a group or has sessions; he reaches it only through the intervention's
    start gates (consent, and contact with survivors established or the reason recorded)."""
    if case.service_id != service.pk:
        return f"{case.reference} is a case of another service"
    if case.stage != Stage.IN_INTERVENTION:
        return (
            f"{case.reference} is {Stage(case.stage).label.lower()}, not in the intervention: "
            "start his intervention on his case first (it checks consent and survivor contact)"
        )
    return None


def facilitator_refusals(
    *, people: list[User], service: Service, on: date
) -> list[tuple[str, str]]:
    """Rules not-same-staff (R22 C1.5, NE 5.3) and dbs (R22 A3.3): facilitators are the
    service's perpetrator-side staff on the day (never its ISS workers), each with a current
    criminal record check."""
    perpetrator_side = set(
        StaffMembership.objects.filter(
            service=service,
            user__in=people,
            side__in=[Side.PERPETRATOR, Side.BOTH],
            started_on__lte=on,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .values_list("user_id", flat=True)
    )
    refusals: list[tuple[str, str]] = []
    for person in people:
        name = person.get_full_name() or person.get_username()
        if person.pk not in perpetrator_side:
            refusals.append(
                (
                    "not-same-staff",
                    f"{name} is not on the perpetrator side of the service on {on:%d %b %Y}: "
                    "ISS workers never deliver the perpetrator intervention",
                )
            )
            continue
        refusal = allocation_refusal(user=person, service=service, on=on)
        if refusal:
            refusals.append(("dbs", refusal))
    return refusals
