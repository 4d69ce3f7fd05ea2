"""Who sees and changes the rota.

- everyone in the fællesskab reads the rota (agents need to know their municipality's shifts);
- the secretariat builds, publishes and swaps shifts;
- a coordinator's calendar feed and Excel are for its own municipality; the secretariat's for any.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from samvirke.directory.access import belongs_to_fellesskab, is_secretariat
from samvirke.directory.models import Municipality, Role


def can_view_rota(user: Any) -> bool:
    return belongs_to_fellesskab(user)


def require_view_rota(user: Any) -> None:
    if not can_view_rota(user):
        raise PermissionDenied("Vagtplanen er for fællesskabets medarbejdere.")


def can_plan(user: Any) -> bool:
    return is_secretariat(user)


def require_plan(user: Any) -> None:
    if not can_plan(user):
        raise PermissionDenied("Kun sekretariatet bygger og ændrer vagtplanen.")


def can_view_member_shifts(user: Any, municipality: Municipality) -> bool:
    if not can_view_rota(user):
        return False
    if user.role in (Role.SECRETARIAT, Role.REGION_STAFF):
        return user.role == Role.SECRETARIAT or municipality.region_id == user.region_id
    return bool(user.municipality_id == municipality.id)
