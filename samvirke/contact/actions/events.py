"""Telephony events: what the platform reports about calls and agents, applied exactly once (see process_event)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samvirke.contact import access, rows
from samvirke.contact.actions.presence import _change_status
from samvirke.contact.actions.routing import (
    ContactError,
    Handover,
    _assign_fields,
    _lock_agent,
    _release_agent,
    _route_overflowed,
    _schedule_overflow,
    _set_status,
    _take_ready_agent,
    dispatch_waiting,
)
from samvirke.contact.lib.events import Event
from samvirke.contact.lib.retention import mask_number
from samvirke.contact.models import (
    AgentStatus,
    Channel,
    Contact,
    ContactState,
    EventOutcome,
    ForwardedTo,
    MunicipalitySource,
    TelephonyEvent,
)
from samvirke.contact.selectors import (
    default_queue,
    estimate_wait,
    hotline_number,
    queue_for_line,
    queue_is_open,
    transfer_target,
)
from samvirke.directory.models import Municipality
from samvirke.preparedness.selectors import CallCrisis, crisis_for_call

logger = logging.getLogger(__name__)


@dataclass
class EventResult:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# Telephony events
#
# Every event is a transaction of a few statements, so the event path reads and writes its rows with the plain SQL
# of rows.py (why: see there). Row locks are as described in routing.py; SQL names the tables as Django does.


# What the call events' handlers read of a contact (the rest is deferred).
_CONTACT_FIELDS = (
    "id",
    "external_id",
    "channel",
    "queue",
    "state",
    "agent",
    "answered_at",
    "registered_at",
    "transferred_to",
    "callback_requested",
)
_CONTACT_COLUMNS = rows.column_list(Contact, _CONTACT_FIELDS)
_CONTACT_SELECT = f"SELECT {_CONTACT_COLUMNS} FROM contact_contact"  # noqa: S608


def process_event(event: Event, payload: dict[str, Any]) -> EventResult:
    """Apply one telephony event exactly once. A redelivery (same event id) gets the first reply again and
    changes nothing; an event for a call Samvirke has never seen is logged and answered 404, and may be
    delivered again later (then it is applied)."""
    if isinstance(payload.get("caller_number"), str):
        # The event log keeps no citizen's number; the contact keeps it for a callback, for a limited time.
        payload = {**payload, "caller_number": mask_number(payload["caller_number"])}
    with transaction.atomic():
        logged_id = rows.insert(
            TelephonyEvent,
            {
                "event_id": event.event_id,
                "type": event.type,
                "call_id": event.call_id,
                "occurred_at": event.occurred_at,
                "received_at": timezone.now(),
                "payload": payload,
                "outcome": EventOutcome.APPLIED,
                "response": {},
                "deliveries": 1,
            },
            unless_exists="event_id",
        )
        if logged_id is None:
            # Another delivery of this event got there first; on PostgreSQL the insert waited until it committed.
            logged_id, outcome, response = rows.convert(
                ((TelephonyEvent, "id"), (TelephonyEvent, "outcome"), (TelephonyEvent, "response")),
                rows.execute(
                    "UPDATE contact_telephonyevent SET deliveries = deliveries + 1 WHERE event_id = %s "
                    "RETURNING id, outcome, response",
                    [event.event_id],
                )[0],
            )
            if outcome != EventOutcome.UNKNOWN_CALL:
                return EventResult(200, {**response, "duplicate": True})
        result = _apply(event)
        outcome = result.body.pop("_outcome", EventOutcome.APPLIED)
        rows.update(TelephonyEvent, logged_id, {"outcome": outcome, "response": result.body})
        return result


def _apply(event: Event) -> EventResult:
    at = event.occurred_at
    if event.type == "agent_status":
        person, eligible = access.telephony_agent(event.agent)
        if person is None:
            return EventResult(
                404, {"detail": f"Ukendt medarbejder: {event.agent}.", "_outcome": EventOutcome.UNKNOWN_CALL}
            )
        if not eligible:
            logger.warning("agent_status for %s refused: not an active agent of a member", event.agent)
            return EventResult(
                409,
                {
                    "detail": f"{event.agent} kan ikke tage opkald: kun aktive agenter og koordinatorer i en "
                    "medlemskommune kan.",
                    "_outcome": EventOutcome.IGNORED,
                },
            )
        agent = _lock_agent(person.pk, at=at)
        assert agent is not None  # the person exists; its presence row is made if missing
        try:
            contact = _change_status(agent, event.status, at, event.pause_reason)
        except ContactError as exc:
            return EventResult(409, {"detail": str(exc), "_outcome": EventOutcome.IGNORED})
        return EventResult(200, {"agent": agent.username, "status": event.status, **_assignment(contact)})
    if event.type == "call_offered":
        return _offer_call(event)
    contact = _usual_course(event)
    if contact is not None:
        applied = True
        if contact.state != ContactState.ANSWERED:  # over: the agent is free (or in wrap-up)
            _note_next(contact, _release_agent(contact, at))
    else:
        found = rows.execute(f"{_CONTACT_SELECT} WHERE external_id = %s{rows.locking()}", [event.call_id])
        if not found:
            return EventResult(
                404, {"detail": f"Ukendt opkald: {event.call_id}.", "_outcome": EventOutcome.UNKNOWN_CALL}
            )
        contact = rows.instance(Contact, _CONTACT_FIELDS, found[0])
        handler = {
            "call_answered": _answered,
            "call_ended": _ended,
            "call_transferred": _ended,
            "call_abandoned": _abandoned,
            "callback_requested": _callback_requested,
            "satisfaction": _satisfaction,
        }[event.type]
        applied = handler(contact, event)
    body: dict[str, Any] = {"contact_id": contact.pk, "call_id": contact.external_id, "state": contact.state}
    following: Handover | None = getattr(contact, "_next_assignment", None)
    if following is not None:
        body["next_assignment"] = {"call_id": following.contact.external_id, "agent": following.agent}
    if event.type == "call_transferred":
        body.update(_transfer_reply(contact, event))
    if not applied:
        body["_outcome"] = EventOutcome.IGNORED
        body["ignored"] = True
    return EventResult(200, body)


def _transfer_reply(contact: Contact, event: Event) -> dict[str, Any]:
    """Where the platform moves the call: `transfer_number` (8 digits) and `transfer_name`, or None for both (a
    transfer to another queue goes on as a new leg, see api.py). A target the platform named (e.g. `minsp_support`)
    is stored on the contact as its number and, unless the agent registered another, as where it was forwarded."""
    target = transfer_target(contact.pk, event.transfer_target)
    if target is None:
        if event.transfer_target in (ForwardedTo.MINSP_SUPPORT, ForwardedTo.CITIZEN_MUNICIPALITY):
            # The platform says where it went, though no number is stored for it here: counted all the same.
            Contact.objects.filter(pk=contact.pk, forwarded_to="").update(forwarded_to=event.transfer_target)
        return {"transfer_number": None, "transfer_name": None}
    Contact.objects.filter(pk=contact.pk, transfer_number="").update(
        transfer_number=target.number, transferred_to=target.label
    )
    Contact.objects.filter(pk=contact.pk, forwarded_to="").update(forwarded_to=target.forwarded_to)
    return {"transfer_number": target.number, "transfer_name": target.name or None}


# The usual course of a call event: (from states, to state, the time it sets). It is the first case of the event's
# handler below (_answered, _ended, _abandoned), done as one conditional UPDATE … RETURNING, which locks the row as
# SELECT … FOR UPDATE does. In any other state (an event out of order, a repeat) it changes nothing and the handler,
# which knows every case, takes the row.
_USUAL_COURSE = {
    "call_answered": ((ContactState.QUEUED, ContactState.ASSIGNED), ContactState.ANSWERED, "answered_at"),
    "call_ended": ((ContactState.ASSIGNED, ContactState.ANSWERED), ContactState.ENDED, "ended_at"),
    "call_transferred": ((ContactState.ASSIGNED, ContactState.ANSWERED), ContactState.TRANSFERRED, "ended_at"),
    "call_abandoned": ((ContactState.QUEUED, ContactState.ASSIGNED), ContactState.ABANDONED, "abandoned_at"),
}


def _usual_course(event: Event) -> Contact | None:
    """The contact after the event's usual course, or None if it was in another state (or is unknown)."""
    if event.type not in _USUAL_COURSE:
        return None
    (first, second), to, moment = _USUAL_COURSE[event.type]
    transferred = ", transferred_to = %s" if event.type == "call_transferred" else ""
    params = [to, rows.db_datetime(event.occurred_at), *([event.transfer_target] if transferred else [])]
    found = rows.execute(
        f"UPDATE contact_contact SET state = %s, {moment} = %s{transferred} "  # noqa: S608  (names from this module)
        f"WHERE external_id = %s AND state IN (%s, %s) RETURNING {_CONTACT_COLUMNS}",
        [*params, event.call_id, first, second],
    )
    return rows.instance(Contact, _CONTACT_FIELDS, found[0]) if found else None


def _assignment(contact: Contact | None) -> dict[str, Any]:
    if contact is None:
        return {"assigned_call_id": None}
    return {"assigned_call_id": contact.external_id, "assigned_contact_id": contact.pk}


def _already_offered(call_id: str) -> EventResult:
    """The same call offered under another event id (at the same moment, or earlier): nothing changes."""
    contact_id, state = rows.execute("SELECT id, state FROM contact_contact WHERE external_id = %s", [call_id])[0]
    return EventResult(
        200, {"contact_id": contact_id, "state": state, "ignored": True, "_outcome": EventOutcome.IGNORED}
    )


def _drill_call(event: Event) -> EventResult:
    """A call to the drill line (settings.PREPAREDNESS_DRILL_NUMBER): the open drill's reply, as a live crisis would
    give it, but no contact is made and no live queue is touched."""
    drill = crisis_for_call(None, event.occurred_at, drill=True)
    return EventResult(
        200,
        {
            "drill": True,
            "queue": None,
            "state": "drill",
            "ivr_message": drill.ivr_message if drill else None,
            "message": None if drill else "Der er ingen øvelse i gang.",
            "_outcome": EventOutcome.IGNORED,
        },
    )


def _crisis_reply(crisis: CallCrisis | None) -> dict[str, Any]:
    """What an open crisis adds to the reply: the message the telephone menu reads first, and the rerouting."""
    if crisis is None:
        return {}
    return {"ivr_message": crisis.ivr_message, "crisis": {"id": crisis.crisis_id, "rerouted": crisis.reroute}}


def _offer_call(event: Event) -> EventResult:
    if settings.PREPAREDNESS_DRILL_NUMBER and event.called_number == settings.PREPAREDNESS_DRILL_NUMBER:
        return _drill_call(event)
    number = hotline_number(event.called_number)
    municipality: tuple[int, int, str] | None = None  # id, code, name
    source = MunicipalitySource.UNKNOWN
    queue = default_queue() if number is None else queue_for_line(number[0])
    if number is not None and number[1] is not None and number[2] is not None and number[3] is not None:
        municipality = (number[1], number[2], number[3])
        source = MunicipalitySource.CALLED_NUMBER
    elif event.ivr_municipality_code is not None:
        # An unknown number, or a region's line number (the health-app line): the menu's choice.
        chosen = Municipality.objects.filter(code=event.ivr_municipality_code).first()
        if chosen is not None:
            municipality = (chosen.pk, chosen.code, chosen.name)
            source = MunicipalitySource.IVR
    contact = Contact(
        channel=Channel.PHONE,
        external_id=event.call_id,
        queue=queue,
        priority=queue.priority,
        called_number=event.called_number,
        caller_number=event.caller_number,
        unknown_number=number is None,
        citizen_municipality_id=municipality[0] if municipality else None,
        municipality_source=source,
        ivr_topic=event.ivr_topic,
        offered_at=event.occurred_at,
    )
    crisis = crisis_for_call(municipality[0] if municipality else None, event.occurred_at)
    body: dict[str, Any] = {
        "queue": queue.slug,
        "municipality": {"code": municipality[1], "name": municipality[2]} if municipality else None,
        "unknown_number": number is None,
        **_crisis_reply(crisis),
    }
    if not queue_is_open(queue, event.occurred_at) and not (crisis and crisis.keeps_open):
        contact.state = ContactState.CLOSED
        if not rows.insert_instance(contact, unless_exists="external_id"):
            return _already_offered(event.call_id)
        assistant = f"/chat/{municipality[1]}/" if municipality else None
        return EventResult(
            200,
            {
                **body,
                "contact_id": contact.pk,
                "state": contact.state,
                "message": queue.closed_message,
                "assistant_url": assistant,
            },
        )
    _route_overflowed(event.occurred_at)
    # The agent is taken before the contact is written, so the contact is written once, already assigned.
    if crisis is not None:
        agent = _take_ready_agent(queue, at=event.occurred_at, only_from=crisis.only_from, never_from=crisis.never_from)
    else:
        agent = _take_ready_agent(queue, at=event.occurred_at)
    if agent is not None:
        _assign_fields(contact, agent, event.occurred_at)
    if not rows.insert_instance(contact, unless_exists="external_id"):
        return _already_offered(event.call_id)  # the agent stays ready: nothing was written to it
    if agent is not None:
        _set_status(agent, AgentStatus.BUSY, event.occurred_at, current=contact.pk)
        return EventResult(200, {**body, "contact_id": contact.pk, "state": contact.state, "agent": agent.username})
    # An agent whose "ready" is being committed right now was skipped (SKIP LOCKED) and could not see this
    # contact either: look again once this transaction has committed, so neither waits for the next event.
    transaction.on_commit(lambda: dispatch_waiting(event.occurred_at))
    _schedule_overflow(queue, event.occurred_at)
    wait = estimate_wait(contact)
    return EventResult(
        200,
        {
            **body,
            "contact_id": contact.pk,
            "state": contact.state,
            "agent": None,
            "estimated_wait_seconds": None if wait == float("inf") else round(wait),
            "offer_callback": wait > queue.callback_offer_seconds,
        },
    )


def _note_next(contact: Contact, following: Handover | None) -> None:
    # Carried to the reply: the freed agent's next call, so the platform can ring it at once.
    contact._next_assignment = following  # type: ignore[attr-defined]


def _answered(contact: Contact, event: Event) -> bool:
    if contact.state in (ContactState.QUEUED, ContactState.ASSIGNED):
        contact.state = ContactState.ANSWERED
        contact.answered_at = event.occurred_at
        rows.save_fields(contact, ["state", "answered_at"])
        return True
    if contact.state in (ContactState.ENDED, ContactState.TRANSFERRED) and contact.answered_at is None:
        contact.answered_at = event.occurred_at  # arrived after the end: fill in the answer time
        rows.save_fields(contact, ["answered_at"])
        return True
    return False


def _ended(contact: Contact, event: Event) -> bool:
    """call_ended and call_transferred: the conversation is over (transferred: handed on by the platform)."""
    if contact.state == ContactState.QUEUED:
        # Never reached an agent: the citizen is gone, whatever the platform calls it.
        return _abandoned(contact, event)
    if contact.state not in (ContactState.ASSIGNED, ContactState.ANSWERED):
        if (
            event.type == "call_transferred"
            and contact.state == ContactState.TRANSFERRED
            and not contact.transferred_to
        ):
            contact.transferred_to = event.transfer_target
            rows.save_fields(contact, ["transferred_to"])
            return True
        return False
    contact.state = ContactState.TRANSFERRED if event.type == "call_transferred" else ContactState.ENDED
    contact.ended_at = event.occurred_at
    if event.type == "call_transferred":
        contact.transferred_to = event.transfer_target
    rows.save_fields(contact, ["state", "ended_at", "transferred_to"])
    _note_next(contact, _release_agent(contact, event.occurred_at))
    return True


def _abandoned(contact: Contact, event: Event) -> bool:
    if contact.state not in (ContactState.QUEUED, ContactState.ASSIGNED):
        return False
    contact.state = ContactState.ABANDONED
    contact.abandoned_at = event.occurred_at
    rows.save_fields(contact, ["state", "abandoned_at"])
    _note_next(contact, _release_agent(contact, event.occurred_at))
    return True


def _callback_requested(contact: Contact, event: Event) -> bool:
    if contact.state != ContactState.QUEUED or contact.callback_requested:
        return False
    contact.callback_requested = True  # keeps its place; the agent who gets it calls the citizen back
    rows.save_fields(contact, ["callback_requested"])
    return True


def _satisfaction(contact: Contact, event: Event) -> bool:
    if contact.state not in (ContactState.ANSWERED, ContactState.ENDED, ContactState.TRANSFERRED):
        return False
    contact.satisfaction = event.rating
    rows.save_fields(contact, ["satisfaction"])
    return True
