"""Who sees and changes the rota.

- everyone in the fællesskab reads the rota (agents need to know their municipality's shifts);
- the secretariat builds, publishes and swaps shifts;
- a coordinator's calendar feed and Excel are for its own municipality; the secretariat's for any;
- a member's coordinator offers that member's shifts to another member (a hand-over or an exchange): that is a
  request, and the rota changes only when the other member's coordinator (or the secretariat) accepts it; the
  secretariat swaps directly for any member;
- an agent's calendar subscription is a secret link (a token, no login): only the agent sees it. Anyone who has
  it reads the agent's shifts, so it is shown to nobody else (not to the coordinator, not to the secretariat); a
  coordinator has the member's calendar file instead.
"""

from __future__ import annotations

from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.utils.crypto import constant_time_compare, salted_hmac

from samvirke.directory.access import belongs_to_fellesskab, is_secretariat
from samvirke.directory.models import Actor, Municipality, Person, Role

AGENT_FEED_SALT = "samvirke.staffing.access.agent_feed"


def can_view_rota(user: Actor) -> TypeGuard[Person]:
    return belongs_to_fellesskab(user)


def require_view_rota(user: Actor) -> Person:
    if not can_view_rota(user):
        raise PermissionDenied("Vagtplanen er for fællesskabets medarbejdere.")
    return user


def can_plan(user: Actor) -> TypeGuard[Person]:
    return is_secretariat(user)


def require_plan(user: Actor) -> Person:
    if not can_plan(user):
        raise PermissionDenied("Kun sekretariatet bygger og ændrer vagtplanen.")
    return user


def can_view_member_shifts(user: Actor, municipality: Municipality) -> TypeGuard[Person]:
    if not can_view_rota(user):
        return False
    if user.role in (Role.SECRETARIAT, Role.REGION_STAFF):
        return user.role == Role.SECRETARIAT or municipality.region_id == user.region_id
    return bool(user.municipality_id == municipality.id)


def can_swap_for(user: Actor, municipality: Municipality) -> TypeGuard[Person]:
    if not can_view_rota(user):
        return False
    if can_plan(user):
        return True
    return bool(user.role == Role.COORDINATOR and user.municipality_id == municipality.id)


def require_swap_for(user: Actor, municipality: Municipality) -> Person:
    if not can_swap_for(user, municipality):
        raise PermissionDenied("Kun kommunens koordinator og sekretariatet bytter kommunens vagter.")
    return user


def swaps_directly(user: Actor) -> TypeGuard[Person]:
    """Whether a swap by `user` changes the rota at once (the secretariat) rather than asking the other member."""
    return can_plan(user)


def can_answer_swap_request(user: Actor, to_municipality_id: int) -> TypeGuard[Person]:
    """The receiving member's coordinator or the secretariat accepts or declines a swap request."""
    if not can_view_rota(user):
        return False
    return can_plan(user) or bool(user.role == Role.COORDINATOR and user.municipality_id == to_municipality_id)


def agent_feed_token(person: Person) -> str:
    """`<id>-<hmac>`, made like Django's PasswordResetTokenGenerator: an HMAC (SECRET_KEY, a salt of its own)
    over the person's id and password hash, so nothing is stored and a new password revokes the old link."""
    digest = salted_hmac(AGENT_FEED_SALT, f"{person.pk}:{person.password}", algorithm="sha256").hexdigest()[::2]
    return f"{person.pk}-{digest}"


def agent_by_feed_token(token: str) -> Person | None:
    """The agent a feed token belongs to, or None for a wrong, revoked or no longer valid one."""
    pk, _, digest = token.partition("-")
    if not pk.isdigit() or not digest:
        return None
    person = Person.objects.filter(pk=int(pk), is_active=True).first()
    if person is None or not constant_time_compare(agent_feed_token(person), token):
        return None
    return person if can_view_rota(person) else None


def can_see_agent_feed(user: Actor, agent: Person) -> TypeGuard[Person]:
    """Only the agent: the link is a secret that works without a login."""
    return can_view_rota(user) and user.pk == agent.pk
