"""samvirke seed-demo — the Region Sjælland pilot as demo data. Safe to run again: it changes nothing twice."""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from samvirke.assistant import service as assistant_service
from samvirke.audit.actions import record
from samvirke.consent.demo import load_demo_consent
from samvirke.contact.demo import load_demo_contact_centre
from samvirke.contact.models import Contact
from samvirke.core.lib.hours import is_closed_day
from samvirke.directory.lib import demo
from samvirke.directory.models import (
    Fellesskab,
    HotlineNumber,
    Line,
    LineNumber,
    Membership,
    MembershipStatus,
    Municipality,
    Person,
    Region,
)
from samvirke.directory.reference_data import ensure_reference_data
from samvirke.economy.demo import load_demo_economy
from samvirke.economy.demo_business_cases import load_demo_business_cases
from samvirke.kits.demo import load_demo_kits
from samvirke.knowledge.actions import do_load_knowledge
from samvirke.staffing.demo import load_demo_rota
from samvirke.telecare.demo import DEMO_LANDSDEL, load_demo_telecare
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.demo import load_demo_telesupport
from samvirke.training.demo import load_demo_training

SJAELLAND = 1085
HOLBAEK = 316
DEMO_TRAFFIC_DAYS = 2


class Command(BaseCommand):
    help = "Indlæser demodata for Region Sjælland-piloten (17 medlemmer, sekretariat, koordinatorer, agenter)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Udskriv ikke demo-logins")
        parser.add_argument(
            "--no-traffic",
            action="store_true",
            help="Simulér ikke opkald (testene, der vil have et tomt kontaktcenter)",
        )
        parser.add_argument(
            "--no-rota",
            action="store_true",
            help="Byg ikke denne og næste uges vagtplan (løseren tager sekunder; testene, der ikke ser på vagtplaner)",
        )
        parser.add_argument(
            "--traffic-calls-per-year",
            type=int,
            default=None,
            help="Opkald om året i demotrafikken (standard: som simulate-traffic)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._seed(options)
        if not options["no_traffic"]:
            self._traffic(options["traffic_calls_per_year"])
        if not options["no_rota"]:
            self.stdout.write(load_demo_rota(Fellesskab.objects.get(slug=demo.FELLESSKAB_SLUG), timezone.localdate()))
        self._print_logins(options)

    def _print_logins(self, options: dict[str, Any]) -> None:
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(
                "Telemedicin: /telemedicin/ (sekretariatet ser alle fem landsdele; region og "
                "koordinator-<kommune> ser landsdel Sjælland, koordinatorerne kun egen kommunes tal)."
            )
            self.stdout.write(f"Demo-logins (adgangskode for alle: {demo.DEMO_PASSWORD}):")
            self.stdout.write("  sekretariat             sekretariatet (ser alt, har adgang til administration)")
            self.stdout.write("  region                  Region Sjælland")
            self.stdout.write("  redaktoer               guideredaktør")
            self.stdout.write("  koordinator-holbaek     koordinator i Holbæk (koordinator-<kommune> for de andre)")
            self.stdout.write("  agent-holbaek-1         agent i Holbæk (agent-<kommune>-1..3)")

    def _traffic(self, calls_per_year: int | None) -> None:
        """Two working days of calls before today, through the real event API (once: not if there are contacts)."""
        if Contact.objects.exists():
            return
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        days: list[dt.date] = []
        day = yesterday
        while len(days) < DEMO_TRAFFIC_DAYS:
            if day.weekday() < 5 and not is_closed_day(day):
                days.append(day)
            day -= dt.timedelta(days=1)
        started = time.perf_counter()
        out = io.StringIO()
        volume = ["--calls-per-year", str(calls_per_year)] if calls_per_year else []
        call_command("simulate_traffic", "--start", days[-1].isoformat(), "--days", str(DEMO_TRAFFIC_DAYS),
                     "--seed", "2026", *volume, stdout=out)  # fmt: skip
        summary = out.getvalue().strip().splitlines()
        self.stdout.write(
            f"Trafik: {DEMO_TRAFFIC_DAYS} arbejdsdage før i dag på {time.perf_counter() - started:.0f} s. "
            + (summary[1] if len(summary) > 1 else "")
        )

    @transaction.atomic
    def _seed(self, options: dict[str, Any]) -> None:
        ensure_reference_data(Region, Municipality)
        region = Region.objects.get(code=SJAELLAND)
        fellesskab, _ = Fellesskab.objects.update_or_create(
            slug=demo.FELLESSKAB_SLUG,
            defaults={
                "name": demo.FELLESSKAB_NAME,
                "description": "Demodata: Region Sjællands 17 kommuner i et virtuelt kontaktcenter med fælles "
                "guides, fælles chatbot og vagttimer efter indbyggertal.",
            },
        )
        member_codes: dict[int, str] = {}
        for first_shift, codes in demo.COHORTS:
            for code in codes:
                municipality = Municipality.objects.get(code=code)
                member_codes[code] = municipality.name
                membership, created = Membership.objects.get_or_create(
                    fellesskab=fellesskab,
                    municipality=municipality,
                    defaults={
                        "status": MembershipStatus.ACTIVE,
                        "member_since": first_shift,
                        "pilot_start": first_shift,
                        "pilot_end": demo.pilot_end(first_shift),
                        "pilot_payer": region,
                    },
                )
                if created:
                    record(None, "directory.demo_member_created", membership)
                # get_or_create throughout: a number, or a person below, that someone has edited stays edited.
                for line, number in demo.demo_hotline_numbers(code).items():
                    HotlineNumber.objects.get_or_create(
                        membership=membership, line=line, defaults={"number": number, "is_demo": True}
                    )
        # The health-app line: one number for the region (seed 001); the per-member demo numbers of earlier
        # versions go (the migration did the same for a database that already had them).
        HotlineNumber.objects.filter(line=Line.HEALTH_APPS, is_demo=True).delete()
        LineNumber.objects.get_or_create(
            region=region,
            line=Line.HEALTH_APPS,
            defaults={"number": demo.DEMO_HEALTH_LINE_NUMBER, "is_demo": True},
        )

        # Hash the demo password once: hashing it for each of ~75 people would take half a minute.
        template = Person(username="_")
        template.set_password(demo.DEMO_PASSWORD)
        municipalities = {m.code: m for m in Municipality.objects.filter(code__in=member_codes)}
        people = demo.demo_people(member_codes, SJAELLAND)
        simulated = demo.demo_simulated_agents(member_codes)
        for spec in people + simulated:
            Person.objects.get_or_create(  # the password is set only when the person is created
                username=spec.username,
                defaults={
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "role": spec.role,
                    "municipality": municipalities.get(spec.municipality_code) if spec.municipality_code else None,
                    "region": region if spec.region_code else None,
                    # A simulated agent can never log in: no usable password, not active (the database insists).
                    "password": make_password(None) if spec.simulated else template.password,
                    "is_active": not spec.simulated,
                    "is_simulated": spec.simulated,
                    # The secretariat runs the admin in the demo.
                    "is_staff": spec.role == "secretariat",
                    "is_superuser": spec.role == "secretariat",
                },
            )

        knowledge = do_load_knowledge(None)
        economy_summary = load_demo_economy(fellesskab)
        cases_added = load_demo_business_cases(None, Municipality.objects.get(code=HOLBAEK))

        self.stdout.write(
            f"Demodata klar: {fellesskab.name} med {len(member_codes)} medlemmer og {len(people)} personer, "
            f"og {len(simulated)} simulerede agenter (sim-<kommune>-1..{demo.SIMULATED_AGENTS_PER_MEMBER}), som "
            "trafiksimulatoren styrer; de kan ikke logge ind."
        )
        self.stdout.write(
            f"Vidensbase: {knowledge['guides']} nye guides, {knowledge['examples']} nye eksempelspørgsmål, "
            f"{knowledge['variants']} nye kommunale varianter (demo)."
        )
        self.stdout.write(economy_summary)
        started = time.perf_counter()
        telecare_summary = load_demo_telecare(timezone.localdate())
        self.stdout.write(f"{telecare_summary} ({time.perf_counter() - started:.1f} s)")
        started = time.perf_counter()
        sjaelland = Landsdel.objects.get(slug=DEMO_LANDSDEL)
        today = timezone.localdate()
        consent_summary, operator_people = load_demo_consent(sjaelland, today, template.password)
        kits_summary = load_demo_kits(sjaelland, today, operator_people)
        support_summary = load_demo_telesupport(sjaelland, today, operator_people)
        for line in (consent_summary, kits_summary, support_summary):
            self.stdout.write(line)
        self.stdout.write(f"Telemedicinens dagligdag (issue 16) indlæst på {time.perf_counter() - started:.1f} s.")
        self.stdout.write(load_demo_contact_centre())
        # Before the traffic and the rota: overflow and the rota use only agents trained for the line.
        self.stdout.write(load_demo_training(timezone.localdate(), Municipality.objects.get(code=HOLBAEK)))
        started = time.perf_counter()
        # Trained here, so the demo starts with a ready model (a web request never trains); the retrain the
        # loaded guides queued finds this build and does nothing.
        assistant_service.build_engine("seed_demo")
        self.stdout.write(f"Borgerassistent: klar efter {time.perf_counter() - started:.1f} s.")
        self.stdout.write(f"Business cases: {cases_added} nye fra seed 004 hos Holbæk Kommune (demo).")
