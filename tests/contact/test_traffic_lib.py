"""The pure traffic model: deterministic for a seed, the right shape, Poisson volumes, opening hours kept."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from typing import Any

from samvirke.contact.lib.traffic import (
    PERSON_ANSWER_SECONDS,
    ArrivalProfile,
    Member,
    PollAssignments,
    PostEvent,
    Register,
    Scheduler,
    Topic,
    erlang_c_agents,
    health_line_hours,
    hotline_hours,
    lognormal,
    mean_rating,
    plan_traffic,
    trim_plan,
    working_days,
)
from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.hours import OpeningHours, is_open

MONDAY = dt.date(2026, 11, 23)
MEMBERS = [
    Member(316, 90_000, {"citizen_service": "70200316", "health_apps": "70210316"}),
    Member(253, 50_000, {"citizen_service": "70200253"}),
]
TOPICS = [
    Topic("mitid-get"),
    Topic("digital-post-read"),
    Topic("min-sundhed-app", health_app=True),
    Topic("school-aula", forward_to="citizen_municipality"),
]
AGENTS = [f"agent-{i}" for i in range(12)]


def plan(**overrides: Any) -> Any:
    arguments: dict[str, Any] = dict(
        start=MONDAY, days=5, calls_per_year=40_000, members=MEMBERS, topics=TOPICS, agents=AGENTS, seed=7
    )
    arguments.update(overrides)
    return plan_traffic(**arguments)


def test_the_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    first, second, other = plan(), plan(), plan(seed=8)
    assert first.calls == second.calls and first.shifts == second.shifts and first.chatbots == second.chatbots
    assert first.calls != other.calls


def test_adding_days_does_not_change_the_first_days() -> None:
    short, long = plan(days=2), plan(days=4)
    assert [c.offered_at for c in short.calls] == [c.offered_at for c in long.calls][: len(short.calls)]


def test_profile_monday_busiest_morning_peak_quiet_evening() -> None:
    profile = ArrivalProfile(266_000)
    days = [MONDAY + dt.timedelta(days=i) for i in range(7)]
    per_day = [profile.calls_per_day(day) for day in days]
    assert per_day[0] == max(per_day) and per_day[5] == per_day[6] == 0
    assert sum(per_day) == 266_000 / 250 * 5  # a year of 250 working days gives the calls per year
    hourly = [profile.hourly_rate(MONDAY, hour) for hour in range(24)]
    assert max(hourly) in (hourly[9], hourly[10])
    assert hourly[10] > 3 * hourly[17] > 0
    assert sum(hourly[:8]) == sum(hourly[20:]) == 0
    assert abs(sum(hourly) - per_day[0]) < 1e-6


def test_poisson_arrivals_have_the_expected_mean() -> None:
    profile = ArrivalProfile(50_000)
    expected = profile.calls_per_day(MONDAY)
    counts = [len(profile.arrivals(MONDAY, random.Random(seed))) for seed in range(60)]
    mean = statistics.mean(counts)
    # The mean of 60 Poisson draws has a standard error of sqrt(expected / 60); allow four of them.
    assert abs(mean - expected) < 4 * (expected / 60) ** 0.5
    assert statistics.variance(counts) < 2 * expected  # Poisson: variance ≈ mean


def test_no_arrivals_outside_opening_hours_or_on_holidays() -> None:
    christmas_week = plan(start=dt.date(2026, 12, 21), days=5)
    hours = hotline_hours()
    assert christmas_week.calls
    assert all(is_open(hours, call.offered_at) for call in christmas_week.calls)
    assert dt.date(2026, 12, 24) not in christmas_week.days and dt.date(2026, 12, 25) not in christmas_week.days
    assert all(8 <= call.offered_at.astimezone(LOCAL).hour < 20 for call in christmas_week.calls)
    assert working_days(dt.date(2026, 11, 28), 1, ArrivalProfile(1)) == [dt.date(2026, 11, 30)]  # Saturday → Monday


def test_health_line_only_while_it_is_open_and_for_members_with_the_number() -> None:
    short_hours = OpeningHours({day: [(dt.time(9, 0), dt.time(15, 0))] for day in range(5)})
    calls = plan(health_hours=short_hours).calls
    health = [c for c in calls if c.line == "health_apps"]
    assert health and all(9 <= c.offered_at.hour < 15 and c.member_code == 316 for c in health)
    assert all(c.topic_id == "min-sundhed-app" for c in health)
    # Its default is 60 hours a week, like the hotline (seed 001).
    assert health_line_hours().hours_per_week() == 60
    default = [c for c in plan().calls if c.line == "health_apps"]
    assert any(c.offered_at.hour < 9 or c.offered_at.hour >= 15 for c in default)


def test_a_call_to_a_regional_number_carries_the_members_municipality_from_the_menu() -> None:
    members = [
        Member(316, 90_000, {"citizen_service": "70200316", "health_apps": "70210000"}, frozenset({"health_apps"})),
        Member(253, 50_000, {"citizen_service": "70200253", "health_apps": "70210000"}, frozenset({"health_apps"})),
    ]
    calls = plan(members=members).calls
    health = [c for c in calls if c.line == "health_apps"]
    assert {c.member_code for c in health} == {316, 253}
    assert all(c.called_number == "70210000" and c.ivr_municipality_code == c.member_code for c in health)
    assert all(c.ivr_municipality_code is None for c in calls if c.line == "citizen_service")


def test_topic_mix_handle_times_and_resolution() -> None:
    calls = plan(days=20).calls
    share = {t.topic_id: sum(c.topic_id == t.topic_id for c in calls) / len(calls) for t in TOPICS}
    assert share["mitid-get"] > share["digital-post-read"] > share["school-aula"]
    handle = statistics.mean(c.handle_seconds for c in calls)
    assert 240 <= handle <= 300  # mean ~4.5 minutes
    resolved = sum(c.resolved_at_once for c in calls) / len(calls)
    assert abs(resolved - 0.61) < 0.04
    assert not any(c.resolved_at_once for c in calls if c.forward_to)
    rng = random.Random(1)
    assert abs(statistics.mean(lognormal(rng, 100, 0.6) for _ in range(20_000)) - 100) < 3
    assert 7.8 <= mean_rating() <= 8.0


def test_chatbot_conversations_in_ratio_and_around_the_clock() -> None:
    result = plan(days=20)
    ratio = len(result.chatbots) / len(result.calls)
    assert abs(ratio - 92 / 266) < 0.05
    assert {chat.started_at.hour for chat in result.chatbots} >= {0, 6, 21, 23}  # nights too


def test_erlang_c_staffing() -> None:
    assert erlang_c_agents(0, 300) == 0
    assert erlang_c_agents(1, 300) == 1
    # 30 calls an hour of 5 minutes: 2.5 Erlang. Four agents answer 76 % within 60 s, five 90 %.
    assert erlang_c_agents(30, 300) == 5
    assert erlang_c_agents(30, 300, target_level=0.75) == 4
    assert 25 < erlang_c_agents(300, 300) < 32  # 25 Erlang: pooling needs relatively fewer extra agents


def test_shifts_follow_the_staffing_and_stay_in_opening_hours() -> None:
    result = plan(days=1)
    staffing = result.staffing[MONDAY.isoformat()]
    for hour in range(24):
        moment = dt.datetime.combine(MONDAY, dt.time(hour, 30), tzinfo=LOCAL)
        on = {s.agent for s in result.shifts if s.start <= moment < s.end}
        assert len(on) == staffing[hour]
    assert all((s.end - s.start) <= dt.timedelta(hours=8) for s in result.shifts)


def test_trim_plan_starts_in_the_middle_of_a_day() -> None:
    since = dt.datetime.combine(MONDAY, dt.time(13, 0), tzinfo=LOCAL)
    trimmed = trim_plan(plan(days=1), since)
    assert trimmed.calls and all(c.offered_at >= since for c in trimmed.calls)
    assert all(s.start >= since for s in trimmed.shifts)


class FakeCentre:
    """A tiny stand-in for the contact centre: longest-idle ready agent, first come first served."""

    def __init__(self) -> None:
        self.ready: dict[str, dt.datetime] = {}
        self.holding: dict[str, str] = {}
        self.queue: list[str] = []
        self.state: dict[str, str] = {}

    def take_agent(self) -> str | None:
        if not self.ready:
            return None
        agent = min(self.ready, key=lambda a: (self.ready[a], a))
        del self.ready[agent]
        return agent

    def reply(self, payload: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
        kind, call = payload["type"], payload.get("call_id", "")
        if kind == "call_offered":
            agent = self.take_agent()
            if agent:
                self.state[call], self.holding[agent] = "assigned", call
                return {"state": "assigned", "agent": agent, "queue": "hotline"}
            self.state[call] = "queued"
            self.queue.append(call)
            return {"state": "queued", "agent": None, "queue": "hotline", "offer_callback": False}
        if kind == "agent_status":
            agent = payload["agent"]
            held = self.holding.get(agent)
            if held and self.state[held] == "assigned":
                return {"assigned_call_id": held}
            self.holding.pop(agent, None)
            self.ready.pop(agent, None)
            if payload["status"] != "ready":
                return {"assigned_call_id": None}
            if self.queue:
                call = self.queue.pop(0)
                self.state[call], self.holding[agent] = "assigned", call
                return {"assigned_call_id": call}
            self.ready[agent] = at
            return {"assigned_call_id": None}
        new = {"call_answered": "answered", "call_ended": "ended", "call_transferred": "transferred",
               "call_abandoned": "abandoned"}.get(kind)  # fmt: skip
        if new:
            if kind == "call_abandoned":
                self.queue.remove(call)
            self.state[call] = new
        return {"state": self.state.get(call, "")}


def run(seed: int) -> tuple[list[dict[str, Any]], Scheduler]:
    result = plan(days=1, seed=seed, calls_per_year=20_000, agents=AGENTS[:3])
    scheduler = Scheduler(result, seed=seed)
    centre, log = FakeCentre(), []
    last = None
    while (step := scheduler.next_step()) is not None:
        assert last is None or step.at >= last  # simulated time never runs backwards
        last = step.at
        if isinstance(step, PostEvent):
            log.append(step.payload)
            scheduler.on_reply(step, 200, centre.reply(step.payload, step.at))
        else:
            assert isinstance(step, Register)
    return log, scheduler


def test_scheduler_is_deterministic_and_every_call_finishes() -> None:
    first, scheduler = run(5)
    second, _ = run(5)
    assert first == second
    stats = scheduler.stats
    assert stats.anomalies == []
    assert stats.offered == stats.answered + stats.abandoned > 0
    assert stats.abandoned > 0  # three agents are not enough: some callers give up
    kinds = [p["type"] for p in first]
    assert kinds.count("call_ended") + kinds.count("call_transferred") == stats.answered
    assert len({p["event_id"] for p in first}) == len(first)
    # Everyone logs off at the end of the day.
    final: dict[str, str] = {}
    for payload in first:
        if payload["type"] == "agent_status":
            final[payload["agent"]] = payload["status"]
    assert set(final.values()) == {"offline"}


class CentreWithAPerson(FakeCentre):
    """The fake centre with a person ready on the desk from the start (so the first call is theirs). With
    `answers`, the person answers a call of theirs on the desk before the platform's poll asks."""

    def __init__(self, person: str, since: dt.datetime, answers: bool) -> None:
        super().__init__()
        self.person, self.answers = person, answers
        self.ready[person] = since

    def assigned(self) -> set[str]:
        calls = {call for agent, call in self.holding.items() if self.state.get(call) == "assigned"}
        if self.answers:
            held = self.holding.get(self.person)
            if held and self.state[held] == "assigned":
                self.state[held] = "answered"  # the person pressed Besvar on the desk
                calls.discard(held)
        return calls

    def reply(self, payload: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
        if payload["type"] == "call_abandoned" and self.state.get(payload["call_id"]) == "answered":
            return {"state": "answered", "ignored": True}
        if payload["type"] == "call_abandoned" and self.state.get(payload["call_id"]) == "assigned":
            self.state[payload["call_id"]] = "abandoned"
            return {"state": "abandoned"}
        return super().reply(payload, at)


def run_with_a_person(answers: bool) -> tuple[list[Any], Scheduler]:
    result = plan(days=1, seed=5, calls_per_year=20_000, agents=AGENTS[:3])
    scheduler = Scheduler(result, seed=5, driven=AGENTS[:3])
    centre = CentreWithAPerson("person", dt.datetime.combine(MONDAY, dt.time(7, 0), tzinfo=LOCAL), answers)
    steps: list[Any] = []
    while (step := scheduler.next_step()) is not None:
        steps.append(step)
        if isinstance(step, PostEvent):
            scheduler.on_reply(step, 200, centre.reply(step.payload, step.at))
        elif isinstance(step, PollAssignments):
            scheduler.on_assignments(step, centre.assigned())
    return steps, scheduler


def _persons_call(steps: list[Any]) -> str:
    return next(s.payload["call_id"] for s in steps if isinstance(s, PostEvent) and s.payload["type"] == "call_offered")


def test_a_call_given_to_a_person_rings_a_minute_and_the_citizen_hangs_up_if_they_do_not_answer() -> None:
    steps, scheduler = run_with_a_person(answers=False)
    call = _persons_call(steps)
    about_it = [
        s for s in steps if getattr(s, "call_id", None) == call or getattr(s, "payload", {}).get("call_id") == call
    ]
    kinds = [type(s).__name__ if not isinstance(s, PostEvent) else s.payload["type"] for s in about_it]
    assert kinds == ["call_offered", "PollAssignments", "call_abandoned"]
    assert (about_it[2].at - about_it[0].at).total_seconds() == PERSON_ANSWER_SECONDS
    assert scheduler.stats.person_calls >= 1 and scheduler.stats.anomalies == []


def test_a_person_who_answers_on_the_desk_keeps_the_call_and_the_simulator_only_ends_it_as_the_citizen() -> None:
    steps, scheduler = run_with_a_person(answers=True)
    call = _persons_call(steps)
    posted = [s.payload for s in steps if isinstance(s, PostEvent)]
    about_it = [p["type"] for p in posted if p.get("call_id") == call]
    assert "call_answered" not in about_it  # the person answered on the desk, not the simulator
    assert about_it[0] == "call_offered" and about_it[-1] in ("call_ended", "satisfaction")
    assert "call_ended" in about_it
    # Nothing in the person's name: no status, no registration.
    assert not [p for p in posted if p.get("agent") == "person"]
    assert not [s for s in steps if isinstance(s, Register) and s.agent == "person"]
    assert scheduler.stats.person_answered >= 1 and scheduler.stats.anomalies == []
