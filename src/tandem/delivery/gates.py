"""The standards' rules for groups and sessions (rules.md section 4), one function per rule.

Refusals say who may join a group or facilitate a session at all. Warnings are not refusals: a
service may go ahead against them by giving a reason, which is kept as a `DeliveryException` and
shown on the exceptions page (what compliance reports show).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, Q

from tandem.cases.models import PerpetratorCase, Stage
from tandem.delivery.models import DeliverySession, ProgrammeKind, SessionType
from tandem.lib.people import person_name
from tandem.organisations.models import Service, Side, StaffMembership
from tandem.workforce.gates import allocation_refusal

GROUP_SIZE_MIN = 6
GROUP_SIZE_MAX = 12
GROUP_SIZE_IDEAL = (8, 10)
FACILITATORS_MIN = 2
FACILITATORS_MAX = 3
GROUPS_PER_DAY_MAX = 2
GROUPS_PER_WEEK_MAX = 3
PLANNING_MINUTES_MIN = 30
DEBRIEF_MINUTES_MIN = 30
DOSE_NE_HOURS = 75
DOSE_NE_WEEKS = 30
DOSE_2008_HOURS = 60


# Warnings


@dataclass(frozen=True)
class DeliveryWarning:
    rule_id: str
    message: str


def group_size_warning(*, participants: int, what: str = "the group has") -> DeliveryWarning | None:
    """Rule group-size (R22-S B6.3, NE 4.9): groups ideally of 6 to 12 participants (NE: ideally
    8 to 10, at most 12). Exactly 6 and exactly 12 are within the range."""
    if participants < GROUP_SIZE_MIN:
        return DeliveryWarning(
            "group-size",
            f"{what} {participants} participant{'s' if participants != 1 else ''}: groups are "
            f"ideally of {GROUP_SIZE_MIN} to {GROUP_SIZE_MAX} (NE: {GROUP_SIZE_IDEAL[0]} to "
            f"{GROUP_SIZE_IDEAL[1]})",
        )
    if participants > GROUP_SIZE_MAX:
        return DeliveryWarning(
            "group-size",
            f"{what} {participants} participants: more than the maximum of {GROUP_SIZE_MAX}",
        )
    return None


def facilitators_warning(*, genders: list[str | None], mix_applies: bool) -> DeliveryWarning | None:
    """Rule facilitators (R22-S B6.3, R08 B1.2, NE 4.9, WG 6): a group is run by 2 or 3
    facilitators; for groups of men abusive to female partners, with 2 never two male, and with
    3 at least one female and one male. A gender not recorded cannot show the mix is met."""
    count = len(genders)
    if not FACILITATORS_MIN <= count <= FACILITATORS_MAX:
        return DeliveryWarning(
            "facilitators",
            f"{count} facilitator{'s' if count != 1 else ''}: groups are run by "
            f"{FACILITATORS_MIN} or {FACILITATORS_MAX}",
        )
    if not mix_applies:
        return None
    if any(gender not in ("female", "male") for gender in genders):
        return DeliveryWarning(
            "facilitators",
            "a facilitator's gender is not recorded as female or male, so the mix the standard "
            "asks for cannot be shown",
        )
    if count == 2 and genders.count("male") == 2:
        return DeliveryWarning("facilitators", "two male facilitators: never two male")
    if count == 3 and not ("female" in genders and "male" in genders):
        return DeliveryWarning(
            "facilitators", "three facilitators need at least one female and one male"
        )
    return None


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def facilitator_load_warnings(
    *, facilitators: Iterable[User], held_on: date, exclude_session_id: int | None = None
) -> list[DeliveryWarning]:
    """Rule facilitator-load (NE 4.9, NE 3.14): no worker runs more than two groups a day or
    three a week (Monday to Sunday), counting this one, in any service. One query."""
    people = {person.pk: person for person in facilitators}
    if not people:
        return []
    monday, sunday = _week_of(held_on)
    sessions = DeliverySession.objects.filter(
        session_type=SessionType.GROUP, held_on__range=(monday, sunday)
    )
    if exclude_session_id is not None:
        sessions = sessions.exclude(pk=exclude_session_id)
    rows = (
        sessions.filter(facilitators__in=list(people))
        .values("facilitators")
        .annotate(week=Count("pk"), day=Count("pk", filter=Q(held_on=held_on)))
    )
    warnings = []
    for row in rows:
        person = people[row["facilitators"]]
        name = person_name(person)
        if row["day"] + 1 > GROUPS_PER_DAY_MAX:
            warnings.append(
                DeliveryWarning(
                    "facilitator-load",
                    f"{name} would run {row['day'] + 1} groups on {held_on:%d %b %Y}: no more "
                    f"than {GROUPS_PER_DAY_MAX} a day",
                )
            )
        if row["week"] + 1 > GROUPS_PER_WEEK_MAX:
            warnings.append(
                DeliveryWarning(
                    "facilitator-load",
                    f"{name} would run {row['week'] + 1} groups in the week of "
                    f"{monday:%d %b %Y}: no more than {GROUPS_PER_WEEK_MAX} a week",
                )
            )
    return warnings


def planning_and_debrief_warning(
    *, planning_minutes: int, debrief_minutes: int
) -> DeliveryWarning | None:
    """Rule facilitator-load (NE 4.9): half an hour of planning before and of debrief after each
    group. Exactly 30 minutes is enough."""
    short = []
    if planning_minutes < PLANNING_MINUTES_MIN:
        short.append(f"planning {planning_minutes} minutes")
    if debrief_minutes < DEBRIEF_MINUTES_MIN:
        short.append(f"debrief {debrief_minutes} minutes")
    if not short:
        return None
    return DeliveryWarning(
        "facilitator-load",
        f"{' and '.join(short)}: at least {PLANNING_MINUTES_MIN} minutes before and "
        f"{DEBRIEF_MINUTES_MIN} after each group",
    )


def programme_dose_warnings(
    *, kind: str, planned_contact_hours: int, planned_weeks: int
) -> list[DeliveryWarning]:
    """Rule dose (NE 4.8, R08 B1.2): a behaviour-change group programme gives at least 75 hours of
    contact over at least 30 weeks (NE), and at least 60 hours including assessment (2008)."""
    if kind != ProgrammeKind.BEHAVIOUR_CHANGE:
        return []
    warnings = []
    if planned_contact_hours < DOSE_NE_HOURS or planned_weeks < DOSE_NE_WEEKS:
        warnings.append(
            DeliveryWarning(
                "dose",
                f"planned {planned_contact_hours} hours over {planned_weeks} weeks: NE 4.8 asks "
                f"for at least {DOSE_NE_HOURS} hours over at least {DOSE_NE_WEEKS} weeks",
            )
        )
    if planned_contact_hours < DOSE_2008_HOURS:
        warnings.append(
            DeliveryWarning(
                "dose",
                f"planned {planned_contact_hours} hours: R08 B1.2 asks for at least "
                f"{DOSE_2008_HOURS} hours including assessment",
            )
        )
    return warnings


@dataclass(frozen=True)
class Dose:
    """A participant's contact so far against the standards' dose (rule dose)."""

    minutes: int
    weeks: int
    planned_hours: int
    planned_weeks: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def meets_ne(self) -> bool:
        """NE 4.8: at least 75 hours over at least 30 weeks."""
        return self.minutes >= DOSE_NE_HOURS * 60 and self.weeks >= DOSE_NE_WEEKS

    @property
    def meets_2008(self) -> bool:
        """R08 B1.2: at least 60 hours (assessment not counted here)."""
        return self.minutes >= DOSE_2008_HOURS * 60

    @property
    def meets_programme(self) -> bool:
        return self.minutes >= self.planned_hours * 60 and self.weeks >= self.planned_weeks


# Refusals


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
        name = person_name(person)
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
