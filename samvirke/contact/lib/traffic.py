"""Synthetic contact-centre traffic for demos and benchmarks, and a discrete-event scheduler that drives it.

The model of a Danish municipal hotline (Den Digitale Hotline: ~266,000 calls and ~92,000 chatbot
conversations a year, open 60 hours a week):
- arrivals: a weekday × hour profile (Monday busiest, morning peak 9–11, quiet after 17) scaled so that a year
  of working days gives `calls_per_year`; within an hour arrivals are Poisson (exponential gaps);
- topics: a weight per topic id (MitID, Digital Post and borger.dk dominate); topics handled elsewhere are
  transferred; ~61 % of all calls are resolved at once (straksafklaret);
- times: talk time lognormal (mean ~4.5 min), wrap-up lognormal (mean ~45 s), ringing 3–9 s, the caller's
  patience in the queue exponential (mean 3 min);
- staffing: per hour the Erlang C number of agents for 80 % answered within 60 s, from the agent pool;
- satisfaction: a share of answered callers rate 1–9 (mean ~7.9).

`plan_traffic` draws everything that does not depend on the contact centre (the calls, their topics and
durations, the agents' shifts, the chatbot conversations). `Scheduler` then turns the plan into telephony
events in simulated time; it reads the platform's replies (which agent got which call) to decide what happens
next. Pure: no database and no clock; every draw comes from a `random.Random` seeded from the seed, so a seed
gives the same plan, and the same events given the same replies.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from samvirke.core.lib import arrival
from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.erlang import agents_required
from samvirke.core.lib.hours import OpeningHours, is_closed_day, is_open

UTC = dt.UTC

CALLS_PER_YEAR = 266_000  # Den Digitale Hotline
CHATBOT_PER_YEAR = 92_000
DENMARK_POPULATION = 6_000_000
WORKING_DAYS_PER_YEAR = 250

# Monday is the busiest day; the weekday factors average 1.0 over Monday–Friday; no calls at the weekend.
WEEKDAY_FACTORS = arrival.weekday_factors(weekend=False)
# Relative calls per hour of the day (local time): morning peak 9–11, a dip at lunch, quiet after 17.
HOUR_WEIGHTS = arrival.OPEN_HOUR_WEIGHTS
# The chatbot answers day and night: most in the daytime, a long evening tail, a little at night.
CHATBOT_HOUR_WEIGHTS = (
    0.15, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1.2, 1.6, 1.7, 1.5, 1.3, 1.4, 1.3, 1.2, 1.1, 1.0, 1.0, 1.1,
    1.1, 0.9, 0.6, 0.3,
)  # fmt: skip

# Topic weights by topic id prefix (the first match counts); any other topic weighs 1.
TOPIC_WEIGHT_BY_PREFIX: tuple[tuple[str, float], ...] = (
    ("mitid-", 6.0), ("digital-post-", 5.0), ("borger-dk-login", 4.0), ("digital-help", 3.0),
    ("address-change", 2.5), ("nemkonto", 2.0), ("doctor-change", 2.0), ("health-card", 2.0),
    ("tax-yearly", 2.0), ("book-appointment", 2.0), ("passport", 1.5), ("driving-licence", 1.5),
    ("pension", 1.5), ("opening-hours", 1.5), ("min-sundhed", 1.2), ("min-laege", 1.2),
)  # fmt: skip

# Satisfaction 1–9 after the call (IVR survey); the mean is ~7.95.
RATING_WEIGHTS = {9: 0.46, 8: 0.32, 7: 0.10, 6: 0.05, 5: 0.03, 4: 0.015, 3: 0.01, 2: 0.005, 1: 0.01}


# ---------------------------------------------------------------------------------------------------------------
# Small distributions


def lognormal(rng: random.Random, mean: float, sigma: float) -> float:
    """A lognormal draw with the given mean (not median) and shape."""
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method for small means, a rounded normal approximation for large ones."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def topic_weight(topic_id: str) -> float:
    for prefix, weight in TOPIC_WEIGHT_BY_PREFIX:
        if topic_id.startswith(prefix):
            return weight
    return 1.0


def mean_rating() -> float:
    return sum(r * w for r, w in RATING_WEIGHTS.items()) / sum(RATING_WEIGHTS.values())


def erlang_c_agents(
    calls_per_hour: float, handle_seconds: float, target_seconds: float = 60, target_level: float = 0.8
) -> int:
    """The fewest agents that answer `target_level` of the calls within `target_seconds` (Erlang C over an hour,
    no shrinkage, no occupancy cap: `samvirke.core.lib.erlang.agents_required`'s raw agents)."""
    if calls_per_hour <= 0:
        return 0
    return agents_required(calls_per_hour, 60, handle_seconds, target_level, target_seconds).raw_agents


# ---------------------------------------------------------------------------------------------------------------
# The arrival profile


def open_at(hours: OpeningHours, moment: dt.datetime) -> bool:
    """`is_open` for an aware `moment` in any zone (compared in local time)."""
    return is_open(hours, moment.astimezone(LOCAL))


def hotline_hours() -> OpeningHours:
    return OpeningHours.hotline_default()


def health_line_hours() -> OpeningHours:
    """The health-app line's default: 60 hours a week like the hotline (seed 001)."""
    return OpeningHours.hotline_default()


@dataclass(frozen=True)
class ArrivalProfile:
    """Expected calls per weekday and hour, scaled so that a year of working days gives `calls_per_year`."""

    calls_per_year: float
    hours: OpeningHours = field(default_factory=hotline_hours)

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.hours.week.get(day.weekday())) and not is_closed_day(day)

    def calls_per_day(self, day: dt.date) -> float:
        if not self.is_working_day(day):
            return 0.0
        return self.calls_per_year / WORKING_DAYS_PER_YEAR * WEEKDAY_FACTORS[day.weekday()]

    def hourly_rate(self, day: dt.date, hour: int) -> float:
        """Expected calls between hour:00 and hour+1:00 on `day` (0 when the hotline is closed then)."""
        weight = HOUR_WEIGHTS.get(hour, 0.0)
        if weight == 0 or not open_at(self.hours, dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL)):
            return 0.0
        return self.calls_per_day(day) * weight / sum(HOUR_WEIGHTS.values())

    def arrivals(self, day: dt.date, rng: random.Random) -> list[dt.datetime]:
        """Poisson arrivals on `day` (local, aware), only while the hotline is open."""
        times = []
        for hour in range(24):
            rate = self.hourly_rate(day, hour)
            if rate <= 0:
                continue
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL)
            offset = rng.expovariate(rate / 3600)
            while offset < 3600:
                moment = start + dt.timedelta(seconds=offset)
                if open_at(self.hours, moment):
                    times.append(moment)
                offset += rng.expovariate(rate / 3600)
        return times


def working_days(start: dt.date, count: int, profile: ArrivalProfile) -> list[dt.date]:
    """The first `count` days from `start` (inclusive) on which the hotline opens."""
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if profile.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def default_calls_per_year(member_population: int) -> float:
    """The hotline's 266,000 calls a year scaled by the members' share of Denmark's ~6.0 million people."""
    return CALLS_PER_YEAR * member_population / DENMARK_POPULATION


# ---------------------------------------------------------------------------------------------------------------
# The plan: what happens independently of the contact centre


@dataclass(frozen=True)
class Member:
    code: int
    population: int
    numbers: dict[str, str]  # line → called number, e.g. {"citizen_service": "70200316"}
    # Lines whose number is the region's, not the member's (the health-app line): the platform's menu asks the
    # caller's municipality, which the call_offered event then carries.
    regional_lines: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Topic:
    topic_id: str
    health_app: bool = False  # asked on the health-app line when it is open and the member has one
    forward_to: str = ""  # "" | "citizen_municipality" | "minsp_support": transferred, not resolved at once


@dataclass(frozen=True)
class TrafficModel:
    handle_mean_seconds: float = 270.0
    handle_sigma: float = 0.6
    wrap_up_mean_seconds: float = 45.0
    wrap_up_sigma: float = 0.5
    patience_mean_seconds: float = 180.0
    ring_seconds: tuple[float, float] = (3.0, 9.0)
    resolved_at_once_share: float = 0.61
    satisfaction_share: float = 0.35  # answered callers who rate the call in the IVR afterwards
    callback_share: float = 0.5  # of callers offered a callback, those who take it
    chatbot_per_call: float = CHATBOT_PER_YEAR / CALLS_PER_YEAR
    service_level_seconds: float = 60.0
    service_level_target: float = 0.8
    break_minutes: tuple[int, int] = (15, 30)


@dataclass(frozen=True)
class CallSpec:
    call_id: str
    offered_at: dt.datetime  # local, aware
    member_code: int
    line: str
    called_number: str
    caller_number: str
    topic_id: str
    forward_to: str
    resolved_at_once: bool
    ring_seconds: float
    handle_seconds: float
    wrap_up_seconds: float
    patience_seconds: float
    takes_callback: bool
    rating: int | None  # None: the caller does not answer the survey
    ivr_municipality_code: int | None = None  # chosen in the menu of a regional number


@dataclass(frozen=True)
class Shift:
    """An agent is on from `start` to `end` (local), with breaks (start, end) inside."""

    agent: str
    start: dt.datetime
    end: dt.datetime
    breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()


@dataclass(frozen=True)
class ChatbotSpec:
    started_at: dt.datetime
    member_code: int
    questions: int


@dataclass
class TrafficPlan:
    days: list[dt.date]
    calls: list[CallSpec]
    shifts: list[Shift]
    chatbots: list[ChatbotSpec]
    staffing: dict[str, list[int]]  # ISO date → agents per hour 0..23


def _resolve_probability(topics: Sequence[Topic], weights: dict[str, float], target: float) -> float:
    """The chance a call about a topic not handled elsewhere is resolved at once, so that all calls hit `target`."""
    forward = sum(weights[t.topic_id] for t in topics if t.forward_to) / sum(weights.values())
    return min(0.97, target / (1 - forward)) if forward < 1 else 0.0


def _pick_line(topic: Topic, member: Member, moment: dt.datetime, health_hours: OpeningHours) -> str:
    if topic.health_app and "health_apps" in member.numbers and open_at(health_hours, moment):
        return "health_apps"
    return "citizen_service"


def plan_traffic(
    *,
    start: dt.date,
    days: int,
    calls_per_year: float,
    members: Sequence[Member],
    topics: Sequence[Topic],
    agents: Sequence[str],
    seed: int,
    prefix: str = "sim",
    model: TrafficModel | None = None,
    hours: OpeningHours | None = None,
    health_hours: OpeningHours | None = None,
) -> TrafficPlan:
    """Everything that does not depend on the contact centre's replies, deterministic for the seed."""
    model = model or TrafficModel()
    profile = ArrivalProfile(calls_per_year, hours or hotline_hours())
    health_hours = health_hours or health_line_hours()
    if not members or not topics:
        raise ValueError("plan_traffic needs members and topics")
    weights = {t.topic_id: topic_weight(t.topic_id) for t in topics}
    resolve_p = _resolve_probability(topics, weights, model.resolved_at_once_share)
    member_weights = [m.population for m in members]
    topic_weights = [weights[t.topic_id] for t in topics]
    rating_values, rating_weights = list(RATING_WEIGHTS), list(RATING_WEIGHTS.values())
    # Agents are on the phone for talk, wrap-up and ringing; Erlang C staffs for that.
    busy_seconds = model.handle_mean_seconds + model.wrap_up_mean_seconds + sum(model.ring_seconds) / 2

    plan = TrafficPlan(days=working_days(start, days, profile), calls=[], shifts=[], chatbots=[], staffing={})
    number = 0
    for day in plan.days:
        # Per day, so adding a day does not change the others. Simulation, not cryptography.
        rng = random.Random(f"{seed}:{day.isoformat()}")  # noqa: S311
        for moment in profile.arrivals(day, rng):
            number += 1
            member = rng.choices(members, member_weights)[0]
            topic = rng.choices(topics, topic_weights)[0]
            line = _pick_line(topic, member, moment, health_hours)
            plan.calls.append(
                CallSpec(
                    call_id=f"{prefix}-c{number:06d}",
                    offered_at=moment,
                    member_code=member.code,
                    line=line,
                    called_number=member.numbers[line],
                    caller_number=str(rng.randint(20_000_000, 99_999_999)),
                    topic_id=topic.topic_id,
                    forward_to=topic.forward_to,
                    resolved_at_once=not topic.forward_to and rng.random() < resolve_p,
                    ring_seconds=rng.uniform(*model.ring_seconds),
                    handle_seconds=max(20.0, lognormal(rng, model.handle_mean_seconds, model.handle_sigma)),
                    wrap_up_seconds=max(5.0, lognormal(rng, model.wrap_up_mean_seconds, model.wrap_up_sigma)),
                    patience_seconds=max(5.0, rng.expovariate(1 / model.patience_mean_seconds)),
                    takes_callback=rng.random() < model.callback_share,
                    rating=rng.choices(rating_values, rating_weights)[0]
                    if rng.random() < model.satisfaction_share
                    else None,
                    ivr_municipality_code=member.code if line in member.regional_lines else None,
                )
            )
        staffing = [
            min(
                len(agents),
                erlang_c_agents(
                    profile.hourly_rate(day, hour), busy_seconds, model.service_level_seconds,
                    model.service_level_target,
                ),
            )
            for hour in range(24)
        ]  # fmt: skip
        plan.staffing[day.isoformat()] = staffing
        roster = list(agents)
        rng.shuffle(roster)  # a different order each day, so every member's agents take shifts
        plan.shifts += _shifts(day, roster, staffing, rng, model)
        expected_chats = profile.calls_per_day(day) * model.chatbot_per_call
        chat_hours = rng.choices(range(24), CHATBOT_HOUR_WEIGHTS, k=poisson(rng, expected_chats))
        for hour in sorted(chat_hours):
            started = dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL) + dt.timedelta(seconds=rng.uniform(0, 3599))
            questions = 1
            while rng.random() < 0.55 and questions < 12:
                questions += 1
            plan.chatbots.append(ChatbotSpec(started, rng.choices(members, member_weights)[0].code, questions))
        plan.chatbots.sort(key=lambda c: c.started_at)
    return plan


def _spans(hours: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive hours as (first, end) spans: [8, 9, 10, 13] → [(8, 11), (13, 14)]."""
    spans: list[list[int]] = []
    for hour in hours:
        if spans and spans[-1][1] == hour:
            spans[-1][1] = hour + 1
        else:
            spans.append([hour, hour + 1])
    return [(first, end) for first, end in spans]


LONGEST_SHIFT_HOURS = 8
LATE_SHIFT_FROM = 14


def _shifts(
    day: dt.date, roster: Sequence[str], staffing: Sequence[int], rng: random.Random, model: TrafficModel
) -> list[Shift]:
    """Seat i (of as many as the busiest hour needs) is manned in the hours that need at least i + 1 agents.
    A seat manned longer than eight hours is split into an early and a late shift (two agents, if the pool has
    them); a shift of four hours or more has a break in the middle."""
    seats = max(staffing, default=0)
    shifts = []
    for seat in range(seats):
        early = roster[seat]
        late = roster[seats + seat] if seats + seat < len(roster) else early
        for first, end in _spans(hour for hour in range(24) if staffing[hour] > seat):
            parts = [(first, end, early)]
            if end - first > LONGEST_SHIFT_HOURS and first < LATE_SHIFT_FROM < end:
                parts = [(first, LATE_SHIFT_FROM, early), (LATE_SHIFT_FROM, end, late)]
            for part_first, part_end, agent in parts:
                start = dt.datetime.combine(day, dt.time(part_first), tzinfo=LOCAL)
                stop = start + dt.timedelta(hours=part_end - part_first)
                breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
                if part_end - part_first >= 4:
                    middle = start + (stop - start) / 2 + dt.timedelta(minutes=rng.randint(-30, 30))
                    breaks = ((middle, middle + dt.timedelta(minutes=rng.randint(*model.break_minutes))),)
                shifts.append(Shift(agent, start, stop, breaks))
    return _merge_same_agent(shifts)


def _merge_same_agent(shifts: list[Shift]) -> list[Shift]:
    """When the pool is too small for a late shift, the early agent works on: one shift, not two touching."""
    merged: list[Shift] = []
    for shift in sorted(shifts, key=lambda s: (s.agent, s.start)):
        if merged and merged[-1].agent == shift.agent and merged[-1].end == shift.start:
            last = merged.pop()
            shift = Shift(shift.agent, last.start, shift.end, last.breaks + shift.breaks)
        merged.append(shift)
    return sorted(merged, key=lambda s: (s.start, s.agent))


def trim_plan(plan: TrafficPlan, since: dt.datetime) -> TrafficPlan:
    """The plan from `since` on (a live run started in the middle of a day): later calls and chatbot
    conversations, and the shifts still to come, cut to start at `since`."""
    shifts = []
    for shift in plan.shifts:
        if shift.end <= since:
            continue
        breaks = tuple((begin, end) for begin, end in shift.breaks if begin >= since)
        shifts.append(Shift(shift.agent, max(shift.start, since), shift.end, breaks))
    return TrafficPlan(
        days=plan.days,
        calls=[call for call in plan.calls if call.offered_at >= since],
        shifts=shifts,
        chatbots=[chat for chat in plan.chatbots if chat.started_at >= since],
        staffing=plan.staffing,
    )


# ---------------------------------------------------------------------------------------------------------------
# The scheduler


@dataclass(frozen=True)
class PostEvent:
    """Post this telephony event now (`at` is simulated time); hand the reply to `Scheduler.on_reply`."""

    at: dt.datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class Register:
    """The agent registers the call on the desk (topic, straksafklaret, forwarded to, a note)."""

    at: dt.datetime
    call_id: str
    agent: str
    topic_id: str
    resolved_at_once: bool
    forwarded_to: str
    note: str


@dataclass(frozen=True)
class PollAssignments:
    """Ask the contact centre which calls are assigned and not yet answered (`GET /api/telephony/assignments`),
    as the platform does; hand the call ids to `Scheduler.on_assignments`. Used for a call given to a person the
    simulator does not drive: only the contact centre knows whether the person has answered it."""

    at: dt.datetime
    call_id: str


Step = PostEvent | Register | PollAssignments

# How long the simulated citizen lets the phone ring for a person the simulator does not drive before hanging up.
PERSON_ANSWER_SECONDS = 60.0


@dataclass
class _Call:
    spec: CallSpec
    state: str = "new"  # new → queued | assigned → answered → ended | transferred; abandoned; closed
    agent: str = ""
    queue: str = ""
    answered_at: dt.datetime | None = None
    callback: bool = False
    person: bool = False  # given to someone the simulator does not drive: their status and registration are theirs


@dataclass
class _Agent:
    username: str
    status: str = "offline"  # offline | ready | busy | wrap_up | pause (as the platform's replies said)
    call: str = ""
    ready_since: dt.datetime | None = None
    on_shift: bool = False
    leaving: str = ""  # "offline" | "pause": go there after the current call
    on_break: bool = False


@dataclass
class SimulationStats:
    offered: int = 0
    closed: int = 0
    answered: int = 0
    abandoned: int = 0
    transferred: int = 0
    answered_within_target: int = 0
    callbacks: int = 0
    registered: int = 0
    resolved_at_once: int = 0
    ratings: int = 0
    ratings_total: int = 0
    events: int = 0
    duplicates: int = 0
    foreign_calls: int = 0
    person_calls: int = 0  # given to people the simulator does not drive (ready on the desk themselves)
    person_answered: int = 0
    anomalies: list[str] = field(default_factory=list)

    @property
    def service_level(self) -> float | None:
        base = self.answered + self.abandoned
        return self.answered_within_target / base if base else None

    @property
    def satisfaction(self) -> float | None:
        return self.ratings_total / self.ratings if self.ratings else None

    @property
    def resolved_share(self) -> float | None:
        return self.resolved_at_once / self.registered if self.registered else None


_AGENT_FIRST, _NORMAL = 0, 1
TRANSFER_TARGETS = {"citizen_municipality": "Borgerens kommune", "minsp_support": "Regionens MinSP-support"}


class Scheduler:
    """Turns a plan into telephony events in simulated time. Use:

        while (step := scheduler.next_step()) is not None:
            if isinstance(step, PostEvent):
                scheduler.on_reply(step, status, body)   # the platform's reply to posting step.payload
            else:
                ...                                      # Register: the agent's registration on the desk

    Agents follow their shifts through agent_status events; a call goes offered → (queued →) assigned →
    answered → ended/transferred → wrap-up → registered, and a queued caller hangs up when their patience runs
    out. What the contact centre decided (which agent got which call, when) is read from the replies only.
    Only the `driven` agents are acted for; a call the contact centre gives anyone else (a person ready on the
    desk) is theirs to answer and register: the simulator plays only the telephone and the citizen.
    """

    def __init__(
        self,
        plan: TrafficPlan,
        *,
        seed: int = 0,
        prefix: str = "sim",
        overflow_seconds: dict[str, float] | None = None,
        service_level_seconds: float = 60.0,
        model: TrafficModel | None = None,
        driven: Iterable[str] | None = None,
    ) -> None:
        self.plan = plan
        # The agents whose status and registrations this simulation sends; anyone else is a person.
        self.driven = set(driven) if driven is not None else {shift.agent for shift in plan.shifts}
        self.prefix = prefix
        self.model = model or TrafficModel()
        self.rng = random.Random(f"{seed}:scheduler")  # noqa: S311
        self.overflow_seconds = overflow_seconds if overflow_seconds is not None else {"sundhedsapps": 120.0}
        self.service_level_seconds = service_level_seconds
        self.stats = SimulationStats()
        self.calls: dict[str, _Call] = {spec.call_id: _Call(spec) for spec in plan.calls}
        self.agents: dict[str, _Agent] = {}
        self._heap: list[tuple[dt.datetime, int, int, str, str]] = []
        self._pending: list[Step] = []
        self._queued: set[str] = set()
        self._sequence = 0
        self._event_number = 0
        self.now: dt.datetime | None = None
        for spec in plan.calls:
            self._push(spec.offered_at, "offer", spec.call_id)
        for shift in plan.shifts:
            self.agents.setdefault(shift.agent, _Agent(shift.agent))
            self._push(shift.start, "shift_start", shift.agent, _AGENT_FIRST)
            self._push(shift.end, "shift_end", shift.agent, _AGENT_FIRST)
            for begin, end in shift.breaks:
                self._push(begin, "break_start", shift.agent)
                self._push(end, "break_end", shift.agent, _AGENT_FIRST)

    # -- the queue of things to do --------------------------------------------------------------------------

    def _push(self, at: dt.datetime, kind: str, key: str, order: int = _NORMAL) -> None:
        self._sequence += 1
        heapq.heappush(self._heap, (at.astimezone(UTC), order, self._sequence, kind, key))

    def _event(self, at: dt.datetime, kind: str, **fields: Any) -> PostEvent:
        self._event_number += 1
        payload = {
            "event_id": f"{self.prefix}-e{self._event_number:07d}",
            "type": kind,
            "occurred_at": at.astimezone(LOCAL).isoformat(),
            **fields,
        }
        self.stats.events += 1
        return PostEvent(at.astimezone(LOCAL), payload)

    def next_step(self) -> Step | None:
        while not self._pending:
            if not self._heap:
                return None
            at, _order, _seq, kind, key = heapq.heappop(self._heap)
            self.now = at
            self._pending.extend(getattr(self, f"_on_{kind}")(at.astimezone(LOCAL), key))
        return self._pending.pop(0)

    # -- what happens at a moment ---------------------------------------------------------------------------

    def _on_offer(self, at: dt.datetime, call_id: str) -> list[Step]:
        spec = self.calls[call_id].spec
        self.stats.offered += 1
        return [
            self._event(
                at, "call_offered", call_id=call_id, called_number=spec.called_number,
                caller_number=spec.caller_number,
                **({"ivr_municipality_code": spec.ivr_municipality_code} if spec.ivr_municipality_code else {}),
            )
        ]  # fmt: skip

    def _on_abandon(self, at: dt.datetime, call_id: str) -> list[Step]:
        call = self.calls[call_id]
        if call.state != "queued" or call.callback:
            return []
        return [self._event(at, "call_abandoned", call_id=call_id)]

    def _on_person_check(self, at: dt.datetime, call_id: str) -> list[Step]:
        call = self.calls[call_id]
        return [PollAssignments(at, call_id)] if call.state == "assigned" and call.person else []

    def _on_person_gives_up(self, at: dt.datetime, call_id: str) -> list[Step]:
        call = self.calls[call_id]
        return [self._event(at, "call_abandoned", call_id=call_id)] if call.state == "assigned" else []

    def _on_callback(self, at: dt.datetime, call_id: str) -> list[Step]:
        call = self.calls[call_id]
        if call.state != "queued":
            return []
        return [self._event(at, "callback_requested", call_id=call_id)]

    def _on_overflow(self, at: dt.datetime, call_id: str) -> list[Step]:
        """The contact centre routes only when something happens; past the overflow time an idle agent's
        softphone says "ready" again, and the reply tells whether the agent got the waiting call."""
        if self.calls[call_id].state != "queued":
            return []
        idle = [a for a in self.agents.values() if a.status == "ready" and not a.call and a.ready_since]
        if not idle:
            return []
        agent = min(idle, key=lambda a: (a.ready_since or at, a.username))
        return [self._event(at, "agent_status", agent=agent.username, status="ready")]

    def _on_answer(self, at: dt.datetime, call_id: str) -> list[Step]:
        if self.calls[call_id].state != "assigned":
            return []
        return [self._event(at, "call_answered", call_id=call_id)]

    def _on_end(self, at: dt.datetime, call_id: str) -> list[Step]:
        call = self.calls[call_id]
        if call.state != "answered":
            return []
        if call.spec.forward_to and not call.person:  # a person decides on the desk whether to transfer
            target = TRANSFER_TARGETS.get(call.spec.forward_to, "Andet")
            return [self._event(at, "call_transferred", call_id=call_id, transfer_target=target)]
        return [self._event(at, "call_ended", call_id=call_id)]

    def _on_rate(self, at: dt.datetime, call_id: str) -> list[Step]:
        rating = self.calls[call_id].spec.rating
        return [self._event(at, "satisfaction", call_id=call_id, rating=rating)] if rating else []

    def _on_wrap_done(self, at: dt.datetime, username: str) -> list[Step]:
        agent = self.agents[username]
        if agent.status != "wrap_up" or not agent.call:
            return []
        call = self.calls[agent.call]
        spec = call.spec
        register = Register(
            at,
            spec.call_id,
            username,
            spec.topic_id,
            spec.resolved_at_once,
            spec.forward_to,
            "Borgeren fik vejledning i telefonen (simuleret)."
            if spec.resolved_at_once
            else "Borgeren skal have mere hjælp (simuleret).",
        )
        self.stats.registered += 1
        self.stats.resolved_at_once += int(spec.resolved_at_once)
        next_status = agent.leaving or ("ready" if agent.on_shift or self._someone_waits() else "offline")
        if next_status == "offline" and self._someone_waits() and not any(a.on_shift for a in self.agents.values()):
            next_status = "ready"  # the last agents stay until the queue is empty
        status_event = self._event(at, "agent_status", agent=username, status=next_status)
        if next_status == "ready":
            # Registration makes the agent ready and may hand it the next call; the "ready" reply says which.
            return [register, status_event]
        # Leave first, so registering cannot hand the agent another call.
        return [status_event, register]

    def _on_shift_start(self, at: dt.datetime, username: str) -> list[Step]:
        agent = self.agents[username]
        agent.on_shift = True
        if agent.leaving == "offline":
            agent.leaving = ""
        if agent.status in ("offline", "pause") and not agent.on_break:
            return [self._event(at, "agent_status", agent=username, status="ready")]
        return []

    def _on_shift_end(self, at: dt.datetime, username: str) -> list[Step]:
        agent = self.agents[username]
        agent.on_shift = False
        agent.on_break = False
        if agent.call:
            agent.leaving = "offline"
            return []
        if agent.status in ("ready", "pause"):
            return [self._event(at, "agent_status", agent=username, status="offline")]
        return []

    def _on_break_start(self, at: dt.datetime, username: str) -> list[Step]:
        agent = self.agents[username]
        if not agent.on_shift:
            return []
        agent.on_break = True
        if agent.call:
            agent.leaving = "pause"
            return []
        if agent.status == "ready":
            return [self._event(at, "agent_status", agent=username, status="pause", pause_reason="break")]
        return []

    def _on_break_end(self, at: dt.datetime, username: str) -> list[Step]:
        agent = self.agents[username]
        agent.on_break = False
        if agent.leaving == "pause":
            agent.leaving = ""  # the call outlasted the break
        if agent.on_shift and agent.status == "pause":
            return [self._event(at, "agent_status", agent=username, status="ready")]
        return []

    def _on_leave_if_idle(self, at: dt.datetime, username: str) -> list[Step]:
        agent = self.agents[username]
        if agent.status == "ready" and not agent.call and not agent.on_shift:
            return [self._event(at, "agent_status", agent=username, status="offline")]
        return []

    def _someone_waits(self) -> bool:
        return bool(self._queued)

    def _set_state(self, call: _Call, state: str) -> None:
        call.state = state
        if state == "queued":
            self._queued.add(call.spec.call_id)
        else:
            self._queued.discard(call.spec.call_id)

    # -- replies --------------------------------------------------------------------------------------------

    def on_reply(self, step: PostEvent, status: int, body: dict[str, Any]) -> None:
        """Read the platform's reply to `step` and schedule what follows."""
        payload = step.payload
        kind, at = payload["type"], step.at
        if body.get("duplicate"):
            self.stats.duplicates += 1
        if status != 200:
            self.stats.anomalies.append(f"{kind} {payload.get('call_id') or payload.get('agent')}: {status} {body}")
            return
        if kind == "agent_status":
            self._agent_reply(payload["agent"], payload["status"], at, body)
            return
        call = self.calls[payload["call_id"]]
        state = body.get("state", "")
        if call.person and kind != "call_offered":
            self._person_reply(call, kind, state, at)
            return
        if kind == "call_abandoned" and state == "answered":
            # A person who went ready on the desk got this queued call and answered it before the citizen's
            # patience ran out: the citizen talks with them instead.
            call.person = True
            self.stats.person_calls += 1
            self._person_answered(call, at)
            return
        if kind == "call_offered":
            self._offer_reply(call, at, body)
        elif kind == "call_answered":
            self._expect(call, state, "answered", kind)
            self._set_state(call, "answered")
            call.answered_at = at
            self.stats.answered += 1
            waited = (at - call.spec.offered_at).total_seconds()
            self.stats.answered_within_target += int(waited <= self.service_level_seconds)
            self._push(at + dt.timedelta(seconds=call.spec.handle_seconds), "end", call.spec.call_id)
        elif kind in ("call_ended", "call_transferred"):
            self._expect(call, state, "transferred" if kind == "call_transferred" else "ended", kind)
            self._set_state(call, state)
            self.stats.transferred += int(kind == "call_transferred")
            agent = self.agents.get(call.agent)
            if agent is not None and agent.call == call.spec.call_id:
                agent.status = "wrap_up"
                self._push(at + dt.timedelta(seconds=call.spec.wrap_up_seconds), "wrap_done", agent.username)
            if call.spec.rating:
                self._push(at + dt.timedelta(seconds=self.rng.uniform(15, 60)), "rate", call.spec.call_id)
        elif kind == "call_abandoned":
            self._expect(call, state, "abandoned", kind)
            self._set_state(call, "abandoned")
            self.stats.abandoned += 1
        elif kind == "callback_requested":
            call.callback = True
            self.stats.callbacks += 1
        elif kind == "satisfaction" and call.spec.rating:
            self.stats.ratings += 1
            self.stats.ratings_total += call.spec.rating

    def on_assignments(self, step: PollAssignments, assigned: set[str]) -> None:
        """The contact centre's list of assigned, unanswered calls, for a call given to a person."""
        call = self.calls[step.call_id]
        if call.state != "assigned" or not call.person:
            return
        if step.call_id in assigned:
            self._push(step.at, "person_gives_up", step.call_id)  # still ringing: the citizen hangs up
        else:
            self._person_answered(call, step.at)

    def _person_answered(self, call: _Call, at: dt.datetime) -> None:
        self._set_state(call, "answered")
        call.answered_at = at
        self.stats.person_answered += 1
        self._push(at + dt.timedelta(seconds=call.spec.handle_seconds), "end", call.spec.call_id)

    def _person_reply(self, call: _Call, kind: str, state: str, at: dt.datetime) -> None:
        """Replies about a person's call: whatever the person did on the desk (answer, transfer) stands."""
        if kind == "call_abandoned" and state == "answered":
            self._person_answered(call, at)  # answered between the poll and the citizen hanging up
            return
        if state in ("answered", "ended", "transferred", "abandoned"):
            self._set_state(call, state)
        if kind in ("call_ended", "call_transferred") and call.spec.rating:
            self._push(at + dt.timedelta(seconds=self.rng.uniform(15, 60)), "rate", call.spec.call_id)

    def _expect(self, call: _Call, state: str, expected: str, kind: str) -> None:
        if state != expected:
            self.stats.anomalies.append(f"{kind} {call.spec.call_id}: state {state!r}, expected {expected!r}")

    def _offer_reply(self, call: _Call, at: dt.datetime, body: dict[str, Any]) -> None:
        state = body.get("state", "")
        call.queue = str(body.get("queue") or "")
        if state == "closed":
            self._set_state(call, "closed")
            self.stats.offered -= 1
            self.stats.closed += 1
        elif state == "assigned" and body.get("agent"):
            self._assign(call.spec.call_id, str(body["agent"]), at)
        elif state == "queued":
            self._set_state(call, "queued")
            if body.get("offer_callback") and call.spec.takes_callback:
                self._push(at + dt.timedelta(seconds=self.rng.uniform(10, 25)), "callback", call.spec.call_id)
            else:
                self._push(at + dt.timedelta(seconds=call.spec.patience_seconds), "abandon", call.spec.call_id)
            overflow = self.overflow_seconds.get(call.queue)
            if overflow is not None:
                self._push(at + dt.timedelta(seconds=overflow + 1), "overflow", call.spec.call_id)
        else:
            self.stats.anomalies.append(f"call_offered {call.spec.call_id}: unexpected reply {body}")

    def _agent_reply(self, username: str, status: str, at: dt.datetime, body: dict[str, Any]) -> None:
        agent = self.agents.setdefault(username, _Agent(username))
        if agent.call and self.calls[agent.call].state in ("ended", "transferred", "abandoned"):
            agent.call = ""
        if status == "ready" and agent.status != "ready":
            agent.ready_since = at
        agent.status = status
        if status != "ready":
            agent.ready_since = None
            agent.leaving = "" if agent.leaving == status else agent.leaving
        assigned = body.get("assigned_call_id")
        if assigned:
            self._assign(str(assigned), username, at)
        elif status == "ready" and not agent.on_shift:
            self._push(at, "leave_if_idle", username)

    def _assign(self, call_id: str, username: str, at: dt.datetime) -> None:
        if username not in self.driven:
            self._assign_to_person(call_id, username, at)
            return
        call = self.calls.get(call_id)
        if call is None:
            # A call from before this run (still queued in the contact centre): answer it like any other.
            self.stats.foreign_calls += 1
            spec = CallSpec(
                call_id, at, 0, "citizen_service", "", "", "digital-help", "", True, self.rng.uniform(3, 9),
                lognormal(self.rng, 270, 0.6), 45.0, 600.0, False, None,
            )  # fmt: skip
            call = self.calls[call_id] = _Call(spec)
        agent = self.agents.setdefault(username, _Agent(username))
        if agent.call and agent.call != call_id:
            self.stats.anomalies.append(f"{username} got {call_id} while holding {agent.call}")
        if call.state == "assigned" and call.agent == username:
            return  # the same offer reported again
        if call.state not in ("new", "queued"):
            self.stats.anomalies.append(f"{call_id} assigned to {username} in state {call.state}")
        self._set_state(call, "assigned")
        call.agent = username
        agent.status, agent.call, agent.ready_since = "busy", call_id, None
        self._push(at + dt.timedelta(seconds=call.spec.ring_seconds), "answer", call_id)

    def _assign_to_person(self, call_id: str, username: str, at: dt.datetime) -> None:
        """Someone the simulator does not drive got the call: it rings on their desk; the citizen waits a minute."""
        call = self.calls.get(call_id)
        if call is None or (call.state == "assigned" and call.agent == username):
            return  # not this run's call, or the same offer reported again
        self._set_state(call, "assigned")
        call.agent, call.person = username, True
        self.stats.person_calls += 1
        self._push(at + dt.timedelta(seconds=PERSON_ANSWER_SECONDS), "person_check", call_id)


def summarise(stats: SimulationStats) -> dict[str, Any]:
    return {
        "offered": stats.offered,
        "answered": stats.answered,
        "abandoned": stats.abandoned,
        "closed": stats.closed,
        "transferred": stats.transferred,
        "callbacks": stats.callbacks,
        "service_level": None if stats.service_level is None else round(stats.service_level, 4),
        "resolved_at_once_share": None if stats.resolved_share is None else round(stats.resolved_share, 4),
        "satisfaction": None if stats.satisfaction is None else round(stats.satisfaction, 2),
        "events": stats.events,
        "anomalies": len(stats.anomalies),
    }


def hourly_counts(moments: Iterable[dt.datetime]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for moment in moments:
        hour = moment.astimezone(LOCAL).hour
        counts[hour] = counts.get(hour, 0) + 1
    return counts
