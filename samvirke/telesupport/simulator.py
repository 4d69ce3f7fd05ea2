"""The telemedicine traffic simulator's runner (`samvirke simulate-telecare`): it plans what happens in a landsdel's
programme (pure, lib/telecare_traffic.py) and makes it happen through the actions, each in its own short
transaction:

- a referral: a new citizen (consent's do_refer_citizen) with consent for every operator kind (do_record_consent),
  so kits' receiver makes the set-up task;
- an end of course: do_end_course for a citizen in the programme (kits' receiver makes the take-down task);
- a call: the telephone platform's events (call_offered on the landsdel's telemedicine line number, call_answered,
  call_ended) through contact's simulator transport — the telephony API's own parse, event window and action, as
  simulate-traffic sends them — then a support case on the contact (telesupport's do_open_case) by the landsdel's
  support operator user: a fault forwarded to Logistics (kits' exchange task; the unit goes to fault), a fault fixed
  remotely (the unit fault → remote fixed → in use) or a question answered; both of the latter go to follow-up.

Historic mode (default) plays the `days` calendar days before today as fast as it can, stamping everything with
its simulated time; realtime plays the next `days` days from now, sleeping until each moment (`speed` × faster).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import QuerySet
from django.utils import timezone

from samvirke.consent.access import has_active_consent
from samvirke.consent.actions import do_end_course, do_record_consent, do_refer_citizen
from samvirke.consent.demo import ALL_KINDS, citizen_fields
from samvirke.consent.models import OperatorKind, OperatorUser, ProgrammeCitizen
from samvirke.contact.models import Contact
from samvirke.contact.simulator import InProcessTransport, Transport
from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import LineNumber, Municipality
from samvirke.kits.actions import do_move_unit
from samvirke.kits.lib import lifecycle
from samvirke.kits.lib.benchmark import is_working_day
from samvirke.kits.models import Unit
from samvirke.telecare.lib.seed_volumes import series_info
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.actions import do_forward, do_open_case, do_resolve
from samvirke.telesupport.demo import walk_to
from samvirke.telesupport.lib import telecare_traffic as traffic
from samvirke.telesupport.models import ForwardTo, Priority
from samvirke.telesupport.reference_data import TELEMEDICINE_LINE

FAULTS = {
    "tablet": "Tabletten sender ingen målinger; skærmen fryser.",
    "scale": "Vægten kan ikke parres med tabletten.",
    "saturation_meter": "Saturationsmåleren viser ingen værdi.",
    "app": "Appen lukker, når borgeren vil sende en måling.",
}
QUESTIONS = (
    "Borgeren spørger, hvordan man sender en måling igen.",
    "Spørgsmål om opladning af tabletten.",
    "Pårørende spørger, hvornår udstyret hentes efter forløbet.",
    "Borgeren vil vide, hvordan vægten nulstilles.",
)


class TelecareSimulationError(Exception):
    """The simulation cannot run as asked; the message is Danish."""


@dataclass(frozen=True)
class TelecareResult:
    counts: Counter[str]
    citizens: int
    working_days: int
    expected: dict[str, Fraction]
    seconds: float


def _new_per_month(landsdel: Landsdel, day: dt.date) -> Fraction:
    """The N series' growth per month in the programme year `day` falls in (0 after the series' last year)."""
    info = series_info().get(landsdel.slug)
    if info is None:
        return Fraction(0)
    year = day.year - landsdel.first_year + 1
    n = list(info.citizens)
    if year < 1 or year > len(n):
        return Fraction(0)
    return Fraction(n[year - 1] - (n[year - 2] if year >= 2 else 0), 12)


class TelecareSimulation:
    def __init__(
        self,
        landsdel_slug: str,
        days: int,
        seed: int,
        *,
        realtime: bool = False,
        speed: float = 1.0,
        say: Callable[[str], None] = lambda line: None,
        transport: Transport | None = None,
    ) -> None:
        landsdel = Landsdel.objects.filter(slug=landsdel_slug).first()
        if landsdel is None:
            raise TelecareSimulationError(f"Der er ingen landsdel «{landsdel_slug}». Kør først: samvirke seed-demo")
        number = LineNumber.objects.filter(region=landsdel.region_id, line=TELEMEDICINE_LINE).first()
        if number is None:
            raise TelecareSimulationError(
                f"{landsdel.name} har intet nummer på den telemedicinske linje. Kør først: samvirke seed-demo"
            )
        agent = (
            OperatorUser.objects.filter(operator__landsdel=landsdel, operator__kind=OperatorKind.SUPPORT)
            .select_related("person")
            .order_by("person__username")
            .first()
        )
        if agent is None:
            raise TelecareSimulationError(
                f"{landsdel.name} har ingen supportoperatør med en bruger. Kør: samvirke seed-demo"
            )
        self.landsdel, self.line_number, self.agent = landsdel, number.number, agent.person
        self.realtime, self.speed, self.say = realtime, speed, say
        self.rng = random.Random(seed)  # noqa: S311 (a simulation, reproducible on purpose)
        self.prefix = f"tm{seed}-{secrets.token_hex(3)}"
        self.transport = transport or InProcessTransport()
        today = timezone.localdate()
        first = today if realtime else today - dt.timedelta(days=days)
        self.days = [first + dt.timedelta(days=i) for i in range(days)]
        self.citizens = self._in_programme().count()
        self.plan = traffic.plan_telecare(
            self.days,
            citizens=self.citizens,
            new_per_month=_new_per_month(landsdel, first),
            is_working_day=is_working_day,
            tz=LOCAL,
            seed=seed,
        )
        self.municipalities = list(Municipality.objects.filter(region=landsdel.region_id).order_by("code"))

    def _in_programme(self) -> QuerySet[ProgrammeCitizen]:
        return ProgrammeCitizen.objects.filter(landsdel=self.landsdel, enrolled_at__isnull=False, ended_at__isnull=True)

    def run(self) -> TelecareResult:
        started = time.monotonic()
        counts: Counter[str] = Counter()
        wall_origin, now_origin = time.monotonic(), timezone.now()
        for index, happening in enumerate(self.plan.happenings):
            at = happening.at
            if self.realtime:
                if at < now_origin:
                    continue
                delay = (at - now_origin).total_seconds() / self.speed - (time.monotonic() - wall_origin)
                if delay > 0:
                    time.sleep(delay)
                at = timezone.now()
            if self._happen(index, happening.kind, at):
                counts[happening.kind] += 1
        self.transport.close()
        return TelecareResult(
            counts, self.citizens, sum(1 for d in self.days if is_working_day(d)), self.plan.expected,
            time.monotonic() - started,
        )  # fmt: skip

    # -- the happenings ----------------------------------------------------------------------------------------

    def _happen(self, index: int, kind: str, at: dt.datetime) -> bool:
        if kind == traffic.REFERRAL:
            return self._refer(index, at)
        if kind == traffic.END_OF_COURSE:
            return self._end(at)
        return self._call(index, kind, at)

    def _refer(self, index: int, at: dt.datetime) -> bool:
        weights = [m.population for m in self.municipalities]
        municipality = self.rng.choices(self.municipalities, weights=weights)[0]
        fields = citizen_fields(self.rng, municipality, at.astimezone(LOCAL).date())
        # "n" before the number: six hex digits that happen to be all digits, then four more, would look like a CPR
        # number (ddmmyy-xxxx) and be refused (it failed a CI run).
        fields["citizen_ref"] = f"SJ-{self.prefix}-n{index:04d}"
        citizen = do_refer_citizen(None, self.landsdel, **fields)
        do_record_consent(None, citizen, operator_kinds=ALL_KINDS, given_at=min(at, timezone.now()))
        return True

    def _pick(self, with_units: bool) -> ProgrammeCitizen | None:
        candidates = self._in_programme()
        if with_units:
            candidates = candidates.filter(units__status__in=(lifecycle.INSTALLED, lifecycle.IN_USE)).distinct()
        ids = list(candidates.values_list("id", flat=True))
        self.rng.shuffle(ids)
        for pk in ids[:20]:
            citizen = ProgrammeCitizen.objects.get(pk=pk)
            if has_active_consent(citizen, OperatorKind.LOGISTICS) and has_active_consent(
                citizen, OperatorKind.SUPPORT
            ):
                return citizen
        return None

    def _end(self, at: dt.datetime) -> bool:
        citizen = self._pick(with_units=False)
        day = at.astimezone(LOCAL).date()
        if citizen is None or citizen.enrolled_at is None or citizen.enrolled_at > day:
            return False
        do_end_course(None, citizen, day)
        return True

    def _post_call(self, index: int, at: dt.datetime) -> Contact | None:
        """The telephone platform's events for one call on the telemedicine line: offered, answered, ended."""
        call_id = f"{self.prefix}-{index:05d}"
        caller = f"{self.rng.choice('2345678')}{self.rng.randint(0, 9_999_999):07d}"
        answered = at + dt.timedelta(seconds=self.rng.randint(20, 120))
        ended = answered + dt.timedelta(seconds=self.rng.randint(180, 720))
        if self.realtime:
            answered = ended = at  # live: the wall clock stamps them (no sleeping inside a call)
        events = [
            {"type": "call_offered", "occurred_at": at, "called_number": self.line_number, "caller_number": caller},
            {"type": "call_answered", "occurred_at": answered},
            {"type": "call_ended", "occurred_at": ended},
        ]
        for step, event in enumerate(events):
            payload = {**event, "event_id": f"{call_id}-{step}", "call_id": call_id}
            payload["occurred_at"] = payload["occurred_at"].isoformat()  # type: ignore[attr-defined]
            status, body = self.transport.post(payload)
            if status != 200:
                self.say(f"Opkaldet {call_id} blev afvist af telefoni-API'et ({status}): {body.get('detail', body)}")
                return None
        return Contact.objects.filter(external_id=call_id).first()

    def _call(self, index: int, kind: str, at: dt.datetime) -> bool:
        citizen = self._pick(with_units=True)
        if citizen is None:
            return False
        units = list(Unit.objects.filter(citizen=citizen, status__in=(lifecycle.INSTALLED, lifecycle.IN_USE)))
        unit = self.rng.choice(units)
        device = unit.model.kind
        contact = self._post_call(index, at)
        if contact is None:
            return False
        if kind == traffic.QUESTION:
            priority = self.rng.choice((Priority.NORMAL, Priority.LOW))
            text = self.rng.choice(QUESTIONS)
        else:
            priority = self.rng.choice(
                (Priority.CRITICAL, Priority.HIGH)
                if kind == traffic.FAULT_EXCHANGE
                else (Priority.HIGH, Priority.NORMAL)
            )
            text = FAULTS.get(device, "Udstyret virker ikke.")
        case = do_open_case(
            self.agent,
            self.landsdel,
            device_kind=device,
            description=text,
            priority=priority,
            citizen_ref=citizen.citizen_ref,
            contact=contact,
            unit=unit if kind != traffic.QUESTION else None,
            at=at,
        )
        later = at + dt.timedelta(minutes=8)
        walk_to(self.agent, case, "logistics" if kind == traffic.FAULT_EXCHANGE else "", self.rng)
        if kind == traffic.FAULT_EXCHANGE:
            do_forward(
                self.agent, case, ForwardTo.LOGISTICS, "Fejlfinding gennemført; enheden byttes.", unit=unit, at=later
            )
        elif kind == traffic.FAULT_REMOTE:
            unit = do_move_unit(self.agent, unit, lifecycle.FAULT, note=text)
            unit = do_move_unit(self.agent, unit, lifecycle.REMOTE_FIXED, note="Rettet via fjernsupport")
            do_move_unit(self.agent, unit, lifecycle.IN_USE, note="Virker igen")
            do_resolve(self.agent, case, "Rettet via fjernsupport.", at=later)
        else:
            do_resolve(self.agent, case, "Besvaret i telefonen.", at=later)
        return True
