"""The `tandem` console script: Django's management commands under Tandem's settings.

tandem migrate
tandem runserver
tandem standards load | export [--framework ID]
tandem demo
tandem audit verify
tandem backup PATH | restore PATH
tandem retention run [--dry-run]
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tandem", *sys.argv[1:]])
