"""What closing a case ends (rules risk-points, child-retrigger, engagement-change), which files a
back-dated case-file audit can sample (rule file-audit), and the permission rules for recording a
referral and for the ISS's steps on a proposed suspension (rule suspend-remove)."""

from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.audit.models import AuditEvent
from tandem.cases.models import FileAudit, PerpetratorCase, Stage
from tandem.cases.selectors import file_audit_candidates
from tandem.cases.services.children import children_reexamination_trigger
from tandem.cases.services.common import TASKS_ENDED_BY_CLOSURE
from tandem.cases.services.lifecycle import perpetrator_case_close
from tandem.cases.services.records import risk_assessment_record
from tandem.cases.services.reviews import file_audit_record
from tandem.cases.services.suspension import suspension_sign_off
from tandem.cases.tests.builders import (
    FRIDAY,
    LONDON,
    consulted_and_informed,
    in_intervention,
    iss_manager,
    practice_manager,
    proposed,
    received,
    signed_in,
    staff_member,
)
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.organisations.models import StaffMembership

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 09:30: the case closes the working day after it started.
MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)


# Closing a case ends the tasks that no longer make sense


def with_tasks_closing_ends(staff: ServiceStaff) -> PerpetratorCase:
    """In a behaviour-change intervention, with the half-way risk assessment due (rule
    risk-points) and the children's needs to re-examine (rule child-retrigger)."""
    case = in_intervention(staff)
    risk_assessment_record(
        case=case,
        actor=staff.perpetrator_worker,
        point="intake",
        summary="Synthetic intake risk summary",
        actions=[],
        next_assessment_due_on=date(2027, 2, 19),
        outcome_told_to_him=True,
        now=FRIDAY,
    )
    children_reexamination_trigger(
        case=case,
        actor=staff.perpetrator_worker,
        trigger="pregnancy",
        details="Synthetic: his new partner is pregnant",
        now=FRIDAY,
    )
    assert set(
        DueTask.objects.filter(perpetrator_case=case, completed_at__isnull=True).values_list(
            "rule_id", flat=True
        )
    ) >= set(TASKS_ENDED_BY_CLOSURE)
    return PerpetratorCase.objects.get(pk=case.pk)


def open_rules(case: PerpetratorCase) -> set[tuple[str, str]]:
    return set(
        DueTask.objects.filter(perpetrator_case=case, completed_at__isnull=True).values_list(
            "rule_id", "side"
        )
    )


def test_it_ends_the_next_risk_assessment_and_the_child_re_examination_when_he_leaves(
    staffed_service: ServiceStaff,
) -> None:
    """Rules risk-points and child-retrigger: closing the case marks the half-way assessment
    and the children's re-examination done, by whoever closed it and when. Rule
    engagement-change: telling the ISS and the survivor that he dropped out stays open, as do
    the ISS side's tasks and every task of another case."""
    case = with_tasks_closing_ends(staffed_service)
    other = with_tasks_closing_ends(staffed_service)

    perpetrator_case_close(
        case=case,
        actor=staffed_service.perpetrator_worker,
        expected_version=case.version,
        reason="dropped_out",
        now=MONDAY,
    )

    ended = DueTask.objects.filter(perpetrator_case=case, rule_id__in=TASKS_ENDED_BY_CLOSURE)
    assert ended.count() == 2
    assert {(t.completed_at, t.completed_by) for t in ended} == {
        (MONDAY, staffed_service.perpetrator_worker)
    }
    still_open = open_rules(case)
    assert {("engagement-change", "perpetrator"), ("engagement-change", "iss")} <= still_open
    assert not {rule for rule, _ in still_open} & set(TASKS_ENDED_BY_CLOSURE)
    assert DueTask.objects.filter(
        perpetrator_case=case, rule_id="engagement-change", completed_at__isnull=True
    ).filter(title__contains="dropped out")
    assert set(TASKS_ENDED_BY_CLOSURE) <= {rule for rule, _ in open_rules(other)}
    closing = AuditEvent.objects.filter(action="transitioned", object_id=str(case.pk)).latest(
        "occurred_at", "pk"
    )
    assert "2 task(s) that closing ends marked done" in closing.summary


def test_it_keeps_the_end_risk_assessment_due_when_he_completes(
    staffed_service: ServiceStaff,
) -> None:
    """Rule risk-points: completing the intervention is when the end assessment falls due, so
    closing as completed ends only the children's re-examination (rule child-retrigger)."""
    case = with_tasks_closing_ends(staffed_service)

    perpetrator_case_close(
        case=case,
        actor=staffed_service.perpetrator_worker,
        expected_version=case.version,
        reason="completed",
        now=MONDAY,
    )

    still_open = {rule for rule, _ in open_rules(case)}
    assert "risk-points" in still_open
    assert "child-retrigger" not in still_open


def test_it_ends_them_too_when_a_removal_closes_the_case(staffed_service: ServiceStaff) -> None:
    """Rule suspend-remove: a signed-off removal closes the case as de-selected, which ends the
    same tasks; the survivors' tasks go on."""
    case = with_tasks_closing_ends(staffed_service)
    proposal = proposed(staffed_service, case, kind="removal")
    consulted_and_informed(staffed_service, proposal)

    closed = suspension_sign_off(
        proposal=proposal, actor=staffed_service.service_manager, now=MONDAY
    )

    assert closed.stage == Stage.CLOSED
    assert not {rule for rule, _ in open_rules(case)} & set(TASKS_ENDED_BY_CLOSURE)
    assert DueTask.objects.filter(
        perpetrator_case=case, rule_id="risk-points", completed_by=staffed_service.service_manager
    ).exists()


def test_it_ends_nothing_while_the_case_stays_open(staffed_service: ServiceStaff) -> None:
    """A suspension is not a closure: the next assessment is still due when he comes back."""
    case = with_tasks_closing_ends(staffed_service)
    proposal = proposed(staffed_service, case)
    consulted_and_informed(staffed_service, proposal)

    suspension_sign_off(proposal=proposal, actor=staffed_service.service_manager, now=MONDAY)

    assert set(TASKS_ENDED_BY_CLOSURE) <= {rule for rule, _ in open_rules(case)}


# A back-dated case-file audit samples only the files that existed that day (rule file-audit)

# Monday 15 June 2026, in British Summer Time (UTC+1): the audit day of these tests.
AUDIT_DAY = date(2026, 6, 15)
LAST_MINUTE = datetime(2026, 6, 15, 23, 59, tzinfo=LONDON)
NEXT_MIDNIGHT = datetime(2026, 6, 16, 0, 0, tzinfo=LONDON)


def test_it_offers_a_file_referred_on_the_audit_day_but_not_one_referred_after_it(
    staffed_service: ServiceStaff,
) -> None:
    """Rule file-audit: referred at 23:59 on the audit day (UK time) is offered; at midnight,
    the next day's first minute, it is not, though in UTC that is still the audit day."""
    on_the_day = received(staffed_service, received_at=LAST_MINUTE)
    after = received(staffed_service, received_at=NEXT_MIDNIGHT, first_name="Otherperson")

    assert list(file_audit_candidates(service=staffed_service.service, today=AUDIT_DAY)) == [
        on_the_day
    ]
    assert set(file_audit_candidates(service=staffed_service.service, today=date(2026, 6, 16))) == {
        on_the_day,
        after,
    }


def test_it_refuses_a_back_dated_audit_sampling_a_file_referred_after_it(
    staffed_service: ServiceStaff,
) -> None:
    on_the_day = received(staffed_service, received_at=LAST_MINUTE)
    after = received(staffed_service, received_at=NEXT_MIDNIGHT, first_name="Otherperson")

    def audit(sample: list[PerpetratorCase]) -> FileAudit:
        return file_audit_record(
            service=staffed_service.service,
            actor=staffed_service.service_manager,
            audited_on=AUDIT_DAY,
            sample=sample,
            findings="Synthetic findings",
            feedback="Synthetic feedback",
            now=FRIDAY,
        )

    with pytest.raises(ActionRefused) as refused:
        audit([on_the_day, after])
    assert (refused.value.rule_id, refused.value.field) == ("file-audit", "sample")
    assert after.reference in refused.value.message
    assert on_the_day.reference not in refused.value.message
    assert not FileAudit.objects.exists()

    assert list(audit([on_the_day]).sample.all()) == [on_the_day]


# Recording a referral: the role and a service to record it in (one rule, cases.record_referral)


def ended_membership(staff: ServiceStaff) -> User:
    user = staff_member(staff, "left-the-service", Role.PERPETRATOR_WORKER, "perpetrator")
    StaffMembership.objects.filter(user=user).update(ended_on=date(2025, 1, 31))
    return user


def test_it_lets_only_those_on_a_services_perpetrator_side_record_a_referral(
    staffed_service: ServiceStaff, user_with_role: Callable[[Role], User]
) -> None:
    may = {
        "perpetrator worker": staffed_service.perpetrator_worker,
        "service manager (both sides)": staffed_service.service_manager,
        "practice manager (perpetrator side)": practice_manager(staffed_service),
    }
    may_not = {
        "ISS worker": staffed_service.iss_worker,
        "practice manager (ISS side)": iss_manager(staffed_service),
        "perpetrator worker with no service": user_with_role(Role.PERPETRATOR_WORKER),
        "perpetrator worker who has left": ended_membership(staffed_service),
        "assessor": user_with_role(Role.ASSESSOR),
        "commissioner": user_with_role(Role.COMMISSIONER),
    }
    url = reverse("cases:referral_new")

    for who, user in may.items():
        assert user.has_perm("cases.record_referral"), who
        assert signed_in(user).get(url).status_code == 200, who
        assert (
            'href="/cases/new/"' in signed_in(user).get(reverse("cases:case_list")).content.decode()
        )
    for who, user in may_not.items():
        assert not user.has_perm("cases.record_referral"), who
        assert signed_in(user).get(url).status_code == 403, who
        assert signed_in(user).post(url, {}).status_code == 403, who
    assert not PerpetratorCase.objects.exists()


# The ISS's steps on a proposed suspension (one rule, cases.record_suspension_iss_steps)


def test_it_lets_only_the_iss_side_of_the_service_record_its_steps_on_a_proposal(
    staffed_service: ServiceStaff, client_as: Callable[[Role], Client]
) -> None:
    """Rule suspend-remove: the ISS records that it was consulted and that the survivors were
    told first. Its buttons show, and its routes answer, only for the ISS side of the service."""
    case = in_intervention(staffed_service)
    proposed(staffed_service, case)
    may = {
        "ISS worker": staffed_service.iss_worker,
        "another ISS worker": staffed_service.second_iss_worker,
        "service manager (both sides)": staffed_service.service_manager,
        "practice manager (ISS side)": iss_manager(staffed_service),
    }
    may_not = {
        "perpetrator worker": staffed_service.perpetrator_worker,
        "practice manager (perpetrator side)": practice_manager(staffed_service),
        "another service's worker": staffed_service.other_service_worker,
    }
    detail = reverse("cases:case_detail", args=[case.reference])
    steps = [
        reverse(name, args=[case.reference])
        for name in (
            "cases:case_suspension_iss_consulted",
            "cases:case_suspension_survivors_informed",
        )
    ]

    for who, user in may.items():
        assert user.has_perm("cases.record_suspension_iss_steps", case), who
        assert "Record that the ISS was consulted" in signed_in(user).get(detail).content.decode()
    for who, user in may_not.items():
        assert not user.has_perm("cases.record_suspension_iss_steps", case), who
    assert "Record that the ISS was consulted" not in (
        signed_in(staffed_service.perpetrator_worker).get(detail).content.decode()
    )
    for url in steps:
        for who, user in may_not.items():
            expected = 404 if user == staffed_service.other_service_worker else 403
            assert signed_in(user).post(url).status_code == expected, (who, url)
        for role in (Role.ASSESSOR, Role.COMMISSIONER, Role.ISS_WORKER):
            assert client_as(role).post(url).status_code == 404, role
    assert not AuditEvent.objects.filter(action="changed", summary__contains="ISS consulted")
