"""Danish words for what the support pages show: a case event's kind (CaseEvent.kind stores the English key the
actions write) and a citizen card's values (a yes/no field reads "Ja"/"Nej", a date Danish)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models


class CaseEventKind(models.TextChoices):
    """Every kind of step telesupport.actions records in a case's history."""

    OPENED = "opened", "Sag oprettet"
    PRIORITY = "priority", "Prioritet ændret"
    TREE_OUTCOME = "tree_outcome", "Problemtræets resultat"
    RESOLVED = "resolved", "Løst – til opfølgning"
    FORWARDED = "forwarded", "Videresendt"
    FOLLOWED_UP = "followed_up", "Opfølgning"
    CLOSED = "closed", "Sag lukket"
    LESSON = "lesson", "Erfaring"
    SERVICE_REQUEST = "service_request", "Anmodning til Service"


EVENT_LABELS: dict[str, str] = {str(value): str(label) for value, label in CaseEventKind.choices}


def event_label(kind: str) -> str:
    """The Danish label of a case event's kind; an unknown kind (an old row) is shown as it is stored."""
    return EVENT_LABELS.get(kind, kind)


def card_value(field: str, value: Any) -> Any:
    """A citizen card's value as the page shows it: yes/no in Danish, dates as 3.3.2025, the rest unchanged."""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day}.{value.month}.{value.year}"
    return value
