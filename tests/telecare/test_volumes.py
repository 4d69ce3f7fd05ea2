"""samvirke.telecare.lib.volumes: the volume model of seed 003's Bilag B (docs/models/telecare.md), by hand and
on series of our own. The printed cells, from the data file, are in test_volumes_seed.py."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samvirke.telecare.lib.volumes import (
    MAX_CITIZENS,
    VolumeInputError,
    VolumeRates,
    YearVolume,
    doubled,
    doubled_volumes,
    half_up,
    parse_citizens,
    parse_rate,
    year_volumes,
)


def column(volumes: list[YearVolume], name: str) -> list[int]:
    return [getattr(v, name) for v in volumes]


# --- the formulas by hand (written out here, not read from the data file) ------------------------------------------


def test_hovedstaden_by_hand():
    # seed 003, Bilag B Tabel 1, 3, 5 (l. 7959–8032): new 26 93 97 59 5, calls 26 118 214 273 278,
    # trips 38 150 200 191 139. Year 1: 310/12 = 25.83 → 26; 0.083 × 310 = 25.73 → 26; 26 + 12.4 = 38.4 → 38.
    volumes = year_volumes([310, 1420, 2580, 3290, 3350])
    assert volumes[0] == YearVolume(year=1, citizens=310, new_per_month=26, calls_per_month=26, trips_per_month=38)
    assert column(volumes, "new_per_month") == [26, 93, 97, 59, 5]
    assert column(volumes, "calls_per_month") == [26, 118, 214, 273, 278]
    assert column(volumes, "trips_per_month") == [38, 150, 200, 191, 139]
    assert column(volumes, "year") == [1, 2, 3, 4, 5]


def test_ties_round_half_up_not_to_even():
    # Syddanmark year 2: (1190 − 260)/12 = 77.5 → 78, as the seed prints; 76.5 → 77 where round() gives 76.
    assert year_volumes([260, 1190])[1].new_per_month == 78
    assert year_volumes([918])[0].new_per_month == 77  # 76.5 → 77, not 76
    # calls: 0.083 × 500 = 41.5 → 42; calls and trips with rates that tie: 0.05 × 10 = 0.5 → 1
    assert year_volumes([500])[0].calls_per_month == 42
    rates = VolumeRates(calls_per_citizen_month=Decimal("0.05"), trips_per_citizen_month=Decimal("0.05"))
    assert year_volumes([10, 10], rates)[1] == YearVolume(2, 10, 0, 1, 1)


def test_half_up_is_exact():
    assert [half_up(Fraction(n, 2)) for n in (-3, -1, 1, 3, 5)] == [-2, -1, 1, 2, 3]
    assert half_up(Fraction(2499999999999999, 10**16) + Fraction(1, 4)) == 0  # just under a half
    assert half_up(7) == 7


def test_a_year_with_fewer_citizens_has_no_new_ones_but_keeps_its_trips():
    volumes = year_volumes([1200, 1000])
    assert volumes[1].new_per_month == 0
    assert volumes[1].trips_per_month == 40  # 0 + 0.04 × 1,000: the take-downs are in the rate
    assert volumes[1].calls_per_month == 83


def test_zero_citizens():
    assert year_volumes([0, 0]) == [YearVolume(1, 0, 0, 0, 0), YearVolume(2, 0, 0, 0, 0)]


def test_rates_are_parameters():
    rates = VolumeRates(calls_per_citizen_month=Decimal("0.1"), trips_per_citizen_month=Decimal("0"))
    volumes = year_volumes([120, 240], rates)
    assert column(volumes, "calls_per_month") == [12, 24]
    assert column(volumes, "trips_per_month") == [10, 10]  # the new citizens alone


def test_new_step_rounds_the_new_citizens_to_tens():
    # The explanation of the seed's whole-country row: (1100 − 0)/12 = 91.67 → 90 with a step of 10.
    volumes = year_volumes([1100, 5100], new_step=10)
    assert column(volumes, "new_per_month") == [90, 330]
    assert column(volumes, "trips_per_month") == [134, 534]
    with pytest.raises(VolumeInputError):
        year_volumes([1], new_step=0)


def test_the_doubled_target_group():
    assert doubled([310, 3350]) == [620, 6700]
    # Syddanmark +60 months: 5,600 citizens; the seed doubles the rounded intake (2 × 3), so trips 230 (Tabel 9);
    # rounding the doubled intake, 80/12 = 6.67 → 7, gives 231.
    seed = doubled_volumes([260, 1190, 2160, 2760, 2800])[-1]
    assert seed == YearVolume(year=5, citizens=5600, new_per_month=6, calls_per_month=465, trips_per_month=230)
    assert year_volumes(doubled([260, 1190, 2160, 2760, 2800]))[-1].trips_per_month == 231
    # calls are computed on the doubled N, not doubled: Sjælland 0.083 × 3,700 = 307.1 → 307, not 2 × 154
    assert doubled_volumes([170, 780, 1410, 1800, 1850])[-1].calls_per_month == 307


# --- bad input -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("citizens", "fragment"),
    [
        ([], "mindst ét år"),
        ([10, -1], "år 2 kan ikke være negativt"),
        ([10.5], "helt tal"),
        ([Decimal(10)], "helt tal"),
        (["10"], "helt tal"),
        ([True], "helt tal"),
        ([MAX_CITIZENS + 1], "urimeligt stort"),
        ("310,1420", "række"),
        (None, "række"),
        ([0] * 101, "Højst 100 år"),
    ],
)
def test_bad_citizens_are_refused_in_danish(citizens, fragment):
    with pytest.raises(VolumeInputError, match=fragment):
        year_volumes(citizens)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"calls_per_citizen_month": Decimal("-0.1")}, "supportkald .* negativ"),
        ({"trips_per_citizen_month": Decimal("-0.01")}, "udkørsler .* negativ"),
        ({"calls_per_citizen_month": Decimal(83)}, "urimeligt stor"),
        ({"trips_per_citizen_month": 0.04}, "eksakt tal"),
        ({"calls_per_citizen_month": Decimal("NaN")}, "endeligt"),
        ({"calls_per_citizen_month": True}, "eksakt tal"),
    ],
)
def test_bad_rates_are_refused(kwargs, fragment):
    with pytest.raises(VolumeInputError, match=fragment):
        VolumeRates(**kwargs)


def test_integer_rates_and_the_bounds_are_allowed():
    assert VolumeRates(calls_per_citizen_month=0, trips_per_citizen_month=Decimal(10))  # type: ignore[arg-type]  # an int, as a caller may pass.calls_per_citizen_month == 0


def test_parse_citizens():
    assert parse_citizens("310,1420, 2580;3290 ,3350") == [310, 1420, 2580, 3290, 3350]
    for text, fragment in [
        ("", "Angiv antal borgere"),
        (" , ", "Angiv antal borgere"),
        ("310,1.420", "år 2 .* '1.420'"),
        ("310,,1420", "år 2"),
        ("310,-5", "år 2 kan ikke være negativt"),
        ("abc", "år 1"),
        ("٣", "år 1"),  # an Arabic-Indic digit: isdigit() says yes, we say no
    ]:
        with pytest.raises(VolumeInputError, match=fragment):
            parse_citizens(text)


def test_parse_rate():
    assert parse_rate("0.083", "Rate") == Decimal("0.083")
    assert parse_rate(" 0,04 ", "Rate") == Decimal("0.04")
    assert parse_rate("1", "Rate") == Decimal(1)
    for text, fragment in [("x", "et tal"), ("", "et tal"), (".5", "et tal"), ("1e3", "et tal"), ("-0.1", "negativ")]:
        with pytest.raises(VolumeInputError, match=fragment):
            parse_rate(text, "Rate")
    with pytest.raises(VolumeInputError, match="urimeligt stor"):
        parse_rate("83", "Rate")


# --- properties on series of our own ------------------------------------------------------------------------------

citizens_counts = st.integers(min_value=0, max_value=200_000)
series = st.lists(citizens_counts, min_size=1, max_size=8)
rates = st.builds(
    VolumeRates,
    calls_per_citizen_month=st.decimals(min_value=0, max_value=2, places=3),
    trips_per_citizen_month=st.decimals(min_value=0, max_value=2, places=3),
)


@given(n1=citizens_counts, n2=citizens_counts, rates=rates)
def test_more_citizens_never_fewer_calls(n1, n2, rates):
    low, high = sorted((n1, n2))
    assert year_volumes([low], rates)[0].calls_per_month <= year_volumes([high], rates)[0].calls_per_month


@given(citizens=series, rates=rates)
def test_trips_never_fewer_than_new_citizens_and_nothing_negative(citizens, rates):
    for volume in year_volumes(citizens, rates):
        assert volume.trips_per_month >= volume.new_per_month >= 0
        assert volume.calls_per_month >= 0


@given(citizens=series)
def test_new_citizens_are_the_increase_over_twelve_months_within_rounding(citizens):
    previous = 0
    for volume, n in zip(year_volumes(citizens), citizens, strict=True):
        if n <= previous:
            assert volume.new_per_month == 0
        else:
            assert abs(12 * volume.new_per_month - (n - previous)) <= 6
        previous = n


@given(citizens=series, rates=rates)
def test_doubled_citizens_give_doubled_calls_within_one(citizens, rates):
    single = year_volumes(citizens, rates)
    for scenario in (year_volumes(doubled(citizens), rates), doubled_volumes(citizens, rates)):
        for one, two in zip(single, scenario, strict=True):
            assert two.citizens == 2 * one.citizens
            assert abs(two.calls_per_month - 2 * one.calls_per_month) <= 1


@given(citizens=series, rates=rates)
def test_the_two_doubled_scenarios_differ_by_at_most_one_trip(citizens, rates):
    by_series = year_volumes(doubled(citizens), rates)
    seed_style = doubled_volumes(citizens, rates)
    for a, b in zip(by_series, seed_style, strict=True):
        assert abs(a.new_per_month - b.new_per_month) <= 1
        assert abs(a.trips_per_month - b.trips_per_month) <= 1
        assert b.trips_per_month >= b.new_per_month
