"""Crisis mode's pure rules: the hours a crisis keeps the lines open and the texts it gives (seed 002 l.86–104)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

# How a crisis extends the opening hours (on top of each queue's own): every day, public holidays included.
HOURS_NONE = "none"
HOURS_EXTENDED = "extended"
HOURS_AROUND_THE_CLOCK = "around_the_clock"
EXTENDED_FROM = dt.time(7, 0)
EXTENDED_TO = dt.time(22, 0)
HOURS_CHOICES = (
    (HOURS_NONE, "Normale åbningstider"),
    (HOURS_EXTENDED, "Udvidet: alle dage kl. 7–22, også helligdage"),
    (HOURS_AROUND_THE_CLOCK, "Døgnåbent"),
)


def crisis_keeps_open(hours: str, local_moment: dt.datetime) -> bool:
    """Whether a crisis with this extension keeps a line open at `local_moment` (local time), whatever the queue's
    own hours say."""
    if hours == HOURS_AROUND_THE_CLOCK:
        return True
    if hours == HOURS_EXTENDED:
        return EXTENDED_FROM <= local_moment.time() < EXTENDED_TO
    return False


def ivr_message(title: str, text: str, drill: bool) -> str:
    """What the telephone menu reads to a caller while the crisis lasts."""
    spoken = f"{title.strip().rstrip('.')}. {text.strip()}"
    return f"Dette er en øvelse. {spoken}" if drill else spoken


def reroute_sentence(mode: str, stricken: str | None, targets: Iterable[str]) -> str:
    """The Danish line that says where a stricken member's calls go (the banner and the log)."""
    if stricken is None or mode == "none":
        return ""
    if mode == "members":
        names = sorted(targets)
        listed = ", ".join(names[:-1]) + f" og {names[-1]}" if len(names) > 1 else "".join(names)
        return f"Opkald til {stricken}s numre besvares af medarbejdere fra {listed}."
    return f"Opkald til {stricken}s numre besvares af fællesskabets øvrige medarbejdere."
