"""Reads for the desk, the wallboard, the reports and routing (the cached queues). KPIs are in lib/kpi.py."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery

from samvirke.assistant.models import ChatbotConversation
from samvirke.contact import rows
from samvirke.contact.lib.kpi import CHATBOT_SHARE_FORMULA, ContactRecord, compute_kpis, period_key
from samvirke.contact.lib.presence import StatusChange, staffed_seconds
from samvirke.contact.lib.retention import RetentionPolicy, cutoffs
from samvirke.contact.lib.transfer import PhoneNumberError, destination_label, normalise_phone
from samvirke.contact.lib.waiting import estimated_wait_seconds
from samvirke.contact.models import (
    AgentState,
    AgentStatus,
    Channel,
    ChatMessage,
    Contact,
    ContactState,
    ForwardedTo,
    PresenceChange,
    Queue,
    TransferNumber,
)
from samvirke.core.lib.clock import LOCAL, local_day_bounds
from samvirke.core.lib.hours import OpeningHours, is_open
from samvirke.core.lib.opening import parse_opening_hours
from samvirke.directory.models import Line, LineNumber, Person
from samvirke.knowledge.models import ServiceInfo, Topic
from samvirke.training.models import Qualification

LIVE_STATES = (ContactState.QUEUED, ContactState.ASSIGNED, ContactState.ANSWERED)
DEFAULT_HANDLE_SECONDS = 300.0  # until there are answered contacts to average


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
        "queue__line",
        "forwarded_to",
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
            line=line,
            forwarded_to=forwarded,
        )
        for channel, state, offered, answered, ended, registered, resolved, rating, citizen, agent, line, forwarded in (
            rows
        )
    ]


def service_level_seconds() -> int:
    queue = Queue.objects.filter(is_default=True).first()
    return queue.service_level_seconds if queue else 60


def line_thresholds() -> dict[str, int]:
    """Each line's service-level threshold (seconds): its queue's."""
    return dict(Queue.objects.values_list("line", "service_level_seconds"))


def line_names() -> dict[str, str]:
    return dict(Line.choices)


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


# --- the agent desk ----------------------------------------------------------------------------------------------
#
# The desk polls every two seconds per agent, so what the poll reads is a handful of indexed queries (counted in
# tests/contact/test_desk_reads.py), and none of them writes. What the page shows only once per contact (earlier
# contacts, transfer destinations, canned replies, suggested guides) is read when that part is drawn.

DESK_WAITING_LIST = 6
PENDING_REGISTRATION_DAYS = 7
EARLIER_CONTACTS = 10


def agent_state(person: Person) -> AgentState:
    """The agent's presence with the contact it holds; a person who has never had a status reads as logged off (the
    row is created by the first status change, not by looking)."""
    state = (
        AgentState.objects.select_related("current_contact__queue", "current_contact__citizen_municipality")
        .filter(person=person)
        .first()
    )
    return state or AgentState(person=person, status=AgentStatus.OFFLINE)


def answered_today(person: Person, now: dt.datetime) -> int:
    start, end = local_day_bounds(now.astimezone(LOCAL).date())
    return Contact.objects.filter(agent=person, answered_at__gte=start, answered_at__lt=end).count()


def served_queues(state: AgentState, queues: list[Queue]) -> list[Queue]:
    """The queues an agent takes contacts from: those that need no skill, and those whose skill it has."""
    skills = set(state.skills.values_list("pk", flat=True)) if state.pk and not state._state.adding else set()
    return [queue for queue in queues if queue.skill_id is None or queue.skill_id in skills]


@dataclass(frozen=True)
class QueueNow:
    queue: Queue
    waiting: int
    oldest: dt.datetime | None
    callbacks: int


@dataclass(frozen=True)
class WaitingContact:
    pk: int
    channel: str
    queue_name: str
    municipality: str
    offered_at: dt.datetime
    callback_requested: bool

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)


def desk_queues(queues: list[Queue]) -> list[QueueNow]:
    """How many wait in each of these queues, since when the longest, and how many of them want a callback."""
    waiting = {
        row["queue_id"]: row
        for row in Contact.objects.filter(state=ContactState.QUEUED, queue_id__in=[q.pk for q in queues])
        .values("queue_id")
        .annotate(n=Count("pk"), oldest=Min("offered_at"), callbacks=Count("pk", filter=Q(callback_requested=True)))
    }
    return [
        QueueNow(
            queue=queue,
            waiting=waiting[queue.pk]["n"] if queue.pk in waiting else 0,
            oldest=waiting[queue.pk]["oldest"] if queue.pk in waiting else None,
            callbacks=waiting[queue.pk]["callbacks"] if queue.pk in waiting else 0,
        )
        for queue in queues
    ]


def waiting_contacts(queues: list[Queue], limit: int = DESK_WAITING_LIST) -> list[WaitingContact]:
    """The contacts an agent may take from the desk: callbacks first, then the longest waiting."""
    names = {queue.pk: queue.name for queue in queues}
    rows = (
        Contact.objects.filter(state=ContactState.QUEUED, queue_id__in=list(names))
        .order_by("-callback_requested", "offered_at", "pk")
        .values_list("pk", "channel", "queue_id", "citizen_municipality__name", "offered_at", "callback_requested")[
            :limit
        ]
    )
    return [
        WaitingContact(pk, channel, names[queue_id], municipality or "ukendt kommune", offered, callback)
        for pk, channel, queue_id, municipality, offered, callback in rows
    ]


@dataclass(frozen=True)
class PendingRegistration:
    pk: int
    channel: str
    municipality: str
    ended_at: dt.datetime | None

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)


def pending_registrations(person: Person, holding: int | None, now: dt.datetime) -> list[PendingRegistration]:
    """The agent's answered contacts of the last week that are over and not registered (a wrap-up that ran out,
    a transfer without a complete registration), except the one it is working on."""
    rows = (
        Contact.objects.filter(
            agent=person,
            registered_at__isnull=True,
            state__in=[ContactState.ENDED, ContactState.TRANSFERRED],
            answered_at__gte=now - dt.timedelta(days=PENDING_REGISTRATION_DAYS),
        )
        .exclude(pk=holding or 0)
        .order_by("-ended_at", "-pk")
        .values_list("pk", "channel", "citizen_municipality__name", "ended_at")[:20]
    )
    return [PendingRegistration(pk, channel, name or "ukendt kommune", ended) for pk, channel, name, ended in rows]


def chat_summary(contact: Contact) -> tuple[int, int]:
    """(number of messages, the newest's id): whether the desk's chat needs redrawing."""
    summary = ChatMessage.objects.filter(contact=contact).aggregate(n=Count("pk"), last=Max("pk"))
    return summary["n"], summary["last"] or 0


@dataclass(frozen=True)
class EarlierContact:
    offered_at: dt.datetime
    channel: str
    state: str
    topic: str
    resolved_at_once: bool | None
    note: str
    same: str  # why it is the same citizen: "number", "chat", "transfer"

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)

    @property
    def state_label(self) -> str:
        return str(ContactState(self.state).label)


def _earlier_legs(contact: Contact) -> list[int]:
    """The contacts this one was transferred from, nearest first (a chain of at most ten)."""
    legs: list[int] = []
    leg_id = contact.transferred_from_id
    while leg_id is not None and len(legs) < EARLIER_CONTACTS and leg_id not in legs:
        legs.append(leg_id)
        leg_id = Contact.objects.filter(pk=leg_id).values_list("transferred_from_id", flat=True).first()
    return legs


def earlier_contacts(contact: Contact, now: dt.datetime, policy: RetentionPolicy | None = None) -> list[EarlierContact]:
    """The same citizen's earlier contacts, for the agent in this contact (see access.may_see_earlier_contacts):
    the same caller's number while the number is kept (its retention), the same chat, or the legs it was
    transferred from. Masked: date, channel, topic, straksafklaret and the (already masked) note; never a number."""
    policy = policy or RetentionPolicy()
    legs = _earlier_legs(contact)
    same = Q(pk__in=legs)
    if contact.caller_number:
        same |= Q(caller_number=contact.caller_number, offered_at__gte=cutoffs(now, policy)["caller_numbers"])
    if contact.chat_token:
        same |= Q(chat_token=contact.chat_token)
    rows = list(
        Contact.objects.filter(same, offered_at__lte=contact.offered_at)
        .exclude(pk=contact.pk)
        .order_by("-offered_at", "-pk")
        .values_list("pk", "offered_at", "channel", "state", "topic_id", "resolved_at_once", "note", "caller_number")[
            :EARLIER_CONTACTS
        ]
    )
    titles = dict(Topic.objects.filter(pk__in={row[4] for row in rows if row[4]}).values_list("pk", "title"))
    return [
        EarlierContact(
            offered_at=offered,
            channel=channel,
            state=state,
            topic=titles.get(topic_id, topic_id),
            resolved_at_once=resolved,
            note=note,
            same="transfer" if pk in legs else ("number" if number and number == contact.caller_number else "chat"),
        )
        for pk, offered, channel, state, topic_id, resolved, note, number in rows
    ]


@dataclass(frozen=True)
class DestinationOption:
    """A choice in the desk's "Viderestil" list. `value` is what the form posts."""

    value: str
    label: str
    group: str
    forwarded_to: str
    queue_slug: str = ""
    unavailable: str = ""  # why it cannot be chosen now, e.g. "lukket nu"
    phone: str = ""  # an outside number's 8 digits, which the telephony platform moves the call to


def transfer_destinations(contact: Contact, queues: list[Queue], now: dt.datetime) -> list[DestinationOption]:
    """Where this contact may be transferred: the contact centre's other queues, the citizen's municipality's own
    number (its Borgerservice information), the outside numbers for the citizen's region (e.g. MinSP support)."""
    options = [
        DestinationOption(
            value=f"queue:{queue.slug}",
            label=queue.name,
            group="Køer i kontaktcentret",
            forwarded_to=ForwardedTo.QUEUE,
            queue_slug=queue.slug,
            unavailable="" if queue_is_open(queue, now) else "lukket nu",
        )
        for queue in queues
        if queue.pk != contact.queue_id
    ]
    municipality = contact.citizen_municipality
    if municipality is not None:
        info = ServiceInfo.objects.filter(municipality=municipality).first()
        if info is not None and info.phone:
            options.append(
                DestinationOption(
                    value="municipality",
                    label=destination_label(f"{municipality.name} Kommune", info.phone),
                    group="Numre uden for kontaktcentret",
                    forwarded_to=ForwardedTo.CITIZEN_MUNICIPALITY,
                    phone=_digits_or_blank(info.phone),
                )
            )
    region_id = municipality.region_id if municipality is not None else _called_region(contact.called_number)
    numbers = TransferNumber.objects.all()
    if region_id is not None:
        numbers = numbers.filter(Q(region__isnull=True) | Q(region_id=region_id))
    for number in numbers:
        options.append(
            DestinationOption(
                value=f"number:{number.pk}",
                label=destination_label(number.name, number.phone),
                group="Numre uden for kontaktcentret",
                forwarded_to=number.forwarded_to,
                phone=number.phone,
            )
        )
    return options


def _digits_or_blank(phone: str) -> str:
    try:
        return normalise_phone(phone)
    except PhoneNumberError:
        return ""


def _called_region(called_number: str) -> int | None:
    """The region whose line number was called (the health-app line's one number), or None."""
    if not called_number:
        return None
    return LineNumber.objects.filter(number=called_number).values_list("region_id", flat=True).first()


@dataclass(frozen=True)
class TransferTarget:
    """Where the telephony platform moves a transferred call: `number` (8 digits) and whom it reaches."""

    number: str
    name: str
    forwarded_to: str
    label: str  # what the citizen reads, "Region Sjællands MinSP-support, tlf. 70 20 09 99"


def transfer_target(contact_id: int, requested: str) -> TransferTarget | None:
    """The number a call is transferred to: the outside number the agent chose at the desk; else what the platform
    asked for in `call_transferred` (`transfer_target`): a kind of target (`minsp_support` → the MinSP support of
    the citizen's region, or of the region whose line number was called; `citizen_municipality` → the citizen's
    municipality's Borgerservice), the name of a transfer number, or a number itself. None when there is none (a
    transfer to another queue of the contact centre, or a target no number is stored for)."""
    row = (
        Contact.objects.filter(pk=contact_id)
        .values(
            "transfer_number",
            "transferred_to",
            "forwarded_to",
            "called_number",
            "citizen_municipality_id",
            "citizen_municipality__name",
            "citizen_municipality__region_id",
        )
        .first()
    )
    if row is None:
        return None
    if row["transfer_number"]:
        chosen = row["transferred_to"].split(", tlf.")[0]
        return TransferTarget(
            row["transfer_number"], chosen, row["forwarded_to"] or ForwardedTo.OTHER, row["transferred_to"]
        )
    requested = requested.strip()
    if not requested:
        return None
    region_id = row["citizen_municipality__region_id"] or _called_region(row["called_number"])
    if requested == ForwardedTo.CITIZEN_MUNICIPALITY:
        info = ServiceInfo.objects.filter(municipality_id=row["citizen_municipality_id"]).first()
        phone = _digits_or_blank(info.phone) if info is not None and row["citizen_municipality_id"] else ""
        if not phone:
            return None
        name = f"{row['citizen_municipality__name']} Kommune"
        return TransferTarget(phone, name, ForwardedTo.CITIZEN_MUNICIPALITY, destination_label(name, phone))
    numbers = TransferNumber.objects.filter(Q(forwarded_to=requested) | Q(name__iexact=requested))
    # The region's own number before one for all citizens.
    regional = numbers.filter(region_id=region_id).first() if region_id is not None else None
    number = regional or numbers.filter(region__isnull=True).first()
    if number is not None:
        return TransferTarget(
            number.phone, number.name, number.forwarded_to, destination_label(number.name, number.phone)
        )
    typed = _digits_or_blank(requested)
    if typed:
        return TransferTarget(typed, "", ForwardedTo.OTHER, destination_label("", typed))
    return None


# ---------------------------------------------------------------------------------------------------------------
# The queues and hotline numbers as routing reads them, and what a waiting citizen is told.

_CACHE_SECONDS = 10.0
# A called number → (line, municipality id, code, name); a region's line number (LineNumber) has no municipality.
NumberInfo = tuple[str, int | None, int | None, str | None]
# (when read, the queues, and each called number's NumberInfo)
_routing_cache: tuple[float, list[Queue], dict[str, NumberInfo]] = (0.0, [], {})
_MEMBER_NUMBERS_SQL = (
    "SELECT n.number, n.line, mu.id, mu.code, mu.name FROM directory_hotlinenumber n "
    "JOIN directory_membership m ON m.id = n.membership_id "
    "JOIN directory_municipality mu ON mu.id = m.municipality_id"
)
_REGION_NUMBERS_SQL = "SELECT r.number, r.line, NULL, NULL, NULL FROM directory_linenumber r"


def _routing_data() -> tuple[float, list[Queue], dict[str, NumberInfo]]:
    """The queues and the called numbers, read at most every ten seconds per process: every event needs them, and
    they change only when the secretariat edits a queue or the numbers (which then takes effect within ten
    seconds in every worker)."""
    global _routing_cache
    now = time.monotonic()
    if now - _routing_cache[0] > _CACHE_SECONDS or not _routing_cache[1]:
        numbers: dict[str, NumberInfo] = {
            number: (line, *municipality)
            for number, line, *municipality in rows.execute(f"{_MEMBER_NUMBERS_SQL} UNION ALL {_REGION_NUMBERS_SQL}")
        }
        _routing_cache = (now, list(Queue.objects.select_related("skill")), numbers)
    return _routing_cache


def cached_queues() -> list[Queue]:
    """The queues (with their skill), as routing has them: read at most every ten seconds per process."""
    return _routing_data()[1]


def hotline_number(number: str) -> NumberInfo | None:
    """(line, municipality id, code, name) of a member's hotline number, (line, None, None, None) of a region's
    line number, or None for a number that is neither. A number the cache does not know is looked up at once, so a
    new number works from its first call."""
    known = _routing_data()[2].get(number)
    if known is not None:
        return known
    found = rows.execute(
        f"{_MEMBER_NUMBERS_SQL} WHERE n.number = %s UNION ALL {_REGION_NUMBERS_SQL} WHERE r.number = %s",
        [number, number],
    )
    return (found[0][1], found[0][2], found[0][3], found[0][4]) if found else None


def forget_cached_queues() -> None:
    """Forget the cached queues and hotline numbers (tests; a new database)."""
    global _routing_cache
    _routing_cache = (0.0, [], {})


def overflow_queues() -> list[Queue]:
    return [queue for queue in cached_queues() if queue.overflow_after_seconds is not None]


def queue_for_line(line: str) -> Queue:
    queues = cached_queues()
    return next((q for q in queues if q.line == line), None) or next(q for q in queues if q.is_default)


def default_queue() -> Queue:
    return next(q for q in cached_queues() if q.is_default)


def queue_is_open(queue: Queue, at: dt.datetime) -> bool:
    """Whether the queue takes contacts at `at`: its opening hours, closed on Danish public holidays."""
    return is_open(parse_opening_hours(queue.opening_hours), at.astimezone(LOCAL))


def cached_queue(queue_id: int) -> Queue | None:
    return next((queue for queue in cached_queues() if queue.pk == queue_id), None)


def _serving_filter(queue: Queue) -> Q:
    return Q(skills=queue.skill_id) if queue.skill_id else Q()


def queue_position(contact: Contact) -> int:
    """Where a queued contact stands in its queue (1 = next)."""
    return Contact.objects.filter(
        queue_id=contact.queue_id, state=ContactState.QUEUED, offered_at__lte=contact.offered_at, id__lte=contact.pk
    ).count()


def estimate_wait(contact: Contact) -> float:
    queue = contact.queue
    position = queue_position(contact)
    serving = (
        AgentState.objects.filter(_serving_filter(queue))
        .exclude(status__in=[AgentStatus.OFFLINE, AgentStatus.PAUSE])
        .count()
    )
    recent = (
        Contact.objects.filter(queue=queue, state=ContactState.ENDED, answered_at__isnull=False, ended_at__isnull=False)
        .order_by("-ended_at")
        .values_list("answered_at", "ended_at")[:50]
    )
    durations = [(end - start).total_seconds() for start, end in recent if start and end]
    handle = sum(durations) / len(durations) if durations else DEFAULT_HANDLE_SECONDS
    return estimated_wait_seconds(position, serving, handle)


def chat_queue() -> Queue:
    return queue_for_line(Line.CITIZEN_SERVICE)


def chat_opening_hours() -> OpeningHours:
    """The hours the citizens' chat reaches agents: its queue's (the hotline's default if there is none)."""
    queue = next((q for q in cached_queues() if q.line == Line.CITIZEN_SERVICE), None)
    if queue is None:
        return OpeningHours.hotline_default()
    return parse_opening_hours(queue.opening_hours)


def line_opening_hours(line: str) -> OpeningHours:
    """A line's phone hours: its queue's (the hotline's default if the line has no queue)."""
    queue = next((q for q in cached_queues() if q.line == line), None)
    if queue is None:
        return OpeningHours.hotline_default()
    return parse_opening_hours(queue.opening_hours)


def registered_topic_counts(since: dt.datetime) -> list[tuple[str, int]]:
    """(topic id, contacts) for each topic agents registered contacts under, of the contacts offered since `since`
    (the assistant's quick replies count them, told through assistant/hotline.py)."""
    return list(
        Contact.objects.filter(offered_at__gte=since)
        .exclude(topic_id="")
        .order_by()
        .values_list("topic_id")
        .annotate(n=Count("pk"))
    )


def waits_for_opening(contact: Contact, at: dt.datetime) -> bool:
    """A callback or message made out of hours, not yet in the queue's reach (its offer is at the opening)."""
    return contact.state == ContactState.QUEUED and contact.offered_at > at


def unqualified_overflow_counts(start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Per line, the contacts assigned in [start, end) to an agent who had neither the queue's skill nor the line's
    training that day: what overflow to untrained agents (ROUTING_OVERFLOW_TO_UNQUALIFIED) handed out."""
    assigned = (
        Contact.objects.filter(
            assigned_at__gte=start, assigned_at__lt=end, agent__isnull=False, queue__skill__isnull=False
        )
        .exclude(queue__skill__agents__person=F("agent"))
        .values_list("queue__line", "agent_id", "assigned_at")
    )
    rows_ = list(assigned)
    since = {
        (q.person_id, q.line): q.since
        for q in Qualification.objects.filter(person_id__in={agent for _, agent, _ in rows_})
    }
    counts: dict[str, int] = {}
    for line, agent, when in rows_:
        if when is None:  # filtered out above; for the type checker
            continue
        trained_from = since.get((agent, line))
        if trained_from is None or trained_from > when.astimezone(LOCAL).date():
            counts[line] = counts.get(line, 0) + 1
    return counts
