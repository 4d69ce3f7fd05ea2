"""Shared read queries on directory data."""

from __future__ import annotations

from samvirke.directory.models import Fellesskab


def the_fellesskab() -> Fellesskab | None:
    """The fællesskab this installation runs. One installation serves one fællesskab (the first created)."""
    return Fellesskab.objects.order_by("pk").first()
