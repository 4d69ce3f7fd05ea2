"""What every part of the rota shares: the input error with its Danish sentences, exact numbers from the input,
and hours as Danish text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

Number = int | float | Decimal | Fraction


class RotaInputError(ValueError):
    """Bad input to the rota builder. `problems` holds one Danish sentence per problem."""

    def __init__(self, problems: str | Sequence[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def hours_text(hours: Number) -> str:
    """7,5 or 12 (Danish decimal comma, at most two decimals)."""
    value = Fraction(hours)
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def timer(hours: Number) -> str:
    """ "1 time", "7,5 timer"."""
    return f"{hours_text(hours)} {'time' if Fraction(hours) == 1 else 'timer'}"


def to_fraction(value: Any, what: str) -> Fraction:
    """An input number as an exact fraction (a float rounded to a denominator of at most 10,000); anything but a
    finite number raises `RotaInputError` naming `what`."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise RotaInputError(f"{what} skal være et tal, ikke {value!r}.")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise RotaInputError(f"{what} skal være et endeligt tal, ikke {value}.")
    return Fraction(value) if not isinstance(value, float) else Fraction(value).limit_denominator(10_000)
