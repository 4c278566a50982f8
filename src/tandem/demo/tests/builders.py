"""The demo tests' "today" and their load, as `tandem demo` does it."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import override_settings

from tandem.demo.service import DemoServiceSummary, demo_service_load
from tandem.demo.users import demo_users_create

LONDON = ZoneInfo("Europe/London")
# Monday 15 June 2026, late morning: the demo's "today" in these tests.
TODAY = datetime(2026, 6, 15, 11, 0, tzinfo=LONDON)


def demo_loaded(*, size: int) -> DemoServiceSummary:
    """Loads the demo with DEBUG on, as `tandem demo` does, after creating the demo sign-ins."""
    with override_settings(DEBUG=True):
        demo_users_create()
        return demo_service_load(today=TODAY, size=size)
