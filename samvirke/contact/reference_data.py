"""The fællesskab's two lines as queues: the members' hotline (the default) and the region's health-app line,
which needs agents trained in health apps and overflows to everyone after two minutes.

Used by the data migration and by seed-demo (a flushed test database has lost what migrations loaded)."""

from __future__ import annotations

from typing import Any

WEEKDAYS_8_TO_20 = {str(day): [["08:00", "20:00"]] for day in range(5)}
WEEKDAYS_9_TO_15 = {str(day): [["09:00", "15:00"]] for day in range(5)}


def ensure_queues(skill_model: Any, queue_model: Any) -> None:
    health, _ = skill_model.objects.get_or_create(
        slug="health_apps", defaults={"name": "Sundhedsapps (MinSP, Min Læge)"}
    )
    queue_model.objects.get_or_create(
        line="citizen_service",
        defaults={
            "slug": "hotline",
            "name": "Borgerservice-hotline",
            "priority": 1,
            "is_default": True,
            "opening_hours": WEEKDAYS_8_TO_20,
        },
    )
    queue_model.objects.get_or_create(
        line="health_apps",
        defaults={
            "slug": "sundhedsapps",
            "name": "Sundhedsapps-linje",
            "priority": 2,
            "skill": health,
            "overflow_after_seconds": 120,
            "opening_hours": WEEKDAYS_9_TO_15,
        },
    )
