"""Support duration (rule iss-duration, NE 5.3.1): her support is available at least 4 months
after he leaves the intervention; closing her ISS case earlier needs the reason it ends early."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from tandem.conftest import ServiceStaff
from tandem.lib.errors import ActionRefused
from tandem.support.models import IssCase, Relationship
from tandem.support.services.iss_cases import iss_case_close
from tandem.support.services.links import survivor_link_to_case
from tandem.support.tests.builders import (
    another_case,
    client_for,
    closed,
    post_json,
    referred_case,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# He leaves on 1 December 2026 at 10:00 (GMT); 4 months later is 1 April 2027 at 10:00 (BST).
HE_LEFT = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
FOUR_MONTHS_LATER = datetime(2027, 4, 1, 10, 0, tzinfo=LONDON)


def close(
    staff: ServiceStaff, iss_case: IssCase, *, now: datetime, early_closure_reason: str = ""
) -> IssCase:
    iss_case.refresh_from_db()
    return iss_case_close(
        iss_case=iss_case,
        actor=staff.iss_worker,
        expected_version=iss_case.version,
        reason="Synthetic: she no longer wants support",
        early_closure_reason=early_closure_reason,
        now=now,
    )


def his_case_closed(staff: ServiceStaff, iss_case: IssCase, *, at: datetime) -> None:
    closed(staff, iss_case.survivor.links.get().perpetrator_case, at=at)


def test_it_closes_without_a_reason_exactly_4_months_after_he_left(
    staffed_service: ServiceStaff,
) -> None:
    her_case = referred_case(staffed_service)
    his_case_closed(staffed_service, her_case, at=HE_LEFT)

    closed_case = close(staffed_service, her_case, now=FOUR_MONTHS_LATER)

    assert closed_case.closed_at == FOUR_MONTHS_LATER
    assert closed_case.early_closure_reason == ""


def test_it_needs_a_reason_a_minute_before_4_months(staffed_service: ServiceStaff) -> None:
    her_case = referred_case(staffed_service)
    his_case_closed(staffed_service, her_case, at=HE_LEFT)

    with pytest.raises(ActionRefused) as refused:
        close(staffed_service, her_case, now=FOUR_MONTHS_LATER - timedelta(minutes=1))

    assert (refused.value.rule_id, refused.value.field) == ("iss-duration", "early_closure_reason")
    assert "support continues until 01 Apr 2027 10:00" in refused.value.message
    assert IssCase.objects.get(pk=her_case.pk).closed_at is None


def test_it_closes_early_with_the_reason_recorded(staffed_service: ServiceStaff) -> None:
    her_case = referred_case(staffed_service)
    his_case_closed(staffed_service, her_case, at=HE_LEFT)

    closed_case = close(
        staffed_service,
        her_case,
        now=HE_LEFT + relativedelta(months=1),
        early_closure_reason="Synthetic: she has moved abroad and asked us to stop",
    )

    assert closed_case.closed_at is not None
    assert closed_case.early_closure_reason.startswith("Synthetic: she has moved abroad")


def test_it_needs_a_reason_while_his_case_is_open(staffed_service: ServiceStaff) -> None:
    her_case = referred_case(staffed_service)
    reference = her_case.survivor.links.get().perpetrator_case.reference

    with pytest.raises(ActionRefused) as refused:
        close(staffed_service, her_case, now=FOUR_MONTHS_LATER + relativedelta(years=1))

    assert refused.value.message.startswith(f"case {reference} is still open")
    assert refused.value.rule_id == "iss-duration"


def test_it_counts_from_the_last_of_her_perpetrators_to_leave(
    staffed_service: ServiceStaff,
) -> None:
    her_case = referred_case(staffed_service)
    his_case_closed(staffed_service, her_case, at=HE_LEFT)
    second = another_case(staffed_service)
    survivor_link_to_case(
        survivor=her_case.survivor,
        perpetrator_case=second,
        relationship=Relationship.EX_PARTNER,
        actor=staffed_service.iss_worker,
    )
    closed(staffed_service, second, at=HE_LEFT + relativedelta(months=2))

    with pytest.raises(ActionRefused):
        close(staffed_service, her_case, now=FOUR_MONTHS_LATER)
    later = close(staffed_service, her_case, now=FOUR_MONTHS_LATER + relativedelta(months=2))

    assert later.early_closure_reason == ""


def test_it_refuses_a_blank_reason_and_a_second_closure(staffed_service: ServiceStaff) -> None:
    her_case = referred_case(staffed_service)
    his_case_closed(staffed_service, her_case, at=HE_LEFT)

    with pytest.raises(ActionRefused) as blank:
        iss_case_close(
            iss_case=her_case,
            actor=staffed_service.iss_worker,
            expected_version=her_case.version,
            reason=" ",
            now=FOUR_MONTHS_LATER,
        )
    close(staffed_service, her_case, now=FOUR_MONTHS_LATER)
    with pytest.raises(ActionRefused) as again:
        close(staffed_service, her_case, now=FOUR_MONTHS_LATER)

    assert blank.value.field == "reason"
    assert again.value.message == "her ISS case is already closed"


def close_url(iss_case: IssCase) -> str:
    return reverse("support:iss_case_close", args=[iss_case.pk])


def test_it_refuses_an_early_closure_without_a_reason_on_the_page(
    staffed_service: ServiceStaff,
) -> None:
    her_case = referred_case(staffed_service)
    client = client_for(staffed_service.iss_worker)
    page = client.get(reverse("support:iss_case_detail", args=[her_case.pk])).text

    response = client.post(
        close_url(her_case), {"close-version": her_case.version, "close-reason": "Synthetic"}
    )

    assert "Support continues while his case is open" in page
    assert response.status_code == 400
    assert 'id="id_close-early_closure_reason-error"' in response.text
    assert "(rule iss-duration)" in response.text
    assert IssCase.objects.get(pk=her_case.pk).closed_at is None


def test_it_closes_early_from_the_page_with_a_reason(staffed_service: ServiceStaff) -> None:
    her_case = referred_case(staffed_service)
    client = client_for(staffed_service.iss_worker)

    response = client.post(
        close_url(her_case),
        {
            "close-version": her_case.version,
            "close-reason": "Synthetic: support ended",
            "close-early_closure_reason": "Synthetic: she asked us to stop",
        },
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Her ISS case is closed" in page
    assert "Why support ended early" in page
    assert 'action="' + close_url(her_case) + '"' not in page


def test_it_closes_through_the_api_naming_the_field_and_rule_when_refused(
    staffed_service: ServiceStaff,
) -> None:
    her_case = referred_case(staffed_service)
    client = client_for(staffed_service.iss_worker)
    url = reverse("v1:iss-case-close", args=[her_case.pk])

    refused = post_json(client, url, {"version": her_case.version, "reason": "Synthetic"})
    done = post_json(
        client,
        url,
        {
            "version": her_case.version,
            "reason": "Synthetic",
            "early_closure_reason": "Synthetic: she asked us to stop",
        },
    )

    assert refused.status_code == 400
    assert refused.json()["rule"] == "iss-duration"
    assert list(refused.json()) == ["early_closure_reason", "rule"]
    assert done.status_code == 200
    assert done.json()["early_closure_reason"] == "Synthetic: she asked us to stop"
