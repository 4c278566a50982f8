"""`tandem standards load [PATH]` and `tandem standards export [--framework ID]`."""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.standards.data_files import DATA_DIR
from tandem.standards.models import Framework
from tandem.standards.selectors import library_export
from tandem.standards.services import library_load


class Command(BaseCommand):
    help = "Load the standards library from its data files, or export it as JSON."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="Load (or refresh) every framework and mapping file")
        load.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="A folder of framework files with a mappings/ folder (default: the packaged data)",
        )
        export = actions.add_parser("export", help="Print the library as JSON to stdout")
        export.add_argument("--framework", help="Only this framework id, e.g. respect-2022")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self._load(options["data_dir"])
        else:
            self._export(options["framework"])

    def _load(self, data_dir: Path) -> None:
        if not data_dir.is_dir():
            raise CommandError(f"{data_dir} is not a folder")
        report = library_load(data_dir=data_dir)
        for outcome in report.loaded:
            self.stdout.write(f"{outcome.file}: {outcome.summary}")
        for error in report.errors:
            self.stderr.write(f"not loaded: {error}")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} data file(s) not loaded; nothing was loaded from them"
            )

    def _export(self, framework_slug: str | None) -> None:
        frameworks = Framework.objects.all()
        if framework_slug:
            frameworks = frameworks.filter(slug=framework_slug)
            if not frameworks.exists():
                known = ", ".join(Framework.objects.values_list("slug", flat=True).distinct())
                raise CommandError(
                    f"no framework '{framework_slug}' in the library (known: {known})"
                )
        document = library_export(frameworks=frameworks)
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
