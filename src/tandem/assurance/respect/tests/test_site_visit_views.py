"""The site-visit plan pages (rule respect-accreditation): who may open each (declared assessors
plan and review; the service manager sees the plan without the notes; everyone else refused), the
read-only case file (only at the visit, only in the sample, only with consent: else 404) and the
refusals shown on the forms."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.assurance.models import InterviewKind, SampledCaseFile, SampleReason, SiteVisitPlan
from tandem.assurance.respect.services import findings as respect_findings
from tandem.assurance.respect.services import site_visit as site_visit_services
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, live_case, other_manager, record_of
from tandem.assurance.tests.builders import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def url(name: str, *args: int) -> str:
    return reverse(f"assurance:site_visit_{name}", args=args)


def _sampled(cast: Cast) -> tuple[int, SampledCaseFile]:
    """An assessment at the site visit with one requested file and one recorded session."""
    case = live_case(cast.staff.service, cast.staff.perpetrator_worker)
    assessment = builders.at_site_visit(cast)
    sampled = site_visit_services.case_file_request(
        assessment=assessment, actor=cast.assessor, case=case, reason="Synthetic request"
    )
    session = site_visit_services.recorded_session_add(
        assessment=assessment,
        actor=cast.assessor,
        description="Synthetic group session",
        recorded_on=assessment.created_at.date(),
    )
    site_visit_services.session_observation_add(
        session=session,
        actor=cast.assessor,
        record=record_of(assessment, "A1.1"),
        at="12:05",
        observation="Synthetic private observation",
    )
    return assessment.pk, sampled


def test_it_shows_the_assessor_the_whole_plan_and_the_manager_no_notes(cast: Cast) -> None:
    assessment_id, sampled = _sampled(cast)
    html = signed_in(cast.assessor).get(url("plan", assessment_id)).content.decode()
    assert sampled.case.reference in html
    assert "Synthetic private observation" in html
    assert "12:05" in html
    assert url("case_file", assessment_id, sampled.pk) in html
    response = signed_in(cast.manager).get(url("plan", assessment_id))
    assert response.status_code == 200
    html = response.content.decode()
    assert sampled.case.reference in html
    assert "Synthetic group session" in html
    assert "Synthetic private observation" not in html
    assert url("case_file", assessment_id, sampled.pk) not in html


def _routes(assessment_id: int, sampled_id: int, session_id: int) -> list[tuple[str, str]]:
    return [
        ("get", url("plan", assessment_id)),
        ("post", url("draw", assessment_id)),
        ("get", url("request_file", assessment_id)),
        ("get", url("case_file", assessment_id, sampled_id)),
        ("get", url("interview_add", assessment_id)),
        ("post", url("interviews_complete", assessment_id)),
        ("get", url("session_add", assessment_id)),
        ("get", url("observation_add", assessment_id, session_id)),
    ]


def test_it_refuses_every_route_to_everyone_but_the_assessors(
    cast: Cast, client_as: Callable[[Role], Client], user_without_role: User
) -> None:
    assessment_id, sampled = _sampled(cast)
    session_id = sampled.plan.recorded_sessions.get().pk
    plan_path = url("plan", assessment_id)
    outsider, no_role = signed_in(other_manager()), signed_in(user_without_role)
    worker, ordinary = signed_in(cast.staff.perpetrator_worker), client_as(Role.ISS_WORKER)
    for method, path in _routes(assessment_id, sampled.pk, session_id):
        assert getattr(signed_in(cast.assessor), method)(path).status_code in (200, 302), path
        # Nobody outside the assessment learns it exists; no one without assurance work opens it.
        assert getattr(outsider, method)(path).status_code == 404, path
        for client in (no_role, worker, ordinary):
            assert getattr(client, method)(path).status_code == 403, path
        # The verifier, panel member and coordinator can open the assessment: refused the plan
        # (403); the case files are hidden from them (404), as from the service manager, who
        # sees the plan only.
        for user in (cast.verifier, cast.panel, cast.coordinator, cast.manager):
            expected = 404 if "case-files" in path else 403
            if user == cast.manager and path == plan_path:
                expected = 200
            assert getattr(signed_in(user), method)(path).status_code == expected, (user, path)


def test_it_shows_a_sampled_file_read_only_without_contact_details(cast: Cast) -> None:
    assessment_id, sampled = _sampled(cast)
    response = signed_in(cast.assessor).get(url("case_file", assessment_id, sampled.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert sampled.case.reference in html
    assert "07700900999" not in html
    assert "synthetic-referrer@example.org" not in html
    saved = signed_in(cast.assessor).post(
        url("case_file", assessment_id, sampled.pk),
        {"expected_version": 1, "consent_ticked": "on", "consent_notes": "Agreement seen"},
    )
    assert saved.status_code == 302
    page = signed_in(cast.assessor).get(url("case_file", assessment_id, sampled.pk))
    assert b"Agreement seen" in page.content


def test_it_hides_a_file_whose_consent_no_longer_covers_review(cast: Cast) -> None:
    assessment_id, sampled = _sampled(cast)
    type(sampled.case).objects.filter(pk=sampled.case_id).update(
        consent_covers_case_file_review=False
    )
    response = signed_in(cast.assessor).get(url("case_file", assessment_id, sampled.pk))
    assert response.status_code == 404


def test_it_never_offers_a_consentless_case_for_request(cast: Cast) -> None:
    without = live_case(cast.staff.service, cast.staff.perpetrator_worker, consent=False)
    covered = live_case(cast.staff.service, cast.staff.perpetrator_worker)
    assessment = builders.at_site_visit(cast)
    response = signed_in(cast.assessor).get(url("request_file", assessment.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert without.reference not in html
    # The same page offers the live case whose consent covers review: it lists cases, just not
    # that one (an empty or failing page would not pass).
    assert covered.reference in html


def test_it_hides_a_file_not_in_this_sample(cast: Cast) -> None:
    assessment_id, sampled = _sampled(cast)
    # Another assessment's plan sampling a case: its file is never reached through this one.
    other = builders.fresh(sampled.plan.assessment)
    other.pk = None
    other.save()
    other_plan = SiteVisitPlan.objects.create(assessment=other)
    elsewhere = SampledCaseFile.objects.create(
        plan=other_plan,
        case=live_case(cast.staff.service, cast.staff.perpetrator_worker),
        reason=SampleReason.DRAWN,
        position=1,
        added_at=sampled.added_at,
        added_by=cast.assessor,
    )
    client = signed_in(cast.assessor)
    assert client.get(url("case_file", assessment_id, elsewhere.pk)).status_code == 404
    assert client.get(url("case_file", assessment_id, 999999)).status_code == 404


def test_it_hides_the_case_files_once_the_visit_ends(cast: Cast) -> None:
    assessment_id, sampled = _sampled(cast)
    assessment = builders.all_judged(cast, builders.fresh(sampled.plan.assessment))
    respect_findings.assessor_report_submit(
        assessment=assessment,
        actor=cast.assessor,
        expected_version=assessment.version,
        recommendation="accredit",  # type: ignore[arg-type]
        summary="Synthetic summary.",
    )
    response = signed_in(cast.assessor).get(url("case_file", assessment_id, sampled.pk))
    assert response.status_code == 404
    html = signed_in(cast.assessor).get(url("plan", assessment_id)).content.decode()
    assert url("case_file", assessment_id, sampled.pk) not in html


def test_it_shows_the_interview_refusal_naming_what_is_missing(cast: Cast) -> None:
    assessment = builders.at_site_visit(cast)
    client = signed_in(cast.assessor)
    added = client.post(
        url("interview_add", assessment.pk),
        {
            "kind": InterviewKind.SERVICE_MANAGER,
            "name": "Synthetic Manager",
            "role": "Service manager",
            "planned_on": "2026-03-02",
        },
    )
    assert added.status_code == 302
    response = client.post(url("interviews_complete", assessment.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "no perpetrator worker, iss worker or idva and trustee planned" in html
    assert "respect-accreditation" in html


def test_it_shows_a_bad_recording_time_on_the_field(cast: Cast) -> None:
    assessment_id, sampled = _sampled(cast)
    session_id = sampled.plan.recorded_sessions.get().pk
    response = signed_in(cast.assessor).post(
        url("observation_add", assessment_id, session_id),
        {
            "record": record_of(sampled.plan.assessment, "A1.1").pk,
            "at": "12:75",
            "observation": "Synthetic",
        },
    )
    assert response.status_code == 200
    assert "00 to 59" in response.content.decode()


def test_it_draws_the_sample_from_the_plan_page(cast: Cast) -> None:
    for _ in range(6):
        live_case(cast.staff.service, cast.staff.perpetrator_worker)
    assessment = builders.at_site_visit(cast)
    response = signed_in(cast.assessor).post(url("draw", assessment.pk))
    assert response.status_code == 302
    assert SampledCaseFile.objects.filter(plan__assessment=assessment).count() == 5
    refused = signed_in(cast.assessor).post(url("draw", assessment.pk))
    assert refused.status_code == 200
    assert "already been drawn" in refused.content.decode()
