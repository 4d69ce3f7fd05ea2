"""Agents' presence (ready, pause, offline, the end of a wrap-up) and skills. Becoming ready takes work at once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from samvirke.contact import rows
from samvirke.contact.actions.routing import (
    ContactError,
    LockedAgent,
    _lock_agent,
    _set_status,
    _take_next_contact,
    agent_state_for,
    dispatch_waiting,
)
from samvirke.contact.models import AgentStatus, Contact, ContactState, Skill
from samvirke.directory.models import Person


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
            transaction.on_commit(lambda: dispatch_waiting(at))  # see events._offer_call
        return taken
    reason = pause_reason if pause_reason else ("other" if status == AgentStatus.PAUSE else "")
    _set_status(agent, status, at, reason=reason)
    return None


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


def do_add_agent_skill(person: Person, skill: Skill, at: dt.datetime) -> None:
    """Give the agent a skill (its presence row is made, offline since `at`, if it has none yet)."""
    with transaction.atomic():
        agent_state_for(person, at).skills.add(skill)
