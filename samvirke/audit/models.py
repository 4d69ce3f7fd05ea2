"""The append-only audit log: who did what, when, to which object; tamper-evident through a hash chain
(samvirke/audit/lib/chain.py, written by samvirke.audit.actions.record, checked by `samvirke audit-verify`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Revisionsloggen kan ikke ændres.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Revisionsloggen kan ikke slettes.")


class AuditEntry(models.Model):
    # Set by record() under the chain's lock, before the entry is hashed (auto_now_add would set it after).
    at = models.DateTimeField("tidspunkt", default=timezone.now, db_index=True)
    # PROTECT, not SET_NULL: SET_NULL would rewrite old entries when a person is deleted, and the database
    # refuses every UPDATE of this table (migration 0003). A person who has done something is deactivated
    # (is_active off), not deleted. The name is kept as text as well, so an entry reads on its own.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("udført af", max_length=200)
    action = models.CharField("handling", max_length=100, db_index=True)
    object_type = models.CharField("objekttype", max_length=100, blank=True)
    object_id = models.CharField("objekt-id", max_length=100, blank=True)
    object_repr = models.CharField("objekt", max_length=300, blank=True)
    details = models.JSONField("detaljer", default=dict, blank=True)
    # sha256 of the previous entry's chain_hash and this entry's canonical JSON (lib/chain.py).
    chain_hash = models.CharField("kædehash", max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "revisionslogpost"
        verbose_name_plural = "revisionslog"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Revisionsloggen kan ikke ændres.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Revisionsloggen kan ikke slettes.")


def chain_fields(entry: AuditEntry) -> dict[str, Any]:
    """What the hash chain covers of an entry: everything but its id and its own hash."""
    return {
        "at": entry.at,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "details": entry.details,
    }
