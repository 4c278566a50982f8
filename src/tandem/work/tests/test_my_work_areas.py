"""My work gathers what is due from every area (governance, staff, delivery and case reviews),
each item linked to the page where it is done, and only for the people responsible."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from tandem.conftest import ServiceStaff
from tandem.work.selectors import recurring_work_for_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)


def test_it_gives_the_service_manager_governance_and_case_review_items_with_their_pages(
    staffed_service: ServiceStaff,
) -> None:
    items = recurring_work_for_user(user=staffed_service.service_manager, now=NOW)

    by_rule = {item.rule_id: item for item in items}
    service_id = staffed_service.service.pk
    # Rule policies: with no policy recorded, every required policy is missing, due now.
    assert by_rule["policies"].url == reverse("governance:calendar", args=[service_id])
    assert by_rule["case-review"].url == reverse("cases:service_reviews", args=[service_id])
    assert [item.urgency for item in items] == sorted(item.urgency for item in items)


def test_it_gives_a_perpetrator_worker_no_governance_items(staffed_service: ServiceStaff) -> None:
    items = recurring_work_for_user(user=staffed_service.perpetrator_worker, now=NOW)

    assert not {"policies", "model-review", "governance-report"} & {i.rule_id for i in items}
    # What is theirs instead: their own staff requirements (no supervision or training is
    # recorded for them yet), each linked to the workforce pages.
    by_rule = {item.rule_id: item for item in items}
    assert by_rule["clinical-supervision"].title.startswith("Clinical supervision due")
    assert by_rule["clinical-supervision"].url == reverse("workforce:index")
    assert {"line-management", "mandatory-training", "cpd"} <= by_rule.keys()


def test_it_shows_the_governance_items_on_the_page_linked_to_the_calendar(
    staffed_service: ServiceStaff,
) -> None:
    client = Client()
    client.force_login(staffed_service.service_manager)

    page = client.get(reverse("work:my_work")).content.decode()

    calendar = reverse("governance:calendar", args=[staffed_service.service.pk])
    assert "Required policy missing" in page
    assert f'href="{calendar}"' in page
