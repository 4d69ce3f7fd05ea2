"""Numbers, amounts, percentages and dates the Danish way, one copy for pages, exports, commands and messages.

Danish writes a dot between thousands and a comma before the decimals: 1.064.835,00. Pure: no Django, no
locale (the process locale must not change what a command prints; its output is diffed byte for byte).

Two roundings, on purpose, as before: floats and `number_da` round as Python's format() does (half to even on
the binary value, as the commands have always printed); `kr` and a Decimal given to `percent_da` round half up
exactly, as money and shares on the pages always have.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "MONTHS_DA",
    "WEEKDAYS_DA",
    "date_da",
    "decimal_da",
    "exact_da",
    "kr",
    "number_da",
    "percent_da",
    "signed_da",
    "thousands",
]

WEEKDAYS_DA = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
MONTHS_DA = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
             "november", "december"]  # fmt: skip

_SWAP = str.maketrans({",": ".", ".": ","})


def thousands(number: int) -> str:
    """An integer with a dot between thousands: 851868 → '851.868', -1575 → '-1.575'."""
    return f"{number:,}".replace(",", ".")


def number_da(value: float | Decimal | int, decimals: int = 0, *, grouped: bool = False) -> str:
    """`value` with `decimals` decimals and a decimal comma: (7.25, 1) → '7,2' (format()'s rounding).

    `grouped` adds the dot between thousands: (Decimal('1064835'), 2) → '1.064.835,00'. An int with no
    decimals is written exactly (never through a float)."""
    separator = "," if grouped else ""
    if decimals == 0 and isinstance(value, int):
        return f"{value:{separator}}".translate(_SWAP)
    return f"{value:{separator}.{decimals}f}".translate(_SWAP)


def exact_da(value: Decimal, min_decimals: int = 0) -> str:
    """A Decimal with the decimals it was written with (at least `min_decimals`), grouped: Decimal('12.50') →
    '12,50', Decimal('-1575') → '-1.575'. For a normalised value: no trailing zeros."""
    exponent = value.as_tuple().exponent
    places = max(min_decimals, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return number_da(value, places, grouped=True)


def percent_da(share: float | Decimal, decimals: int = 1) -> str:
    """A share (0–1) as a percentage with a decimal comma: 0.6087 → '60,9 %'.

    A Decimal rounds half up exactly (Decimal('0.0025') → '0,3 %'); a float as format() rounds its × 100
    (0.0025 → '0,2 %')."""
    if isinstance(share, Decimal):
        exponent = Decimal(1).scaleb(-decimals)
        return f"{(share * 100).quantize(exponent, rounding=ROUND_HALF_UP):f}".replace(".", ",") + " %"
    return f"{share * 100:.{decimals}f} %".replace(".", ",")


def kr(amount: Decimal) -> str:
    """Money to the øre, half up: Decimal('65196.245') → '65.196,25', Decimal('-1575') → '-1.575,00'.

    The unit is left to the caller (' kr.' in sentences, nothing in a column headed kr.)."""
    rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, ore = f"{abs(rounded):f}".partition(".")
    return f"{sign}{thousands(int(whole))},{ore}"


def decimal_da(value: Decimal) -> str:
    """A decimal as exact as given, no trailing zeros, no grouping: Decimal('1.7375') → '1,7375', '8.00' → '8'."""
    return f"{value.normalize():f}".replace(".", ",")


def signed_da(value: Decimal) -> str:
    """A difference with its sign, a real minus and a decimal comma: 3 → '+3', -2.5 → '−2,5', 0 → '0'."""
    text = f"{abs(value):f}".replace(".", ",")
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")


def date_da(day: dt.date) -> str:
    """ "mandag 28. december": the weekday in lower case, as Danish writes it inside a sentence."""
    return f"{WEEKDAYS_DA[day.weekday()]} {day.day}. {MONTHS_DA[day.month - 1]}"


def phone_da(number: str) -> str:
    """Eight digits in pairs, as Danes write them: "72363636" → "72 36 36 36". Anything else as it is."""
    if len(number) == 8 and number.isdigit():
        return " ".join(number[i : i + 2] for i in range(0, 8, 2))
    return number
