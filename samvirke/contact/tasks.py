"""The contact centre's timers, run by the background worker (`samvirke db_worker`) at their moment.

Enqueued by actions/routing.py with `run_after`; each carries the moment it was due, which is also the moment it records
(a worker that runs it a little late does not move the contact centre's clock)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def end_wrap_up(person_id: int, contact_id: int, due: str) -> bool:
    """The agent's wrap-up time after a contact has run out: ready for the next (if still in that wrap-up)."""
    from samvirke.contact.actions.presence import do_end_wrap_up

    return do_end_wrap_up(person_id, contact_id, dt.datetime.fromisoformat(due))


@task()
def dispatch_overflowed(due: str) -> int:
    """A waiting contact has reached its queue's overflow: any ready agent may take it now."""
    from samvirke.contact.actions.routing import dispatch_waiting

    return dispatch_waiting(dt.datetime.fromisoformat(due))


@task()
def withdraw_unanswered_offer(contact_id: int, person_id: int, offered_at: str, due: str) -> bool:
    """A chat offered to an agent has not been taken in time: back to the queue, the agent paused."""
    from samvirke.contact.actions.routing import do_withdraw_unanswered_offer

    return do_withdraw_unanswered_offer(
        contact_id, person_id, dt.datetime.fromisoformat(offered_at), dt.datetime.fromisoformat(due)
    )
