"""The pages of the 2008 audit, Welsh checklist, West Midlands self-evaluation and
self-assessment: who may open each route (403 without the role or part, 404 for an assessment
or service that is not theirs), and what the forms do with good and bad input."""

from datetime import timedelta
from functools import cached_property

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.assurance.checklists.services import self_assessment as self_assessment_services
from tandem.assurance.checklists.services import west_midlands as west_midlands_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.checklists.tests.builders import TODAY
from tandem.assurance.models import (
    Action,
    Assessment,
    Part,
    Process,
    RagRating,
    RequirementRecord,
    State,
)
from tandem.assurance.services import conflict_declare, participant_add
from tandem.assurance.tests.builders import fresh
from tandem.conftest import ServiceStaff
from tandem.standards.models import Framework

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


class World:
    """One assessment of each process for the staffed service, and everyone around them, each
    built when a test first asks for it."""

    def __init__(self, staff: ServiceStaff) -> None:
        self.staff = staff
        self.service = staff.service
        self.manager = staff.service_manager
        self.audit_cast = build.audit_cast(staff)
        self.commissioner = build.commissioner_of(self.service)
        self.other_commissioner = build.commissioner_of(build.other_agency(), "other-commissioner")
        self.reviewer = build.peer_reviewer()
        self.partnership_commissioner = build.person("partnership-commissioner", Role.COMMISSIONER)
        self.partnership = build.partnership_with(
            self.service.organisation, self.partnership_commissioner
        )
        self.assessor = build.person("unallocated-assessor", Role.ASSESSOR)
        self.administrator = build.person("administrator", Role.ADMINISTRATOR)

    @cached_property
    def audit(self) -> Assessment:
        return build.audit_opened(self.audit_cast)

    @cached_property
    def welsh(self) -> Assessment:
        return build.welsh_started(self.service, self.commissioner)

    @cached_property
    def wm(self) -> Assessment:
        wm = west_midlands_services.west_midlands_self_evaluation_start(
            service=self.service, actor=self.manager
        )
        # Every record rated met, as the rating pages leave them (tested in their own tests).
        RequirementRecord.objects.filter(assessment=wm).update(
            rating="met", narrative=build.EVIDENCE
        )
        participant = west_midlands_services.peer_reviewer_add(
            assessment=wm, user=self.reviewer, actor=self.manager
        )
        conflict_declare(participant=participant, actor=self.reviewer, no_conflict=True)
        return fresh(wm)

    @cached_property
    def self_assessment(self) -> Assessment:
        return self_assessment_services.self_assessment_start(
            service=self.service,
            framework=Framework.objects.get(slug="home-office-2022", is_current=True),
            actor=self.manager,
        )

    def person(self, name: str) -> User:
        return {
            "perpetrator_worker": self.staff.perpetrator_worker,
            "iss_worker": self.staff.iss_worker,
            "manager": self.manager,
            "assessor": self.assessor,
            "coordinator": self.audit_cast.coordinator,
            "lead": self.audit_cast.lead,
            "second": self.audit_cast.second,
            "commissioner": self.commissioner,
            "other_commissioner": self.other_commissioner,
            "reviewer": self.reviewer,
            "partnership_commissioner": self.partnership_commissioner,
            "administrator": self.administrator,
        }[name]


@pytest.fixture
def world(staffed_service: ServiceStaff) -> World:
    return World(staffed_service)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, world: World) -> str:
    args: dict[str, list[int]] = {
        "index": [],
        "audit_new": [],
        "commissioning": [],
        "relationships": [],
        "wm_new": [],
        "sa_new": [],
        "partnerships": [],
        "partnership_detail": [world.partnership.pk],
        "welsh_new": [world.service.pk],
    }
    if name in args:
        return reverse(f"assurance:checklists:{name}", args=args[name])
    kind = name.split("_")[0]
    assessment = {
        "audit": lambda: world.audit,
        "welsh": lambda: world.welsh,
        "wm": lambda: world.wm,
        "sa": lambda: world.self_assessment,
    }[kind]()
    ids = [assessment.pk]
    if name in {"audit_judge", "welsh_rate", "wm_rate", "wm_review", "sa_rate"}:
        ids.append(build.records(assessment)[0].pk)
    return reverse(f"assurance:checklists:{name}", args=ids)


# route → (who may open it, {who is refused: the status})
ROUTES: dict[str, tuple[list[str], dict[str, int]]] = {
    "index": (
        ["manager", "coordinator", "commissioner", "assessor", "reviewer"],
        {"perpetrator_worker": 403, "iss_worker": 403},
    ),
    "audit_new": (
        ["coordinator"],
        {"perpetrator_worker": 403, "iss_worker": 403, "assessor": 403, "manager": 403},
    ),
    "audit_detail": (
        ["manager", "lead", "second", "coordinator"],
        {
            "perpetrator_worker": 403,
            "iss_worker": 403,
            "assessor": 404,
            "other_commissioner": 404,
            "commissioner": 404,
        },
    ),
    "audit_link_person": (
        ["manager", "coordinator"],
        {"perpetrator_worker": 403, "second": 403, "assessor": 404, "other_commissioner": 404},
    ),
    "audit_assessors": (
        ["coordinator"],
        {"perpetrator_worker": 403, "manager": 403, "second": 403, "assessor": 403},
    ),
    "audit_schedule": (
        ["lead"],
        {"perpetrator_worker": 403, "second": 403, "manager": 403, "assessor": 404},
    ),
    "audit_agree": (
        ["manager"],
        {"perpetrator_worker": 403, "lead": 403, "second": 403, "assessor": 404},
    ),
    "audit_visited": (["lead"], {"iss_worker": 403, "second": 403, "manager": 403}),
    "audit_judge": (
        ["lead", "second"],
        {"perpetrator_worker": 403, "manager": 403, "coordinator": 403, "assessor": 404},
    ),
    "audit_report": (["lead"], {"iss_worker": 403, "second": 403, "manager": 403}),
    "audit_outcome": (
        ["coordinator"],
        {"perpetrator_worker": 403, "manager": 403, "second": 403, "commissioner": 403},
    ),
    "commissioning": (
        ["commissioner", "other_commissioner"],
        {"perpetrator_worker": 403, "iss_worker": 403, "manager": 403, "assessor": 403},
    ),
    "relationships": (
        ["administrator"],
        {"commissioner": 403, "manager": 403, "perpetrator_worker": 403},
    ),
    "welsh_new": (
        ["commissioner"],
        {"other_commissioner": 404, "manager": 403, "perpetrator_worker": 403, "assessor": 403},
    ),
    "welsh_detail": (
        ["commissioner"],
        {
            "other_commissioner": 404,
            "manager": 404,  # until it is complete
            "assessor": 404,
            "coordinator": 404,
            "perpetrator_worker": 403,
            "iss_worker": 403,
        },
    ),
    "welsh_rate": (
        ["commissioner"],
        {"other_commissioner": 404, "manager": 404, "assessor": 404, "iss_worker": 403},
    ),
    "welsh_complete": (
        ["commissioner"],
        {"other_commissioner": 404, "manager": 404, "perpetrator_worker": 403},
    ),
    "wm_new": (
        ["manager"],
        {"perpetrator_worker": 403, "iss_worker": 403, "assessor": 403, "commissioner": 403},
    ),
    "wm_detail": (
        ["manager"],
        {
            "reviewer": 404,  # until it is sent for review
            "partnership_commissioner": 404,
            "assessor": 404,
            "commissioner": 404,
            "perpetrator_worker": 403,
        },
    ),
    "wm_rate": (["manager"], {"reviewer": 404, "assessor": 404, "iss_worker": 403}),
    "wm_reviewer": (["manager"], {"reviewer": 404, "perpetrator_worker": 403}),
    "wm_submit": (["manager"], {"reviewer": 404, "iss_worker": 403}),
    "wm_review": (["manager"], {}),  # the manager: 403, checked below (not yet in review)
    "partnerships": (
        ["partnership_commissioner"],
        {"manager": 403, "perpetrator_worker": 403, "assessor": 403},
    ),
    "partnership_detail": (
        ["partnership_commissioner"],
        {"other_commissioner": 404, "commissioner": 404, "manager": 403},
    ),
    "sa_new": (
        ["manager"],
        {"perpetrator_worker": 403, "iss_worker": 403, "assessor": 403, "commissioner": 403},
    ),
    "sa_detail": (
        ["manager"],
        {"assessor": 404, "commissioner": 404, "coordinator": 404, "perpetrator_worker": 403},
    ),
    "sa_rate": (["manager"], {"assessor": 404, "commissioner": 404, "iss_worker": 403}),
    "sa_complete": (["manager"], {"commissioner": 404, "perpetrator_worker": 403}),
}
ALLOWED = [(route, who) for route, (allowed, _) in ROUTES.items() for who in allowed]
REFUSED = [
    (route, who, code) for route, (_, refused) in ROUTES.items() for who, code in refused.items()
]


@pytest.mark.parametrize(("route", "who"), [a for a in ALLOWED if a[0] != "wm_review"])
def test_it_opens_each_page_for_who_may_open_it(world: World, route: str, who: str) -> None:
    response = client_for(world.person(who)).get(url(route, world))
    assert response.status_code == 200, response.content[:500]


@pytest.mark.parametrize("who", sorted({who for _, who, _ in REFUSED}))
def test_it_refuses_each_page_to_who_may_not_open_it(world: World, who: str) -> None:
    client = client_for(world.person(who))
    expected = {route: code for route, refused, code in REFUSED if refused == who}

    answers = {
        route: (
            client.get(url(route, world)).status_code,
            client.post(url(route, world)).status_code,
        )
        for route in expected
    }

    assert answers == {route: (code, code) for route, code in expected.items()}


def test_it_refuses_every_page_to_someone_signed_out(world: World) -> None:
    for route in ROUTES:
        response = Client().get(url(route, world))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_lets_only_the_declared_peer_reviewer_review_once_sent(world: World) -> None:
    manager = world.staff.service_manager
    client = client_for(manager)
    response = client.post(url("wm_submit", world), {"expected_version": world.wm.version})
    assert response.status_code == 302
    assert fresh(world.wm).state == State.PEER_REVIEW
    assert client.get(url("wm_review", world)).status_code == 403
    assert client.get(url("wm_review_complete", world)).status_code == 403
    record = build.records(world.wm)[0]
    response = client.post(
        url("wm_rate", world),
        {"expected_version": record.version, "rating": "met", "evidence": build.EVIDENCE},
    )
    assert "You cannot change a self-rating while the assessment is" in response.content.decode()
    reviewer = client_for(world.reviewer)
    assert reviewer.get(url("wm_detail", world)).status_code == 200
    assert reviewer.get(url("wm_review", world)).status_code == 200
    assert reviewer.get(url("wm_rate", world)).status_code == 403
    partnership = client_for(world.partnership_commissioner)
    assert partnership.get(url("wm_detail", world)).status_code == 200
    assert partnership.get(url("wm_review", world)).status_code == 403
    for who in ("perpetrator_worker", "iss_worker"):
        assert client_for(world.person(who)).get(url("wm_review", world)).status_code == 403
    assert client_for(world.assessor).get(url("wm_review", world)).status_code == 404


def test_it_opens_a_404_for_an_assessment_of_another_process(world: World) -> None:
    client = client_for(world.commissioner)
    wrong = reverse("assurance:checklists:audit_detail", args=[world.welsh.pk])
    assert client.get(wrong).status_code == 404


# The forms


def test_it_fails_an_audit_automatically_through_the_page(world: World) -> None:
    client = client_for(world.audit_cast.coordinator)
    other = build.other_agency()
    response = client.post(url("audit_new", world), {"service": other.pk, "runs_iss": "no"})
    assessment = Assessment.objects.get(service=other, process=Process.SAFEGUARDING_AUDIT_2008)
    assert response["Location"] == reverse(
        "assurance:checklists:audit_detail", args=[assessment.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Failed" in page
    assert "fails automatically" in page


def test_it_proposes_a_schedule_and_shows_a_refusal_on_its_field(world: World) -> None:
    client = client_for(world.audit_cast.lead)
    data = {
        "expected_version": world.audit.version,
        "visit_on": build.VISIT_ON.isoformat(),
        "kind_1": "case_file_review",
        "starts_at_1": "09:30",
        "description_1": "Synthetic files",
        "kind_2": "staff_interview",
        "starts_at_2": "11:00",
        "description_2": "Manager",
    }
    response = client.post(url("audit_schedule", world), data)
    assert response.status_code == 200
    assert "add group recording" in response.content.decode()
    assert "(rule safeguarding-audit-2008)" in response.content.decode()
    response = client.post(
        url("audit_schedule", world),
        data | {"kind_3": "group_recording", "starts_at_3": "14:00", "description_3": "S7"},
    )
    assert response.status_code == 302
    assert fresh(world.audit).safeguarding_audit.schedule.count() == 3
    response = client.post(url("audit_schedule", world), data | {"kind_4": "staff_interview"})
    assert "Enter item 4&#x27;s time" in response.content.decode()


def test_it_rates_one_red_and_one_amber_through_the_pages(world: World) -> None:
    client = client_for(world.commissioner)
    owner = world.staff.service_manager
    records = build.records(world.welsh)
    window_end = TODAY + timedelta(weeks=12)
    for record in records:
        rating = {"1.Q1": RagRating.RED, "1.Q2": RagRating.AMBER}.get(
            record.requirement.code, RagRating.GREEN
        )
        data = {
            "expected_version": record.version,
            "evidence": build.EVIDENCE,
            "rating": rating.value,
        }
        page = reverse("assurance:checklists:welsh_rate", args=[world.welsh.pk, record.pk])
        if rating == RagRating.AMBER:
            outside = data | {
                "action": "Synthetic: publish the self-referral route",
                "owner": owner.pk,
                "review_on": (window_end + timedelta(days=1)).isoformat(),
            }
            response = client.post(page, outside)
            assert response.status_code == 200
            content = response.content.decode()
            assert 'href="#id_review_on"' in content
            assert "within the agreed timeframe of 12 weeks" in content
            data = outside | {"review_on": window_end.isoformat()}
        assert client.post(page, data).status_code == 302
    complete = url("welsh_complete", world)
    response = client.post(complete, {"expected_version": fresh(world.welsh).version})
    assert "Give the date the service is to be reassessed by" in response.content.decode()
    response = client.post(
        complete,
        {
            "expected_version": fresh(world.welsh).version,
            "reassess_by": (TODAY + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    welsh = fresh(world.welsh)
    assert welsh.state == State.DOES_NOT_MEET
    assert Action.objects.filter(assessment=welsh).count() == 2
    page = client.get(url("welsh_detail", world)).content.decode()
    assert "Does not meet the standards: address and reassess" in page
    assert "Reassessment due" in page
    assert f"review by {window_end:%-d %b %Y}" in page
    overview = client.get(url("commissioning", world)).content.decode()
    assert "Test DAPP" in overview
    assert "First review" in overview
    # Once complete, the provider's manager reads it; no one changes it.
    manager = client_for(owner)
    assert manager.get(url("welsh_detail", world)).status_code == 200
    assert manager.get(url("welsh_rate", world)).status_code == 403


def test_it_refuses_a_peer_reviewer_from_the_same_organisation_on_the_form(
    staffed_service: ServiceStaff,
) -> None:
    manager = staffed_service.service_manager
    assessment = build.wm_rated(staffed_service.service, manager)
    page = reverse("assurance:checklists:wm_reviewer", args=[assessment.pk])
    client = client_for(manager)
    response = client.post(page, {"user": staffed_service.other_service_worker.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()  # not offered at all
    reviewer = build.peer_reviewer()
    assert client.post(page, {"user": reviewer.pk}).status_code == 302
    assert assessment.participants.get(part=Part.PEER_REVIEWER).user == reviewer


def test_it_shows_how_far_from_accreditation(world: World) -> None:
    client = client_for(world.staff.service_manager)
    record = build.records(world.self_assessment)[0]
    response = client.post(
        reverse("assurance:checklists:sa_rate", args=[world.self_assessment.pk, record.pk]),
        {"expected_version": record.version, "rating": "met", "evidence": build.EVIDENCE},
    )
    assert response.status_code == 302
    page = client.get(url("sa_detail", world)).content.decode()
    assert "1 of 7 requirements met (14%); 6 to go." in page


def test_it_records_a_commissioner_through_the_administrators_page(world: World) -> None:
    client = client_for(world.administrator)
    commissioner = build.person("new-commissioner", Role.COMMISSIONER)
    response = client.post(
        url("relationships", world),
        {
            "commissioner": commissioner.pk,
            "service": world.staff.service.pk,
            "since": (TODAY + timedelta(days=1)).isoformat(),
        },
    )
    assert "cannot be in the future" in response.content.decode()
    response = client.post(
        url("relationships", world),
        {"commissioner": commissioner.pk, "service": world.staff.service.pk, "since": TODAY},
    )
    assert response.status_code == 302
    assert client_for(commissioner).get(url("welsh_detail", world)).status_code == 200


def test_it_lists_the_declarations_awaited(staffed_service: ServiceStaff) -> None:
    cast = build.audit_cast(staffed_service)
    assessment = build.audit_opened(cast, staffed=False)
    participant = participant_add(
        assessment=assessment, user=cast.second, part=Part.SECOND_ASSESSOR, actor=cast.coordinator
    )
    client = client_for(cast.second)
    page = reverse("assurance:checklists:declare", args=[participant.pk])
    assert page in client.get(reverse("assurance:checklists:index")).content.decode()
    detail = reverse("assurance:checklists:audit_detail", args=[assessment.pk])
    assert client.get(detail).status_code == 404
    response = client.post(page, {"no_conflict": "yes"})
    assert response["Location"] == detail
    assert client.get(detail).status_code == 200
    assert client_for(cast.lead).get(page).status_code == 404  # not theirs
