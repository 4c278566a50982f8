"""Suspension and removal (rule suspend-remove: R22-S B4.2, R22 C1.6, WG 8-9) and the engagement
change that proposing one is (rule engagement-change: R22 C1.8)."""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.cases.models import (
    ClosureReason,
    PerpetratorCase,
    Stage,
    SuspensionKind,
    SuspensionProposal,
)
from tandem.cases.services.lifecycle import perpetrator_case_close
from tandem.cases.services.suspension import (
    perpetrator_case_reengage,
    suspension_propose,
    suspension_record_iss_consultation,
    suspension_record_survivors_informed,
    suspension_sign_off,
)
from tandem.cases.tests.builders import (
    FRIDAY,
    LONDON,
    TWO_SURVIVORS,
    assessed,
    consulted_and_informed,
    in_intervention,
    iss_case_of,
    non_senior_manager,
    proposed,
    signed_in,
)
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused, StaleRecord

pytestmark = pytest.mark.django_db


def stage_of(case: PerpetratorCase) -> str:
    return PerpetratorCase.objects.get(pk=case.pk).stage


# Proposing


def test_it_refuses_a_proposal_unless_he_is_in_the_intervention(
    staffed_service: ServiceStaff,
) -> None:
    """Rule suspend-remove: only a man in the intervention can be suspended or removed."""
    case = assessed(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        proposed(staffed_service, case)

    assert (refused.value.rule_id, refused.value.field) == ("suspend-remove", "stage")
    assert "not in intervention" in refused.value.message
    assert not SuspensionProposal.objects.exists()


def test_it_changes_nothing_for_him_until_sign_off(staffed_service: ServiceStaff) -> None:
    """Rule suspend-remove: a proposal alone does not suspend him."""
    proposal = proposed(staffed_service)

    assert stage_of(proposal.case) == Stage.IN_INTERVENTION
    assert AuditEvent.objects.filter(action="created", object_id=str(proposal.pk)).exists()


def test_it_makes_telling_the_iss_and_each_survivor_due_across_the_weekend(
    staffed_service: ServiceStaff,
) -> None:
    """Rule engagement-change: proposed on Friday 10:14, the ISS is told within 24 hours
    (Saturday 10:14) and each survivor within 3 working days (Wednesday 10:14)."""
    case = in_intervention(staffed_service, survivors=TWO_SURVIVORS)

    proposed(staffed_service, case)

    tasks = DueTask.objects.filter(rule_id="engagement-change", perpetrator_case=case)
    iss_told = tasks.get(side="perpetrator")
    survivors_told = tasks.filter(side="iss")
    assert iss_told.due_at == datetime(2026, 11, 21, 10, 14, tzinfo=LONDON)
    assert iss_told.iss_case is None, "the perpetrator side's task names no survivor"
    assert {t.due_at for t in survivors_told} == {datetime(2026, 11, 25, 10, 14, tzinfo=LONDON)}
    assert {t.iss_case for t in survivors_told} == {iss_case_of(case, 1), iss_case_of(case, 2)}


def test_it_refuses_a_second_proposal_while_one_awaits_sign_off(
    staffed_service: ServiceStaff,
) -> None:
    """Rule suspend-remove: one proposal at a time."""
    proposal = proposed(staffed_service)

    with pytest.raises(ActionRefused) as refused:
        proposed(staffed_service, PerpetratorCase.objects.get(pk=proposal.case_id), "removal")

    assert refused.value.rule_id == "suspend-remove"
    assert "already proposed" in refused.value.message
    assert SuspensionProposal.objects.count() == 1


def test_it_refuses_a_proposal_from_a_stale_page(staffed_service: ServiceStaff) -> None:
    case = in_intervention(staffed_service)
    with pytest.raises(StaleRecord):
        suspension_propose(
            case=case,
            actor=staffed_service.perpetrator_worker,
            expected_version=case.version - 1,
            kind="suspension",
            reason="Synthetic",
        )
    assert not SuspensionProposal.objects.exists()


def test_it_needs_a_reason_for_the_proposal(staffed_service: ServiceStaff) -> None:
    case = in_intervention(staffed_service)
    with pytest.raises(ActionRefused) as refused:
        suspension_propose(
            case=case,
            actor=staffed_service.perpetrator_worker,
            expected_version=case.version,
            kind="suspension",
            reason="  ",
        )
    assert (refused.value.rule_id, refused.value.field) == ("suspend-remove", "reason")


# The ISS's part


def test_it_lets_only_the_iss_side_record_the_consultation_and_the_survivors_told(
    staffed_service: ServiceStaff,
) -> None:
    """Rule suspend-remove: decided with the ISS, which tells the survivors first."""
    proposal = proposed(staffed_service)

    for record in (suspension_record_iss_consultation, suspension_record_survivors_informed):
        with pytest.raises(ActionRefused) as refused:
            record(proposal=proposal, actor=staffed_service.perpetrator_worker, now=FRIDAY)
        assert refused.value.rule_id == "suspend-remove"
        assert "only the ISS of this service" in refused.value.message

    consulted_and_informed(staffed_service, proposal)
    proposal.refresh_from_db()
    assert proposal.iss_consulted_by == staffed_service.iss_worker
    assert proposal.survivors_informed_at == FRIDAY


def test_it_closes_the_engagement_change_tasks_as_the_iss_records_them(
    staffed_service: ServiceStaff,
) -> None:
    """Rule engagement-change: consulting the ISS tells it; telling the survivors closes theirs."""
    proposal = proposed(staffed_service)

    def open_sides() -> list[str]:
        open_tasks = DueTask.objects.filter(rule_id="engagement-change", completed_at__isnull=True)
        return sorted(open_tasks.values_list("side", flat=True))

    assert open_sides() == ["iss", "perpetrator"]
    suspension_record_iss_consultation(
        proposal=proposal, actor=staffed_service.iss_worker, now=FRIDAY
    )
    assert open_sides() == ["iss"]
    suspension_record_survivors_informed(
        proposal=proposal, actor=staffed_service.iss_worker, now=FRIDAY
    )
    assert open_sides() == []


def test_it_refuses_to_record_the_consultation_twice(staffed_service: ServiceStaff) -> None:
    proposal = proposed(staffed_service)
    suspension_record_iss_consultation(
        proposal=proposal, actor=staffed_service.iss_worker, now=FRIDAY
    )
    with pytest.raises(ActionRefused) as refused:
        suspension_record_iss_consultation(proposal=proposal, actor=staffed_service.iss_worker)
    assert "already recorded" in refused.value.message


# Sign-off


def test_it_refuses_sign_off_until_the_iss_is_consulted(staffed_service: ServiceStaff) -> None:
    """Rule suspend-remove: the ISS consultation is recorded before sign-off."""
    proposal = proposed(staffed_service)
    suspension_record_survivors_informed(
        proposal=proposal, actor=staffed_service.iss_worker, now=FRIDAY
    )

    with pytest.raises(ActionRefused) as refused:
        suspension_sign_off(proposal=proposal, actor=staffed_service.service_manager)

    assert refused.value.rule_id == "suspend-remove"
    assert refused.value.message == (
        "cannot sign off the suspension (on hold): the ISS has not yet been consulted "
        "(not recorded)"
    )
    assert stage_of(proposal.case) == Stage.IN_INTERVENTION


def test_it_refuses_sign_off_until_the_survivors_are_told_first(
    staffed_service: ServiceStaff,
) -> None:
    """Rule suspend-remove: the survivor is told first so she can be safety-planned."""
    proposal = proposed(staffed_service)
    suspension_record_iss_consultation(
        proposal=proposal, actor=staffed_service.iss_worker, now=FRIDAY
    )

    with pytest.raises(ActionRefused) as refused:
        suspension_sign_off(proposal=proposal, actor=staffed_service.service_manager)

    assert refused.value.rule_id == "suspend-remove"
    assert "the survivors have not yet been told first" in refused.value.message
    assert "consulted" not in refused.value.message
    assert stage_of(proposal.case) == Stage.IN_INTERVENTION


def test_it_names_everything_missing_when_nothing_is_recorded(
    staffed_service: ServiceStaff,
) -> None:
    proposal = proposed(staffed_service, kind="removal")

    with pytest.raises(ActionRefused) as refused:
        suspension_sign_off(proposal=proposal, actor=staffed_service.service_manager)

    assert refused.value.message == (
        "cannot sign off the removal (de-selection): the ISS has not yet been consulted "
        "(not recorded); the survivors have not yet been told first (not recorded by the ISS)"
    )


def test_it_refuses_sign_off_by_a_manager_who_is_not_senior(
    staffed_service: ServiceStaff,
) -> None:
    """Rule suspend-remove: a senior manager's sign-off."""
    proposal = proposed(staffed_service)
    consulted_and_informed(staffed_service, proposal)

    for actor in (non_senior_manager(staffed_service), staffed_service.perpetrator_worker):
        with pytest.raises(ActionRefused) as refused:
            suspension_sign_off(proposal=proposal, actor=actor)
        assert refused.value.rule_id == "suspend-remove"
        assert "only a senior manager of the service" in refused.value.message
    assert stage_of(proposal.case) == Stage.IN_INTERVENTION


def test_it_suspends_on_sign_off_and_he_can_re_engage(staffed_service: ServiceStaff) -> None:
    """Rule suspend-remove: on hold once signed off; re-engagement puts him back."""
    proposal = proposed(staffed_service)
    consulted_and_informed(staffed_service, proposal)

    suspended = suspension_sign_off(
        proposal=proposal, actor=staffed_service.service_manager, now=FRIDAY
    )
    back = perpetrator_case_reengage(
        case=suspended, actor=staffed_service.perpetrator_worker, expected_version=suspended.version
    )

    assert suspended.stage == Stage.SUSPENDED
    assert back.stage == Stage.IN_INTERVENTION
    kinds = [(t.kind, t.actor) for t in back.transitions.all()][-2:]
    assert kinds == [
        ("suspended", staffed_service.service_manager),
        ("reengaged", staffed_service.perpetrator_worker),
    ]
    assert back.transitions.get(kind="suspended").reason == proposal.reason
    proposal.refresh_from_db()
    assert (proposal.signed_off_by, proposal.signed_off_at) == (
        staffed_service.service_manager,
        FRIDAY,
    )


def test_it_keeps_the_iss_cases_open_after_removal(staffed_service: ServiceStaff) -> None:
    """Rule suspend-remove: removal closes his case as de-selected; the ISS case continues."""
    case = in_intervention(staffed_service, survivors=TWO_SURVIVORS)
    proposal = proposed(staffed_service, case, kind="removal")
    consulted_and_informed(staffed_service, proposal)

    removed = suspension_sign_off(proposal=proposal, actor=staffed_service.service_manager)

    assert (removed.stage, removed.closure_reason) == (Stage.CLOSED, ClosureReason.DESELECTED)
    assert removed.transitions.get(kind="closed").reason.startswith("De-selected (removed): ")
    for position in (1, 2):
        assert iss_case_of(case, position).closed_at is None
    with pytest.raises(ActionRefused):
        suspension_sign_off(proposal=proposal, actor=staffed_service.service_manager)


def test_it_refuses_re_engagement_unless_he_is_suspended(staffed_service: ServiceStaff) -> None:
    case = in_intervention(staffed_service)
    with pytest.raises(ActionRefused) as refused:
        perpetrator_case_reengage(
            case=case, actor=staffed_service.perpetrator_worker, expected_version=case.version
        )
    assert (refused.value.rule_id, refused.value.field) == ("suspend-remove", "stage")


# The pages


def test_it_walks_a_suspension_through_the_pages_of_each_side(
    staffed_service: ServiceStaff,
) -> None:
    """Rule suspend-remove: proposed by the perpetrator side, recorded by the ISS, signed off by
    a senior manager."""
    case = in_intervention(staffed_service)
    worker = signed_in(staffed_service.perpetrator_worker)
    iss = signed_in(staffed_service.iss_worker)
    manager = signed_in(staffed_service.service_manager)
    url = reverse("cases:case_detail", args=[case.reference])

    assert "Propose a suspension or removal" in worker.get(url).content.decode()
    proposing = worker.post(
        reverse("cases:case_suspension_propose", args=[case.reference]),
        {"expected_version": case.version, "kind": "suspension", "reason": "Synthetic reason"},
    )
    assert proposing.status_code == 302
    assert "Tell the ISS: suspension considered" in worker.get(url).content.decode()
    assert "Record that the ISS was consulted" not in worker.get(url).content.decode()

    early = manager.post(reverse("cases:case_suspension_sign_off", args=[case.reference]))
    assert "the ISS has not yet been consulted" in early.content.decode()
    assert stage_of(case) == Stage.IN_INTERVENTION

    iss_page = iss.get(url).content.decode()
    assert "Record that the ISS was consulted" in iss_page
    assert "Record that the survivors were told first" in iss_page
    assert "Sign off" not in iss_page
    for name in ("cases:case_suspension_iss_consulted", "cases:case_suspension_survivors_informed"):
        assert iss.post(reverse(name, args=[case.reference])).status_code == 302

    assert "Sign off" in manager.get(url).content.decode()
    assert (
        manager.get(reverse("cases:case_suspension_sign_off", args=[case.reference])).status_code
        == 200
    )
    signed = manager.post(reverse("cases:case_suspension_sign_off", args=[case.reference]))
    assert signed.status_code == 302
    assert stage_of(case) == Stage.SUSPENDED

    reengage = worker.post(
        reverse("cases:case_reengage", args=[case.reference]),
        {"expected_version": PerpetratorCase.objects.get(pk=case.pk).version},
    )
    assert reengage.status_code == 302
    assert stage_of(case) == Stage.IN_INTERVENTION


def test_it_refuses_each_suspension_page_to_those_who_may_not_use_it(
    staffed_service: ServiceStaff,
) -> None:
    case = in_intervention(staffed_service)
    proposed(staffed_service, case)

    def url(name: str) -> str:
        return reverse(name, args=[case.reference])

    iss = signed_in(staffed_service.iss_worker)
    worker = signed_in(staffed_service.perpetrator_worker)
    elsewhere = signed_in(staffed_service.other_service_worker)
    not_senior = signed_in(non_senior_manager(staffed_service))

    assert iss.get(url("cases:case_suspension_propose")).status_code == 403
    assert iss.get(url("cases:case_suspension_sign_off")).status_code == 403
    assert iss.post(url("cases:case_reengage")).status_code == 403
    for name in ("cases:case_suspension_iss_consulted", "cases:case_suspension_survivors_informed"):
        assert worker.post(url(name)).status_code == 403
        assert elsewhere.post(url(name)).status_code == 404
        assert Client().post(url(name)).status_code == 302
    assert worker.get(url("cases:case_suspension_sign_off")).status_code == 403
    assert not_senior.get(url("cases:case_suspension_sign_off")).status_code == 403
    assert not_senior.post(url("cases:case_suspension_sign_off")).status_code == 403
    assert elsewhere.get(url("cases:case_suspension_sign_off")).status_code == 404
    assert stage_of(case) == Stage.IN_INTERVENTION
    assert SuspensionProposal.objects.get().iss_consulted_at is None


def test_it_shows_the_refusal_when_the_iss_records_with_nothing_proposed(
    staffed_service: ServiceStaff,
) -> None:
    case = in_intervention(staffed_service)
    response = signed_in(staffed_service.iss_worker).post(
        reverse("cases:case_suspension_iss_consulted", args=[case.reference])
    )
    assert response.status_code == 200
    assert "no suspension or removal of" in response.content.decode()
    assert "(rule suspend-remove)" in response.content.decode()


def test_it_names_the_kind_of_proposal_on_the_propose_page(staffed_service: ServiceStaff) -> None:
    case = in_intervention(staffed_service)
    response = signed_in(staffed_service.perpetrator_worker).post(
        reverse("cases:case_suspension_propose", args=[case.reference]),
        {"expected_version": case.version, "kind": "", "reason": ""},
    )
    html = response.content.decode()
    # The link lands on the first radio, the GOV.UK pattern for a radio group.
    assert 'href="#id_kind_0"' in html
    assert 'href="#id_reason"' in html
    assert not SuspensionProposal.objects.exists()
    assert SuspensionKind.REMOVAL.label in html


def test_it_lets_a_proposal_lapse_when_the_case_closes_another_way(
    staffed_service: ServiceStaff,
) -> None:
    proposal = proposed(staffed_service)
    case = PerpetratorCase.objects.get(pk=proposal.case_id)
    perpetrator_case_close(
        case=case,
        actor=staffed_service.perpetrator_worker,
        expected_version=case.version,
        reason="moved",
    )

    iss_page = signed_in(staffed_service.iss_worker).get(
        reverse("cases:case_detail", args=[case.reference])
    )
    sign_off_page = signed_in(staffed_service.service_manager).post(
        reverse("cases:case_suspension_sign_off", args=[case.reference])
    )

    assert "Record that the ISS was consulted" not in iss_page.content.decode()
    assert "no suspension or removal of" in sign_off_page.content.decode()
    assert stage_of(case) == Stage.CLOSED


def test_the_perpetrator_side_sees_the_iss_steps_recorded_by_a_role_never_a_name(
    staffed_service: ServiceStaff,
) -> None:
    """Rule survivor-confidentiality: who on the ISS side supports her is not the perpetrator
    side's to know; "Recorded by" names the role."""
    iss_worker = staffed_service.iss_worker
    iss_worker.first_name, iss_worker.last_name = "Synthetic", "Ivy-Example"
    iss_worker.save()
    case = in_intervention(staffed_service)
    consulted_and_informed(staffed_service, proposed(staffed_service, case))
    url = reverse("cases:case_detail", args=[case.reference])

    page = signed_in(staffed_service.perpetrator_worker).get(url).content.decode()
    assert "Ivy-Example" not in page
    assert page.count("Recorded by an ISS worker or IDVA") == 2
