"""The DASH risk checklist with her, and MARAC referral (rule dash): recording, the referral task
the criteria make due, incidents, referrals, the pages and the API. The pure scoring and criteria
boundaries are in test_risk.py."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.compliance.models import DueTask
from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.support.models import DashAssessment, IssCase, MaracReferral, RiskIncident
from tandem.support.services.dash import (
    dash_assessment_record,
    marac_referral_record,
    risk_incident_record,
)
from tandem.support.tests.builders import answers_with_yes, client_for, post_json, referred_case

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 7 December 2026, 11:00: the next working day is Tuesday.
MONDAY = datetime(2026, 12, 7, 11, 0, tzinfo=LONDON)


def assess(
    staff: ServiceStaff,
    iss_case: IssCase,
    *,
    yes: int = 0,
    judgement_high: bool = False,
    reasons: str = "",
    now: datetime | None = None,
) -> DashAssessment:
    iss_case.refresh_from_db()
    return dash_assessment_record(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        answers=answers_with_yes(yes),
        professional_judgement_high=judgement_high,
        professional_judgement_reasons=reasons,
        now=now,
    )


def incident(staff: ServiceStaff, iss_case: IssCase, occurred_on: date) -> RiskIncident:
    iss_case.refresh_from_db()
    return risk_incident_record(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        occurred_on=occurred_on,
        summary="Synthetic incident: he came to her door",
    )


def refer(staff: ServiceStaff, iss_case: IssCase, referred_on: date) -> MaracReferral:
    iss_case.refresh_from_db()
    return marac_referral_record(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        referred_on=referred_on,
    )


def marac_tasks(iss_case: IssCase) -> list[DueTask]:
    return list(DueTask.objects.filter(rule_id="dash", iss_case=iss_case).order_by("pk"))


@pytest.fixture
def her_case(staffed_service: ServiceStaff) -> IssCase:
    return referred_case(staffed_service)


# Recording and the MARAC referral task


def test_it_makes_a_marac_referral_due_at_14_yes_answers(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    assessment = assess(staffed_service, her_case, yes=14, now=MONDAY)

    assert assessment.yes_count == 14
    assert assessment.criteria == ["visible-high-risk"]
    assert (assessment.instrument_id, assessment.instrument_version) == ("safelives-dash", "2009")
    [task] = marac_tasks(her_case)
    assert task.title == "Refer Alice Example to MARAC"
    assert task.side == "iss"
    assert task.due_at == datetime(2026, 12, 8, 11, 0, tzinfo=LONDON), "1 working day"


def test_it_makes_no_referral_due_at_13_yes_answers(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    assessment = assess(staffed_service, her_case, yes=13)

    assert assessment.criteria == []
    assert marac_tasks(her_case) == []


@pytest.mark.parametrize(("yes", "due"), [(16, False), (17, True)])
def test_it_uses_the_services_threshold_of_17(
    staffed_service: ServiceStaff, her_case: IssCase, yes: int, due: bool
) -> None:
    staffed_service.service.dash_high_risk_threshold = 17
    staffed_service.service.save()

    assess(staffed_service, her_case, yes=yes)

    assert bool(marac_tasks(her_case)) is due


def test_it_makes_a_referral_due_on_professional_judgement_with_reasons(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    assessment = assess(
        staffed_service,
        her_case,
        yes=2,
        judgement_high=True,
        reasons="Synthetic: he has threatened to kill her",
    )

    assert assessment.criteria == ["professional-judgement"]
    assert len(marac_tasks(her_case)) == 1


@pytest.mark.parametrize("reasons", ["", "   "])
def test_it_refuses_a_judgement_of_high_risk_without_reasons_and_saves_nothing(
    staffed_service: ServiceStaff, her_case: IssCase, reasons: str
) -> None:
    with pytest.raises(ActionRefused) as refused:
        assess(staffed_service, her_case, yes=2, judgement_high=True, reasons=reasons)

    assert (refused.value.field, refused.value.rule_id) == (
        "professional_judgement_reasons",
        "dash",
    )
    assert not DashAssessment.objects.exists()
    assert marac_tasks(her_case) == []
    assert IssCase.objects.get(pk=her_case.pk).version == her_case.version


def test_it_refuses_a_checklist_with_a_question_unanswered_naming_it(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    answers = answers_with_yes(20)
    del answers[5]

    with pytest.raises(ActionRefused) as refused:
        dash_assessment_record(
            iss_case=her_case,
            actor=staffed_service.iss_worker,
            expected_version=her_case.version,
            answers=answers,
            professional_judgement_high=False,
            professional_judgement_reasons="",
        )

    assert refused.value.field == "question_5"
    assert refused.value.message.startswith("answer question 5 (")
    assert not DashAssessment.objects.exists()


def test_it_refuses_an_answer_that_is_not_an_option(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    with pytest.raises(ActionRefused) as refused:
        dash_assessment_record(
            iss_case=her_case,
            actor=staffed_service.iss_worker,
            expected_version=her_case.version,
            answers={**answers_with_yes(0), 3: "maybe"},
            professional_judgement_high=False,
            professional_judgement_reasons="",
        )

    assert refused.value.field == "answers"
    assert "'maybe' is not one of the answers" in refused.value.message


def test_it_makes_a_referral_due_on_potential_escalation(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    today = timezone.localdate()
    for days_ago in (300, 100, 5):
        incident(staffed_service, her_case, today - timedelta(days=days_ago))

    assessment = assess(staffed_service, her_case, yes=1)

    assert assessment.criteria == ["potential-escalation"]
    assert len(marac_tasks(her_case)) == 1


def test_it_makes_a_repeat_referral_due_on_a_new_incident_after_a_marac_referral(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    today = timezone.localdate()
    first = assess(staffed_service, her_case, yes=15, now=timezone.now() - timedelta(days=60))
    referral = refer(staffed_service, her_case, today - timedelta(days=59))
    [done] = marac_tasks(her_case)
    incident(staffed_service, her_case, today - timedelta(days=2))

    again = assess(staffed_service, her_case, yes=3)

    assert referral.criteria == first.criteria == ["visible-high-risk"]
    assert done.completed_at is not None
    assert again.criteria == ["repeat-referral"]
    [_, repeat] = marac_tasks(her_case)
    assert repeat.completed_at is None


def test_it_makes_no_second_task_while_a_referral_is_already_due(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    assess(staffed_service, her_case, yes=14)
    assess(staffed_service, her_case, yes=18)

    assert len(marac_tasks(her_case)) == 1


def test_it_keeps_her_answers_and_result_out_of_the_audit_trail(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    assessment = assess(
        staffed_service, her_case, yes=14, judgement_high=True, reasons="Synthetic reasons"
    )

    event = AuditEvent.objects.get(summary="DASH risk checklist recorded")
    assert event.object_id == str(assessment.pk)
    assert event.before is None
    assert event.after is None
    assert not AuditEvent.objects.filter(summary__contains="Synthetic reasons").exists()


# MARAC referrals and incidents


def test_it_records_the_referral_on_the_latest_assessments_criteria_and_completes_the_task(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    assessment = assess(staffed_service, her_case, yes=20)

    referral = refer(staffed_service, her_case, timezone.localdate())

    assert referral.dash_assessment == assessment
    assert referral.criteria == ["visible-high-risk"]
    assert all(task.completed_at for task in marac_tasks(her_case))


@pytest.mark.parametrize(
    ("setup", "referred_in_days", "message"),
    [
        pytest.param(
            "none",
            0,
            "her latest DASH assessment meets no MARAC referral criterion",
            id="no-assessment",
        ),
        pytest.param(
            "standard",
            0,
            "her latest DASH assessment meets no MARAC referral criterion",
            id="standard-risk",
        ),
        pytest.param("high", 1, "the referral cannot be in the future", id="future"),
        pytest.param(
            "high", -3, "the referral cannot be before the DASH assessment", id="before-the-dash"
        ),
        pytest.param("referred", 0, "is already recorded", id="twice"),
    ],
)
def test_it_refuses_a_referral_it_cannot_record(
    staffed_service: ServiceStaff,
    her_case: IssCase,
    setup: str,
    referred_in_days: int,
    message: str,
) -> None:
    if setup != "none":
        assess(staffed_service, her_case, yes=3 if setup == "standard" else 14)
    if setup == "referred":
        refer(staffed_service, her_case, timezone.localdate())
    before = MaracReferral.objects.count()

    with pytest.raises(ActionRefused) as refused:
        refer(staffed_service, her_case, timezone.localdate() + timedelta(days=referred_in_days))

    assert message in refused.value.message
    assert refused.value.field == "referred_on"
    assert MaracReferral.objects.count() == before


@pytest.mark.parametrize(
    ("occurred_in_days", "summary", "field"),
    [(1, "Synthetic incident", "occurred_on"), (0, "  ", "summary")],
)
def test_it_refuses_an_incident_in_the_future_or_without_a_summary(
    staffed_service: ServiceStaff,
    her_case: IssCase,
    occurred_in_days: int,
    summary: str,
    field: str,
) -> None:
    with pytest.raises(ActionRefused) as refused:
        risk_incident_record(
            iss_case=her_case,
            actor=staffed_service.iss_worker,
            expected_version=her_case.version,
            occurred_on=timezone.localdate() + timedelta(days=occurred_in_days),
            summary=summary,
        )

    assert refused.value.field == field
    assert not RiskIncident.objects.exists()


# The pages


def dash_url(iss_case: IssCase) -> str:
    return reverse("support:dash_assessment_record", args=[iss_case.pk])


def dash_form_data(iss_case: IssCase, *, yes: int, **extra: str) -> dict[str, object]:
    iss_case.refresh_from_db()
    return {
        "dash-version": iss_case.version,
        **{f"dash-question_{n}": answer for n, answer in answers_with_yes(yes).items()},
        **extra,
    }


def test_it_shows_the_24_questions_by_number_and_topic_with_three_answers(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    response = client_for(staffed_service.iss_worker).get(dash_url(her_case))

    assert response.status_code == 200
    assert "Question 1: Injury in the current incident" in response.text
    assert "Question 24:" in response.text
    assert "Question 25:" not in response.text
    assert response.text.count('type="radio"') == 24 * 3
    assert "Don&#x27;t know" in response.text or "Don't know" in response.text
    assert "Reasons for your judgement" in response.text


def test_it_records_the_checklist_and_shows_the_criteria_met(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client = client_for(staffed_service.iss_worker)

    response = client.post(dash_url(her_case), dash_form_data(her_case, yes=14))

    assessment = DashAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("support:dash_result", args=[her_case.pk, assessment.pk])
    result = client.get(response["Location"]).text
    assert "She meets the MARAC referral criteria" in result
    assert "Visible high risk" in result
    assert "14 of 24" in result
    assert AuditEvent.objects.filter(action="viewed", summary="DASH result viewed").exists()
    case_page = client.get(reverse("support:iss_case_detail", args=[her_case.pk])).text
    assert "Refer Alice Example to MARAC" in case_page


def test_it_shows_no_criterion_met_at_13(staffed_service: ServiceStaff, her_case: IssCase) -> None:
    client = client_for(staffed_service.iss_worker)

    response = client.post(dash_url(her_case), dash_form_data(her_case, yes=13))

    result = client.get(response["Location"]).text
    assert "No MARAC referral criterion is met" in result
    assert marac_tasks(her_case) == []


def test_it_refuses_an_unanswered_question_on_the_form_naming_it(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    data = dash_form_data(her_case, yes=14)
    del data["dash-question_5"]

    response = client_for(staffed_service.iss_worker).post(dash_url(her_case), data)

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert 'href="#id_dash-question_5_0"' in response.text
    assert "Answer question 5: yes, no or don" in response.text
    assert not DashAssessment.objects.exists()


def test_it_refuses_a_judgement_without_reasons_on_the_form(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    data = dash_form_data(her_case, yes=2, **{"dash-professional_judgement_high": "on"})

    response = client_for(staffed_service.iss_worker).post(dash_url(her_case), data)

    assert response.status_code == 400
    assert 'id="id_dash-professional_judgement_reasons-error"' in response.text
    assert "give your reasons for judging her risk high (rule dash)" in response.text
    assert not DashAssessment.objects.exists()


def test_it_refuses_a_stale_checklist_without_saving(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    data = dash_form_data(her_case, yes=14)
    data["dash-version"] = her_case.version + 5

    response = client_for(staffed_service.iss_worker).post(dash_url(her_case), data)

    assert response.status_code == 400
    assert "was changed by someone else" in response.text
    assert not DashAssessment.objects.exists()


def test_it_records_incidents_and_referrals_on_her_case_page(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client = client_for(staffed_service.iss_worker)
    assess(staffed_service, her_case, yes=14)
    her_case.refresh_from_db()
    today = timezone.localdate()

    recorded = client.post(
        reverse("support:risk_incident_record", args=[her_case.pk]),
        {
            "incident-version": her_case.version,
            "incident-occurred_on": f"{today:%Y-%m-%d}",
            "incident-summary": "Synthetic incident: he sent threatening messages",
        },
    )
    referred = client.post(
        reverse("support:marac_referral_record", args=[her_case.pk]),
        {"marac-version": her_case.version + 1, "marac-referred_on": f"{today:%Y-%m-%d}"},
    )

    assert (recorded.status_code, referred.status_code) == (302, 302)
    page = client.get(reverse("support:iss_case_detail", args=[her_case.pk])).text
    assert "he sent threatening messages" in page
    assert "MARAC referral recorded" in page
    assert "Refer Alice Example to MARAC" not in page, "the task is done"


def test_it_refuses_a_bad_incident_date_on_the_form(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    response = client_for(staffed_service.iss_worker).post(
        reverse("support:risk_incident_record", args=[her_case.pk]),
        {
            "incident-version": her_case.version,
            "incident-occurred_on": "2026-02-31",
            "incident-summary": "Synthetic",
        },
    )

    assert response.status_code == 400
    assert "Enter when it happened as a real date" in response.text
    assert not RiskIncident.objects.exists()


def test_it_refuses_a_referral_without_a_qualifying_assessment_on_the_form(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    response = client_for(staffed_service.iss_worker).post(
        reverse("support:marac_referral_record", args=[her_case.pk]),
        {
            "marac-version": her_case.version,
            "marac-referred_on": f"{timezone.localdate():%Y-%m-%d}",
        },
    )

    assert response.status_code == 400
    assert 'id="id_marac-referred_on-error"' in response.text
    assert "(rule dash)" in response.text
    assert not MaracReferral.objects.exists()


def test_it_answers_get_on_the_result_of_another_case_with_not_found(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    assessment = assess(staffed_service, her_case, yes=1)
    other = referred_case(staffed_service)

    response = client_for(staffed_service.iss_worker).get(
        reverse("support:dash_result", args=[other.pk, assessment.pk])
    )

    assert response.status_code == 404


# The API


def test_it_records_a_checklist_incident_and_referral_through_the_api(
    staffed_service: ServiceStaff, her_case: IssCase
) -> None:
    client = client_for(staffed_service.iss_worker)
    today = f"{timezone.localdate():%Y-%m-%d}"

    dash = post_json(
        client,
        reverse("v1:iss-case-dash", args=[her_case.pk]),
        {
            "version": her_case.version,
            "answers": {str(n): a for n, a in answers_with_yes(14).items()},
        },
    )
    incident_made = post_json(
        client,
        reverse("v1:iss-case-incidents", args=[her_case.pk]),
        {"version": her_case.version + 1, "occurred_on": today, "summary": "Synthetic incident"},
    )
    referral = post_json(
        client,
        reverse("v1:iss-case-marac-referrals", args=[her_case.pk]),
        {"version": her_case.version + 2, "referred_on": today},
    )

    assert dash.status_code == 201
    [assessment] = dash.json()["dash_assessments"]
    assert (assessment["yes_count"], assessment["criteria"]) == (14, ["visible-high-risk"])
    assert assessment["answers"]["1"] == "yes"
    assert incident_made.status_code == 201
    assert referral.status_code == 201
    assert referral.json()["marac_referrals"][0]["criteria"] == ["visible-high-risk"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            {"answers": {"1": "yes"}},
            {
                "answers": ["answer question 2 (Very frightened): yes, no or don't know"],
                "rule": "dash",
            },
            id="unanswered",
        ),
        pytest.param(
            {"answers": {"first": "yes"}},
            {"answers": ["'first' is not a question number"]},
            id="not-a-number",
        ),
        pytest.param(
            {
                "answers": {str(n): "no" for n in range(1, 25)},
                "professional_judgement_high": True,
            },
            {
                "professional_judgement_reasons": ["give your reasons for judging her risk high"],
                "rule": "dash",
            },
            id="judgement-without-reasons",
        ),
    ],
)
def test_it_refuses_a_bad_checklist_through_the_api_naming_the_field(
    staffed_service: ServiceStaff,
    her_case: IssCase,
    body: dict[str, object],
    expected: dict[str, object],
) -> None:
    response = post_json(
        client_for(staffed_service.iss_worker),
        reverse("v1:iss-case-dash", args=[her_case.pk]),
        {"version": her_case.version, **body},
    )

    assert response.status_code == 400
    assert response.json() == expected
    assert not DashAssessment.objects.exists()
