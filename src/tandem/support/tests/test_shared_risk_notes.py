"""Shared risk notes (rule survivor-confidentiality): written by the ISS side for one of her
perpetrators' cases, approved by the ISS manager and, for intensive case management, also by the
service manager, and only then shown on his case, without their source."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import PerpetratorCase
from tandem.cases.tests.builders import iss_case_of, received
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.support.barrier import released_risk_notes_for_user
from tandem.support.models import IssCase, SharedRiskNote
from tandem.support.services.risk_notes import shared_risk_note_approve, shared_risk_note_write
from tandem.support.tests.builders import (
    another_case,
    client_for,
    icm_case,
    iss_worker_elsewhere,
    member,
    other_service,
    post_json,
    referred_case,
)

pytestmark = pytest.mark.django_db

CONCERN = "Synthetic concern: he has asked about her new area"


def written(staff: ServiceStaff, *, case: PerpetratorCase | None = None) -> SharedRiskNote:
    case = case or received(staff)
    return shared_risk_note_write(
        iss_case=iss_case_of(case), perpetrator_case=case, actor=staff.iss_worker, note=CONCERN
    )


def perpetrator_side_service_manager(staff: ServiceStaff) -> User:
    return member("sm-perp", Role.SERVICE_MANAGER, staff.service, "perpetrator")


def iss_practice_manager(staff: ServiceStaff) -> User:
    return member("pm-iss", Role.PRACTICE_MANAGER, staff.service, "iss")


def shown_on_his_case(staff: ServiceStaff, case: PerpetratorCase) -> list[str]:
    notes = released_risk_notes_for_user(user=staff.perpetrator_worker, case=case)
    return [note.note for note in notes]


# Writing


def test_it_writes_a_note_that_waits_for_approval_and_is_not_yet_on_his_case(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service)

    assert note.released_at is None
    assert shown_on_his_case(staffed_service, note.perpetrator_case) == []
    event = AuditEvent.objects.get(action="created", summary__startswith="risk note written")
    assert event.object_id == str(note.pk)
    assert not AuditEvent.objects.filter(summary__contains="Synthetic concern").exists(), (
        "the words stay out of the trail"
    )


def test_it_refuses_a_note_for_a_case_she_is_not_linked_to(staffed_service: ServiceStaff) -> None:
    case = received(staffed_service)
    stranger = another_case(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        shared_risk_note_write(
            iss_case=iss_case_of(case),
            perpetrator_case=stranger,
            actor=staffed_service.iss_worker,
            note=CONCERN,
        )

    assert (refused.value.rule_id, refused.value.field) == (
        "survivor-confidentiality",
        "perpetrator_case",
    )
    assert not SharedRiskNote.objects.exists()


@pytest.mark.parametrize("who", ["perpetrator_worker", "other_service_worker"])
def test_it_refuses_a_note_written_by_anyone_off_her_iss_side(
    staffed_service: ServiceStaff, who: str
) -> None:
    case = received(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        shared_risk_note_write(
            iss_case=iss_case_of(case),
            perpetrator_case=case,
            actor=getattr(staffed_service, who),
            note=CONCERN,
        )

    assert refused.value.rule_id == "survivor-confidentiality"
    assert not SharedRiskNote.objects.exists()


# Approval: structured interventions


def test_it_releases_a_note_for_a_structured_intervention_on_the_iss_managers_approval(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service)
    manager = iss_practice_manager(staffed_service)

    approved = shared_risk_note_approve(note=note, actor=manager)

    assert approved.iss_manager_approved_by == manager
    assert approved.released_at is not None
    assert approved.service_manager_approved_at is None
    assert shown_on_his_case(staffed_service, note.perpetrator_case) == [CONCERN]


@pytest.mark.parametrize(
    ("who", "message"),
    [
        pytest.param(
            "iss_worker",
            "another manager must approve a risk note you wrote",
            id="its-writer",
        ),
        pytest.param(
            "second_iss_worker",
            "only a manager on the ISS side of her service can approve it first",
            id="an-iss-worker",
        ),
        pytest.param(
            "perpetrator_side_service_manager",
            "only a manager on the ISS side of her service can approve it first",
            id="a-perpetrator-side-service-manager",
        ),
    ],
)
def test_it_refuses_the_first_approval_to_anyone_but_an_iss_manager_who_did_not_write_it(
    staffed_service: ServiceStaff, who: str, message: str
) -> None:
    note = written(staffed_service)
    actor = (
        perpetrator_side_service_manager(staffed_service)
        if who == "perpetrator_side_service_manager"
        else getattr(staffed_service, who)
    )

    with pytest.raises(ActionRefused) as refused:
        shared_risk_note_approve(note=note, actor=actor)

    assert (refused.value.message, refused.value.rule_id) == (message, "survivor-confidentiality")
    note.refresh_from_db()
    assert (note.iss_manager_approved_at, note.released_at) == (None, None)


def test_it_refuses_an_approval_of_a_note_already_released(staffed_service: ServiceStaff) -> None:
    note = shared_risk_note_approve(
        note=written(staffed_service), actor=staffed_service.service_manager
    )

    with pytest.raises(ActionRefused) as refused:
        shared_risk_note_approve(note=note, actor=iss_practice_manager(staffed_service))

    assert refused.value.message == "this risk note is already released"


# Approval: intensive case management (R22-I B3.3, both service managers)


def test_it_holds_an_icm_note_until_the_service_manager_also_approves(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service, case=icm_case(staffed_service))
    service_manager = perpetrator_side_service_manager(staffed_service)

    first = shared_risk_note_approve(note=note, actor=iss_practice_manager(staffed_service))
    assert first.released_at is None
    assert shown_on_his_case(staffed_service, note.perpetrator_case) == []
    second = shared_risk_note_approve(note=note, actor=service_manager)

    assert second.service_manager_approved_by == service_manager
    assert second.released_at is not None
    assert shown_on_his_case(staffed_service, note.perpetrator_case) == [CONCERN]


def test_it_lets_one_service_manager_on_both_sides_give_both_approvals_one_at_a_time(
    staffed_service: ServiceStaff,
) -> None:
    """Where one service manager runs both sides, they are both service managers; each approval
    is still its own act, so the first never releases an ICM note by itself."""
    note = written(staffed_service, case=icm_case(staffed_service))
    manager = staffed_service.service_manager

    first = shared_risk_note_approve(note=note, actor=manager)
    second = shared_risk_note_approve(note=note, actor=manager)

    assert (first.iss_manager_approved_by, first.released_at) == (manager, None)
    assert second.service_manager_approved_by == manager
    assert second.released_at is not None
    summaries = AuditEvent.objects.filter(summary__startswith="risk note approved").values_list(
        "summary", flat=True
    )
    assert list(summaries.order_by("pk")) == [
        "risk note approved by the ISS manager",
        "risk note approved by the service manager: released to the perpetrator side",
    ]


def test_it_refuses_the_service_managers_approval_to_a_practice_manager_on_both_sides(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service, case=icm_case(staffed_service))
    practice_manager = member("pm-both", Role.PRACTICE_MANAGER, staffed_service.service, "both")
    shared_risk_note_approve(note=note, actor=practice_manager)

    with pytest.raises(ActionRefused) as refused:
        shared_risk_note_approve(note=note, actor=practice_manager)

    assert refused.value.rule_id == "survivor-confidentiality"
    assert "service manager of the intervention must also agree" in refused.value.message
    note.refresh_from_db()
    assert note.released_at is None


def test_it_refuses_the_service_managers_approval_to_an_iss_only_service_manager(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service, case=icm_case(staffed_service))
    iss_only = member("sm-iss", Role.SERVICE_MANAGER, staffed_service.service, "iss")
    shared_risk_note_approve(note=note, actor=iss_only)

    with pytest.raises(ActionRefused):
        shared_risk_note_approve(note=note, actor=iss_only)

    note.refresh_from_db()
    assert note.released_at is None


# The pages


def write_url(iss_case: IssCase) -> str:
    return reverse("support:shared_risk_note_write", args=[iss_case.pk])


AWAITING_URL = "/support/risk-notes/awaiting-approval/"


def approve_url(note: SharedRiskNote) -> str:
    return reverse("support:shared_risk_note_approve", args=[note.pk])


def test_the_routes_are_where_people_expect_them() -> None:
    assert reverse("support:risk_notes_awaiting_approval") == AWAITING_URL
    assert reverse("support:shared_risk_note_approve", args=[7]) == "/support/risk-notes/7/approve/"


def test_it_writes_a_note_from_her_case_page_and_lists_it_awaiting_approval(
    staffed_service: ServiceStaff,
) -> None:
    iss_case = referred_case(staffed_service)
    case = iss_case.survivor.links.get().perpetrator_case
    client = client_for(staffed_service.iss_worker)

    response = client.post(
        write_url(iss_case),
        {"risk_note-perpetrator_case": case.pk, "risk_note-note": CONCERN},
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Risk note written" in page
    assert CONCERN in page
    assert "Awaiting the ISS manager" in page


def test_it_refuses_a_blank_note_on_the_page_naming_the_field(
    staffed_service: ServiceStaff,
) -> None:
    iss_case = referred_case(staffed_service)
    case = iss_case.survivor.links.get().perpetrator_case

    response = client_for(staffed_service.iss_worker).post(
        write_url(iss_case), {"risk_note-perpetrator_case": case.pk, "risk_note-note": " "}
    )

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert 'id="id_risk_note-note-error"' in response.text
    assert not SharedRiskNote.objects.exists()


def test_it_offers_only_her_perpetrators_cases_and_refuses_another(
    staffed_service: ServiceStaff,
) -> None:
    iss_case = referred_case(staffed_service)
    stranger = another_case(staffed_service)

    response = client_for(staffed_service.iss_worker).post(
        write_url(iss_case), {"risk_note-perpetrator_case": stranger.pk, "risk_note-note": CONCERN}
    )

    assert response.status_code == 400
    assert "Choose one of her perpetrators" in response.text
    assert not SharedRiskNote.objects.exists()


def test_it_lists_a_note_for_the_iss_manager_with_its_source_and_approves_it(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service)
    client = client_for(staffed_service.service_manager)

    listed = client.get(AWAITING_URL)
    approved = client.post(approve_url(note))

    assert listed.status_code == 200
    assert CONCERN in listed.text
    assert "Alice Example" in listed.text, "the ISS manager sees whose case it came from"
    assert approved.status_code == 302
    assert "now shown on case" in client.get(approved["Location"]).text
    assert shown_on_his_case(staffed_service, note.perpetrator_case) == [CONCERN]


def test_it_lists_an_icm_note_for_the_service_manager_without_its_source(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service, case=icm_case(staffed_service))
    shared_risk_note_approve(note=note, actor=iss_practice_manager(staffed_service))
    client = client_for(perpetrator_side_service_manager(staffed_service))

    listed = client.get(AWAITING_URL)
    approved = client.post(approve_url(note))

    assert CONCERN in listed.text
    assert "Alice Example" not in listed.text
    assert staffed_service.iss_worker.get_full_name() not in listed.text
    assert reverse("support:iss_case_detail", args=[note.source_iss_case_id]) not in listed.text
    assert approved.status_code == 302
    note.refresh_from_db()
    assert note.released_at is not None


def test_it_shows_nothing_awaiting_to_the_perpetrator_side_service_manager_before_the_iss_manager(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service, case=icm_case(staffed_service))
    client = client_for(perpetrator_side_service_manager(staffed_service))

    listed = client.get(AWAITING_URL)
    approved = client.post(approve_url(note))

    assert CONCERN not in listed.text
    assert approved.status_code == 404
    note.refresh_from_db()
    assert note.iss_manager_approved_at is None


def test_it_never_offers_the_service_managers_approval_to_a_practice_manager(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service, case=icm_case(staffed_service))
    practice_manager = member("pm-both", Role.PRACTICE_MANAGER, staffed_service.service, "both")
    shared_risk_note_approve(note=note, actor=practice_manager)
    client = client_for(practice_manager)

    listed = client.get(AWAITING_URL)
    response = client.post(approve_url(note))

    assert CONCERN not in listed.text
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.released_at is None


def test_it_shows_a_refusal_on_the_list_naming_the_rule(
    staffed_service: ServiceStaff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else may act between the list and the click: the refusal reads clearly."""
    note = written(staffed_service)

    def refuse(**_: object) -> None:
        raise ActionRefused(
            "this risk note is already released", rule_id="survivor-confidentiality"
        )

    monkeypatch.setattr("tandem.support.services.risk_notes.shared_risk_note_approve", refuse)

    response = client_for(staffed_service.service_manager).post(approve_url(note))

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "this risk note is already released (rule survivor-confidentiality)" in response.text


def test_it_sends_an_anonymous_visitor_to_sign_in(
    client: Client, staffed_service: ServiceStaff
) -> None:
    note = written(staffed_service)

    assert client.get(AWAITING_URL).status_code == 302
    assert client.post(approve_url(note)).status_code == 302
    note.refresh_from_db()
    assert note.iss_manager_approved_at is None


@pytest.mark.parametrize("role", [*Role, None], ids=[*Role.values, "no-role"])
def test_it_refuses_the_approval_pages_to_everyone_but_managers_of_her_service(
    staffed_service: ServiceStaff,
    user_with_role: Callable[[Role], User],
    user_without_role: User,
    role: Role | None,
) -> None:
    note = written(staffed_service)
    client = client_for(user_with_role(role) if role else user_without_role)

    listed = client.get(AWAITING_URL)
    approved = client.post(approve_url(note))

    if role in (Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER):
        assert listed.status_code == 200
        assert CONCERN not in listed.text, "a role without a membership sees nothing"
        assert approved.status_code == 404
    else:
        assert (listed.status_code, approved.status_code) == (403, 403)
    note.refresh_from_db()
    assert note.iss_manager_approved_at is None


@pytest.mark.parametrize("who", ["perpetrator_worker", "iss_worker", "elsewhere"])
def test_it_refuses_the_approval_pages_to_workers(staffed_service: ServiceStaff, who: str) -> None:
    note = written(staffed_service)
    user = (
        iss_worker_elsewhere(staffed_service)
        if who == "elsewhere"
        else getattr(staffed_service, who)
    )
    client = client_for(user)

    assert client.get(AWAITING_URL).status_code == 403
    assert client.post(approve_url(note)).status_code == 403


def test_it_hides_the_awaiting_notes_of_another_service_from_its_managers(
    staffed_service: ServiceStaff,
) -> None:
    note = written(staffed_service)
    elsewhere = member("sm-elsewhere", Role.SERVICE_MANAGER, other_service(staffed_service), "both")
    client = client_for(elsewhere)

    assert CONCERN not in client.get(AWAITING_URL).text
    assert client.post(approve_url(note)).status_code == 404


def test_it_lists_awaiting_notes_in_a_fixed_number_of_queries(
    staffed_service: ServiceStaff, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(staffed_service.service_manager)
    practice_manager = iss_practice_manager(staffed_service)
    written(staffed_service)
    # Session, user, second factor, roles, the notes and exchanges awaiting, the read's audit
    # event with its chain head: a ceiling for one note, and the same for nine.
    with django_assert_max_num_queries(17) as few:
        client.get(AWAITING_URL)
    for _ in range(4):
        written(staffed_service)
        note = written(staffed_service, case=icm_case(staffed_service))
        shared_risk_note_approve(note=note, actor=practice_manager)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(AWAITING_URL)
    assert response.text.count(CONCERN) == 9


# The API


def api_approve_url(note: SharedRiskNote) -> str:
    return reverse("v1:risk-note-approve", args=[note.pk])


def test_it_writes_and_approves_a_note_through_the_api(staffed_service: ServiceStaff) -> None:
    iss_case = referred_case(staffed_service)
    case = iss_case.survivor.links.get().perpetrator_case
    refused = post_json(
        client_for(staffed_service.iss_worker),
        reverse("v1:iss-case-risk-notes", args=[iss_case.pk]),
        {"case": "P-NOT-REAL", "note": CONCERN},
    )
    made = post_json(
        client_for(staffed_service.iss_worker),
        reverse("v1:iss-case-risk-notes", args=[iss_case.pk]),
        {"case": case.reference, "note": CONCERN},
    )
    manager = client_for(staffed_service.service_manager)
    awaiting = manager.get(reverse("v1:risk-notes-awaiting-approval")).json()
    note = SharedRiskNote.objects.get()
    approved = manager.post(api_approve_url(note))

    assert refused.status_code == 400
    assert refused.json() == {"case": ["there is no case P-NOT-REAL in her service"]}
    assert made.status_code == 201
    assert [n["note"] for n in made.json()["shared_risk_notes"]] == [CONCERN]
    assert awaiting == [
        {
            "id": note.pk,
            "case": case.reference,
            "note": CONCERN,
            "written_at": awaiting[0]["written_at"],
            "approval": "iss-manager",
            "iss_case": iss_case.pk,
        }
    ]
    assert approved.status_code == 200
    assert approved.json()["status"] == "released"


def test_it_refuses_a_blank_note_through_the_api_naming_the_field_and_rule(
    staffed_service: ServiceStaff,
) -> None:
    iss_case = referred_case(staffed_service)
    case = iss_case.survivor.links.get().perpetrator_case

    response = post_json(
        client_for(staffed_service.iss_worker),
        reverse("v1:iss-case-risk-notes", args=[iss_case.pk]),
        {"case": case.reference, "note": ""},
    )

    assert response.status_code == 400
    assert response.json() == {
        "note": ["write the risk information to share"],
        "rule": "survivor-confidentiality",
    }


def test_it_answers_the_api_approval_like_the_pages(
    client: Client, staffed_service: ServiceStaff
) -> None:
    note = written(staffed_service)

    anonymous = client.post(api_approve_url(note))
    worker = client_for(staffed_service.perpetrator_worker).post(api_approve_url(note))
    writer_manager_elsewhere = client_for(
        member("sm-x", Role.SERVICE_MANAGER, staffed_service.service, "perpetrator")
    ).post(api_approve_url(note))

    assert anonymous.status_code == 401
    assert worker.status_code == 403
    assert writer_manager_elsewhere.status_code == 404
    note.refresh_from_db()
    assert note.iss_manager_approved_at is None


@pytest.mark.parametrize(("seat", "linked"), [("service_manager", True), ("iss_worker", False)])
def test_it_links_managers_to_the_notes_awaiting_their_approval(
    staffed_service: ServiceStaff, seat: str, linked: bool
) -> None:
    text = client_for(getattr(staffed_service, seat)).get(reverse("support:iss_case_list")).text

    assert (f'href="{AWAITING_URL}"' in text) is linked
