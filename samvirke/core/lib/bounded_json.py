"""JSON from people (an uploaded file, a request body) read within bounds: size, nesting and number length.

Python's json module recurses once per level (a file of 100,000 "[" ends in RecursionError) and turns a digit
string of any length into an int (from 4,301 digits Python 3.11 raises ValueError; below that it happily builds
it); neither is a message a person can act on, and a 500 is worse. `load_bounded_json` refuses each with a
Danish sentence in a JsonInputError.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from samvirke.core.lib.formatting import thousands


class JsonInputError(ValueError):
    """JSON that is refused; the message is Danish and can be shown as it is."""


@dataclass(frozen=True)
class JsonLimits:
    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 20  # the deepest real document we read (a business case) nests 5 levels
    max_number_chars: int = 30  # digits, sign, point and exponent: 1,000-kr. amounts need far fewer
    max_exponent: int = 30  # 1e30 and beyond is no amount, and 1e999999 would become a million-digit int


def _number_checker(limits: JsonLimits, make: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if len(text) > limits.max_number_chars:
            raise JsonInputError(
                f"JSON-filen indeholder et tal med {thousands(len(text))} tegn; "
                f"højst {limits.max_number_chars} er tilladt."
            )
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise JsonInputError(f"JSON-filen indeholder et ugyldigt tal: {text[:40]}.") from None
        if number.is_finite() and number != 0 and abs(number.adjusted()) > limits.max_exponent:
            raise JsonInputError(f"JSON-filen indeholder et tal, der er for stort eller for småt: {text}.")
        return make(text)

    return parse


def _refuse_constant(name: str) -> Any:
    raise JsonInputError(f"JSON-filen indeholder {name}, som ikke er et tal. Skriv et tal eller null.")


def _depth_exceeds(value: Any, max_depth: int) -> bool:
    # Iterative: the parsed value is at most as deep as the interpreter's recursion limit let json build it.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def load_bounded_json(
    data: bytes | str, limits: JsonLimits | None = None, *, parse_float: Callable[[str], Any] = float
) -> Any:
    """Parse JSON text (bytes are decoded as UTF-8, BOM tolerated) within `limits`, or raise JsonInputError.

    Text that is not JSON at all raises json.JSONDecodeError as json.loads does (its line and column are for the
    caller's message).

    `parse_float` builds the non-integer numbers (float, or Decimal to keep amounts exact).
    """
    limits = limits or JsonLimits()
    if len(data) > limits.max_bytes:
        raise JsonInputError(f"JSON-filen er for stor: højst {limits.max_bytes // (1024 * 1024)} MB.")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JsonInputError("JSON-filen skal være gemt som UTF-8.") from None
    else:
        text = data.removeprefix("\ufeff")
    try:
        value = json.loads(
            text,
            parse_int=_number_checker(limits, int),
            parse_float=_number_checker(limits, parse_float),
            parse_constant=_refuse_constant,
        )
    except RecursionError:
        raise JsonInputError(_too_deep(limits)) from None
    except (JsonInputError, json.JSONDecodeError):
        raise
    except ValueError:  # int max str digits, should a number slip past the length check
        raise JsonInputError("JSON-filen indeholder et tal, der er for langt.") from None
    if _depth_exceeds(value, limits.max_depth):
        raise JsonInputError(_too_deep(limits))
    return value


def _too_deep(limits: JsonLimits) -> str:
    return f"JSON-filen er indlejret for dybt: højst {limits.max_depth} niveauer af lister og objekter."
