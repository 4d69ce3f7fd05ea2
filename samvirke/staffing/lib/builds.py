"""A rota build's life, pure: the phases a background build goes through, when a build that stopped reporting
counts as crashed, and how its progress reads in Danish.

A build is requested in a web request (queued), claimed by the background worker (forecasting: the forecast, the
Erlang requirement and the solver's inputs), solved by CP-SAT (solving, bounded by the build's time limit),
simulated and written (simulating), and ends done or failed. The worker notes the moment each phase starts; a
phase that lasts far longer than it can (the worker was killed, the machine restarted) makes the build count as
failed, so a crashed build never blocks the week for good.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

QUEUED = "queued"
FORECASTING = "forecasting"
SOLVING = "solving"
SIMULATING = "simulating"
DONE = "done"
FAILED = "failed"

ACTIVE = (QUEUED, FORECASTING, SOLVING, SIMULATING)
# The phases in order, with the Danish names the page shows.
PHASES = (
    (QUEUED, "I kø"),
    (FORECASTING, "Prognose og behov"),
    (SOLVING, "Løser (CP-SAT)"),
    (SIMULATING, "Simulerer og gemmer"),
    (DONE, "Færdig"),
)
PHASE_NAMES = dict(PHASES) | {FAILED: "Fejlet"}

# A queued build nobody claims in this time had no worker to run it (a worker that is busy with other builds takes
# ~35 s for each, so ten minutes is a long queue).
QUEUED_TIMEOUT = dt.timedelta(minutes=10)
# Forecasting and simulating take seconds; the solver stops at the build's time limit. A phase longer than that
# plus this margin means the worker died in it.
SILENCE_MARGIN = dt.timedelta(minutes=3)


def deadline(
    state: str, requested_at: dt.datetime, phase_since: dt.datetime | None, time_limit_seconds: float
) -> dt.datetime | None:
    """When an active build in `state` counts as crashed (None: a finished build has no deadline)."""
    if state == QUEUED:
        return requested_at + QUEUED_TIMEOUT
    if state not in ACTIVE:
        return None
    since = phase_since or requested_at
    if state == SOLVING:
        return since + dt.timedelta(seconds=time_limit_seconds) + SILENCE_MARGIN
    return since + SILENCE_MARGIN


def stalled_reason(
    state: str,
    requested_at: dt.datetime,
    phase_since: dt.datetime | None,
    time_limit_seconds: float,
    now: dt.datetime,
) -> str | None:
    """A Danish reason if the build is active but past its deadline, else None."""
    limit = deadline(state, requested_at, phase_since, time_limit_seconds)
    if limit is None or now <= limit:
        return None
    if state == QUEUED:
        minutes = round(QUEUED_TIMEOUT.total_seconds() / 60)
        return (
            f"Opbygningen kom ikke i gang inden for {minutes} minutter: ingen baggrundsworker tog den "
            "(kører samvirke db_worker?). Intet er gemt; prøv igen."
        )
    return (
        f"Opbygningen holdt op med at melde tilbage under «{PHASE_NAMES[state].lower()}»: baggrundsworkeren stoppede "
        "undervejs. Intet er gemt; prøv igen."
    )


@dataclass(frozen=True)
class Step:
    name: str
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Progress:
    """What the page shows of a build: its phase, a Danish sentence, the steps, and for the solver how far it is
    into its time limit (`fraction` 0–1; None outside solving)."""

    state: str
    active: bool
    failed: bool
    headline: str
    detail: str
    steps: tuple[Step, ...]
    fraction: float | None


def _seconds(start: dt.datetime | None, end: dt.datetime) -> int:
    return max(0, round((end - start).total_seconds())) if start is not None else 0


def _clock(moment: dt.datetime) -> str:
    return f"{moment:%H.%M}"


def progress(
    state: str,
    requested_at: dt.datetime,
    started_at: dt.datetime | None,
    phase_since: dt.datetime | None,
    finished_at: dt.datetime | None,
    time_limit_seconds: float,
    failure: str,
    now: dt.datetime,
    failed_in: str = "",
) -> Progress:
    """The build's progress at `now`. Times are shown as given (pass them in local time). A failed build shows the
    phase it failed in (`failed_in`) as the current step. An active build past its deadline is shown as failed, with
    the reason, even before anyone has written that down."""
    stalled = stalled_reason(state, requested_at, phase_since, time_limit_seconds, now)
    if stalled is not None:
        state, failure, finished_at, failed_in = FAILED, stalled, now, state
    order = [name for name, _ in PHASES]
    position = failed_in if state == FAILED else state
    reached = order.index(position) if position in order else -1
    steps = tuple(
        Step(label, "done" if i < reached or state == DONE else "current" if i == reached else "todo")
        for i, (_name, label) in enumerate(PHASES)
    )
    fraction = None
    limit = round(time_limit_seconds)
    if state == QUEUED:
        headline = "I kø"
        detail = f"Bestilt kl. {_clock(requested_at)}; venter på baggrundsworkeren."
    elif state == FORECASTING:
        headline = "Prognose og behov"
        detail = "Prognosen for ugen, behovet pr. halve time (Erlang C), medlemmernes timer og agenter."
    elif state == SOLVING:
        elapsed = _seconds(phase_since, now)
        fraction = min(1.0, elapsed / time_limit_seconds) if time_limit_seconds > 0 else None
        headline = "Løser med CP-SAT"
        detail = f"{min(elapsed, limit)} af højst {limit} sekunder (løseren stopper senest ved tidsgrænsen)."
    elif state == SIMULATING:
        headline = "Simulerer og gemmer"
        detail = "Ugen simuleres med den nye vagtplan, og vagterne gemmes."
    elif state == DONE:
        headline = "Færdig"
        took = _seconds(started_at or requested_at, finished_at or now)
        detail = f"Bygget kl. {_clock(finished_at or now)} på {took} sekunder."
    else:
        headline = "Fejlet"
        detail = failure or "Opbygningen fejlede."
    return Progress(state, state in ACTIVE, state == FAILED, headline, detail, steps, fraction)
