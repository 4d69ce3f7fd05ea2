"""samvirke audit-verify — walk the audit log's hash chain and name the first broken link.

Exit 0 with the number of entries and the newest hash (keep it somewhere else: a database superuser could rewrite the
whole chain, but not the hash you noted yesterday); exit 1 with a Danish line naming the first entry whose hash does
not follow from its predecessor's, or which is dated well before it (a backdated insert)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samvirke.audit.lib.chain import Link, verify
from samvirke.audit.models import AuditEntry, chain_fields


def _links() -> Iterator[Link]:
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        yield Link(entry.pk, entry.at, entry.chain_hash, chain_fields(entry))


class Command(BaseCommand):
    help = "Kontrollér revisionsloggens hashkæde og navngiv det første brudte led."

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify(_links())
        if verdict.broken is not None:
            broken = verdict.broken
            entry = AuditEntry.objects.filter(pk=broken.entry_id).first()
            what = f" ({entry.at:%Y-%m-%d %H:%M:%S}, {entry.actor_name}: {entry.action})" if entry else ""
            after = f" efter post {broken.previous_id}" if broken.previous_id is not None else " (den første post)"
            raise CommandError(
                f"Revisionsloggen er brudt ved post {broken.entry_id}{what}{after}: {broken.reason}. "
                "Posten eller en post før den er ændret, slettet eller indsat uden om Samvirke."
            )
        self.stdout.write(f"Revisionsloggen er hel: {verdict.count} poster, seneste hash {verdict.head}.")
