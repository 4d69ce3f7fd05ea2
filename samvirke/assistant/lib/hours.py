"""Is the hotline open now? Weekly opening hours with Danish public holidays closed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays

WEEKDAYS_DA = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]


@dataclass(frozen=True)
class OpeningHours:
    """Per weekday (0 = Monday) a list of (open, close) times. Default: 60 hours a week, Mon–Fri 8–20."""

    week: dict[int, list[tuple[dt.time, dt.time]]]

    @classmethod
    def hotline_default(cls) -> OpeningHours:
        day = [(dt.time(8, 0), dt.time(20, 0))]
        return cls({weekday: list(day) for weekday in range(5)})

    def hours_per_week(self) -> float:
        minutes = 0
        for spans in self.week.values():
            for start, end in spans:
                minutes += (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        return minutes / 60


def _holiday_name(day: dt.date) -> str | None:
    # Christmas Eve, New Year's Eve and Constitution Day are not public holidays, but public offices close.
    extra = {(12, 24): "Juleaften", (12, 31): "Nytårsaftensdag", (6, 5): "Grundlovsdag"}
    if (day.month, day.day) in extra:
        return extra[(day.month, day.day)]
    name = holidays.Denmark(years=day.year, language="da").get(day)
    return str(name) if name else None


def is_open(hours: OpeningHours, moment: dt.datetime) -> bool:
    """`moment` must be local time (Europe/Copenhagen)."""
    if _holiday_name(moment.date()):
        return False
    now = moment.time()
    return any(start <= now < end for start, end in hours.week.get(moment.weekday(), []))


def next_opening(hours: OpeningHours, moment: dt.datetime) -> dt.datetime | None:
    """The next moment the hotline opens (today or within two weeks), or None."""
    for offset in range(15):
        day = moment.date() + dt.timedelta(days=offset)
        if _holiday_name(day):
            continue
        for start, _end in sorted(hours.week.get(day.weekday(), [])):
            candidate = dt.datetime.combine(day, start, tzinfo=moment.tzinfo)
            if candidate > moment:
                return candidate
    return None


def describe(hours: OpeningHours, moment: dt.datetime) -> str:
    """A Danish sentence: open now, or when it opens next (and why it is closed on a holiday)."""
    if is_open(hours, moment):
        closing = next(end for start, end in hours.week[moment.weekday()] if start <= moment.time() < end)
        return f"Hotlinen har åbent nu, indtil kl. {closing:%H.%M}."
    holiday = _holiday_name(moment.date())
    reason = f" i dag ({holiday})" if holiday else " nu"
    following = next_opening(hours, moment)
    if following is None:
        return f"Hotlinen har lukket{reason}."
    when = "i dag" if following.date() == moment.date() else WEEKDAYS_DA[following.weekday()]
    return f"Hotlinen har lukket{reason}. Den åbner {when} kl. {following:%H.%M}."
