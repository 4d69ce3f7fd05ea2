"""Every write of crisis mode: switching a crisis (or a drill) on and off, each in one audited transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from samvirke.audit.actions import record
from samvirke.directory.access import acting_person
from samvirke.directory.models import Membership, MembershipStatus, Municipality, Person
from samvirke.knowledge.actions import do_publish_crisis_notice, do_save_crisis_notice
from samvirke.preparedness import access
from samvirke.preparedness.lib.crisis import HOURS_CHOICES, HOURS_NONE, reroute_sentence
from samvirke.preparedness.models import Crisis, CrisisLogEntry, CrisisScope, Reroute, SurgeAnswer, SurgeRequest

MAX_TITLE_CHARS = 200
MAX_TEXT_CHARS = 2000


class PreparednessError(Exception):
    """A switch the preparedness app refuses; the message is Danish and shown to the user."""


def _log(crisis: Crisis, actor: Person | None, at: dt.datetime, text: str) -> None:
    CrisisLogEntry.objects.create(crisis=crisis, actor=actor, at=at, text=text[:500])


def _members() -> list[Municipality]:
    ids = Membership.objects.exclude(status=MembershipStatus.LEFT).values("municipality_id")
    return list(Municipality.objects.filter(pk__in=ids).order_by("name"))


def do_start_crisis(
    actor: Person,
    *,
    at: dt.datetime,
    title: str,
    text: str,
    scope: str,
    stricken: Municipality | None = None,
    reroute: str = Reroute.NONE,
    reroute_to: list[Municipality] | None = None,
    extended_hours: str = HOURS_NONE,
    drill: bool = False,
) -> Crisis:
    """Switch crisis mode on, at once and in one transaction: the notice goes to the chat (a published crisis notice
    for the members it covers; not for a drill, which citizens never see), and from the next call on to the phone
    reply, the desks' banner, the rerouting of the stricken member's numbers and the extended hours (the contact
    centre reads the open crisis). Refused (nothing changed) when one is already on, or without the right."""
    title, text, targets = title.strip(), text.strip(), list(reroute_to or [])
    kind = "En øvelse" if drill else "Krisetilstand"
    if not title or not text:
        raise PreparednessError("Skriv en overskrift og en meddelelse til borgerne.")
    if len(title) > MAX_TITLE_CHARS or len(text) > MAX_TEXT_CHARS:
        raise PreparednessError(f"Overskriften må højst være {MAX_TITLE_CHARS} tegn og meddelelsen {MAX_TEXT_CHARS}.")
    if scope not in CrisisScope.values:
        raise PreparednessError("Vælg, om krisen gælder hele fællesskabet eller én kommune.")
    if reroute not in Reroute.values or extended_hours not in dict(HOURS_CHOICES):
        raise PreparednessError("Vælg omstilling og åbningstid fra listerne.")
    members = _members()
    if scope == CrisisScope.MEMBER:
        if stricken is None or stricken not in members:
            raise PreparednessError("Vælg den ramte kommune blandt fællesskabets medlemmer.")
        if reroute == Reroute.MEMBERS and not targets:
            raise PreparednessError("Vælg mindst én kommune, der overtager telefonerne.")
        if any(target == stricken or target not in members for target in targets):
            raise PreparednessError("Telefonerne kan kun overtages af andre medlemskommuner end den ramte.")
    else:
        stricken, reroute, targets = None, Reroute.NONE, []  # rerouting moves one member's calls to the others
    if reroute != Reroute.MEMBERS:
        targets = []
    if not access.can_switch_for(actor, scope, stricken):
        raise PreparednessError("Du kan kun slå krisetilstand til for din egen kommune.")
    try:
        with transaction.atomic():
            if Crisis.objects.select_for_update().filter(is_drill=drill, ended_at__isnull=True).exists():
                raise PreparednessError(f"{kind} er allerede slået til. Slå den fra, før du slår en ny til.")
            crisis = Crisis.objects.create(
                is_drill=drill,
                title=title,
                notice_text=text,
                scope=scope,
                stricken=stricken,
                reroute=reroute,
                extended_hours=extended_hours,
                started_by=acting_person(actor),
                started_at=at,
            )
            crisis.reroute_to.set(targets)
            covered = [stricken] if stricken is not None else members
            _log(crisis, actor, at, f"{kind} slået til: {title}.")
            if not drill:
                crisis.notice = do_save_crisis_notice(
                    actor,
                    None,
                    title=title,
                    body=text,
                    municipalities=covered,
                    keywords="",
                    starts_at=at,
                    ends_at=None,
                    published=True,
                )
                crisis.save(update_fields=["notice"])
                _log(crisis, actor, at, f"Meddelelsen udgivet i chatten for {len(covered)} kommune(r).")
            _log(crisis, actor, at, "Meddelelsen læses op i telefonmenuen og vises på alle skriveborde.")
            sentence = reroute_sentence(reroute, stricken.name if stricken else None, (t.name for t in targets))
            if sentence:
                _log(crisis, actor, at, sentence)
            if extended_hours != HOURS_NONE:
                _log(crisis, actor, at, f"Åbningstiden udvidet: {dict(HOURS_CHOICES)[extended_hours]}.")
            record(
                actor,
                "preparedness.drill_started" if drill else "preparedness.crisis_started",
                crisis,
                {
                    "scope": scope,
                    "stricken": stricken.code if stricken else None,
                    "reroute": reroute,
                    "reroute_to": sorted(t.code for t in targets),
                    "extended_hours": extended_hours,
                },
            )
            return crisis
    except IntegrityError:  # another switch committed between the check and the insert
        raise PreparednessError(f"{kind} er allerede slået til. Slå den fra, før du slår en ny til.") from None


def do_end_crisis(actor: Person, crisis: Crisis, *, at: dt.datetime) -> Crisis:
    """Switch the crisis (or drill) off: the chat's notice is withdrawn, and the phone reply, the banner, the
    rerouting and the hours are back to normal from the next call; the log says so. Refused when it is already off
    or without the right."""
    if not access.can_end(actor, crisis):
        raise PreparednessError("Du kan kun slå krisetilstand fra for din egen kommune.")
    with transaction.atomic():
        crisis = Crisis.objects.select_for_update().get(pk=crisis.pk)
        if crisis.ended_at is not None:
            raise PreparednessError("Krisetilstanden er allerede slået fra.")
        crisis.ended_at, crisis.ended_by = at, acting_person(actor)
        crisis.save(update_fields=["ended_at", "ended_by"])
        if crisis.notice is not None and crisis.notice.published:
            do_publish_crisis_notice(actor, crisis.notice, False)
            _log(crisis, actor, at, "Meddelelsen taget af chatten.")
        _log(crisis, actor, at, "Telefonmenu, skriveborde, omstilling og åbningstider er tilbage til normal.")
        _log(crisis, actor, at, f"{'Øvelsen' if crisis.is_drill else 'Krisetilstand'} slået fra.")
        record(actor, "preparedness.drill_ended" if crisis.is_drill else "preparedness.crisis_ended", crisis)
        return crisis


MAX_SURGE_AGENTS = 50


def do_request_surge(actor: Person, crisis: Crisis, municipalities: list[Municipality], *, at: dt.datetime) -> int:
    """Ask members for extra agents while the crisis is on (the stricken member is not asked; a member asked before
    is not asked again). Returns how many were asked; refused (nothing changed) when none is new."""
    if not access.can_request_surge(actor, crisis):
        raise PreparednessError("Kun sekretariatet kan bede om forstærkning, og kun mens krisen er slået til.")
    members = {m.pk for m in _members()}
    with transaction.atomic():
        crisis = Crisis.objects.select_for_update().get(pk=crisis.pk)
        if crisis.ended_at is not None:
            raise PreparednessError("Krisen er slået fra.")
        asked = set(crisis.surge_requests.values_list("municipality_id", flat=True))
        new = [m for m in municipalities if m.pk in members and m.pk != crisis.stricken_id and m.pk not in asked]
        if not new:
            raise PreparednessError("Vælg mindst én medlemskommune, der ikke er spurgt endnu (og ikke er den ramte).")
        SurgeRequest.objects.bulk_create(
            SurgeRequest(crisis=crisis, municipality=m, requested_at=at, requested_by=acting_person(actor)) for m in new
        )
        names = ", ".join(m.name for m in sorted(new, key=lambda m: m.name))
        _log(crisis, actor, at, f"Forstærkning efterspurgt hos {names}.")
        record(actor, "preparedness.surge_requested", crisis, {"municipalities": sorted(m.code for m in new)})
        return len(new)


def do_answer_surge(actor: Person, surge: SurgeRequest, *, yes: bool, agents: int | None, at: dt.datetime) -> None:
    """The asked member's coordinator answers: yes with a number of extra agents, or no. May be changed while the
    crisis is on."""
    if not access.can_answer_surge(actor, surge):
        raise PreparednessError("Kun kommunens koordinator kan svare på anmodningen.")
    if yes and (agents is None or not 1 <= agents <= MAX_SURGE_AGENTS):
        raise PreparednessError(f"Skriv, hvor mange ekstra medarbejdere I kan stille (1–{MAX_SURGE_AGENTS}).")
    with transaction.atomic():
        surge = (
            SurgeRequest.objects.select_for_update(of=("self",))
            .select_related("crisis", "municipality")
            .get(pk=surge.pk)
        )
        if surge.crisis.ended_at is not None:
            raise PreparednessError("Krisen er slået fra; anmodningen kan ikke længere besvares.")
        surge.answer = SurgeAnswer.YES if yes else SurgeAnswer.NO
        surge.agents = agents if yes else None
        surge.answered_at, surge.answered_by = at, acting_person(actor)
        surge.save(update_fields=["answer", "agents", "answered_at", "answered_by"])
        said = f"ja, {agents} medarbejder(e)" if yes else "nej"
        _log(surge.crisis, actor, at, f"{surge.municipality.name} svarede på forstærkning: {said}.")
        record(actor, "preparedness.surge_answered", surge, {"answer": surge.answer, "agents": surge.agents})
