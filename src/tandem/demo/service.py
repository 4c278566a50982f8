"""The demo service: 18 months of a synthetic perpetrator service and its ISS, told story by
story in order by `demo_service_load`.

Every record is made through the real services with `now=` set in the past, so stages, transitions,
due tasks and their completion read like real history, breaches included: a few ISS referrals made
after 24 hours, first contacts later than 5 working days, contact notes recorded more than 1 working
day late, tasks overdue today, and a case management review, a case-file audit and the weekly risk
and engagement exchange overdue. Everyone in it is invented.

The stories, in the order they are told:
- `organisation`: the organisation, the service and its staff; `workforce`: their worker records
  and criminal record checks, before anyone is allocated work.
- `plans`: every case's fate and people (`people`), with the breaches forced onto a few.
- `timeline`: each case's story as dated steps (`story`), drawn from its lifecycle (`referrals`,
  with the ISS's contact in `iss`) and the records kept along the way (`notes`, `risk`), then
  replayed in time order.
- `reviews`: the service's case reviews, file audits and weekly exchanges, from the dates the
  stories recorded.
- `delivery`: a group programme with sessions and attendance; `governance`: the service's
  policies, agreements and governance records.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tandem.cases.models import Child, PerpetratorCase, Stage
from tandem.compliance.models import DueTask
from tandem.demo.dates import local_date
from tandem.demo.delivery import demo_delivery
from tandem.demo.governance import demo_governance
from tandem.demo.organisation import JURISDICTION, ORGANISATION_NAME, SERVICE_NAME, staff_create
from tandem.demo.plans import case_plans
from tandem.demo.reviews import case_reviews_record, exchanges_record, file_audits_record
from tandem.demo.timeline import scheduled_story
from tandem.demo.users import DemoRefused, demo_memberships_ensure
from tandem.demo.workforce import demo_workforce
from tandem.organisations.models import Delivery, IssProvision, Organisation, Service
from tandem.support.models import Survivor

SEED = 20_261_123
FULL_SIZE = 160
HISTORY = timedelta(days=548)


@dataclass(frozen=True)
class DemoServiceSummary:
    already_loaded: bool
    cases_by_stage: dict[str, int]
    survivors: int
    children: int
    open_tasks: int
    overdue_tasks: int


def demo_service_get() -> Service | None:
    return Service.objects.filter(organisation__name=ORGANISATION_NAME, name=SERVICE_NAME).first()


def demo_database_check() -> None:
    """Refuse a database that holds any service besides the demo's: the demo accounts' password
    is published, and through them the demo administrator could reach a real service's records."""
    others = Service.objects.exclude(organisation__name=ORGANISATION_NAME, name=SERVICE_NAME)
    names = list(others.order_by("name").values_list("name", flat=True)[:3])
    if names:
        raise DemoRefused(
            "this database holds services that are not the demo's "
            f"({', '.join(names)}{', …' if others.count() > len(names) else ''}): "
            "demo accounts share a published password, so the demo is loaded only into a "
            "database of its own"
        )


def demo_service_summary(
    *, service: Service, now: datetime, already_loaded: bool
) -> DemoServiceSummary:
    stages = Counter(
        PerpetratorCase.objects.filter(service=service).values_list("stage", flat=True)
    )
    open_tasks = DueTask.objects.filter(service=service, completed_at__isnull=True)
    return DemoServiceSummary(
        already_loaded=already_loaded,
        cases_by_stage={stage.label: stages[stage.value] for stage in Stage},
        survivors=Survivor.objects.filter(service=service).count(),
        children=Child.objects.filter(case__service=service).count(),
        open_tasks=open_tasks.count(),
        overdue_tasks=open_tasks.filter(due_at__lt=now).count(),
    )


def demo_service_load(
    *, today: datetime | None = None, size: int = FULL_SIZE
) -> DemoServiceSummary:
    """Load the demo service with `size` perpetrator cases and 18 months of history up to
    `today`, unless it is already loaded. Needs the demo sign-ins (`demo_users_create`) first;
    refused unless DEBUG is on."""
    if not settings.DEBUG:
        raise DemoRefused(
            "demo data is loaded only with DEBUG=true: demo accounts share a published password"
        )
    now = today or timezone.now()
    started_on = local_date(now - HISTORY - timedelta(days=30))
    existing = demo_service_get()
    if existing is not None:
        demo_memberships_ensure(service=existing, started_on=started_on)
        return demo_service_summary(service=existing, now=now, already_loaded=True)
    with transaction.atomic():
        organisation, _ = Organisation.objects.get_or_create(name=ORGANISATION_NAME)
        service = Service.objects.create(
            organisation=organisation,
            name=SERVICE_NAME,
            jurisdiction=JURISDICTION,
            offers_behaviour_change=True,
            offers_icm=True,
            delivery=Delivery.BOTH,
            iss_provision=IssProvision.INTERNAL,
        )
        staff = staff_create(service=service, started_on=started_on)
        # Before any allocation: a worker without a current criminal record check is refused.
        demo_workforce(service=service, now=now)
        rng = random.Random(SEED)  # noqa: S311 - synthetic demo data, reproducible by design
        plans = case_plans(size, rng, local_date(now))
        # An original referral is placed before its re-referral, which reuses its dates of birth.
        for plan in sorted(plans, key=lambda plan: plan.original is not None):
            plan.story = scheduled_story(plan, now=now, rng=rng, service=service, staff=staff)
        stories = [plan.story for plan in plans if plan.story is not None]
        for story in sorted(stories, key=lambda story: story.details.received_at):
            story.replay(until=now)
        first_referral_on = local_date(min(story.details.received_at for story in stories))
        case_reviews_record(
            service=service, staff=staff, first_referral_on=first_referral_on, now=now, rng=rng
        )
        file_audits_record(
            service=service, staff=staff, first_referral_on=first_referral_on, now=now, rng=rng
        )
        exchanges_record(
            service=service, staff=staff, first_referral_on=first_referral_on, now=now, rng=rng
        )
        demo_delivery(service=service, now=now)
        # The practice manager carries no caseload, so may be the case management lead.
        demo_governance(
            service=service,
            now=now,
            manager=staff.service_manager,
            staff=[staff.perpetrator_workers[0], staff.practice_manager],
        )
    return demo_service_summary(service=service, now=now, already_loaded=False)
