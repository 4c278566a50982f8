"""`tandem restore PATH`: a backup made by `tandem backup`, into an empty instance."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.dataprotection.backup import BackupRefused, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `tandem backup` into this instance's database and uploads "
        "folder, which must be empty (a new database). Needs the TANDEM_BACKUP_KEY it was "
        "written with, and afterwards the same TANDEM_FIELD_KEYS and TANDEM_BLIND_INDEX_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive to restore")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["path"]
        try:
            summary = backup_restore(
                source=source,
                keys=settings.TANDEM_BACKUP_KEYS,
                connection=connection,
                media_root=Path(settings.MEDIA_ROOT),
            )
        except BackupRefused as refusal:
            raise CommandError(f"Nothing restored: {refusal}.") from refusal
        audit_event_record(
            actor=None,
            action=AuditEvent.Action.CREATED,
            target=None,
            summary=f"restored from {source}, a backup made at {summary.made_at}",
        )
        self.stdout.write(
            f"Restored the backup made at {summary.made_at}: {summary.tables} tables, "
            f"{summary.rows:,} rows, {summary.uploads} uploaded document(s). Run `tandem "
            "migrate` if this version of Tandem is newer than the backup's."
        )
