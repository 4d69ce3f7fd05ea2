"""The hotline's arrival profile, one copy: the numbers the traffic model and the forecast used before."""

from __future__ import annotations

import math

from samvirke.contact.lib import traffic
from samvirke.core.lib.arrival import (
    OFF_HOUR_WEIGHTS,
    OPEN_HOUR_WEIGHTS,
    WORKDAY_FACTORS,
    hour_weights,
    weekday_factors,
)
from samvirke.staffing.lib import forecast


def test_the_traffic_models_profile_is_unchanged() -> None:
    assert weekday_factors(weekend=False) == (1.30, 1.05, 0.95, 0.95, 0.75, 0.0, 0.0) == traffic.WEEKDAY_FACTORS
    assert dict(OPEN_HOUR_WEIGHTS) == {
        8: 0.9, 9: 1.5, 10: 1.6, 11: 1.35, 12: 1.1, 13: 1.2, 14: 1.0, 15: 0.8, 16: 0.55, 17: 0.3, 18: 0.2, 19: 0.15,
    }  # fmt: skip
    assert list(traffic.HOUR_WEIGHTS) == list(range(8, 20))  # hour order: the sum the traffic model divides by
    assert sum(traffic.HOUR_WEIGHTS.values()) == 10.65


def test_the_forecasts_default_profile_is_unchanged() -> None:
    assert weekday_factors(weekend=True) == (1.30, 1.05, 0.95, 0.95, 0.75, 0.3, 0.25)
    assert weekday_factors(weekend=True) == forecast.DEFAULT_WEEKDAY_WEIGHTS
    assert hour_weights() == (
        0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.3, 0.9, 1.5, 1.6, 1.35, 1.1, 1.2, 1.0, 0.8, 0.55, 0.3, 0.2,
        0.15, 0.1, 0.07, 0.05, 0.03,
    ) == forecast.DEFAULT_HOUR_WEIGHTS  # fmt: skip


def test_the_workday_factors_average_one_and_the_hours_do_not_overlap() -> None:
    assert math.isclose(sum(WORKDAY_FACTORS) / 5, 1.0)
    assert not set(OPEN_HOUR_WEIGHTS) & set(OFF_HOUR_WEIGHTS)
    assert set(OPEN_HOUR_WEIGHTS) | set(OFF_HOUR_WEIGHTS) == set(range(24))
