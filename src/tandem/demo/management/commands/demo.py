"""`tandem demo`: synthetic demonstration data (refused unless DEBUG is on)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.demo.organisation import ORGANISATION_NAME, SERVICE_NAME
from tandem.demo.service import DemoServiceSummary, demo_database_check, demo_service_load
from tandem.demo.users import DEMO_PASSWORD, DemoRefused, demo_users_create


class Command(BaseCommand):
    help = (
        "Create the demo sign-ins, one per role, and load the synthetic demo service with 18 "
        "months of history (only with DEBUG=true, and only into a database with no other service)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            demo_database_check()
            logins = demo_users_create()
            summary = demo_service_load()
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<28} {login.role.label}")
        self.stdout.write("")
        if summary.already_loaded:
            self.stdout.write(f"Demo service {SERVICE_NAME} is already loaded: nothing added.")
        else:
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"Demo service {SERVICE_NAME} ({ORGANISATION_NAME}) loaded in {seconds:.1f} s."
            )
        self._write_summary(summary)

    def _write_summary(self, summary: DemoServiceSummary) -> None:
        stages = ", ".join(
            f"{stage.lower()} {count}" for stage, count in summary.cases_by_stage.items()
        )
        self.stdout.write(f"  perpetrator cases: {sum(summary.cases_by_stage.values())} ({stages})")
        self.stdout.write(f"  survivors: {summary.survivors}; children: {summary.children}")
        self.stdout.write(
            f"  open tasks: {summary.open_tasks}, of which overdue: {summary.overdue_tasks}"
        )
