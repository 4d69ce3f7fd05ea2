"""Routing: handing contacts to agents, the agents' presence rows, and the timers that follow up on both. The lowest of
the action modules: the others hand contacts out and free agents through it.

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
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from samvirke.audit.actions import record
from samvirke.contact import rows
from samvirke.contact.lib.desk import wrap_up_ends_at
from samvirke.contact.models import (
    AgentState,
    AgentStatus,
    Channel,
    Contact,
    ContactState,
    PauseReason,
    PresenceChange,
    Queue,
)
from samvirke.contact.selectors import cached_queue, overflow_queues
from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import Person
from samvirke.preparedness.selectors import rerouting
from samvirke.training.models import Qualification

DEFAULT_WRAP_UP_SECONDS = 60  # Queue.wrap_up_seconds' default, for a queue the cache does not know yet
DEFAULT_CHAT_OFFER_SECONDS = 30  # Queue.chat_offer_seconds' default
logger = logging.getLogger(__name__)


class ContactError(Exception):
    """A request the contact centre refuses; the message is Danish and shown to the user."""


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
# older than the agent row (see presence._change_status, which reads the contact after the lock).
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


@dataclass(frozen=True)
class Handover:
    """A contact given to an agent at once; the reply tells the telephony platform where to ring."""

    contact: Contact
    agent: str  # username


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


# A member whose onboarding checklist is not done: its agents are offered nothing (the SQL takes `p` as the person).
_MEMBER_NOT_READY = (
    "SELECT 1 FROM directory_membership m WHERE m.municipality_id = p.municipality_id AND m.ready_for_shifts = %s"
)


def _overflow_needs_training() -> bool:
    return not settings.ROUTING_OVERFLOW_TO_UNQUALIFIED


def _qualified_sql(agent: str, line: str = "%s") -> str:
    """SQL true when the agent (a column, or %s) is trained for the line (a column, or %s) by the day (%s). Only
    this module's constant column names go in; values are parameters."""
    return (
        f"EXISTS (SELECT 1 FROM {Qualification._meta.db_table} t "  # noqa: S608  (table name from the model)
        f"WHERE t.person_id = {agent} AND t.line = {line} AND t.since <= %s)"
    )


def _trained(person_id: int, line: str, at: dt.datetime) -> bool:
    return Qualification.objects.filter(person_id=person_id, line=line, since__lte=at.astimezone(LOCAL).date()).exists()


def _training_day(at: dt.datetime) -> Any:
    return rows.db_date(at.astimezone(LOCAL).date())


def _take_ready_agent(
    queue: Queue | None = None,
    channel: str = Channel.PHONE,
    passed_over: tuple[int, ...] = (),
    trained_for: tuple[str, dt.datetime] | None = None,
    at: dt.datetime | None = None,
    trained_by: dt.datetime | None = None,
    *,
    only_from: tuple[int, ...] = (),
    never_from: tuple[int, ...] = (),
) -> LockedAgent | None:
    """The longest-idle ready agent (with the queue's skill, if a queue is given; for a chat, one who takes chats;
    with `trained_for` (line, moment), one qualified for that line that day), locked; agents another worker holds
    are skipped, and so are the `passed_over` ones. With a queue and the moment `at`, the agent must be trained for
    the queue's line that day (unless ROUTING_REQUIRES_TRAINING is off); with `trained_by`, trained for any line.
    `only_from`/`never_from`: municipality ids whose agents alone may (or may not) take it (a crisis's rerouting,
    preparedness)."""
    conditions = ""
    params: list[Any] = [AgentStatus.READY]
    if trained_for is None and queue is not None and at is not None and settings.ROUTING_REQUIRES_TRAINING:
        trained_for = (queue.line, at)
    if trained_by is not None:  # trained for some line: an agent trained for none may take nothing
        conditions += f" AND {_qualified_sql('a.person_id', line='t.line')}"
        params.append(_training_day(trained_by))
    if trained_for is not None:
        line, moment = trained_for
        conditions += f" AND {_qualified_sql('a.person_id')}"
        params += [line, _training_day(moment)]
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
    if only_from:
        conditions += f" AND p.municipality_id IN ({', '.join(['%s'] * len(only_from))})"
        params.extend(only_from)
    if never_from:
        listed = ", ".join(["%s"] * len(never_from))
        conditions += f" AND (p.municipality_id IS NULL OR p.municipality_id NOT IN ({listed}))"
        params.extend(never_from)
    # A person deactivated while ready gets nothing more (the simulator's agents are inactive by construction).
    conditions += " AND (p.is_active = %s OR p.is_simulated = %s)"
    params.extend([True, True])
    # Nor does an agent of a member that is still joining (directory's Membership.ready_for_shifts, set by onboarding).
    conditions += f" AND NOT EXISTS ({_MEMBER_NOT_READY})"
    params.append(False)
    found = rows.execute(
        f"{_AGENT_SELECT} WHERE a.status = %s{conditions} ORDER BY a.ready_since, a.person_id LIMIT 1"
        f"{rows.locking(skip_locked=True, of='a')}",
        params,
    )
    return LockedAgent(*rows.convert(_AGENT_COLUMNS, found[0])) if found else None


def _route_overflowed(at: dt.datetime) -> int:
    """Contacts that have waited past their queue's overflow go to a ready agent trained for the queue's line (any
    ready agent if ROUTING_OVERFLOW_TO_UNQUALIFIED), before newer contacts do. Returns how many were handed over."""
    handed = 0
    for queue in overflow_queues():
        cutoff = at - dt.timedelta(seconds=queue.overflow_after_seconds or 0)
        waiting = rows.execute(
            "SELECT id, external_id, state, channel FROM contact_contact WHERE queue_id = %s AND state = %s "  # noqa: S608
            f"AND offered_at <= %s ORDER BY offered_at, id LIMIT 1{rows.locking(skip_locked=True)}",
            [queue.pk, ContactState.QUEUED, rows.db_datetime(cutoff)],
        )
        if not waiting:
            continue
        contact = rows.instance(Contact, _ROUTED_FIELDS, waiting[0])
        # Without the skill, but trained for the line (or anyone, where the setting allows it).
        trained_for = (queue.line, at) if _overflow_needs_training() else None
        agent = _take_ready_agent(channel=contact.channel, trained_for=trained_for)
        if agent is not None:
            _assign(contact, agent, at)
            handed += 1
    return handed


def dispatch_waiting(at: dt.datetime, limit: int = 20) -> int:
    """Pair ready agents with waiting contacts they may take, in their own transactions. Run after a commit that
    found no partner (see events._offer_call), and as a background task when a waiting contact reaches its queue's
    overflow (see _schedule_overflow), so an overflow never waits for the next event."""
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
    trained_by = at if settings.ROUTING_REQUIRES_TRAINING else None  # untrained agents are not even asked
    for _ in range(_MAX_PASSED_OVER):
        agent = _take_ready_agent(passed_over=passed_over, trained_by=trained_by)
        if agent is None:
            return False
        if _take_next_contact(agent, at) is not None:
            return True
        passed_over += (agent.person_id,)
    return False


def _take_next_contact(agent: LockedAgent, at: dt.datetime) -> Contact | None:
    """Give a ready agent the longest-waiting contact it may take (highest priority first): one in a queue that
    needs no skill or one the agent has, or one that has waited past its queue's overflow (if the agent is trained
    for the queue's line, unless ROUTING_OVERFLOW_TO_UNQUALIFIED); nothing for an agent of a member that is still
    joining (checked in the same statement: no extra round trip)."""
    skilled = (
        "(q.skill_id IS NULL OR q.skill_id IN "
        "(SELECT s.skill_id FROM contact_agentstate_skills s WHERE s.agentstate_id = %s))"
    )
    params: list[Any] = [ContactState.QUEUED, agent.person_id]
    if settings.ROUTING_REQUIRES_TRAINING:  # and trained for the queue's line that day
        skilled += " AND " + _qualified_sql("%s", line="q.line")
        params += [agent.person_id, _training_day(at)]
    eligible = [f"c.queue_id IN (SELECT q.id FROM contact_queue q WHERE {skilled})"]  # noqa: S608  (constants)
    for queue in overflow_queues():
        cutoff = rows.db_datetime(at - dt.timedelta(seconds=queue.overflow_after_seconds or 0))
        if _overflow_needs_training():
            eligible.append(f"(c.queue_id = %s AND c.offered_at <= %s AND {_qualified_sql('%s')})")
            params += [queue.pk, cutoff, agent.person_id, queue.line, _training_day(at)]
        else:
            eligible.append("(c.queue_id = %s AND c.offered_at <= %s)")
            params += [queue.pk, cutoff]
    conditions = ""
    if not agent.takes_chats:
        conditions = " AND c.channel <> %s"
        params.append(Channel.CHAT)
    held = rerouting()  # a crisis that moves a stricken member's calls away from some agents (preparedness)
    if held is not None and held.holds_back(agent.municipality_id):
        conditions += " AND (c.citizen_municipality_id IS NULL OR c.citizen_municipality_id <> %s)"
        params.append(held.stricken_id)
    if agent.municipality_id is not None:
        conditions += (
            " AND NOT EXISTS (SELECT 1 FROM directory_membership m WHERE m.municipality_id = %s "
            "AND m.ready_for_shifts = %s)"
        )
        params += [agent.municipality_id, False]
    found = rows.execute(
        "SELECT c.id, c.external_id, c.state, c.channel FROM contact_contact c "  # noqa: S608
        f"WHERE c.state = %s AND ({' OR '.join(eligible)}){conditions} "
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


def _schedule_wrap_up_end(person_id: int, contact: Contact, since: dt.datetime) -> None:
    """The agent is made ready when the contact's queue's wrap-up time has passed (tasks.end_wrap_up)."""
    from samvirke.contact import tasks

    queue = cached_queue(contact.queue_id)
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

    queue = cached_queue(contact.queue_id)
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


# ---------------------------------------------------------------------------------------------------------------
# Agents


def agent_state_for(person: Person, at: dt.datetime) -> AgentState:
    """The agent's presence row, created (offline since `at`) if the person has none yet. A write: for actions and
    commands only; pages read the row with selectors.agent_state, which creates nothing."""
    state, _ = AgentState.objects.get_or_create(
        person=person, defaults={"status_since": at, "takes_chats": not person.is_simulated}
    )
    return state


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
        queue = cached_queue(contact.queue_id) or contact.queue
        if settings.ROUTING_REQUIRES_TRAINING and not _trained(agent.person_id, queue.line, at):
            raise ContactError(
                f"Du er ikke uddannet til {queue.name} endnu (e-læring, kursusdag og med-lyt"
                f"{' og linjens modul' if queue.skill_id else ''}). Spørg din koordinator."
            )
        if queue.skill_id and not _may_take(agent, queue, contact, at):
            raise ContactError(
                f"{queue.name} kræver en kompetence, du ikke har. Når henvendelsen har ventet længe, kan du tage den, "
                "hvis du er uddannet til linjen."
            )
        _assign(contact, agent, at)
        record(person, "contact.pick", contact)
        return contact


def _may_take(agent: LockedAgent, queue: Queue, contact: Contact, at: dt.datetime) -> bool:
    overflowed = queue.overflow_after_seconds is not None and contact.offered_at <= at - dt.timedelta(
        seconds=queue.overflow_after_seconds
    )
    if overflowed and _overflow_needs_training():
        overflowed = _trained(agent.person_id, queue.line, at)
    return (
        overflowed
        or AgentState.skills.through.objects.filter(agentstate_id=agent.person_id, skill_id=queue.skill_id).exists()
    )
