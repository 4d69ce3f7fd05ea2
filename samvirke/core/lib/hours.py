"""Is the hotline open now? Weekly opening hours with Danish public holidays closed.

The closed-day rule lives here, once: the Danish public holidays (the `holidays` package's calendar for
Denmark, Danish names) plus Juleaften (24 December), Nytårsaftensdag (31 December) and Grundlovsdag (5 June),
which are not public holidays but on which public offices close. It is built once per year and cached.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import holidays

from samvirke.core.lib.clock import END_OF_DAY, minutes_of_day
from samvirke.core.lib.formatting import WEEKDAYS_DA, date_da


@dataclass(frozen=True)
class OpeningHours:
    """Per weekday (0 = Monday) a list of (open, close) times. Default: 60 hours a week, Mon–Fri 8–20."""

    week: dict[int, list[tuple[dt.time, dt.time]]]

    @classmethod
    def hotline_default(cls) -> OpeningHours:
        day = [(dt.time(8, 0), dt.time(20, 0))]
        return cls({weekday: list(day) for weekday in range(5)})

    def hours_per_week(self) -> float:
        spans = [span for day in self.week.values() for span in day]
        return sum(minutes_of_day(end) - minutes_of_day(start) for start, end in spans) / 60


def within(start: dt.time, end: dt.time, now: dt.time) -> bool:
    """`now` in the span [start, end); an end of `END_OF_DAY` ("24.00") runs to midnight, so the day's last second
    (23:59:59–24:00) is inside it too: a queue open all day has no closed second at midnight."""
    return start <= now and (now < end or end == END_OF_DAY)


def clock_da(moment: dt.time) -> str:
    """A time of day the Danish way, "08.00"; `END_OF_DAY` is "24.00"."""
    return "24.00" if moment == END_OF_DAY else f"{moment:%H.%M}"


# Not public holidays, but public offices close (month, day) → name. They win over a public holiday falling on
# the same date (Whit Monday was 5 June in 2017): the UI then says "Grundlovsdag".
EXTRA_CLOSED_DAYS: Mapping[tuple[int, int], str] = MappingProxyType(
    {(12, 24): "Juleaften", (12, 31): "Nytårsaftensdag", (6, 5): "Grundlovsdag"}
)


@functools.cache
def closed_day_names(year: int) -> Mapping[dt.date, str]:
    """The days of `year` on which public offices close → their Danish name (read-only; built once per year)."""
    names = {day: str(name) for day, name in holidays.Denmark(years=year, language="da").items()}
    names.update({dt.date(year, month, day): name for (month, day), name in EXTRA_CLOSED_DAYS.items()})
    return MappingProxyType(dict(sorted(names.items())))


@functools.cache
def closed_days(year: int) -> frozenset[dt.date]:
    """The days of `year` on which public offices close: Danish public holidays plus 24 Dec, 31 Dec, 5 June."""
    return frozenset(closed_day_names(year))


def is_closed_day(day: dt.date) -> bool:
    """A Danish public holiday, or 24 December, 31 December or 5 June."""
    return day in closed_days(day.year)


def closed_day_name(day: dt.date) -> str | None:
    """The Danish name of the closed day `day` ("Juledag", "Grundlovsdag" …), or None on an ordinary day."""
    return closed_day_names(day.year).get(day)


def is_open(hours: OpeningHours, moment: dt.datetime) -> bool:
    """`moment` must be local time (Europe/Copenhagen)."""
    if closed_day_name(moment.date()):
        return False
    now = moment.time()
    return any(within(start, end, now) for start, end in hours.week.get(moment.weekday(), []))


def next_opening(hours: OpeningHours, moment: dt.datetime) -> dt.datetime | None:
    """The next moment the hotline opens (today or within two weeks), or None."""
    for offset in range(15):
        day = moment.date() + dt.timedelta(days=offset)
        if closed_day_name(day):
            continue
        for start, _end in sorted(hours.week.get(day.weekday(), [])):
            candidate = dt.datetime.combine(day, start, tzinfo=moment.tzinfo)
            if candidate > moment:
                return candidate
    return None


def when_da(moment: dt.datetime, at: dt.datetime, with_date: bool = False) -> str:
    """When `at` is, seen from `moment`, for a Danish sentence: "i dag kl. 08.00", "i morgen kl. 08.00",
    "mandag kl. 08.00" within the week, otherwise (or `with_date`) "mandag 4. januar kl. 08.00"."""
    days = (at.date() - moment.date()).days
    clock = f"kl. {at:%H.%M}"
    if days == 0:
        return f"i dag {clock}"
    if days == 1:
        return f"i morgen ({date_da(at.date())}) {clock}" if with_date else f"i morgen {clock}"
    if days < 7 and not with_date:
        return f"{WEEKDAYS_DA[at.weekday()]} {clock}"
    return f"{date_da(at.date())} {clock}"


def describe(hours: OpeningHours, moment: dt.datetime, name: str = "Hotlinen") -> str:
    """A Danish sentence: open now, or when it opens next (and why it is closed on a holiday). `name`: what is
    open, as the sentence's subject ("Hotlinen", "Sundhedsapps-linjen")."""
    if is_open(hours, moment):
        closing = next(end for start, end in hours.week[moment.weekday()] if within(start, end, moment.time()))
        return f"{name} har åbent nu, indtil kl. {clock_da(closing)}."
    holiday = closed_day_name(moment.date())
    reason = f" i dag ({holiday})" if holiday else " nu"
    following = next_opening(hours, moment)
    if following is None:
        return f"{name} har lukket{reason}."
    return f"{name} har lukket{reason}. Den åbner {when_da(moment, following)}."


def week_da(hours: OpeningHours) -> str:
    """The week's hours in Danish, days with the same hours joined: "mandag–fredag kl. 08.00–20.00"."""
    groups: list[tuple[int, int, str]] = []  # first day, last day, "kl. 08.00–20.00"
    for day in range(7):
        spans = hours.week.get(day) or []
        if not spans:
            continue
        text = "kl. " + " og ".join(f"{clock_da(start)}–{clock_da(end)}" for start, end in spans)
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == text:
            groups[-1] = (groups[-1][0], day, text)
        else:
            groups.append((day, day, text))
    if not groups:
        return "lukket hele ugen"
    return ", ".join(f"{_day_span(first, last)} {text}" for first, last, text in groups)


def _day_span(first: int, last: int) -> str:
    if first == last:
        return WEEKDAYS_DA[first]
    return f"{WEEKDAYS_DA[first]}{' og ' if last == first + 1 else '–'}{WEEKDAYS_DA[last]}"


_LIST_STARTS = frozenset({"alle", "hverdage", "hverdag", "dagligt", "weekender", "weekend"})


def inside_sentence(text: str) -> str:
    """Opening hours typed as a list ("Mandag–onsdag 10–15, …") for the middle of a sentence ("har åbent
    mandag–onsdag 10–15, …"): a leading weekday loses its capital, as Danish writes weekdays in lower case."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    head = first.rstrip(",.–-").split("–")[0].split("-")[0].lower()
    weekday_like = head in WEEKDAYS_DA or head in {day[:3] for day in WEEKDAYS_DA} or head in _LIST_STARTS
    if weekday_like and first[:1].isupper():
        return text[:1].lower() + text[1:]
    return text
