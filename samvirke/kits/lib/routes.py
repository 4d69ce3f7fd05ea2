"""A technician day plan: the day's visits (set-ups, exchanges, take-downs) ordered into one route per technician
with OR-Tools' routing solver (a vehicle routing problem with time windows), and a nearest-neighbour baseline.

The model (times in seconds after midnight, local):
- each technician starts at their start depot and ends at their end depot within their shift [start, end];
- each visit has a time window [window_start, window_end] in which the technician must *arrive* (begin the
  visit; waiting before the window opens is allowed) and a service time on site;
- travel time between two places: the great-circle (haversine) distance divided by an average speed
  (`avg_speed_kmh`, default 40 km/h for Sjælland's country roads) times a detour factor (`detour_factor`, default
  1.3, road distance over straight line), rounded up to whole seconds — no external map service;
- objective: first visit as many visits as possible (each visit left out costs `DROP_PENALTY`, far above any
  day's travel), then the least total travel time;
- a visit no technician could make even alone (window closed before anyone can reach it, or no way back before
  the shift ends) is left out before the solve with that reason; a visit the solver could not fit is reported as
  "no room". First solution: path cheapest arc; then guided local search until `time_limit_seconds`.

The plan returned is re-timed here from the solver's order (leave the depot as late as the first visit allows,
arrive as early as possible, wait for windows), and `check_plan` re-checks it independently: every arrival within
its window, every return within the shift.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

EARTH_RADIUS_KM = 6371.0088
DROP_PENALTY = 10_000_000
DAY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Visit:
    key: str
    location: Point
    window_start: int  # seconds after midnight: earliest arrival
    window_end: int  # latest arrival
    service_seconds: int


@dataclass(frozen=True)
class Technician:
    key: str
    start: Point
    end: Point
    shift_start: int
    shift_end: int


@dataclass(frozen=True)
class RouteSettings:
    avg_speed_kmh: float = 40.0
    detour_factor: float = 1.3
    time_limit_seconds: float = 5.0


@dataclass(frozen=True)
class Stop:
    visit_key: str
    arrival: int  # when the technician arrives (may be before the window opens: then waits)
    start: int  # when the visit begins (≥ window_start)
    departure: int
    travel_seconds: int  # from the previous place
    km: float


@dataclass(frozen=True)
class Route:
    technician_key: str
    leave: int  # leaves the start depot
    back: int  # arrives at the end depot
    stops: tuple[Stop, ...]
    travel_seconds: int  # including the way home
    km: float


@dataclass(frozen=True)
class Unplanned:
    visit_key: str
    reason: str  # Danish


@dataclass(frozen=True)
class DayPlan:
    routes: tuple[Route, ...]
    unplanned: tuple[Unplanned, ...]
    method: str  # "ortools" or "nearest_neighbour"
    status: str  # the solver's status name, or "greedy"

    @property
    def travel_seconds(self) -> int:
        return sum(route.travel_seconds for route in self.routes)

    @property
    def km(self) -> float:
        return sum(route.km for route in self.routes)

    @property
    def planned(self) -> int:
        return sum(len(route.stops) for route in self.routes)


REASON_WINDOW = "Ingen tekniker kan nå frem inden for besøgets tidsvindue i sin vagt."
REASON_RETURN = "Ingen tekniker kan nå besøget og tilbage inden vagtens slut."
REASON_BAD_WINDOW = "Tidsvinduet slutter før det begynder."
REASON_NO_ROOM = "Ikke plads i dagens ruter: tidsvinduer og vagter er fyldt op."


def haversine_km(a: Point, b: Point) -> float:
    """The great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def road_km(a: Point, b: Point, settings: RouteSettings) -> float:
    return haversine_km(a, b) * settings.detour_factor


def travel_seconds(a: Point, b: Point, settings: RouteSettings) -> int:
    """Driving time in whole seconds (rounded up)."""
    if settings.avg_speed_kmh <= 0:
        raise ValueError("Gennemsnitsfarten skal være positiv.")
    return math.ceil(road_km(a, b, settings) / settings.avg_speed_kmh * 3600)


def _validate(visits: Sequence[Visit], technicians: Sequence[Technician]) -> None:
    keys = [visit.key for visit in visits]
    if len(set(keys)) != len(keys):
        raise ValueError("To besøg har samme nøgle.")
    if len({tech.key for tech in technicians}) != len(technicians):
        raise ValueError("To teknikere har samme nøgle.")
    for tech in technicians:
        if not 0 <= tech.shift_start < tech.shift_end <= DAY_SECONDS:
            raise ValueError(f"Teknikeren {tech.key}s vagt skal ligge inden for døgnet og slutte efter den begynder.")
    for visit in visits:
        if visit.service_seconds < 0:
            raise ValueError(f"Besøget {visit.key} har negativ varighed.")


def _alone_reason(visit: Visit, technicians: Sequence[Technician], settings: RouteSettings) -> str | None:
    """None when at least one technician could make this visit as their only one; otherwise why not."""
    if visit.window_end < visit.window_start:
        return REASON_BAD_WINDOW
    reason = REASON_WINDOW
    for tech in technicians:
        begin = max(tech.shift_start + travel_seconds(tech.start, visit.location, settings), visit.window_start)
        if begin > visit.window_end:
            continue
        if begin + visit.service_seconds + travel_seconds(visit.location, tech.end, settings) > tech.shift_end:
            reason = REASON_RETURN
            continue
        return None
    return reason


def time_route(tech: Technician, ordered: Sequence[Visit], settings: RouteSettings) -> Route:
    """Time a route in the given order: arrive as early as possible, wait for windows, then leave the depot as late
    as the first visit allows (so waiting at the first stop is spent at the depot)."""
    stops: list[Stop] = []
    place, clock = tech.start, tech.shift_start
    total_travel, total_km = 0, 0.0
    for visit in ordered:
        drive = travel_seconds(place, visit.location, settings)
        km = road_km(place, visit.location, settings)
        arrival = clock + drive
        begin = max(arrival, visit.window_start)
        departure = begin + visit.service_seconds
        stops.append(Stop(visit.key, arrival, begin, departure, drive, km))
        total_travel += drive
        total_km += km
        place, clock = visit.location, departure
    drive_home = travel_seconds(place, tech.end, settings)
    total_travel += drive_home
    total_km += road_km(place, tech.end, settings)
    leave = tech.shift_start
    if stops:
        # Shift the departure from the depot forward by the first stop's wait.
        first = stops[0]
        wait = first.start - first.arrival
        leave += wait
        stops[0] = Stop(first.visit_key, first.start, first.start, first.departure, first.travel_seconds, first.km)
    return Route(tech.key, leave, clock + drive_home, tuple(stops), total_travel, round(total_km, 3))


def check_plan(
    plan: DayPlan, visits: Sequence[Visit], technicians: Sequence[Technician], settings: RouteSettings
) -> list[str]:
    """Re-check a plan from scratch: every visit once, each arrival within its window, travel consistent with
    the coordinates, every technician home within the shift. Returns the problems found (empty: a valid plan)."""
    by_key = {visit.key: visit for visit in visits}
    techs = {tech.key: tech for tech in technicians}
    problems: list[str] = []
    seen: list[str] = [stop.visit_key for route in plan.routes for stop in route.stops]
    seen += [item.visit_key for item in plan.unplanned]
    if sorted(seen) != sorted(by_key):
        problems.append("Besøgene er ikke hver planlagt eller udeladt præcis én gang.")
    for route in plan.routes:
        tech = techs[route.technician_key]
        place, clock = tech.start, route.leave
        if route.leave < tech.shift_start:
            problems.append(f"{tech.key} kører før vagten.")
        for stop in route.stops:
            visit = by_key[stop.visit_key]
            clock += travel_seconds(place, visit.location, settings)
            if stop.arrival < clock:
                problems.append(f"{visit.key}: ankomst før det er muligt at nå frem.")
            begin = max(stop.arrival, visit.window_start)
            if not visit.window_start <= begin <= visit.window_end:
                problems.append(f"{visit.key}: uden for tidsvinduet.")
            clock = begin + visit.service_seconds
            place = visit.location
        clock += travel_seconds(place, tech.end, settings)
        if clock > tech.shift_end:
            problems.append(f"{tech.key} er først hjemme efter vagtens slut.")
    return problems


def plan_nearest_neighbour(
    visits: Sequence[Visit], technicians: Sequence[Technician], settings: RouteSettings | None = None
) -> DayPlan:
    """The baseline: the technician who is free first drives to the nearest (by driving time) open visit they can
    still begin within its window and come home from before the shift ends; a technician with no such visit
    left goes home. Windows and shifts are met by construction; nothing is optimised."""
    settings = settings or RouteSettings()
    _validate(visits, technicians)
    unplanned: list[Unplanned] = []
    remaining: list[Visit] = []
    for visit in visits:
        reason = _alone_reason(visit, technicians, settings)
        if reason:
            unplanned.append(Unplanned(visit.key, reason))
        else:
            remaining.append(visit)
    orders: dict[str, list[Visit]] = {tech.key: [] for tech in technicians}
    state = {tech.key: (tech.start, tech.shift_start) for tech in technicians}
    active = list(technicians)
    while active and remaining:
        tech = min(active, key=lambda t: (state[t.key][1], t.key))
        place, clock = state[tech.key]
        best: tuple[int, str, Visit, int] | None = None
        for visit in remaining:
            drive = travel_seconds(place, visit.location, settings)
            begin = max(clock + drive, visit.window_start)
            if begin > visit.window_end:
                continue
            home = begin + visit.service_seconds + travel_seconds(visit.location, tech.end, settings)
            if home > tech.shift_end:
                continue
            if best is None or (drive, visit.key) < (best[0], best[1]):
                best = (drive, visit.key, visit, begin)
        if best is None:
            active.remove(tech)
            continue
        _drive, _key, visit, begin = best
        orders[tech.key].append(visit)
        remaining.remove(visit)
        state[tech.key] = (visit.location, begin + visit.service_seconds)
    unplanned += [Unplanned(visit.key, REASON_NO_ROOM) for visit in remaining]
    routes = tuple(time_route(tech, orders[tech.key], settings) for tech in technicians)
    return DayPlan(routes, tuple(sorted(unplanned, key=lambda u: u.visit_key)), "nearest_neighbour", "greedy")


def plan_routes(
    visits: Sequence[Visit], technicians: Sequence[Technician], settings: RouteSettings | None = None
) -> DayPlan:
    """The day plan by OR-Tools' routing solver (see the module's docstring)."""
    settings = settings or RouteSettings()
    _validate(visits, technicians)
    if not technicians:
        return DayPlan((), tuple(Unplanned(v.key, REASON_WINDOW) for v in visits), "ortools", "no technicians")
    unplanned: list[Unplanned] = []
    candidates: list[Visit] = []
    for visit in visits:
        reason = _alone_reason(visit, technicians, settings)
        if reason:
            unplanned.append(Unplanned(visit.key, reason))
        else:
            candidates.append(visit)

    # Nodes: the candidate visits 0..n-1, then each technician's start and end depot.
    n, v = len(candidates), len(technicians)
    places = [visit.location for visit in candidates]
    service = [visit.service_seconds for visit in candidates] + [0] * (2 * v)
    starts, ends = [], []
    for index, tech in enumerate(technicians):
        places += [tech.start, tech.end]
        starts.append(n + 2 * index)
        ends.append(n + 2 * index + 1)
    drive = [[travel_seconds(a, b, settings) for b in places] for a in places]

    manager = pywrapcp.RoutingIndexManager(len(places), v, starts, ends)
    routing = pywrapcp.RoutingModel(manager)

    def travel_callback(from_index: int, to_index: int) -> int:
        return drive[int(manager.IndexToNode(from_index))][int(manager.IndexToNode(to_index))]

    def time_callback(from_index: int, to_index: int) -> int:
        node = int(manager.IndexToNode(from_index))
        return service[node] + drive[node][int(manager.IndexToNode(to_index))]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(travel_callback))
    time_index = routing.RegisterTransitCallback(time_callback)
    routing.AddDimension(time_index, DAY_SECONDS, DAY_SECONDS, False, "Time")
    time = routing.GetDimensionOrDie("Time")
    for node, visit in enumerate(candidates):
        index = manager.NodeToIndex(node)
        time.CumulVar(index).SetRange(visit.window_start, visit.window_end)
        routing.AddDisjunction([index], DROP_PENALTY)
    for vehicle, tech in enumerate(technicians):
        time.CumulVar(routing.Start(vehicle)).SetRange(tech.shift_start, tech.shift_end)
        time.CumulVar(routing.End(vehicle)).SetRange(tech.shift_start, tech.shift_end)

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.FromMilliseconds(max(1, round(settings.time_limit_seconds * 1000)))
    solution = routing.SolveWithParameters(parameters)
    status = routing_enums_pb2.RoutingSearchStatus.Value.Name(routing.status()).removeprefix("ROUTING_")
    if solution is None:
        unplanned += [Unplanned(visit.key, REASON_NO_ROOM) for visit in candidates]
        routes = tuple(time_route(tech, [], settings) for tech in technicians)
        return DayPlan(routes, tuple(sorted(unplanned, key=lambda u: u.visit_key)), "ortools", status)

    routes_list: list[Route] = []
    placed: set[str] = set()
    for vehicle, tech in enumerate(technicians):
        order: list[Visit] = []
        index = solution.Value(routing.NextVar(routing.Start(vehicle)))
        while not routing.IsEnd(index):
            visit = candidates[manager.IndexToNode(index)]
            order.append(visit)
            placed.add(visit.key)
            index = solution.Value(routing.NextVar(index))
        routes_list.append(time_route(tech, order, settings))
    unplanned += [Unplanned(visit.key, REASON_NO_ROOM) for visit in candidates if visit.key not in placed]
    return DayPlan(tuple(routes_list), tuple(sorted(unplanned, key=lambda u: u.visit_key)), "ortools", status)
