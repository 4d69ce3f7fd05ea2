"""samvirke load-guides — load the shipped topics, guides, examples, variants and service info (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from samvirke.knowledge.actions import do_load_knowledge


class Command(BaseCommand):
    help = "Indlæser de fælles guides, eksempelspørgsmål og kommunale varianter. Overskriver aldrig ændrede guides."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = do_load_knowledge(None)
        self.stdout.write(
            f"Vidensbase: {counts['topics']} nye emner, {counts['guides']} nye guides, {counts['examples']} nye "
            f"eksempelspørgsmål, {counts['variants']} nye varianter, {counts['service_info']} nye borgerservice-opslag."
        )
        # The assistant learns the loaded guides here and now (a web request never trains; without this, the
        # background worker would); nothing is trained when the newest model already has this knowledge.
        from samvirke.assistant.service import build_engine

        started = time.perf_counter()
        result = build_engine("loaded")
        if result.stored:
            self.stdout.write(f"Borgerassistenten er trænet på {time.perf_counter() - started:.1f} s.")
