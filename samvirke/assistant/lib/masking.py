"""Masking personal data before free text is stored: CPR numbers, phone numbers, e-mail addresses."""

from __future__ import annotations

import re

# CPR: ddmmyy-xxxx or ddmmyyxxxx (also with a space), not inside a longer number. Any date is masked, valid or
# not: a mistyped CPR number is still personal data, and false alarms cost nothing here.
_CPR = re.compile(r"(?<!\d)\d{6}[ -]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Danish phone numbers: 8 digits, optionally +45/0045 and spaces in pairs or groups of four.
_PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)45[ -]?)?(?:\d{2}[ -]?){3}\d{2}(?!\d)")

CPR_MASK = "[CPR-nummer]"
PHONE_MASK = "[telefonnummer]"
EMAIL_MASK = "[e-mail]"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMBER_PARTS = frozenset("0123456789 -+")


def bounded(text: str, limit: int) -> str:
    """Anonymous text cut to `limit` characters, before anything else is done with it (masking included, so the
    work of the regular expressions is bounded too). A number the cut runs through is dropped whole: half a CPR
    number would no longer look like one to the masking, yet still be personal data."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if text[limit].isdigit():
        end = len(head)
        while end > 0 and head[end - 1] in _NUMBER_PARTS:
            end -= 1
        head = head[:end]
    return head


def mask_personal_data(text: str) -> str:
    """Replace CPR numbers, e-mail addresses and phone numbers with a marker. CPR first: it is 10 digits.

    Control characters (NUL and the like, which PostgreSQL text cannot hold) are dropped first.
    """
    text = _CONTROL.sub("", text)
    text = _CPR.sub(CPR_MASK, text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)
