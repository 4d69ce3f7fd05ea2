"""Checking a number handed in by a user, a form, a JSON file or a command line, with a Danish message.

One copy of the checks the libraries used to write each for themselves (Erlang, the staffing simulation, the
economy's fees): a number is of an accepted kind — never a bool, which Python counts as an int — and finite.
`what` names the value in the message, capitalised, as the start of a sentence ("Svartidsmålet skal være et
tal, ikke 'x'."). `error` is the exception raised: a library's own ValueError subclass, so its callers can
catch that library's input errors alone. Pure: no Django.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

__all__ = ["finite_decimal", "finite_float", "positive_float", "whole_number"]

_FLOAT_KINDS: tuple[type[Any], ...] = (int, float)
_WHOLE_KINDS: tuple[type[Any], ...] = (int,)


def finite_float(
    value: object, what: str, *, kinds: tuple[type[Any], ...] = _FLOAT_KINDS, error: type[ValueError] = ValueError
) -> float:
    """`value` as a float if it is one of `kinds` (int and float by default, never a bool) and finite."""
    if isinstance(value, float | int) and not isinstance(value, bool) and value - value == 0:
        return float(value)  # the fast path (Erlang checks every argument of every call): a finite float or int
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise error(f"{what} skal være et tal, ikke {value!r}.")
    number = float(value)
    if not math.isfinite(number):
        raise error(f"{what} skal være et endeligt tal, ikke {number}.")
    return number


def positive_float(
    value: object, what: str, *, kinds: tuple[type[Any], ...] = _FLOAT_KINDS, error: type[ValueError] = ValueError
) -> float:
    """`finite_float`, and above 0."""
    number = finite_float(value, what, kinds=kinds, error=error)
    if number <= 0:
        raise error(f"{what} skal være større end 0 ({number:g}).")
    return number


def whole_number(
    value: object,
    what: str,
    *,
    minimum: int | None = None,
    kinds: tuple[type[Any], ...] = _WHOLE_KINDS,
    error: type[ValueError] = ValueError,
) -> int:
    """`value` as an int if it is one of `kinds` (int by default, never a bool) and at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise error(f"{what} skal være et helt tal, ikke {value!r}.")
    if minimum is not None and value < minimum:
        raise error(f"{what} skal være mindst {minimum} (fik {value}).")
    return int(value)


def finite_decimal(value: object, what: str, *, error: type[ValueError] = ValueError) -> Decimal:
    """`value` as an exact Decimal if it is an int or a finite Decimal (never a bool, never a float)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise error(f"{what} skal være et endeligt tal, ikke {value}.")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise error(f"{what} skal være et tal, ikke {value!r}.")
