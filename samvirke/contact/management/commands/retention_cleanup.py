"""samvirke retention-cleanup — delete personal data older than its retention period (run nightly by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samvirke.contact.actions import do_apply_retention
from samvirke.contact.lib.retention import RetentionPolicy

DEFAULTS = RetentionPolicy()


class Command(BaseCommand):
    help = (
        "Sletter persondata, der er ældre end opbevaringsperioden (borgeres telefonnumre, chats, ubesvarede spørgsmål)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--caller-numbers-days", type=int, default=DEFAULTS.caller_numbers_days)
        parser.add_argument("--chats-days", type=int, default=DEFAULTS.chats_days)
        parser.add_argument("--unanswered-questions-days", type=int, default=DEFAULTS.unanswered_questions_days)
        parser.add_argument("--dry-run", action="store_true", help="Vis kun, hvad der ville blive slettet")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            policy = RetentionPolicy(
                options["caller_numbers_days"], options["chats_days"], options["unanswered_questions_days"]
            )
        except ValueError as exc:
            raise CommandError(f"Ugyldig opbevaringsperiode: {exc}") from None
        counts = do_apply_retention(timezone.now(), policy, dry_run=options["dry_run"])
        verb = "Ville slette" if options["dry_run"] else "Slettet"
        self.stdout.write(
            f"{verb}: {counts['caller_numbers']} borgernumre (> {policy.caller_numbers_days} dage), "
            f"{counts['chat_messages']} chatbeskeder og {counts['chat_transcripts']} assistentsamtaler "
            f"(> {policy.chats_days} dage), {counts['unanswered_questions']} ubesvarede spørgsmål "
            f"(> {policy.unanswered_questions_days} dage), {counts['sessions']} udløbne sessioner "
            "(med samtaler med assistenten)."
        )
