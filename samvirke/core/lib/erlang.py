"""Erlang C and Erlang A: how many agents an interval needs to answer its contacts in time.

Pure functions over floats; no database, no settings, no clock.

Units. Volumes are contacts per interval, times are seconds, intervals are minutes (as the rota thinks of
them). The offered load (traffic intensity) in Erlang is A = λ · AHT = contacts · AHT / interval length.

Erlang C (M/M/N, callers wait for ever) — the textbook formulas, e.g. Gans, Koole & Mandelbaum (2003),
"Telephone call centers: tutorial, review and research prospects", MSOM 5(2), §4.1:

    Erlang B     B(0) = 1,  B(n) = A·B(n−1) / (n + A·B(n−1))          (the stable recursion; no factorials)
    Erlang C     C(N) = N·B(N) / (N − A·(1 − B(N)))          for N > A, else 1 (the queue never empties)
    P(wait ≤ t)  SL = 1 − C(N) · exp(−(N − A) · t / AHT)
    ASA          C(N) · AHT / (N − A)                        (mean wait of all contacts, answered at once or not)
    occupancy    A / N

Agents required (pyworkforce's ErlangC.required_positions semantics): the raw agents are the smallest N > A
whose service level reaches the target and whose occupancy A/N is at most the maximum; the agents to schedule
are ceil(raw / (1 − shrinkage)). The service level, occupancy and waiting probability are reported for the
raw agents. pyworkforce's documented example — 100 contacts per 30 minutes, AHT 3 min, target 20 s, SL 0.8,
shrinkage 0.3, max occupancy 0.85 — gives 14 raw agents and 20 agents; so does this module.

Erlang A (M/M/N+M: callers abandon after an exponential patience with mean 1/θ) — Garnett, Mandelbaum &
Reiman (2002), "Designing a call center with impatient customers", MSOM 4(3); Mandelbaum & Zeltyn (2007),
"Service engineering in action: the Palm/Erlang-A queue, with applications to call centers". With
x = N·μ/θ and y = λ/θ (μ = 1/AHT), the birth–death chain's states above N, relative to state N, weigh
p_j = Π_{i=1..j} y/(x + i), and their sum is

    G(x, y) = Σ_j p_j = x · e^y · y^(−x) · γ(x, y)           (γ: the lower incomplete gamma function)

(Mandelbaum & Zeltyn's λ·J in their notation). A caller who finds j callers queued ahead would be answered
after V, where e^(−θV) ~ Beta(x, j + 1) (Rényi's representation of exponential order statistics), which sums to

    Σ_j p_j · P(V > t | j)                 = e^(y(1−s)) · s^x · G(x, y·s),        s = e^(−θt)
    Σ_j p_j · P(answered, V ≤ t | j)       = (x/y) · [G(x, y) − 1 − e^(y(1−s)) · s^x · (G(x, y·s) − 1)]

With E = Erlang B(N, A) the states below N weigh 1/E − 1, so (normalising by 1/E − 1 + G):

    P(wait > 0)          = G·E / (1 − E + G·E)                     (Erlang C's C(N) as θ → 0)
    P(abandon)           = [(y − x)·G + x] / y  / (1/E − 1 + G)    (= θ·E[queue]/λ)
    service level        = P(answered within t) over all offered contacts; abandoned ones count as not answered
    mean wait E[W]       = P(abandon) / θ                          (Little's law; over all offered contacts)
    occupancy            = A · (1 − P(abandon)) / N

G is evaluated in log space from the series (y < x + 1) or from Legendre's continued fraction for the upper
incomplete gamma function (y ≥ x + 1; Numerical Recipes §6.2), so neither hundreds of agents nor very long
patience overflow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from samvirke.core.lib.validation import finite_float, positive_float, whole_number

__all__ = [
    "ErlangAMetrics",
    "StaffingResult",
    "agents_required",
    "agents_required_erlang_a",
    "asa",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "intensity",
    "occupancy",
    "service_level",
]

_EPS = 1e-16
_MAX_TERMS = 10_000_000
_TINY = 1e-300


# --- input checks (Danish messages: they reach users through the CLI and the web) -------------------------------


def _check_volume(calls: float) -> float:
    calls = finite_float(calls, "Antal henvendelser")
    if calls < 0:
        raise ValueError(f"Antal henvendelser kan ikke være negativt ({calls:g}).")
    return calls


def _check_target_seconds(value: float) -> float:
    value = finite_float(value, "Svartidsmålet")
    if value < 0:
        raise ValueError(f"Svartidsmålet kan ikke være negativt ({value:g} sekunder).")
    return value


def _check_service_level(value: float) -> float:
    value = finite_float(value, "Serviceniveauet")
    if not 0 < value < 1:
        raise ValueError(f"Serviceniveauet skal ligge mellem 0 og 1 (fx 0.8), ikke {value:g}.")
    return value


def _check_shrinkage(value: float) -> float:
    value = finite_float(value, "Shrinkage (fravær fra telefonen)")
    if not 0 <= value < 1:
        raise ValueError(f"Shrinkage skal være mindst 0 og under 1 (fx 0.3), ikke {value:g}.")
    return value


def _check_max_occupancy(value: float) -> float:
    value = finite_float(value, "Den maksimale belægning")
    if not 0 < value <= 1:
        raise ValueError(f"Den maksimale belægning skal være over 0 og højst 1 (fx 0.85), ikke {value:g}.")
    return value


def _check_agents(agents: int) -> int:
    agents = whole_number(agents, "Antal medarbejdere")
    if agents < 0:
        raise ValueError(f"Antal medarbejdere kan ikke være negativt ({agents}).")
    return agents


def _check_intensity(value: float) -> float:
    value = finite_float(value, "Belastningen (Erlang)")
    if value < 0:
        raise ValueError(f"Belastningen kan ikke være negativ ({value:g} Erlang).")
    return value


def intensity(calls: float, interval_minutes: float, aht_seconds: float) -> float:
    """The offered load in Erlang: contacts per interval × AHT / interval length."""
    calls = _check_volume(calls)
    interval_minutes = positive_float(interval_minutes, "Intervallets længde")
    aht_seconds = positive_float(aht_seconds, "Den gennemsnitlige behandlingstid (AHT)")
    return calls * aht_seconds / (interval_minutes * 60.0)


# --- Erlang B and C ------------------------------------------------------------------------------------------------


def _erlang_b(agents: int, load: float) -> float:
    b = 1.0
    for n in range(1, agents + 1):
        ab = load * b
        b = ab / (n + ab)
    return b


def _erlang_c_from_b(agents: int, load: float, b: float) -> float:
    if agents <= load:
        return 1.0
    return agents * b / (agents - load * (1.0 - b))


def _service_level_from_c(agents: int, load: float, c: float, target_over_aht: float) -> float:
    if agents <= load:
        return 0.0
    return min(1.0, max(0.0, 1.0 - c * math.exp(-(agents - load) * target_over_aht)))


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of N agents and no queue (Erlang B) for a load of A Erlang."""
    return _erlang_b(_check_agents(agents), _check_intensity(load))


def erlang_c(agents: int, load: float) -> float:
    """Probability that a contact waits (Erlang C); 1 when N ≤ A (an unstable queue) and 0 for zero load."""
    agents, load = _check_agents(agents), _check_intensity(load)
    if load == 0:
        return 0.0
    return _erlang_c_from_b(agents, load, _erlang_b(agents, load))


def service_level(agents: int, load: float, aht_seconds: float, target_seconds: float) -> float:
    """P(wait ≤ target) under Erlang C: 1 − C(N)·exp(−(N − A)·t/AHT); 0 when N ≤ A."""
    agents, load = _check_agents(agents), _check_intensity(load)
    aht_seconds = positive_float(aht_seconds, "Den gennemsnitlige behandlingstid (AHT)")
    target_seconds = _check_target_seconds(target_seconds)
    if load == 0:
        return 1.0
    c = _erlang_c_from_b(agents, load, _erlang_b(agents, load))
    return _service_level_from_c(agents, load, c, target_seconds / aht_seconds)


def asa(agents: int, load: float, aht_seconds: float) -> float:
    """Average speed of answer in seconds under Erlang C: C(N)·AHT/(N − A); infinite when N ≤ A."""
    agents, load = _check_agents(agents), _check_intensity(load)
    aht_seconds = positive_float(aht_seconds, "Den gennemsnitlige behandlingstid (AHT)")
    if load == 0:
        return 0.0
    if agents <= load:
        return math.inf
    return _erlang_c_from_b(agents, load, _erlang_b(agents, load)) * aht_seconds / (agents - load)


def occupancy(agents: int, load: float) -> float:
    """The share of the agents' time spent on contacts, A/N (at most 1)."""
    agents, load = _check_agents(agents), _check_intensity(load)
    if load == 0:
        return 0.0
    if agents == 0:
        return 1.0
    return min(1.0, load / agents)


# --- agents required -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingResult:
    """What one interval needs. `raw_agents` answer the contacts; `agents` are scheduled (shrinkage added).

    service_level, occupancy, waiting_probability and asa_seconds are those of the raw agents; abandonment is
    the probability that a contact hangs up before it is answered (Erlang A only; None under Erlang C).
    """

    raw_agents: int
    agents: int
    service_level: float
    occupancy: float
    waiting_probability: float
    asa_seconds: float
    intensity: float
    abandonment: float | None = None


def _scheduled(raw_agents: int, shrinkage: float) -> int:
    # A hair of tolerance so that 14 / (1 − 0.3) = 20.000000000000004 is 20 agents, not 21.
    return math.ceil(raw_agents / (1.0 - shrinkage) - 1e-9)


def _occupancy_floor(load: float, max_occupancy: float) -> int:
    # Smallest N with A/N ≤ max occupancy, with the same tolerance for float noise (A/0.85 = 11.000000000000002).
    return math.ceil(load / max_occupancy - 1e-9)


def agents_required(
    calls: float,
    interval_minutes: float,
    aht_seconds: float,
    target_service_level: float,
    target_seconds: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
) -> StaffingResult:
    """Agents an interval needs under Erlang C for `target_service_level` of the contacts within `target_seconds`.

    raw agents = the smallest N > A with P(wait ≤ target) ≥ target SL and A/N ≤ max occupancy;
    agents = ceil(raw / (1 − shrinkage)). Zero contacts need zero agents. Runs in O(N): the Erlang B recursion
    is carried along as N grows instead of being restarted for each candidate.
    """
    load = intensity(calls, interval_minutes, aht_seconds)
    target_service_level = _check_service_level(target_service_level)
    target_seconds = _check_target_seconds(target_seconds)
    shrinkage = _check_shrinkage(shrinkage)
    max_occupancy = _check_max_occupancy(max_occupancy)
    if load == 0:
        return StaffingResult(0, 0, 1.0, 0.0, 0.0, 0.0, 0.0)

    target_over_aht = target_seconds / aht_seconds
    # Both targets improve with N, so start at the larger of the two floors — the smallest N with a stable
    # queue, the smallest N within the maximum occupancy — and add agents until the service level is met.
    n = max(math.floor(load) + 1, _occupancy_floor(load, max_occupancy))
    b = _erlang_b(n, load)
    while True:
        c = n * b / (n - load * (1.0 - b))  # n > load throughout
        sl = 1.0 - c * math.exp(-(n - load) * target_over_aht)
        if sl >= target_service_level:
            break
        n += 1
        ab = load * b
        b = ab / (n + ab)
    return StaffingResult(
        raw_agents=n,
        agents=_scheduled(n, shrinkage),
        service_level=sl,
        occupancy=load / n,
        waiting_probability=c,
        asa_seconds=c * aht_seconds / (n - load),
        intensity=load,
    )


# --- Erlang A ------------------------------------------------------------------------------------------------------


def _log_g(x: float, y: float) -> tuple[float, float | None]:
    """log G(x, y) = log Σ_{j≥0} Π_{i=1..j} y/(x+i) = log(x·e^y·y^(−x)·γ(x, y)), for x > 0, y ≥ 0.

    The second value is log P(x, y) (the regularised lower incomplete gamma function) when the continued
    fraction was used, else None: ratios of two such values are then exact to rounding, where a ratio of two
    G's would carry the absolute error of lgamma(x + 1) + y − x·log y.
    """
    if y <= 0:
        return 0.0, None
    if y < x + 1:
        # The series: every ratio y/(x+j) < 1, so the terms fall from the first one.
        term = total = 1.0
        j = 1
        while j < _MAX_TERMS:
            term *= y / (x + j)
            total += term
            if term < total * _EPS:
                return math.log(total), None
            j += 1
        raise ArithmeticError("Erlang A-rækken konvergerer ikke.")  # pragma: no cover
    # y ≥ x + 1: G = x·e^y·y^(−x)·(Γ(x) − Γ(x, y)), with Γ(x, y) = e^(−y)·y^x·h from the continued fraction
    # (modified Lentz). The first term dominates here, so the subtraction loses at most a bit or two.
    b = y + 1.0 - x
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    i = 1
    while i < _MAX_TERMS:
        an = -i * (i - x)
        b += 2.0
        d = an * d + b
        if abs(d) < _TINY:
            d = _TINY
        c = b + an / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
        i += 1
    else:  # pragma: no cover
        raise ArithmeticError("Erlang A-kædebrøken konvergerer ikke.")
    log_first = math.lgamma(x + 1.0) + y - x * math.log(y)
    log_p = math.log1p(-x * h * math.exp(-log_first))  # log(1 − Q(x, y)), Q = Γ(x, y)/Γ(x)
    return log_first + log_p, log_p


@dataclass(frozen=True)
class ErlangAMetrics:
    """Erlang A (M/M/N+M) for N agents: probabilities over all offered contacts, times in seconds."""

    waiting_probability: float
    service_level: float
    abandonment: float
    asa_seconds: float
    occupancy: float


def _erlang_a(agents: int, load: float, b: float, aht: float, target: float, patience: float) -> ErlangAMetrics:
    if agents == 0:
        # Nobody answers: everyone waits and eventually hangs up.
        return ErlangAMetrics(1.0, 0.0, 1.0, patience, 0.0)
    x = agents * patience / aht  # N·μ/θ
    y = load * patience / aht  # λ/θ
    log_g, log_p = _log_g(x, y)
    # Everything is divided by G, so an overloaded queue (G astronomically large) stays finite.
    inv_g = math.exp(-log_g)
    below = (1.0 / b - 1.0) * inv_g if b > 0 else math.inf  # the states with a free agent, relative to G
    if math.isinf(below) or below > 1e300:
        return ErlangAMetrics(0.0, 1.0, 0.0, 0.0, min(1.0, load / agents))
    total = below + 1.0
    s_log = -target / patience  # log s
    log_k = y * -math.expm1(s_log) + x * s_log  # log(e^(y(1−s))·s^x)
    log_g_late, log_p_late = _log_g(x, y * math.exp(s_log))
    # log of γ(x, y·s)/γ(x, y): from the two log P's when both exist (the common factors cancel exactly)
    log_late = log_k + log_g_late - log_g if log_p is None or log_p_late is None else log_p_late - log_p
    # Σ p_j·P(V ≤ t | j) over G is 1 − late; the answered share of it needs (1 − K)/G taken off (see above).
    # (K − 1)/G; K ≤ G always, but K alone may not fit in a float when the queue is long.
    k_less_one_over_g = inv_g * math.expm1(log_k) if log_k < 700 else math.exp(log_k - log_g) - inv_g
    answered_after_wait_within = (x / y) * (-math.expm1(log_late) + k_less_one_over_g)
    abandon = ((y - x) + x * inv_g) / y
    p_wait = 1.0 / total
    p_abandon = min(1.0, max(0.0, abandon / total))
    sl = min(1.0, max(0.0, (below + max(0.0, answered_after_wait_within)) / total))
    return ErlangAMetrics(
        waiting_probability=p_wait,
        service_level=sl,
        abandonment=p_abandon,
        asa_seconds=p_abandon * patience,
        occupancy=min(1.0, load * (1.0 - p_abandon) / agents),
    )


def _check_patience(patience_seconds: float) -> float:
    return positive_float(patience_seconds, "Den gennemsnitlige tålmodighed")


def erlang_a(
    agents: int, load: float, aht_seconds: float, target_seconds: float, patience_seconds: float
) -> ErlangAMetrics:
    """Erlang A for N agents, a load of A Erlang and callers who hang up after `patience_seconds` on average."""
    agents, load = _check_agents(agents), _check_intensity(load)
    aht_seconds = positive_float(aht_seconds, "Den gennemsnitlige behandlingstid (AHT)")
    target_seconds = _check_target_seconds(target_seconds)
    patience_seconds = _check_patience(patience_seconds)
    if load == 0:
        return ErlangAMetrics(0.0, 1.0, 0.0, 0.0, 0.0)
    return _erlang_a(agents, load, _erlang_b(agents, load), aht_seconds, target_seconds, patience_seconds)


def agents_required_erlang_a(
    calls: float,
    interval_minutes: float,
    aht_seconds: float,
    target_service_level: float,
    target_seconds: float,
    patience_seconds: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
) -> StaffingResult:
    """Agents an interval needs when callers abandon (Erlang A), with the same rules as `agents_required`.

    The service level counts a contact as a success only if it is answered within `target_seconds`; abandoned
    contacts count against it. Since at most N/A of the contacts can be answered, the search starts at
    N = ceil(target SL · A) and adds one agent at a time (the service level grows with N).
    """
    load = intensity(calls, interval_minutes, aht_seconds)
    target_service_level = _check_service_level(target_service_level)
    target_seconds = _check_target_seconds(target_seconds)
    patience_seconds = _check_patience(patience_seconds)
    shrinkage = _check_shrinkage(shrinkage)
    max_occupancy = _check_max_occupancy(max_occupancy)
    if load == 0:
        return StaffingResult(0, 0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)

    n = max(1, math.ceil(target_service_level * load - 1e-9))
    b = _erlang_b(n, load)
    while True:
        metrics = _erlang_a(n, load, b, aht_seconds, target_seconds, patience_seconds)
        if metrics.service_level >= target_service_level and metrics.occupancy <= max_occupancy + 1e-12:
            break
        n += 1
        ab = load * b
        b = ab / (n + ab)
    return StaffingResult(
        raw_agents=n,
        agents=_scheduled(n, shrinkage),
        service_level=metrics.service_level,
        occupancy=metrics.occupancy,
        waiting_probability=metrics.waiting_probability,
        asa_seconds=metrics.asa_seconds,
        intensity=load,
        abandonment=metrics.abandonment,
    )
