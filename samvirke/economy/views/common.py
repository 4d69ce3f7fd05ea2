"""What the economy pages share (the shift-hour balance in samvirke/reports too, on the same tabs): the fællesskab,
the year asked for, the members the user may see, and Danish time."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest
from django.utils import timezone

from samvirke.directory.models import Fellesskab
from samvirke.directory.selectors import the_fellesskab
from samvirke.economy import access

LOCAL = ZoneInfo("Europe/Copenhagen")


def fellesskab_or_404() -> Fellesskab:
    fellesskab = the_fellesskab()
    if fellesskab is None:
        raise Http404("Der er intet fællesskab oprettet endnu.")
    return fellesskab


def year_asked(request: HttpRequest) -> int:
    """The year in ?aar= (2000–2100), else this year."""
    raw = request.GET.get("aar", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def visible_codes(user: Any) -> set[int]:
    """The kommunekoder of the members whose numbers the user may see."""
    return set(access.visible_municipalities(user).values_list("code", flat=True))
