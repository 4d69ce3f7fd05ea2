"""The entry point: `solve_rota` builds the week's rota (prepare, the two CP-SAT stages, read the solution back,
explain it in Danish) and returns a `RotaResult`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

from samvirke.staffing.lib.rota.common import RotaInputError, timer, to_fraction
from samvirke.staffing.lib.rota.model import SolveStage, prepare, solve
from samvirke.staffing.lib.rota.problem import RotaProblem
from samvirke.staffing.lib.rota.report import STATUS_DA, explain
from samvirke.staffing.lib.rota.result import IntervalCoverage, MemberHours, ScheduledShift, read_back


@dataclass(frozen=True)
class RotaResult:
    """The plan and the report. `status` is CP-SAT's (OPTIMAL, FEASIBLE, UNKNOWN …); `problems` are Danish
    sentences on what the plan cannot meet and by how much; `notes` are Danish sentences worth knowing."""

    status: str
    solve_seconds: float
    objective: float | None
    stages: tuple[SolveStage, ...]
    shifts: tuple[ScheduledShift, ...]
    coverage: tuple[IntervalCoverage, ...]
    members: tuple[MemberHours, ...]
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    required_hours: float
    obligation_hours: float
    band_min_hours: float
    band_max_hours: float
    scheduled_hours: float

    @property
    def has_plan(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    @property
    def optimal(self) -> bool:
        return self.status == "OPTIMAL"

    @property
    def shortfall(self) -> int:
        """Missing agent-intervals in all."""
        return sum(row.shortfall for row in self.coverage)

    @property
    def over(self) -> int:
        """Agent-intervals above the requirement in all."""
        return sum(row.over for row in self.coverage)

    @property
    def coverage_met(self) -> bool:
        return self.has_plan and self.shortfall == 0

    @property
    def bands_held(self) -> bool:
        return self.has_plan and all(member.within_band for member in self.members)

    def report(self) -> str:
        """The whole report as Danish text."""
        lines = [
            f"Status: {STATUS_DA.get(self.status, self.status)} ({self.solve_seconds:.1f} s).",
            f"Behov {timer(Fraction(self.required_hours))}, forpligtelser "
            f"{timer(Fraction(self.obligation_hours))}, planlagt "
            f"{timer(Fraction(self.scheduled_hours))}.",
        ]
        lines += list(self.problems) or ["Behovet er dækket i alle intervaller, og alle kommuner er inden for båndet."]
        lines += list(self.notes)
        return "\n".join(lines)


def solve_rota(problem: RotaProblem, time_limit_seconds: float = 30.0, seed: int = 0, workers: int = 2) -> RotaResult:
    """Build the week's rota for `problem` with CP-SAT (see the module docstring for the model).

    `time_limit_seconds` bounds both stages together (the first gets at most 60 % of it, the second what is left);
    `workers` is CP-SAT's num_search_workers and `seed` its random seed (fixed: the same input gives the same plan
    as far as CP-SAT's parallel search allows).
    """
    limit = float(to_fraction(time_limit_seconds, "Tidsgrænsen"))
    if limit <= 0:
        raise RotaInputError(f"Tidsgrænsen skal være over 0 sekunder, ikke {time_limit_seconds!r}.")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise RotaInputError(f"Antal søgetråde skal være mindst 1, ikke {workers!r}.")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise RotaInputError(f"Frøet skal være et helt tal, ikke {seed!r}.")
    started = time.perf_counter()
    prep = prepare(problem)
    solution = solve(prep, limit, seed, workers, started)
    plan = read_back(prep, solution)
    members, unit = problem.members, problem.interval_minutes
    required_hours = problem.required_hours
    obligation = sum((Fraction(member.target) for member in members), Fraction(0))
    band_low = sum((Fraction(member.band_min) for member in members), Fraction(0))
    band_high = sum((Fraction(member.band_max) for member in members), Fraction(0))
    problems, notes = explain(
        problem,
        solution.status,
        limit,
        plan.coverage,
        plan.members,
        shifts_possible=bool(prep.shifts),
        reachable_lengths=[length // unit for length in problem.rules.lengths_minutes],
        band_units=(prep.band_min, prep.band_max),
        agent_capacity={m: float(units / prep.per_hour) for m, units in prep.agent_capacity.items()},
        totals=(required_hours, obligation, band_low, band_high),
    )
    objective = None
    if solution.has_plan:
        weights, last = problem.weights, solution.stages[-1]
        assert last.objective is not None
        shortfall = sum(row.shortfall for row in plan.coverage)
        over = sum(row.over for row in plan.coverage)
        objective = weights.shortfall * shortfall + weights.over * over + last.objective
    return RotaResult(
        status=solution.status,
        solve_seconds=round(time.perf_counter() - started, 3),
        objective=objective,
        stages=solution.stages,
        shifts=plan.shifts,
        coverage=plan.coverage,
        members=plan.members,
        problems=tuple(problems),
        notes=tuple(notes),
        required_hours=float(required_hours),
        obligation_hours=float(obligation),
        band_min_hours=float(band_low),
        band_max_hours=float(band_high),
        scheduled_hours=plan.scheduled_hours,
    )
