"""A Danish phone number as a citizen types it, for a callback: "20 30 40 50", "+45 20304050", "0045-2030-4050"."""

from __future__ import annotations

MAX_INPUT_CHARS = 40  # anything longer is not a phone number; refused before it is looked at
_SEPARATORS = frozenset(" -./()")


def parse_danish_phone(text: str) -> str | None:
    """The number's eight digits, or None when `text` is not a Danish phone number.

    Spaces, dashes, dots and brackets are allowed anywhere; +45 or 0045 in front is dropped. Danish numbers have
    eight digits and do not start with 0 or 1 (those are service and foreign prefixes).
    """
    if len(text) > MAX_INPUT_CHARS:
        return None
    text = text.strip()
    if text.startswith("+45"):
        text = text[3:]
    elif text.startswith("0045"):
        text = text[4:]
    if any(not (char.isdigit() or char in _SEPARATORS) for char in text):
        return None
    digits = "".join(char for char in text if char.isdigit())
    if len(digits) != 8 or not digits.isascii() or digits[0] in "01":
        return None
    return digits


def display_phone(digits: str) -> str:
    """ "20304050" → "20 30 40 50", as Danish numbers are written."""
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
