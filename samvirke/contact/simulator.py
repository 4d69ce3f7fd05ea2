"""The traffic simulator's runner (`samvirke simulate-traffic`): it plans the traffic (pure, lib/traffic.py), feeds the
scheduler's telephony events to the contact centre, hands the replies back, and stands in for the driven agents'
registrations on the desk. The command parses the options and prints; everything it writes goes through actions.

The events reach the contact centre
- in-process (default) through the same actions the telephony API calls for each event, after the API's own parse
  and event window (the signature check is the API's job, and tested there): every event is applied exactly as a
  signed POST to `/api/telephony/events` would apply it, and the reply is the JSON the API would send;
- over HTTP with `url` (a running server; one keep-alive connection), signed with TELEPHONY_SECRET exactly as the
  telephony platform signs them.

Historic mode (default) simulates the working days as fast as possible with timestamps in simulated time, to fill
the wallboard and the reports; realtime sleeps between events (`speed` × faster), so the desk and the wallboard come
alive.

The simulator drives agents of its own: the simulated agents seed-demo makes (Person.is_simulated, sim-holbaek-1
…; `agents`: the first N, one of each member first), which can never log in. A person's login is driven only when
named (`named_agents`). The driven agents' presence is sent as agent_status events following an Erlang C roster. A
call the contact centre gives to someone the simulator does not drive (a person who is ready on the desk) is that
person's: the simulator plays only the telephone and the citizen, who hangs up if the call is not answered within a
minute and otherwise when the conversation is over; it never sends the person's status or registers the call for
them. The agents' registrations (topic, straksafklaret ~61 %, a note) stand in for their clicks on the desk:
in-process they go through `do_register_contact`; over HTTP there is no desk session, so calls stay unregistered and
the agents leave wrap-up with agent_status ready. Chatbot conversations (~92,000 for 266,000 calls) are written as
ChatbotConversation rows to this process's database (over HTTP: make sure it is the server's).
"""

from __future__ import annotations

import abc
import datetime as dt
import http.client
import json
import secrets
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Sum
from django.utils import timezone

from samvirke.assistant.actions import do_record_chatbot_conversations
from samvirke.contact import actions, selectors
from samvirke.contact.api import event_window
from samvirke.contact.lib.events import EventError, parse_event
from samvirke.contact.lib.signature import HEADER, sign
from samvirke.contact.lib.traffic import (
    ChatbotSpec,
    Member,
    PollAssignments,
    PostEvent,
    Register,
    Scheduler,
    Topic,
    TrafficPlan,
    default_calls_per_year,
    plan_traffic,
    trim_plan,
)
from samvirke.contact.models import TOPIC_FORWARD_TARGETS, AgentState, Contact, Queue, Skill
from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.opening import parse_opening_hours
from samvirke.directory.models import HotlineNumber, Line, LineNumber, Municipality, Person, Role
from samvirke.knowledge import content
from samvirke.training.models import Qualification

EVENTS_PATH = "/api/telephony/events"
ASSIGNMENTS_PATH = "/api/telephony/assignments"
HEALTH_SKILL = "health_apps"


class SimulationError(Exception):
    """The simulation cannot run as asked; the message is Danish and shown to the user."""


class Transport(abc.ABC):
    """Delivers one telephony event and returns (status, JSON body), as the API answers it."""

    @abc.abstractmethod
    def post(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]: ...

    @abc.abstractmethod
    def assigned_calls(self) -> set[str]:
        """The call ids the contact centre has assigned and that are not yet answered."""

    def close(self) -> None:
        return None


def _as_json(value: Any) -> Any:
    """What the API's JsonResponse would carry: the same encoder, read back."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class InProcessTransport(Transport):
    """The contact centre in this process: the API's parse and event window, then its action (process_event)."""

    def post(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        payload = _as_json(payload)  # as the API reads its body
        try:
            event = parse_event(payload, event_window(timezone.now()))
        except EventError as exc:
            return 400, {"detail": str(exc)}
        result = actions.process_event(event, payload)
        return result.status, _as_json(result.body)

    def assigned_calls(self) -> set[str]:
        return _call_ids(200, _as_json(selectors.phone_calls_awaiting_answer()))


class HttpTransport(Transport):
    """One keep-alive connection to a running Samvirke (http.client: no extra dependency), signed requests."""

    def __init__(self, secret: str, url: str) -> None:
        self.secret = secret
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SimulationError(f"--url skal være en http(s)-adresse, fx http://127.0.0.1:8000 (fik {url!r}).")
        self.scheme, self.netloc = parts.scheme, parts.netloc
        self.path = parts.path.rstrip("/") + EVENTS_PATH
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        factory = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return factory(self.netloc, timeout=30)

    def _request(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body, headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                # The server closed the keep-alive connection: reconnect once. The event id makes a resend safe.
                self.connection.close()
                self.connection = self._connect()
                if attempt == 2:
                    raise SimulationError(f"Kunne ikke sende hændelsen til {self.netloc}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def post(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", HEADER: sign(body, self.secret)}
        status, data = self._request("POST", self.path, body, headers)
        try:
            return status, json.loads(data or b"{}")
        except json.JSONDecodeError:
            return status, {"detail": data[:200].decode(errors="replace")}

    def assigned_calls(self) -> set[str]:
        path = self.path.removesuffix(EVENTS_PATH) + ASSIGNMENTS_PATH
        status, data = self._request("GET", path, None, {HEADER: sign(path.encode(), self.secret)})
        try:
            return _call_ids(status, json.loads(data or b"[]"))
        except json.JSONDecodeError:
            return set()

    def close(self) -> None:
        self.connection.close()


def _call_ids(status: int, body: Any) -> set[str]:
    if status != 200 or not isinstance(body, list):
        return set()
    return {str(item.get("call_id")) for item in body if isinstance(item, dict)}


@dataclass(frozen=True)
class SimulationOptions:
    """What to simulate: `first_day`, and `since` to start from a moment of it (a live run from now)."""

    first_day: dt.date
    since: dt.datetime | None
    days: int
    seed: int
    secret: str
    realtime: bool = False
    speed: float = 1.0
    calls_per_year: float | None = None
    agents: int | None = None
    named_agents: list[str] = field(default_factory=list)
    url: str | None = None
    prefix: str | None = None


@dataclass(frozen=True)
class SimulationResult:
    scheduler: Scheduler
    chatbots: int
    seconds: float


class Simulation:
    """A planned run: the members, the agents it drives, the plan and its scheduler. `say` and `warn` take the
    lines the command prints on the way (notes; refused registrations)."""

    def __init__(self, options: SimulationOptions, say: Callable[[str], None], warn: Callable[[str], None]) -> None:
        self.options, self.say, self.warn = options, say, warn
        self.transport: Transport = HttpTransport(options.secret, options.url) if options.url else InProcessTransport()
        members = _members()
        self.agents = self._agents(options.agents, options.named_agents, members)
        self.people = {person.username: person for person in self.agents}
        calls_per_year = options.calls_per_year
        if calls_per_year is None:
            total = Municipality.objects.filter(code__in=[m.code for m in members]).aggregate(s=Sum("population"))
            calls_per_year = default_calls_per_year(total["s"] or 0)
        self.calls_per_year = calls_per_year
        topics = [
            Topic(
                record.topic_id,
                health_app=record.category == "Sundhedsapps",
                forward_to=TOPIC_FORWARD_TARGETS.get(record.handled_by.removeprefix("forward:"), ""),
            )
            for record in content.read_topics()
        ]
        queues = {queue.line: queue for queue in Queue.objects.all()}
        hotline = queues.get(Line.CITIZEN_SERVICE) or Queue.objects.filter(is_default=True).first()
        if hotline is None:
            raise SimulationError("Der er ingen kø til hotlinen. Kør migreringerne: samvirke migrate")
        health = queues.get(Line.HEALTH_APPS)
        self.prefix = options.prefix or f"sim-{secrets.token_hex(3)}"
        plan = plan_traffic(
            start=options.first_day,
            days=options.days,
            calls_per_year=calls_per_year,
            members=members,
            topics=topics,
            agents=[person.username for person in self.agents],
            seed=options.seed,
            prefix=self.prefix,
            hours=parse_opening_hours(hotline.opening_hours),
            health_hours=parse_opening_hours(health.opening_hours) if health else None,
        )
        if options.since is not None:
            plan = trim_plan(plan, options.since)
        if not options.realtime:  # live, every event is stamped by the wall clock (see _run)
            _check_window(plan.days)
        self.plan: TrafficPlan = plan
        self._train_health_agents()
        self._note_untrained_agents(plan.days[0] if plan.days else timezone.localdate())
        self.scheduler = Scheduler(
            plan,
            seed=options.seed,
            prefix=self.prefix,
            overflow_seconds={
                q.slug: float(q.overflow_after_seconds) for q in queues.values() if q.overflow_after_seconds
            },
            service_level_seconds=hotline.service_level_seconds,
            driven=self.people,
        )

    # -- preparing ---------------------------------------------------------------------------------------------

    def _agents(self, wanted: int | None, named: list[str], members: list[Member]) -> list[Person]:
        """The agents this run drives: the simulated agents of the members, or exactly the people named."""
        if named:
            return self._named_agents(named)
        people = list(
            Person.objects.filter(
                role=Role.AGENT, is_simulated=True, municipality__code__in=[m.code for m in members]
            ).select_related("municipality")
        )
        if not people:
            raise SimulationError(
                "Der er ingen simulerede agenter. Kør først: samvirke seed-demo (eller nævn en agent med --agent)."
            )
        # One agent of each member first (sim-holbaek-1, sim-greve-1, …), then the second of each, ….
        people.sort(key=lambda p: (p.username.rsplit("-", 1)[-1], p.username))
        if wanted is not None:
            if wanted > len(people):
                raise SimulationError(f"--agents {wanted}: der er kun {len(people)} simulerede agenter.")
            people = people[:wanted]
        return people

    def _named_agents(self, named: list[str]) -> list[Person]:
        usernames = list(dict.fromkeys(named))
        found = {
            p.username: p
            for p in Person.objects.filter(username__in=usernames, role=Role.AGENT).select_related("municipality")
        }
        missing = [name for name in usernames if name not in found]
        if missing:
            raise SimulationError(f"--agent: ingen agent med brugernavnet {', '.join(missing)}.")
        people = [found[name] for name in usernames]
        persons = [p.username for p in people if not p.is_simulated]
        if persons:
            self.say(
                f"Bemærk: simulatoren styrer {', '.join(persons)} – status, opkald og registreringer sættes for "
                "personen, også hvis den er logget ind på skrivebordet."
            )
        return people

    def _note_untrained_agents(self, first_day: dt.date) -> None:
        """Routing hands contacts only to agents trained for the line (training app): say which driven agents are not
        trained for the hotline on the run's first day, rather than leave their calls waiting unexplained. Training
        records are never made up here: the coordinators enter them (seed-demo trains the demo's agents)."""
        if not settings.ROUTING_REQUIRES_TRAINING:
            return
        trained = set(
            Qualification.objects.filter(
                person__in=self.agents, line=Line.CITIZEN_SERVICE, since__lte=first_day
            ).values_list("person_id", flat=True)
        )
        untrained = [p.username for p in self.agents if p.pk not in trained]
        if untrained:
            self.say(
                f"Bemærk: {len(untrained)} af de {len(self.agents)} agenter er ikke uddannet til hotlinen "
                f"({', '.join(untrained[:5])}{' …' if len(untrained) > 5 else ''}) og får ingen opkald. "
                "Registrér deres uddannelse på /uddannelse/ (eller kør samvirke seed-demo)."
            )

    def _train_health_agents(self) -> None:
        """The health-app line needs the skill; if none of the driven agents has it, the first agent of each member
        gets it (else every health-app call would wait for the overflow)."""
        skill = Skill.objects.filter(slug=HEALTH_SKILL).first()
        if skill is None or AgentState.objects.filter(skills=skill, person__in=self.agents).exists():
            return
        now = timezone.now()
        trained = [p for p in self.agents if p.username.endswith("-1")] or self.agents[:1]
        for person in trained:
            actions.do_add_agent_skill(person, skill, now)
        self.say(f"{len(trained)} agenter har fået kompetencen «{skill.name}» (ingen havde den).")

    # -- the run -----------------------------------------------------------------------------------------------

    def run(self) -> SimulationResult:
        started = time.monotonic()
        try:
            chatbots_written = self._run()
        finally:
            self.transport.close()
        return SimulationResult(self.scheduler, chatbots_written, time.monotonic() - started)

    def _run(self) -> int:
        scheduler, chatbots = self.scheduler, self.plan.chatbots
        realtime, speed = self.options.realtime, self.options.speed
        in_process = not self.options.url
        municipalities = {m.code: m for m in Municipality.objects.filter(code__in={c.member_code for c in chatbots})}
        chat_index, written = 0, 0
        wall_origin: float | None = None
        sim_origin: dt.datetime | None = None
        clock_origin: dt.datetime | None = None
        while (step := scheduler.next_step()) is not None:
            if realtime:
                if wall_origin is None or sim_origin is None:
                    wall_origin, sim_origin, clock_origin = time.monotonic(), step.at, timezone.now()
                delay = wall_origin + (step.at - sim_origin).total_seconds() / speed - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            # Chatbot conversations up to now: live they appear as time passes, historic in batches.
            if chat_index < len(chatbots) and (realtime or chatbots[chat_index].started_at.date() < step.at.date()):
                upto = chat_index
                while upto < len(chatbots) and chatbots[upto].started_at <= step.at:
                    upto += 1
                written += _write_chatbots(chatbots[chat_index:upto], municipalities)
                chat_index = upto
            # Live, the contact centre sees one clock: the wall clock from the moment the run started, the simulated
            # day compressed by the speed after it (a --start in the morning plays the morning's traffic now). People
            # on the desk answer by the wall clock; stamping the simulator's events in simulated time (×speed ahead
            # of it, or hours behind it) would end calls before they were answered.
            moment = step.at
            if sim_origin is not None and clock_origin is not None:
                moment = clock_origin + (step.at - sim_origin) / speed
            if isinstance(step, PostEvent):
                payload = step.payload if moment == step.at else {**step.payload, "occurred_at": moment.isoformat()}
                status, body = self.transport.post(payload)
                scheduler.on_reply(step, status, body)
            elif isinstance(step, PollAssignments):
                scheduler.on_assignments(step, self.transport.assigned_calls())
            elif in_process:
                self._register(step, moment)
        written += _write_chatbots(chatbots[chat_index:], municipalities)
        return written

    def _register(self, step: Register, moment: dt.datetime) -> None:
        """Stands in for the agent's registration on the desk (in-process only; never for a person not driven)."""
        person = self.people.get(step.agent)
        contact = Contact.objects.filter(external_id=step.call_id).only("pk").first()
        if person is None or contact is None:
            return
        registration = actions.Registration(step.topic_id, step.resolved_at_once, step.forwarded_to, step.note)
        try:
            actions.do_register_contact(person, contact.pk, registration, moment)
        except actions.ContactError as exc:
            self.warn(f"Registrering af {step.call_id} afvist: {exc}")


def _members() -> list[Member]:
    numbers: dict[int, dict[str, str]] = defaultdict(dict)
    population: dict[int, int] = {}
    region_of: dict[int, int] = {}
    for number in HotlineNumber.objects.select_related("membership__municipality"):
        municipality = number.membership.municipality
        numbers[municipality.code][number.line] = number.number
        population[municipality.code] = municipality.population
        region_of[municipality.code] = municipality.region_id
    regional: dict[int, dict[str, str]] = defaultdict(dict)
    for line_number in LineNumber.objects.all():
        regional[line_number.region_id][line_number.line] = line_number.number
    members = []
    for code in sorted(numbers):
        if Line.CITIZEN_SERVICE not in numbers[code]:
            continue
        # A member's own number for a line wins over the region's.
        shared = {line: n for line, n in regional[region_of[code]].items() if line not in numbers[code]}
        members.append(Member(code, population[code], {**numbers[code], **shared}, frozenset(shared)))
    if not members:
        raise SimulationError("Ingen medlemmer med et hotline-nummer. Kør først: samvirke seed-demo")
    return members


def _check_window(days: list[dt.date]) -> None:
    """The API refuses events outside a window around now (settings.TELEPHONY_EVENT_MAX_AGE/_AHEAD): say so before
    sending a single one, rather than meet a 400 for every event."""
    if not days:
        return
    window = event_window(timezone.now())
    first = dt.datetime.combine(days[0], dt.time(0), tzinfo=LOCAL)
    last = dt.datetime.combine(days[-1], dt.time(23, 59), tzinfo=LOCAL)
    if first < window.earliest or last > window.latest:
        raise SimulationError(
            f"Dagene {days[0]:%d.%m.%Y}–{days[-1]:%d.%m.%Y} ligger uden for det tidsrum, telefoni-API'et tager "
            f"imod hændelser fra ({window.earliest:%d.%m.%Y %H:%M}–{window.latest:%d.%m.%Y %H:%M}; "
            "indstillingerne TELEPHONY_EVENT_MAX_AGE_DAYS og TELEPHONY_EVENT_MAX_AHEAD_HOURS). "
            "Vælg en nyere --start eller færre --days."
        )


def _write_chatbots(chatbots: list[ChatbotSpec], municipalities: dict[int, Municipality]) -> int:
    return do_record_chatbot_conversations(
        (municipalities.get(chat.member_code), chat.started_at, chat.questions) for chat in chatbots
    )
