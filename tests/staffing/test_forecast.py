"""The staffing forecast library: profile and trend recovered from synthetic history, holidays closed,
the no-history spread, held-out evaluation and the Danish error messages."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from samvirke.core.lib.hours import OpeningHours, closed_day_name, is_closed_day
from samvirke.staffing.lib.forecast import (
    Forecast,
    ForecastSettings,
    History,
    Profile,
    compare,
    evaluate_holdout,
    fit_model,
    forecast,
    forecast_from_volume,
    history_from_arrivals,
    history_from_counts,
    is_after_holiday,
    open_fractions,
)

TZ = ZoneInfo("Europe/Copenhagen")
HOURS = OpeningHours.hotline_default()  # Mon–Fri 08–20, 60 hours a week
START = dt.date(2024, 1, 1)  # a Monday
WEEKS = 56  # to 26 January 2025, so the last four weeks span Christmas and New Year
BASE, TREND = 5000.0, 25.0  # contacts per week at the start, and their growth per week


def expected_counts(uplift: float = 0.1) -> np.ndarray:
    """The true mean per day and half-hour: level (linear trend) × the default profile within the hours."""
    profile = Profile.default().within(HOURS)
    weekday_open = [bool(row.sum() > 0) for row in open_fractions(HOURS)]
    mean = np.zeros((WEEKS * 7, 48))
    for index in range(WEEKS * 7):
        day = START + dt.timedelta(days=index)
        if is_closed_day(day):
            continue
        factor = 1 + uplift if is_after_holiday(day, weekday_open) else 1.0
        mean[index] = (BASE + TREND * (index + 0.5) / 7) * profile.shares[day.weekday()] * factor
    return mean


@pytest.fixture(scope="module")
def truth() -> np.ndarray:
    return expected_counts()


@pytest.fixture(scope="module")
def synthetic(truth: np.ndarray) -> History:
    rng = np.random.default_rng(20240101)
    return History(START, rng.poisson(truth).astype(float))


# ------------------------------------------------------------------------------------------- fit and forecast


def test_the_profile_and_trend_are_recovered_from_noisy_history(synthetic: History) -> None:
    model = fit_model(synthetic, HOURS)
    true_profile = Profile.default().within(HOURS)
    assert np.abs(model.profile.shares - true_profile.shares).max() < 0.0015  # the largest share is ~0.0195
    assert np.abs(model.profile.weekday_shares() - true_profile.weekday_shares()).max() < 0.005
    assert model.profile.weekday_shares()[5:].sum() == 0  # closed at weekends
    busiest = np.unravel_index(np.argmax(model.profile.shares), model.profile.shares.shape)
    assert busiest[0] == 0 and 18 <= busiest[1] < 22  # Monday, 09–11
    assert model.trend_per_week == pytest.approx(TREND, abs=6)
    assert model.level == pytest.approx(BASE + TREND * WEEKS, rel=0.02)
    assert model.origin == dt.date(2025, 1, 27)


def test_the_forecast_follows_the_trend_and_closes_on_holidays() -> None:
    # History to 15 December 2024; the next four weeks hold Christmas and New Year.
    days = 50 * 7
    mean = expected_counts()[:days]
    history = History(START, np.random.default_rng(7).poisson(mean).astype(float))
    result = forecast(history, HOURS, weeks=4, settings=ForecastSettings(damping=1.0))
    assert result.start == dt.date(2024, 12, 16) and result.days == 28

    daily = dict(result.daily_totals())
    for closed in ["2024-12-24", "2024-12-25", "2024-12-26", "2024-12-31", "2025-01-01", "2024-12-21"]:
        assert daily[dt.date.fromisoformat(closed)] == 0
    # The first working day after Christmas and after New Year carry the backlog (+10 % by default).
    assert daily[dt.date(2024, 12, 27)] / daily[dt.date(2024, 12, 20)] == pytest.approx(1.1, rel=0.01)
    assert daily[dt.date(2025, 1, 2)] / daily[dt.date(2024, 12, 19)] == pytest.approx(1.1, rel=0.02)

    # Intervals near the true mean, the whole period within 2 %.
    true_future = expected_counts()
    horizon = np.zeros((28, 48))
    for index in range(28):
        day = result.start + dt.timedelta(days=index)
        horizon[index] = true_future[(day - START).days] if (day - START).days < len(true_future) else 0
    open_mask = horizon > 0
    assert np.array_equal(result.counts > 0, open_mask)
    relative = np.abs(result.counts[open_mask] / horizon[open_mask] - 1)
    assert relative.mean() < 0.03 and relative.max() < 0.15  # quiet evening intervals carry the most noise
    assert result.total() == pytest.approx(horizon.sum(), rel=0.02)


def test_the_forecast_is_zero_outside_the_opening_hours_and_follows_new_hours(synthetic: History) -> None:
    short = {weekday: [(dt.time(9, 0), dt.time(15, 0))] for weekday in range(5)}
    result = forecast(synthetic, short, weeks=2)
    moments = [moment for moment, _value in result.intervals()]
    assert moments and all(dt.time(9, 0) <= moment.time() < dt.time(15, 0) for moment in moments)
    assert all(moment.weekday() < 5 and moment.tzinfo == TZ for moment in moments)
    monday_nine = dt.datetime(2025, 1, 27, 9, 0, tzinfo=TZ)
    assert result.at(monday_nine) == result.counts[0, 18] > 0
    assert result.at(monday_nine.replace(hour=8)) == 0


def test_fitting_is_deterministic_and_fast(synthetic: History) -> None:
    began = time.perf_counter()
    first = fit_model(synthetic, HOURS)
    elapsed = time.perf_counter() - began
    second = fit_model(synthetic, HOURS)
    assert elapsed < 1.0
    assert first.level == second.level and first.trend_per_week == second.trend_per_week
    assert np.array_equal(first.profile.shares, second.profile.shares)


def test_one_odd_week_does_not_tilt_the_trend(truth: np.ndarray) -> None:
    counts = np.random.default_rng(3).poisson(truth).astype(float)
    counts[-14:-7] *= 3  # an outage elsewhere floods the hotline for a week
    model = fit_model(History(START, counts), HOURS)
    assert model.trend_per_week == pytest.approx(TREND, abs=10)
    assert model.level == pytest.approx(BASE + TREND * WEEKS, rel=0.05)


def test_the_uplift_after_holidays_is_a_parameter(synthetic: History) -> None:
    def monday_after_easter(uplift: float) -> float:
        model = fit_model(synthetic, HOURS, ForecastSettings(after_holiday_uplift=uplift))
        result = model.forecast(HOURS, weeks=1, start=dt.date(2025, 4, 21))  # 2. påskedag
        daily = dict(result.daily_totals())
        assert daily[dt.date(2025, 4, 21)] == 0
        return daily[dt.date(2025, 4, 22)] / daily[dt.date(2025, 4, 23)]

    plain, busy = monday_after_easter(0.0), monday_after_easter(0.5)
    assert busy / plain == pytest.approx(1.5)


def test_a_short_history_over_christmas_borrows_the_missing_weekdays(truth: np.ndarray) -> None:
    # 23 Dec 2024 – 5 Jan 2025: Tuesday to Thursday are holidays or backlog days in both weeks.
    first = (dt.date(2024, 12, 23) - START).days
    history = History(dt.date(2024, 12, 23), np.random.default_rng(5).poisson(truth[first : first + 14]).astype(float))
    result = forecast(history, HOURS, weeks=1)
    daily = [total for _day, total in result.daily_totals()]
    assert all(total > 0 for total in daily[:5]) and daily[5:] == [0, 0]
    assert daily[0] > daily[2] > daily[4]  # the default weekday factors fill the gaps
    assert sum(daily) == pytest.approx(truth[first + 14 : first + 21].sum(), rel=0.1)


def test_the_holiday_calendar_matches_the_opening_hours_module() -> None:
    for offset in range(3 * 366):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=offset)
        assert is_closed_day(day) == (closed_day_name(day) is not None), day


# ----------------------------------------------------------------------------------------------- history input


def test_arrivals_are_counted_per_local_half_hour_across_daylight_saving() -> None:
    arrivals = [
        dt.datetime(2024, 3, 31, 1, 59, tzinfo=TZ),
        dt.datetime(2024, 3, 31, 3, 0, tzinfo=TZ),  # an hour after the clocks went forward
        dt.datetime(2024, 10, 27, 2, 15, tzinfo=TZ, fold=1),  # the repeated hour
        dt.datetime(2024, 7, 1, 7, 45, tzinfo=dt.UTC),  # 09:45 local
        dt.datetime(2024, 7, 1, 7, 50, tzinfo=dt.UTC),
    ]
    history = history_from_arrivals(arrivals, start=dt.date(2024, 1, 1), end=dt.date(2025, 1, 1))
    assert history.days == 366 and history.end == dt.date(2025, 1, 1)
    found = {
        (history.start + dt.timedelta(days=int(day)), int(slot)): history.counts[day, slot]
        for day, slot in zip(*np.nonzero(history.counts), strict=True)
    }
    assert found == {
        (dt.date(2024, 3, 31), 3): 1,
        (dt.date(2024, 3, 31), 6): 1,
        (dt.date(2024, 10, 27), 4): 1,
        (dt.date(2024, 7, 1), 19): 2,
    }
    assert history_from_arrivals(arrivals).start == dt.date(2024, 3, 31)


def test_pre_aggregated_counts_and_a_year_of_them_is_fast(truth: np.ndarray) -> None:
    counts = {}
    for day_index, slot in zip(*np.nonzero(truth), strict=True):
        day = START + dt.timedelta(days=int(day_index))
        moment = dt.datetime.combine(day, dt.time(int(slot) // 2, int(slot) % 2 * 30), tzinfo=TZ)
        counts[moment] = round(float(truth[day_index, slot]))
    began = time.perf_counter()
    history = history_from_counts(counts, start=START, end=START + dt.timedelta(days=WEEKS * 7))
    model = fit_model(history, HOURS)
    model.forecast(HOURS, weeks=52)
    assert time.perf_counter() - began < 1.0
    assert history.counts.sum() == sum(counts.values())
    assert model.trend_per_week == pytest.approx(TREND, abs=2)


# ------------------------------------------------------------------------------------------------ no history


def test_a_yearly_volume_is_spread_over_the_opening_hours_and_sums_to_the_volume() -> None:
    result = forecast_from_volume(266_000, HOURS, start=dt.date(2025, 1, 1), weeks=53)
    first_year = result.counts[:365]
    assert first_year.sum() == pytest.approx(266_000, rel=1e-9)
    assert round(sum(round(total) for _day, total in result.daily_totals()[:365]) / 266_000, 3) == 1.0
    assert all(dt.time(8) <= moment.time() < dt.time(20) and moment.weekday() < 5 for moment, _ in result.intervals())
    daily = dict(result.daily_totals())
    for holiday in ["2025-01-01", "2025-04-17", "2025-04-18", "2025-04-21", "2025-06-05", "2025-12-24"]:
        assert daily[dt.date.fromisoformat(holiday)] == 0
    # Monday is the busiest day, the morning peak 09–11, the evening quiet.
    assert daily[dt.date(2025, 3, 3)] > daily[dt.date(2025, 3, 4)] > daily[dt.date(2025, 3, 7)]
    monday = result.counts[(dt.date(2025, 3, 3) - result.start).days]
    assert 18 <= int(np.argmax(monday)) < 22
    assert monday[38] < monday[19] / 4  # 19.00 against 09.30
    # An ordinary week is a little above 266,000 / 52 (holidays move their calls to the open days).
    march_week = sum(daily[dt.date(2025, 3, 3) + dt.timedelta(days=offset)] for offset in range(7))
    assert 266_000 / 52 < march_week < 266_000 / 52 * 1.08


def test_a_custom_profile_and_partly_open_intervals() -> None:
    profile = Profile.from_weights([1, 1, 1, 1, 1, 1, 1], [1] * 24)
    hours = {0: [(dt.time(8, 15), dt.time(9, 0))], 5: [(dt.time(10, 0), dt.time(11, 0))]}
    result = forecast_from_volume(1000, hours, start=dt.date(2025, 3, 3), weeks=1, profile=profile)
    monday, saturday = result.counts[0], result.counts[5]
    assert monday[16] == pytest.approx(monday[17] / 2)  # 08.00–08.30 is open for 15 minutes
    assert saturday[20] == saturday[21] == monday[17]
    assert result.total() == pytest.approx(1000 / 52, rel=0.05)


# ------------------------------------------------------------------------------------------------- evaluation


def tiny_history() -> History:
    """Four Mondays (15 Jan – 5 Feb 2024), open 09–10: three weeks of 6 + 4 calls, then a held-out Monday
    with 8 at 09.00, 3 at 09.30 and 1 at 10.00 (after closing)."""
    counts = np.zeros((28, 48))
    counts[[0, 7, 14], 18] = 6
    counts[[0, 7, 14], 19] = 4
    counts[21, 18], counts[21, 19], counts[21, 20] = 8, 3, 1
    return History(dt.date(2024, 1, 15), counts)


def test_the_held_out_evaluation_on_a_hand_made_example() -> None:
    hours = {0: [(dt.time(9, 0), dt.time(10, 0))]}
    result = evaluate_holdout(tiny_history(), hours, holdout_weeks=1)
    # Forecast 6 and 4 (and 0 at 10.00); errors -2, +1, -1 over 3 intervals; the day: 10 against 12.
    assert result.holdout_weeks == 1
    assert (result.intervals, result.days) == (3, 1)
    assert result.actual_total == 12 and result.forecast_total == pytest.approx(10)
    assert result.mae_interval == pytest.approx(4 / 3)
    assert result.wape_interval == pytest.approx(4 / 12)
    assert result.mae_day == pytest.approx(2)
    assert result.wape_day == pytest.approx(2 / 12)
    assert result.bias == pytest.approx(-2 / 12)
    assert result.mean_error == pytest.approx(-2 / 3)


def test_compare_skips_holidays_and_counts_whole_days() -> None:
    start = dt.date(2024, 12, 30)  # Monday; 31 Dec and 1 Jan are closed
    predicted = np.zeros((3, 48))
    predicted[:, 18] = 10
    actual = np.zeros((3, 48))
    actual[0, 18], actual[2, 18] = 12, 7
    result = compare(
        Forecast(start, predicted), History(start, actual), {d: [(dt.time(9), dt.time(9, 30))] for d in range(5)}
    )
    # Monday 10 against 12; the closed Tuesday is not compared (the 10 forecast there is ignored); contacts that
    # arrived on the closed Wednesday are compared all the same (10 against 7).
    assert (result.intervals, result.days) == (2, 2)
    assert result.mae_interval == pytest.approx(2.5) and result.mae_day == pytest.approx(2.5)
    assert result.bias == pytest.approx(1 / 19) and result.wape_interval == pytest.approx(5 / 19)


def test_the_held_out_accuracy_on_synthetic_history_is_near_the_noise_floor(
    synthetic: History, truth: np.ndarray
) -> None:
    result = evaluate_holdout(synthetic, HOURS, holdout_weeks=4)
    observed, mean = synthetic.counts[-28:], truth[-28:]
    floor = np.abs(observed - mean)[mean > 0].sum() / observed[mean > 0].sum()  # the perfect forecast's WAPE
    assert result.wape_interval < floor + 0.01
    assert result.wape_day < 0.04
    assert abs(result.bias) < 0.03
    assert result.days == 18  # 4 weeks × 5 days minus 31 Dec and 1 Jan


# ----------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: forecast_from_volume(-1, HOURS, dt.date(2025, 1, 1), 4), "Årsvolumen kan ikke være negativ"),
        (lambda: forecast_from_volume(100, {}, dt.date(2025, 1, 1), 4), "Åbningstiderne indeholder ingen tidsrum"),
        (lambda: forecast_from_volume(100, {0: []}, dt.date(2025, 1, 1), 4), "ingen tidsrum"),
        (lambda: forecast_from_volume(100, HOURS, dt.date(2025, 1, 1), 0), "mindst én uge"),
        (lambda: forecast_from_volume(100, HOURS, dt.date(2025, 1, 1), -2), "mindst én uge"),
        (
            lambda: forecast_from_volume(100, {0: [(dt.time(12), dt.time(9))]}, dt.date(2025, 1, 1), 1),
            "Sluttiden skal ligge efter starttiden",
        ),
        (lambda: forecast_from_volume(100, {7: [(dt.time(9), dt.time(12))]}, dt.date(2025, 1, 1), 1), "Ugyldig ugedag"),
        (
            lambda: evaluate_holdout(tiny_history(), HOURS, holdout_weeks=3),
            "Historikken er for kort til at holde 3 uger",
        ),
        (lambda: evaluate_holdout(tiny_history(), HOURS, holdout_weeks=0), "mindst én uge ude"),
        (lambda: fit_model(History(START, np.zeros((10, 48))), HOURS), "Historikken er for kort"),
        (lambda: forecast(tiny_history(), HOURS, weeks=0), "mindst én uge"),
        (lambda: History(START, -np.ones((14, 48))), "kan ikke være negativt"),
        (
            lambda: history_from_counts({dt.datetime(2025, 1, 6, 9, tzinfo=TZ): -3}),
            "Antallet af henvendelser kan ikke være negativt",
        ),
        (lambda: history_from_arrivals([dt.datetime(2025, 1, 6, 9)]), "mangler tidszone"),
        (lambda: history_from_arrivals([]), "Historikken er tom"),
        (lambda: ForecastSettings(after_holiday_uplift=-0.1), "kan ikke være negativt"),
        (lambda: ForecastSettings(damping=0), "Dæmpningen"),
    ],
)
def test_bad_input_gives_a_danish_message(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_nothing_is_nan_for_an_all_zero_history() -> None:
    model = fit_model(History(START, np.zeros((21, 48))), HOURS)
    assert model.level == 0 and model.trend_per_week == 0
    assert forecast(History(START, np.zeros((21, 48))), HOURS, weeks=1).total() == 0
    assert math.isnan(evaluate_holdout(History(START, np.zeros((21, 48))), HOURS, holdout_weeks=1).wape_interval)
