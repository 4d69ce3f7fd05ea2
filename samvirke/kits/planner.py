"""The day planner between the database and the pure route solver (lib/routes.py), as staffing/builder.py is for
the rota: `gather` reads the day's visits and the technicians (one short read, no transaction held), `solve` runs
OR-Tools and the nearest-neighbour baseline outside any transaction. kits.tasks.plan_day calls both; the plan is
written by actions.do_save_day_plan in one short transaction.

Times: a visit's window and a technician's shift in seconds after local midnight of the plan's day (wall clock).
A task without a window may be visited any time in the shift. The depot is where the technicians start and end:
the plan's settings, or (not given) the middle of the day's visits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from samvirke.core.lib.clock import LOCAL
from samvirke.kits import selectors
from samvirke.kits.lib import routes
from samvirke.kits.models import TaskKind
from samvirke.telecare.models import Landsdel

NO_COORDINATES = "Borgeren har ingen koordinater; besøget kan ikke planlægges på en rute."
DEFAULT_SERVICE_MINUTES = {TaskKind.SETUP.value: 60, TaskKind.EXCHANGE.value: 30, TaskKind.TAKEDOWN.value: 30}


class PlanningError(ValueError):
    """A plan that cannot be made as asked; the message is Danish."""


@dataclass(frozen=True)
class PlanSettings:
    shift_start: str = "08:00"
    shift_end: str = "16:00"
    avg_speed_kmh: float = 40.0
    depot_latitude: float | None = None
    depot_longitude: float | None = None
    time_limit_seconds: float = 5.0
    service_minutes: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_SERVICE_MINUTES))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanSettings:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def seconds(self, text: str) -> int:
        try:
            hours, minutes = (int(part) for part in text.split(":"))
        except ValueError:
            raise PlanningError(f"«{text}» er ikke et klokkeslæt (tt:mm).") from None
        if not (0 <= hours <= 24 and 0 <= minutes < 60) or hours * 60 + minutes > 24 * 60:
            raise PlanningError(f"«{text}» er ikke et klokkeslæt (tt:mm).")
        return hours * 3600 + minutes * 60

    def check(self) -> None:
        if self.seconds(self.shift_end) <= self.seconds(self.shift_start):
            raise PlanningError("Vagten skal slutte efter den begynder.")
        if not 5 <= self.avg_speed_kmh <= 130:
            raise PlanningError("Gennemsnitsfarten skal være mellem 5 og 130 km/t.")
        if (self.depot_latitude is None) != (self.depot_longitude is None):
            raise PlanningError("Angiv både bredde- og længdegrad for lageret, eller ingen af dem.")
        if self.depot_latitude is not None and not (-90 <= self.depot_latitude <= 90):
            raise PlanningError("Breddegraden skal ligge mellem −90 og 90.")
        if self.depot_longitude is not None and not (-180 <= self.depot_longitude <= 180):
            raise PlanningError("Længdegraden skal ligge mellem −180 og 180.")
        if not 0.1 <= self.time_limit_seconds <= 60:
            raise PlanningError("Tidsgrænsen skal være mellem 0,1 og 60 sekunder.")


@dataclass(frozen=True)
class Problem:
    day: dt.date
    settings: PlanSettings
    tasks: tuple[selectors.PlannedTask, ...]
    technician_ids: tuple[int, ...]


@dataclass(frozen=True)
class Solution:
    plan: routes.DayPlan
    baseline: routes.DayPlan
    unplanned: tuple[routes.Unplanned, ...]  # the solver's, and the visits without coordinates


def gather(landsdel: Landsdel, day: dt.date, settings: PlanSettings) -> Problem:
    """The one short read: the day's visits with the citizens' coordinates, and the technicians."""
    tasks = tuple(selectors.planning_tasks(landsdel, day))
    technicians = tuple(person.pk for person in selectors.technicians(landsdel))
    return Problem(day, settings, tasks, technicians)


def _seconds_of(moment: dt.datetime) -> int:
    local = moment.astimezone(LOCAL)
    return local.hour * 3600 + local.minute * 60 + local.second


def moment_of(day: dt.date, seconds: int) -> dt.datetime:
    """The local moment `seconds` after midnight of `day` (wall clock)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL) + dt.timedelta(seconds=seconds)


def solve(problem: Problem) -> Solution:
    """Run the route solver and the baseline; no database access."""
    settings = problem.settings
    settings.check()
    if not problem.technician_ids:
        raise PlanningError("Landsdelen har ingen teknikere (brugere hos en logistikoperatør).")
    shift_start, shift_end = settings.seconds(settings.shift_start), settings.seconds(settings.shift_end)
    visits: list[routes.Visit] = []
    missing: list[routes.Unplanned] = []
    for task in problem.tasks:
        if task.latitude is None or task.longitude is None:
            missing.append(routes.Unplanned(str(task.task_id), NO_COORDINATES))
            continue
        start = _seconds_of(task.window_start) if task.window_start else shift_start
        end = _seconds_of(task.window_end) if task.window_end else shift_end
        minutes = settings.service_minutes.get(task.kind, DEFAULT_SERVICE_MINUTES.get(task.kind, 30))
        visits.append(
            routes.Visit(str(task.task_id), routes.Point(task.latitude, task.longitude), start, end, minutes * 60)
        )
    if settings.depot_latitude is not None and settings.depot_longitude is not None:
        depot = routes.Point(settings.depot_latitude, settings.depot_longitude)
    elif visits:
        depot = routes.Point(
            sum(v.location.lat for v in visits) / len(visits), sum(v.location.lon for v in visits) / len(visits)
        )
    else:
        depot = routes.Point(0.0, 0.0)
    technicians = [routes.Technician(str(pk), depot, depot, shift_start, shift_end) for pk in problem.technician_ids]
    route_settings = routes.RouteSettings(
        avg_speed_kmh=settings.avg_speed_kmh, time_limit_seconds=settings.time_limit_seconds
    )
    plan = routes.plan_routes(visits, technicians, route_settings)
    baseline = routes.plan_nearest_neighbour(visits, technicians, route_settings)
    unplanned = tuple(sorted((*plan.unplanned, *missing), key=lambda u: int(u.visit_key)))
    return Solution(plan, baseline, unplanned)
