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


def mask_personal_data(text: str) -> str:
    """Replace CPR numbers, e-mail addresses and phone numbers with a marker. CPR first: it is 10 digits.

    Control characters (NUL and the like, which PostgreSQL text cannot hold) are dropped first.
    """
    text = _CONTROL.sub("", text)
    text = _CPR.sub(CPR_MASK, text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)
