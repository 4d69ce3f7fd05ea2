"""Erlang C and Erlang A (samvirke/staffing/lib/erlang.py): hand-checked values, limits and properties."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samvirke.core.lib.erlang import (
    agents_required,
    agents_required_erlang_a,
    asa,
    erlang_a,
    erlang_b,
    erlang_c,
    intensity,
    occupancy,
    service_level,
)

# --- references computed the slow, obvious way -----------------------------------------------------------------------


def erlang_c_by_factorials(agents: int, load: Fraction) -> Fraction:
    """The textbook formula with exact fractions: (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A))."""
    top = load**agents / math.factorial(agents) * agents / (agents - load)
    return top / (sum(load**k / math.factorial(k) for k in range(agents)) + top)


def erlang_a_by_chain(agents: int, load: float, aht: float, patience: float) -> tuple[float, float]:
    """P(wait) and P(abandon) from the birth–death chain of M/M/N+M, truncated far out."""
    lam, mu, theta = load / aht, 1 / aht, 1 / patience
    weights = [1.0]
    for k in range(1, agents + 1):
        weights.append(weights[-1] * load / k)
    for j in range(1, 5000):
        weights.append(weights[-1] * lam / (agents * mu + j * theta))
    total = sum(weights)
    waiting = sum(weights[agents:]) / total
    mean_queue = sum((k - agents) * w for k, w in enumerate(weights) if k > agents) / total
    return waiting, theta * mean_queue / lam


# --- Erlang C --------------------------------------------------------------------------------------------------------


def test_pyworkforce_documented_example() -> None:
    # 100 contacts per 30 min, AHT 3 min, answer within 20 s for 80 %, shrinkage 0.3, max occupancy 0.85.
    result = agents_required(100, 30, 180, 0.8, 20, shrinkage=0.3, max_occupancy=0.85)
    assert (result.raw_agents, result.agents) == (14, 20)
    assert round(result.service_level, 3) == 0.888
    assert round(result.occupancy, 3) == 0.714
    assert round(result.waiting_probability, 3) == 0.174
    assert result.intensity == 10.0
    assert result.abandonment is None


def test_pyworkforce_over_occupancy_example() -> None:
    # pyworkforce's test with a maximum occupancy of 0.7: 10/0.7 = 14.3 → 15 raw agents, 15/0.7 → 22 agents.
    result = agents_required(100, 30, 180, 0.8, 19.8, shrinkage=0.3, max_occupancy=0.7)
    assert (result.raw_agents, result.agents) == (15, 22)
    assert round(result.service_level, 3) == 0.941
    assert round(result.occupancy, 3) == 0.667
    assert round(result.waiting_probability, 3) == 0.102


@pytest.mark.parametrize(
    ("agents", "load", "table_value"),
    # Erlang C tables (probability of waiting), A = 10 Erlang; Erlang B's classic B(10, 10) = 0.2146.
    [(11, 10, 0.6821), (12, 10, 0.4494), (13, 10, 0.2853), (14, 10, 0.1741), (15, 10, 0.1020), (3, 2, 0.4444)],
)
def test_erlang_c_textbook_values(agents: int, load: float, table_value: float) -> None:
    assert erlang_c(agents, load) == pytest.approx(table_value, abs=5e-5)


def test_erlang_b_textbook_value() -> None:
    assert erlang_b(10, 10) == pytest.approx(0.2146, abs=5e-5)
    assert erlang_b(1, 1) == 0.5
    assert erlang_b(0, 3) == 1.0


def test_two_agents_one_erlang_by_hand() -> None:
    # N = 2, A = 1: C = (1/2 · 2) / (1 + 1 + 1) = 1/3; SL(t) = 1 − 1/3·e^(−t/AHT); ASA = (1/3)·AHT/1.
    assert erlang_c(2, 1) == pytest.approx(1 / 3, rel=1e-14)
    assert service_level(2, 1, aht_seconds=100, target_seconds=100) == pytest.approx(1 - math.exp(-1) / 3, rel=1e-14)
    assert asa(2, 1, aht_seconds=100) == pytest.approx(100 / 3, rel=1e-14)
    assert occupancy(2, 1) == 0.5


@pytest.mark.parametrize(("agents", "load"), [(5, Fraction(7, 2)), (12, Fraction(10)), (30, Fraction(47, 2))])
def test_erlang_c_matches_the_factorial_formula(agents: int, load: Fraction) -> None:
    assert erlang_c(agents, float(load)) == pytest.approx(float(erlang_c_by_factorials(agents, load)), rel=1e-12)


def test_hundreds_of_agents_do_not_overflow() -> None:
    # 170! already overflows a float; the recursion does not care.
    exact = float(erlang_c_by_factorials(520, Fraction(500)))
    assert erlang_c(520, 500.0) == pytest.approx(exact, rel=1e-10)
    result = agents_required(12_000, 30, 300, 0.8, 20)  # 2,000 Erlang
    assert result.intensity == 2000.0
    assert 2000 < result.raw_agents < 2100
    assert result.service_level >= 0.8
    assert service_level(result.raw_agents - 1, 2000.0, 300, 20) < 0.8
    assert erlang_c(5000, 10.0) == 0.0


def test_unstable_queue() -> None:
    assert erlang_c(10, 10) == 1.0
    assert service_level(9, 10, 180, 20) == 0.0
    assert asa(10, 10, 180) == math.inf
    assert occupancy(5, 10) == 1.0


def test_raw_agents_start_right_above_the_load() -> None:
    # A = 4.6 Erlang, a long target: 5 agents already answer 80 % within 15 minutes. (pyworkforce starts its
    # search at round(A + 1) = 6 and would report 6.)
    result = agents_required(46, 30, 180, 0.8, 900)
    assert result.raw_agents == 5
    assert result.service_level == service_level(5, 4.6, 180, 900) >= 0.8


def test_zero_volume_needs_nobody() -> None:
    result = agents_required(0, 30, 180, 0.8, 20, shrinkage=0.3, max_occupancy=0.85)
    assert (result.raw_agents, result.agents) == (0, 0)
    assert (result.service_level, result.occupancy, result.waiting_probability) == (1.0, 0.0, 0.0)
    assert agents_required_erlang_a(0, 30, 180, 0.8, 20, patience_seconds=60).agents == 0
    assert erlang_c(0, 0) == 0.0
    assert service_level(0, 0, 180, 20) == 1.0


def test_shrinkage_rounds_up_without_float_noise() -> None:
    assert agents_required(100, 30, 180, 0.8, 20, shrinkage=0.3).agents == 20  # 14 / 0.7 = 20.000000000000004
    assert agents_required(100, 30, 180, 0.8, 20, shrinkage=0.0).agents == 14
    assert agents_required(100, 30, 180, 0.8, 20, shrinkage=0.5).agents == 28


def test_max_occupancy_binds_exactly() -> None:
    # A = 8.5, max 0.85: exactly 10 agents (8.5/0.85 is 10.000000000000002 in floats).
    # The service level alone would take 9 (A/9 = 94 %).
    assert agents_required(85, 30, 180, 0.5, 600).raw_agents == 9
    result = agents_required(85, 30, 180, 0.5, 600, max_occupancy=0.85)
    assert result.raw_agents == 10
    assert result.occupancy == pytest.approx(0.85)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"calls": -1}, "negativt"),
        ({"aht_seconds": 0}, "behandlingstid"),
        ({"interval_minutes": 0}, "Intervallets"),
        ({"target_service_level": 0}, "Serviceniveauet"),
        ({"target_service_level": 1}, "Serviceniveauet"),
        ({"target_service_level": 1.2}, "Serviceniveauet"),
        ({"shrinkage": 1}, "Shrinkage"),
        ({"shrinkage": -0.1}, "Shrinkage"),
        ({"max_occupancy": 0}, "belægning"),
        ({"max_occupancy": 1.01}, "belægning"),
        ({"target_seconds": -5}, "Svartidsmålet"),
        ({"calls": math.nan}, "endeligt"),
        ({"calls": "100"}, "et tal"),
    ],
)
def test_bad_input_is_refused_in_danish(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "calls": 100,
        "interval_minutes": 30,
        "aht_seconds": 180,
        "target_service_level": 0.8,
        "target_seconds": 20,
        "shrinkage": 0.3,
        "max_occupancy": 0.85,
    } | kwargs
    with pytest.raises(ValueError, match=message):
        agents_required(**arguments)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        agents_required_erlang_a(**arguments, patience_seconds=60)  # type: ignore[arg-type]


def test_bad_input_to_the_building_blocks() -> None:
    with pytest.raises(ValueError, match="helt tal"):
        erlang_c(2.5, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negativ"):
        erlang_b(3, -1)
    with pytest.raises(ValueError, match="tålmodighed"):
        erlang_a(3, 1, 180, 20, patience_seconds=0)
    with pytest.raises(ValueError, match="negativt"):
        intensity(-3, 30, 180)


loads = st.floats(min_value=0.05, max_value=300, allow_nan=False)
ahts = st.floats(min_value=10, max_value=1800, allow_nan=False)
targets = st.floats(min_value=0, max_value=600, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(load=loads, aht=ahts, target=targets, agents=st.integers(min_value=0, max_value=400))
def test_more_agents_never_lower_the_service_level(load: float, aht: float, target: float, agents: int) -> None:
    assert service_level(agents + 1, load, aht, target) >= service_level(agents, load, aht, target)
    assert erlang_c(agents + 1, load) <= erlang_c(agents, load)
    assert 0.0 <= service_level(agents, load, aht, target) <= 1.0


@settings(max_examples=200, deadline=None)
@given(
    calls=st.floats(min_value=0.1, max_value=2000),
    aht=ahts,
    target_sl=st.floats(min_value=0.05, max_value=0.99),
    target=targets,
    shrinkage=st.floats(min_value=0, max_value=0.6),
    max_occupancy=st.floats(min_value=0.5, max_value=1.0),
)
def test_agents_required_is_the_smallest_that_meets_the_targets(
    calls: float, aht: float, target_sl: float, target: float, shrinkage: float, max_occupancy: float
) -> None:
    result = agents_required(calls, 30, aht, target_sl, target, shrinkage=shrinkage, max_occupancy=max_occupancy)
    load = result.intensity
    n = result.raw_agents
    assert n > load
    assert result.service_level >= target_sl
    assert result.service_level == pytest.approx(service_level(n, load, aht, target), abs=1e-12)
    assert load / n <= max_occupancy + 1e-9
    fewer = n - 1
    assert fewer <= load or service_level(fewer, load, aht, target) < target_sl or load / fewer > max_occupancy - 1e-9
    assert result.agents >= n
    assert result.agents * (1 - shrinkage) >= n - 1e-6


@settings(max_examples=100, deadline=None)
@given(calls=st.floats(min_value=1, max_value=500), target_sl=st.floats(min_value=0.5, max_value=0.95))
def test_a_higher_volume_never_needs_fewer_agents(calls: float, target_sl: float) -> None:
    low = agents_required(calls, 30, 240, target_sl, 30)
    high = agents_required(calls * 1.1, 30, 240, target_sl, 30)
    assert high.raw_agents >= low.raw_agents


# --- Erlang A --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agents", "load", "aht", "patience"),
    [(10, 8.0, 180, 120), (5, 6.0, 180, 60), (14, 10.0, 180, 180), (30, 20.0, 300, 600), (3, 1.0, 100, 100)],
)
def test_erlang_a_matches_the_birth_death_chain(agents: int, load: float, aht: float, patience: float) -> None:
    waiting, abandoning = erlang_a_by_chain(agents, load, aht, patience)
    metrics = erlang_a(agents, load, aht, 20, patience)
    assert metrics.waiting_probability == pytest.approx(waiting, rel=1e-12)
    assert metrics.abandonment == pytest.approx(abandoning, rel=1e-10)
    assert metrics.asa_seconds == pytest.approx(abandoning * patience, rel=1e-10)
    assert metrics.occupancy == pytest.approx(load * (1 - abandoning) / agents, rel=1e-12)


def test_erlang_a_with_patience_equal_to_aht_is_an_infinite_server_queue() -> None:
    # θ = μ: leaving the queue is as fast as being served, so the number present is Poisson(A).
    load, agents = 10.0, 12
    poisson_tail = 1 - sum(math.exp(-load) * load**k / math.factorial(k) for k in range(agents))
    assert erlang_a(agents, load, 200, 20, 200).waiting_probability == pytest.approx(poisson_tail, rel=1e-12)


def test_erlang_a_service_level_by_hand_for_one_agent() -> None:
    # N = 1: a caller who finds the agent busy and nobody queued (prob. π_1) is answered within t and before
    # hanging up with probability μ/(μ+θ)·(1 − e^(−(μ+θ)t)). With A = 0.001 the longer queues are negligible.
    load, aht, patience, t = 0.001, 100.0, 50.0, 30.0
    mu, theta = 1 / aht, 1 / patience
    pi1 = load / (1 + load)  # to first order
    expected = 1 - pi1 + pi1 * mu / (mu + theta) * (1 - math.exp(-(mu + theta) * t))
    assert erlang_a(1, load, aht, t, patience).service_level == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("patience", [1e6, 1e8, 1e12])
def test_erlang_a_with_very_long_patience_approaches_erlang_c(patience: float) -> None:
    metrics = erlang_a(14, 10.0, 180, 20, patience)
    tolerance = 1e-4 * 1e6 / patience  # the gap shrinks like θ = 1/patience
    assert metrics.waiting_probability == pytest.approx(erlang_c(14, 10.0), abs=tolerance)
    assert metrics.service_level == pytest.approx(service_level(14, 10.0, 180, 20), abs=tolerance)
    assert metrics.asa_seconds == pytest.approx(asa(14, 10.0, 180), rel=1e-3)
    assert metrics.abandonment < 1e-5
    c = agents_required(100, 30, 180, 0.8, 20, shrinkage=0.3, max_occupancy=0.85)
    a = agents_required_erlang_a(100, 30, 180, 0.8, 20, patience_seconds=patience, shrinkage=0.3, max_occupancy=0.85)
    assert (a.raw_agents, a.agents) == (c.raw_agents, c.agents)


def test_erlang_a_overloaded_and_large_stays_finite() -> None:
    metrics = erlang_a(8, 10.0, 180, 20, 1e6)  # too few agents, callers who almost never give up
    assert metrics.waiting_probability == 1.0
    assert metrics.abandonment == pytest.approx(0.2, rel=1e-9)  # only N/A = 80 % can be served
    metrics = erlang_a(400, 480.0, 180, 20, 90)
    assert 0 < metrics.service_level < 1
    assert metrics.abandonment == pytest.approx(1 - 400 / 480, abs=0.02)
    assert erlang_a(600, 10.0, 180, 20, 90).service_level == 1.0


def test_erlang_a_needs_fewer_agents_when_callers_give_up_quickly() -> None:
    c = agents_required(100, 30, 180, 0.8, 20, max_occupancy=1.0)
    a = agents_required_erlang_a(100, 30, 180, 0.8, 20, patience_seconds=120, max_occupancy=1.0)
    assert a.raw_agents < c.raw_agents
    assert a.service_level >= 0.8
    assert a.abandonment is not None and 0 < a.abandonment < 0.1
    fewer = erlang_a(a.raw_agents - 1, 10.0, 180, 20, 120)
    assert fewer.service_level < 0.8


@settings(max_examples=150, deadline=None)
@given(
    load=st.floats(min_value=0.05, max_value=200),
    aht=ahts,
    target=targets,
    patience=st.floats(min_value=5, max_value=3600),
    agents=st.integers(min_value=0, max_value=300),
)
def test_erlang_a_more_agents_never_lower_the_service_level(
    load: float, aht: float, target: float, patience: float, agents: int
) -> None:
    now = erlang_a(agents, load, aht, target, patience)
    more = erlang_a(agents + 1, load, aht, target, patience)
    assert more.service_level >= now.service_level - 1e-12
    assert more.abandonment <= now.abandonment + 1e-12
    for value in (now.service_level, now.abandonment, now.waiting_probability, now.occupancy):
        assert 0.0 <= value <= 1.0
