"""The contact-centre simulation (samvirke/staffing/lib/simulation.py): Erlang where Erlang holds, and the rest.

Every test uses fixed seeds, so the figures are deterministic; the tolerances are still set at about three
standard deviations of the simulation noise (measured over seeds 0–9), so they do not hinge on a lucky seed.
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samvirke.core.lib.erlang import asa, erlang_a, service_level
from samvirke.staffing.lib.simulation import Estimate, SimulationResult, simulate

AHT = 270.0
TARGET = 60.0


def stationary(load: float, agents: int, hours: float, **options: object) -> SimulationResult:
    """One long interval of `hours` with a constant arrival rate of load/AHT and `agents` agents."""
    return simulate(
        [load / AHT * hours * 3600],
        [agents],
        aht_seconds=AHT,
        interval_minutes=hours * 60,
        target_seconds=TARGET,
        **options,  # type: ignore[arg-type]
    )


def assert_conserved(result: SimulationResult) -> None:
    for run in result.replications:
        assert np.array_equal(run.offered, run.answered + run.abandoned + run.waiting_at_end)
        assert np.all(run.answered_within <= run.answered)
        assert np.all(run.busy_seconds <= run.present_seconds + 1e-6)
        assert np.all(run.busy_seconds >= -1e-6)
        assert np.all(run.overtime_seconds >= -1e-6)


# --- where Erlang holds ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "agents", "hours", "seed"),
    [
        (20.0, 23, 200, 1),  # a large group: Erlang C gives 78.7 % in 60 s
        (5.0, 7, 400, 2),  # 79.2 %
        (2.0, 3, 400, 3),  # a tiny team: 64.4 %
    ],
)
def test_service_level_matches_erlang_c(load: float, agents: int, hours: float, seed: int) -> None:
    result = stationary(load, agents, hours, replications=4, seed=seed)
    total = result.total
    assert total.service_level.mean == pytest.approx(service_level(agents, load, AHT, TARGET), abs=0.03)
    assert total.asa_seconds.mean == pytest.approx(asa(agents, load, AHT), rel=0.15)
    assert total.occupancy.mean == pytest.approx(load / agents, abs=0.01)
    assert total.abandoned.mean == 0
    # Nobody hangs up, and the line closes only once, so almost every caller is answered.
    assert total.waiting_at_end.mean < 0.001 * total.offered.mean
    assert_conserved(result)


@pytest.mark.parametrize(
    ("load", "agents", "patience", "seed"),
    [
        (20.0, 21, 150.0, 4),  # Erlang A: 5.8 % abandon, 87.4 % in 60 s
        (20.0, 18, 120.0, 5),  # understaffed (N < A): stable only because callers hang up; 17.0 % abandon
    ],
)
def test_abandonment_and_service_level_match_erlang_a(load: float, agents: int, patience: float, seed: int) -> None:
    result = stationary(load, agents, 200, patience_seconds=patience, replications=4, seed=seed)
    expected = erlang_a(agents, load, AHT, TARGET, patience)
    total = result.total
    assert total.abandonment_rate.mean == pytest.approx(expected.abandonment, abs=0.01)
    assert total.service_level.mean == pytest.approx(expected.service_level, abs=0.02)
    assert total.occupancy.mean == pytest.approx(expected.occupancy, abs=0.01)
    assert_conserved(result)


def test_lognormal_handle_times_keep_the_mean_and_beat_erlang_c_when_less_variable() -> None:
    steady = stationary(20.0, 22, 200, replications=4, seed=6, handle_time="lognormal", handle_time_cv=0.4)
    assert steady.total.occupancy.mean == pytest.approx(20 / 22, abs=0.01)
    # Less variable handle times mean shorter queues: the Allen–Cunneen approximation scales Erlang C's wait by
    # (1 + CV²)/2 = 0.58, and the service level goes up (Erlang C: 63.6 %).
    assert 0.45 < steady.total.asa_seconds.mean / asa(22, 20.0, AHT) < 0.75
    assert steady.total.service_level.mean > service_level(22, 20.0, AHT, TARGET) + 0.04


# --- limits and conventions ------------------------------------------------------------------------------------------


def test_zero_staffing_with_patience_everyone_abandons() -> None:
    # Patience of 30 s on average in a 10-hour interval: all but the last few callers have hung up by the close.
    result = simulate([500], [0], aht_seconds=AHT, interval_minutes=600, patience_seconds=30, replications=3)
    for run in result.replications:
        assert run.answered.sum() == 0
        assert run.abandoned.sum() + run.waiting_at_end.sum() == run.offered.sum()
        assert run.waiting_at_end.sum() <= 3
    assert result.total.service_level.mean == 0
    assert result.total.abandonment_rate.mean > 0.99
    assert math.isnan(result.total.occupancy.mean)  # no agent was ever present
    assert math.isnan(result.total.asa_seconds.mean)  # nobody was answered


def test_zero_staffing_without_patience_nobody_is_answered() -> None:
    result = simulate([40, 60], [0, 0], aht_seconds=AHT, replications=3, seed=7)
    for run in result.replications:
        assert run.answered.sum() == run.abandoned.sum() == 0
        assert np.array_equal(run.waiting_at_end, run.offered)
    assert result.total.service_level.mean == 0
    assert math.isnan(result.total.service_level_answered_or_abandoned.mean)  # nobody answered or abandoned


def test_zero_contacts_leave_the_agents_idle() -> None:
    result = simulate([0, 0], [3, 3], aht_seconds=AHT, replications=2)
    assert result.total.offered.mean == 0
    assert result.total.occupancy.mean == 0
    assert math.isnan(result.total.service_level.mean)


def test_agents_busy_at_the_end_of_their_shift_finish_the_call() -> None:
    # One agent in the first half hour, nobody in the second: calls are 20 minutes on average, so the agent is
    # usually on a call at 00:30 and works on (overtime) until it ends; nobody is answered after 00:30.
    result = simulate([4, 4], [1, 0], aht_seconds=1200, patience_seconds=None, replications=20, seed=8)
    overtime_runs = 0
    for run in result.replications:
        assert run.overtime_seconds[0] == pytest.approx(0)
        assert run.answered[1] == 0
        # In the second interval the only agent present is the one finishing a call: busy all the time present.
        assert run.busy_seconds[1] == pytest.approx(run.present_seconds[1], abs=1e-6)
        assert run.present_seconds[1] == pytest.approx(run.overtime_seconds[1], abs=1e-6)
        overtime_runs += run.overtime_seconds[1] > 0
    assert overtime_runs >= 10
    assert result.intervals[1].occupancy.mean == pytest.approx(1.0)
    assert_conserved(result)


def test_agents_coming_on_duty_take_the_waiting_callers_at_once() -> None:
    result = simulate([6, 0], [0, 6], aht_seconds=60, replications=10, seed=9)
    for run in result.replications:
        assert run.answered[0] == run.offered[0]  # all answered at 00:30
        assert run.waiting_at_end.sum() == 0
    first = result.intervals[0]
    # Callers wait until 00:30: on average a quarter of an hour (uniform arrivals in the first half hour).
    assert 500 < first.asa_seconds.mean < 1300


def test_the_line_closes_in_a_gap_and_at_the_end() -> None:
    # 08:00–08:30 unstaffed, closed until 10:00, then 10 agents: the 08:00 callers are not kept until 10:00.
    result = simulate([10, 10], [0, 10], aht_seconds=60, interval_starts=[480, 600], replications=5, seed=10)
    for run in result.replications:
        assert run.answered[0] == 0
        assert run.waiting_at_end[0] == run.offered[0]
        assert run.answered[1] == run.offered[1]
    assert result.interval_starts_minutes == (480.0, 600.0)


def test_service_level_definitions() -> None:
    result = stationary(20.0, 19, 20, patience_seconds=90, replications=3, seed=11)
    for run in result.replications:
        metrics = run.metrics(total=True)
        offered = run.offered.sum()
        assert metrics["service_level"] == pytest.approx(run.answered_within.sum() / offered)
        assert metrics["service_level_answered_or_abandoned"] == pytest.approx(
            run.answered_within.sum() / (run.answered.sum() + run.abandoned.sum())
        )
        assert metrics["abandonment_rate"] == pytest.approx(run.abandoned.sum() / offered)
        assert metrics["service_level_answered_or_abandoned"] >= metrics["service_level"]
        assert metrics["asa_seconds"] == pytest.approx(run.wait_seconds.sum() / run.answered.sum())


def test_totals_pool_the_intervals() -> None:
    result = simulate([30, 80, 50], [3, 6, 4], aht_seconds=AHT, patience_seconds=120, replications=5, seed=12)
    assert_conserved(result)
    assert len(result.intervals) == 3
    offered = sum(summary.offered.mean for summary in result.intervals)
    assert result.total.offered.mean == pytest.approx(offered)
    for summary in (*result.intervals, result.total):
        for estimate in (summary.service_level, summary.abandonment_rate, summary.occupancy):
            assert 0 <= estimate.mean <= 1
            assert estimate.low <= estimate.mean <= estimate.high


# --- reproducibility, time axes ---------------------------------------------------------------------------------------


def test_fixed_seed_is_reproducible_and_replications_do_not_depend_on_their_number() -> None:
    one = simulate([50, 70], [5, 6], aht_seconds=AHT, patience_seconds=100, replications=2, seed=13)
    two = simulate([50, 70], [5, 6], aht_seconds=AHT, patience_seconds=100, replications=5, seed=13)
    again = simulate([50, 70], [5, 6], aht_seconds=AHT, patience_seconds=100, replications=2, seed=13)
    assert again.total == one.total
    for a, b in zip(one.replications, two.replications[:2], strict=True):
        assert np.array_equal(a.answered_within, b.answered_within)
        assert np.array_equal(a.busy_seconds, b.busy_seconds)
    other = simulate([50, 70], [5, 6], aht_seconds=AHT, patience_seconds=100, replications=2, seed=14)
    assert not np.array_equal(one.replications[0].offered, other.replications[0].offered)


def test_datetime_starts_use_elapsed_time_and_match_minutes() -> None:
    tz = ZoneInfo("Europe/Copenhagen")
    # The last Sunday of March 2025: 01:30 and 03:00 local time are 30 minutes apart (summer time begins).
    starts = [dt.datetime(2025, 3, 30, 1, 0, tzinfo=tz), dt.datetime(2025, 3, 30, 3, 0, tzinfo=tz)]
    by_datetime = simulate([20, 20], [2, 2], aht_seconds=AHT, interval_starts=starts, seed=15, replications=2)
    by_minutes = simulate([20, 20], [2, 2], aht_seconds=AHT, interval_starts=[0, 60], seed=15, replications=2)
    assert by_datetime.interval_starts_minutes == (0.0, 60.0)
    assert by_datetime.total.service_level == by_minutes.total.service_level
    naive = [moment.replace(tzinfo=None) for moment in starts]
    assert simulate([1, 1], [1, 1], aht_seconds=AHT, interval_starts=naive).interval_starts_minutes == (0.0, 120.0)


def test_a_realistic_week_is_simulated_and_conserved() -> None:
    # 5 days × 24 half hours, ~1,060 contacts a day with a morning peak, staffed at about 85 % occupancy.
    # (Speed is measured in bench/simulation.py, not here: these machines are noisy.)
    shape = np.concatenate([np.linspace(1, 3, 8), np.linspace(3, 0.8, 16)])
    contacts = np.tile(shape / shape.sum() * 1060, 5)
    agents = np.ceil(contacts * AHT / 1800 / 0.85).astype(int)
    starts = [day * 1440 + 480 + slot * 30 for day in range(5) for slot in range(24)]
    result = simulate(contacts, agents, aht_seconds=AHT, interval_starts=starts, patience_seconds=180, seed=16,
                      replications=2)  # fmt: skip
    assert result.total.offered.mean == pytest.approx(5300, rel=0.05)
    assert_conserved(result)


# --- conservation on arbitrary input --------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.floats(0, 40), st.integers(0, 6), st.integers(0, 2)),  # contacts, agents, gap (intervals)
        min_size=1,
        max_size=8,
    ),
    patience=st.one_of(st.none(), st.floats(5, 600)),
    lognormal=st.booleans(),
    seed=st.integers(0, 2**32),
)
def test_every_caller_is_answered_abandoned_or_still_waiting(
    rows: list[tuple[float, int, int]], patience: float | None, lognormal: bool, seed: int
) -> None:
    starts, position = [], 0.0
    for _contacts, _agents, gap in rows:
        position += gap * 30
        starts.append(position)
        position += 30
    result = simulate(
        [row[0] for row in rows],
        [row[1] for row in rows],
        aht_seconds=240,
        interval_starts=starts,
        handle_time="lognormal" if lognormal else "exponential",
        handle_time_cv=1.5 if lognormal else 1.0,
        patience_seconds=patience,
        target_seconds=20,
        replications=2,
        seed=seed,
    )
    assert_conserved(result)
    # Intervals whose callers never meet an agent: nobody on duty from the interval to the next close.
    unstaffed_until_close = []
    for k in range(len(rows)):
        following = k
        while following + 1 < len(rows) and rows[following + 1][2] == 0 and rows[following][1] == 0:
            following += 1
        unstaffed_until_close.append(all(rows[m][1] == 0 for m in range(k, following + 1)))
    for run in result.replications:
        if patience is None:
            assert run.abandoned.sum() == 0
        for k, unstaffed in enumerate(unstaffed_until_close):
            if unstaffed:
                assert run.answered[k] == 0


# --- Estimate ---------------------------------------------------------------------------------------------------------


def test_estimate_is_the_mean_with_a_student_t_interval() -> None:
    estimate = Estimate.of([1.0, 2.0, 3.0])
    assert estimate.mean == 2.0
    assert estimate.half_width == pytest.approx(4.303 / math.sqrt(3))
    assert Estimate.of([0.5, math.nan, 0.7]).mean == pytest.approx(0.6)
    single = Estimate.of([0.5])
    assert single.mean == 0.5 and math.isnan(single.low) and math.isnan(single.high)
    assert math.isnan(Estimate.of([math.nan]).mean)
    # Many replications: close to the normal 1.96.
    values = np.arange(100.0)
    assert Estimate.of(values).half_width == pytest.approx(1.984 * values.std(ddof=1) / 10, rel=1e-3)


# --- bad input --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"contacts": [10, -1], "agents": [1, 1]}, "Antal henvendelser kan ikke være negativt"),
        ({"contacts": [10, math.nan], "agents": [1, 1]}, "endelige tal"),
        ({"contacts": [10, 20], "agents": [1]}, "Antallet af intervaller passer ikke sammen"),
        ({"contacts": [10, 20], "agents": [1, 1], "interval_starts": [0]}, "passer ikke sammen"),
        ({"contacts": [], "agents": []}, "mindst ét interval"),
        ({"contacts": [[1, 2]], "agents": [[1, 2]]}, "én værdi pr. interval"),
        ({"contacts": ["ti"], "agents": [1]}, "række tal"),
        ({"contacts": [10], "agents": [-1]}, "Antal medarbejdere kan ikke være negativt"),
        ({"contacts": [10], "agents": [1.5]}, "helt tal"),
        ({"contacts": [10], "agents": [1], "aht_seconds": 0}, r"behandlingstid \(AHT\) skal være større end 0"),
        ({"contacts": [10], "agents": [1], "aht_seconds": -270}, "større end 0"),
        ({"contacts": [10], "agents": [1], "aht_seconds": math.inf}, "endeligt tal"),
        ({"contacts": [10], "agents": [1], "interval_minutes": 0}, "Intervallets længde"),
        ({"contacts": [1, 1], "agents": [1, 1], "interval_starts": [0, 15]}, "uden at overlappe"),
        ({"contacts": [1, 1], "agents": [1, 1], "interval_starts": [30, 0]}, "tidsorden"),
        ({"contacts": [10], "agents": [1], "patience_seconds": 0}, "tålmodighed skal være større end 0"),
        ({"contacts": [10], "agents": [1], "target_seconds": -1}, "Svartidsmålet kan ikke være negativt"),
        ({"contacts": [10], "agents": [1], "replications": 0}, "gentagelser"),
        ({"contacts": [10], "agents": [1], "seed": -1}, "Frøet"),
        ({"contacts": [10], "agents": [1], "handle_time": "gamma"}, "'exponential' eller 'lognormal'"),
        ({"contacts": [10], "agents": [1], "handle_time_cv": 0.5}, "vælg 'lognormal'"),
        ({"contacts": [10], "agents": [1], "handle_time": "lognormal", "handle_time_cv": 0}, "Variationskoefficient"),
        (
            {"contacts": [1, 1], "agents": [1, 1], "interval_starts": [dt.datetime(2025, 1, 1), 30]},
            "alle være tidspunkter",
        ),
    ],
)
def test_bad_input_is_refused_in_danish(arguments: dict[str, object], message: str) -> None:
    options: dict[str, object] = {"aht_seconds": AHT, **arguments}
    with pytest.raises(ValueError, match=message):
        simulate(**options)  # type: ignore[arg-type]
