"""The CP-SAT model and its solve. The model (all quantities in interval units; one unit = one agent for one
interval) is solved in two lexicographic stages, because the members' terms only depend on how long a shift is and
how many unpopular intervals it holds, not on when it lies:

Stage 1, "dækning" (which shifts are worked):
- variables: r[s] ≥ 0, how many of candidate shift s the anonymous members work (pooled); n[m, L] ≥ 0, how many
  shifts of length L anonymous member m works, with Σ_m n[m, L] = Σ_{len(s) = L} r[s]; b[a, s] ∈ {0, 1} for each
  named agent a and each candidate shift wholly inside its availability.
- coverage: Σ_{s ∋ t} (r[s] + Σ_a b[a, s]) − over[t] + short[t] = requirement[t], with over, short ≥ 0. The
  shortfall is soft with a very high weight, so the plan covers every interval whenever that is possible and
  otherwise still returns a plan with the smallest shortfall, and says where.
- band, per member: hours[m] + below[m] ≥ band min, hours[m] − above[m] ≤ band max. below/above weigh more than
  the shortfall, so the band holds whenever it can; when it cannot (a band no combination of shift lengths
  reaches, named agents who cannot work that many hours) the report says by how much.
- named agents: no two shifts of one agent cover the same interval, at most `max_shifts_per_day` shifts start on
  one day, at most `max_hours` a week.
- objective: band violation ≫ shortfall ≫ over-staffing (agent-intervals above the requirement).

Stage 2, "fordeling" (who works them; the shifts of stage 1 fixed, so coverage cannot change):
- variables: z[m, k] ≥ 0, how many shifts of type k = (length, unpopular intervals) anonymous member m works
  (Σ_m z[m, k] + the named agents' shifts of type k = the type's count from stage 1); the named agents' b[a, s]
  again, over stage 1's shifts.
- objective: band violation ≫ Σ_m |hours[m] − target[m]| (the target lowered by a yearly balance carried in,
  spread over `balance_weeks`) > Σ_m |hours[m] − fair hours[m]| (when the plan cannot give everyone the target,
  the surplus or deficit is shared in proportion to the targets) and fairness: max_m |U[m] − fair U[m]| (plus a
  small Σ_m of the same), where U[m] are member m's unpopular intervals (evenings after 17, Fridays and
  weekends by default, `UnpopularRule`) and fair U[m] = target[m] / Σ targets × all unpopular intervals, i.e.
  the deviation of its share of the unpopular hours from its share of the obligation. The fair parts are
  constants once stage 1 has fixed the shifts, so everything is linear with small integer coefficients.
- a greedy fair deal of the shifts is the starting point (solution hint); the solver improves it.

Many named agents (more than `EXACT_AGENT_VARIABLES` agent × candidate-shift pairs, e.g. 17 members with three
agents each over 60 opening hours): stage 1 then plans their members like anonymous ones (counts per length,
capped at what their agents can work, on shifts someone can work), and stage 2 puts the named agents on the
shifts chosen, starting from a greedy placement; a chosen shift none of them can take stays empty (at the
shortfall's weight) and shows as a shortfall. Faster by far, not proven optimal for availability.

The anonymous members' counts per type are then dealt out as concrete shifts. `status` is OPTIMAL when both
stages are proven optimal (optimal for the lexicographic decomposition), FEASIBLE when a time limit stopped one.

The solver runs with a time limit (default 30 s), `num_search_workers` = 2 and a fixed random seed.
Bad input raises `RotaInputError` (a ValueError) with Danish messages; the report (`RotaResult.report`,
`RotaResult.problems`) is Danish too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model

from samvirke.staffing.lib.rota.problem import RotaProblem, ShiftRules
from samvirke.staffing.lib.rota.week import Interval


@dataclass(frozen=True)
class SolveStage:
    """One CP-SAT run: "dækning" (which shifts, for coverage) or "fordeling" (who works them)."""

    name: str
    status: str
    seconds: float
    objective: float | None
    best_bound: float | None
    progress: tuple[tuple[float, float], ...] = ()  # (seconds, objective) of each improving solution


@dataclass(frozen=True)
class _Shift:
    first: int  # index of the first interval
    length: int  # intervals
    day: int  # weekday of the first interval


def _blocks(intervals: Sequence[Interval]) -> list[tuple[int, int]]:
    """Runs of back-to-back intervals as (first index, last index)."""
    blocks: list[tuple[int, int]] = []
    first = 0
    for index in range(1, len(intervals) + 1):
        if index == len(intervals) or intervals[index].week_minute != intervals[index - 1].end_week_minute:
            blocks.append((first, index - 1))
            first = index
    return blocks


def _candidate_shifts(intervals: Sequence[Interval], lengths: Sequence[int]) -> list[_Shift]:
    shifts = []
    for first, last in _blocks(intervals):
        for start in range(first, last + 1):
            for length in lengths:
                if start + length - 1 <= last:
                    shifts.append(_Shift(start, length, intervals[start].weekday))
    return shifts


def reachable_totals(lengths: Sequence[int], limit: int) -> list[bool]:
    """reachable[n]: n intervals can be made of any number of shifts with these lengths (0 ≤ n ≤ limit)."""
    reachable = [False] * (limit + 1)
    reachable[0] = True
    for total in range(1, limit + 1):
        reachable[total] = any(length <= total and reachable[total - length] for length in lengths)
    return reachable


def _agent_capacity(shifts: Sequence[_Shift], usable: Sequence[bool], rules: ShiftRules) -> int:
    """An upper bound (intervals) on what one agent can work in the week: per day, the intervals its usable shifts
    cover, and with a daily limit of k shifts at most the k longest of them."""
    per_day: dict[int, list[_Shift]] = {}
    for shift, ok in zip(shifts, usable, strict=True):
        if ok:
            per_day.setdefault(shift.day, []).append(shift)
    total = 0
    for day_shifts in per_day.values():
        covered = len({t for shift in day_shifts for t in range(shift.first, shift.first + shift.length)})
        if rules.max_shifts_per_day is not None:
            longest = sorted((shift.length for shift in day_shifts), reverse=True)[: rules.max_shifts_per_day]
            covered = min(covered, sum(longest))
        total += covered
    return total


def _linear(terms: Sequence[tuple[int, Any]]) -> Any:
    return cp_model.LinearExpr.weighted_sum([var for _, var in terms], [coef for coef, _ in terms]) if terms else 0


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.points: list[tuple[float, float]] = []

    def on_solution_callback(self) -> None:
        self.points.append((round(time.perf_counter() - self.started, 3), self.ObjectiveValue()))


@dataclass
class Prepared:
    """The problem in interval units, shared by both stages."""

    problem: RotaProblem
    shifts: list[_Shift]
    covering: list[list[int]]
    shift_unpopular: list[int]
    band_min: list[int]
    band_max: list[int]
    targets: list[int]
    adjusted: list[int]
    horizon: int
    per_hour: Fraction
    usable: dict[tuple[int, int], list[int]]  # (member, agent) → candidate shift indices inside its availability
    agent_max: dict[tuple[int, int], int | None]
    agent_capacity: dict[int, int]  # member → upper bound on its named agents' intervals
    pooled_agents: bool = False  # many named agents: stage 1 pools their members with the anonymous ones

    @property
    def anonymous(self) -> list[int]:
        return [m for m, member in enumerate(self.problem.members) if not member.agents]

    @property
    def pooled(self) -> list[int]:
        """The members stage 1 plans by counts of shifts per length (all of them when agents are pooled)."""
        return list(range(len(self.problem.members))) if self.pooled_agents else self.anonymous

    def staffable(self, s: int) -> bool:
        """Someone can work candidate shift s: an anonymous member, or a named agent whose availability holds it."""
        return bool(self.anonymous) or any(s in allowed for allowed in self.usable_sets.values())

    @property
    def usable_sets(self) -> dict[tuple[int, int], frozenset[int]]:
        if self._usable_sets is None:
            self._usable_sets = {key: frozenset(allowed) for key, allowed in self.usable.items()}
        return self._usable_sets

    _usable_sets: dict[tuple[int, int], frozenset[int]] | None = None


def prepare(problem: RotaProblem) -> Prepared:
    intervals, unit = problem.intervals, problem.interval_minutes
    per_hour = Fraction(60, unit)
    lengths = [length // unit for length in problem.rules.lengths_minutes]
    shifts = _candidate_shifts(intervals, lengths)
    covering: list[list[int]] = [[] for _ in intervals]
    for index, shift in enumerate(shifts):
        for t in range(shift.first, shift.first + shift.length):
            covering[t].append(index)
    unpopular = [problem.unpopular.is_unpopular(interval) for interval in intervals]
    band_min = [math.ceil(Fraction(member.band_min) * per_hour) for member in problem.members]
    band_max = [math.floor(Fraction(member.band_max) * per_hour) for member in problem.members]
    adjusted = []
    for m, member in enumerate(problem.members):
        wanted = Fraction(member.target) - Fraction(member.balance_hours) / problem.balance_weeks
        adjusted.append(min(max(_round(wanted * per_hour), band_min[m]), max(band_max[m], band_min[m])))
    usable: dict[tuple[int, int], list[int]] = {}
    agent_max: dict[tuple[int, int], int | None] = {}
    agent_capacity: dict[int, int] = {}
    for m, member in enumerate(problem.members):
        if not member.agents:
            continue
        agent_capacity[m] = 0
        for a, agent in enumerate(member.agents):
            available = [agent.available(interval) for interval in intervals]
            limit = None if agent.max_hours is None else math.floor(Fraction(agent.max_hours) * per_hour)
            ok = [
                all(available[shift.first : shift.first + shift.length]) and (limit is None or shift.length <= limit)
                for shift in shifts
            ]
            usable[m, a] = [s for s, good in enumerate(ok) if good]
            agent_max[m, a] = limit
            reach = _agent_capacity(shifts, ok, problem.rules)
            agent_capacity[m] += reach if limit is None else min(reach, limit)
    return Prepared(
        problem=problem,
        shifts=shifts,
        covering=covering,
        shift_unpopular=[sum(unpopular[shift.first : shift.first + shift.length]) for shift in shifts],
        band_min=band_min,
        band_max=band_max,
        targets=[_round(Fraction(member.target) * per_hour) for member in problem.members],
        adjusted=adjusted,
        horizon=sum(problem.requirement) + sum(max(low, high) for low, high in zip(band_min, band_max, strict=True)),
        per_hour=per_hour,
        usable=usable,
        agent_max=agent_max,
        agent_capacity=agent_capacity,
        pooled_agents=sum(len(allowed) for allowed in usable.values()) > EXACT_AGENT_VARIABLES,
    )


# Above this many (agent, candidate shift) pairs stage 1 does not give every named agent a boolean per candidate
# shift (CP-SAT's presolve alone then takes longer than a demo's time limit, e.g. 51 agents × 475 shifts): it
# plans their members like anonymous ones (capped at what their agents can work, on shifts someone can work), and
# stage 2 puts the named agents on the shifts chosen. Small problems (a few agents) keep the exact model.
EXACT_AGENT_VARIABLES = 3_000


def _round(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _agent_variables(
    model: cp_model.CpModel, prep: Prepared, m: int, a: int, allowed: Sequence[int]
) -> list[tuple[int, Any]]:
    """Booleans for one named agent's candidate shifts, with no overlaps, the daily limit and the weekly limit."""
    shifts = prep.shifts
    own = [(s, model.new_bool_var(f"b_{m}_{a}_{s}")) for s in allowed]
    by_interval: dict[int, list[Any]] = {}
    by_day: dict[int, list[Any]] = {}
    for s, var in own:
        by_day.setdefault(shifts[s].day, []).append(var)
        for t in range(shifts[s].first, shifts[s].first + shifts[s].length):
            by_interval.setdefault(t, []).append(var)
    for group in by_interval.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    per_day = prep.problem.rules.max_shifts_per_day
    if per_day is not None:
        for group in by_day.values():
            if len(group) > per_day:
                model.add(sum(group) <= per_day)
    limit = prep.agent_max[m, a]
    if limit is not None and own:
        model.add(_linear([(shifts[s].length, var) for s, var in own]) <= limit)
    return own


def _soft_band(model: cp_model.CpModel, hours: Any, low: int, high: int, horizon: int, name: str) -> list[Any]:
    below = model.new_int_var(0, max(low, 0), f"below_{name}")
    above = model.new_int_var(0, horizon, f"above_{name}")
    model.add(hours + below >= low)
    model.add(hours - above <= high)
    return [below, above]


def _run(
    model: cp_model.CpModel, seconds: float, seed: int, workers: int, name: str
) -> tuple[cp_model.CpSolver, SolveStage]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.1)
    solver.parameters.num_search_workers = workers
    solver.parameters.random_seed = seed
    started = time.perf_counter()
    progress = _Progress(started)
    code = solver.solve(model, progress)
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    stage = SolveStage(
        name=name,
        status=solver.status_name(code),
        seconds=round(time.perf_counter() - started, 3),
        objective=solver.objective_value if found else None,
        best_bound=solver.best_objective_bound if found else None,
        progress=tuple(progress.points),
    )
    return solver, stage


def _coverage_stage(
    prep: Prepared, seconds: float, seed: int, workers: int
) -> tuple[SolveStage, list[int], dict[tuple[int, int], list[int]], dict[int, dict[int, int]]]:
    """Stage 1: how many of each shift are worked, minimising band violation, shortfall and over-staffing.

    Anonymous members' shifts are pooled per shift (r[s]) and each anonymous member gets a count per shift
    length (n[m, L], Σ_m n[m, L] = Σ_{len(s) = L} r[s]), so its band is checked exactly; named agents get their
    booleans. Returns the shifts worked y[s], the named agents' shifts and the anonymous members' counts per
    length (the second stage's starting point)."""
    problem, shifts, weights = prep.problem, prep.shifts, prep.problem.weights
    model = cp_model.CpModel()
    per_shift: list[list[Any]] = [[] for _ in shifts]
    violations: list[Any] = []
    anonymous = prep.pooled
    lengths: dict[int, list[Any]] = {}  # shift length → the pooled anonymous shifts of that length
    per_length: dict[int, dict[int, Any]] = {}  # anonymous member → length → how many shifts of that length
    if anonymous:
        high = sum(max(prep.band_min[m], prep.band_max[m]) for m in anonymous)
        for s, shift in enumerate(shifts):
            if high // shift.length and prep.staffable(s):
                var = model.new_int_var(0, high // shift.length, f"r_{s}")
                per_shift[s].append(var)
                lengths.setdefault(shift.length, []).append(var)
        for m in anonymous:
            cap = max(prep.band_min[m], prep.band_max[m])
            per_length[m] = {
                length: model.new_int_var(0, cap // length, f"n_{m}_{length}") for length in lengths if cap // length
            }
            hours = _linear([(length, var) for length, var in per_length[m].items()])
            if m in prep.agent_capacity:  # pooled named agents: no more than they can work
                model.add(hours <= prep.agent_capacity[m])
            violations += _soft_band(model, hours, prep.band_min[m], prep.band_max[m], prep.horizon, f"m{m}")
        for length, pooled in lengths.items():
            members_of_length = [per_length[m][length] for m in anonymous if length in per_length[m]]
            model.add(sum(pooled) == sum(members_of_length))
    agents: dict[tuple[int, int], list[tuple[int, Any]]] = {}
    for m, member in enumerate(problem.members):
        if not member.agents or prep.pooled_agents:
            continue
        terms = []
        for a in range(len(member.agents)):
            own = _agent_variables(model, prep, m, a, prep.usable[m, a])
            agents[m, a] = own
            for s, var in own:
                per_shift[s].append(var)
                terms.append((shifts[s].length, var))
        violations += _soft_band(model, _linear(terms), prep.band_min[m], prep.band_max[m], prep.horizon, f"m{m}")
    over_vars, short_vars = [], []
    for t, need in enumerate(problem.requirement):
        over = model.new_int_var(0, prep.horizon, f"over_{t}")
        short = model.new_int_var(0, need, f"short_{t}")
        terms = [var for s in prep.covering[t] for var in per_shift[s]]
        model.add(_linear([(1, var) for var in terms]) - over + short == need)
        over_vars.append(over)
        short_vars.append(short)
    model.minimize(weights.band * sum(violations) + weights.shortfall * sum(short_vars) + weights.over * sum(over_vars))
    solver, stage = _run(model, seconds, seed, workers, "dækning")
    if stage.objective is None:
        return stage, [], {}, {}
    worked = [sum(solver.value(var) for var in terms) for terms in per_shift]
    chosen = {key: [s for s, var in own if solver.value(var)] for key, own in agents.items()}
    counts = {m: {length: solver.value(var) for length, var in per.items()} for m, per in per_length.items()}
    return stage, worked, chosen, counts


def _band_violation(prep: Prepared, counts: Mapping[tuple[int, tuple[int, int]], int]) -> int:
    """Intervals outside the bands of the anonymous members for counts per (member, type)."""
    hours = dict.fromkeys(prep.anonymous, 0)
    for (m, (length, _u)), count in counts.items():
        hours[m] += length * count
    return sum(max(0, prep.band_min[m] - units) + max(0, units - prep.band_max[m]) for m, units in hours.items())


def _fair_deal(
    prep: Prepared, left: Mapping[tuple[int, int], int], types: Mapping[tuple[int, int], int]
) -> dict[tuple[int, tuple[int, int]], int]:
    """A greedy starting point for stage 2: deal the shifts the named agents leave to the anonymous members, the
    most unpopular and longest first, each to the member furthest below its fair part of the unpopular intervals
    (or, for popular shifts, of the hours), preferring members still under their fair hours, then under their
    band maximum."""
    anonymous = prep.anonymous
    deal: dict[tuple[int, tuple[int, int]], int] = {}
    if not anonymous:
        return deal
    all_hours = sum(length * count for (length, _u), count in types.items())
    all_unpop = sum(u * count for (_length, u), count in types.items())
    total_adjusted, total_target = sum(prep.adjusted), sum(prep.targets)
    fair_hours = {m: Fraction(prep.adjusted[m] * all_hours, total_adjusted or 1) for m in anonymous}
    fair_unpop = {m: Fraction(prep.targets[m] * all_unpop, total_target or 1) for m in anonymous}
    hours = dict.fromkeys(anonymous, 0)
    unpop = dict.fromkeys(anonymous, 0)
    for key in sorted(left, key=lambda key: (-key[1], -key[0])):
        length, u = key
        for _ in range(left[key]):
            pool = [m for m in anonymous if hours[m] + length <= math.ceil(fair_hours[m])]
            pool = pool or [m for m in anonymous if hours[m] + length <= prep.band_max[m]] or anonymous
            if u:
                m = max(pool, key=lambda m: (fair_unpop[m] - unpop[m], fair_hours[m] - hours[m], -m))
            else:
                m = max(pool, key=lambda m: (fair_hours[m] - hours[m], -m))
            hours[m] += length
            unpop[m] += u
            deal[m, key] = deal.get((m, key), 0) + 1
    return deal


def _agents_hint(
    prep: Prepared, worked: Sequence[int], length_hint: Mapping[int, Mapping[int, int]]
) -> dict[tuple[int, int], list[int]]:
    """A starting point for stage 2 when stage 1 pooled the named agents: each such member's shifts per length (from
    stage 1), greedily put on worked shifts its agents can take (availability, no overlap, the daily and weekly
    limits), the agent with the fewest intervals first."""
    shifts, rules = prep.shifts, prep.problem.rules
    left = list(worked)
    chosen: dict[tuple[int, int], list[int]] = {}
    for m, member in enumerate(prep.problem.members):
        if not member.agents:
            continue
        wanted = dict(length_hint.get(m, {}))
        busy: dict[int, set[int]] = {a: set() for a in range(len(member.agents))}
        starts: dict[int, dict[int, int]] = {a: {} for a in range(len(member.agents))}
        units = dict.fromkeys(range(len(member.agents)), 0)
        for s in sorted(range(len(shifts)), key=lambda s: (-shifts[s].length, s)):
            while left[s] and wanted.get(shifts[s].length, 0) > 0:
                span = set(range(shifts[s].first, shifts[s].first + shifts[s].length))
                able = [
                    a
                    for a in range(len(member.agents))
                    if s in prep.usable_sets[m, a]
                    and not busy[a] & span
                    and (rules.max_shifts_per_day is None or starts[a].get(shifts[s].day, 0) < rules.max_shifts_per_day)
                    and (prep.agent_max[m, a] is None or units[a] + shifts[s].length <= (prep.agent_max[m, a] or 0))
                ]
                if not able:
                    break
                a = min(able, key=lambda a: (units[a], a))
                chosen.setdefault((m, a), []).append(s)
                busy[a] |= span
                starts[a][shifts[s].day] = starts[a].get(shifts[s].day, 0) + 1
                units[a] += shifts[s].length
                left[s] -= 1
                wanted[shifts[s].length] -= 1
    return chosen


def _assignment_stage(
    prep: Prepared,
    worked: Sequence[int],
    hint: Mapping[tuple[int, int], Sequence[int]],
    length_hint: Mapping[int, Mapping[int, int]],
    seconds: float,
    seed: int,
    workers: int,
) -> tuple[SolveStage, dict[int, dict[tuple[int, int], int]], dict[tuple[int, int], list[int]]]:
    """Stage 2: who works the shifts of stage 1. Anonymous members only care about a shift's length and its
    unpopular intervals, so they get counts per such type; named agents get booleans per shift. Minimises band
    violation per member, then deviation from target, share and fairness; stage 1's plan is the hint. Returns
    the anonymous members' counts per type and the named agents' shifts."""
    problem, shifts, weights = prep.problem, prep.shifts, prep.problem.weights
    n_members = len(problem.members)
    types: dict[tuple[int, int], int] = {}
    for s, count in enumerate(worked):
        if count:
            key = (shifts[s].length, prep.shift_unpopular[s])
            types[key] = types.get(key, 0) + count
    model = cp_model.CpModel()
    hours: list[list[tuple[int, Any]]] = [[] for _ in range(n_members)]
    unpop: list[list[tuple[int, Any]]] = [[] for _ in range(n_members)]
    per_type: dict[tuple[int, int], list[Any]] = {key: [] for key in types}
    if prep.pooled_agents:
        hint = _agents_hint(prep, worked, length_hint)
    # The hint for the anonymous members: a greedy fair deal of the shifts the named agents leave (see
    # _fair_deal), unless stage 1's counts per length, dealt over the types of that length, hold the bands better.
    left = dict(types)
    for hinted_shifts in hint.values():
        for s in hinted_shifts:
            left[(shifts[s].length, prep.shift_unpopular[s])] -= 1
    z_hint = _fair_deal(prep, left, types)
    from_stage1: dict[tuple[int, tuple[int, int]], int] = {}
    rest = dict(left)
    for m in prep.anonymous:
        for length, wanted in length_hint.get(m, {}).items():
            for key in sorted(key for key in rest if key[0] == length):
                take = min(wanted, rest[key])
                if take:
                    from_stage1[m, key] = take
                    rest[key] -= take
                    wanted -= take
    if _band_violation(prep, from_stage1) < _band_violation(prep, z_hint):
        z_hint = from_stage1
    counts: dict[int, dict[tuple[int, int], Any]] = {}
    for m in prep.anonymous:
        counts[m] = {}
        for key, total in types.items():
            var = model.new_int_var(0, total, f"z_{m}_{key[0]}_{key[1]}")
            model.add_hint(var, z_hint.get((m, key), 0))
            counts[m][key] = var
            per_type[key].append(var)
            hours[m].append((key[0], var))
            if key[1]:
                unpop[m].append((key[1], var))
    agents: dict[tuple[int, int], list[tuple[int, Any]]] = {}
    per_shift: dict[int, list[Any]] = {}
    for (m, a), allowed in prep.usable.items():
        own = _agent_variables(model, prep, m, a, [s for s in allowed if worked[s]])
        agents[m, a] = own
        hinted = set(hint.get((m, a), ()))
        for s, var in own:
            model.add_hint(var, s in hinted)
            per_shift.setdefault(s, []).append(var)
            per_type[(shifts[s].length, prep.shift_unpopular[s])].append(var)
            hours[m].append((shifts[s].length, var))
            if prep.shift_unpopular[s]:
                unpop[m].append((prep.shift_unpopular[s], var))
    for s, group in per_shift.items():
        if len(group) > worked[s]:
            model.add(sum(group) <= worked[s])
    unstaffed: list[tuple[int, Any]] = []
    for key, group in per_type.items():
        if prep.pooled_agents:
            # Stage 1 chose the shifts without the agents' availability: a shift nobody can take stays empty (and
            # the interval short), at the shortfall's weight.
            empty = model.new_int_var(0, types[key], f"unstaffed_{key[0]}_{key[1]}")
            unstaffed.append((key[0], empty))
            model.add(sum(group) + empty == types[key])
        else:
            model.add(sum(group) == types[key])

    violations: list[Any] = []
    deviations: list[Any] = []
    hours_expr = [_linear(terms) for terms in hours]
    unpop_expr = [_linear(terms) for terms in unpop]
    for m in range(n_members):
        violations += _soft_band(model, hours_expr[m], prep.band_min[m], prep.band_max[m], prep.horizon, f"m{m}")
        dev = model.new_int_var(0, prep.horizon, f"dev_{m}")
        model.add(dev >= hours_expr[m] - prep.adjusted[m])
        model.add(dev >= prep.adjusted[m] - hours_expr[m])
        deviations.append(dev)
    total_target = sum(prep.targets)
    shares: list[Any] = []
    unfair: list[Any] = []
    fairness: Any = 0
    if total_target > 0 and n_members > 1:
        all_hours = sum(length * count for (length, _u), count in types.items())
        all_unpop = sum(u * count for (_length, u), count in types.items())
        total_adjusted = sum(prep.adjusted)
        # Stage 1 fixed the shifts, so all hours H and all unpopular hours U are constants here, and a member's
        # fair part of them (target / Σ targets × H) is a constant too: the deviations are plain |x − fair|, in
        # whole intervals, zero anywhere between the fair part rounded down and rounded up.
        if weights.share and total_adjusted > 0:
            # The surplus or deficit against the (balance-adjusted) targets is shared in proportion to them.
            for m in range(n_members):
                fair = Fraction(prep.adjusted[m] * all_hours, total_adjusted)
                share = model.new_int_var(0, prep.horizon, f"share_{m}")
                model.add(share >= hours_expr[m] - math.ceil(fair))
                model.add(share >= math.floor(fair) - hours_expr[m])
                shares.append(share)
        if weights.fairness and all_unpop:
            fairness = model.new_int_var(0, all_unpop, "fairness")
            for m in range(n_members):
                fair = Fraction(prep.targets[m] * all_unpop, total_target)
                gap = model.new_int_var(0, all_unpop, f"unfair_{m}")
                model.add(gap >= unpop_expr[m] - math.ceil(fair))
                model.add(gap >= math.floor(fair) - unpop_expr[m])
                model.add(fairness >= gap)
                unfair.append(gap)
    model.minimize(
        weights.band * sum(violations)
        + weights.shortfall * _linear(unstaffed)
        + weights.target * sum(deviations)
        + weights.share * sum(shares)
        + weights.fairness * fairness
        + weights.fairness_sum * sum(unfair)
    )
    solver, stage = _run(model, seconds, seed, workers, "fordeling")
    if stage.objective is None:
        return stage, {}, {}
    anonymous_counts = {m: {key: solver.value(var) for key, var in per.items()} for m, per in counts.items()}
    chosen = {key: [s for s, var in own if solver.value(var)] for key, own in agents.items()}
    return stage, anonymous_counts, chosen


@dataclass(frozen=True)
class Solution:
    """Both stages' outcome: the overall status, each stage's run, how many of each candidate shift are worked, the
    anonymous members' counts per type (length, unpopular intervals) and the named agents' shifts."""

    status: str
    stages: tuple[SolveStage, ...]
    worked: list[int]
    anonymous_counts: dict[int, dict[tuple[int, int], int]]
    agent_shifts: dict[tuple[int, int], list[int]]

    @property
    def has_plan(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")


def solve(prep: Prepared, limit: float, seed: int, workers: int, started: float) -> Solution:
    """Stage 1 with at most 60 % of `limit` seconds, then stage 2 with what is left of `limit` counted from
    `started` (a `time.perf_counter()` reading taken before the problem was prepared)."""
    stage1, worked, hint, length_hint = _coverage_stage(prep, 0.6 * limit, seed, workers)
    stages = [stage1]
    anonymous_counts: dict[int, dict[tuple[int, int], int]] = {}
    agent_shifts: dict[tuple[int, int], list[int]] = {}
    if stage1.objective is not None:
        remaining = limit - (time.perf_counter() - started)
        stage2, anonymous_counts, agent_shifts = _assignment_stage(
            prep, worked, hint, length_hint, remaining, seed, workers
        )
        stages.append(stage2)
    if all(stage.status == "OPTIMAL" for stage in stages) and len(stages) == 2:
        status = "OPTIMAL"
    elif all(stage.objective is not None for stage in stages) and len(stages) == 2:
        status = "FEASIBLE"
    else:
        status = next(stage.status for stage in stages if stage.objective is None)
    return Solution(status, tuple(stages), worked, anonymous_counts, agent_shifts)
