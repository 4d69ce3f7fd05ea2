"""samvirke load-guides — load the shipped topics, guides, examples, variants and service info (idempotent)."""

from __future__ import annotations

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
