"""A discrete-event simulation of a contact centre's week: does the rota answer the forecast in time? (issue 6)

Pure: NumPy and the standard library only; no database, no settings, no clock. Where Erlang C's assumptions hold
(stationary Poisson arrivals, exponential handle times, constant staffing, callers who wait for ever) the
simulation reproduces `erlang.service_level`; with exponential patience it reproduces `erlang.erlang_a`. Its point
is everything Erlang cannot see: volumes and staffing that change every half hour, queues that carry over from
one interval to the next, agents who come and go, handle times that are not exponential.

The model
---------
- **Intervals.** K intervals of `interval_minutes` each (default 30), given by their start times (minutes from
  any origin, or datetimes) or back to back from 0. They must be in order and must not overlap; gaps between
  them (nights, weekends) are closed.
- **Arrivals.** A non-homogeneous Poisson process, constant within an interval: interval k receives
  Poisson(contacts[k]) callers at independent uniform times (exactly a Poisson process of rate
  contacts[k] / length).
- **Queue.** One first-come-first-served queue; any free agent takes the caller at its head. A caller whose
  patience (exponential with mean `patience_seconds`; None = infinite patience) runs out before an agent takes
  the call hangs up (abandons) at that moment.
- **Handle times.** Exponential with mean `aht_seconds` (Erlang's assumption) or lognormal with that mean and
  coefficient of variation `handle_time_cv`.
- **Staffing.** `agents[k]` agents are on duty throughout interval k (none in a gap). When the number goes up,
  the new agents start at the interval's start and take waiting callers at once. When it goes down, idle agents
  leave at the interval's start; if too few are idle, agents who are on a call *finish that call* and then leave
  (they take no new caller). That time after the end of the shift is counted as overtime.
- **Closing.** At the end of an interval that is not immediately followed by another one (a gap or the end of
  the horizon), the line closes: callers still in the queue whose patience has not run out are counted as
  "still waiting at the end" (`waiting_at_end`) and leave; calls being handled are finished.
- Every caller is reported in the interval it *arrived* in, whenever it was answered or hung up.

Definitions (per interval and in total, for one replication)
-------------------------------------------------------------
- offered = answered + abandoned + waiting_at_end (conservation; every caller is exactly one of these).
- answered within the threshold: wait ≤ `target_seconds` (inclusive), where wait = answer time − arrival time.
- **service level = answered within the threshold ÷ offered.** Abandoned callers and callers still waiting at
  the end count as not answered in time — the definition of `erlang.service_level` (P(wait ≤ t) with infinite
  patience) and of `erlang.erlang_a`'s service level. The alternative
  **service_level_answered_or_abandoned = answered within ÷ (answered + abandoned)** leaves out those still
  waiting at the end.
- ASA (average speed of answer) = mean wait of the *answered* callers, seconds. (Erlang C's ASA is the mean
  wait of all callers, which is the same thing when nobody abandons; Erlang A's is over all offered callers.)
- abandonment rate = abandoned ÷ offered.
- occupancy = agents' busy time ÷ agents' time present, both within the interval: present = agents on duty ×
  interval length + overtime (agents finishing a call after their shift). A call's handle time is spread over
  the intervals it spans. With constant staffing this is Erlang's A/N.
- A ratio with a zero denominator (an interval nobody called in) is NaN and is left out of the means.

Replications: each replication draws its own random numbers from `numpy.random.SeedSequence(seed).spawn(...)`,
so replication r is the same whatever the number of replications, and the whole result is a function of `seed`.
Each metric's `Estimate` is the mean over replications of the per-replication value and a 95 % confidence
interval mean ± t(0.975, R − 1) · s / √R (Student t; NaN with fewer than two replications). The total's ratios
are pooled within a replication (e.g. all answered-within of the week ÷ all offered of the week).

Speed: the event loop keeps the agents' call ends in a heap and the queue in a deque, draws all random numbers
with NumPy up front, and removes abandoned callers lazily (with FCFS a caller who hung up is simply skipped when
it reaches the head), so there is no event per abandonment. Statistics are computed with NumPy afterwards.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from typing import Literal

import numpy as np
import numpy.typing as npt

from samvirke.core.lib.validation import finite_float, positive_float, whole_number

__all__ = [
    "Estimate",
    "Replication",
    "SimulationResult",
    "Summary",
    "simulate",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
HandleTimeDistribution = Literal["exponential", "lognormal"]

# Student t, 97.5 % quantile, for 1–30 degrees of freedom; beyond 30 a Cornish–Fisher expansion around z.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
    2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_Z975 = 1.959963984540054


def _t975(df: int) -> float:
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


# --- results -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """The mean over the replications and its 95 % confidence interval (low, high)."""

    mean: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    @classmethod
    def of(cls, values: npt.ArrayLike) -> Estimate:
        """From one value per replication; NaN values (undefined ratios) are left out."""
        data = np.asarray(values, dtype=np.float64)
        data = data[~np.isnan(data)]
        if len(data) == 0:
            return cls(math.nan, math.nan, math.nan)
        mean = float(data.mean())
        if len(data) < 2:
            return cls(mean, math.nan, math.nan)
        half = _t975(len(data) - 1) * float(data.std(ddof=1)) / math.sqrt(len(data))
        return cls(mean, mean - half, mean + half)


@dataclass(frozen=True)
class Summary:
    """Replication means with 95 % confidence intervals, for one interval or for the whole horizon."""

    offered: Estimate
    answered: Estimate
    abandoned: Estimate
    waiting_at_end: Estimate
    answered_within: Estimate
    service_level: Estimate  # answered within the threshold ÷ offered
    service_level_answered_or_abandoned: Estimate  # answered within ÷ (answered + abandoned)
    asa_seconds: Estimate  # mean wait of the answered callers
    abandonment_rate: Estimate  # abandoned ÷ offered
    occupancy: Estimate  # busy time ÷ time present (on duty + overtime)


_COUNTS = ("offered", "answered", "abandoned", "waiting_at_end", "answered_within")


def _ratio(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> FloatArray:
    top = np.asarray(numerator, dtype=np.float64)
    bottom = np.asarray(denominator, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


@dataclass(frozen=True, eq=False)
class Replication:
    """One replication's tallies per interval (arrays of length K, by the interval the caller arrived in)."""

    offered: IntArray
    answered: IntArray
    abandoned: IntArray
    waiting_at_end: IntArray
    answered_within: IntArray
    wait_seconds: FloatArray  # the answered callers' waits, summed
    busy_seconds: FloatArray  # agents' time on calls within the interval
    present_seconds: FloatArray  # agents on duty × length + overtime within the interval
    overtime_seconds: FloatArray

    def metrics(self, total: bool = False) -> dict[str, FloatArray]:
        """Counts and ratios per interval (arrays of length K), or pooled over all intervals (arrays of shape ())."""

        def pick(values: npt.NDArray[np.generic]) -> FloatArray:
            data = np.asarray(values, dtype=np.float64)
            return np.asarray(data.sum(), dtype=np.float64) if total else data

        offered, answered, abandoned = pick(self.offered), pick(self.answered), pick(self.abandoned)
        within = pick(self.answered_within)
        return {
            "offered": offered,
            "answered": answered,
            "abandoned": abandoned,
            "waiting_at_end": pick(self.waiting_at_end),
            "answered_within": within,
            "service_level": _ratio(within, offered),
            "service_level_answered_or_abandoned": _ratio(within, answered + abandoned),
            "asa_seconds": _ratio(pick(self.wait_seconds), answered),
            "abandonment_rate": _ratio(abandoned, offered),
            "occupancy": _ratio(pick(self.busy_seconds), pick(self.present_seconds)),
        }


def _summaries(replications: Sequence[Replication], intervals: int) -> tuple[tuple[Summary, ...], Summary]:
    per_interval = [r.metrics() for r in replications]
    totals = [r.metrics(total=True) for r in replications]
    names = list(Summary.__dataclass_fields__)
    stacked = {name: np.stack([m[name] for m in per_interval]) for name in names}  # (R, K)
    by_interval = tuple(Summary(**{name: Estimate.of(stacked[name][:, k]) for name in names}) for k in range(intervals))
    total = Summary(**{name: Estimate.of([float(m[name]) for m in totals]) for name in names})
    return by_interval, total


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """`intervals[k]` summarises interval k over the replications; `total` the whole horizon."""

    intervals: tuple[Summary, ...]
    total: Summary
    replications: tuple[Replication, ...]
    interval_starts_minutes: tuple[float, ...]  # as given; datetimes: minutes from the first interval's start
    interval_minutes: float
    target_seconds: float
    seed: int


# --- input checks (Danish messages: they reach users through the CLI and the web) -------------------------------


_NUMBERS = (int, float, np.integer, np.floating)  # NumPy scalars count as numbers here (arrays come in as input)


def _number(value: object, what: str) -> float:
    return finite_float(value, what, kinds=_NUMBERS)


def _positive(value: object, what: str) -> float:
    return positive_float(value, what, kinds=_NUMBERS)


def _count(value: object, what: str, minimum: int) -> int:
    return whole_number(value, what, minimum=minimum, kinds=(int, np.integer))


def _float_array(values: npt.ArrayLike, what: str) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{what} skal være en række tal.") from None
    if array.ndim != 1:
        raise ValueError(f"{what} skal være en række tal (én værdi pr. interval), ikke en tabel af form {array.shape}.")
    bad = np.flatnonzero(~np.isfinite(array))
    if len(bad):
        raise ValueError(f"{what} skal være endelige tal; interval {bad[0]} har {array[bad[0]]}.")
    return array


def _contacts(values: npt.ArrayLike) -> FloatArray:
    array = _float_array(values, "Antal henvendelser")
    negative = np.flatnonzero(array < 0)
    if len(negative):
        k = int(negative[0])
        raise ValueError(f"Antal henvendelser kan ikke være negativt (interval {k}: {array[k]:g}).")
    return array


def _agents(values: npt.ArrayLike) -> IntArray:
    array = _float_array(values, "Antal medarbejdere")
    negative = np.flatnonzero(array < 0)
    if len(negative):
        k = int(negative[0])
        raise ValueError(f"Antal medarbejdere kan ikke være negativt (interval {k}: {array[k]:g}).")
    fractional = np.flatnonzero(array != np.round(array))
    if len(fractional):
        k = int(fractional[0])
        raise ValueError(f"Antal medarbejdere skal være et helt tal (interval {k}: {array[k]:g}).")
    return array.astype(np.int64)


def _starts_seconds(starts: Sequence[float] | Sequence[dt.datetime] | None, intervals: int) -> FloatArray:
    if starts is None:
        return np.arange(intervals, dtype=np.float64)  # in units of the interval length; scaled by the caller
    values = list(starts)
    if values and all(isinstance(value, dt.datetime) for value in values):
        moments: list[dt.datetime] = [value for value in values if isinstance(value, dt.datetime)]
        aware = [moment.utcoffset() is not None for moment in moments]
        if any(aware) and not all(aware):
            raise ValueError("Intervallernes starttider skal enten alle have tidszone eller alle være uden.")
        if all(aware):  # real elapsed time, also across a change to or from summer time
            return np.array([moment.timestamp() - moments[0].timestamp() for moment in moments])
        return np.array([(moment - moments[0]).total_seconds() for moment in moments])
    if any(isinstance(value, dt.datetime) for value in values):
        raise ValueError("Intervallernes starttider skal enten alle være tidspunkter eller alle være minuttal.")
    minutes: list[float] = values  # type: ignore[assignment]  # numbers, checked by _float_array
    return _float_array(minutes, "Intervallernes starttider (minutter)") * 60.0


# --- one replication -------------------------------------------------------------------------------------------------


def _step_integrals(times: FloatArray, deltas: FloatArray, lows: FloatArray, highs: FloatArray) -> FloatArray:
    """∫ over [low, high) of the step function Σ_i deltas[i]·1[t ≥ times[i]] (times sorted ascending)."""
    if len(times) == 0:
        return np.zeros(len(lows))
    level = np.concatenate(([0.0], np.cumsum(deltas)))
    moment = np.concatenate(([0.0], np.cumsum(times * deltas)))

    def antiderivative(x: FloatArray) -> FloatArray:
        k = np.searchsorted(times, x, side="left")
        result: FloatArray = x * level[k] - moment[k]
        return result

    return antiderivative(highs) - antiderivative(lows)


@dataclass(frozen=True, eq=False)
class _Scenario:
    starts: FloatArray  # seconds
    length: float  # seconds
    contacts: FloatArray
    agents: IntArray
    aht: float
    handle_time: HandleTimeDistribution
    cv: float
    patience: float | None
    target: float


def _handle_times(scenario: _Scenario, rng: np.random.Generator, size: int) -> FloatArray:
    if scenario.handle_time == "exponential":
        return rng.exponential(scenario.aht, size)
    sigma2 = math.log1p(scenario.cv**2)
    return rng.lognormal(math.log(scenario.aht) - sigma2 / 2, math.sqrt(sigma2), size)


def _replicate(scenario: _Scenario, rng: np.random.Generator) -> Replication:
    starts, length, agents = scenario.starts, scenario.length, scenario.agents
    intervals = len(starts)
    counts = rng.poisson(scenario.contacts)
    n = int(counts.sum())
    interval_of = np.repeat(np.arange(intervals), counts)
    # Uniform times within each interval; the intervals do not overlap, so sorting keeps them in their blocks.
    arrival_times = np.sort(np.repeat(starts, counts) + rng.random(n) * length)
    handle_times = _handle_times(scenario, rng, n)
    if scenario.patience is None:
        deadline_times = np.full(n, math.inf)
    else:
        deadline_times = arrival_times + rng.exponential(scenario.patience, n)

    # Staffing changes: each interval's start; and a closing (0 agents, queue emptied) after each interval that
    # is not immediately followed by the next one.
    boundary_times: list[float] = []
    boundary_agents: list[int] = []
    boundary_closes: list[bool] = []
    for k in range(intervals):
        boundary_times.append(float(starts[k]))
        boundary_agents.append(int(agents[k]))
        boundary_closes.append(False)
        end = float(starts[k]) + length
        if k + 1 == intervals or starts[k + 1] > end:
            boundary_times.append(end)
            boundary_agents.append(0)
            boundary_closes.append(True)

    arrival = arrival_times.tolist()
    handle = handle_times.tolist()
    deadline = deadline_times.tolist()
    answer_at = [math.nan] * n
    abandoned: list[int] = []
    closed: list[int] = []
    ends: list[float] = []  # heap of the busy agents' call ends
    queue: deque[int] = deque()
    overtime_times: list[float] = []
    overtime_deltas: list[int] = []
    free = excess = 0  # idle agents on duty; agents past their shift who are finishing a call
    inf = math.inf
    i = j = 0
    boundaries = len(boundary_times)
    next_arrival = arrival[0] if n else inf
    next_boundary = boundary_times[0]

    while i < n or j < boundaries:
        if ends and ends[0] <= next_arrival and ends[0] <= next_boundary:
            now = heappop(ends)
            if excess:  # past the end of the shift: leave
                excess -= 1
                overtime_times.append(now)
                overtime_deltas.append(-1)
                continue
            while queue:
                caller = queue.popleft()
                if deadline[caller] < now:  # hung up while waiting
                    abandoned.append(caller)
                    continue
                answer_at[caller] = now
                heappush(ends, now + handle[caller])
                break
            else:
                free += 1
        elif next_boundary <= next_arrival:
            now = next_boundary
            on_duty = boundary_agents[j]
            if boundary_closes[j]:
                for caller in queue:
                    (abandoned if deadline[caller] <= now else closed).append(caller)
                queue.clear()
            j += 1
            next_boundary = boundary_times[j] if j < boundaries else inf
            present = free + len(ends)
            if on_duty >= present:
                if excess:  # the agents finishing overtime calls are on duty again
                    overtime_times.append(now)
                    overtime_deltas.append(-excess)
                    excess = 0
                free += on_duty - present
                while free and queue:
                    caller = queue.popleft()
                    if deadline[caller] < now:
                        abandoned.append(caller)
                        continue
                    free -= 1
                    answer_at[caller] = now
                    heappush(ends, now + handle[caller])
            else:
                leaving = min(free, present - on_duty)
                free -= leaving
                still_busy = present - leaving - on_duty
                if still_busy != excess:
                    overtime_times.append(now)
                    overtime_deltas.append(still_busy - excess)
                    excess = still_busy
        else:
            now = next_arrival
            caller = i
            i += 1
            next_arrival = arrival[i] if i < n else inf
            if free:
                free -= 1
                answer_at[caller] = now
                heappush(ends, now + handle[caller])
            else:
                queue.append(caller)

    # Tallies by the interval each caller arrived in.
    answer = np.array(answer_at)
    is_answered = ~np.isnan(answer)
    waits = answer[is_answered] - arrival_times[is_answered]
    answered_in = interval_of[is_answered]

    def tally(indices: IntArray) -> IntArray:
        return np.bincount(indices, minlength=intervals).astype(np.int64)

    highs = starts + length
    busy_start = answer[is_answered]
    busy_end = busy_start + handle_times[is_answered]
    step_times = np.concatenate((busy_start, busy_end))
    order = np.argsort(step_times, kind="stable")
    busy = _step_integrals(
        step_times[order], np.concatenate((np.ones(len(busy_start)), -np.ones(len(busy_end))))[order], starts, highs
    )
    overtime = _step_integrals(
        np.array(overtime_times, dtype=np.float64), np.array(overtime_deltas, dtype=np.float64), starts, highs
    )
    return Replication(
        offered=counts.astype(np.int64),
        answered=tally(answered_in),
        abandoned=tally(interval_of[np.array(abandoned, dtype=np.int64)]),
        waiting_at_end=tally(interval_of[np.array(closed, dtype=np.int64)]),
        answered_within=tally(answered_in[waits <= scenario.target]),
        wait_seconds=np.bincount(answered_in, weights=waits, minlength=intervals).astype(np.float64),
        busy_seconds=busy,
        present_seconds=agents * length + overtime,
        overtime_seconds=overtime,
    )


# --- the public function ---------------------------------------------------------------------------------------------


def simulate(
    contacts: npt.ArrayLike,
    agents: npt.ArrayLike,
    *,
    aht_seconds: float,
    interval_minutes: float = 30.0,
    interval_starts: Sequence[float] | Sequence[dt.datetime] | None = None,
    handle_time: HandleTimeDistribution = "exponential",
    handle_time_cv: float = 1.0,
    patience_seconds: float | None = None,
    target_seconds: float = 60.0,
    replications: int = 10,
    seed: int = 0,
) -> SimulationResult:
    """Simulate `replications` runs of the intervals and summarise them (see the module docstring).

    contacts[k]: expected contacts in interval k (a forecast); agents[k]: agents on duty in interval k (a rota).
    interval_starts: the intervals' start times, as minutes from any origin or as datetimes (all aware or all
    naive); None = back to back from 0. handle_time: "exponential" (mean `aht_seconds`) or "lognormal" (mean
    `aht_seconds`, coefficient of variation `handle_time_cv`). patience_seconds: mean of an exponential patience,
    or None for callers who never hang up. target_seconds: the service-level threshold (wait ≤ threshold).
    """
    contact_array = _contacts(contacts)
    agent_array = _agents(agents)
    intervals = len(contact_array)
    if intervals == 0:
        raise ValueError("Der skal være mindst ét interval at simulere.")
    length = _positive(interval_minutes, "Intervallets længde") * 60.0
    starts = _starts_seconds(interval_starts, intervals)
    if interval_starts is None:
        starts = starts * length
    if not len(starts) == len(agent_array) == intervals:
        raise ValueError(
            "Antallet af intervaller passer ikke sammen: "
            f"{len(starts)} starttider, {intervals} prognoser og {len(agent_array)} bemandinger."
        )
    overlapping = np.flatnonzero(np.diff(starts) < length - 1e-6)
    if len(overlapping):
        k = int(overlapping[0])
        raise ValueError(
            f"Intervallerne skal stå i tidsorden uden at overlappe: interval {k + 1} starter "
            f"{(starts[k + 1] - starts[k]) / 60:g} minutter efter interval {k}, men et interval varer "
            f"{length / 60:g} minutter."
        )
    aht = _positive(aht_seconds, "Den gennemsnitlige behandlingstid (AHT)")
    if handle_time not in ("exponential", "lognormal"):
        raise ValueError(
            f"Fordelingen af behandlingstider skal være 'exponential' eller 'lognormal', ikke {handle_time!r}."
        )
    cv = _positive(handle_time_cv, "Variationskoefficienten for behandlingstiden")
    if handle_time == "exponential" and cv != 1.0:
        raise ValueError("En eksponentielt fordelt behandlingstid har altid variationskoefficient 1; vælg 'lognormal'.")
    patience = None if patience_seconds is None else _positive(patience_seconds, "Den gennemsnitlige tålmodighed")
    target = _number(target_seconds, "Svartidsmålet")
    if target < 0:
        raise ValueError(f"Svartidsmålet kan ikke være negativt ({target:g} sekunder).")
    runs = _count(replications, "Antal gentagelser (replikationer)", 1)
    seed = _count(seed, "Frøet (seed)", 0)

    scenario = _Scenario(starts, length, contact_array, agent_array, aht, handle_time, cv, patience, target)
    generators = [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(runs)]
    results = tuple(_replicate(scenario, rng) for rng in generators)
    by_interval, total = _summaries(results, intervals)
    return SimulationResult(
        intervals=by_interval,
        total=total,
        replications=results,
        interval_starts_minutes=tuple((starts / 60.0).tolist()),
        interval_minutes=length / 60.0,
        target_seconds=target,
        seed=seed,
    )
