"""Demo rota: some agents' availability and most hours, and the published rota for this ISO week and the next,
built by the normal action (forecast → Erlang → CP-SAT). Marked as demo data; safe to run again (a week that has
a rota already is left alone)."""

from __future__ import annotations

import datetime as dt
import time

from samvirke.directory.models import Fellesskab, Person
from samvirke.staffing.actions import RotaSettings, do_build_rota
from samvirke.staffing.lib.planning import monday_of
from samvirke.staffing.models import AgentAvailability, AgentHours, Rota
from samvirke.staffing.selectors import uncovered_half_hours

# Short, so seed-demo stays quick (about 4 s a week on 2 cores); the plan is FEASIBLE rather than proven optimal,
# which a demo does not mind (8 s gave the same shortfall and bands).
DEMO_TIME_LIMIT_SECONDS = 4
MORNINGS = (dt.time(8, 0), dt.time(12, 0))
# (username, weekdays (0 = Monday), from, to, most hours a week); None: no availability rows (whenever open).
DEMO_AGENTS: tuple[tuple[str, tuple[int, ...] | None, tuple[dt.time, dt.time] | None, int | None], ...] = (
    ("agent-holbaek-2", (0, 1, 2, 3, 4), MORNINGS, 15),  # mornings only, at most 15 hours a week
    ("agent-greve-3", (0, 1, 2, 3), (dt.time(8, 0), dt.time(20, 0)), None),  # never on Fridays
    ("agent-roskilde-2", None, None, 20),  # part time
)


def load_demo_availability() -> int:
    """The demo agents' availability and weekly maximum (only for agents that have none yet, so what a coordinator
    changed stays). Returns how many demo agents have either."""
    found = 0
    for username, weekdays, span, max_hours in DEMO_AGENTS:
        person = Person.objects.filter(username=username).first()
        if person is None:
            continue
        found += 1
        if weekdays and span and not AgentAvailability.objects.filter(person=person).exists():
            AgentAvailability.objects.bulk_create(
                AgentAvailability(person=person, weekday=weekday, starts=span[0], ends=span[1]) for weekday in weekdays
            )
        if max_hours is not None:
            AgentHours.objects.get_or_create(person=person, defaults={"max_hours_per_week": max_hours})
    return found


def load_demo_rota(fellesskab: Fellesskab, today: dt.date, weeks: int = 2) -> str:
    """Build and publish the rota for the ISO week of `today` and the following `weeks - 1` weeks; one summary
    line for seed-demo. Not one transaction around it all: each week is solved outside any transaction and written
    (built and published together) in its own short one, so a demo running beside seed-demo keeps answering."""
    started = time.perf_counter()
    agents = load_demo_availability()
    built, kept = [], 0
    for offset in range(weeks):
        week_start = monday_of(today) + dt.timedelta(weeks=offset)
        if Rota.objects.filter(fellesskab=fellesskab, week_start=week_start).exists():
            kept += 1
            continue
        settings = RotaSettings(calls_per_year=0, time_limit_seconds=DEMO_TIME_LIMIT_SECONDS)
        built.append(do_build_rota(None, fellesskab, week_start, settings, today=today, publish=True))
    if not built:
        return f"Vagtplan: {kept} uger havde allerede en vagtplan; intet bygget."
    labels = " og ".join(f"uge {rota.week_start.isocalendar()[1]}" for rota in built)
    shifts = sum(rota.shifts.count() for rota in built)
    uncovered = uncovered_half_hours(built)
    return (
        f"Vagtplan: {labels} bygget og offentliggjort på {time.perf_counter() - started:.0f} s "
        f"({shifts} vagter; udækkede halve timer: {', '.join(str(uncovered[rota.pk]) for rota in built)}; "
        f"{agents} agenter med demo-tilgængelighed eller timeloft)."
    )
