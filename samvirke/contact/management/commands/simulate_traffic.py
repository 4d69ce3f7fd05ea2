"""samvirke simulate-traffic — realistic calls through the real telephony API, for demos and reports.

The traffic model and the scheduler are in samvirke/contact/lib/traffic.py. This command feeds the scheduler's
events to `POST /api/telephony/events`, signed with TELEPHONY_SECRET exactly as the telephony platform signs
them, and hands the replies back:
- in-process (default): django.test.Client against the real URL (middleware, signature check, routing);
- over HTTP with `--url http://127.0.0.1:8000` (a running server; one keep-alive connection).

Historic mode (default) simulates `--days` working days as fast as possible with timestamps in simulated time,
to fill the wallboard and the reports; `--realtime --speed X` sleeps between events, so the desk and the
wallboard come alive.

The simulator drives agents of its own: the simulated agents seed-demo makes (Person.is_simulated, sim-holbaek-1
…; `--agents N`: the first N, one of each member first), which can never log in. A person's login is driven only
when named with `--agent USERNAME` (repeatable). The driven agents' presence is sent as agent_status events
following an Erlang C roster. A call the contact centre gives to someone the simulator does not drive (a person
who is ready on the desk) is that person's: the simulator plays only the telephone and the citizen, who hangs
up if the call is not answered within a minute and otherwise when the conversation is over; it never sends the
person's status or registers the call for them. The agents' registrations (topic,
straksafklaret ~61 %, a note) stand in for their clicks on the desk: in-process they call
`actions.do_register_contact` directly; over HTTP there is no desk session, so calls stay unregistered and the
agents leave wrap-up with agent_status ready. Chatbot conversations (~92,000 for 266,000 calls) are written as
ChatbotConversation rows to this command's database (over HTTP: make sure it is the server's).

The default volume is Den Digitale Hotline's 266,000 calls a year scaled by the members' share of Denmark's
~6.0 million people (the demo's 17 Region Sjælland municipalities: ~37,000 calls a year, ~150 a working day).
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
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from samvirke.assistant.models import ChatbotConversation
from samvirke.contact import actions
from samvirke.contact.api import event_window
from samvirke.contact.lib.signature import HEADER, sign
from samvirke.contact.lib.traffic import (
    LOCAL,
    ChatbotSpec,
    Member,
    PollAssignments,
    PostEvent,
    Register,
    Scheduler,
    Topic,
    default_calls_per_year,
    plan_traffic,
    trim_plan,
)
from samvirke.contact.models import TOPIC_FORWARD_TARGETS, AgentState, Contact, Queue, Skill
from samvirke.core.lib.opening import parse_opening_hours
from samvirke.directory.models import HotlineNumber, Line, Municipality, Person, Role
from samvirke.directory.templatetags.humanize_da import percent_da
from samvirke.knowledge import content

EVENTS_PATH = "/api/telephony/events"
ASSIGNMENTS_PATH = "/api/telephony/assignments"
HEALTH_SKILL = "health_apps"
MAX_DAYS = 260


def _percent(value: float | None) -> str:
    return "–" if value is None else percent_da(value)


class Transport(abc.ABC):
    """Posts one signed event and returns (status, JSON body)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    @abc.abstractmethod
    def post(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]: ...

    @abc.abstractmethod
    def assigned_calls(self) -> set[str]:
        """The call ids the contact centre has assigned and that are not yet answered (signed over the path)."""

    def close(self) -> None:
        return None


class InProcessTransport(Transport):
    def __init__(self, secret: str) -> None:
        super().__init__(secret)
        hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"]
        host = "testserver" if "*" in settings.ALLOWED_HOSTS or not hosts else hosts[0]
        if "testserver" in settings.ALLOWED_HOSTS:
            host = "testserver"
        self.client = Client(SERVER_NAME=host, HTTP_HOST=host)

    def post(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = json.dumps(payload).encode()
        response = self.client.post(
            EVENTS_PATH, body, content_type="application/json", headers={HEADER: sign(body, self.secret)}
        )
        return response.status_code, json.loads(response.content or b"{}")

    def assigned_calls(self) -> set[str]:
        response = self.client.get(ASSIGNMENTS_PATH, headers={HEADER: sign(ASSIGNMENTS_PATH.encode(), self.secret)})
        return _call_ids(response.status_code, json.loads(response.content or b"[]"))


class HttpTransport(Transport):
    """One keep-alive connection to a running Samvirke (http.client: no extra dependency)."""

    def __init__(self, secret: str, url: str) -> None:
        super().__init__(secret)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(f"--url skal være en http(s)-adresse, fx http://127.0.0.1:8000 (fik {url!r}).")
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
                    raise CommandError(f"Kunne ikke sende hændelsen til {self.netloc}: {exc}") from exc
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


class Command(BaseCommand):
    help = (
        "Simulerer realistisk trafik på hotlinen gennem telefoni-API'et: opkald, agenternes status, "
        "registreringer, tilfredshed og chatbotsamtaler. Historisk (hurtigt) eller i realtid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", help="Første dag (ÅÅÅÅ-MM-DD) eller tidspunkt (ISO 8601). Standard: i dag/nu")
        parser.add_argument("--days", type=int, default=1, help="Antal arbejdsdage at simulere (standard 1)")
        parser.add_argument("--realtime", action="store_true", help="Vent mellem hændelserne (live demo)")
        parser.add_argument(
            "--speed", type=float, default=None, help="Med --realtime: tidsfaktor (fx 10 = 10× hurtigere)"
        )
        parser.add_argument(
            "--calls-per-year",
            type=float,
            default=None,
            help="Opkald om året. Standard: 266.000 × medlemmernes andel af Danmarks ca. 6,0 mio. indbyggere",
        )
        parser.add_argument(
            "--agents", type=int, default=None, help="Antal simulerede agenter, der arbejder (standard: alle)"
        )
        parser.add_argument(
            "--agent",
            action="append",
            default=[],
            metavar="BRUGERNAVN",
            help="Styr denne agent i stedet for de simulerede (kan gentages). Personen bliver sat klar, på pause "
            "og logget af af simulatoren, og dens opkald registreres for den.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Frø for tilfældighederne (samme frø, samme trafik)")
        parser.add_argument(
            "--url", default=None, help="Send over HTTP til en kørende server, fx http://127.0.0.1:8000"
        )
        parser.add_argument(
            "--prefix", default=None, help="Præfiks for opkalds- og hændelses-id (standard: tilfældigt)"
        )

    # -- options ---------------------------------------------------------------------------------------------

    def _start(self, text: str | None, realtime: bool) -> tuple[dt.date, dt.datetime | None]:
        """The first day, and for a datetime (or a live run starting now) the moment to start from."""
        if text is None:
            now = timezone.now().astimezone(LOCAL)
            return now.date(), (now if realtime else None)
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text), None
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise CommandError(
                f"--start skal være en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ISO 8601), ikke {text!r}."
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LOCAL)
        moment = moment.astimezone(LOCAL)
        return moment.date(), moment

    @staticmethod
    def _check_window(days: list[dt.date]) -> None:
        """The API refuses events outside a window around now (settings.TELEPHONY_EVENT_MAX_AGE/_AHEAD): say so
        before sending a single one, rather than meet a 400 for every event."""
        if not days:
            return
        window = event_window(timezone.now())
        first = dt.datetime.combine(days[0], dt.time(0), tzinfo=LOCAL)
        last = dt.datetime.combine(days[-1], dt.time(23, 59), tzinfo=LOCAL)
        if first < window.earliest or last > window.latest:
            raise CommandError(
                f"Dagene {days[0]:%d.%m.%Y}–{days[-1]:%d.%m.%Y} ligger uden for det tidsrum, telefoni-API'et tager "
                f"imod hændelser fra ({window.earliest:%d.%m.%Y %H:%M}–{window.latest:%d.%m.%Y %H:%M}; "
                "indstillingerne TELEPHONY_EVENT_MAX_AGE_DAYS og TELEPHONY_EVENT_MAX_AHEAD_HOURS). "
                "Vælg en nyere --start eller færre --days."
            )

    def _validate(self, options: dict[str, Any]) -> None:
        if not 1 <= options["days"] <= MAX_DAYS:
            raise CommandError(f"--days skal være mellem 1 og {MAX_DAYS} (fik {options['days']}).")
        if options["speed"] is not None:
            if not options["realtime"]:
                raise CommandError("--speed bruges kun sammen med --realtime.")
            if options["speed"] <= 0:
                raise CommandError(f"--speed skal være større end 0 (fik {options['speed']}).")
        if options["calls_per_year"] is not None and options["calls_per_year"] <= 0:
            raise CommandError(f"--calls-per-year skal være større end 0 (fik {options['calls_per_year']}).")
        if options["agents"] is not None and options["agents"] < 1:
            raise CommandError(f"--agents skal være mindst 1 (fik {options['agents']}).")
        if options["agents"] is not None and options["agent"]:
            raise CommandError("Brug enten --agents (antal simulerede agenter) eller --agent BRUGERNAVN, ikke begge.")

    def _members(self) -> list[Member]:
        numbers: dict[int, dict[str, str]] = defaultdict(dict)
        population: dict[int, int] = {}
        for number in HotlineNumber.objects.select_related("membership__municipality"):
            municipality = number.membership.municipality
            numbers[municipality.code][number.line] = number.number
            population[municipality.code] = municipality.population
        members = [
            Member(code, population[code], numbers[code])
            for code in sorted(numbers)
            if Line.CITIZEN_SERVICE in numbers[code]
        ]
        if not members:
            raise CommandError("Ingen medlemmer med et hotline-nummer. Kør først: samvirke seed-demo")
        return members

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
            raise CommandError(
                "Der er ingen simulerede agenter. Kør først: samvirke seed-demo (eller nævn en agent med --agent)."
            )
        # One agent of each member first (sim-holbaek-1, sim-greve-1, …), then the second of each, ….
        people.sort(key=lambda p: (p.username.rsplit("-", 1)[-1], p.username))
        if wanted is not None:
            if wanted > len(people):
                raise CommandError(f"--agents {wanted}: der er kun {len(people)} simulerede agenter.")
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
            raise CommandError(f"--agent: ingen agent med brugernavnet {', '.join(missing)}.")
        people = [found[name] for name in usernames]
        persons = [p.username for p in people if not p.is_simulated]
        if persons:
            self.stdout.write(
                f"Bemærk: simulatoren styrer {', '.join(persons)} – status, opkald og registreringer sættes for "
                "personen, også hvis den er logget ind på skrivebordet."
            )
        return people

    # -- the run ---------------------------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        self._validate(options)
        first_day, since = self._start(options["start"], options["realtime"])
        if options["url"]:
            transport: Transport = HttpTransport(settings.TELEPHONY_SECRET, options["url"])
        else:
            transport = InProcessTransport(settings.TELEPHONY_SECRET)
        members = self._members()
        agents = self._agents(options["agents"], options["agent"], members)
        people = {person.username: person for person in agents}
        calls_per_year = options["calls_per_year"]
        if calls_per_year is None:
            total = Municipality.objects.filter(code__in=[m.code for m in members]).aggregate(s=Sum("population"))
            calls_per_year = default_calls_per_year(total["s"] or 0)
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
            raise CommandError("Der er ingen kø til hotlinen. Kør migreringerne: samvirke migrate")
        health = queues.get(Line.HEALTH_APPS)
        prefix = options["prefix"] or f"sim-{secrets.token_hex(3)}"
        plan = plan_traffic(
            start=first_day,
            days=options["days"],
            calls_per_year=calls_per_year,
            members=members,
            topics=topics,
            agents=[person.username for person in agents],
            seed=options["seed"],
            prefix=prefix,
            hours=parse_opening_hours(hotline.opening_hours),
            health_hours=parse_opening_hours(health.opening_hours) if health else None,
        )
        if since is not None:
            plan = trim_plan(plan, since)
        if not options["realtime"]:  # live, every event is stamped by the wall clock (see _run)
            self._check_window(plan.days)
        self._train_health_agents(agents)
        scheduler = Scheduler(
            plan,
            seed=options["seed"],
            prefix=prefix,
            overflow_seconds={
                q.slug: float(q.overflow_after_seconds) for q in queues.values() if q.overflow_after_seconds
            },
            service_level_seconds=hotline.service_level_seconds,
            driven=people,
        )
        period = f"{plan.days[0]:%d.%m.%Y}–{plan.days[-1]:%d.%m.%Y}" if plan.days else "–"
        volume = f"{calls_per_year:,.0f}".replace(",", ".")
        self.stdout.write(
            f"Simulerer {len(plan.days)} arbejdsdag(e) ({period}): {len(plan.calls)} opkald, "
            f"{len(plan.chatbots)} chatbotsamtaler, op til {len(agents)} agenter, {volume} opkald om året"
            + (f", realtid ×{options['speed'] or 1:g}" if options["realtime"] else "")
            + (f", over HTTP til {options['url']}" if options["url"] else "")
            + f". Id-præfiks: {prefix}."
        )
        started = time.monotonic()
        try:
            chatbots_written = self._run(scheduler, transport, plan.chatbots, people, options)
        finally:
            transport.close()
        self._summary(scheduler, chatbots_written, time.monotonic() - started, in_process=not options["url"])

    def _train_health_agents(self, agents: list[Person]) -> None:
        """The health-app line needs the skill; if none of the driven agents has it, the first agent of each member
        gets it (else every health-app call would wait for the overflow)."""
        skill = Skill.objects.filter(slug=HEALTH_SKILL).first()
        if skill is None or AgentState.objects.filter(skills=skill, person__in=agents).exists():
            return
        now = timezone.now()
        trained = [p for p in agents if p.username.endswith("-1")] or agents[:1]
        for person in trained:
            actions.agent_state_for(person, now).skills.add(skill)
        self.stdout.write(f"{len(trained)} agenter har fået kompetencen «{skill.name}» (ingen havde den).")

    def _run(
        self,
        scheduler: Scheduler,
        transport: Transport,
        chatbots: list[ChatbotSpec],
        people: dict[str, Person],
        options: dict[str, Any],
    ) -> int:
        realtime, speed = options["realtime"], options["speed"] or 1.0
        in_process = not options["url"]
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
                written += self._write_chatbots(chatbots[chat_index:upto], municipalities)
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
                status, body = transport.post(payload)
                scheduler.on_reply(step, status, body)
            elif isinstance(step, PollAssignments):
                scheduler.on_assignments(step, transport.assigned_calls())
            elif in_process:
                self._register(step, people, moment)
        written += self._write_chatbots(chatbots[chat_index:], municipalities)
        return written

    def _register(self, step: Register, people: dict[str, Person], moment: dt.datetime) -> None:
        """Stands in for the agent's registration on the desk (in-process only; never for a person not driven)."""
        person = people.get(step.agent)
        contact = Contact.objects.filter(external_id=step.call_id).only("pk").first()
        if person is None or contact is None:
            return
        registration = actions.Registration(step.topic_id, step.resolved_at_once, step.forwarded_to, step.note)
        try:
            actions.do_register_contact(person, contact.pk, registration, moment)
        except actions.ContactError as exc:
            self.stderr.write(f"Registrering af {step.call_id} afvist: {exc}")

    @staticmethod
    def _write_chatbots(chatbots: list[ChatbotSpec], municipalities: dict[int, Municipality]) -> int:
        rows = [
            ChatbotConversation(
                municipality=municipalities.get(chat.member_code), started_at=chat.started_at, questions=chat.questions
            )
            for chat in chatbots
        ]
        ChatbotConversation.objects.bulk_create(rows, batch_size=1000)
        return len(rows)

    def _summary(self, scheduler: Scheduler, chatbots: int, seconds: float, in_process: bool) -> None:
        stats = scheduler.stats
        satisfaction = "–" if stats.satisfaction is None else f"{stats.satisfaction:.1f}".replace(".", ",")
        resolved = _percent(stats.resolved_share) if in_process else "– (ikke registreret over HTTP)"
        self.stdout.write(
            f"Opkald tilbudt: {stats.offered}, besvaret: {stats.answered}, lagt på i kø: {stats.abandoned}, "
            f"uden for åbningstid: {stats.closed}, ønsket opringning: {stats.callbacks}."
        )
        threshold = f"{scheduler.service_level_seconds:.0f} s"
        self.stdout.write(
            f"Servicemål (besvaret inden for {threshold}): {_percent(stats.service_level)}; "
            f"straksafklaret: {resolved}; tilfredshed: {satisfaction} af 9 ({stats.ratings} svar)."
        )
        self.stdout.write(
            f"Chatbotsamtaler: {chatbots}. Hændelser sendt: {stats.events} på {seconds:.1f} s"
            + (f" ({stats.events / seconds:.0f}/s)." if seconds > 0 else ".")
        )
        if stats.person_calls:
            self.stdout.write(
                f"Opkald til medarbejdere, som simulatoren ikke styrer: {stats.person_calls} "
                f"({stats.person_answered} besvaret af dem selv; de registrerer selv på skrivebordet)."
            )
        if stats.anomalies:
            self.stderr.write(f"Advarsel: {len(stats.anomalies)} uventede svar, fx:")
            for line in stats.anomalies[:5]:
                self.stderr.write(f"  {line}")
