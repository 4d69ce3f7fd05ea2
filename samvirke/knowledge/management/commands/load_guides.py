"""samvirke load-guides — load the shipped topics, guides, examples, variants and service info (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samvirke.knowledge.actions import do_load_knowledge
from samvirke.knowledge.signals import catch_up_after_loading


class Command(BaseCommand):
    help = "Indlæser de fælles guides, eksempelspørgsmål og kommunale varianter. Overskriver aldrig ændrede guides."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = do_load_knowledge(None)
        self.stdout.write(
            f"Vidensbase: {counts['topics']} nye emner, {counts['guides']} nye guides, {counts['examples']} nye "
            f"eksempelspørgsmål, {counts['variants']} nye varianter, {counts['service_info']} nye borgerservice-opslag."
        )
        # The assistant learns the loaded guides here and now (a web request never trains; without this, the
        # background worker would): it listens to knowledge_loaded (samvirke/assistant/apps.py).
        for line in catch_up_after_loading("loaded"):
            self.stdout.write(line)
