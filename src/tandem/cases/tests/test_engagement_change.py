"""Engagement changes that are not a change of stage (rule engagement-change: R22 C1.8, NE 5.4.3):
a missed session, lost contact, a suspension considered, his being assessed as unsuitable. The
ISS is told within 24 hours and each survivor within 3 working days."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import EngagementChange, EngagementChangeKind, PerpetratorCase, Stage
from tandem.cases.services.engagement import engagement_change_record
from tandem.cases.services.lifecycle import perpetrator_case_close
from tandem.cases.services.suspension import suspension_sign_off
from tandem.cases.tests.builders import (
    FRIDAY,
    LONDON,
    TWO_SURVIVORS,
    assessed,
    consulted_and_informed,
    in_intervention,
    iss_case_of,
    proposed,
    received,
    signed_in,
)
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused, StaleRecord

pytestmark = pytest.mark.django_db

DETAIL = "Synthetic: did not come to the Tuesday group and has not called"


def record(
    staff: ServiceStaff, case: PerpetratorCase, change: str = "missed_session", **kw: Any
) -> EngagementChange:
    values: dict[str, Any] = {"detail": DETAIL, "now": FRIDAY}
    values.update(kw)
    return engagement_change_record(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        change=change,
        **values,
    )


def suspended(staff: ServiceStaff) -> PerpetratorCase:
    proposal = proposed(staff)
    consulted_and_informed(staff, proposal)
    return suspension_sign_off(proposal=proposal, actor=staff.service_manager, now=FRIDAY)


def closed(staff: ServiceStaff) -> PerpetratorCase:
    case = in_intervention(staff)
    return perpetrator_case_close(
        case=case,
        actor=staff.perpetrator_worker,
        expected_version=case.version,
        reason="moved",
        now=FRIDAY,
    )


# The service


def test_it_makes_telling_the_iss_due_in_24_hours_and_each_survivor_in_3_working_days(
    staffed_service: ServiceStaff,
) -> None:
    """Rule engagement-change: a missed session recorded on Friday 10:14 is told to the ISS by
    Saturday 10:14 (24 hours) and to each survivor by Wednesday 10:14 (3 working days)."""
    case = in_intervention(staffed_service, survivors=TWO_SURVIVORS)

    change = record(staffed_service, case)

    tasks = DueTask.objects.filter(rule_id="engagement-change", perpetrator_case=case)
    iss_told = tasks.get(side="perpetrator")
    assert iss_told.due_at == datetime(2026, 11, 21, 10, 14, tzinfo=LONDON)
    assert iss_told.title == f"Tell the ISS: missed a session for {case.reference}"
    assert iss_told.iss_case is None, "the perpetrator side's task names no survivor"
    survivors_told = tasks.filter(side="iss")
    assert {t.due_at for t in survivors_told} == {datetime(2026, 11, 25, 10, 14, tzinfo=LONDON)}
    assert {t.iss_case for t in survivors_told} == {iss_case_of(case, 1), iss_case_of(case, 2)}
    assert (change.change, change.detail, change.recorded_at) == ("missed_session", DETAIL, FRIDAY)
    assert change.recorded_by == staffed_service.perpetrator_worker
    assert PerpetratorCase.objects.get(pk=case.pk).version == case.version + 1
    assert AuditEvent.objects.filter(action="created", object_id=str(change.pk)).exists()


@pytest.mark.parametrize("change", list(EngagementChangeKind))
def test_it_records_each_change_while_he_is_in_the_intervention(
    staffed_service: ServiceStaff, change: EngagementChangeKind
) -> None:
    """Rule engagement-change: every change the standards name that is not a change of stage."""
    case = in_intervention(staffed_service)

    record(staffed_service, case, change.value)

    assert EngagementChange.objects.get().change == change
    assert DueTask.objects.filter(rule_id="engagement-change").count() == 2


def test_it_records_lost_contact_with_a_suspended_man_but_not_a_suspension_considered(
    staffed_service: ServiceStaff,
) -> None:
    """Rule engagement-change: a suspended man's engagement can still change; his suspension
    is no longer being considered."""
    case = suspended(staffed_service)
    assert case.stage == Stage.SUSPENDED
    before = DueTask.objects.filter(rule_id="engagement-change").count()

    with pytest.raises(ActionRefused) as refused:
        record(staffed_service, case, "suspension_considered")
    record(staffed_service, PerpetratorCase.objects.get(pk=case.pk), "lost_contact")

    assert (refused.value.rule_id, refused.value.field) == ("engagement-change", "change")
    assert list(EngagementChange.objects.values_list("change", flat=True)) == ["lost_contact"]
    assert DueTask.objects.filter(rule_id="engagement-change").count() == before + 2


@pytest.mark.parametrize("stage", ["referred", "assessed", "closed"])
def test_it_refuses_a_change_unless_he_is_in_the_intervention_or_suspended(
    staffed_service: ServiceStaff, stage: str
) -> None:
    builders: dict[str, Callable[[ServiceStaff], PerpetratorCase]] = {
        "referred": received,
        "assessed": assessed,
        "closed": closed,
    }
    case = builders[stage](staffed_service)
    tasks_before = DueTask.objects.filter(rule_id="engagement-change").count()

    with pytest.raises(ActionRefused) as refused:
        record(staffed_service, case)

    assert (refused.value.rule_id, refused.value.field) == ("engagement-change", "stage")
    assert "not in intervention or suspended" in refused.value.message
    assert not EngagementChange.objects.exists()
    assert DueTask.objects.filter(rule_id="engagement-change").count() == tasks_before


@pytest.mark.parametrize(
    ("change", "detail", "field"),
    [("", DETAIL, "change"), ("went_quiet", DETAIL, "change"), ("lost_contact", "  ", "detail")],
)
def test_it_refuses_an_unknown_change_or_no_detail_and_saves_nothing(
    staffed_service: ServiceStaff, change: str, detail: str, field: str
) -> None:
    case = in_intervention(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        record(staffed_service, case, change, detail=detail)

    assert (refused.value.rule_id, refused.value.field) == ("engagement-change", field)
    assert not EngagementChange.objects.exists()
    assert not DueTask.objects.filter(rule_id="engagement-change").exists()
    assert PerpetratorCase.objects.get(pk=case.pk).version == case.version


def test_it_refuses_a_change_recorded_from_a_stale_read(staffed_service: ServiceStaff) -> None:
    case = in_intervention(staffed_service)
    record(staffed_service, case)

    with pytest.raises(StaleRecord):
        record(staffed_service, case, "lost_contact")

    assert EngagementChange.objects.count() == 1


# The page


def page_url(case: PerpetratorCase) -> str:
    return reverse("cases:case_engagement_change_new", args=[case.reference])


def case_url(case: PerpetratorCase) -> str:
    return reverse("cases:case_detail", args=[case.reference])


def test_it_records_a_change_through_its_page_and_shows_it_to_both_sides(
    staffed_service: ServiceStaff,
) -> None:
    case = in_intervention(staffed_service)
    worker = signed_in(staffed_service.perpetrator_worker)
    iss = signed_in(staffed_service.iss_worker)
    assert "Record a missed session" in worker.get(case_url(case)).content.decode()
    assert worker.get(page_url(case)).status_code == 200

    response = worker.post(
        page_url(case),
        {"expected_version": case.version, "change": "lost_contact", "detail": DETAIL},
    )

    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    worker_page = worker.get(case_url(case)).content.decode()
    assert "Lost contact with him" in worker_page
    assert "Tell the ISS: lost contact with him" in worker_page
    iss_page = iss.get(case_url(case)).content.decode()
    assert DETAIL in iss_page, "the ISS needs what happened to tell each survivor"
    assert "Record a missed session" not in iss_page


def test_it_shows_what_is_missing_on_the_page_and_saves_nothing(
    staffed_service: ServiceStaff,
) -> None:
    case = in_intervention(staffed_service)
    worker = signed_in(staffed_service.perpetrator_worker)

    empty = worker.post(page_url(case), {"expected_version": case.version}).content.decode()
    stale = worker.post(
        page_url(case),
        {"expected_version": case.version - 1, "change": "lost_contact", "detail": DETAIL},
    ).content.decode()

    assert 'href="#id_change_0"' in empty
    assert "Choose what changed" in empty
    assert 'href="#id_detail"' in empty
    assert "changed by someone else" in stale
    assert not EngagementChange.objects.exists()


def test_it_offers_the_page_only_while_he_is_in_the_intervention_or_suspended(
    staffed_service: ServiceStaff,
) -> None:
    worker = signed_in(staffed_service.perpetrator_worker)
    waiting = assessed(staffed_service)

    refused = worker.post(
        page_url(waiting),
        {"expected_version": waiting.version, "change": "missed_session", "detail": DETAIL},
    ).content.decode()

    assert "Record a missed session" not in worker.get(case_url(waiting)).content.decode()
    assert "not in intervention or suspended" in refused
    assert not EngagementChange.objects.exists()


@pytest.mark.parametrize("who", ["iss_worker", "second_iss_worker"])
def test_it_refuses_the_page_to_the_iss_side_who_can_see_the_case(
    staffed_service: ServiceStaff, who: str
) -> None:
    case = in_intervention(staffed_service)
    client = signed_in(getattr(staffed_service, who))
    body = {"expected_version": case.version, "change": "missed_session", "detail": DETAIL}

    assert client.get(case_url(case)).status_code == 200
    assert client.get(page_url(case)).status_code == 403
    assert client.post(page_url(case), body).status_code == 403
    assert not EngagementChange.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.ASSESSOR, Role.COMMISSIONER, Role.LEAD_ASSESSOR, Role.PERPETRATOR_WORKER]
)
def test_it_hides_the_page_with_404_from_roles_outside_the_service(
    staffed_service: ServiceStaff, client_as: Callable[[Role], Client], role: Role
) -> None:
    case = in_intervention(staffed_service)
    client = client_as(role)

    assert client.get(page_url(case)).status_code == 404
    assert client.post(page_url(case)).status_code == 404


def test_it_hides_the_page_from_another_services_worker_and_sends_strangers_to_sign_in(
    staffed_service: ServiceStaff,
) -> None:
    case = in_intervention(staffed_service)
    elsewhere = signed_in(staffed_service.other_service_worker)

    assert elsewhere.get(page_url(case)).status_code == 404
    assert elsewhere.post(page_url(case)).status_code == 404
    anonymous = Client().get(page_url(case))
    assert anonymous.status_code == 302
    assert urlsplit(anonymous["Location"]).path == reverse("login")


# The API


def api_url(case: PerpetratorCase) -> str:
    return reverse("v1:case-engagement-changes", args=[case.reference])


def api_as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, case: PerpetratorCase, **overrides: Any) -> Any:
    body = {"version": case.version, "change": "missed_session", "detail": DETAIL, **overrides}
    return client.post(api_url(case), body, content_type="application/json")


def test_it_records_a_change_through_the_api_and_lists_it_to_the_iss_side(
    staffed_service: ServiceStaff,
) -> None:
    case = in_intervention(staffed_service)

    response = post(api_as(staffed_service.perpetrator_worker), case)
    listing = api_as(staffed_service.iss_worker).get(api_url(case))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["change"], body["detail"]) == ("missed_session", DETAIL)
    assert body["case_version"] == case.version + 1
    assert listing.status_code == 200
    assert [row["change"] for row in listing.json()["results"]] == ["missed_session"]
    assert DueTask.objects.filter(rule_id="engagement-change", perpetrator_case=case).count() == 2


def test_it_refuses_bad_api_input_naming_the_field_and_rule(staffed_service: ServiceStaff) -> None:
    case = in_intervention(staffed_service)
    client = api_as(staffed_service.perpetrator_worker)

    blank = post(client, case, detail="")
    unknown = post(client, case, change="went_quiet")
    stale = post(client, case, version=case.version - 1)
    wrong_stage = post(client, assessed(staffed_service))

    assert blank.status_code == 400
    assert blank.json() == {
        "detail": ["say what happened, for the ISS and the survivors"],
        "rule": "engagement-change",
    }
    assert unknown.status_code == 400
    assert "change" in unknown.json()
    assert stale.status_code == 409
    assert "version" in stale.json()
    assert wrong_stage.status_code == 400
    assert wrong_stage.json()["rule"] == "engagement-change"
    assert not EngagementChange.objects.exists()


def test_it_refuses_the_api_to_each_role_that_may_not_record_a_change(
    staffed_service: ServiceStaff, user_with_role: Callable[[Role], User]
) -> None:
    """The ISS side may read the changes but not record them (403); another service's worker
    learns nothing (404); roles without case work are refused outright (403)."""
    case = in_intervention(staffed_service)

    assert post(api_as(staffed_service.iss_worker), case).status_code == 403
    assert post(api_as(staffed_service.other_service_worker), case).status_code == 404
    assert api_as(staffed_service.other_service_worker).get(api_url(case)).status_code == 404
    for role in (Role.ASSESSOR, Role.COMMISSIONER):
        assert post(api_as(user_with_role(role)), case).status_code == 403, role
    assert post(Client(), case).status_code == 401
    assert not EngagementChange.objects.exists()
