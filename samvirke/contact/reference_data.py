"""The fællesskab's two lines as queues: the members' hotline (the default) and the region's health-app line,
which needs agents trained in health apps and overflows to everyone after two minutes. Both are open 60 hours a
week, Monday–Friday 8–20 (the health-app line: seed 001, "60 timer ugentligt telefonisk vejledning").

Used by the data migration and by seed-demo (a flushed test database has lost what migrations loaded)."""

from __future__ import annotations

from typing import Any

WEEKDAYS_8_TO_20 = {str(day): [["08:00", "20:00"]] for day in range(5)}
# The health-app line's hours before issue 14 (30 h a week); the contact migration 0008 moves a queue that still
# has them to 60 h.
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
            "opening_hours": WEEKDAYS_8_TO_20,
        },
    )


# The canned replies a new contact centre starts with (the secretariat edits them in the admin).
CANNED_REPLIES = [
    ("Velkommen", "Hej, du chatter med hotlinen for {kommune}. Hvad kan jeg hjælpe dig med?"),
    ("Et øjeblik", "Et øjeblik, så undersøger jeg det for dig."),
    ("Ikke CPR-nummer", "Skriv ikke dit CPR-nummer her i chatten. Jeg kan hjælpe dig uden det."),
    ("Vejledning", "Her er en vejledning, der viser det trin for trin: "),
    ("Din kommune", "Det skal {kommune} selv hjælpe dig med. Jeg giver dig deres kontaktoplysninger."),
    ("Afslutning", "Er der andet, jeg kan hjælpe med? Ellers tak for din henvendelse, og hav en god dag."),
]


def ensure_canned_replies(canned_reply_model: Any) -> None:
    """The starting set, once: replies the secretariat has edited or deleted are left as they are."""
    if canned_reply_model.objects.exists():
        return
    canned_reply_model.objects.bulk_create(
        canned_reply_model(title=title, text=text, position=position)
        for position, (title, text) in enumerate(CANNED_REPLIES, start=1)
    )
