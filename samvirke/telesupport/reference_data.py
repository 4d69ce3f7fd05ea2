"""The telemedicine line: a contact-centre queue of its own, with its own skill and opening hours, set up like the
health-app line (contact/reference_data.py), so calls reach it through the existing telephony API: a region's
LineNumber with the line "telemedicine" sends the call to this queue.

Opening hours: weekdays 8–16, the assumption telecare/lib/support_staffing.py sizes the line with (seed 003 states
no opening hours for support; docs/models/telecare.md). The line is not one of directory's Line choices (the
hotline's lines); routing reads the line as text, so a queue and a number with "telemedicine" route as any other.

Used by the data migration and by seed-demo and the tests (a flushed test database has lost what migrations
loaded)."""

from __future__ import annotations

from typing import Any

TELEMEDICINE_LINE = "telemedicine"
TELEMEDICINE_SKILL = "telemedicine_support"
WEEKDAYS_8_TO_16 = {str(day): [["08:00", "16:00"]] for day in range(5)}


def ensure_telemedicine_queue(skill_model: Any, queue_model: Any) -> Any:
    skill, _ = skill_model.objects.get_or_create(
        slug=TELEMEDICINE_SKILL, defaults={"name": "Telemedicinsk support (KOL-udstyr)"}
    )
    queue, _ = queue_model.objects.get_or_create(
        line=TELEMEDICINE_LINE,
        defaults={
            "slug": "telemedicin",
            "name": "Telemedicinsk supportlinje",
            "priority": 3,
            "skill": skill,
            "opening_hours": WEEKDAYS_8_TO_16,
            "closed_message": ("Telemedicinsk support har lukket. Åbent hverdage kl. 8–16. Er det akut, så ring 112."),
        },
    )
    return queue
