"""Reads for the desk, the wallboard and the reports. KPI definitions live in lib/kpi.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, OuterRef, QuerySet, Subquery

from samvirke.assistant.models import ChatbotConversation
from samvirke.contact.lib.kpi import CHATBOT_SHARE_FORMULA, ContactRecord, compute_kpis, period_key
from samvirke.contact.lib.presence import StatusChange, staffed_seconds
from samvirke.contact.models import AgentState, AgentStatus, Channel, Contact, ContactState, PresenceChange, Queue
from samvirke.directory.models import Person

LOCAL = ZoneInfo("Europe/Copenhagen")


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=LOCAL)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LOCAL)


def contact_records(contacts: QuerySet[Contact]) -> list[ContactRecord]:
    rows = contacts.values_list(
        "channel",
        "state",
        "offered_at",
        "answered_at",
        "ended_at",
        "registered_at",
        "resolved_at_once",
        "satisfaction",
        "citizen_municipality__name",
        "agent_municipality__name",
    )
    return [
        ContactRecord(
            channel=channel,
            state=state,
            offered_at=offered,
            answered_at=answered,
            ended_at=ended,
            registered_at=registered,
            resolved_at_once=resolved,
            satisfaction=rating,
            citizen_municipality=citizen or "",
            agent_municipality=agent or "",
        )
        for channel, state, offered, answered, ended, registered, resolved, rating, citizen, agent in rows
    ]


def service_level_seconds() -> int:
    queue = Queue.objects.filter(is_default=True).first()
    return queue.service_level_seconds if queue else 60


def wallboard_figures(now: dt.datetime) -> dict[str, Any]:
    start, end = local_day_bounds(now.astimezone(LOCAL).date())
    today = Contact.objects.filter(offered_at__gte=start, offered_at__lt=end)
    chatbot = ChatbotConversation.objects.filter(started_at__gte=start, started_at__lt=end).count()
    kpis = compute_kpis(contact_records(today), service_level_seconds(), chatbot)
    agents = dict(AgentState.objects.exclude(status=AgentStatus.OFFLINE).values_list("status").annotate(n=Count("pk")))
    figures: dict[str, Any] = dict(kpis.as_dict())
    figures["chatbot_share_formula"] = CHATBOT_SHARE_FORMULA
    figures["agents"] = {status: int(agents.get(status, 0)) for status in AgentStatus.values if status != "offline"}
    return figures


def queues_now(now: dt.datetime) -> list[dict[str, Any]]:
    waiting = {
        row["queue_id"]: row
        for row in Contact.objects.filter(state=ContactState.QUEUED)
        .values("queue_id")
        .annotate(n=Count("pk"), oldest=Min("offered_at"))
    }
    result = []
    for queue in Queue.objects.all():
        row = waiting.get(queue.pk)
        longest = (now - row["oldest"]).total_seconds() if row else 0
        result.append({"queue": queue, "waiting": row["n"] if row else 0, "longest_wait_seconds": max(0, longest)})
    return result


def chatbot_counts(start: dt.datetime, end: dt.datetime, period: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for started in ChatbotConversation.objects.filter(started_at__gte=start, started_at__lt=end).values_list(
        "started_at", flat=True
    ):
        key = period_key(started.astimezone(LOCAL), period)
        counts[key] = counts.get(key, 0) + 1
    return counts


def chatbot_counts_by_municipality(start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    rows = (
        ChatbotConversation.objects.filter(started_at__gte=start, started_at__lt=end)
        .values_list("municipality__name")
        .annotate(n=Count("pk"))
    )
    return {name or "Ukendt kommune": n for name, n in rows}


def staffed_hours_by_municipality(start: dt.datetime, end: dt.datetime) -> dict[int, Decimal]:
    """Hours each municipality's agents were staffed (ready, busy, wrap-up) in [start, end), by kommunekode."""
    changes = [
        StatusChange(str(person_id), status, at)
        for person_id, status, at in PresenceChange.objects.filter(at__gte=start, at__lt=end)
        .order_by("at", "id")
        .values_list("person_id", "status", "at")
    ]
    # Each agent's status when the window opens: its last change before it (one row per agent, not the history).
    last_before = (
        PresenceChange.objects.filter(person_id=OuterRef("person_id"), at__lt=start)
        .order_by("-at", "-id")
        .values("status")[:1]
    )
    before = {
        str(person_id): status
        for person_id, status in AgentState.objects.annotate(before=Subquery(last_before)).values_list(
            "person_id", "before"
        )
        if status
    }
    seconds = staffed_seconds(changes, start, end, before)
    codes = dict(
        Person.objects.filter(pk__in=[int(p) for p in seconds], municipality__isnull=False).values_list(
            "pk", "municipality__code"
        )
    )
    hours: dict[int, Decimal] = {}
    for agent_key, total in seconds.items():
        code = codes.get(int(agent_key))
        if code is not None:
            hours[code] = hours.get(code, Decimal(0)) + Decimal(total) / 3600
    return {code: value.quantize(Decimal("0.1")) for code, value in hours.items()}


def phone_calls_awaiting_answer(limit: int = 500) -> list[dict[str, Any]]:
    """Phone calls given to an agent and not yet answered, oldest first: what the telephony platform must be ringing.

    Most assignments reach the platform in the reply to the event that made them (the offer, the agent's "ready");
    one made after a commit (dispatch_waiting: a call and an agent that became free at the same moment) reaches it
    only through this list, which it polls.
    """
    calls = (
        Contact.objects.filter(channel=Channel.PHONE, state=ContactState.ASSIGNED)
        .order_by("assigned_at", "pk")
        .values_list("external_id", "agent__username", "citizen_municipality__code", "assigned_at")[:limit]
    )
    return [
        {"call_id": call_id, "agent": agent, "municipality_code": code, "assigned_at": assigned_at.isoformat()}
        for call_id, agent, code, assigned_at in calls
        if assigned_at is not None  # always set with the state; the check is for the type
    ]


def handled_contacts_span(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """The first and last local day in [start, end) on which the contact centre handled a contact (answered
    by an agent, or a chatbot conversation), or None: the period `handled_contacts_by_channel` counted over."""
    answered = Contact.objects.filter(answered_at__gte=start, answered_at__lt=end).aggregate(
        first=Min("answered_at"), last=Max("answered_at")
    )
    chatbot = ChatbotConversation.objects.filter(started_at__gte=start, started_at__lt=end).aggregate(
        first=Min("started_at"), last=Max("started_at")
    )
    firsts = [at for at in (answered["first"], chatbot["first"]) if at is not None]
    lasts = [at for at in (answered["last"], chatbot["last"]) if at is not None]
    if not firsts:
        return None
    return min(firsts).astimezone(LOCAL).date(), max(lasts).astimezone(LOCAL).date()


def handled_contacts_by_channel(start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Contacts the contact centre handled in [start, end), by channel: "phone" and "chat" are contacts an
    agent answered (counted when answered; abandoned and after-hours contacts are not handled), "chatbot"
    the chatbot conversations started. Channels without any are left out."""
    counts: dict[str, int] = dict(
        Contact.objects.filter(answered_at__gte=start, answered_at__lt=end)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    chatbot = ChatbotConversation.objects.filter(started_at__gte=start, started_at__lt=end).count()
    if chatbot:
        counts["chatbot"] = chatbot
    return {channel: n for channel, n in counts.items() if n}
