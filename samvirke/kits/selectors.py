"""Reads for the kits pages and the day planner: stock against reorder points, tasks with their benchmark state,
a unit's timeline, the technicians, the day's planning problem (one short read) and a plan's stops.

No personal field of a citizen is read here for a page; the planner reads the citizens' coordinates (not shown
anywhere) to compute travel times."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from samvirke.consent.models import OperatorKind, OperatorUser
from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import Person
from samvirke.kits.lib import lifecycle
from samvirke.kits.lib.benchmark import BenchmarkStatus, benchmark_status
from samvirke.kits.models import (
    DayPlan,
    DayPlanStop,
    DeviceKind,
    LogisticsTask,
    ReorderPoint,
    TaskKind,
    TaskState,
    Unit,
    UnitEvent,
)
from samvirke.telecare.models import Landsdel

OPEN_STATES = (TaskState.OPEN, TaskState.PLANNED)


# --- stock -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StockRow:
    kind: str
    label: str
    in_stock: int  # ready in the store
    preparing: int
    at_citizens: int  # installed, in use, faulty or fixed remotely at a citizen's
    on_the_way: int  # ordered, collected or being cleaned
    reorder_point: int | None
    reorder: bool  # ready stock at or below the reorder point


def stock(landsdel: Landsdel) -> list[StockRow]:
    """Per device kind: the units by where they are, and whether the ready stock has fallen to the reorder point."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in Unit.objects.filter(landsdel=landsdel).values("model__kind", "status").annotate(n=Count("id")):
        counts[row["model__kind"]][row["status"]] += row["n"]
    minimums = dict(ReorderPoint.objects.filter(landsdel=landsdel).values_list("kind", "minimum"))
    rows = []
    for kind, label in DeviceKind.choices:
        by_status = counts.get(kind, {})
        in_stock = by_status.get(lifecycle.IN_STOCK, 0)
        minimum = minimums.get(kind)
        rows.append(
            StockRow(
                kind=kind,
                label=str(label),
                in_stock=in_stock,
                preparing=by_status.get(lifecycle.PREPARING, 0),
                at_citizens=sum(by_status.get(s, 0) for s in lifecycle.AT_CITIZEN),
                on_the_way=sum(
                    by_status.get(s, 0) for s in (lifecycle.ORDERED, lifecycle.COLLECTED, lifecycle.CLEANING)
                ),
                reorder_point=minimum,
                reorder=minimum is not None and in_stock <= minimum,
            )
        )
    return rows


def units(landsdel: Landsdel) -> QuerySet[Unit]:
    return Unit.objects.filter(landsdel=landsdel).select_related("model").order_by("serial")


def unit_timeline(unit: Unit) -> QuerySet[UnitEvent]:
    """Every change of the unit, oldest first, with who made it."""
    return UnitEvent.objects.filter(unit=unit).select_related("actor").order_by("at", "id")


# --- tasks -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    task: LogisticsTask
    benchmark: BenchmarkStatus | None  # None for a task no visit is owed for (self-collected, cancelled)


def task_benchmark(task: LogisticsTask, now: dt.datetime) -> BenchmarkStatus | None:
    if task.state in (TaskState.SELF_COLLECT, TaskState.CANCELLED):
        return None
    installed = task.completed_at.astimezone(LOCAL).date() if task.completed_at else None
    return benchmark_status(task.referred_on, task.urgency, now.astimezone(LOCAL), installed)


def tasks(landsdel: Landsdel, now: dt.datetime, include_done: bool = False) -> list[TaskRow]:
    """The landsdel's tasks by due date, each with where it stands against the 12/2 working-day benchmark."""
    found = LogisticsTask.objects.filter(landsdel=landsdel).select_related("citizen", "technician", "kit", "unit")
    if not include_done:
        found = found.filter(state__in=OPEN_STATES)
    return [TaskRow(task, task_benchmark(task, now)) for task in found.order_by("due", "id")]


def technicians(landsdel: Landsdel) -> list[Person]:
    """The landsdel's technicians: the users of its logistics operators."""
    rows = OperatorUser.objects.filter(
        operator__landsdel=landsdel, operator__kind=OperatorKind.LOGISTICS, person__is_active=True
    ).select_related("person")
    return sorted((row.person for row in rows), key=lambda p: (p.get_full_name() or p.username, p.pk))


# --- the day planner -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedTask:
    """A task as the planner sees it: where (the citizen's coordinates), when (window), how long."""

    task_id: int
    kind: str
    latitude: float | None
    longitude: float | None
    window_start: dt.datetime | None
    window_end: dt.datetime | None

    def fingerprint(self) -> tuple[Any, ...]:
        return (self.kind, self.latitude, self.longitude, self.window_start, self.window_end)


def _on_day(moment: dt.datetime | None, day: dt.date) -> bool:
    return moment is None or moment.astimezone(LOCAL).date() == day


def planning_tasks(landsdel: Landsdel, day: dt.date) -> list[PlannedTask]:
    """The visits for `day`: open or planned tasks of the landsdel whose window is on that day, or that have no
    window (any time in the shift); a set-up the citizen collects themselves is not a visit."""
    rows = (
        LogisticsTask.objects.filter(landsdel=landsdel, state__in=OPEN_STATES)
        .exclude(kind=TaskKind.SETUP, citizen__self_collect=True)
        .values_list("id", "kind", "citizen__latitude", "citizen__longitude", "window_start", "window_end")
        .order_by("id")
    )
    return [
        PlannedTask(
            task_id,
            kind,
            float(lat) if lat is not None else None,
            float(lon) if lon is not None else None,
            start,
            end,
        )
        for task_id, kind, lat, lon, start, end in rows
        if _on_day(start, day)
    ]


def changed_tasks(before: Sequence[PlannedTask], after: Iterable[PlannedTask]) -> list[dict[str, Any]]:
    """What differs between the planner's read and now: [{"task": id, "change": "new" | "changed" | "gone"}]."""
    old = {t.task_id: t.fingerprint() for t in before}
    new = {t.task_id: t.fingerprint() for t in after}
    changes = [{"task": i, "change": "gone"} for i in sorted(old.keys() - new.keys())]
    changes += [{"task": i, "change": "new"} for i in sorted(new.keys() - old.keys())]
    changes += [{"task": i, "change": "changed"} for i in sorted(old.keys() & new.keys()) if old[i] != new[i]]
    return sorted(changes, key=lambda c: c["task"])


@dataclass(frozen=True)
class RouteView:
    technician: Person
    stops: list[DayPlanStop]


def plan_routes(plan: DayPlan) -> list[RouteView]:
    """The plan's stops per technician, in visiting order."""
    stops = DayPlanStop.objects.filter(plan=plan).select_related("technician", "task", "task__citizen")
    by_tech: dict[int, list[DayPlanStop]] = defaultdict(list)
    people: dict[int, Person] = {}
    for stop in stops.order_by("technician_id", "sequence"):
        by_tech[stop.technician_id].append(stop)
        people[stop.technician_id] = stop.technician
    return [RouteView(people[tid], by_tech[tid]) for tid in sorted(by_tech, key=lambda t: people[t].username)]


def plans(landsdel: Landsdel, limit: int = 20) -> QuerySet[DayPlan]:
    return DayPlan.objects.filter(landsdel=landsdel).select_related("requested_by").order_by("-date", "-id")[:limit]
