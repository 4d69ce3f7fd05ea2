"""The cohort planner: which municipalities start together, and on which first shift (seed 000 p. 8–9).

The rule (seed 000, "Afhængigheder til kommune rekrutteringen"): DDH must know which municipalities start at least
3 months (+1 month for the summer holiday) before their first shift, and municipalities start in groups of at most
5–7. Here:

- the notice period runs from `notified_on` (inclusive) to the first shift (exclusive); it is `notice_months`
  months, or one month longer when those months include any day of July;
- a member's earliest first shift is the later of the end of its notice period and its wished start, moved on to
  the next working day (not a weekend, not a closed day of `core.lib.hours`): a first shift is a weekday;
- the members of one cohort share the first shift; a cohort has at most `max_cohort` members; two cohorts start at
  least `gap_days` apart (the secretariat holds one start meeting and one course day per cohort);
- the plan makes the members' total wait (days between the earliest and the actual first shift) as small as it can
  be, and among such plans uses the fewest cohorts.

How: sort the members by earliest first shift. Some best plan gives each cohort a run of consecutive members in that
order (if a member with an earlier date sat in a later cohort than one with a later date, swapping the two keeps
both feasible and the total wait the same), and starts each cohort on the first day it may: the latest earliest date
of its members, or the previous cohort's date + `gap_days` if that is later (moved on to a working day). A dynamic
programme over (members placed, previous cohort's date) tries every run length up to `max_cohort` and so finds that
best plan exactly. A greedy "open a cohort as early as possible" is not enough when cohorts must keep a gap: opening
one for a member on 20 January pushes a member who may start on 21 January to the next cohort a week later, where
waiting one day for a cohort on 21 January would have cost one day in all (tests/onboarding/test_cohorts_lib.py
checks the programme against every partition of small sets).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from samvirke.core.lib.formatting import MONTHS_DA, WEEKDAYS_DA
from samvirke.core.lib.hours import closed_day_name
from samvirke.directory.lib.csvtext import read_rows

DEFAULT_MAX_COHORT = 7
DEFAULT_NOTICE_MONTHS = 3
DEFAULT_GAP_DAYS = 7
JULY = 7
COLUMNS = ("kommunekode", "notified_on", "wished_start")


@dataclass(frozen=True)
class CohortRequest:
    """One municipality's wish to join: its code (as written), the day DDH was told, and its wished start."""

    kommunekode: str
    notified_on: dt.date | None
    wished_start: dt.date | None
    line: int = 0
    problem: str = ""  # a row that could not be read (a date that is not a date) carries its Danish reason


@dataclass(frozen=True)
class PlannedMember:
    kommunekode: str
    earliest_first_shift: dt.date
    first_shift: dt.date
    why: str


@dataclass(frozen=True)
class Cohort:
    first_shift: dt.date
    members: tuple[str, ...]


@dataclass(frozen=True)
class Refusal:
    kommunekode: str
    reason: str


@dataclass(frozen=True)
class CohortPlan:
    cohorts: tuple[Cohort, ...]
    members: tuple[PlannedMember, ...]
    refused: tuple[Refusal, ...]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a day the target month lacks becomes its last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def includes_july(start: dt.date, end: dt.date) -> bool:
    """True when the days from `start` (inclusive) to `end` (exclusive) include any day of July."""
    if end <= start:
        return False
    if end.year > start.year + 1:
        return True
    for year in range(start.year, end.year + 1):
        first, last = dt.date(year, 7, 1), dt.date(year, 7, 31)
        if start <= last and first < end:
            return True
    return False


def notice_end(notified_on: dt.date, notice_months: int) -> tuple[dt.date, bool]:
    """The first day after the notice period, and whether the summer month was added."""
    end = add_months(notified_on, notice_months)
    if includes_july(notified_on, end):
        return add_months(notified_on, notice_months + 1), True
    return end, False


def working_day(day: dt.date) -> dt.date:
    """`day`, or the first day after it that is neither a Saturday, a Sunday nor a closed day."""
    while day.weekday() >= 5 or closed_day_name(day) is not None:
        day += dt.timedelta(days=1)
    return day


def _moved_text(day: dt.date) -> str:
    moved = working_day(day)
    if moved == day:
        return ""
    name = closed_day_name(day) or WEEKDAYS_DA[day.weekday()]
    return f" ({day_da(day)} er {name}; første hverdag er {WEEKDAYS_DA[moved.weekday()]} {day_da(moved)})"


def day_da(day: dt.date) -> str:
    """'1. august 2026'."""
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def normalise_code(text: str) -> str:
    cleaned = text.strip()
    if cleaned.isdigit():
        return cleaned.lstrip("0") or "0"
    return cleaned


def _parse_date(text: str, what: str) -> tuple[dt.date | None, str]:
    if not text:
        return None, ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return None, f"{what} '{text}' er ikke en dato som 2026-03-01."


def parse_requests(text: str) -> list[CohortRequest]:
    """The requests CSV (kommunekode,notified_on,wished_start; comma or semicolon) as requests.

    A file without those columns raises ValueError with a Danish sentence; a row with a date that cannot be read
    becomes a request with a `problem` (it is refused, the others are planned)."""
    header, rows = read_rows(text)
    missing = [name for name in COLUMNS[:2] if name not in header]
    if not header or missing:
        raise ValueError(
            "Filen skal have kolonnerne kommunekode,notified_on,wished_start i første linje"
            + (f" (mangler: {', '.join(missing)})." if header else ".")
        )
    requests = []
    for line, row in rows:
        notified_on, problem_n = _parse_date(row.get("notified_on", ""), "notified_on")
        wished_start, problem_w = _parse_date(row.get("wished_start", ""), "wished_start")
        problem = problem_n or problem_w
        if not problem and notified_on is None:
            problem = "notified_on mangler."
        if not problem and "__extra__" in row:
            problem = "rækken har flere kolonner end overskriften."
        requests.append(
            CohortRequest(
                kommunekode=normalise_code(row.get("kommunekode", "")),
                notified_on=notified_on,
                wished_start=wished_start,
                line=line,
                problem=f"Linje {line}: {problem}" if problem else "",
            )
        )
    return requests


def _refusal(request: CohortRequest, known: Mapping[str, str], counts: Counter[str]) -> str:
    if request.problem:
        return request.problem
    if not request.kommunekode:
        return "Kommunekoden mangler."
    if counts[request.kommunekode] > 1:
        times = counts[request.kommunekode]
        return f"Kommunekoden {request.kommunekode} står i {times} rækker; ret filen, så hver kommune står én gang."
    if request.kommunekode not in known:
        return f"{request.kommunekode} er ikke en kendt kommunekode."
    if request.notified_on and request.wished_start and request.wished_start < request.notified_on:
        return (
            f"Ønsket start {day_da(request.wished_start)} ligger før varslet {day_da(request.notified_on)}; "
            "en start kan ikke ønskes, før DDH har fået besked."
        )
    return ""


def earliest_first_shift(request: CohortRequest, notice_months: int) -> tuple[dt.date, str]:
    """The earliest first shift the rule allows the request, and why (Danish, without a final full stop)."""
    assert request.notified_on is not None
    end, summer = notice_end(request.notified_on, notice_months)
    months = notice_months + 1 if summer else notice_months
    reason = f"varslet {day_da(request.notified_on)} + {months} måneders varsel"
    if summer:
        reason += f" ({notice_months} + 1, fordi varslingsperioden omfatter juli)"
    reason += f" = {day_da(end)}"
    if request.wished_start and request.wished_start > end:
        start = request.wished_start
        reason = f"{reason}; ønsket start {day_da(start)} er senere"
    else:
        start = end
    return working_day(start), reason + _moved_text(start)


def plan_cohorts(
    requests: Iterable[CohortRequest],
    known: Mapping[str, str],
    max_cohort: int = DEFAULT_MAX_COHORT,
    notice_months: int = DEFAULT_NOTICE_MONTHS,
    gap_days: int = DEFAULT_GAP_DAYS,
) -> CohortPlan:
    """Plan cohorts for the requests; `known` maps each known kommunekode to its name."""
    if max_cohort < 1:
        raise ValueError("Et hold skal kunne have mindst 1 kommune (--max-cohort).")
    if notice_months < 0:
        raise ValueError("Varslet kan ikke være negativt (--notice-months).")
    if gap_days < 0:
        raise ValueError("Afstanden mellem to hold kan ikke være negativ.")
    requests = list(requests)
    counts = Counter(request.kommunekode for request in requests if request.kommunekode)
    refused: list[Refusal] = []
    waiting: list[tuple[dt.date, str, str]] = []
    for request in requests:
        reason = _refusal(request, known, counts)
        if reason:
            refused.append(Refusal(request.kommunekode, reason))
            continue
        earliest, why = earliest_first_shift(request, notice_months)
        waiting.append((earliest, request.kommunekode, why))
    waiting.sort(key=lambda item: (item[0], int(item[1]) if item[1].isdigit() else 0, item[1]))
    runs = _best_runs([earliest for earliest, _code, _why in waiting], max_cohort, gap_days)

    cohorts: list[Cohort] = []
    members: list[PlannedMember] = []
    index = 0
    previous: dt.date | None = None
    for size, date in runs:
        taken = waiting[index : index + size]
        index += size
        number = len(cohorts) + 1
        for earliest, code, why in taken:
            members.append(
                PlannedMember(
                    code,
                    earliest,
                    date,
                    f"Tidligst {day_da(earliest)}: {why}. "
                    + _wait_text(earliest, date, number, previous, taken, max_cohort, gap_days),
                )
            )
        cohorts.append(Cohort(date, tuple(code for _e, code, _w in taken)))
        previous = date
    return CohortPlan(tuple(cohorts), tuple(members), tuple(refused))


def _best_runs(earliest: list[dt.date], max_cohort: int, gap_days: int) -> list[tuple[int, dt.date]]:
    """The cohorts as (size, first shift) runs over the sorted earliest dates: least total wait, then fewest
    cohorts (see the module's docstring)."""
    gap = dt.timedelta(days=gap_days)
    count = len(earliest)
    memo: dict[tuple[int, dt.date | None], tuple[int, int, list[tuple[int, dt.date]]]] = {}

    def best(start: int, previous: dt.date | None) -> tuple[int, int, list[tuple[int, dt.date]]]:
        if start == count:
            return 0, 0, []
        key = (start, previous)
        if key not in memo:
            options = []
            for size in range(1, min(max_cohort, count - start) + 1):
                date = earliest[start + size - 1]
                if previous is not None:
                    date = working_day(max(date, previous + gap))
                wait = sum((date - day).days for day in earliest[start : start + size])
                rest_wait, rest_cohorts, rest = best(start + size, date)
                options.append((wait + rest_wait, 1 + rest_cohorts, [(size, date), *rest]))
            memo[key] = min(options, key=lambda option: (option[0], option[1]))
        return memo[key]

    return best(0, None)[2]


def _wait_text(
    earliest: dt.date,
    date: dt.date,
    number: int,
    previous: dt.date | None,
    taken: list[tuple[dt.date, str, str]],
    max_cohort: int,
    gap_days: int,
) -> str:
    """Why a member starts on its cohort's date (Danish)."""
    if date == earliest:
        return f"Starter på hold {number} på den dato."
    waited = (date - earliest).days
    head = f"Starter {waited} dage senere, på hold {number} ({day_da(date)}): "
    after_gap = previous is not None and date == working_day(previous + dt.timedelta(days=gap_days))
    if previous is not None and after_gap and earliest <= previous:
        return head + (
            f"hold {number - 1} ({day_da(previous)}) var fuldt ({max_cohort} kommuner), og to hold starter mindst "
            f"{gap_days} dage fra hinanden."
        )
    if previous is not None and after_gap:
        return (
            head
            + f"hold {number - 1} startede {day_da(previous)}, og to hold starter mindst {gap_days} dage fra hinanden."
        )
    later = [code for day, code, _w in taken if day == date]
    return head + (
        f"holdet starter, når {', '.join(later)} tidligst kan; et hold allerede {day_da(earliest)} ville skubbe "
        f"de næste hold, fordi to hold starter mindst {gap_days} dage fra hinanden, og kommunerne ville samlet "
        "vente længere."
    )


def plan_to_json(plan: CohortPlan) -> dict[str, list[dict[str, Any]]]:
    """The stable JSON of `samvirke plan-cohorts` (docs/cli.md)."""
    return {
        "cohorts": [
            {"first_shift": cohort.first_shift.isoformat(), "members": list(cohort.members)} for cohort in plan.cohorts
        ],
        "members": [
            {
                "kommunekode": member.kommunekode,
                "earliest_first_shift": member.earliest_first_shift.isoformat(),
                "first_shift": member.first_shift.isoformat(),
                "why": member.why,
            }
            for member in plan.members
        ],
        "refused": [{"kommunekode": refusal.kommunekode, "reason": refusal.reason} for refusal in plan.refused],
    }
