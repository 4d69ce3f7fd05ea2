"""Permission checks on the knowledge base, written once.

- Guide editors and the secretariat edit the shared guides and see the quality and missing-answers reports.
- A coordinator edits only its own municipality's variants.
- Agents of members read guides (the agent desk's guide search).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from samvirke.directory.access import belongs_to_fellesskab
from samvirke.directory.models import Membership, MembershipStatus, Municipality, Role


def can_edit_guides(user: Any) -> bool:
    return belongs_to_fellesskab(user) and user.role in (Role.SECRETARIAT, Role.GUIDE_EDITOR)


def require_edit_guides(user: Any) -> None:
    if not can_edit_guides(user):
        raise PermissionDenied("Kun guideredaktører og sekretariatet kan redigere de fælles guides.")


def can_read_guides(user: Any) -> bool:
    return belongs_to_fellesskab(user)


def require_read_guides(user: Any) -> None:
    if not can_read_guides(user):
        raise PermissionDenied("Vidensbasen er for fællesskabets medarbejdere.")


def can_edit_variant(user: Any, municipality: Municipality) -> bool:
    if can_edit_guides(user):
        return True
    return bool(
        belongs_to_fellesskab(user) and user.role == Role.COORDINATOR and user.municipality_id == municipality.pk
    )


def require_edit_variant(user: Any, municipality: Municipality) -> None:
    if not can_edit_variant(user, municipality):
        raise PermissionDenied("Du kan kun redigere din egen kommunes varianter.")


def chat_municipality(code: int) -> Municipality:
    """The member municipality whose citizens' chat this is; a Danish 404 for anything else."""
    municipality = Municipality.objects.filter(code=code).first()
    member = (
        municipality is not None
        and Membership.objects.filter(municipality=municipality).exclude(status=MembershipStatus.LEFT).exists()
    )
    if not member:
        raise Http404(f"Der findes ingen chat for kommunekode {code}. Kommunen er ikke med i fællesskabet.")
    assert municipality is not None
    return municipality
