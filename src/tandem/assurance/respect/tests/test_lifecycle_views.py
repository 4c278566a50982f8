"""The appeal and evidence-offer pages, overdue assurance actions on My work and the
"Assurance" navigation link: who is refused each route (404 for an assessment they cannot
open, 403 for one they may not act on), and what each page shows (rule respect-accreditation)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.roles import Role
from tandem.assurance.models import Action, AppealOutcome, Assessment, DecisionOutcome, State
from tandem.assurance.respect.services import lifecycle as respect_lifecycle
from tandem.assurance.respect.services import panel as respect_panel
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, record_of
from tandem.assurance.tests.builders import fresh
from tandem.organisations.models import Service, StaffMembership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def other_manager(cast: Cast) -> User:
    """A senior service manager of another service."""
    existing = User.objects.filter(username="other-sm").first()
    if existing is not None:
        return existing
    user = User.objects.create_user("other-sm", first_name="Synthetic", last_name="Manager")
    user.groups.add(Group.objects.get_or_create(name=Role.SERVICE_MANAGER.value)[0])
    StaffMembership.objects.create(
        user=user,
        service=Service.objects.exclude(pk=cast.staff.service.pk).get(),
        side="both",
        is_senior_manager=True,
        started_on=timezone.localdate() - timedelta(days=365),
    )
    return user


def not_accredited(cast: Cast) -> Assessment:
    assessment = builders.at_panel(cast, not_met="C1.1")
    return respect_panel.panel_decision_record(
        assessment=assessment,
        actor=cast.panel,
        expected_version=assessment.version,
        outcome=DecisionOutcome.NOT_ACCREDITED,
        reasons="Synthetic: C1.1 not met.",
    )


def test_it_lets_the_senior_manager_lodge_an_appeal(cast: Cast) -> None:
    assessment = not_accredited(cast)
    url = reverse("assurance:appeal_lodge", args=[assessment.pk])

    response = client_of(cast.manager).post(
        url, {"expected_version": assessment.version, "grounds": "Synthetic grounds."}
    )

    assert response.status_code == 302
    assert fresh(assessment).state == State.APPEAL
    page = client_of(cast.manager).get(reverse("assurance:appeals", args=[assessment.pk]))
    assert "Synthetic grounds." in page.content.decode()


def test_it_refuses_the_appeal_routes_to_other_roles(cast: Cast) -> None:
    assessment = not_accredited(cast)
    lodge = reverse("assurance:appeal_lodge", args=[assessment.pk])
    appeals = reverse("assurance:appeals", args=[assessment.pk])

    assert client_of(cast.assessor).get(lodge).status_code == 403
    assert client_of(cast.panel).get(lodge).status_code == 403
    assert client_of(cast.staff.perpetrator_worker).get(lodge).status_code == 403
    assert client_of(cast.staff.perpetrator_worker).get(appeals).status_code == 403
    assert client_of(other_manager(cast)).get(lodge).status_code == 404
    assert client_of(other_manager(cast)).get(appeals).status_code == 404


def test_it_shows_the_decider_the_refusal_when_hearing_their_own_decision(cast: Cast) -> None:
    assessment = not_accredited(cast)
    appeal = respect_lifecycle.appeal_lodge(
        assessment=assessment,
        actor=cast.manager,
        expected_version=assessment.version,
        grounds="Synthetic grounds.",
    )
    assessment = fresh(assessment)
    url = reverse("assurance:appeal_hear", args=[assessment.pk, appeal.pk])

    response = client_of(cast.panel).post(
        url,
        {
            "expected_version": assessment.version,
            "outcome": AppealOutcome.OVERTURNED,
            "reasons": "Synthetic.",
        },
    )

    assert response.status_code == 200
    assert "did not decide it" in response.content.decode()
    assert fresh(assessment).state == State.APPEAL
    assert client_of(cast.manager).get(url).status_code == 403
    assert client_of(cast.assessor).get(url).status_code == 403
    assert client_of(other_manager(cast)).get(url).status_code == 404


def test_it_offers_evidence_to_the_manager_and_refuses_others(cast: Cast) -> None:
    earlier = builders.accredited(cast)
    later = respect_lifecycle.respect_accreditation_start(
        service=cast.staff.service, actor=cast.manager, scope=["behaviour_change"]
    )
    record = record_of(later, "C1.1")
    source = record_of(earlier, "C1.1")
    offers = reverse("assurance:record_offers", args=[later.pk, record.pk])
    accept = reverse("assurance:offer_accept", args=[later.pk, record.pk, source.pk])
    decline = reverse("assurance:offer_decline", args=[later.pk, record.pk, source.pk])

    page = client_of(cast.manager).get(offers)
    assert page.status_code == 200
    assert "Last accreditation cycle" in page.content.decode()
    assert builders.NARRATIVE in page.content.decode()

    for url in (offers, accept, decline):
        post = url != offers
        for user, status in (
            (cast.staff.perpetrator_worker, 403),
            (other_manager(cast), 404),
        ):
            client = client_of(user)
            response = client.post(url, {"expected_version": 1}) if post else client.get(url)
            assert response.status_code == status, (url, user)

    response = client_of(cast.manager).post(accept, {"expected_version": record.version})
    assert response.status_code == 302
    assert record_of(later, "C1.1").carried_from == source


def test_it_shows_overdue_actions_on_the_owner_my_work_only(cast: Cast) -> None:
    assessment = builders.applied(cast)
    Action.objects.create(
        assessment=assessment,
        description="Synthetic overdue action: update the lone working policy",
        owner=cast.manager,
        due_on=timezone.localdate() - timedelta(days=1),
        created_at=timezone.now() - timedelta(days=30),
        created_by=cast.manager,
    )
    Action.objects.create(
        assessment=assessment,
        description="Synthetic action due today",
        owner=cast.manager,
        due_on=timezone.localdate(),
        created_at=timezone.now() - timedelta(days=30),
        created_by=cast.manager,
    )
    my_work = reverse("work:my_work")

    mine = client_of(cast.manager).get(my_work).content.decode()
    theirs = client_of(other_manager(cast)).get(my_work).content.decode()

    assert "Synthetic overdue action" in mine
    assert "Synthetic action due today" not in mine
    assert "Synthetic overdue action" not in theirs


def test_it_shows_the_assurance_link_only_with_the_permission(cast: Cast) -> None:
    link = f'href="{reverse("assurance:assessment_list")}"'
    my_work = reverse("work:my_work")

    assert link in client_of(cast.manager).get(my_work).content.decode()
    assert link not in client_of(cast.staff.perpetrator_worker).get(my_work).content.decode()
