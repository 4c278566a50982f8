"""`tandem demo`'s synthetic service: 18 months of history built through the real services."""

from datetime import timedelta
from functools import partial
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.test import override_settings

from tandem.cases.models import (
    CaseReviewMeeting,
    Child,
    ClosureReason,
    PerpetratorCase,
    Stage,
)
from tandem.demo.management.commands import demo as demo_command
from tandem.demo.plans import MIN_SIZE
from tandem.demo.service import FULL_SIZE, demo_service_load
from tandem.demo.tests.builders import TODAY, demo_loaded
from tandem.demo.users import DemoRefused
from tandem.organisations.models import Service
from tandem.support.models import Survivor

pytestmark = pytest.mark.django_db


# 30 s: the counts come from the generator, not the engine; the smaller loads run on both.
@pytest.mark.sqlite_pass_only
def test_it_loads_150_cases_at_every_stage_200_survivors_and_children_over_18_months() -> None:
    summary = demo_loaded(size=FULL_SIZE)

    cases = PerpetratorCase.objects.all()
    assert cases.count() >= 150
    assert all(summary.cases_by_stage[stage.label] > 0 for stage in Stage), summary
    closure_reasons = set(cases.exclude(closure_reason="").values_list("closure_reason", flat=True))
    assert {ClosureReason.NOT_ACCEPTED, ClosureReason.COMPLETED, ClosureReason.DESELECTED} <= (
        closure_reasons
    )
    assert len(closure_reasons) >= 6
    assert summary.survivors == Survivor.objects.count() >= 200
    cases_with_children = cases.filter(children__isnull=False).distinct().count()
    assert Child.objects.count() == summary.children
    assert cases_with_children >= 0.4 * cases.count()
    span = cases.aggregate(first=Min("referral_received_at"), last=Max("referral_received_at"))
    assert TODAY - timedelta(days=548) <= span["first"] <= TODAY - timedelta(days=500)
    assert span["last"] <= TODAY
    assert PerpetratorCase.objects.annotate(links=Count("survivor_links")).filter(links__gte=2)
    assert CaseReviewMeeting.objects.count() >= 16, "monthly over the 18 months"


@override_settings(DEBUG=False)
def test_it_refuses_the_demo_service_without_debug() -> None:
    with pytest.raises(DemoRefused, match="only with DEBUG=true"):
        demo_service_load(today=TODAY, size=MIN_SIZE)
    assert not Service.objects.exists()
    assert not User.objects.filter(username__startswith="example-").exists()


@override_settings(DEBUG=True)
def test_it_prints_what_it_loaded_and_says_when_it_is_already_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        demo_command, "demo_service_load", partial(demo_service_load, size=MIN_SIZE)
    )
    first, second = StringIO(), StringIO()
    call_command("demo", stdout=first)
    call_command("demo", stdout=second)

    assert f"perpetrator cases: {MIN_SIZE} (referred " in first.getvalue()
    assert "survivors: " in first.getvalue()
    assert "of which overdue: " in first.getvalue()
    assert "already loaded: nothing added" in second.getvalue()
    assert PerpetratorCase.objects.count() == MIN_SIZE
