"""Self-assessment against any framework of the library, for readiness (rule self-assessment):
the service manager rates each applicable requirement with evidence and sees how far the
service is from accreditation."""

import pytest
from django.contrib.auth.models import User
from django.http import Http404

from tandem.access.roles import Role
from tandem.assurance.checklists import selectors as checklist_selectors
from tandem.assurance.checklists.services import self_assessment as self_assessment_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.models import Process, SelfRating, State
from tandem.assurance.tests.builders import fresh
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.standards.models import Framework

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def refused(message: str) -> pytest.RaisesExc[ActionRefused]:
    return pytest.raises(ActionRefused, match=message)


def framework(slug: str) -> Framework:
    return Framework.objects.get(slug=slug, is_current=True)


@pytest.fixture
def manager(staffed_service: ServiceStaff) -> User:
    return staffed_service.service_manager


def test_it_counts_how_far_the_service_is_from_accreditation(
    staffed_service: ServiceStaff, manager: User
) -> None:
    assessment = self_assessment_services.self_assessment_start(
        service=staffed_service.service,
        framework=framework("respect-2022"),
        actor=manager,
        scope=["icm"],
    )
    assert assessment.records.count() == 48
    for number, record in enumerate(build.records(assessment)):
        if number >= 24:
            break
        self_assessment_services.self_assessment_record_rate(
            record=record,
            actor=manager,
            expected_version=record.version,
            rating=SelfRating.MET if number < 12 else SelfRating.PARTLY,
            evidence=build.EVIDENCE,
        )
    readiness = checklist_selectors.self_assessment_summary(assessment=assessment).readiness
    assert (readiness.applicable, readiness.met, readiness.partly, readiness.unrated) == (
        48,
        12,
        12,
        24,
    )
    assert (readiness.percent_met, readiness.to_go) == (25, 36)


@pytest.mark.parametrize(
    ("slug", "count"),
    [("home-office-2022", 7), ("wales-perpetrator", 63), ("respect-ne-minimum", 42)],
)
def test_it_assesses_against_any_framework_in_the_library(
    staffed_service: ServiceStaff, manager: User, slug: str, count: int
) -> None:
    assessment = self_assessment_services.self_assessment_start(
        service=staffed_service.service, framework=framework(slug), actor=manager
    )
    assert assessment.records.count() == count


def test_it_refuses_an_intervention_the_service_does_not_offer(
    staffed_service: ServiceStaff, manager: User
) -> None:
    with refused("does not offer: Early-response") as refusal:
        self_assessment_services.self_assessment_start(
            service=staffed_service.service,
            framework=framework("respect-2022"),
            actor=manager,
            scope=["early_response"],
        )
    assert refusal.value.field == "scope"


def test_it_refuses_an_older_edition_and_a_second_draft(
    staffed_service: ServiceStaff, manager: User
) -> None:
    older = framework("home-office-2022")
    older.is_current = False
    older.save()
    with refused("is not the current edition") as refusal:
        self_assessment_services.self_assessment_start(
            service=staffed_service.service, framework=older, actor=manager
        )
    assert refusal.value.field == "framework"
    self_assessment_services.self_assessment_start(
        service=staffed_service.service, framework=framework("respect-2022"), actor=manager
    )
    with refused("already has a self-assessment against"):
        self_assessment_services.self_assessment_start(
            service=staffed_service.service, framework=framework("respect-2022"), actor=manager
        )


@pytest.mark.parametrize("who", ["perpetrator_worker", "iss_worker", "assessor", "commissioner"])
def test_it_lets_only_the_services_manager_self_assess(
    staffed_service: ServiceStaff, manager: User, who: str
) -> None:
    actor = {
        "perpetrator_worker": staffed_service.perpetrator_worker,
        "iss_worker": staffed_service.iss_worker,
        "assessor": build.person("sa-assessor", Role.ASSESSOR),
        "commissioner": build.commissioner_of(staffed_service.service),
    }[who]
    with refused("Only a service manager of Test DAPP"):
        self_assessment_services.self_assessment_start(
            service=staffed_service.service, framework=framework("home-office-2022"), actor=actor
        )
    assessment = self_assessment_services.self_assessment_start(
        service=staffed_service.service, framework=framework("home-office-2022"), actor=manager
    )
    record = build.records(assessment)[0]
    with refused("Only a service manager of Test DAPP"):
        self_assessment_services.self_assessment_record_rate(
            record=record,
            actor=actor,
            expected_version=record.version,
            rating=SelfRating.MET,
            evidence=build.EVIDENCE,
        )
    with pytest.raises(Http404):
        checklist_selectors.checklist_get_for_user(
            user=actor, assessment_id=assessment.pk, process=Process.SELF_ASSESSMENT
        )


def test_it_completes_only_when_every_requirement_is_rated_then_keeps_it(
    staffed_service: ServiceStaff, manager: User
) -> None:
    assessment = self_assessment_services.self_assessment_start(
        service=staffed_service.service, framework=framework("home-office-2022"), actor=manager
    )
    with refused("with evidence before completing") as refusal:
        self_assessment_services.self_assessment_complete(
            assessment=assessment, actor=manager, expected_version=assessment.version
        )
    assert refusal.value.field == "rating"
    for record in build.records(assessment):
        self_assessment_services.self_assessment_record_rate(
            record=record,
            actor=manager,
            expected_version=record.version,
            rating=SelfRating.NOT_MET if record.requirement.code == "HO1" else SelfRating.MET,
            evidence=build.EVIDENCE,
        )
    assessment = self_assessment_services.self_assessment_complete(
        assessment=fresh(assessment), actor=manager, expected_version=fresh(assessment).version
    )
    assert assessment.state == State.COMPLETED
    assert assessment.transitions.get().note == "6 of 7 met (85%)"
    record = build.records(assessment)[0]
    with refused("can no longer be changed"):
        self_assessment_services.self_assessment_record_rate(
            record=record,
            actor=manager,
            expected_version=record.version,
            rating=SelfRating.MET,
            evidence=build.EVIDENCE,
        )
    following = self_assessment_services.self_assessment_start(
        service=staffed_service.service, framework=framework("home-office-2022"), actor=manager
    )
    assert following.previous == assessment
