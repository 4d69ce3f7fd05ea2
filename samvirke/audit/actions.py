"""Writing to the audit log. Every action in every app calls `record` inside its own transaction.

Each entry extends the hash chain (lib/chain.py): it reads the last entry's hash and writes its own in one
transaction under a lock, so two writers can never both build on the same predecessor and fork the chain. On SQLite
the transaction is IMMEDIATE (settings.py), which holds the database's write lock from its start; on PostgreSQL a
transaction-scoped advisory lock, held until the surrounding transaction commits, so the next writer reads this
entry as the last one. Callers keep their transactions short (house rule), so the lock is held for milliseconds.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction
from django.utils import timezone

from samvirke.audit.lib.chain import GENESIS, next_hash
from samvirke.audit.models import AuditEntry, chain_fields

SYSTEM_ACTOR = "system"
# pg_advisory_xact_lock's key for the chain: any fixed 64-bit number no other lock in Samvirke uses.
CHAIN_LOCK_KEY = 0x5A4D_A0D1_7C4A_1200


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    # SQLite: the transaction began IMMEDIATE and holds the only write lock there is.


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    details: dict[str, Any] | None = None,  # any JSON the action wants kept (a JSONField)
) -> AuditEntry:
    """Append one entry. `actor` is a Person, or None (or an anonymous user) for the system (a command run without
    a user). Typed with Django's base user, not directory's Person: audit sits below directory and imports no app."""
    # The user model by setting, not by import (the type checker still sees directory's Person through it).
    if isinstance(actor, get_user_model()) and actor.is_authenticated:
        actor_obj = actor
        actor_name = actor.get_username()
    else:
        actor_obj = None
        actor_name = SYSTEM_ACTOR
    with transaction.atomic():
        _lock_chain()
        previous = AuditEntry.objects.order_by("-id").values_list("chain_hash", flat=True).first() or GENESIS
        entry = AuditEntry(
            at=timezone.now(),
            actor=actor_obj,
            actor_name=actor_name,
            action=action,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:300] if obj is not None else "",
            details=details or {},
        )
        entry.chain_hash = next_hash(previous, chain_fields(entry))
        entry.save()
    return entry
