"""samvirke consent-reminders — the data processing agreements whose yearly audit statement is overdue or due soon
(run daily by cron, as retention-cleanup is). Prints one line per agreement; exit code 0 (nothing written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samvirke.consent.selectors import audit_statements_due


class Command(BaseCommand):
    help = "Viser databehandleraftaler, hvis årlige revisionserklæring er overskredet eller snart skal modtages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="Hvor mange dage frem (standard 30)")
        parser.add_argument("--today", help="Dagen der regnes fra, ÅÅÅÅ-MM-DD (standard i dag)")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 0 or days > 366:
            raise CommandError("--days skal være mellem 0 og 366.")
        try:
            today = dt.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ugyldig dato: {options['today']!r} (brug ÅÅÅÅ-MM-DD).") from None
        due = audit_statements_due(today, days)
        if not due:
            self.stdout.write(f"Ingen revisionserklæringer forfalder inden for {days} dage.")
            return
        for agreement, left in due:
            when = f"OVERSKREDET med {-left} dage" if left < 0 else f"forfalder om {left} dage"
            assert agreement.audit_statement_due is not None
            self.stdout.write(
                f"{agreement.operator.name} – {agreement.controller_name}: revisionserklæring "
                f"{agreement.audit_statement_due:%d.%m.%Y}, {when}."
            )
