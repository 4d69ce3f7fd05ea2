"""Writing to the audit log. Every action in every app calls `record` inside its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from samvirke.audit.models import AuditEntry

SYSTEM_ACTOR = "system"


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is a Person, or None for the system (a command run without a user)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_obj = actor
        actor_name = actor.get_username()
    else:
        actor_obj = None
        actor_name = SYSTEM_ACTOR
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_name=actor_name,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        details=details or {},
    )
