"""Estimated wait for a new contact, to decide whether to offer a callback."""

from __future__ import annotations


def estimated_wait_seconds(position: int, agents_serving: int, average_handle_seconds: float) -> float:
    """`position` contacts are ahead (1 = first in line). With no agent serving the queue the wait is unbounded.

    Each of `agents_serving` agents frees up on average every AHT seconds, so the queue moves one place per
    AHT / agents; the first in line waits about half a handle time."""
    if position <= 0:
        return 0.0
    if agents_serving <= 0:
        return float("inf")
    return (position - 0.5) * average_handle_seconds / agents_serving
