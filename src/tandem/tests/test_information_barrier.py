"""The information barrier, role by record type, through the selectors and through the API.

Who may reach each record of one service's case (Y) and who may not (-):

| record                                | perp. worker | ISS worker | service mgr (both) | practice mgr (perp.) | service mgr (perp.) | other service | role, no membership | no role | anonymous |
|---------------------------------------|--------------|------------|--------------------|----------------------|---------------------|---------------|---------------------|---------|-----------|
| perpetrator case                      | Y            | Y          | Y                  | Y                    | Y                   | -             | -                   | -       | -         |
| survivor                              | -            | Y          | Y                  | -                    | -                   | -             | -                   | -       | -         |
| ISS case                              | -            | Y          | Y                  | -                    | -                   | -             | -                   | -       | -         |
| contact attempt                       | -            | Y          | Y                  | -                    | -                   | -             | -                   | -       | -         |
| safe-contact notes                    | -            | Y          | Y                  | -                    | -                   | -             | -                   | -       | -         |
| DASH assessment                       | -            | Y          | Y                  | -                    | -                   | -             | -                   | -       | -         |
| incident against her                  | -            | Y          | Y                  | -                    | -                   | -             | -                   | -       | -         |
| ISS-side due task                     | -            | Y          | Y                  | -                    | -                   | -             | -                   | -       | -         |
| perpetrator-side due task             | Y            | -          | Y                  | Y                    | Y                   | -             | -                   | -       | -         |
| risk note awaiting the ISS manager    | -            | Y          | Y                  | -                    | -                   | -             | -                   | -       | -         |
| ICM risk note awaiting the service mgr| -            | Y          | Y                  | -                    | Y (no source)       | -             | -                   | -       | -         |
| released shared risk note             | Y (no source)| Y          | Y                  | Y (no source)        | Y (no source)       | -             | -                   | -       | -         |

A senior service manager on the management side ("Management (no case records)") reaches none
of them: every helper in `organisations.selectors` names the sides it lets through.

"Role, no membership" is every Role in turn, held by someone who works in no service. The
perpetrator side learns of a survivor only her position, relationship to him, whether initial
contact is complete and its outcome (R22 C1.3); everything else about her stays on the ISS side.
A risk note crosses only once approved: the ISS manager first; for intensive case management the
intervention's service manager then reads it, without its source, to give the second approval
(R22-I B3.3: both service managers agree).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoDbBlocker

from tandem.access.roles import ISS_WORK_ROLES, PERPETRATOR_WORK_ROLES, Role
from tandem.access.roles import Person as AnyUser
from tandem.cases.models import PerpetratorCase
from tandem.cases.selectors import perpetrator_case_list_for_user, perpetrator_case_search_for_user
from tandem.cases.services.intake import SurvivorDetails
from tandem.cases.services.lifecycle import ScreeningDetails, perpetrator_case_screen
from tandem.cases.tests.builders import FRIDAY, assessed, iss_case_of, received
from tandem.compliance.models import DueTask, TaskSide
from tandem.compliance.services import due_task_create
from tandem.conftest import ServiceStaff
from tandem.organisations.models import StaffMembership
from tandem.support.barrier import released_risk_notes_for_user, survivor_contact_statuses
from tandem.support.models import (
    ContactAttempt,
    DashAssessment,
    IssCase,
    Relationship,
    RiskIncident,
    SafeContactPreference,
    SharedRiskNote,
    Survivor,
)
from tandem.support.selectors import (
    iss_case_list_for_user,
    risk_notes_awaiting_approval_for_user,
    survivor_list_for_user,
)
from tandem.support.services.contact import (
    contact_attempt_record,
    iss_contact_unsafe_record,
    iss_referral_make,
)
from tandem.support.services.dash import dash_assessment_record, risk_incident_record
from tandem.support.services.risk_notes import shared_risk_note_approve, shared_risk_note_write
from tandem.work.selectors import due_tasks_for_user

pytestmark = pytest.mark.django_db

SURVIVOR_FIRST_NAME = "Alice"
SURVIVOR_LAST_NAME = "Example"
SURVIVOR_PHONE = "07700 900123"
SURVIVOR_EMAIL = "alice.example@example.invalid"
ATTEMPT_NOTE = "Synthetic attempt note: she said he checks her phone"
SAFE_CONTACT_NOTE = "Synthetic safe-contact note: only call Tue/Thu 10-12, never letters"
UNSAFE_REASON = "Synthetic unsafe reason: staying with her sister, no safe number"
UNRELEASED_NOTE = "Synthetic risk note awaiting approval"
ICM_NOTE = "Synthetic ICM risk note awaiting the service manager"
RELEASED_NOTE = "Synthetic risk note approved for the perpetrator side"
JUDGEMENT_REASONS = "Synthetic judgement: he has threatened to kill her"
INCIDENT_SUMMARY = "Synthetic incident: he broke her door"
ISS_TASK_TITLE = "Synthetic ISS-side task: safety plan review"
PERPETRATOR_TASK_TITLE = "Synthetic perpetrator-side task: tell the referrer"
ISS_TEXTS = [
    SURVIVOR_FIRST_NAME,
    SURVIVOR_LAST_NAME,
    SURVIVOR_PHONE,
    SURVIVOR_EMAIL,
    ATTEMPT_NOTE,
    SAFE_CONTACT_NOTE,
    UNSAFE_REASON,
    UNRELEASED_NOTE,
    ICM_NOTE,
    JUDGEMENT_REASONS,
    INCIDENT_SUMMARY,
    ISS_TASK_TITLE,
]


@dataclass(frozen=True)
class World:
    """One service's perpetrator case and everything the ISS holds about his survivor."""

    staff: ServiceStaff
    case: PerpetratorCase
    survivor: Survivor
    iss_case: IssCase
    attempt: ContactAttempt
    safe_contact: SafeContactPreference
    iss_task: DueTask
    perpetrator_task: DueTask
    unreleased_note: SharedRiskNote
    icm_note: SharedRiskNote
    released_note: SharedRiskNote
    assessment: DashAssessment
    incident: RiskIncident


@pytest.fixture(scope="module")
def world(module_staffed_service: ServiceStaff, django_db_blocker: DjangoDbBlocker) -> World:
    """Made once for the module: its tests only read these records (each test's own writes,
    such as the personas made for it, are rolled back after it)."""
    with django_db_blocker.unblock():
        return world_built(module_staffed_service)


def world_built(staff: ServiceStaff) -> World:
    case = received(
        staff,
        survivors=[
            SurvivorDetails(
                SURVIVOR_FIRST_NAME,
                SURVIVOR_LAST_NAME,
                Relationship.CURRENT_PARTNER,
                phone=SURVIVOR_PHONE,
                email=SURVIVOR_EMAIL,
            )
        ],
    )
    case = perpetrator_case_screen(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        screening=ScreeningDetails(criminal_justice="none", family_proceedings="none"),
        now=FRIDAY,
    )
    case = assessed(staff, case)
    iss_case = iss_referral_make(
        iss_case=iss_case_of(case), actor=staff.iss_worker, expected_version=1, now=FRIDAY
    )
    safe_contact = SafeContactPreference.objects.create(
        survivor=iss_case.survivor,
        preferred_methods=["phone"],
        unsafe_methods=["letter"],
        safe_times="Tue/Thu 10-12",
        notes=SAFE_CONTACT_NOTE,
    )
    attempt = contact_attempt_record(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        attempted_at=FRIDAY,
        method="phone",
        outcome="not_safe_to_talk",
        notes=ATTEMPT_NOTE,
        destination=SURVIVOR_PHONE,
        now=FRIDAY,
    )
    iss_case = iss_contact_unsafe_record(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version + 1,
        reason=UNSAFE_REASON,
    )
    assessment = dash_assessment_record(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        answers={number: "no" for number in range(1, 25)},
        professional_judgement_high=True,
        professional_judgement_reasons=JUDGEMENT_REASONS,
    )
    incident = risk_incident_record(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version + 1,
        occurred_on=FRIDAY.date(),
        summary=INCIDENT_SUMMARY,
    )
    iss_case.refresh_from_db()
    now = timezone.now()
    due = now + timedelta(days=1)
    note = dict(
        perpetrator_case=case,
        source_iss_case=iss_case,
        written_by=staff.iss_worker,
        written_at=now,
    )
    return World(
        staff=staff,
        case=case,
        survivor=iss_case.survivor,
        iss_case=iss_case,
        attempt=attempt,
        safe_contact=safe_contact,
        iss_task=due_task_create(
            service=staff.service,
            rule_id="iss-contact",
            title=ISS_TASK_TITLE,
            side=TaskSide.ISS,
            due_at=due,
            now=now,
            perpetrator_case=case,
            iss_case=iss_case,
        ),
        perpetrator_task=due_task_create(
            service=staff.service,
            rule_id="assessment-outcome",
            title=PERPETRATOR_TASK_TITLE,
            side=TaskSide.PERPETRATOR,
            due_at=due,
            now=now,
            perpetrator_case=case,
        ),
        unreleased_note=SharedRiskNote.objects.create(**note, note=UNRELEASED_NOTE),
        icm_note=icm_note_approved_by_the_iss_manager(staff),
        released_note=SharedRiskNote.objects.create(
            **note,
            note=RELEASED_NOTE,
            iss_manager_approved_by=staff.service_manager,
            iss_manager_approved_at=now,
            released_at=now,
        ),
        assessment=assessment,
        incident=incident,
    )


def icm_note_approved_by_the_iss_manager(staff: ServiceStaff) -> SharedRiskNote:
    """A second perpetrator of the service, on intensive case management, with a note from his
    survivor's ISS case that the ISS manager has approved."""
    icm_case = received(
        staff,
        first_name="Icmperson",
        survivors=[
            SurvivorDetails("Carla", "Sample", Relationship.EX_PARTNER, phone="07700 900124")
        ],
    )
    icm_case = perpetrator_case_screen(
        case=icm_case,
        actor=staff.perpetrator_worker,
        expected_version=icm_case.version,
        screening=ScreeningDetails(criminal_justice="none", family_proceedings="none"),
        now=FRIDAY,
    )
    icm_case = assessed(staff, icm_case, intervention_type="icm")
    note = shared_risk_note_write(
        iss_case=iss_case_of(icm_case),
        perpetrator_case=icm_case,
        actor=staff.iss_worker,
        note=ICM_NOTE,
    )
    return shared_risk_note_approve(note=note, actor=staff.service_manager)


# The personas


def practice_manager_on_perpetrator_side(staff: ServiceStaff) -> User:
    user = User.objects.create_user(username="pm-perp", first_name="Test", last_name="Practice")
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user, service=staff.service, side="perpetrator", started_on="2024-01-01"
    )
    return user


def service_manager_on_perpetrator_side(staff: ServiceStaff) -> User:
    """The intervention's service manager, who does not work on the ISS side."""
    user = User.objects.create_user(username="sm-perp", first_name="Test", last_name="Manager")
    user.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user, service=staff.service, side="perpetrator", started_on="2024-01-01"
    )
    return user


def senior_manager_on_management_side(staff: ServiceStaff) -> User:
    """A senior service manager who runs the service but works on no case."""
    user = User.objects.create_user(username="sm-mgmt", first_name="Test", last_name="Director")
    user.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user,
        service=staff.service,
        side="management",
        is_senior_manager=True,
        started_on="2024-01-01",
    )
    return user


PersonaMaker = Callable[[World, Callable[[Role], User], User], AnyUser]


def holding_only(role: Role) -> PersonaMaker:
    """Someone who holds `role` but works in no service."""
    return lambda _w, with_role, _n: with_role(role)


PERSONAS: dict[str, PersonaMaker] = {
    "perpetrator-worker": lambda w, _r, _n: w.staff.perpetrator_worker,
    "iss-worker": lambda w, _r, _n: w.staff.iss_worker,
    "service-manager-both-sides": lambda w, _r, _n: w.staff.service_manager,
    "practice-manager-perpetrator-side": lambda w, _r, _n: practice_manager_on_perpetrator_side(
        w.staff
    ),
    "service-manager-perpetrator-side": lambda w, _r, _n: service_manager_on_perpetrator_side(
        w.staff
    ),
    "senior-manager-management-side": lambda w, _r, _n: senior_manager_on_management_side(w.staff),
    "worker-of-another-service": lambda w, _r, _n: w.staff.other_service_worker,
    **{f"{role.value}-without-membership": holding_only(role) for role in Role},
    "no-role": lambda _w, _r, without_role: without_role,
    "anonymous": lambda _w, _r, _n: AnonymousUser(),
}

RECORDS = [
    "perpetrator-case",
    "survivor",
    "iss-case",
    "contact-attempt",
    "safe-contact-notes",
    "dash-assessment",
    "risk-incident",
    "iss-side-due-task",
    "perpetrator-side-due-task",
    "risk-note-before-release",
    "icm-risk-note-awaiting-the-service-manager",
    "released-risk-note",
]

ISS_SIDE = {"iss-worker", "service-manager-both-sides"}
PERPETRATOR_SIDE = {
    "perpetrator-worker",
    "service-manager-both-sides",
    "practice-manager-perpetrator-side",
    "service-manager-perpetrator-side",
}
# Who may reach each record type: the table at the top of this module.
ALLOWED: dict[str, set[str]] = {
    "perpetrator-case": PERPETRATOR_SIDE | ISS_SIDE,
    "survivor": ISS_SIDE,
    "iss-case": ISS_SIDE,
    "contact-attempt": ISS_SIDE,
    "safe-contact-notes": ISS_SIDE,
    "dash-assessment": ISS_SIDE,
    "risk-incident": ISS_SIDE,
    "iss-side-due-task": ISS_SIDE,
    "perpetrator-side-due-task": PERPETRATOR_SIDE,
    "risk-note-before-release": ISS_SIDE,
    "icm-risk-note-awaiting-the-service-manager": ISS_SIDE | {"service-manager-perpetrator-side"},
    "released-risk-note": PERPETRATOR_SIDE | ISS_SIDE,
}


def expected_reach(persona: str) -> dict[str, bool]:
    """The matrix's row for one persona: each record type, and whether they may reach it."""
    return {record: persona in ALLOWED[record] for record in RECORDS}


@pytest.fixture
def persona_user(
    world: World, user_with_role: Callable[[Role], User], user_without_role: User
) -> Callable[[str], AnyUser]:
    return lambda persona: PERSONAS[persona](world, user_with_role, user_without_role)


# Through the selectors


def risk_notes_reached(user: AnyUser) -> set[str]:
    """Shared risk notes by every path: released ones on perpetrator cases the person may read,
    those written from ISS cases the person may read, and those awaiting their approval."""
    released = {
        note.note
        for case in perpetrator_case_list_for_user(user=user)
        for note in released_risk_notes_for_user(user=user, case=case)
    }
    written = {
        note.note
        for iss_case in iss_case_list_for_user(user=user).prefetch_related("shared_risk_notes")
        for note in iss_case.shared_risk_notes.all()
    }
    awaiting = {item.note.note for item in risk_notes_awaiting_approval_for_user(user=user)}
    return released | written | awaiting


SELECTOR_REACHES: dict[str, Callable[[AnyUser, World], bool]] = {
    "perpetrator-case": lambda u, w: (
        perpetrator_case_list_for_user(user=u).filter(pk=w.case.pk).exists()
    ),
    "survivor": lambda u, w: survivor_list_for_user(user=u).filter(pk=w.survivor.pk).exists(),
    "iss-case": lambda u, w: iss_case_list_for_user(user=u).filter(pk=w.iss_case.pk).exists(),
    "contact-attempt": lambda u, w: (
        iss_case_list_for_user(user=u).filter(attempts=w.attempt).exists()
    ),
    "safe-contact-notes": lambda u, w: (
        survivor_list_for_user(user=u).filter(safe_contact=w.safe_contact).exists()
    ),
    "dash-assessment": lambda u, w: (
        iss_case_list_for_user(user=u).filter(dash_assessments=w.assessment).exists()
    ),
    "risk-incident": lambda u, w: (
        survivor_list_for_user(user=u).filter(risk_incidents=w.incident).exists()
    ),
    "iss-side-due-task": lambda u, w: (
        due_tasks_for_user(user=u, now=timezone.now()).filter(pk=w.iss_task.pk).exists()
    ),
    "perpetrator-side-due-task": lambda u, w: (
        due_tasks_for_user(user=u, now=timezone.now()).filter(pk=w.perpetrator_task.pk).exists()
    ),
    "risk-note-before-release": lambda u, w: UNRELEASED_NOTE in risk_notes_reached(u),
    "icm-risk-note-awaiting-the-service-manager": lambda u, w: ICM_NOTE in risk_notes_reached(u),
    "released-risk-note": lambda u, w: RELEASED_NOTE in risk_notes_reached(u),
}


# One test per persona checks the whole row, every record type, so the world is built once for
# each person rather than once for each cell; a failure lists every cell that differs.
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_lets_only_the_right_people_reach_each_record_through_the_selectors(
    world: World, persona_user: Callable[[str], AnyUser], persona: str
) -> None:
    user = persona_user(persona)

    reached = {record: SELECTOR_REACHES[record](user, world) for record in RECORDS}

    assert reached == expected_reach(persona)


# Through the API


def api_client(user: AnyUser) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)  # type: ignore[arg-type]
    return client


@dataclass(frozen=True)
class ApiReads:
    """What one person gets from every read route of the API about the world's records."""

    case_status: int
    iss_case_status: int
    text: str


def read_everything(user: AnyUser, world: World) -> ApiReads:
    client = api_client(user)
    case = client.get(reverse("v1:case-detail", args=[world.case.reference]))
    iss_case = client.get(reverse("v1:iss-case-detail", args=[world.iss_case.pk]))
    responses = [
        case,
        iss_case,
        client.get(reverse("v1:case-list")),
        client.get(reverse("v1:case-list"), {"q": f"{SURVIVOR_FIRST_NAME} {SURVIVOR_LAST_NAME}"}),
        client.get(reverse("v1:iss-case-list")),
        client.get(reverse("v1:my-work")),
        client.get(reverse("v1:risk-notes-awaiting-approval")),
        client.get(reverse("v1:iss-case-detail", args=[world.icm_note.source_iss_case_id])),
    ]
    text = "\n".join(r.content.decode() for r in responses if r.status_code == 200)
    return ApiReads(case.status_code, iss_case.status_code, text)


API_REACHES: dict[str, Callable[[ApiReads, World], bool]] = {
    "perpetrator-case": lambda r, w: r.case_status == 200 and w.case.reference in r.text,
    "survivor": lambda r, w: any(
        text in r.text
        for text in (SURVIVOR_PHONE, SURVIVOR_EMAIL, f"{SURVIVOR_FIRST_NAME} {SURVIVOR_LAST_NAME}")
    ),
    "iss-case": lambda r, w: r.iss_case_status == 200,
    "contact-attempt": lambda r, w: ATTEMPT_NOTE in r.text,
    "safe-contact-notes": lambda r, w: SAFE_CONTACT_NOTE in r.text,
    "dash-assessment": lambda r, w: JUDGEMENT_REASONS in r.text,
    "risk-incident": lambda r, w: INCIDENT_SUMMARY in r.text,
    "iss-side-due-task": lambda r, w: ISS_TASK_TITLE in r.text,
    "perpetrator-side-due-task": lambda r, w: PERPETRATOR_TASK_TITLE in r.text,
    "risk-note-before-release": lambda r, w: UNRELEASED_NOTE in r.text,
    "icm-risk-note-awaiting-the-service-manager": lambda r, w: ICM_NOTE in r.text,
    "released-risk-note": lambda r, w: RELEASED_NOTE in r.text,
}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_lets_only_the_right_people_reach_each_record_through_the_api(
    world: World, persona_user: Callable[[str], AnyUser], persona: str
) -> None:
    reads = read_everything(persona_user(persona), world)

    reached = {record: API_REACHES[record](reads, world) for record in RECORDS}

    assert reached == expected_reach(persona)


WITHOUT_CASE_WORK = {"no-role"} | {
    f"{role.value}-without-membership"
    for role in Role
    if role not in PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES
}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_answers_each_refused_read_with_the_status_that_leaks_nothing(
    world: World, persona_user: Callable[[str], AnyUser], persona: str
) -> None:
    """401 for anonymous, 403 for a person whose role does no case work, 404 for an ISS case
    or a perpetrator case outside the person's side and services."""
    reads = read_everything(persona_user(persona), world)

    if persona == "anonymous":
        expected = (401, 401)
    elif persona in WITHOUT_CASE_WORK:
        expected = (403, 403)
    else:
        expected = (
            200 if persona in ALLOWED["perpetrator-case"] else 404,
            200 if persona in ALLOWED["iss-case"] else 404,
        )
    assert (reads.case_status, reads.iss_case_status) == expected


# What the perpetrator side is told, and what it is not


def test_it_finds_nothing_when_a_perpetrator_worker_searches_for_a_survivor(world: World) -> None:
    worker = world.staff.perpetrator_worker
    client = api_client(worker)

    for query in (
        f"{SURVIVOR_FIRST_NAME} {SURVIVOR_LAST_NAME}",
        SURVIVOR_FIRST_NAME,
        SURVIVOR_LAST_NAME,
        SURVIVOR_PHONE,
        SURVIVOR_EMAIL,
    ):
        assert not perpetrator_case_search_for_user(user=worker, query=query).exists(), query
        response = client.get(reverse("v1:case-list"), {"q": query})
        assert response.status_code == 200
        assert response.json()["count"] == 0, query
    assert perpetrator_case_search_for_user(user=worker, query="Testperson").get() == world.case


def test_it_tells_the_perpetrator_side_only_each_survivors_contact_status(world: World) -> None:
    statuses = survivor_contact_statuses(case=world.case)

    assert [(s.position, s.relationship, s.contact_complete, s.outcome) for s in statuses] == [
        (1, "Current partner", False, "")
    ]
    for text in ISS_TEXTS:
        assert text not in repr(statuses)


@pytest.mark.parametrize(
    "persona",
    [
        "perpetrator-worker",
        "practice-manager-perpetrator-side",
        "service-manager-perpetrator-side",
    ],
)
def test_it_keeps_every_iss_text_out_of_the_perpetrator_sides_case_json(
    world: World, persona_user: Callable[[str], AnyUser], persona: str
) -> None:
    client = api_client(persona_user(persona))

    raw = "\n".join(
        client.get(url).content.decode()
        for url in (
            reverse("v1:case-detail", args=[world.case.reference]),
            reverse("v1:case-list"),
            reverse("v1:my-work"),
        )
    )

    assert world.case.reference in raw
    for text in ISS_TEXTS:
        assert text not in raw


def test_it_shows_a_released_risk_note_without_its_author_or_iss_case(world: World) -> None:
    body = api_client(world.staff.perpetrator_worker).get(
        reverse("v1:case-detail", args=[world.case.reference])
    )

    notes = body.json()["risk_notes"]
    assert [note["note"] for note in notes] == [RELEASED_NOTE]
    assert set(notes[0]) == {"note", "released_at"}
    assert world.staff.iss_worker.get_full_name() not in body.content.decode()
    assert world.staff.iss_worker.username not in json.dumps(notes)
    selected = released_risk_notes_for_user(user=world.staff.perpetrator_worker, case=world.case)
    assert [vars(note) for note in selected] == [
        {"note": RELEASED_NOTE, "released_at": world.released_note.released_at}
    ]


def test_it_shows_the_service_manager_an_icm_note_to_approve_without_its_source(
    world: World,
) -> None:
    manager = service_manager_on_perpetrator_side(world.staff)

    body = api_client(manager).get(reverse("v1:risk-notes-awaiting-approval")).json()

    assert [item["note"] for item in body] == [ICM_NOTE]
    assert body[0]["iss_case"] is None
    assert body[0]["approval"] == "service-manager"
    raw = json.dumps(body)
    for text in ("Carla", "Sample", "07700 900124", world.staff.iss_worker.username):
        assert text not in raw


# The work list


def test_it_challenges_an_anonymous_client_for_the_work_list(client: Client) -> None:
    response = client.get(reverse("v1:my-work"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("role", [*Role, None], ids=[*Role.values, "no-role"])
def test_it_gives_the_work_list_only_to_roles_that_do_case_work(
    world: World,
    user_with_role: Callable[[Role], User],
    user_without_role: User,
    role: Role | None,
) -> None:
    user = user_with_role(role) if role else user_without_role

    response = api_client(user).get(reverse("v1:my-work"))

    if role in PERPETRATOR_WORK_ROLES | ISS_WORK_ROLES:
        assert response.status_code == 200
        assert response.json()["count"] == 0, "a role alone, without a membership, shows nothing"
    else:
        assert response.status_code == 403


def test_it_lists_due_tasks_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = api_client(world.staff.service_manager)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("v1:my-work"))
    for number in range(5):
        due_task_create(
            service=world.staff.service,
            rule_id="iss-contact",
            title=f"Synthetic extra task {number}",
            side=TaskSide.ISS,
            due_at=timezone.now(),
            now=timezone.now(),
            perpetrator_case=world.case,
            iss_case=world.iss_case,
            assigned_to=world.staff.service_manager,
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("v1:my-work"))
    assert "Synthetic extra task 4" in response.content.decode()


def test_it_lists_due_tasks_overdue_first_with_their_rule_and_case(world: World) -> None:
    body = api_client(world.staff.perpetrator_worker).get(reverse("v1:my-work")).json()

    tasks = body["results"]
    assert tasks[0]["urgency"] == "overdue"
    assert [t["urgency"] for t in tasks] == sorted(
        (t["urgency"] for t in tasks), key=["overdue", "due_soon", "later"].index
    )
    marker = next(t for t in tasks if t["title"] == PERPETRATOR_TASK_TITLE)
    assert marker == {
        "id": world.perpetrator_task.pk,
        "rule": "assessment-outcome",
        "title": PERPETRATOR_TASK_TITLE,
        "side": "perpetrator",
        "due_at": marker["due_at"],
        "urgency": "due_soon",
        "case": world.case.reference,
        "iss_case": None,
        "assigned_to": None,
    }
    assert {t["side"] for t in tasks} == {"perpetrator"}
