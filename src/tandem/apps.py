from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created

from tandem.lib.files import sqlite_database_secured, sqlite_file_of


def secure_sqlite_file(sender: object, connection: Any, **kwargs: Any) -> None:
    """Each SQLite connection as it opens, before anything is written through it: its file (made
    empty by SQLite a moment ago, if it is new) readable by its owner only. SQLite then gives its
    journal and WAL files the database's own mode."""
    if connection.vendor == "sqlite":
        path = sqlite_file_of(connection.settings_dict["NAME"])
        if path is not None:
            sqlite_database_secured(path)


class TandemConfig(AppConfig):
    name = "tandem"

    def ready(self) -> None:
        connection_created.connect(secure_sqlite_file, dispatch_uid="tandem-secure-sqlite-file")
