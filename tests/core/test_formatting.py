"""Danish numbers, one copy. The golden values are what the earlier copies printed (humanize_da's filters, the
hotline-economy/business-case/erlang/forecast commands, the economy exports, invoicing and populations)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from samvirke.core.lib.formatting import (
    date_da,
    decimal_da,
    exact_da,
    kr,
    number_da,
    percent_da,
    phone_da,
    signed_da,
    thousands,
)


@pytest.mark.parametrize(
    ("number", "text"),
    [(0, "0"), (-5, "-5"), (999, "999"), (1000, "1.000"), (-1575, "-1.575"), (851868, "851.868"),
     (10**20 + 1, "100.000.000.000.000.000.001")],
)  # fmt: skip
def test_thousands(number: int, text: str) -> None:
    assert thousands(number) == text
    assert number_da(number, grouped=True) == text  # an int is never passed through a float


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(0.05, 1, "0,1"), (0.15, 1, "0,1"), (0.25, 1, "0,2"), (2.675, 2, "2,67"), (7.25, 1, "7,2"),
     (123456.789, 1, "123456,8"), (-3.45, 2, "-3,45"), (0.805, 0, "1"), (1e-9, 3, "0,000")],
)  # fmt: skip
def test_number_da_rounds_as_format_does(value: float, decimals: int, text: str) -> None:
    assert number_da(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("1064835"), "1.064.835,00"), (D("0.005"), "0,00"), (D("0.015"), "0,02"), (D("-3166.125"), "-3.166,12"),
     (D("65196.245"), "65.196,24"), (D("1E+3"), "1.000,00")],
)  # fmt: skip
def test_grouped_money_as_the_commands_print_it(value: D, text: str) -> None:
    assert number_da(value, 2, grouped=True) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("0"), "0,00"), (D("-0.001"), "0,00"), (D("-0.005"), "-0,01"), (D("0.005"), "0,01"),
     (D("65196.245"), "65.196,25"), (D("-1575"), "-1.575,00"), (D("1.7375"), "1,74"), (D("-3166.125"), "-3.166,13"),
     (D("1E+3"), "1.000,00")],
)  # fmt: skip
def test_kr_rounds_half_up_to_the_ore(value: D, text: str) -> None:
    assert kr(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("1.7375"), "1,7375"), (D("8.00"), "8"), (D("100"), "100"), (D("-0.05"), "-0,05"), (D("1E+3"), "1000")],
)  # fmt: skip
def test_decimal_da(value: D, text: str) -> None:
    assert decimal_da(value) == text


@pytest.mark.parametrize(
    ("value", "minimum", "text"),
    [(D("12.50"), 0, "12,50"), (D("-1575"), 0, "-1.575"), (D("1064835.5"), 0, "1.064.835,5"), (D("8"), 2, "8,00"),
     (D("1E+3"), 0, "1.000"), (D("1.7375").normalize(), 2, "1,7375")],
)  # fmt: skip
def test_exact_da_keeps_the_decimals_as_written(value: D, minimum: int, text: str) -> None:
    assert exact_da(value, minimum) == text


@pytest.mark.parametrize(
    ("share", "text"),
    [(0.6087, "60,9 %"), (0.00125, "0,1 %"), (0.99951, "100,0 %"), (1.0, "100,0 %"), (0.805, "80,5 %"),
     (0.0025, "0,2 %"), (D("0.6087"), "60,9 %"), (D("0.00125"), "0,1 %"), (D("0.0025"), "0,3 %"),
     (D("-0.05"), "-5,0 %")],
)  # fmt: skip
def test_percent_da_floats_as_format_rounds_decimals_half_up(share: float | D, text: str) -> None:
    assert percent_da(share) == text


def test_signed_and_dates() -> None:
    assert [signed_da(D(v)) for v in ("3", "-2.5", "0", "-0.0")] == ["+3", "−2,5", "0", "0"]
    assert date_da(dt.date(2026, 12, 28)) == "mandag 28. december"
    assert date_da(dt.date(2027, 6, 5)) == "lørdag 5. juni"


def test_a_phone_number_is_written_in_pairs_and_anything_else_as_it_is() -> None:
    assert phone_da("72363636") == "72 36 36 36"
    assert phone_da("+4572363636") == "+4572363636"
    assert phone_da("7236363") == "7236363"
