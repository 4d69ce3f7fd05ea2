"""What the knowledge base tells the apps above it, without importing them (knowledge sits below the assistant).

`knowledge_changed` is sent, after the transaction commits, whenever what the assistant learns from changed: a
published guide's text or title, a topic's synonyms, the example questions. The assistant listens and retrains in
the background (samvirke/assistant/tasks.py); the old model answers until the new one is ready.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

knowledge_changed = Signal()  # kwargs: reason (str)


def announce_knowledge_changed(reason: str) -> None:
    """Send knowledge_changed once the current transaction has committed (at once outside one)."""
    transaction.on_commit(lambda: knowledge_changed.send(sender=None, reason=reason))
