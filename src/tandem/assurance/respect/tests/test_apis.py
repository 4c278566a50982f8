"""Respect accreditation through the API: the same refusals as the pages, as 400 naming the field
and rule, 409 for a stale version, 404 before a conflict declaration, 403 for the wrong part
(rule respect-accreditation)."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tandem.assurance.models import (
    Assessment,
    AssessmentParticipant,
    ConflictDeclaration,
    EvidenceDocument,
    Part,
    RequirementRecord,
    State,
)
from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast, record_of
from tandem.assurance.tests import builders as files
from tandem.assurance.tests.builders import fresh
from tandem.standards.models import AssessmentMethod

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def api(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def route(name: str, **kwargs: int) -> str:
    return reverse(f"v1:assurance-{name}", kwargs=kwargs)


def record_route(name: str, record: RequirementRecord) -> str:
    return route(name, assessment_id=record.assessment_id, record_id=record.pk)


def test_it_answers_the_register_without_sign_in_and_nothing_else(cast: Cast) -> None:
    assert api().get(route("register")).status_code == 200
    assert api().get(route("assessments")).status_code == 401


def test_it_applies_and_refuses_people_without_the_role(cast: Cast) -> None:
    body = {"service": cast.staff.service.pk, "scope": ["icm"]}
    assert api(cast.assessor).post(route("assessments"), body, format="json").status_code == 403
    assert api(cast.staff.perpetrator_worker).get(route("assessments")).status_code == 403
    refused = api(cast.manager).post(
        route("assessments"), {**body, "scope": ["early_response"]}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "scope": ["Test DAPP does not offer: Early-response (structured)"],
        "rule": "respect-accreditation",
    }
    created = api(cast.manager).post(route("assessments"), body, format="json")
    assert created.status_code == 201
    data = created.json()
    assert data["state"] == "draft"
    assert data["scope"] == ["icm"]
    assert len(data["records"]) == 8 + 27 + 10 + 3
    assert data["findings_visible"] is False
    listed = api(cast.manager).get(route("assessments")).json()
    assert [a["id"] for a in listed] == [data["id"]]


def test_it_refuses_251_words_with_the_count_and_a_stale_version(cast: Cast) -> None:
    assessment = builders.applied(cast)
    record = record_of(assessment, "S-B3.3")
    client = api(cast.manager)
    refused = client.post(
        record_route("narrative", record),
        {"version": record.version, "narrative": " ".join(["word"] * 251)},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "narrative": ["The narrative for B3.3 has 251 words; the limit is 250"],
        "rule": "respect-accreditation",
    }
    saved = client.post(
        record_route("narrative", record),
        {"version": record.version, "narrative": " ".join(["word"] * 250)},
        format="json",
    )
    assert saved.status_code == 200
    stale = client.post(
        record_route("narrative", record),
        {"version": record.version, "narrative": "Late"},
        format="json",
    )
    assert stale.status_code == 409
    assert list(stale.json()) == ["version"]


def test_it_uploads_once_and_refuses_by_content(cast: Cast) -> None:
    assessment = builders.applied(cast)
    client = api(cast.manager)
    documents = route("documents", assessment_id=assessment.pk)
    first = client.post(documents, {"file": files.upload("a.docx", files.DOCX)}, format="multipart")
    assert first.status_code == 201
    assert first.json()["kind"] == "docx"
    again = client.post(documents, {"file": files.upload("b.docx", files.DOCX)}, format="multipart")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    refused = client.post(documents, {"file": files.upload("c.png", files.PDF)}, format="multipart")
    assert refused.status_code == 400
    assert refused.json() == {
        "file": [
            "c.png cannot be accepted: its name says PNG image but its content is a PDF: "
            "rename it or upload the right file"
        ]
    }
    assert EvidenceDocument.objects.count() == 1
    assert api(cast.assessor).get(documents).status_code == 404
    record = record_of(assessment, "A1.1")
    cited = client.post(
        record_route("citations", record),
        {"version": record.version, "document": first.json()["id"], "location": "section 2"},
        format="json",
    )
    assert cited.status_code == 200
    cited_record = next(r for r in cited.json()["records"] if r["code"] == "A1.1")
    assert cited_record["citations"][0]["location"] == "section 2"


def test_it_hides_the_assessment_from_an_undeclared_assessor(cast: Cast) -> None:
    assessment = builders.applied(cast)
    participant = builders.join(
        assessment, cast.assessor, Part.ASSESSOR, by=cast.coordinator, declare=False
    )
    detail = route("assessment", assessment_id=assessment.pk)
    assert api(cast.assessor).get(detail).status_code == 404
    declared = api(cast.assessor).post(
        route("declaration", participant_id=participant.pk), {"no_conflict": True}, format="json"
    )
    assert declared.status_code == 204
    assert api(cast.assessor).get(detail).status_code == 200


def test_it_allocates_only_through_a_lead_assessor(cast: Cast) -> None:
    assessment = builders.applied(cast)
    participants = route("participants", assessment_id=assessment.pk)
    body = {"version": assessment.version, "user": cast.verifier.pk, "part": "internal_verifier"}
    assert api(cast.manager).post(participants, body, format="json").status_code == 403
    assert api(cast.coordinator).post(participants, body, format="json").status_code == 200
    refused = api(cast.coordinator).post(
        participants, {**body, "user": cast.assessor.pk}, format="json"
    )
    assert refused.status_code == 400
    assert "does not hold the role needed to be internal verifier" in refused.json()["user"][0]


def _post(user: User, name: str, assessment: Assessment, body: dict[str, Any]) -> Any:
    return api(user).post(
        route(name, assessment_id=assessment.pk),
        {"version": fresh(assessment).version, **body},
        format="json",
    )


def test_it_runs_the_assessor_verifier_and_panel_steps(cast: Cast) -> None:
    assessment = builders.submitted(cast)
    assert _post(cast.manager, "desktop-assessment", assessment, {}).status_code == 403
    assert _post(cast.assessor, "desktop-assessment", assessment, {}).status_code == 200
    record = record_of(assessment, "S-B6.1")
    refused = api(cast.assessor).post(
        record_route("methods", record),
        {
            "version": record.version,
            "method": AssessmentMethod.STAFF_INTERVIEWS,
            "result": "met",
            "evidence_notes": "Synthetic.",
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "method": [
            "Staff interviews is done at the site visit: the desktop assessment judges the "
            "written submission"
        ]
    }
    for record in fresh(assessment).records.select_related("assessment", "requirement"):
        if AssessmentMethod.WRITTEN_SUBMISSION in record.requirement.assessment_methods:
            builders.judge_method(cast.assessor, record, AssessmentMethod.WRITTEN_SUBMISSION)
    assert _post(cast.assessor, "site-visit", assessment, {}).status_code == 200
    assessment = builders.all_judged(cast, fresh(assessment))
    assert fresh(assessment).state == State.SITE_VISIT
    report = {"recommendation": "accredit", "summary": "Synthetic summary."}
    assert _post(cast.verifier, "report", assessment, report).status_code == 403
    assert _post(cast.assessor, "report", assessment, report).status_code == 200
    # The assessor given the verifier's part around the allocation checks is still refused.
    participant = AssessmentParticipant.objects.create(
        assessment=assessment,
        user=cast.assessor,
        part=Part.INTERNAL_VERIFIER,
        added_at=timezone.now(),
        added_by=cast.coordinator,
    )
    ConflictDeclaration.objects.create(
        participant=participant, no_conflict=True, declared_at=timezone.now()
    )
    verification = {"outcome": "approved", "notes": "Synthetic."}
    own = _post(cast.assessor, "verification", assessment, verification)
    assert own.status_code == 400
    assert "the assessor cannot verify their own report" in own.json()["actor"][0]
    assert _post(cast.verifier, "verification", assessment, verification).status_code == 200
    assert _post(cast.verifier, "refer", assessment, {}).status_code == 403
    assert _post(cast.coordinator, "refer", assessment, {}).status_code == 200
    due = f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}"
    decision = {
        "outcome": "deferred",
        "reasons": "Synthetic.",
        "conditions": [{"description": "Synthetic condition", "due_on": due}],
    }
    assert _post(cast.verifier, "decision", assessment, decision).status_code == 403
    deferred = _post(cast.panel, "decision", assessment, decision)
    assert deferred.status_code == 200
    assert deferred.json()["state"] == "deferred"
    condition = deferred.json()["conditions"][0]
    meet = route("condition-meet", assessment_id=assessment.pk, action_id=condition["id"])
    body = {"version": condition["version"], "evidence": "Synthetic: done."}
    assert api(cast.panel).post(meet, body, format="json").status_code == 403
    met = api(cast.manager).post(meet, body, format="json")
    assert met.status_code == 200
    assert met.json()["state"] == "panel"
    accredited = _post(
        cast.panel, "decision", assessment, {"outcome": "accredited", "reasons": "Met."}
    )
    assert accredited.status_code == 200
    data = api(cast.manager).get(route("assessment", assessment_id=assessment.pk)).json()
    assert data["findings_visible"] is True
    assert data["records"][0]["findings"]["judgement"] == "met"
    assert data["expires_on"] is not None


def test_it_keeps_findings_from_the_service_before_the_decision(cast: Cast) -> None:
    assessment = builders.at_panel(cast)
    data = api(cast.manager).get(route("assessment", assessment_id=assessment.pk)).json()
    assert data["findings_visible"] is False
    assert all(record["findings"] is None for record in data["records"])
    assert data["report"] is None
    panel_view = api(cast.panel).get(route("assessment", assessment_id=assessment.pk)).json()
    assert panel_view["report"]["recommendation"] == "accredit"
