"""The weekly rota: which member municipality (and which of its named agents) staffs which shift (issue 6).

Pure: OR-Tools CP-SAT and the project's own pure libraries; no database, no settings, no clock other than the
solver's own time limit.

The problem. The week is a list of equally long intervals (by default the half-hours of the opening hours, see
`intervals_from_opening_hours`), each with a requirement in agents (from `samvirke.core.lib.erlang`, e.g. via
`requirement_from_volumes`). Every member owes shift hours in proportion to its population
(`samvirke.economy.lib.fees.hours_for`: a weekly target and a band [min, max]). A shift is a run of consecutive
open intervals of an allowed length (`ShiftRules`, e.g. 2–4 hours in half-hour steps) that starts and ends within
the opening hours. Members either staff anonymous shifts (an integer per candidate shift: how many of them the
member works) or, if they name agents, every agent gets a boolean per candidate shift inside its availability.

One concern a module, each importing only those before it:
- `common`: the input error (`RotaInputError`, Danish sentences), exact numbers from input, hours as Danish text;
- `week`: the week grid (intervals, time windows) and the requirement per interval;
- `problem`: the input (shift rules, members, named agents, unpopular intervals, weights, `RotaProblem`);
- `model`: the two-stage CP-SAT model and its solve (the model is described there);
- `result`: the solution read back into shifts, coverage per interval and hours per member;
- `report`: the Danish explanation (what the plan cannot meet and by how much, notes, one line per shift);
- `solve`: `solve_rota`, which runs them in turn and returns a `RotaResult`.
"""

from samvirke.staffing.lib.rota.common import RotaInputError
from samvirke.staffing.lib.rota.model import SolveStage
from samvirke.staffing.lib.rota.problem import Agent, RotaMember, RotaProblem, ShiftRules, UnpopularRule, Weights
from samvirke.staffing.lib.rota.report import describe_shifts
from samvirke.staffing.lib.rota.result import IntervalCoverage, MemberHours, ScheduledShift
from samvirke.staffing.lib.rota.solve import RotaResult, solve_rota
from samvirke.staffing.lib.rota.week import Interval, Window, intervals_from_opening_hours, requirement_from_volumes

__all__ = [
    "Agent",
    "IntervalCoverage",
    "Interval",
    "MemberHours",
    "RotaInputError",
    "RotaMember",
    "RotaProblem",
    "RotaResult",
    "ScheduledShift",
    "ShiftRules",
    "SolveStage",
    "UnpopularRule",
    "describe_shifts",
    "Weights",
    "Window",
    "intervals_from_opening_hours",
    "requirement_from_volumes",
    "solve_rota",
]
