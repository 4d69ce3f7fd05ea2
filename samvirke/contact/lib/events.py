"""The telephony platform's events, validated into plain data. Errors are Danish sentences for the 400 reply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

CALL_EVENTS = ("call_offered", "call_answered", "call_transferred", "call_ended", "call_abandoned")
OTHER_EVENTS = ("callback_requested", "satisfaction", "agent_status")
EVENT_TYPES = CALL_EVENTS + OTHER_EVENTS
AGENT_STATUSES = ("offline", "ready", "pause")


class EventError(ValueError):
    pass


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
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise EventError(f"Feltet '{key}' skal være tekst.")
    text = str(value).strip()
    if len(text) > max_length:
        raise EventError(f"Feltet '{key}' er for langt (højst {max_length} tegn).")
    return text


def _phone(data: dict[str, Any], key: str) -> str:
    text = _text(data, key, 20).replace(" ", "")
    if text.startswith("+45"):
        text = text[3:]
    if text and not text.lstrip("+").isdigit():
        raise EventError(f"Feltet '{key}' skal være et telefonnummer (cifre).")
    return text


def parse_event(data: Any) -> Event:
    """`data` is the decoded JSON body. Raises EventError with a Danish message."""
    if not isinstance(data, dict):
        raise EventError("Hændelsen skal være et JSON-objekt.")
    event_id = _text(data, "event_id")
    if not event_id:
        raise EventError("Feltet 'event_id' mangler.")
    kind = _text(data, "type", 30)
    if kind not in EVENT_TYPES:
        raise EventError(f"Ukendt hændelsestype {kind!r}. Gyldige: {', '.join(EVENT_TYPES)}.")
    raw_time = data.get("occurred_at")
    if not isinstance(raw_time, str):
        raise EventError("Feltet 'occurred_at' mangler (ISO 8601 med tidszone, fx 2026-11-23T09:15:00+01:00).")
    try:
        occurred_at = dt.datetime.fromisoformat(raw_time)
    except ValueError as exc:
        raise EventError(f"Feltet 'occurred_at' er ikke et tidspunkt: {raw_time!r}.") from exc
    if occurred_at.tzinfo is None:
        raise EventError("Feltet 'occurred_at' skal have en tidszone (fx +01:00 eller Z).")
    call_id = _text(data, "call_id")
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
    return Event(**fields)
