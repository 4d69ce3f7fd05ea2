"""Django's flush, able to empty the append-only audit log on SQLite.

The test runner flushes the database after every transactional test. PostgreSQL empties tables with
TRUNCATE, which row triggers ignore; SQLite has no TRUNCATE and deletes row by row, which the audit log's
DELETE trigger (migration audit 0003) refuses. So on SQLite this command drops that trigger, flushes and
puts the trigger back, all in one transaction: no other connection ever sees the log without it, and if
the flush fails the trigger stays. Everything else is Django's flush unchanged.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections, transaction

# The migration that installed the trigger is the one source of its SQL.
_triggers = import_module("samvirke.audit.migrations.0003_actor_protect_and_append_only_triggers")


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                    [f"{_triggers.TABLE}_no_delete"],
                )
                had_trigger = cursor.fetchone() is not None
                if had_trigger:
                    cursor.execute(f"DROP TRIGGER {_triggers.TABLE}_no_delete")
            super().handle(**options)
            if had_trigger:
                with connection.cursor() as cursor:
                    cursor.execute(_triggers.SQLITE_NO_DELETE)
