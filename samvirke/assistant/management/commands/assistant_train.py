"""samvirke assistant-train — train the citizen assistant now, or queue it for the background worker."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.assistant import service
from samvirke.assistant.tasks import retrain_assistant


class Command(BaseCommand):
    help = (
        "Træner borgerassistenten på vidensbasen, som den er nu, og gemmer modellen, så alle web-workere tager "
        "den i brug ved næste spørgsmål. Intet trænes, hvis den nyeste model allerede kender vidensbasen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background", action="store_true", help="Læg træningen i kø til baggrundsworkeren (samvirke db_worker)"
        )
        parser.add_argument(
            "--from-scratch", action="store_true", help="Træn forfra, uden at starte fra den forrige model"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            result = retrain_assistant.enqueue(reason="command", from_scratch=options["from_scratch"])
            self.stdout.write(f"Træningen står i kø ({result.id}); baggrundsworkeren tager den.")
            return
        started = time.perf_counter()
        built = service.build_engine("command", from_scratch=options["from_scratch"])
        if built.build is None:
            raise CommandError("Vidensbasen er tom. Kør først: samvirke load-guides (eller samvirke seed-demo).")
        if not built.stored:
            self.stdout.write(f"Den nyeste model (nr. {built.build.pk}) kender allerede vidensbasen; intet trænet.")
            return
        self.stdout.write(
            f"Model nr. {built.build.pk} er trænet og gemt på {time.perf_counter() - started:.1f} s "
            f"({built.build.size_bytes / 1e6:.1f} MB)."
        )
