"""Staffed hours from the presence log: how long each agent was logged in and working.

Staffed time is time spent ready, busy or in wrap-up; a pause is not staffing and logged-off time is not
counted. Each status lasts until the agent's next change; an agent still logged in at the end of the
window is counted up to the end."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

STAFFED_STATUSES = frozenset({"ready", "busy", "wrap_up"})


@dataclass(frozen=True)
class StatusChange:
    agent: str
    status: str
    at: dt.datetime


def staffed_seconds(
    changes: Iterable[StatusChange], start: dt.datetime, end: dt.datetime, status_before: dict[str, str] | None = None
) -> dict[str, float]:
    """Seconds each agent was staffed within [start, end). `status_before` is each agent's status at `start`
    (its last change before the window), so a shift that began before the window is counted from `start`."""
    current: dict[str, tuple[str, dt.datetime]] = {
        agent: (status, start) for agent, status in (status_before or {}).items()
    }
    totals: dict[str, float] = defaultdict(float)
    for change in sorted(changes, key=lambda c: c.at):
        if not start <= change.at < end:
            continue
        previous = current.get(change.agent)
        if previous is not None and previous[0] in STAFFED_STATUSES:
            totals[change.agent] += (change.at - previous[1]).total_seconds()
        current[change.agent] = (change.status, change.at)
    for agent, (status, since) in current.items():
        if status in STAFFED_STATUSES:
            totals[agent] += (end - since).total_seconds()
    return dict(totals)
