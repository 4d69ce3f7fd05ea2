"""samvirke.telecare.lib.support_staffing: support agents per opening hour (Erlang C) and logistics visits per
working day, from a year's volumes."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samvirke.telecare.lib.seed_volumes import seed_series
from samvirke.telecare.lib.support_staffing import (
    StaffingParams,
    logistics_visits_per_working_day,
    support_staffing,
)
from samvirke.telecare.lib.volumes import VolumeInputError, YearVolume, doubled, year_volumes


def volume(calls: int = 0, trips: int = 0) -> YearVolume:
    return YearVolume(year=1, citizens=0, new_per_month=0, calls_per_month=calls, trips_per_month=trips)


def test_hovedstaden_at_full_roll_out_needs_one_agent():
    # 278 calls a month over 168 opening hours = 1.65 calls an hour; 3 minutes each → 0.083 Erlang.
    # One agent: P(wait) = A, SL = 1 − A·exp(−(1 − A)·60/180) = 0.939.
    staffing = support_staffing(year_volumes(seed_series()["hovedstaden"])[-1])
    assert staffing.calls_per_month == 278
    assert staffing.calls_per_opening_hour == Decimal("1.65")
    load = 278 / 168 * 180 / 3600
    assert staffing.intensity == pytest.approx(load)
    assert staffing.agents == 1
    assert staffing.service_level == pytest.approx(1 - load * math.exp(-(1 - load) * 60 / 180))
    assert staffing.occupancy == pytest.approx(load)


def test_the_doubled_whole_country_in_one_support_needs_two_agents():
    whole_country = year_volumes(doubled(seed_series()["landet"]))[-1]  # 24,000 citizens, 1,992 calls
    staffing = support_staffing(whole_country)
    assert staffing.calls_per_opening_hour == Decimal("11.86")
    assert staffing.agents == 2
    assert staffing.service_level >= 0.8


def test_parameters_change_the_answer():
    busy = volume(calls=100_000)  # 595 calls an hour
    default = support_staffing(busy)
    assert default.agents > default.intensity > 29
    assert support_staffing(busy, StaffingParams(aht_seconds=360)).agents > default.agents
    assert support_staffing(busy, StaffingParams(opening_hours_per_month=Decimal(744))).agents < default.agents
    strict = StaffingParams(target_service_level=Decimal("0.95"), target_seconds=20)
    assert support_staffing(busy, strict).agents > default.agents


def test_no_calls_no_agents():
    staffing = support_staffing(volume(calls=0))
    assert (staffing.agents, staffing.calls_per_opening_hour) == (0, Decimal("0.00"))


@given(calls=st.integers(min_value=0, max_value=200_000), more=st.integers(min_value=0, max_value=50_000))
def test_more_calls_never_fewer_agents(calls, more):
    assert support_staffing(volume(calls=calls)).agents <= support_staffing(volume(calls=calls + more)).agents


@given(calls=st.integers(min_value=1, max_value=200_000))
def test_the_agents_meet_the_target(calls):
    staffing = support_staffing(volume(calls=calls))
    assert staffing.agents > staffing.intensity
    assert staffing.service_level >= 0.8


def test_logistics_visits_per_working_day():
    # Hovedstaden +60 months: 139 trips / 21 days = 6.619 → 6.62; the whole country's printed 500 → 23.81.
    assert logistics_visits_per_working_day(year_volumes(seed_series()["hovedstaden"])[-1]) == Decimal("6.62")
    assert logistics_visits_per_working_day(volume(trips=500)) == Decimal("23.81")
    assert logistics_visits_per_working_day(volume(trips=21)) == Decimal("1.00")
    assert logistics_visits_per_working_day(volume(trips=1), 8) == Decimal("0.13")  # 0.125 → 0.13, half up
    assert logistics_visits_per_working_day(volume(trips=0)) == Decimal("0.00")


@pytest.mark.parametrize("days", [0, -1, 32, 21.0, True])
def test_bad_working_days(days):
    with pytest.raises(VolumeInputError, match="Arbejdsdage"):
        logistics_visits_per_working_day(volume(trips=10), days)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"opening_hours_per_month": Decimal(0)}, "Åbningstiden"),
        ({"opening_hours_per_month": Decimal(745)}, "Åbningstiden"),
        ({"opening_hours_per_month": 168.0}, "Åbningstiden"),
        ({"aht_seconds": 0}, "Behandlingstiden"),
        ({"target_seconds": -1}, "Svartidsmålet"),
        ({"target_service_level": Decimal(1)}, "Servicemålet"),
        ({"target_service_level": 0.8}, "Servicemålet"),
        ({"working_days_per_month": 0}, "Arbejdsdage"),
    ],
)
def test_bad_staffing_parameters(kwargs, fragment):
    with pytest.raises(VolumeInputError, match=fragment):
        StaffingParams(**kwargs)
