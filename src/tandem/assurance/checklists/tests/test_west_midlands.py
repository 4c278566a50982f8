"""The West Midlands self-evaluation through the services (rule west-midlands-self-evaluation;
WM introduction, "Implementation and monitoring"): self-ratings per standard and bullet with
evidence and actions, peer review by another agency, challenged ratings becoming actions, the
local partnership's view, and who is refused."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.http import Http404

from tandem.access.roles import Role
from tandem.assurance.checklists import selectors as checklist_selectors
from tandem.assurance.checklists.services import commissioning as commissioning_services
from tandem.assurance.checklists.services import ratings
from tandem.assurance.checklists.services import west_midlands as west_midlands_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.checklists.tests.builders import TODAY
from tandem.assurance.models import (
    Action,
    Assessment,
    AssessmentParticipant,
    Part,
    Process,
    SelfRating,
    State,
)
from tandem.assurance.services import conflict_declare
from tandem.assurance.tests.builders import fresh
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]
WM = Process.WEST_MIDLANDS_SELF_EVALUATION


def refused(message: str) -> pytest.RaisesExc[ActionRefused]:
    return pytest.raises(ActionRefused, match=message)


@pytest.fixture
def manager(staffed_service: ServiceStaff) -> User:
    return staffed_service.service_manager


@pytest.fixture
def reviewer() -> User:
    return build.peer_reviewer()


def rate(
    assessment: Assessment,
    code: str,
    actor: User,
    rating: str,
    *,
    action: ratings.ActionDetails | None = None,
) -> None:
    record = build.record(assessment, code)
    west_midlands_services.west_midlands_record_rate(
        record=record,
        actor=actor,
        expected_version=record.version,
        rating=rating,
        evidence=build.EVIDENCE,
        action=action,
    )


def test_it_gives_each_standard_and_each_bullet_a_record(
    staffed_service: ServiceStaff, manager: User
) -> None:
    assessment = west_midlands_services.west_midlands_self_evaluation_start(
        service=staffed_service.service, actor=manager
    )
    assert assessment.records.count() == 11 + 71
    assert assessment.framework.slug == "west-midlands-dva"


@pytest.mark.parametrize(
    "who", ["perpetrator_worker", "iss_worker", "other_services_manager", "commissioner"]
)
def test_it_lets_only_the_agencys_service_manager_start_and_rate(
    staffed_service: ServiceStaff, manager: User, who: str
) -> None:
    actor = {
        "perpetrator_worker": staffed_service.perpetrator_worker,
        "iss_worker": staffed_service.iss_worker,
        "other_services_manager": build.peer_reviewer("manager-elsewhere"),
        "commissioner": build.commissioner_of(staffed_service.service),
    }[who]
    with refused("Only a service manager of Test DAPP can start its self-evaluation"):
        west_midlands_services.west_midlands_self_evaluation_start(
            service=staffed_service.service, actor=actor
        )
    assessment = west_midlands_services.west_midlands_self_evaluation_start(
        service=staffed_service.service, actor=manager
    )
    with refused("Only a service manager of Test DAPP can rate its self-evaluation"):
        rate(assessment, "1.1", actor, SelfRating.MET)


def test_it_needs_an_action_with_an_owner_for_a_rating_short_of_met(
    staffed_service: ServiceStaff, manager: User
) -> None:
    assessment = west_midlands_services.west_midlands_self_evaluation_start(
        service=staffed_service.service, actor=manager
    )
    with refused("Set the action for 1.4") as refusal:
        rate(assessment, "1.4", manager, SelfRating.NOT_MET)
    assert (refusal.value.field, refusal.value.rule_id) == (
        "action",
        "west-midlands-self-evaluation",
    )
    due_on = TODAY + timedelta(days=30)
    with refused("must work in the service") as refusal:
        rate(
            assessment,
            "1.4",
            manager,
            SelfRating.PARTLY,
            action=ratings.ActionDetails("Synthetic", build.peer_reviewer(), due_on),
        )
    assert refusal.value.field == "owner"
    with refused("due date must be after today") as refusal:
        rate(
            assessment,
            "1.4",
            manager,
            SelfRating.PARTLY,
            action=ratings.ActionDetails("Synthetic", manager, TODAY),
        )
    assert refusal.value.field == "due_on"
    owner = staffed_service.iss_worker
    rate(
        assessment,
        "1.4",
        manager,
        SelfRating.PARTLY,
        action=ratings.ActionDetails("Synthetic: set a review date", owner, due_on),
    )
    action = Action.objects.get()
    assert (action.owner, action.due_on, action.record.requirement.code) == (  # type: ignore[union-attr]
        owner,
        due_on,
        "1.4",
    )
    rate(assessment, "1.4", manager, SelfRating.MET)
    assert not Action.objects.exists()


def test_it_refuses_a_peer_reviewer_from_the_same_organisation(
    staffed_service: ServiceStaff, manager: User
) -> None:
    """WM implementation: peer review by another agency. The other service worker works in a
    sibling service of the same organisation."""
    assessment = build.wm_rated(staffed_service.service, manager)
    with refused("a peer reviewer comes from another agency") as refusal:
        west_midlands_services.peer_reviewer_add(
            assessment=assessment, user=staffed_service.other_service_worker, actor=manager
        )
    assert (refusal.value.field, refusal.value.rule_id) == ("user", "west-midlands-self-evaluation")
    with refused("a peer reviewer comes from another agency"):
        west_midlands_services.peer_reviewer_add(
            assessment=assessment, user=staffed_service.iss_worker, actor=manager
        )
    assert not AssessmentParticipant.objects.filter(part=Part.PEER_REVIEWER).exists()


def test_it_takes_one_reviewer_at_a_time_and_replaces_one_who_declares_a_conflict(
    staffed_service: ServiceStaff, manager: User, reviewer: User
) -> None:
    assessment = build.wm_rated(staffed_service.service, manager)
    participant = west_midlands_services.peer_reviewer_add(
        assessment=assessment, user=reviewer, actor=manager
    )
    with refused("already has a peer reviewer"):
        west_midlands_services.peer_reviewer_add(
            assessment=assessment, user=build.peer_reviewer("peer-2"), actor=manager
        )
    conflict_declare(
        participant=participant, actor=reviewer, no_conflict=False, details="Synthetic: trustee"
    )
    with refused("has declared a conflict of interest"):
        west_midlands_services.peer_reviewer_add(
            assessment=assessment, user=reviewer, actor=manager
        )
    west_midlands_services.peer_reviewer_add(
        assessment=assessment, user=build.peer_reviewer("peer-2"), actor=manager
    )


def test_it_refuses_to_submit_before_every_rating(
    staffed_service: ServiceStaff, manager: User
) -> None:
    assessment = west_midlands_services.west_midlands_self_evaluation_start(
        service=staffed_service.service, actor=manager
    )
    with refused("Rate Standard 1, 1.1, 1.2, 1.3, 1.4 and 77 more with evidence") as refusal:
        west_midlands_services.west_midlands_submit(
            assessment=assessment, actor=manager, expected_version=assessment.version
        )
    assert refusal.value.field == "rating"


def test_it_refuses_to_submit_without_a_peer_reviewer(
    staffed_service: ServiceStaff, manager: User
) -> None:
    assessment = build.wm_rated(staffed_service.service, manager)
    with refused("Choose a peer reviewer from another agency first") as refusal:
        west_midlands_services.west_midlands_submit(
            assessment=assessment, actor=manager, expected_version=assessment.version
        )
    assert refusal.value.field == "participants"


def test_it_turns_challenged_ratings_into_actions_after_peer_review(
    staffed_service: ServiceStaff, manager: User, reviewer: User
) -> None:
    assessment = build.wm_submitted(staffed_service.service, manager, reviewer, partly="2.3")
    assert assessment.state == State.PEER_REVIEW
    record = build.record(assessment, "1.4")
    with refused("Say why you challenge the rating of 1.4") as refusal:
        west_midlands_services.peer_review_record(
            record=record, actor=reviewer, expected_version=record.version, agrees=False, comment=""
        )
    assert refusal.value.field == "comment"
    with refused("before completing the review"):
        west_midlands_services.peer_review_complete(
            assessment=assessment, actor=reviewer, expected_version=assessment.version
        )
    assessment = build.wm_reviewed(assessment, reviewer, challenge="1.4")
    assert assessment.state == State.PEER_REVIEWED
    challenge = Action.objects.get(record__requirement__code="1.4")
    assert challenge.owner == manager
    assert "challenged the rating of 1.4 (met)" in challenge.description
    partly = Action.objects.get(record__requirement__code="2.3")
    assert partly.owner == manager
    summary = checklist_selectors.west_midlands_self_evaluation_summary(assessment=assessment)
    assert len(summary.standards) == 11
    assert summary.standards[0].record.requirement.code == "1"
    assert [item.requirement.code for item in summary.standards[0].items] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
    ]
    assert (summary.counts.met, summary.counts.partly, summary.challenged) == (81, 1, 1)
    assert summary.peer_reviewers == [reviewer]
    assert len(summary.actions) == 2


def test_it_needs_a_due_date_only_when_a_rating_is_challenged(
    staffed_service: ServiceStaff, manager: User, reviewer: User
) -> None:
    assessment = build.wm_submitted(staffed_service.service, manager, reviewer)
    for item in build.records(assessment):
        west_midlands_services.peer_review_record(
            record=item,
            actor=reviewer,
            expected_version=item.version,
            agrees=item.requirement.code != "3.1",
            comment="Synthetic",
        )
    assessment = fresh(assessment)
    with refused("Give the date by which the agency must act") as refusal:
        west_midlands_services.peer_review_complete(
            assessment=assessment, actor=reviewer, expected_version=assessment.version
        )
    assert refusal.value.field == "actions_due_on"


@pytest.mark.parametrize("who", ["manager", "undeclared", "perpetrator_worker"])
def test_it_lets_only_the_declared_peer_reviewer_review(
    staffed_service: ServiceStaff, manager: User, reviewer: User, who: str
) -> None:
    assessment = build.wm_submitted(staffed_service.service, manager, reviewer)
    actor = {
        "manager": manager,
        "undeclared": build.peer_reviewer("someone-else"),
        "perpetrator_worker": staffed_service.perpetrator_worker,
    }[who]
    record = build.record(assessment, "1.1")
    with refused("Only the assessment's peer reviewer"):
        west_midlands_services.peer_review_record(
            record=record, actor=actor, expected_version=record.version, agrees=True, comment=""
        )


def test_it_shows_a_self_evaluation_to_the_reviewer_and_partnership_only_once_submitted(
    staffed_service: ServiceStaff, manager: User, reviewer: User
) -> None:
    partnership_commissioner = build.person("partnership-commissioner", Role.COMMISSIONER)
    build.partnership_with(staffed_service.service.organisation, partnership_commissioner)
    assessment = build.wm_rated(staffed_service.service, manager)
    participant = west_midlands_services.peer_reviewer_add(
        assessment=assessment, user=reviewer, actor=manager
    )
    conflict_declare(participant=participant, actor=reviewer, no_conflict=True)
    for user in (reviewer, partnership_commissioner):
        with pytest.raises(Http404):
            checklist_selectors.checklist_get_for_user(
                user=user, assessment_id=assessment.pk, process=WM
            )
    assessment = west_midlands_services.west_midlands_submit(
        assessment=fresh(assessment), actor=manager, expected_version=fresh(assessment).version
    )
    assert checklist_selectors.checklist_get_for_user(
        user=reviewer, assessment_id=assessment.pk, process=WM
    ).parts == {Part.PEER_REVIEWER}
    assert checklist_selectors.checklist_get_for_user(
        user=partnership_commissioner, assessment_id=assessment.pk, process=WM
    ).in_partnership
    outsiders = [
        staffed_service.perpetrator_worker,
        staffed_service.iss_worker,
        build.person("wm-lead-assessor", Role.LEAD_ASSESSOR),
        build.commissioner_of(staffed_service.service, "contract-commissioner"),
    ]
    for user in outsiders:
        with pytest.raises(Http404):
            checklist_selectors.checklist_get_for_user(
                user=user, assessment_id=assessment.pk, process=WM
            )


def test_it_shows_the_partnership_its_agencies_latest_results(
    staffed_service: ServiceStaff, manager: User, reviewer: User
) -> None:
    member = build.person("partnership-commissioner", Role.COMMISSIONER)
    partnership = build.partnership_with(staffed_service.service.organisation, member)
    build.wm_reviewed(
        build.wm_submitted(staffed_service.service, manager, reviewer, partly="2.3"),
        reviewer,
        challenge="1.4",
    )
    overview = checklist_selectors.partnership_overview(user=member, partnership_id=partnership.pk)
    rows = {row.service.name: row for row in overview.agencies}
    assert set(rows) == {"Test DAPP", "Another service"}
    dapp = rows["Test DAPP"]
    assert dapp.latest is not None
    assert dapp.counts is not None
    assert (dapp.counts.partly, dapp.challenged, dapp.open_actions) == (1, 1, 2)
    assert rows["Another service"].latest is None
    # Membership alone is not enough: the commissioner role is needed, and members only.
    not_commissioner = build.person("partnership-manager", Role.SERVICE_MANAGER)
    partnership.members.add(not_commissioner)
    for user in (not_commissioner, build.person("other-commissioner", Role.COMMISSIONER)):
        with pytest.raises(Http404):
            checklist_selectors.partnership_overview(user=user, partnership_id=partnership.pk)


def test_it_lets_only_an_administrator_set_up_a_partnership(
    staffed_service: ServiceStaff,
) -> None:
    administrator = build.person("admin", Role.ADMINISTRATOR)
    commissioner = build.person("p-commissioner", Role.COMMISSIONER)
    with refused("Only an administrator"):
        commissioning_services.local_partnership_create(name="Synthetic", actor=commissioner)
    partnership = commissioning_services.local_partnership_create(
        name="Synthetic Partnership", actor=administrator
    )
    with refused("already a partnership"):
        commissioning_services.local_partnership_create(
            name="synthetic partnership", actor=administrator
        )
    organisation = staffed_service.service.organisation
    commissioning_services.local_partnership_organisation_add(
        partnership=partnership, organisation=organisation, actor=administrator
    )
    with refused("already in"):
        commissioning_services.local_partnership_organisation_add(
            partnership=partnership, organisation=organisation, actor=administrator
        )
    with refused("does not hold the commissioner role"):
        commissioning_services.local_partnership_member_add(
            partnership=partnership, user=staffed_service.service_manager, actor=administrator
        )
    commissioning_services.local_partnership_member_add(
        partnership=partnership, user=commissioner, actor=administrator
    )
    assert list(checklist_selectors.partnerships_for_user(user=commissioner)) == [partnership]
