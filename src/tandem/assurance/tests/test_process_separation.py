"""The Respect pages and API open Respect accreditations only: an audit, a Welsh checklist, a
West Midlands self-evaluation or a self-assessment is a 404 there for everyone (so its existence
is not leaked), and is opened only through the checklist pages, whose selectors decide who sees
it (rules respect-accreditation, welsh-checklist, west-midlands-self-evaluation)."""

from collections.abc import Iterable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tandem.assurance import services
from tandem.assurance.checklists.services import self_assessment as self_assessment_services
from tandem.assurance.checklists.services import welsh as welsh_services
from tandem.assurance.checklists.services import west_midlands as west_midlands_services
from tandem.assurance.checklists.tests import builders as build
from tandem.assurance.checklists.views.pages import checklist_detail_url
from tandem.assurance.models import (
    Assessment,
    AssessmentParticipant,
    EvidenceDocument,
    Part,
)
from tandem.assurance.respect.services import application as respect_application
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast
from tandem.assurance.tests import builders as files
from tandem.conftest import ServiceStaff
from tandem.standards.models import Framework

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_status(user: User, assessment: Assessment) -> int:
    url = reverse("assurance:assessment_detail", args=[assessment.pk])
    return browser(user).get(url).status_code


def api_statuses(user: User, assessment: Assessment) -> set[int]:
    """The assessment and its documents through the Respect API."""
    client = api(user)
    return {
        client.get(reverse(f"v1:assurance-{name}", args=[assessment.pk])).status_code
        for name in ("assessment", "documents")
    }


def listed(user: User) -> tuple[set[int], set[int]]:
    """The assessments on the Respect list page, and in the API's list."""
    response = browser(user).get(reverse("assurance:assessment_list"))
    assert response.status_code == 200
    on_page = {assessment.pk for assessment in response.context["assessments"]}
    in_api = {row["id"] for row in api(user).get(reverse("v1:assurance-assessments")).json()}
    return on_page, in_api


def assert_hidden(user: User, assessments: Iterable[Assessment]) -> None:
    for assessment in assessments:
        assert page_status(user, assessment) == 404, assessment.process
        assert api_statuses(user, assessment) == {404}, assessment.process


def self_assessment(staff: ServiceStaff) -> Assessment:
    return self_assessment_services.self_assessment_start(
        service=staff.service,
        framework=Framework.objects.get(slug="home-office-2022", is_current=True),
        actor=staff.service_manager,
    )


def test_it_shows_a_lead_assessor_only_respect_accreditations(
    cast: Cast, staffed_service: ServiceStaff
) -> None:
    respect = builders.applied(cast)
    commissioner = build.commissioner_of(staffed_service.service)
    others = [
        build.audit_opened(build.audit_cast(staffed_service)),
        build.welsh_started(staffed_service.service, commissioner),
        build.wm_rated(staffed_service.service, cast.manager),
        self_assessment(staffed_service),
    ]

    assert_hidden(cast.coordinator, others)
    assert listed(cast.coordinator) == ({respect.pk}, {respect.pk})
    assert page_status(cast.coordinator, respect) == 200
    # The overview, not the evidence: the documents are refused (403), not hidden.
    assert api_statuses(cast.coordinator, respect) == {200, 403}
    # The audit is theirs to run, on its own page.
    audit_page = browser(cast.coordinator).get(checklist_detail_url(others[0]))
    assert audit_page.status_code == 200


def test_it_keeps_a_draft_welsh_checklist_from_the_providers_manager(
    staffed_service: ServiceStaff,
) -> None:
    manager = staffed_service.service_manager
    commissioner = build.commissioner_of(staffed_service.service)
    welsh = build.welsh_started(staffed_service.service, commissioner)

    assert_hidden(manager, [welsh])
    assert browser(manager).get(checklist_detail_url(welsh)).status_code == 404
    assert listed(manager) == (set(), set())
    assert browser(commissioner).get(checklist_detail_url(welsh)).status_code == 200

    # Complete, it reaches the provider: on the checklist page, never the Respect one.
    welsh = build.rate_welsh(welsh, commissioner)
    welsh_services.welsh_checklist_complete(
        assessment=welsh, actor=commissioner, expected_version=welsh.version
    )
    assert browser(manager).get(checklist_detail_url(welsh)).status_code == 200
    assert_hidden(manager, [welsh])
    assert_hidden(commissioner, [welsh])


def test_it_keeps_a_west_midlands_draft_and_the_agencys_documents_from_its_peer_reviewer(
    cast: Cast, staffed_service: ServiceStaff
) -> None:
    manager = staffed_service.service_manager
    document, _ = respect_application.evidence_document_upload(
        service=staffed_service.service,
        actor=manager,
        title="Synthetic safeguarding policy",
        upload=files.upload("policy.pdf", files.PDF),
    )
    wm = build.wm_rated(staffed_service.service, manager)
    reviewer = build.peer_reviewer()
    participant = west_midlands_services.peer_reviewer_add(
        assessment=wm, user=reviewer, actor=manager
    )
    services.conflict_declare(participant=participant, actor=reviewer, no_conflict=True)
    download = reverse("assurance:document_download", args=[document.pk])

    assert_hidden(reviewer, [wm])
    assert browser(reviewer).get(checklist_detail_url(wm)).status_code == 404
    assert browser(reviewer).get(download).status_code == 404
    assert listed(reviewer) == (set(), set())

    # Submitted, the reviewer opens it on its own page; still nothing through Respect's.
    wm = build.fresh(wm)
    west_midlands_services.west_midlands_submit(
        assessment=wm, actor=manager, expected_version=wm.version
    )
    assert browser(reviewer).get(checklist_detail_url(wm)).status_code == 200
    assert_hidden(reviewer, [wm])
    assert browser(reviewer).get(download).status_code == 404

    # Those who may see the service's evidence still download it.
    respect = builders.applied(cast)
    builders.join(respect, cast.assessor, Part.ASSESSOR, by=cast.coordinator)
    for user in (manager, cast.assessor):
        assert browser(user).get(download).status_code == 200
    assert EvidenceDocument.objects.filter(pk=document.pk).exists()


def awaiting(assessment: Assessment, user: User, part: Part, *, by: User) -> AssessmentParticipant:
    return services.participant_add(assessment=assessment, user=user, part=part, actor=by)


def test_it_lists_each_processs_declarations_on_its_own_pages(
    cast: Cast, staffed_service: ServiceStaff
) -> None:
    respect = builders.applied(cast)
    audit_cast = build.audit_cast(staffed_service)
    audit = build.audit_opened(audit_cast, staffed=False)
    respect_part = awaiting(respect, cast.assessor, Part.ASSESSOR, by=cast.coordinator)
    audit_part = awaiting(audit, cast.assessor, Part.SECOND_ASSESSOR, by=audit_cast.coordinator)

    respect_list = browser(cast.assessor).get(reverse("assurance:assessment_list"))
    assert list(respect_list.context["awaited"]) == [respect_part]
    assert reverse("assurance:checklists:index").encode() in respect_list.content
    checklists = browser(cast.assessor).get(reverse("assurance:checklists:index"))
    assert list(checklists.context["awaited"]) == [audit_part]


def declare(user: User, participant: AssessmentParticipant) -> str:
    response = browser(user).post(
        reverse("assurance:declare", args=[participant.pk]), {"no_conflict": "yes"}
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_it_sends_someone_declaring_for_another_process_to_that_processs_page(
    cast: Cast, staffed_service: ServiceStaff
) -> None:
    respect = builders.applied(cast)
    audit_cast = build.audit_cast(staffed_service)
    audit = build.audit_opened(audit_cast, staffed=False)
    wm = build.wm_rated(staffed_service.service, cast.manager)
    reviewer = build.peer_reviewer()

    assert declare(
        cast.assessor, awaiting(respect, cast.assessor, Part.ASSESSOR, by=cast.coordinator)
    ) == reverse("assurance:assessment_detail", args=[respect.pk])
    assert declare(
        audit_cast.lead,
        awaiting(audit, audit_cast.lead, Part.LEAD_ASSESSOR, by=audit_cast.coordinator),
    ) == checklist_detail_url(audit)
    # A peer reviewer sees the self-evaluation only once it is submitted: the index meanwhile.
    reviewing = west_midlands_services.peer_reviewer_add(
        assessment=wm, user=reviewer, actor=cast.manager
    )
    assert declare(reviewer, reviewing) == reverse("assurance:checklists:index")


def test_it_declares_for_a_checklist_part_through_the_api(staffed_service: ServiceStaff) -> None:
    audit_cast = build.audit_cast(staffed_service)
    audit = build.audit_opened(audit_cast, staffed=False)
    participant = awaiting(audit, audit_cast.lead, Part.LEAD_ASSESSOR, by=audit_cast.coordinator)
    route = reverse("v1:assurance-declaration", args=[participant.pk])

    response = api(audit_cast.second).post(route, {"no_conflict": True}, format="json")
    assert response.status_code == 404
    response = api(audit_cast.lead).post(route, {"no_conflict": True}, format="json")
    assert response.status_code == 204
    assert browser(audit_cast.lead).get(checklist_detail_url(audit)).status_code == 200
    assert page_status(audit_cast.lead, audit) == 404
