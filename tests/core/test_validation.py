"""One number check with Danish messages; the messages are the ones Erlang, the simulation and the fees gave."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from samvirke.core.lib.validation import finite_decimal, finite_float, positive_float, whole_number


class LibraryInputError(ValueError):
    pass


@pytest.mark.parametrize(("value", "number"), [(3, 3.0), (0.8, 0.8), (-2.5, -2.5), (np.float64(1.5), 1.5)])
def test_finite_float_takes_ints_and_floats(value: object, number: float) -> None:
    result = finite_float(value, "Svartidsmålet")
    assert result == number and type(result) is float


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "Svartidsmålet skal være et tal, ikke True."),
        ("20", "Svartidsmålet skal være et tal, ikke '20'."),
        (None, "Svartidsmålet skal være et tal, ikke None."),
        (Decimal("2"), "Svartidsmålet skal være et tal, ikke Decimal('2')."),
        (math.inf, "Svartidsmålet skal være et endeligt tal, ikke inf."),
        (math.nan, "Svartidsmålet skal være et endeligt tal, ikke nan."),
        (np.int64(3), "Svartidsmålet skal være et tal, ikke np.int64(3)."),
    ],
)
def test_finite_float_refuses_in_danish(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        finite_float(value, "Svartidsmålet")
    assert str(caught.value) == message


def test_the_kinds_and_the_error_class_are_the_callers() -> None:
    numbers = (int, float, np.integer, np.floating)
    assert finite_float(np.int64(3), "Antal", kinds=numbers) == 3.0
    with pytest.raises(LibraryInputError, match=r"^Antal skal være et endeligt tal, ikke inf\.$"):
        finite_float(np.float32("inf"), "Antal", kinds=numbers, error=LibraryInputError)


def test_positive_float() -> None:
    assert positive_float(0.5, "Intervallets længde") == 0.5
    with pytest.raises(ValueError, match=r"^Intervallets længde skal være større end 0 \(0\)\.$"):
        positive_float(0, "Intervallets længde")
    with pytest.raises(ValueError, match=r"^AHT skal være større end 0 \(-1\.5\)\.$"):
        positive_float(-1.5, "AHT")


def test_whole_number() -> None:
    assert whole_number(4, "Frøet (seed)", minimum=0) == 4
    assert whole_number(np.int64(2), "Antal", minimum=1, kinds=(int, np.integer)) == 2
    with pytest.raises(ValueError, match=r"^Antal gentagelser skal være mindst 1 \(fik 0\)\.$"):
        whole_number(0, "Antal gentagelser", minimum=1)
    with pytest.raises(ValueError, match=r"^Antal medarbejdere skal være et helt tal, ikke 2\.0\.$"):
        whole_number(2.0, "Antal medarbejdere")
    with pytest.raises(ValueError, match=r"^Antal medarbejdere skal være et helt tal, ikke False\.$"):
        whole_number(False, "Antal medarbejdere")


def test_finite_decimal() -> None:
    assert finite_decimal(Decimal("1.25"), "Timeprisen") == Decimal("1.25")
    assert finite_decimal(343, "Timeprisen") == Decimal(343)
    with pytest.raises(LibraryInputError, match=r"^Timeprisen skal være et endeligt tal, ikke NaN\.$"):
        finite_decimal(Decimal("NaN"), "Timeprisen", error=LibraryInputError)
    for value in (True, None, 1.5, "1"):
        with pytest.raises(ValueError, match=r"^Timeprisen skal være et tal, ikke "):
            finite_decimal(value, "Timeprisen")
