"""Contact-centre KPIs from plain contact records. Every definition is written here once and shown to readers.

- offered: calls and chats that reached an open queue (contacts outside opening hours are counted apart);
- answered: an agent took it (ended, transferred or still in conversation); abandoned: the citizen hung up
  while waiting; waiting: still in the queue or ringing at an agent;
- service level: answered within the threshold / (answered + abandoned) — a contact whose answer time is
  unknown (its events arrived incomplete) is left out of the service level and of the average speed of answer;
- average speed of answer: mean time from offered to answered;
- average handle time: talk time (answered → ended) plus wrap-up (ended → registered, if registered later);
- straksafklaring: registered contacts resolved at once / registered contacts;
- satisfaction: mean rating 1–9 of the contacts rated;
- chatbot share: chatbot conversations / (chatbot conversations + calls offered + human chats offered);
- transfers to MinSP support: contacts forwarded to the region's MinSP support (registered so by the agent, or
  transferred there by the telephony platform), the count seed 002 asks of the health-app line.

Per line (the members' hotline, the region's health-app line): the same figures for the contacts of each line's
queue, each with its own queue's service-level threshold (kpis_per_line).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

ANSWERED_STATES = frozenset({"answered", "ended", "transferred"})
WAITING_STATES = frozenset({"queued", "assigned"})
MINSP_SUPPORT = "minsp_support"  # contact's ForwardedTo value for the region's MinSP support

CHATBOT_SHARE_FORMULA = "chatbotsamtaler / (chatbotsamtaler + opkald tilbudt + chat med medarbejder tilbudt)"


@dataclass(frozen=True)
class ContactRecord:
    channel: str  # "phone" | "chat"
    state: str
    offered_at: dt.datetime
    answered_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    registered_at: dt.datetime | None = None
    resolved_at_once: bool | None = None
    satisfaction: int | None = None
    citizen_municipality: str = ""
    agent_municipality: str = ""
    line: str = ""  # the line of the contact's queue: "citizen_service" | "health_apps"
    forwarded_to: str = ""  # "" | "citizen_municipality" | "minsp_support" | "queue" | "other"

    @property
    def answered(self) -> bool:
        return self.state in ANSWERED_STATES

    @property
    def wait_seconds(self) -> float | None:
        if self.answered_at is None:
            return None
        return max(0.0, (self.answered_at - self.offered_at).total_seconds())

    @property
    def handle_seconds(self) -> float | None:
        if self.answered_at is None or self.ended_at is None:
            return None
        talk = max(0.0, (self.ended_at - self.answered_at).total_seconds())
        wrap_up = 0.0
        if self.registered_at is not None and self.registered_at > self.ended_at:
            wrap_up = (self.registered_at - self.ended_at).total_seconds()
        return talk + wrap_up


@dataclass
class Kpis:
    offered: int = 0
    offered_phone: int = 0
    offered_chat: int = 0
    answered: int = 0
    abandoned: int = 0
    waiting: int = 0
    closed: int = 0
    answered_within_threshold: int = 0
    service_level_base: int = 0
    wait_total: float = 0.0
    wait_count: int = 0
    handle_total: float = 0.0
    handle_count: int = 0
    registered: int = 0
    resolved_at_once: int = 0
    ratings_total: int = 0
    ratings: int = 0
    chatbot_conversations: int = 0
    transferred_to_minsp: int = 0

    @property
    def service_level(self) -> float | None:
        return self.answered_within_threshold / self.service_level_base if self.service_level_base else None

    @property
    def average_speed_of_answer(self) -> float | None:
        return self.wait_total / self.wait_count if self.wait_count else None

    @property
    def average_handle_time(self) -> float | None:
        return self.handle_total / self.handle_count if self.handle_count else None

    @property
    def resolved_at_once_share(self) -> float | None:
        return self.resolved_at_once / self.registered if self.registered else None

    @property
    def satisfaction(self) -> float | None:
        return self.ratings_total / self.ratings if self.ratings else None

    @property
    def abandon_rate(self) -> float | None:
        return self.abandoned / self.offered if self.offered else None

    @property
    def chatbot_share(self) -> float | None:
        base = self.chatbot_conversations + self.offered_phone + self.offered_chat
        return self.chatbot_conversations / base if base else None

    def as_dict(self) -> dict[str, float | int | None]:
        def rounded(value: float | None, digits: int) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "offered": self.offered,
            "offered_phone": self.offered_phone,
            "offered_chat": self.offered_chat,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "waiting": self.waiting,
            "closed": self.closed,
            "service_level": rounded(self.service_level, 4),
            "average_speed_of_answer_seconds": rounded(self.average_speed_of_answer, 1),
            "average_handle_time_seconds": rounded(self.average_handle_time, 1),
            "resolved_at_once_share": rounded(self.resolved_at_once_share, 4),
            "satisfaction": rounded(self.satisfaction, 2),
            "ratings": self.ratings,
            "chatbot_conversations": self.chatbot_conversations,
            "chatbot_share": rounded(self.chatbot_share, 4),
            "transfers_to_minsp_support": self.transferred_to_minsp,
        }


def compute_kpis(
    records: Iterable[ContactRecord], service_level_seconds: int = 60, chatbot_conversations: int = 0
) -> Kpis:
    kpis = Kpis(chatbot_conversations=chatbot_conversations)
    for record in records:
        if record.state == "closed":
            kpis.closed += 1
            continue
        kpis.offered += 1
        if record.channel == "chat":
            kpis.offered_chat += 1
        else:
            kpis.offered_phone += 1
        if record.state in WAITING_STATES:
            kpis.waiting += 1
        elif record.state == "abandoned":
            kpis.abandoned += 1
            kpis.service_level_base += 1
        elif record.answered:
            kpis.answered += 1
            wait = record.wait_seconds
            if wait is not None:
                kpis.service_level_base += 1
                kpis.wait_total += wait
                kpis.wait_count += 1
                if wait <= service_level_seconds:
                    kpis.answered_within_threshold += 1
            handle = record.handle_seconds
            if handle is not None:
                kpis.handle_total += handle
                kpis.handle_count += 1
        if record.resolved_at_once is not None:
            kpis.registered += 1
            kpis.resolved_at_once += int(record.resolved_at_once)
        if record.satisfaction is not None:
            kpis.ratings += 1
            kpis.ratings_total += record.satisfaction
        if record.forwarded_to == MINSP_SUPPORT:
            kpis.transferred_to_minsp += 1
    return kpis


def kpis_per_line(
    records: Iterable[ContactRecord], thresholds: Mapping[str, int], default_threshold: int = 60
) -> dict[str, Kpis]:
    """The KPIs of each line, each with its own service-level threshold (`thresholds`: line → seconds, from the
    line's queue). Every line in `thresholds` is there, with zeros when it had no contacts; a record of a line
    not in it (or of none) is counted under its own line name with `default_threshold`."""
    groups: dict[str, list[ContactRecord]] = {line: [] for line in thresholds}
    for record in records:
        groups.setdefault(record.line, []).append(record)
    return {
        line: compute_kpis(group, thresholds.get(line, default_threshold)) for line, group in sorted(groups.items())
    }


def period_key(moment: dt.datetime, period: str) -> str:
    """`moment` in local time. day → 2026-11-23, week → 2026-U48 (ISO week), month → 2026-11."""
    if period == "day":
        return moment.date().isoformat()
    if period == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-U{week:02d}"
    if period == "month":
        return f"{moment.year}-{moment.month:02d}"
    raise ValueError(f"Ukendt periode: {period!r} (day, week eller month)")


def kpis_by(
    records: Iterable[ContactRecord],
    key: Callable[[ContactRecord], str],
    service_level_seconds: int = 60,
    chatbot_by_key: dict[str, int] | None = None,
) -> dict[str, Kpis]:
    groups: dict[str, list[ContactRecord]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    chatbot_by_key = chatbot_by_key or {}
    keys = sorted(set(groups) | set(chatbot_by_key))
    return {k: compute_kpis(groups.get(k, []), service_level_seconds, chatbot_by_key.get(k, 0)) for k in keys}


@dataclass
class CarriedRow:
    """Who carries whom: contacts from a municipality's citizens vs the hours its own agents answered."""

    municipality: str
    citizen_contacts: int = 0
    citizen_hours: float = 0.0
    agent_contacts: int = 0
    agent_hours: float = 0.0

    @property
    def balance_hours(self) -> float:
        """Positive: its agents answered more than its citizens needed (it carries others)."""
        return self.agent_hours - self.citizen_hours


def who_carries_whom(records: Iterable[ContactRecord]) -> list[CarriedRow]:
    rows: dict[str, CarriedRow] = {}

    def row(name: str) -> CarriedRow:
        return rows.setdefault(name, CarriedRow(name))

    for record in records:
        if not record.answered:
            continue
        hours = (record.handle_seconds or 0.0) / 3600
        citizen = row(record.citizen_municipality or "Ukendt kommune")
        citizen.citizen_contacts += 1
        citizen.citizen_hours += hours
        if record.agent_municipality:
            agent = row(record.agent_municipality)
            agent.agent_contacts += 1
            agent.agent_hours += hours
    return sorted(rows.values(), key=lambda r: r.municipality)
