"""Every write in the contact centre: telephony events, routing, agents' presence, registration, chats.

Routing rules, held by the database so that any number of web workers can run them at once:
- a contact is handed to an agent only in a transaction that holds both rows locked;
- lock order is always contact before agent; where an agent is locked first (the agent becomes ready and
  looks for work) the contact is taken with SKIP LOCKED, which never waits, so two workers cannot deadlock;
- an agent is given a contact only while READY and becomes BUSY in the same transaction, so no agent holds
  two contacts and no contact is given to two agents.
SQLite has no row locks; it serialises writers instead, which gives the same guarantees with one writer.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from samvirke.assistant.models import UnansweredQuestion
from samvirke.audit.actions import record
from samvirke.contact import access, rows
from samvirke.contact.lib.desk import wrap_up_ends_at
from samvirke.contact.lib.events import Event
from samvirke.contact.lib.retention import RetentionPolicy, cutoffs, mask_number
from samvirke.contact.lib.transfer import next_leg_id
from samvirke.contact.lib.waiting import estimated_wait_seconds
from samvirke.contact.models import (
    AgentState,
    AgentStatus,
    Channel,
    ChatMessage,
    Contact,
    ContactState,
    EventOutcome,
    ForwardedTo,
    MunicipalitySource,
    PauseReason,
    PresenceChange,
    Queue,
    TelephonyEvent,
)
from samvirke.core.lib.hours import OpeningHours, is_open, next_opening
from samvirke.core.lib.masking import bounded, mask_personal_data
from samvirke.core.lib.opening import parse_opening_hours
from samvirke.directory.models import Line, Municipality, Person

LOCAL = ZoneInfo("Europe/Copenhagen")
LIVE_STATES = (ContactState.QUEUED, ContactState.ASSIGNED, ContactState.ANSWERED)
FINISHED_STATES = (ContactState.ENDED, ContactState.TRANSFERRED, ContactState.ABANDONED, ContactState.CLOSED)
DEFAULT_HANDLE_SECONDS = 300.0  # until there are answered contacts to average
DEFAULT_WRAP_UP_SECONDS = 60  # Queue.wrap_up_seconds' default, for a queue the cache does not know yet
DEFAULT_CHAT_OFFER_SECONDS = 30  # Queue.chat_offer_seconds' default
logger = logging.getLogger(__name__)


class ContactError(Exception):
    """A request the contact centre refuses; the message is Danish and shown to the user."""


@dataclass
class EventResult:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# Telephony events
#
# Every event is a transaction of a few statements, so the event path reads and writes its rows with the plain SQL
# of rows.py (why: see there). Row locks are as described at the top; SQL names the tables as Django does.


@dataclass
class LockedAgent:
    """An agent's presence row, locked by this transaction, with what routing needs of the person."""

    person_id: int
    username: str
    municipality_id: int | None
    status: str
    ready_since: dt.datetime | None
    current_contact_id: int | None
    takes_chats: bool = True


# Only the agent's own row is read with the lock. PostgreSQL returns the latest version of a row it had to wait
# for, but the other tables of the same statement as they were when it started: a contact joined in here could be
# older than the agent row (see _change_status, which reads the contact after the lock).
_AGENT_SELECT = (
    "SELECT a.person_id, p.username, p.municipality_id, a.status, a.ready_since, a.current_contact_id, a.takes_chats "
    "FROM contact_agentstate a JOIN directory_person p ON p.id = a.person_id"
)
_AGENT_COLUMNS = (
    (AgentState, "person"),
    (Person, "username"),
    (Person, "municipality"),
    (AgentState, "status"),
    (AgentState, "ready_since"),
    (AgentState, "current_contact"),
    (AgentState, "takes_chats"),
)
# What routing reads of a contact it hands out (the channel: a chat offer is withdrawn if the agent does not take it).
_ROUTED_FIELDS = ("id", "external_id", "state", "channel")
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


@dataclass(frozen=True)
class Handover:
    """A contact given to an agent at once; the reply tells the telephony platform where to ring."""

    contact: Contact
    agent: str  # username


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
    if not applied:
        body["_outcome"] = EventOutcome.IGNORED
        body["ignored"] = True
    return EventResult(200, body)


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


def queue_is_open(queue: Queue, at: dt.datetime) -> bool:
    # Whole seconds give the same answer (opening hours are whole minutes) and let the answer be cached.
    return _is_open(json.dumps(queue.opening_hours, sort_keys=True), at.astimezone(LOCAL).replace(microsecond=0))


@functools.lru_cache(maxsize=256)
def _is_open(opening_hours: str, moment: dt.datetime) -> bool:
    """Cached: every offered call asks, and the answer costs half a millisecond (the year's holiday calendar)."""
    return is_open(parse_opening_hours(json.loads(opening_hours)), moment)


def _already_offered(call_id: str) -> EventResult:
    """The same call offered under another event id (at the same moment, or earlier): nothing changes."""
    contact_id, state = rows.execute("SELECT id, state FROM contact_contact WHERE external_id = %s", [call_id])[0]
    return EventResult(
        200, {"contact_id": contact_id, "state": state, "ignored": True, "_outcome": EventOutcome.IGNORED}
    )


def _offer_call(event: Event) -> EventResult:
    number = _hotline_number(event.called_number)
    municipality: tuple[int, int, str] | None = None  # id, code, name
    if number is not None:
        queue = _queue_for_line(number[0])
        municipality = number[1:]
        source = MunicipalitySource.CALLED_NUMBER
    else:
        queue = _default_queue()
        source = MunicipalitySource.UNKNOWN
        if event.ivr_municipality_code is not None:
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
    body: dict[str, Any] = {
        "queue": queue.slug,
        "municipality": {"code": municipality[1], "name": municipality[2]} if municipality else None,
        "unknown_number": number is None,
    }
    if not queue_is_open(queue, event.occurred_at):
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
    agent = _take_ready_agent(queue)
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


def _serving_filter(queue: Queue) -> Q:
    return Q(skills=queue.skill_id) if queue.skill_id else Q()


def _lock_agent(
    person_id: int | None = None, *, username: str = "", at: dt.datetime | None = None
) -> LockedAgent | None:
    """The agent's presence row, locked; by person or by username. With `at`, a person who has never had a status
    gets one (offline since `at`) first. None if there is no such agent (or person)."""
    key: int | str
    if person_id is not None:
        where, key, person = "a.person_id = %s", person_id, Q(pk=person_id)
    else:
        where, key, person = "p.username = %s", username, Q(username=username)
    sql = f"{_AGENT_SELECT} WHERE {where}{rows.locking(of='a')}"
    found = rows.execute(sql, [key])
    if not found and at is not None:
        new = Person.objects.filter(person).first()
        if new is None:
            return None
        agent_state_for(new, at)
        found = rows.execute(sql, [key])
    return LockedAgent(*rows.convert(_AGENT_COLUMNS, found[0])) if found else None


def _take_ready_agent(
    queue: Queue | None = None, channel: str = Channel.PHONE, passed_over: tuple[int, ...] = ()
) -> LockedAgent | None:
    """The longest-idle ready agent (with the queue's skill, if a queue is given; for a chat, one who takes chats),
    locked; agents another worker holds are skipped, and so are the `passed_over` ones."""
    conditions = ""
    params: list[Any] = [AgentStatus.READY]
    if queue is not None and queue.skill_id:
        conditions += (
            " AND EXISTS (SELECT 1 FROM contact_agentstate_skills s "
            "WHERE s.agentstate_id = a.person_id AND s.skill_id = %s)"
        )
        params.append(queue.skill_id)
    if channel == Channel.CHAT:
        conditions += " AND a.takes_chats = %s"
        params.append(True)
    if passed_over:
        conditions += f" AND a.person_id NOT IN ({', '.join(['%s'] * len(passed_over))})"
        params.extend(passed_over)
    # A person deactivated while ready gets nothing more (the simulator's agents are inactive by construction).
    conditions += " AND (p.is_active = %s OR p.is_simulated = %s)"
    params.extend([True, True])
    found = rows.execute(
        f"{_AGENT_SELECT} WHERE a.status = %s{conditions} ORDER BY a.ready_since, a.person_id LIMIT 1"
        f"{rows.locking(skip_locked=True, of='a')}",
        params,
    )
    return LockedAgent(*rows.convert(_AGENT_COLUMNS, found[0])) if found else None


def _route_overflowed(at: dt.datetime) -> int:
    """Contacts that have waited past their queue's overflow go to any ready agent, before newer contacts do.
    Returns how many were handed over."""
    handed = 0
    for queue in _overflow_queues():
        cutoff = at - dt.timedelta(seconds=queue.overflow_after_seconds or 0)
        waiting = rows.execute(
            "SELECT id, external_id, state, channel FROM contact_contact WHERE queue_id = %s AND state = %s "  # noqa: S608
            f"AND offered_at <= %s ORDER BY offered_at, id LIMIT 1{rows.locking(skip_locked=True)}",
            [queue.pk, ContactState.QUEUED, rows.db_datetime(cutoff)],
        )
        if not waiting:
            continue
        contact = rows.instance(Contact, _ROUTED_FIELDS, waiting[0])
        agent = _take_ready_agent(channel=contact.channel)  # any agent: that is what overflow means
        if agent is not None:
            _assign(contact, agent, at)
            handed += 1
    return handed


_CACHE_SECONDS = 10.0
# (when read, the queues, and each member's hotline number → (line, municipality id, code, name))
_routing_cache: tuple[float, list[Queue], dict[str, tuple[str, int, int, str]]] = (0.0, [], {})
_NUMBERS_SQL = (
    "SELECT n.number, n.line, mu.id, mu.code, mu.name FROM directory_hotlinenumber n "
    "JOIN directory_membership m ON m.id = n.membership_id "
    "JOIN directory_municipality mu ON mu.id = m.municipality_id"
)


def _routing_data() -> tuple[float, list[Queue], dict[str, tuple[str, int, int, str]]]:
    """The queues and the hotline numbers, read at most every ten seconds per process: every event needs them, and
    they change only when the secretariat edits a queue or a member's numbers (which then takes effect within ten
    seconds in every worker)."""
    global _routing_cache
    now = time.monotonic()
    if now - _routing_cache[0] > _CACHE_SECONDS or not _routing_cache[1]:
        numbers = {number: (line, *municipality) for number, line, *municipality in rows.execute(_NUMBERS_SQL)}
        _routing_cache = (now, list(Queue.objects.select_related("skill")), numbers)
    return _routing_cache


def _queues() -> list[Queue]:
    return _routing_data()[1]


def cached_queues() -> list[Queue]:
    """The queues (with their skill), as routing has them: read at most every ten seconds per process."""
    return _queues()


def _hotline_number(number: str) -> tuple[str, int, int, str] | None:
    """(line, municipality id, code, name) of a member's hotline number, or None for a number that is not one.
    A number the cache does not know is looked up at once, so a new number works from its first call."""
    known = _routing_data()[2].get(number)
    if known is not None:
        return known
    found = rows.execute(f"{_NUMBERS_SQL} WHERE n.number = %s", [number])
    return (found[0][1], found[0][2], found[0][3], found[0][4]) if found else None


def forget_cached_queues() -> None:
    """Forget the cached queues and hotline numbers (tests; a new database)."""
    global _routing_cache
    _routing_cache = (0.0, [], {})


def _overflow_queues() -> list[Queue]:
    return [queue for queue in _queues() if queue.overflow_after_seconds is not None]


def _queue_for_line(line: str) -> Queue:
    queues = _queues()
    return next((q for q in queues if q.line == line), None) or next(q for q in queues if q.is_default)


def _default_queue() -> Queue:
    return next(q for q in _queues() if q.is_default)


def dispatch_waiting(at: dt.datetime, limit: int = 20) -> int:
    """Pair ready agents with waiting contacts they may take, in their own transactions. Run after a commit that
    found no partner (see _offer_call), and as a background task when a waiting contact reaches its queue's overflow
    (see _schedule_overflow), so an overflow never waits for the next event."""
    # Usually nobody waits, or nobody is ready: one cheap look instead of a transaction. This still sees a partner
    # committed concurrently: of two transactions that missed each other, the one that commits last looks after
    # both have committed.
    if not rows.execute(
        "SELECT 1 WHERE EXISTS (SELECT 1 FROM contact_contact WHERE state = %s) "
        "AND EXISTS (SELECT 1 FROM contact_agentstate WHERE status = %s)",
        [ContactState.QUEUED, AgentStatus.READY],
    ):
        return 0
    paired = 0
    for _ in range(limit):
        with transaction.atomic():
            paired += _route_overflowed(at)
            if not _pair_one(at):
                return paired
            paired += 1
    return paired


_MAX_PASSED_OVER = 20


def _pair_one(at: dt.datetime) -> bool:
    """The longest-idle ready agent takes the longest-waiting contact it may take. An agent who may take none of
    those waiting (on the phone only while only chats wait, or without a queue's skill) is passed over for the
    next, so a contact never waits behind an agent who cannot take it."""
    passed_over: tuple[int, ...] = ()
    for _ in range(_MAX_PASSED_OVER):
        agent = _take_ready_agent(passed_over=passed_over)
        if agent is None:
            return False
        if _take_next_contact(agent, at) is not None:
            return True
        passed_over += (agent.person_id,)
    return False


def _take_next_contact(agent: LockedAgent, at: dt.datetime) -> Contact | None:
    """Give a ready agent the longest-waiting contact it may take (highest priority first): one in a queue that
    needs no skill or one the agent has, or one that has waited past its queue's overflow."""
    eligible = [
        "c.queue_id IN (SELECT q.id FROM contact_queue q WHERE q.skill_id IS NULL OR q.skill_id IN "
        "(SELECT s.skill_id FROM contact_agentstate_skills s WHERE s.agentstate_id = %s))"
    ]
    params: list[Any] = [ContactState.QUEUED, agent.person_id]
    for queue in _overflow_queues():
        eligible.append("(c.queue_id = %s AND c.offered_at <= %s)")
        params += [queue.pk, rows.db_datetime(at - dt.timedelta(seconds=queue.overflow_after_seconds or 0))]
    channels = ""
    if not agent.takes_chats:
        channels = " AND c.channel <> %s"
        params.append(Channel.CHAT)
    found = rows.execute(
        "SELECT c.id, c.external_id, c.state, c.channel FROM contact_contact c "  # noqa: S608
        f"WHERE c.state = %s AND ({' OR '.join(eligible)}){channels} "
        f"ORDER BY c.priority DESC, c.offered_at, c.id LIMIT 1{rows.locking(skip_locked=True, of='c')}",
        params,
    )
    if not found:
        return None
    contact = rows.instance(Contact, _ROUTED_FIELDS, found[0])
    _assign(contact, agent, at)
    return contact


def _assign_fields(contact: Contact, agent: LockedAgent, at: dt.datetime) -> None:
    contact.state = ContactState.ASSIGNED
    contact.agent_id = agent.person_id
    contact.agent_municipality_id = agent.municipality_id
    contact.assigned_at = at


def _assign(contact: Contact, agent: LockedAgent, at: dt.datetime) -> None:
    _assign_fields(contact, agent, at)
    rows.save_fields(contact, ["state", "agent", "agent_municipality", "assigned_at"])
    _set_status(agent, AgentStatus.BUSY, at, current=contact.pk)
    if contact.channel == Channel.CHAT:
        _schedule_unanswered_offer(contact, agent.person_id, at)


def _set_status(agent: LockedAgent, status: str, at: dt.datetime, current: int | None = None, reason: str = "") -> None:
    """Write the agent's new status (and the contact it holds); a change of status goes to the presence log."""
    changed = agent.status != status
    values: dict[str, Any] = {
        "status": status,
        "pause_reason": reason if status == AgentStatus.PAUSE else "",
        "current_contact": current,
    }
    if changed:
        values["status_since"] = at
    if status != AgentStatus.READY:
        values["ready_since"] = None
    elif changed or agent.ready_since is None:
        values["ready_since"] = at  # pressing "ready" again must not send the agent to the back of the line
    rows.update(AgentState, agent.person_id, values)
    if changed:
        rows.insert(
            PresenceChange,
            {
                "person": agent.person_id,
                "municipality": agent.municipality_id,
                "status": status,
                "pause_reason": values["pause_reason"],
                "at": at,
            },
        )
    agent.status, agent.current_contact_id = status, current
    agent.ready_since = values.get("ready_since", agent.ready_since)


def _release_agent(contact: Contact, at: dt.datetime) -> Handover | None:
    """The contact is over for its agent: wrap-up if it still has to be registered, else ready for the next.
    Returns the contact the agent was given at once, if any (the reply tells the platform where it goes)."""
    if contact.agent_id is None:
        return None
    agent = _lock_agent(contact.agent_id)
    if agent is None or agent.current_contact_id != contact.pk:
        return None
    # "Answered" is the state, not answered_at: an end that overtook its answer event still needs a wrap-up.
    was_answered = contact.state in (ContactState.ENDED, ContactState.TRANSFERRED, ContactState.ANSWERED)
    if was_answered and contact.registered_at is None:
        _set_status(agent, AgentStatus.WRAP_UP, at, current=contact.pk)
        _schedule_wrap_up_end(agent.person_id, contact, at)
        return None
    _set_status(agent, AgentStatus.READY, at)
    following = _take_next_contact(agent, at)
    return Handover(following, agent.username) if following is not None else None


# ---------------------------------------------------------------------------------------------------------------
# Timers: what happens after a while without an event runs as a background task (django-tasks, `samvirke db_worker`)
# at its moment, never in a request. Each task checks that its moment still applies, so a late or repeated run
# changes nothing that has moved on.


def _defer(job: Any, run_after: dt.datetime, *args: Any) -> None:
    """Enqueue `job(*args)` to run at `run_after`, in the current transaction (so it exists only if what it follows
    up on was committed). The immediate backend (TASKS_BACKEND=immediate) cannot wait: then nothing is scheduled,
    and the timer's work waits for the next event or click."""
    if not job.get_backend().supports_defer:
        logger.warning("task backend cannot defer %s; it is not scheduled", job.name)
        return
    job.using(run_after=run_after).enqueue(*args)


def _cached_queue(queue_id: int) -> Queue | None:
    return next((queue for queue in _queues() if queue.pk == queue_id), None)


def _schedule_wrap_up_end(person_id: int, contact: Contact, since: dt.datetime) -> None:
    """The agent is made ready when the contact's queue's wrap-up time has passed (tasks.end_wrap_up)."""
    from samvirke.contact import tasks

    queue = _cached_queue(contact.queue_id)
    seconds = queue.wrap_up_seconds if queue is not None else DEFAULT_WRAP_UP_SECONDS
    due = wrap_up_ends_at(since, seconds)
    _defer(tasks.end_wrap_up, due, person_id, contact.pk, due.isoformat())


def _schedule_overflow(queue: Queue, offered_at: dt.datetime) -> None:
    """A contact waits in a queue with an overflow: when it has waited that long, any ready agent may take it."""
    if queue.overflow_after_seconds is None:
        return
    from samvirke.contact import tasks

    due = offered_at + dt.timedelta(seconds=queue.overflow_after_seconds)
    _defer(tasks.dispatch_overflowed, due, due.isoformat())


def _schedule_unanswered_offer(contact: Contact, person_id: int, offered_at: dt.datetime) -> None:
    """A chat offered to an agent who does not take it (away from the desk, a softphone-only agent) is given back
    to the queue after the queue's offer time, and the agent is paused, as contact centres do ("no answer")."""
    from samvirke.contact import tasks

    queue = _cached_queue(contact.queue_id)
    seconds = queue.chat_offer_seconds if queue is not None else DEFAULT_CHAT_OFFER_SECONDS
    due = offered_at + dt.timedelta(seconds=seconds)
    _defer(tasks.withdraw_unanswered_offer, due, contact.pk, person_id, offered_at.isoformat(), due.isoformat())


def do_withdraw_unanswered_offer(contact_id: int, person_id: int, offered_at: dt.datetime, at: dt.datetime) -> bool:
    """The chat offered to the agent at `offered_at` is still not taken: back to the queue in its old place (and to
    the next ready agent at once), the agent paused ("besvarede ikke"). Nothing happens if it was taken meanwhile."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id).first()  # contact before agent
        if (
            contact is None
            or contact.state != ContactState.ASSIGNED
            or contact.agent_id != person_id
            or contact.assigned_at != offered_at
        ):
            return False
        agent = _lock_agent(person_id)
        Contact.objects.filter(pk=contact.pk).update(
            state=ContactState.QUEUED, agent=None, agent_municipality=None, assigned_at=None
        )
        if agent is not None and agent.current_contact_id == contact.pk:
            _set_status(agent, AgentStatus.PAUSE, at, reason=PauseReason.NO_ANSWER)
        transaction.on_commit(lambda: dispatch_waiting(at))
        record(None, "contact.offer_withdrawn", contact, {"agent": person_id})
        return True


def do_end_wrap_up(person_id: int, contact_id: int, at: dt.datetime) -> bool:
    """The wrap-up time after `contact_id` has run out: the agent is made ready (and may get the next contact at
    once). Nothing happens if the agent has moved on (registered, pressed a status, logged off). The contact keeps
    what the agent registered so far and stays on the agent's list of contacts to register."""
    with transaction.atomic():
        agent = _lock_agent(person_id)
        if agent is None or agent.status != AgentStatus.WRAP_UP or agent.current_contact_id != contact_id:
            return False
        _change_status(agent, AgentStatus.READY, at)
        return True


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


def queue_position(contact: Contact) -> int:
    """Where a queued contact stands in its queue (1 = next)."""
    return Contact.objects.filter(
        queue_id=contact.queue_id, state=ContactState.QUEUED, offered_at__lte=contact.offered_at, id__lte=contact.pk
    ).count()


def estimate_wait(contact: Contact) -> float:
    queue = contact.queue
    position = queue_position(contact)
    serving = (
        AgentState.objects.filter(_serving_filter(queue))
        .exclude(status__in=[AgentStatus.OFFLINE, AgentStatus.PAUSE])
        .count()
    )
    recent = (
        Contact.objects.filter(queue=queue, state=ContactState.ENDED, answered_at__isnull=False, ended_at__isnull=False)
        .order_by("-ended_at")
        .values_list("answered_at", "ended_at")[:50]
    )
    durations = [(end - start).total_seconds() for start, end in recent if start and end]
    handle = sum(durations) / len(durations) if durations else DEFAULT_HANDLE_SECONDS
    return estimated_wait_seconds(position, serving, handle)


# ---------------------------------------------------------------------------------------------------------------
# Agents


def agent_state_for(person: Person, at: dt.datetime) -> AgentState:
    """The agent's presence row, created (offline since `at`) if the person has none yet. A write: for actions and
    commands only; pages read the row with selectors.agent_state, which creates nothing."""
    state, _ = AgentState.objects.get_or_create(
        person=person, defaults={"status_since": at, "takes_chats": not person.is_simulated}
    )
    return state


def do_set_agent_status(person: Person, status: str, at: dt.datetime, pause_reason: str = "") -> Contact | None:
    """Change presence. Becoming ready takes the longest-waiting contact at once (returned, if any)."""
    with transaction.atomic():
        agent = _lock_agent(person.pk, at=at)
        assert agent is not None  # created above if it was missing
        return _change_status(agent, status, at, pause_reason)


def _change_status(agent: LockedAgent, status: str, at: dt.datetime, pause_reason: str = "") -> Contact | None:
    """The agent (locked) asks for a status. Refuses (ContactError, before writing anything) during a
    conversation."""
    if status not in (AgentStatus.READY, AgentStatus.PAUSE, AgentStatus.OFFLINE):
        raise ContactError("Ugyldig status.")
    # A busy agent's contact rings (assigned) or is a conversation (answered). It is read now, after the agent's
    # lock, and not locked: a change to it since is caught by the conditional update below. (In wrap-up the
    # contact the agent holds is over: ended or transferred.)
    if agent.status == AgentStatus.BUSY and agent.current_contact_id is not None:
        current = rows.instance(
            Contact,
            ("id", "external_id", "state"),
            rows.execute(
                "SELECT id, external_id, state FROM contact_contact WHERE id = %s", [agent.current_contact_id]
            )[0],
        )
        if current.state == ContactState.ANSWERED:
            raise ContactError("Du er i en samtale. Afslut den, før du skifter status.")
        if current.state == ContactState.ASSIGNED:
            if status == AgentStatus.READY:
                return current  # already offered this contact
            # The agent declines a ringing contact: it goes back to the queue in its old place, where a ready
            # agent may take it at once.
            Contact.objects.filter(pk=current.pk, state=ContactState.ASSIGNED).update(
                state=ContactState.QUEUED, agent=None, agent_municipality=None, assigned_at=None
            )
            transaction.on_commit(lambda: dispatch_waiting(at))
    if status == AgentStatus.READY:
        _set_status(agent, AgentStatus.READY, at)
        taken = _take_next_contact(agent, at)
        if taken is None:
            transaction.on_commit(lambda: dispatch_waiting(at))  # see _offer_call
        return taken
    reason = pause_reason if pause_reason else ("other" if status == AgentStatus.PAUSE else "")
    _set_status(agent, status, at, reason=reason)
    return None


def do_answer_contact(person: Person, contact_id: int, at: dt.datetime) -> Contact:
    """The agent takes an offered chat (phone calls are answered on the phone; the platform reports it)."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=person).first()
        if contact is None:
            raise ContactError("Kontakten er ikke tilbudt dig.")
        if contact.state == ContactState.ASSIGNED:
            contact.state = ContactState.ANSWERED
            contact.answered_at = at
            contact.save(update_fields=["state", "answered_at"])
        return contact


MAX_NOTE_CHARS = 4000
MAX_CHAT_MESSAGE_CHARS = 2000
_CLIENT_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def _valid_client_id(client_id: str) -> str:
    """A message id the page made (letters, digits, - and _), or "" for anything else."""
    client_id = client_id[:40]
    return client_id if all(char in _CLIENT_ID_CHARS for char in client_id) else ""


def _already_sent(contact: Contact, client_id: str) -> ChatMessage | None:
    """The message a page already sent with this id (a double click or a retry), if any."""
    return ChatMessage.objects.filter(contact=contact, client_id=client_id).first() if client_id else None


@dataclass(frozen=True)
class Registration:
    topic_id: str
    resolved_at_once: bool
    forwarded_to: str = ""
    note: str = ""


@dataclass(frozen=True)
class RegistrationDraft:
    """What the agent has filled in so far; any field may still be empty."""

    topic_id: str = ""
    resolved_at_once: bool | None = None
    forwarded_to: str = ""
    note: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.topic_id) and self.resolved_at_once is not None


def _clean_note(note: str) -> str:
    return mask_personal_data(note[:MAX_NOTE_CHARS].strip())[:MAX_NOTE_CHARS]


def _holds(actor: Person, contact: Contact) -> bool:
    """Whether the agent still holds the contact (in the conversation or its wrap-up)."""
    return AgentState.objects.filter(person=actor, current_contact=contact).exists()


def _registered_as(contact: Contact, registration: Registration) -> bool:
    return (
        contact.topic_id == registration.topic_id
        and contact.resolved_at_once == registration.resolved_at_once
        and contact.forwarded_to == registration.forwarded_to
        and contact.note == _clean_note(registration.note)
    )


def do_register_contact(actor: Person, contact_id: int, registration: Registration, at: dt.datetime) -> Contact:
    """The agent's wrap-up: topic, straksafklaret, forwarded to, a note (masked before it is stored).

    The same registration twice (a double click) is one registration. While the agent still holds the contact it may
    correct what it registered; afterwards a registration stands."""
    if registration.forwarded_to not in ForwardedTo.values:
        raise ContactError("Ugyldig modtager.")
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=actor).first()
        if contact is None:
            raise ContactError("Du kan kun registrere kontakter, du selv har besvaret.")
        if contact.answered_at is None and contact.state not in (
            ContactState.ANSWERED,
            ContactState.ENDED,
            ContactState.TRANSFERRED,
        ):
            raise ContactError("Kontakten er ikke besvaret endnu.")
        if contact.registered_at is not None:
            if _registered_as(contact, registration):
                return contact
            if not _holds(actor, contact):
                moment = contact.registered_at.astimezone(LOCAL)
                raise ContactError(f"Henvendelsen er allerede registreret ({moment:%d.%m. kl. %H.%M}).")
        contact.topic_id = registration.topic_id
        contact.resolved_at_once = registration.resolved_at_once
        contact.forwarded_to = registration.forwarded_to
        contact.note = _clean_note(registration.note)
        contact.registered_at = at
        contact.save(update_fields=["topic_id", "resolved_at_once", "forwarded_to", "note", "registered_at"])
        if contact.channel == Channel.CHAT and contact.state == ContactState.ANSWERED:
            # A chat ends when the agent registers it.
            contact.state = ContactState.ENDED
            contact.ended_at = at
            contact.save(update_fields=["state", "ended_at"])
        if contact.state in FINISHED_STATES:
            _release_agent(contact, at)
        record(actor, "contact.register", contact, {"topic": contact.topic_id, "resolved": contact.resolved_at_once})
        return contact


def _apply_draft(contact: Contact, draft: RegistrationDraft) -> list[str]:
    """Copy the draft's filled-in fields onto the contact; the names of the fields that changed."""
    changed = []
    values: dict[str, Any] = {
        "topic_id": draft.topic_id,
        "resolved_at_once": draft.resolved_at_once,
        "forwarded_to": draft.forwarded_to,
        "note": _clean_note(draft.note),
    }
    for name, value in values.items():
        if getattr(contact, name) != value:
            setattr(contact, name, value)
            changed.append(name)
    return changed


def do_save_registration_draft(actor: Person, contact_id: int, draft: RegistrationDraft, at: dt.datetime) -> Contact:
    """Keep what the agent has filled in so far on the contact, so that nothing is lost when the wrap-up time runs
    out or the page is reloaded. A registered contact is left as it is."""
    if draft.forwarded_to not in ForwardedTo.values:
        raise ContactError("Ugyldig modtager.")
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=actor).first()
        if contact is None:
            raise ContactError("Du kan kun registrere kontakter, du selv har besvaret.")
        if contact.registered_at is not None:
            return contact
        changed = _apply_draft(contact, draft)
        if changed:
            contact.save(update_fields=changed)
            record(actor, "contact.draft", contact, {"fields": changed})
        return contact


@dataclass(frozen=True)
class TransferDestination:
    """Where a contact is transferred to: another queue of the contact centre (the contact goes on there as a new
    leg) or an outside number. `label` is what the citizen reads, e.g. "Holbæk Kommune, tlf. 72 36 36 36"."""

    label: str
    forwarded_to: str
    queue_slug: str = ""


def do_transfer_contact(
    actor: Person,
    contact_id: int,
    destination: TransferDestination,
    at: dt.datetime,
    draft: RegistrationDraft | None = None,
) -> Contact:
    """Transfer the contact the agent is in, keeping what the agent registered (saved with the transfer; complete,
    it is the registration, else a draft to finish in the wrap-up). For a call the platform moves the line and its
    call_transferred event later only confirms it. To another queue the contact goes on as a new leg in that queue
    (the call as "<call id>/2", see api.py; a chat with its messages, on the citizen's same page)."""
    draft = draft or RegistrationDraft()
    if draft.forwarded_to not in ForwardedTo.values or destination.forwarded_to not in ForwardedTo.values:
        raise ContactError("Ugyldig modtager.")
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=actor).first()
        if contact is None:
            raise ContactError("Du kan kun viderestille kontakter, du selv har besvaret.")
        if contact.state == ContactState.TRANSFERRED and contact.transferred_to == destination.label:
            return contact  # the same transfer again (a double click)
        if contact.state not in (ContactState.ANSWERED, ContactState.ASSIGNED):
            raise ContactError("Kun en igangværende samtale kan viderestilles; denne er afsluttet.")
        target = None
        if destination.queue_slug:
            target = next((queue for queue in _queues() if queue.slug == destination.queue_slug), None)
            if target is None or target.pk == contact.queue_id:
                raise ContactError("Vælg en anden kø end den, henvendelsen kom fra.")
            if not queue_is_open(target, at):
                raise ContactError(f"{target.name} har lukket nu. Vælg et nummer i stedet.")
        changed = _apply_draft(contact, draft)
        if not contact.forwarded_to:
            contact.forwarded_to = destination.forwarded_to
        if draft.complete:
            contact.registered_at = at
        if contact.answered_at is None:
            contact.answered_at = at
        contact.state = ContactState.TRANSFERRED
        contact.ended_at = at
        contact.transferred_to = destination.label
        leg = _continue_in_queue(contact, target, at) if target is not None else None
        if leg is not None:
            contact.chat_token = ""  # the citizen's page follows the chat to its new leg
        contact.save(
            update_fields=[
                *changed,
                "forwarded_to",
                "registered_at",
                "answered_at",
                "state",
                "ended_at",
                "transferred_to",
                "chat_token",
            ]
        )
        _release_agent(contact, at)
        details: dict[str, Any] = {"to": destination.label, "registered": draft.complete}
        if leg is not None:
            details["leg"] = leg.pk
        record(actor, "contact.transfer", contact, details)
        return contact


def _continue_in_queue(contact: Contact, queue: Queue, at: dt.datetime) -> Contact:
    """The transferred contact's new leg in `queue`, with the conversation so far and the first agent's
    registration as a hand-over note; given to a ready agent at once if there is one."""
    from samvirke.knowledge.models import Topic

    topic = (
        Topic.objects.filter(pk=contact.topic_id).values_list("title", flat=True).first() if contact.topic_id else None
    )
    handover = [
        f"— Viderestillet fra {contact.queue.name} {at.astimezone(LOCAL):%d.%m. kl. %H.%M} —",
        f"Emne: {topic or 'ikke valgt endnu'}",
    ]
    if contact.note:
        handover.append(f"Notat: {contact.note}")
    messages = list(contact.messages.all()) if contact.channel == Channel.CHAT else []
    if messages:
        handover.append("Chatten indtil nu:")
        handover += [f"{'Borger' if m.from_citizen else 'Medarbejder'}: {m.text}" for m in messages]
    transcript = "\n".join([*([contact.transcript] if contact.transcript else []), *handover])
    leg = Contact.objects.create(
        channel=contact.channel,
        external_id=next_leg_id(contact.external_id, contact.transferred_from_id is not None),
        queue=queue,
        priority=queue.priority,
        called_number=contact.called_number,
        caller_number=contact.caller_number,
        unknown_number=contact.unknown_number,
        citizen_municipality_id=contact.citizen_municipality_id,
        municipality_source=contact.municipality_source,
        ivr_topic=contact.ivr_topic,
        callback_requested=contact.callback_requested,
        offered_at=at,
        transcript=transcript[-20000:],
        chat_token=contact.chat_token,
        transferred_from=contact,
    )
    if messages:
        ChatMessage.objects.bulk_create(
            ChatMessage(contact=leg, from_citizen=m.from_citizen, text=m.text, sent_at=m.sent_at) for m in messages
        )
    agent = _take_ready_agent(queue, leg.channel)
    if agent is not None:
        _assign(leg, agent, at)
    else:
        transaction.on_commit(lambda: dispatch_waiting(at))
        _schedule_overflow(queue, at)
    return leg


def do_pick_contact(person: Person, contact_id: int, at: dt.datetime) -> Contact:
    """The agent takes a waiting contact from the queue list on the desk (a callback, a chat, a call) instead of
    waiting for routing to give it one. Of two agents who click the same contact, one gets it; the other is told."""
    with transaction.atomic():
        # Contact before agent, as everywhere (see the top of this module).
        contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
        if contact is None:
            raise ContactError("Henvendelsen findes ikke længere.")
        if contact.state != ContactState.QUEUED:
            if contact.agent_id == person.pk and contact.state in (ContactState.ASSIGNED, ContactState.ANSWERED):
                return contact  # the agent's own second click
            if contact.state in (ContactState.ASSIGNED, ContactState.ANSWERED, ContactState.ENDED):
                raise ContactError("En anden medarbejder har allerede taget henvendelsen.")
            raise ContactError("Henvendelsen venter ikke længere (borgeren har lagt på eller forladt chatten).")
        agent = _lock_agent(person.pk, at=at)
        assert agent is not None  # created above if it was missing
        if agent.current_contact_id is not None:
            raise ContactError("Du har allerede en henvendelse. Afslut den, før du tager en ny.")
        if agent.status not in (AgentStatus.READY, AgentStatus.PAUSE):
            raise ContactError("Du er logget af telefonen. Tryk Klar, før du tager en henvendelse.")
        queue = _cached_queue(contact.queue_id) or contact.queue
        if queue.skill_id and not _may_take(agent, queue, contact, at):
            raise ContactError(f"{queue.name} kræver en kompetence, du ikke har (indtil henvendelsen løber over).")
        _assign(contact, agent, at)
        record(person, "contact.pick", contact)
        return contact


def _may_take(agent: LockedAgent, queue: Queue, contact: Contact, at: dt.datetime) -> bool:
    overflowed = queue.overflow_after_seconds is not None and contact.offered_at <= at - dt.timedelta(
        seconds=queue.overflow_after_seconds
    )
    return (
        overflowed
        or AgentState.skills.through.objects.filter(agentstate_id=agent.person_id, skill_id=queue.skill_id).exists()
    )


def do_send_agent_message(
    person: Person, contact_id: int, text: str, at: dt.datetime, client_id: str = ""
) -> ChatMessage:
    """The agent writes in a chat it is in. `client_id`, made by the desk page for each message, makes a
    double-clicked or retried Send one message."""
    text = mask_personal_data(bounded(text, MAX_CHAT_MESSAGE_CHARS).strip())
    if not text:
        raise ContactError("Skriv en besked først.")
    client_id = _valid_client_id(client_id)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(pk=contact_id, agent=person, channel=Channel.CHAT).first()
        if contact is None:
            raise ContactError("Samtalen er ikke din.")
        if (sent := _already_sent(contact, client_id)) is not None:
            return sent
        if contact.state != ContactState.ANSWERED:
            raise ContactError("Samtalen er afsluttet; beskeden blev ikke sendt.")
        return ChatMessage.objects.create(
            contact=contact, from_citizen=False, text=text, sent_at=at, client_id=client_id
        )


# ---------------------------------------------------------------------------------------------------------------
# Chat handed over from the assistant


MAX_TRANSCRIPT_CHARS = 20000
MAX_LATER_MESSAGE_CHARS = 1000  # a callback's or a message's text: what the citizen needs help with


def chat_queue() -> Queue:
    return _queue_for_line(Line.CITIZEN_SERVICE)


def chat_opening_hours() -> OpeningHours:
    """The hours the citizens' chat reaches agents: its queue's (the hotline's default if there is none)."""
    queue = next((q for q in _queues() if q.line == Line.CITIZEN_SERVICE), None)
    if queue is None:
        return OpeningHours.hotline_default()
    return parse_opening_hours(queue.opening_hours)


def do_start_chat(municipality: Municipality, transcript: str, at: dt.datetime) -> Contact:
    """A citizen asks the assistant for a human: a chat contact with the conversation so far (masked)."""
    with transaction.atomic():
        queue = chat_queue()
        token = secrets.token_urlsafe(24)
        contact = Contact.objects.create(
            channel=Channel.CHAT,
            external_id=f"chat-{token[:20]}",
            queue=queue,
            priority=queue.priority,
            citizen_municipality=municipality,
            municipality_source=MunicipalitySource.CHAT_PAGE,
            offered_at=at,
            transcript=mask_personal_data(bounded(transcript, MAX_TRANSCRIPT_CHARS)),
            chat_token=token,
        )
        if not queue_is_open(queue, at):
            contact.state = ContactState.CLOSED
            contact.save(update_fields=["state"])
            return contact
        agent = _take_ready_agent(queue, Channel.CHAT)
        if agent is not None:
            _assign(contact, agent, at)
        return contact


@dataclass(frozen=True)
class LaterRequest:
    """A citizen's request, made in the chat, for the hotline to get back: a callback (`phone`, eight digits) or a
    message answered in writing (`phone` empty). `key` comes from the form, so a second click on the same form
    finds the contact the first one made instead of making another."""

    message: str
    phone: str = ""
    key: str = ""


def do_request_later_contact(
    municipality: Municipality, request: LaterRequest, transcript: str, at: dt.datetime
) -> Contact:
    """Out of hours (or by choice), the citizen asks to be called back or leaves a message: a chat contact that
    joins the queue when the hotline opens, and goes to a ready agent at once if it is open.

    While the hotline is closed the contact is offered at the next opening (`offered_at`), so routing takes it
    in the order of the morning's contacts and the KPIs measure the wait from when agents could answer, not the
    night. The number is kept in `caller_number`, which retention-cleanup empties after its period; the message
    and the conversation are masked (CPR, phone, e-mail) like every chat.
    """
    message = mask_personal_data(bounded(request.message, MAX_LATER_MESSAGE_CHARS).strip())
    if not request.phone and not message:
        raise ContactError("Skriv din besked til hotlinen.")
    external_id = f"later-{request.key}" if request.key else f"later-{secrets.token_urlsafe(18)}"
    existing = Contact.objects.filter(external_id=external_id).first()
    if existing is not None:
        return existing  # the same form sent twice
    try:
        with transaction.atomic():
            return _queue_later_contact(municipality, request, message, transcript, external_id, at)
    except IntegrityError:  # … or both clicks at the same moment
        return Contact.objects.get(external_id=external_id)


def _queue_later_contact(
    municipality: Municipality, request: LaterRequest, message: str, transcript: str, external_id: str,
    at: dt.datetime,
) -> Contact:  # fmt: skip
    queue = chat_queue()
    local = at.astimezone(LOCAL)
    hours = parse_opening_hours(queue.opening_hours)
    opens = None if is_open(hours, local) else next_opening(hours, local)
    asked = f"{'Ønsker opringning' if request.phone else 'Besked til hotlinen'}, sendt {local:%d.%m.%Y kl. %H.%M}"
    contact = Contact.objects.create(
        channel=Channel.CHAT,
        external_id=external_id,
        queue=queue,
        priority=queue.priority,
        citizen_municipality=municipality,
        municipality_source=MunicipalitySource.CHAT_PAGE,
        callback_requested=bool(request.phone),
        caller_number=request.phone,
        offered_at=opens or at,
        transcript=mask_personal_data(bounded(f"{asked}.\n{transcript}", MAX_TRANSCRIPT_CHARS)).strip(),
        chat_token=secrets.token_urlsafe(24),
    )
    if message:
        ChatMessage.objects.create(contact=contact, from_citizen=True, text=message, sent_at=at)
    record(
        None,
        "contact.callback_requested" if request.phone else "contact.message_left",
        contact,
        {"municipality": municipality.code, "offered_at": contact.offered_at.isoformat(), "while_closed": bool(opens)},
    )
    if opens is None:
        agent = _take_ready_agent(queue, Channel.CHAT)
        if agent is not None:
            _assign(contact, agent, at)
    return contact


def waits_for_opening(contact: Contact, at: dt.datetime) -> bool:
    """A callback or message made out of hours, not yet in the queue's reach (its offer is at the opening)."""
    return contact.state == ContactState.QUEUED and contact.offered_at > at


def do_send_chat_message(
    contact: Contact, text: str, from_citizen: bool, at: dt.datetime, client_id: str = ""
) -> ChatMessage | None:
    """A message in a live chat (the citizen's side). `client_id`, made by the page for each message, makes a
    double-clicked or retried Send one message."""
    text = mask_personal_data(bounded(text, MAX_CHAT_MESSAGE_CHARS).strip())
    if not text:
        return None
    client_id = _valid_client_id(client_id)
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        if (sent := _already_sent(locked, client_id)) is not None:
            return sent
        if locked.state not in LIVE_STATES:
            raise ContactError("Samtalen er afsluttet.")
        return ChatMessage.objects.create(
            contact=locked, from_citizen=from_citizen, text=text, sent_at=at, client_id=client_id
        )


def do_leave_chat(contact: Contact, at: dt.datetime) -> None:
    """The citizen closes the chat: abandoned if no one answered yet, else ended."""
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        if locked.state in (ContactState.QUEUED, ContactState.ASSIGNED):
            locked.state = ContactState.ABANDONED
            locked.abandoned_at = at
            locked.save(update_fields=["state", "abandoned_at"])
        elif locked.state == ContactState.ANSWERED:
            locked.state = ContactState.ENDED
            locked.ended_at = at
            locked.save(update_fields=["state", "ended_at"])
        else:
            return
        _release_agent(locked, at)


def do_rate_chat(contact: Contact, rating: int) -> None:
    if not 1 <= rating <= 9:
        raise ContactError("Vælg en vurdering fra 1 til 9.")
    Contact.objects.filter(pk=contact.pk, state__in=[ContactState.ENDED, ContactState.TRANSFERRED]).update(
        satisfaction=rating
    )


# ---------------------------------------------------------------------------------------------------------------
# Retention


def do_apply_retention(now: dt.datetime, policy: RetentionPolicy, dry_run: bool = False) -> dict[str, int]:
    """Delete or blank personal data older than its retention period. Counts what it did (or would do)."""
    limits = cutoffs(now, policy)
    with transaction.atomic():
        numbers = Contact.objects.filter(offered_at__lt=limits["caller_numbers"]).exclude(caller_number="")
        transcripts = Contact.objects.filter(offered_at__lt=limits["chats"]).exclude(transcript="")
        messages = ChatMessage.objects.filter(contact__offered_at__lt=limits["chats"])
        unanswered = UnansweredQuestion.objects.filter(asked_at__lt=limits["unanswered_questions"])
        # Sessions hold the citizen's conversation with the assistant (masked) and staff logins: the expired ones
        # (what `clearsessions` deletes), and any last written before the chats' cutoff (a session's expiry is its
        # last write plus SESSION_COOKIE_AGE), so a conversation never outlives the chats' retention period.
        sessions = Session.objects.filter(
            expire_date__lt=max(now, limits["chats"] + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))
        )
        counts = {
            "caller_numbers": numbers.count(),
            "chat_transcripts": transcripts.count(),
            "chat_messages": messages.count(),
            "unanswered_questions": unanswered.count(),
            "sessions": sessions.count(),
        }
        if not dry_run:
            numbers.update(caller_number="")
            transcripts.update(transcript="")
            messages.delete()
            unanswered.delete()
            sessions.delete()
            record(None, "retention.applied", None, {**counts, "policy": policy.__dict__})
        return counts
