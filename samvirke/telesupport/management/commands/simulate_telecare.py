"""samvirke simulate-telecare — a landsdel's telemedicine comes alive: referrals, ends of course, faults and calls on
the telemedicine line at the seed's rates (samvirke/telesupport/simulator.py, lib/telecare_traffic.py). This command
parses the options and prints."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.telesupport.lib import telecare_traffic as traffic
from samvirke.telesupport.simulator import TelecareSimulation, TelecareSimulationError

LABELS = {
    traffic.REFERRAL: "henvisninger",
    traffic.END_OF_COURSE: "afsluttede forløb",
    traffic.FAULT_EXCHANGE: "fejl til ombytning",
    traffic.FAULT_REMOTE: "fejl rettet via fjernsupport",
    traffic.QUESTION: "spørgsmål besvaret",
}


class Command(BaseCommand):
    help = (
        "Simulerer en landsdels telemedicin: henvisninger, afsluttede forløb, fejl og opkald på den telemedicinske "
        "linje (gennem telefoni-API'et) med seedets rater. Historisk (de seneste dage) eller i realtid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="Antal kalenderdage (standard 7)")
        parser.add_argument("--realtime", action="store_true", help="Spil de næste dage fra nu i realtid")
        parser.add_argument("--speed", type=float, default=None, help="Med --realtime: tidsfaktor (fx 600)")
        parser.add_argument("--seed", type=int, default=1, help="Frø for tilfældighederne (samme frø, samme plan)")
        parser.add_argument("--landsdel", default="sjaelland", help="Landsdelens kortnavn (standard sjaelland)")

    def handle(self, *args: Any, **options: Any) -> None:
        max_days = settings.TELEPHONY_EVENT_MAX_AGE.days
        if not 1 <= options["days"] <= max_days:
            raise CommandError(
                f"--days skal være mellem 1 og {max_days} (telefoni-API'ets tidsrum), ikke {options['days']}."
            )
        if options["speed"] is not None:
            if not options["realtime"]:
                raise CommandError("--speed bruges kun sammen med --realtime.")
            if not options["speed"] > 0:
                raise CommandError(f"--speed skal være større end 0 (fik {options['speed']}).")
        try:
            simulation = TelecareSimulation(
                options["landsdel"],
                options["days"],
                options["seed"],
                realtime=options["realtime"],
                speed=options["speed"] or 1.0,
                say=self.stderr.write,
            )
            result = simulation.run()
        except TelecareSimulationError as exc:
            raise CommandError(str(exc)) from exc
        calls = sum(result.counts[k] for k in traffic.CALL_KINDS)
        parts = ", ".join(f"{result.counts[kind]} {label}" for kind, label in LABELS.items())
        self.stdout.write(
            f"Telemedicin {simulation.landsdel.name}: {options['days']} dage ({result.working_days} arbejdsdage) "
            f"for {result.citizens} borgere på {result.seconds:.1f} s."
        )
        self.stdout.write(f"{calls} opkald på den telemedicinske linje ({simulation.line_number}); {parts}.")
        self.stdout.write("Se /telesupport/ og /telemedicin/udstyr/ (support-sjaelland, logistik-sjaelland).")
