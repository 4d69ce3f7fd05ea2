"""The telephony platform's events, validated into plain data. Errors are Danish sentences for the 400 reply.

The body is hostile until proven otherwise, even signed (a leaked secret, a faulty platform): it is bounded in size
and nesting before it is decoded (check_body), every field is known (no unknown field is stored), ids and numbers
are ASCII, no text holds control characters (PostgreSQL refuses NUL), and the event's time lies within a window
around now, so a year 9999 or 0001 is a 400 instead of an OverflowError, and a contact dated 2100 cannot escape
retention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

CALL_EVENTS = ("call_offered", "call_answered", "call_transferred", "call_ended", "call_abandoned")
OTHER_EVENTS = ("callback_requested", "satisfaction", "agent_status")
EVENT_TYPES = CALL_EVENTS + OTHER_EVENTS
AGENT_STATUSES = ("offline", "ready", "pause")
# The pause reasons an agent may give (PauseReason's values, but for no_answer, which Samvirke sets itself when an
# agent lets a chat offer lapse). tests/contact/test_contact_lib.py keeps the two lists in step.
PAUSE_REASONS = ("break", "meeting", "training", "back_office", "other")
# The fields each type of event may carry besides event_id, type and occurred_at; anything else is refused (and so
# never stored in the event log). samvirke/contact/api.py describes the same in the OpenAPI schema.
COMMON_FIELDS = frozenset({"event_id", "type", "occurred_at"})
FIELDS_BY_TYPE = {
    "call_offered": frozenset({"call_id", "called_number", "caller_number", "ivr_municipality_code", "ivr_topic"}),
    "call_answered": frozenset({"call_id"}),
    "call_ended": frozenset({"call_id"}),
    "call_abandoned": frozenset({"call_id"}),
    "callback_requested": frozenset({"call_id"}),
    "call_transferred": frozenset({"call_id", "transfer_target"}),
    "satisfaction": frozenset({"call_id", "rating"}),
    "agent_status": frozenset({"agent", "status", "pause_reason"}),
}
FIELDS = COMMON_FIELDS.union(*FIELDS_BY_TYPE.values())
MAX_BODY_BYTES = 16_384  # an event is a few hundred bytes
MAX_NESTING = 4  # an event is a flat object: deeper JSON is refused before it is decoded
_ID_CHARACTERS = frozenset(chr(code) for code in range(0x21, 0x7F))  # printable ASCII, no space


class EventError(ValueError):
    pass


@dataclass(frozen=True)
class TimeWindow:
    """The times an event may carry: from `earliest` to `latest` (both aware)."""

    earliest: dt.datetime
    latest: dt.datetime


def nesting_depth(body: bytes, limit: int) -> int:
    """How deep the JSON in `body` nests objects and arrays, counted up to `limit` + 1 (then it stops looking).
    One linear pass that skips strings, so a deep body is measured without the recursion json.loads would need."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):  # { [
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif byte in (0x7D, 0x5D):  # } ]
            depth -= 1
    return deepest


def check_body(body: bytes) -> None:
    """Refuse (EventError) a body too large or too deeply nested to be an event, before it is decoded."""
    if len(body) > MAX_BODY_BYTES:
        raise EventError(f"Hændelsen er for stor (højst {MAX_BODY_BYTES} bytes).")
    if nesting_depth(body, MAX_NESTING) > MAX_NESTING:
        raise EventError(f"Hændelsen er for dybt indlejret (højst {MAX_NESTING} niveauer).")


def _has_control_character(text: str) -> bool:
    return any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in text)


@dataclass(frozen=True)
class Event:
    event_id: str
    type: str
    occurred_at: dt.datetime
    call_id: str = ""
    called_number: str = ""
    caller_number: str = ""
    ivr_municipality_code: int | None = None
    ivr_topic: str = ""
    transfer_target: str = ""
    rating: int | None = None
    agent: str = ""
    status: str = ""
    pause_reason: str = ""


def _text(data: dict[str, Any], key: str, max_length: int = 100) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):  # a number is not text: the schema says string, and 0 is no id or topic
        raise EventError(f"Feltet '{key}' skal være tekst.")
    text = value.strip()
    if len(text) > max_length:
        raise EventError(f"Feltet '{key}' er for langt (højst {max_length} tegn).")
    if _has_control_character(text):
        raise EventError(f"Feltet '{key}' indeholder kontroltegn.")
    return text


def _identifier(data: dict[str, Any], key: str, max_length: int = 100) -> str:
    """An id from the platform: printable ASCII without spaces (so 'ⅷ' or a Persian digit is no id)."""
    text = _text(data, key, max_length)
    if not set(text) <= _ID_CHARACTERS:
        raise EventError(f"Feltet '{key}' må kun indeholde ASCII-tegn (bogstaver, cifre og tegn uden mellemrum).")
    return text


def _phone(data: dict[str, Any], key: str) -> str:
    text = _text(data, key, 20).replace(" ", "")
    if text.startswith("+45"):
        text = text[3:]
    digits = text.removeprefix("+")
    # isdigit() alone says yes to '٣' and '³': a number is ASCII digits 0–9.
    if text and not (digits.isascii() and digits.isdigit()):
        raise EventError(f"Feltet '{key}' skal være et telefonnummer (cifrene 0–9).")
    return text


def _occurred_at(data: dict[str, Any], window: TimeWindow | None) -> dt.datetime:
    raw_time = data.get("occurred_at")
    if not isinstance(raw_time, str):
        raise EventError("Feltet 'occurred_at' mangler (ISO 8601 med tidszone, fx 2026-11-23T09:15:00+01:00).")
    if len(raw_time) > 40:
        raise EventError("Feltet 'occurred_at' er for langt til at være et tidspunkt.")
    try:
        occurred_at = dt.datetime.fromisoformat(raw_time)
    except ValueError as exc:
        raise EventError(f"Feltet 'occurred_at' er ikke et tidspunkt: {raw_time!r}.") from exc
    if occurred_at.tzinfo is None:
        raise EventError("Feltet 'occurred_at' skal have en tidszone (fx +01:00 eller Z).")
    try:
        # 9999-12-31T23:59+… or 0001-01-01T00:00+… lie outside what a datetime can hold once in UTC: compared with
        # anything, or stored, they raise OverflowError.
        occurred_at.astimezone(dt.UTC)
    except OverflowError as exc:
        raise EventError(f"Feltet 'occurred_at' er uden for det tilladte tidsrum: {raw_time!r}.") from exc
    if window is not None and not window.earliest <= occurred_at <= window.latest:
        raise EventError(
            f"Feltet 'occurred_at' er uden for det tilladte tidsrum: {raw_time!r} skal ligge mellem "
            f"{window.earliest.isoformat(timespec='seconds')} og {window.latest.isoformat(timespec='seconds')}."
        )
    return occurred_at


def parse_event(data: Any, window: TimeWindow | None = None) -> Event:
    """`data` is the decoded JSON body; `window` the times an event may carry (None: any time a datetime holds).
    Raises EventError with a Danish message."""
    if not isinstance(data, dict):
        raise EventError("Hændelsen skal være et JSON-objekt.")
    unknown = sorted(str(key)[:40] for key in data if key not in FIELDS)
    if unknown:
        shown = ", ".join(repr(key) for key in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise EventError(f"Ukendte felter: {shown}. Gyldige: {', '.join(sorted(FIELDS))}.")
    event_id = _identifier(data, "event_id")
    if not event_id:
        raise EventError("Feltet 'event_id' mangler.")
    kind = _text(data, "type", 30)
    if kind not in EVENT_TYPES:
        raise EventError(f"Ukendt hændelsestype {kind!r}. Gyldige: {', '.join(EVENT_TYPES)}.")
    foreign = sorted(key for key in data if key not in COMMON_FIELDS | FIELDS_BY_TYPE[kind])
    if foreign:
        raise EventError(f"Felterne {', '.join(map(repr, foreign))} hører ikke til en hændelse af typen {kind}.")
    occurred_at = _occurred_at(data, window)
    call_id = _identifier(data, "call_id")
    if kind != "agent_status" and not call_id:
        raise EventError("Feltet 'call_id' mangler.")
    fields: dict[str, Any] = {"event_id": event_id, "type": kind, "occurred_at": occurred_at, "call_id": call_id}
    if kind == "call_offered":
        fields["called_number"] = _phone(data, "called_number")
        fields["caller_number"] = _phone(data, "caller_number")
        if not fields["called_number"]:
            raise EventError("Feltet 'called_number' mangler.")
        code = data.get("ivr_municipality_code")
        if code is not None:
            if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 999:
                raise EventError("Feltet 'ivr_municipality_code' skal være en kommunekode (3 cifre).")
            fields["ivr_municipality_code"] = code
        fields["ivr_topic"] = _text(data, "ivr_topic", 100)
    elif kind == "call_transferred":
        fields["transfer_target"] = _text(data, "transfer_target")
    elif kind == "satisfaction":
        rating = data.get("rating")
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 9:
            raise EventError("Feltet 'rating' skal være et helt tal fra 1 til 9.")
        fields["rating"] = rating
    elif kind == "agent_status":
        fields["agent"] = _text(data, "agent", 150)
        fields["status"] = _text(data, "status", 20)
        fields["pause_reason"] = _text(data, "pause_reason", 20)
        if not fields["agent"]:
            raise EventError("Feltet 'agent' (brugernavn) mangler.")
        if fields["status"] not in AGENT_STATUSES:
            raise EventError(f"Feltet 'status' skal være en af: {', '.join(AGENT_STATUSES)}.")
        if fields["pause_reason"] and fields["pause_reason"] not in PAUSE_REASONS:
            raise EventError(f"Feltet 'pause_reason' skal være en af: {', '.join(PAUSE_REASONS)}.")
        if fields["pause_reason"] and fields["status"] != "pause":
            raise EventError("Feltet 'pause_reason' hører kun til status 'pause'.")
    return Event(**fields)
