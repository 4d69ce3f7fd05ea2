"""What the knowledge base tells the apps above it, without importing them (knowledge sits below the assistant).

`knowledge_changed` is sent, after the transaction commits, whenever what the assistant learns from changed: a
published guide's text or title, a topic's synonyms, the example questions. The assistant listens and retrains in
the background (samvirke/assistant/tasks.py); the old model answers until the new one is ready.

`knowledge_loaded` is sent by a command that loaded the knowledge base (load-guides) and may wait: the apps above
catch up in the command's own process (the assistant trains here and now, rather than in the background worker).
Each receiver returns a line to print, or None.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

knowledge_changed = Signal()  # kwargs: reason (str)
knowledge_loaded = Signal()  # kwargs: reason (str); receivers return str | None


def announce_knowledge_changed(reason: str) -> None:
    """Send knowledge_changed once the current transaction has committed (at once outside one)."""
    transaction.on_commit(lambda: knowledge_changed.send(sender=None, reason=reason))


def catch_up_after_loading(reason: str) -> list[str]:
    """Send knowledge_loaded: what the receivers report, in order, for the command to print."""
    return [line for _, line in knowledge_loaded.send(sender=None, reason=reason) if line]
