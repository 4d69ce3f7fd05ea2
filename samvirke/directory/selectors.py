"""Shared read queries on directory data."""

from __future__ import annotations

from django.http import Http404

from samvirke.directory.models import Fellesskab


def the_fellesskab() -> Fellesskab | None:
    """The fællesskab this installation runs. One installation serves one fællesskab (the first created)."""
    return Fellesskab.objects.order_by("pk").first()


def the_fellesskab_or_404() -> Fellesskab:
    """The fællesskab, or a 404 with a Danish sentence on an installation where none is created yet."""
    fellesskab = the_fellesskab()
    if fellesskab is None:
        raise Http404("Der er intet fællesskab oprettet endnu.")
    return fellesskab
