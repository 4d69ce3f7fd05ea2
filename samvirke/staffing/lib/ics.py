"""Shifts as an iCalendar file (RFC 5545) for a calendar app to import or subscribe to.

Pure: the caller passes the events (UTC or aware start and end) and the moment of writing. The feed's name and
time zone are Samvirke's; each event is one shift. Hand-written: a dozen fixed lines, not worth a dependency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Event:
    """One event: a stable `uid` (the same shift keeps it, so a calendar app updates rather than duplicates it)."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str


def fold(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued on the next line after a space."""
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def calendar_text(name: str, events: Iterable[Event], now: dt.datetime) -> str:
    """The whole file: a published calendar called `name` holding `events`, stamped `now` (aware)."""
    stamp = _utc(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Samvirke//Vagtplan//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Europe/Copenhagen",
        # How often a subscribing calendar app should fetch the feed again (a swap shows up within the hour).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(event.end)}",
            f"SUMMARY:{escape(event.summary)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
