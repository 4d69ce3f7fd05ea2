"""What the assistant needs to know of the hotline behind it, told by the contact centre.

The contact centre sits above the assistant (it takes the citizens the assistant hands over), so the assistant never
imports it: contact tells these reads when Django starts (ContactConfig.ready). Without it (a project without the
contact centre) the hotline has its default hours, and no topics registered by agents count for the quick replies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from samvirke.core.lib.hours import OpeningHours


def _no_registered_topics(since: dt.datetime) -> Iterable[tuple[str, int]]:
    return ()


def _default_line_hours(line: str) -> OpeningHours:
    return OpeningHours.hotline_default()


@dataclass(frozen=True)
class HotlineReads:
    """`chat_opening_hours`: when the citizens' chat reaches agents. `registered_topic_counts(since)`: (topic id,
    contacts) for the topics agents registered contacts under since then. `line_opening_hours(line)`: the phone
    hours of a line (its queue's), e.g. the health-app line's."""

    chat_opening_hours: Callable[[], OpeningHours] = OpeningHours.hotline_default
    registered_topic_counts: Callable[[dt.datetime], Iterable[tuple[str, int]]] = _no_registered_topics
    line_opening_hours: Callable[[str], OpeningHours] = _default_line_hours


_reads = HotlineReads()


def tell(reads: HotlineReads) -> None:
    """The contact centre's reads, from now on (called once, at start-up)."""
    global _reads
    _reads = reads


def chat_opening_hours() -> OpeningHours:
    """The hours the citizens' chat reaches agents."""
    return _reads.chat_opening_hours()


def registered_topic_counts(since: dt.datetime) -> Iterable[tuple[str, int]]:
    """(topic id, count) of the contacts agents registered under each topic since `since`."""
    return _reads.registered_topic_counts(since)


def line_opening_hours(line: str) -> OpeningHours:
    """The phone hours of a line ("citizen_service", "health_apps")."""
    return _reads.line_opening_hours(line)
