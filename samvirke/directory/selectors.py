"""Shared read queries on directory data."""

from __future__ import annotations

from django.http import Http404

from samvirke.directory.models import Fellesskab, FellesskabService


def the_fellesskab() -> Fellesskab | None:
    """The hotline fællesskab this installation runs (the first created). The telemedicine landsdele's fællesskaber
    beside it (telecare) are never it, whenever they were created."""
    return Fellesskab.objects.filter(service=FellesskabService.HOTLINE).order_by("pk").first()


def the_fellesskab_or_404() -> Fellesskab:
    """The fællesskab, or a 404 with a Danish sentence on an installation where none is created yet."""
    fellesskab = the_fellesskab()
    if fellesskab is None:
        raise Http404("Der er intet fællesskab oprettet endnu.")
    return fellesskab
