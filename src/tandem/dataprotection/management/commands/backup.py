"""`tandem backup PATH`: the database and uploaded documents in one encrypted archive."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.dataprotection.backup import BackupRefused, backup_write


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database (pg_dump on PostgreSQL, SQLite's backup API "
        "otherwise) and every uploaded document to PATH, encrypted with TANDEM_BACKUP_KEY. The "
        "field keys are not in it: keep them, and the backup key, apart from the backups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive to write (a new file)")

    def handle(self, *args: Any, **options: Any) -> None:
        destination: Path = options["path"]
        try:
            summary = backup_write(
                destination=destination,
                keys=settings.TANDEM_BACKUP_KEYS,
                connection=connection,
                media_root=Path(settings.MEDIA_ROOT),
                now=timezone.now(),
            )
        except BackupRefused as refusal:
            raise CommandError(f"No backup written: {refusal}.") from refusal
        audit_event_record(
            actor=None,
            action=AuditEvent.Action.EXPORTED,
            target=None,
            summary=f"backup of the {summary.engine} database and {summary.uploads} uploaded "
            f"document(s) written to {destination}",
        )
        self.stdout.write(
            f"Backed up the {summary.engine} database and {summary.uploads} uploaded document(s) "
            f"to {destination} ({summary.size:,} bytes, encrypted)."
        )
