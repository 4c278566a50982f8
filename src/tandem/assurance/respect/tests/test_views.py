"""The Respect accreditation pages: who may open each (404 before a conflict declaration, 403 for
the wrong part), what each shows and hides, the refusals on the forms, and the public register
(rule respect-accreditation)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.roles import Role
from tandem.assurance.models import (
    Assessment,
    EvidenceDocument,
    Part,
    RequirementRecord,
    State,
)
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, other_manager, record_of
from tandem.assurance.tests import builders as files
from tandem.assurance.tests.builders import fresh, signed_in
from tandem.standards.models import AssessmentMethod

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def url(name: str, *args: int) -> str:
    return reverse(f"assurance:{name}", args=args)


def error_summary(html: str) -> str:
    start = html.index('<div class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


def test_it_shows_the_register_without_sign_in(cast: Cast) -> None:
    assessment = builders.accredited(cast)
    response = Client().get(url("register"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test DAPP" in html
    assert "Behaviour-change (structured)" in html
    assert f"{assessment.expires_on:%-d %b %Y}" in html
    api = Client().get(reverse("v1:assurance-register"))
    assert api.status_code == 200
    assert api.json() == [
        {
            "organisation": "Synthetic Test Services (not real)",
            "service": "Test DAPP",
            "scope": ["Behaviour-change (structured)"],
            "accredited_on": f"{timezone.localdate():%Y-%m-%d}",
            "expires_on": f"{assessment.expires_on:%Y-%m-%d}",
        }
    ]


def test_it_leaves_a_service_off_the_register_until_accredited(cast: Cast) -> None:
    builders.at_panel(cast)
    assert "Test DAPP" not in Client().get(url("register")).content.decode()
    assert Client().get(reverse("v1:assurance-register")).json() == []


def test_it_sends_an_anonymous_visitor_to_sign_in_for_everything_else(cast: Cast) -> None:
    assessment = builders.applied(cast)
    for path in (url("assessment_list"), url("assessment_detail", assessment.pk)):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# Applying and the service's evidence


def test_it_lets_a_service_manager_apply(cast: Cast) -> None:
    client = signed_in(cast.manager)
    assert 'href="/assurance/apply/"' in client.get(url("assessment_list")).content.decode()
    refused = client.post(url("apply"), {"service": cast.staff.service.pk})
    assert "Choose at least one intervention" in error_summary(refused.content.decode())
    refused = client.post(
        url("apply"), {"service": cast.staff.service.pk, "scope": "early_response"}
    )
    assert "Test DAPP does not offer: Early-response (structured) (rule respect-accreditation)" in (
        error_summary(refused.content.decode())
    )
    response = client.post(
        url("apply"), {"service": cast.staff.service.pk, "scope": ["behaviour_change", "icm"]}
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == url("assessment_detail", assessment.pk)
    assert assessment.records.count() == 79
    page = client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "Indicators (79 apply)" in page
    assert "Submit the evidence" in page


@pytest.mark.parametrize(
    "role", [Role.ASSESSOR, Role.INTERNAL_VERIFIER, Role.PANEL_MEMBER, Role.LEAD_ASSESSOR]
)
def test_it_refuses_the_application_page_to_anyone_but_a_service_manager(
    cast: Cast, client_as: object, role: Role
) -> None:
    assert client_as(role).get(url("apply")).status_code == 403  # type: ignore[operator]


def test_it_refuses_a_251_word_narrative_on_the_form_and_saves_250(cast: Cast) -> None:
    assessment = builders.applied(cast)
    record = record_of(assessment, "S-B3.3")
    client = signed_in(cast.manager)
    page = url("record_narrative", assessment.pk, record.pk)
    refused = client.post(
        page, {"expected_version": record.version, "narrative": " ".join(["word"] * 251)}
    )
    assert refused.status_code == 200
    assert (
        "The narrative for B3.3 has 251 words; the limit is 250 (rule respect-accreditation)"
        in error_summary(refused.content.decode())
    )
    saved = client.post(
        page, {"expected_version": record.version, "narrative": " ".join(["word"] * 250)}
    )
    assert saved["Location"] == url("record_detail", assessment.pk, record.pk)
    detail = client.get(saved["Location"]).content.decode()
    assert "250 of 250 words" in detail
    stale = client.post(page, {"expected_version": record.version, "narrative": "Stale"})
    assert "changed by someone else" in error_summary(stale.content.decode())


def test_it_uploads_once_cites_and_serves_a_document(cast: Cast) -> None:
    assessment = builders.applied(cast)
    client = signed_in(cast.manager)
    page = url("document_upload", assessment.pk)
    response = client.post(
        page, {"title": "Synthetic policies", "file": files.upload("p.pdf", files.PDF)}
    )
    assert response.status_code == 302
    again = client.post(
        page, {"title": "", "file": files.upload("copy.pdf", files.PDF)}, follow=True
    )
    assert "That file is already stored, as Synthetic policies" in again.content.decode()
    refused = client.post(page, {"title": "", "file": files.upload("run.pdf", files.EXE)})
    assert "run.pdf cannot be accepted: it is not a PDF" in error_summary(refused.content.decode())
    document = EvidenceDocument.objects.get()
    record = record_of(assessment, "A1.1")
    cited = client.post(
        url("record_cite", assessment.pk, record.pk),
        {"expected_version": record.version, "document": document.pk, "location": "page 4"},
    )
    assert cited.status_code == 302
    assert "page 4" in client.get(url("record_detail", assessment.pk, record.pk)).content.decode()
    download = client.get(url("document_download", document.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == files.PDF  # type: ignore[attr-defined]
    assert signed_in(cast.assessor).get(url("document_download", document.pk)).status_code == 404
    builders.join(assessment, cast.assessor, Part.ASSESSOR, by=cast.coordinator)
    assert signed_in(cast.assessor).get(url("document_download", document.pk)).status_code == 200
    assert signed_in(other_manager()).get(url("document_download", document.pk)).status_code == 404


def test_it_shows_a_refused_submission_on_the_assessment_page(cast: Cast) -> None:
    assessment = builders.applied(cast)
    client = signed_in(cast.manager)
    response = client.post(url("submit", assessment.pk), {"expected_version": assessment.version})
    assert response.status_code == 200
    assert "Write the narrative for A1.1, A2.1" in error_summary(response.content.decode())
    RequirementRecord.objects.filter(assessment=assessment).update(narrative=builders.NARRATIVE)
    response = client.post(url("submit", assessment.pk), {"expected_version": assessment.version})
    assert response.status_code == 302
    assert fresh(assessment).state == State.SUBMITTED


# Conflicts of interest


def test_it_opens_the_assessment_to_an_assessor_only_after_their_declaration(cast: Cast) -> None:
    assessment = builders.applied(cast)
    participant = builders.join(
        assessment, cast.assessor, Part.ASSESSOR, by=cast.coordinator, declare=False
    )
    client = signed_in(cast.assessor)
    assert client.get(url("assessment_detail", assessment.pk)).status_code == 404
    listing = client.get(url("assessment_list")).content.decode()
    assert "Declare as assessor" in listing
    assert url("assessment_detail", assessment.pk) not in listing
    assert signed_in(cast.verifier).get(url("declare", participant.pk)).status_code == 404
    refused = client.post(url("declare", participant.pk), {"no_conflict": "no"})
    assert "Say what the conflict of interest is" in error_summary(refused.content.decode())
    response = client.post(url("declare", participant.pk), {"no_conflict": "yes"})
    assert response["Location"] == url("assessment_detail", assessment.pk)
    assert client.get(url("assessment_detail", assessment.pk)).status_code == 200
    assert client.get(url("declare", participant.pk)).status_code == 404, "declared once"


def test_it_lets_a_lead_assessor_allocate_and_refuses_the_assessor_as_verifier(cast: Cast) -> None:
    assessment = builders.applied(cast)
    client = signed_in(cast.coordinator)
    overview = client.get(url("assessment_detail", assessment.pk)).content.decode()
    assert "Allocate people" in overview
    assert "Indicators (" not in overview, "the lead assessor sees no evidence without a part"
    page = url("participants", assessment.pk)
    assert client.post(page, {"user": cast.assessor.pk, "part": Part.ASSESSOR}).status_code == 302
    both = builders.person(cast.assessor.username, Role.INTERNAL_VERIFIER)
    refused = client.post(page, {"user": both.pk, "part": Part.INTERNAL_VERIFIER})
    assert "the assessor cannot verify their own report" in error_summary(refused.content.decode())


# Findings, hidden from the service until released


def test_it_hides_assessor_notes_from_the_service_until_the_decision(cast: Cast) -> None:
    assessment = builders.at_panel(cast)
    record = record_of(assessment, "A1.1")
    manager = signed_in(cast.manager)
    detail = manager.get(url("record_detail", assessment.pk, record.pk)).content.decode()
    assert "Synthetic: seen and verified." not in detail
    assert "Synthetic basis" not in detail
    assert manager.get(url("report", assessment.pk)).status_code == 403
    panel = signed_in(cast.panel)
    assert (
        "Synthetic: seen and verified." in panel.get(url("report", assessment.pk)).content.decode()
    )
    decided = panel.post(
        url("decide", assessment.pk),
        {"expected_version": assessment.version, "outcome": "accredited", "reasons": "All met."},
    )
    assert decided.status_code == 302
    report = manager.get(url("report", assessment.pk))
    assert report.status_code == 200
    assert "Synthetic: seen and verified." in report.content.decode()
    page = manager.get(url("assessment_detail", assessment.pk)).content.decode()
    last_day = fresh(assessment).expires_on - timedelta(days=1)  # type: ignore[operator]
    assert f"to {last_day:%-d %B %Y}" in page


def test_it_refuses_to_judge_an_indicator_met_on_the_form(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast)
    record = record_of(assessment, "S-B5.6")
    client = signed_in(cast.assessor)
    refused = client.post(
        url("record_judge", assessment.pk, record.pk),
        {"expected_version": record.version, "judgement": "met", "basis": "Synthetic."},
    )
    assert "B5.6 cannot be judged met: not yet judged by case files review" in error_summary(
        refused.content.decode()
    )
    judged = client.post(
        url("record_method", assessment.pk, record.pk),
        {
            "expected_version": record.version,
            "method": AssessmentMethod.CASE_FILE_REVIEW,
            "result": "met",
            "evidence_notes": "Synthetic: six files reviewed.",
        },
    )
    assert judged.status_code == 302
    assert "six files reviewed" in client.get(judged["Location"]).content.decode()


def test_it_defers_with_conditions_and_returns_to_the_panel_when_met(cast: Cast) -> None:
    assessment = builders.at_panel(cast)
    due = timezone.localdate() + timedelta(days=30)
    panel = signed_in(cast.panel)
    refused = panel.post(
        url("decide", assessment.pk),
        {
            "expected_version": assessment.version,
            "outcome": "deferred",
            "reasons": "Synthetic.",
            "condition_1": "Update the synthetic policy",
        },
    )
    assert "Enter the date condition 1 is due by" in error_summary(refused.content.decode())
    response = panel.post(
        url("decide", assessment.pk),
        {
            "expected_version": assessment.version,
            "outcome": "deferred",
            "reasons": "Synthetic.",
            "condition_1": "Update the synthetic policy",
            "condition_1_due_on": f"{due:%Y-%m-%d}",
        },
    )
    assert response.status_code == 302
    assessment = fresh(assessment)
    assert assessment.state == State.DEFERRED
    condition = assessment.actions.get()
    manager = signed_in(cast.manager)
    page = url("condition_meet", assessment.pk, condition.pk)
    assert signed_in(cast.panel).get(page).status_code == 403
    met = manager.post(page, {"expected_version": condition.version, "evidence": "Done."})
    assert met.status_code == 302
    assert fresh(assessment).state == State.PANEL


# Every route refuses the wrong people


PEOPLE = ("manager", "assessor", "verifier", "panel", "coordinator", "worker", "elsewhere")


def _people(cast: Cast) -> dict[str, User]:
    return {
        "manager": cast.manager,
        "assessor": cast.assessor,
        "verifier": cast.verifier,
        "panel": cast.panel,
        "coordinator": cast.coordinator,
        "worker": cast.staff.perpetrator_worker,
        "elsewhere": other_manager(),
    }


# (route, method, {person: status}) for an assessment at the panel. People not named may use it
# (2xx/3xx, or 200 with the service's refusal for the state). "worker" has no assurance role.
ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("assessment_detail", "get", {"worker": 403, "elsewhere": 404}),
    (
        "participants",
        "get",
        {
            "manager": 403,
            "assessor": 403,
            "verifier": 403,
            "panel": 403,
            "worker": 403,
            "elsewhere": 403,
        },
    ),
    (
        "document_upload",
        "get",
        {
            "assessor": 403,
            "verifier": 403,
            "panel": 403,
            "coordinator": 403,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "submit",
        "post",
        {
            "assessor": 403,
            "verifier": 403,
            "panel": 403,
            "coordinator": 403,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "start_desktop",
        "post",
        {
            "manager": 403,
            "verifier": 403,
            "panel": 403,
            "coordinator": 403,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "start_site_visit",
        "post",
        {
            "manager": 403,
            "verifier": 403,
            "panel": 403,
            "coordinator": 403,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "report_submit",
        "get",
        {
            "manager": 403,
            "verifier": 403,
            "panel": 403,
            "coordinator": 403,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "report",
        "get",
        {"manager": 403, "coordinator": 403, "worker": 403, "elsewhere": 404},
    ),
    (
        "verify",
        "get",
        {
            "manager": 403,
            "assessor": 403,
            "panel": 403,
            "coordinator": 403,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "refer",
        "post",
        {
            "manager": 403,
            "assessor": 403,
            "verifier": 403,
            "panel": 403,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "decide",
        "get",
        {
            "manager": 403,
            "assessor": 403,
            "verifier": 403,
            "coordinator": 403,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
]
RECORD_ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("record_detail", "get", {"coordinator": 404, "worker": 403, "elsewhere": 404}),
    (
        "record_narrative",
        "get",
        {
            "assessor": 403,
            "verifier": 403,
            "panel": 403,
            "coordinator": 404,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "record_cite",
        "get",
        {
            "assessor": 403,
            "verifier": 403,
            "panel": 403,
            "coordinator": 404,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "record_method",
        "get",
        {
            "manager": 403,
            "verifier": 403,
            "panel": 403,
            "coordinator": 404,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
    (
        "record_judge",
        "get",
        {
            "manager": 403,
            "verifier": 403,
            "panel": 403,
            "coordinator": 404,
            "worker": 403,
            "elsewhere": 404,
        },
    ),
]


def test_it_refuses_each_route_to_the_wrong_people(cast: Cast) -> None:
    assessment = builders.at_panel(cast)
    record = record_of(assessment, "A1.1")
    people = _people(cast)
    checks = [(name, method, refusals, (assessment.pk,)) for name, method, refusals in ROUTES] + [
        (name, method, refusals, (assessment.pk, record.pk))
        for name, method, refusals in RECORD_ROUTES
    ]
    for name, method, refusals, args in checks:
        for person in PEOPLE:
            client = signed_in(people[person])
            response = getattr(client, method)(url(name, *args), {"expected_version": 0})
            expected = refusals.get(person)
            if expected:
                assert response.status_code == expected, (name, person, response.status_code)
            else:
                assert response.status_code in (200, 302), (name, person, response.status_code)


def test_it_refuses_the_assurance_list_to_people_without_an_assurance_role(cast: Cast) -> None:
    assert signed_in(cast.staff.perpetrator_worker).get(url("assessment_list")).status_code == 403
    assert signed_in(cast.staff.iss_worker).get(url("assessment_list")).status_code == 403
    assert signed_in(cast.manager).get(url("assessment_list")).status_code == 200
