"""A queue's opening hours as stored ({"0": [["08:00", "20:00"]], …}, 0 = Monday) → OpeningHours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from samvirke.core.lib.clock import END_OF_DAY
from samvirke.core.lib.hours import OpeningHours


class OpeningHoursError(ValueError):
    pass


def _time(text: Any) -> dt.time:
    try:
        hours, minutes = str(text).split(":")
        if hours == "24" and minutes == "00":
            return END_OF_DAY  # "24.00": a time of day cannot hold it
        return dt.time(int(hours), int(minutes))
    except ValueError as exc:
        raise OpeningHoursError(f"Ugyldigt klokkeslæt: {text!r} (skriv fx 08:00)") from exc


def parse_opening_hours(data: dict[str, Any]) -> OpeningHours:
    week: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for day, spans in data.items():
        if str(day) not in {str(d) for d in range(7)}:
            raise OpeningHoursError(f"Ugyldig ugedag: {day!r} (0 = mandag … 6 = søndag)")
        parsed = []
        for span in spans:
            if len(span) != 2:
                raise OpeningHoursError(f"Et tidsrum skal have start og slut: {span!r}")
            start, end = _time(span[0]), _time(span[1])
            if end <= start:
                raise OpeningHoursError(f"Sluttid før starttid: {span[0]}–{span[1]}")
            parsed.append((start, end))
        week[int(day)] = parsed
    return OpeningHours(week)
