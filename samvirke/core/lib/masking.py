"""Masking personal data before free text is stored: CPR numbers, phone numbers, e-mail addresses.

Anonymous text is hostile, so every step here is linear in the length of the text, whatever it holds:
- the CPR and phone patterns start only where a run of digits (or a +45 prefix) starts (a look-behind), and every
  quantifier in them is bounded, so one attempt reads at most a couple of dozen characters;
- e-mail addresses are found from their "@" outwards by plain scanning (no regular expression at all): each
  character is read at most twice. (The old pattern `[\\w.+-]+@…` tried every start position of a long word and
  read to its end each time: quadratic, 4 s for 40,000 × "y".)
Callers still cut text to size first (`bounded`), so the work is small as well as linear.
"""

from __future__ import annotations

import re

CPR_MASK = "[CPR-nummer]"
PHONE_MASK = "[telefonnummer]"
EMAIL_MASK = "[e-mail]"

# What people type between the date and the serial number of a CPR number: a hyphen or one of the dashes a word
# processor or a phone turns it into (‐ ‑ ‒ – — −), a slash, or a space; optionally with spaces around it.
_CPR_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212/"
# CPR: ddmmyy and a four-digit serial, the date written 010203, 01.02.03 or 01 02 03 (the same separator twice).
# Any date is masked, valid or not: a mistyped CPR number is still personal data, and false alarms cost nothing.
_CPR = re.compile(
    r"(?<![\d+])\d{2}(?P<d>[ .]?)\d{2}(?P=d)\d{2}"
    rf"(?:[ ]?[{_CPR_DASHES}][ ]?|[ ])?"
    r"\d{4}(?!\d)"
)
# Danish phone numbers: 8 digits, optionally after +45, 0045 or (+45); written 12345678, in pairs with the same
# separator (12 34 56 78, 12.34.56.78, 12-34-56-78), or in the groups 1234 5678 and 12 345 678.
# Not 2026-1234 (a case number) nor 12.30 (a time): those are not a phone's grouping.
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)45[ .-]?|\(\+?45\)[ ]?)?"
    r"(?:\d{2}(?P<p>[ .-]?)\d{2}(?P=p)\d{2}(?P=p)\d{2}|\d{4}[ ]\d{4}|\d{2}[ ]\d{3}[ ]\d{3})"
    r"(?!\d)"
)
# How an "@" is written by someone who fears spam robots: "anne(a)holbaek.dk", "anne [at] holbaek.dk".
_AT_SIGNS = re.compile(r"@|[ ]?[(\[](?:at|a|snabel-a)[)\]][ ]?", re.IGNORECASE)
_LOCAL_SYMBOLS = frozenset("._+-'")
_DOMAIN_SYMBOLS = frozenset(".-")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMBER_PARTS = frozenset("0123456789 -+./\u2010\u2011\u2012\u2013\u2014\u2212")


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


def without_control_characters(text: str) -> str:
    """The text without NUL and the other C0 control characters (tab, line feed and carriage return stay):
    PostgreSQL text cannot hold NUL, and the rest only hide things from the people who read the text."""
    return _CONTROL.sub("", text)


def _is_local_char(char: str) -> bool:
    return char.isalnum() or char == "_" or char in _LOCAL_SYMBOLS


def _is_domain_char(char: str) -> bool:
    return char.isalnum() or char in _DOMAIN_SYMBOLS


def _email_spans(text: str) -> list[tuple[int, int]]:
    """Where the e-mail addresses are: from each "@" (or "(a)", "[at]"), the run of address characters to its left
    and a domain of at least two dot-separated labels to its right. Linear: the scan to the left stops at the end
    of the previous address or "@", the scan to the right at the first character no domain holds."""
    spans: list[tuple[int, int]] = []
    done = 0  # nothing before this index is looked at again
    for at in _AT_SIGNS.finditer(text):
        if at.start() < done:
            continue
        start = at.start()
        while start > done and _is_local_char(text[start - 1]):
            start -= 1
        end = at.end()
        while end < len(text) and _is_domain_char(text[end]):
            end += 1
        done = max(done, at.end())
        while end > at.end() and text[end - 1] in _DOMAIN_SYMBOLS:  # "skriv til anne@holbaek.dk."
            end -= 1
        labels = text[at.end() : end].split(".")
        if start == at.start() or len(labels) < 2 or not all(labels):
            continue
        spans.append((start, end))
        done = end
    return spans


def _mask_emails(text: str) -> str:
    spans = _email_spans(text)
    if not spans:
        return text
    parts: list[str] = []
    previous = 0
    for start, end in spans:
        parts.append(text[previous:start])
        parts.append(EMAIL_MASK)
        previous = end
    parts.append(text[previous:])
    return "".join(parts)


def mask_personal_data(text: str) -> str:
    """Replace e-mail addresses, CPR numbers and phone numbers with a marker.

    Control characters (NUL and the like, which PostgreSQL text cannot hold) are dropped first. E-mail addresses
    go before numbers, so that digits inside an address do not leave half of it behind; CPR before phone
    numbers, because a CPR number is the longer.
    """
    text = without_control_characters(text)
    text = _mask_emails(text)
    text = _CPR.sub(CPR_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)


def looks_like_cpr(text: str) -> bool:
    """Text holding what `mask_personal_data` takes for a CPR number (ddmmyy-xxxx, with or without separators):
    what a pseudonymous reference or a field that must never hold a CPR number is refused for."""
    return CPR_MASK in mask_personal_data(text)
