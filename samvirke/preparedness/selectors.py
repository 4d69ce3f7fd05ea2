"""Reads of crisis mode, for the contact centre (the phone reply, routing, the opening hours, the desk's banner)
and the preparedness page. The contact centre sits above this app and asks it; this app never asks back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from samvirke.core.lib.clock import LOCAL
from samvirke.preparedness.lib.crisis import crisis_keeps_open, ivr_message, reroute_sentence
from samvirke.preparedness.models import Crisis, CrisisScope, Reroute


def open_crises() -> list[Crisis]:
    """The open crisis and the open drill (at most one each), the crisis first."""
    return list(
        Crisis.objects.filter(ended_at__isnull=True)
        .select_related("stricken")
        .prefetch_related("reroute_to")
        .order_by("is_drill")
    )


def open_crisis(drill: bool = False) -> Crisis | None:
    return next((crisis for crisis in open_crises() if crisis.is_drill == drill), None)


@dataclass(frozen=True)
class CallCrisis:
    """What an open crisis means for one call: the menu's message, whether it keeps the line open, and where the
    call may go (agents of `only_from` if given, never agents of `never_from`)."""

    crisis_id: int
    ivr_message: str
    keeps_open: bool
    reroute: str
    only_from: tuple[int, ...] = ()
    never_from: tuple[int, ...] = ()


def crisis_for_call(municipality_id: int | None, at: dt.datetime, drill: bool = False) -> CallCrisis | None:
    """The open crisis (or, on the drill line, the open drill) that covers a call from a citizen of this
    municipality (None: unknown), or None. A crisis of the whole fællesskab covers every call; a member's crisis
    the calls to (or chosen for) that member."""
    crisis = open_crisis(drill)
    if crisis is None:
        return None
    if crisis.scope == CrisisScope.MEMBER and (municipality_id is None or crisis.stricken_id != municipality_id):
        return None
    only: tuple[int, ...] = ()
    never: tuple[int, ...] = ()
    if crisis.scope == CrisisScope.MEMBER and crisis.reroute == Reroute.MEMBERS:
        only = tuple(sorted(m.pk for m in crisis.reroute_to.all()))
    elif crisis.scope == CrisisScope.MEMBER and crisis.reroute == Reroute.POOL and crisis.stricken_id:
        never = (crisis.stricken_id,)
    return CallCrisis(
        crisis_id=crisis.pk,
        ivr_message=ivr_message(crisis.title, crisis.notice_text, crisis.is_drill),
        keeps_open=crisis_keeps_open(crisis.extended_hours, at.astimezone(LOCAL)),
        reroute=crisis.reroute if crisis.scope == CrisisScope.MEMBER else Reroute.NONE,
        only_from=only,
        never_from=never,
    )


@dataclass(frozen=True)
class Banner:
    """The desk's banner for an open crisis or drill."""

    key: str
    drill: bool
    title: str
    text: str
    reroute: str
    hours: str


def desk_banners() -> list[Banner]:
    banners = []
    for crisis in open_crises():
        stricken = crisis.stricken.name if crisis.stricken else None
        banners.append(
            Banner(
                key=f"{crisis.pk}",
                drill=crisis.is_drill,
                title=crisis.title,
                text=crisis.notice_text,
                reroute=reroute_sentence(crisis.reroute, stricken, (m.name for m in crisis.reroute_to.all())),
                hours="" if crisis.extended_hours == "none" else crisis.get_extended_hours_display(),
            )
        )
    return banners


def crisis_history(limit: int = 20) -> QuerySet[Crisis]:
    return Crisis.objects.select_related("stricken", "started_by", "ended_by").prefetch_related("log")[:limit]


@dataclass(frozen=True)
class HeldBack:
    """While a member's crisis reroutes its calls: the stricken member, and which agents may take its waiting calls
    (routing asks when an agent becomes free, so a call that waited is rerouted as one offered at once)."""

    stricken_id: int
    only_from: tuple[int, ...]
    never_from: tuple[int, ...]

    def holds_back(self, agent_municipality_id: int | None) -> bool:
        """Whether an agent of this municipality must leave the stricken member's waiting calls to others."""
        if self.only_from:
            return agent_municipality_id not in self.only_from
        return agent_municipality_id in self.never_from


def rerouting() -> HeldBack | None:
    """The open (live) member crisis's rerouting, or None (one query when there is none)."""
    crisis = (
        Crisis.objects.filter(ended_at__isnull=True, is_drill=False, scope=CrisisScope.MEMBER)
        .exclude(reroute=Reroute.NONE)
        .first()
    )
    if crisis is None or crisis.stricken_id is None:
        return None
    if crisis.reroute == Reroute.MEMBERS:
        return HeldBack(crisis.stricken_id, tuple(crisis.reroute_to.values_list("pk", flat=True)), ())
    return HeldBack(crisis.stricken_id, (), (crisis.stricken_id,))
