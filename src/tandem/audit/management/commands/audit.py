"""`tandem audit verify`: walk the audit trail's hash chain and name the first broken event."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.audit.chain import VERIFY_BATCH_SIZE, chain_verify
from tandem.audit.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = "Check that no audit event was changed or deleted since it was recorded."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser(
            "verify", help="Walk the hash chain; exit 1 naming the first broken event"
        )
        verify.add_argument(
            "--batch-size",
            type=int,
            default=VERIFY_BATCH_SIZE,
            help=f"Events read at a time (default {VERIFY_BATCH_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        report = chain_verify(
            event_model=AuditEvent, head_model=AuditChainHead, batch_size=options["batch_size"]
        )
        if report.broken is not None:
            raise CommandError(
                f"The audit trail is broken at {report.broken} "
                f"({report.verified} event(s) before it verified).",
                returncode=1,
            )
        self.stdout.write(f"The audit trail verified: {report.verified} event(s), chain intact.")
