"""samvirke simulate-traffic — realistic calls through the contact centre's telephony events, for demos and reports.

The traffic model and the scheduler are in samvirke/contact/lib/traffic.py, the runner (in-process through the
actions the telephony API calls, or `--url` over signed HTTP to a running server; which agents it drives; what it
writes) in samvirke/contact/simulator.py. This command parses the options and prints.

Historic mode (default) simulates `--days` working days as fast as possible with timestamps in simulated time,
to fill the wallboard and the reports; `--realtime --speed X` sleeps between events, so the desk and the
wallboard come alive.

The default volume is Den Digitale Hotline's 266,000 calls a year scaled by the members' share of Denmark's
~6.0 million people (the demo's 17 Region Sjælland municipalities: ~37,000 calls a year, ~150 a working day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samvirke.contact.simulator import Simulation, SimulationError, SimulationOptions, SimulationResult
from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.formatting import number_da
from samvirke.directory.templatetags.humanize_da import percent_da

MAX_DAYS = 260


def _percent(value: float | None) -> str:
    return "–" if value is None else percent_da(value)


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

    # -- the run ---------------------------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        self._validate(options)
        first_day, since = self._start(options["start"], options["realtime"])
        wanted = SimulationOptions(
            first_day=first_day,
            since=since,
            days=options["days"],
            seed=options["seed"],
            secret=settings.TELEPHONY_SECRET,
            realtime=options["realtime"],
            speed=options["speed"] or 1.0,
            calls_per_year=options["calls_per_year"],
            agents=options["agents"],
            named_agents=options["agent"],
            url=options["url"],
            prefix=options["prefix"],
        )
        try:
            simulation = Simulation(wanted, say=self.stdout.write, warn=self.stderr.write)
            plan = simulation.plan
            period = f"{plan.days[0]:%d.%m.%Y}–{plan.days[-1]:%d.%m.%Y}" if plan.days else "–"
            volume = number_da(simulation.calls_per_year, 0, grouped=True)
            self.stdout.write(
                f"Simulerer {len(plan.days)} arbejdsdag(e) ({period}): {len(plan.calls)} opkald, "
                f"{len(plan.chatbots)} chatbotsamtaler, op til {len(simulation.agents)} agenter, "
                f"{volume} opkald om året"
                + (f", realtid ×{options['speed'] or 1:g}" if options["realtime"] else "")
                + (f", over HTTP til {options['url']}" if options["url"] else "")
                + f". Id-præfiks: {simulation.prefix}."
            )
            result = simulation.run()
        except SimulationError as exc:
            raise CommandError(str(exc)) from exc
        self._summary(result, in_process=not options["url"])

    def _summary(self, result: SimulationResult, in_process: bool) -> None:
        scheduler, chatbots, seconds = result.scheduler, result.chatbots, result.seconds
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
