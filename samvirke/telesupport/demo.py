"""Demo data for telesupport (issue 16): landsdel Sjælland's support set up (the telemedicine line's queue, its
regional number, the starting problem trees) and support cases in every state and priority — open, forwarded to
Logistics (two exchanges through kits), Service and the health staff, waiting for follow-up, closed — with a lesson
and a request to Service. All through telesupport's actions, as the support operator's demo user. Safe to run
again: a landsdel that has cases gets no more (the set-up action is idempotent itself)."""

from __future__ import annotations

import datetime as dt
import random

from samvirke.consent.access import has_active_consent
from samvirke.consent.demo import DemoPeople
from samvirke.consent.models import OperatorKind, ProgrammeCitizen
from samvirke.core.lib.clock import LOCAL
from samvirke.directory.models import LineNumber, Person
from samvirke.kits.lib.benchmark import is_working_day
from samvirke.kits.models import Unit
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.actions import (
    do_close_case,
    do_follow_up,
    do_forward,
    do_open_case,
    do_record_lesson,
    do_request_service,
    do_resolve,
    do_setup_landsdel_support,
    do_walk_tree,
    tree_for,
)
from samvirke.telesupport.lib import trees
from samvirke.telesupport.models import CallerKind, ForwardTo, Priority, SupportCase, SupportModel
from samvirke.telesupport.reference_data import TELEMEDICINE_LINE

# The telemedicine line's number for Region Sjælland (invented, beside the health-app line's 70 21 00 00).
DEMO_LINE_NUMBER = "70210020"

# (device kind, priority, caller, with a citizen, what happens, description, working days ago, hour).
CASES: list[tuple[str, str, str, bool, str, str, int, int]] = [
    ("tablet", Priority.CRITICAL, CallerKind.CITIZEN, True, "open",
     "Tabletten starter ikke; ingen målinger sendt i to dage.", 0, 9),
    ("scale", Priority.HIGH, CallerKind.CITIZEN, True, "exchange",
     "Vægten viser fejlkode og kan ikke parres med tabletten; batteriskift hjalp ikke.", 1, 10),
    ("saturation_meter", Priority.CRITICAL, CallerKind.HEALTH_STAFF, True, "exchange",
     "Saturationsmåleren viser ingen værdi; sygeplejersken ringer for borgeren.", 2, 11),
    ("app", Priority.NORMAL, CallerKind.CITIZEN, True, "service",
     "Appen beder om en opdatering, der fejler hver gang.", 2, 13),
    ("app", Priority.HIGH, CallerKind.CITIZEN, True, "health_staff",
     "Borgeren spørger, om de seneste målinger er for høje.", 1, 14),
    ("tablet", Priority.NORMAL, CallerKind.CITIZEN, True, "resolved",
     "Skærmen er sort; en genstart med tænd/sluk-knappen hjalp.", 3, 10),
    ("scale", Priority.LOW, CallerKind.CITIZEN, True, "closed",
     "Spørgsmål om, hvilke batterier vægten skal have.", 6, 9),
    ("tablet", Priority.LOW, CallerKind.HEALTH_STAFF, False, "open",
     "Hvordan nulstilles en tablet, før den sendes retur?", 0, 12),
]  # fmt: skip


def _day(today: dt.date, working_days_ago: int) -> dt.date:
    day = today
    while working_days_ago or not is_working_day(day):
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            working_days_ago = max(0, working_days_ago - 1)
    return day


def walk_to(agent: Person, case: SupportCase, forward: str, rng: random.Random | None = None) -> None:
    """Walk the case's problem tree to an outcome that forwards to `forward` ("" for a fix support tries), as the
    agent would click through it (sets the case's cause); a tree without such an outcome is left unwalked."""
    _row, tree = tree_for(case)
    found = [
        labels for labels, node in trees.paths(tree) if isinstance(node, trees.Outcome) and node.forward == forward
    ]
    if found:
        do_walk_tree(agent, case, rng.choice(found) if rng is not None else found[0])


def _citizens(landsdel: Landsdel, count: int) -> list[ProgrammeCitizen]:
    """Enrolled citizens with an active consent and a kit, spread over the list."""
    candidates = list(
        ProgrammeCitizen.objects.filter(
            landsdel=landsdel, enrolled_at__isnull=False, ended_at__isnull=True, kits__isnull=False
        ).order_by("citizen_ref")[:400]
    )
    chosen = [c for c in candidates[7::37] if has_active_consent(c, OperatorKind.LOGISTICS)]
    return chosen[:count]


def _cases(landsdel: Landsdel, today: dt.date, agent: Person) -> int:
    if SupportCase.objects.filter(landsdel=landsdel).exists():
        return 0
    citizens = iter(_citizens(landsdel, len(CASES)))
    now = dt.datetime.now(LOCAL)
    made = 0
    for kind, priority, caller, with_citizen, outcome, text, days_ago, hour in CASES:
        citizen = next(citizens, None) if with_citizen else None
        unit = Unit.objects.filter(citizen=citizen, model__kind=kind).first() if citizen else None
        at = dt.datetime.combine(_day(today, days_ago), dt.time(hour, 5), tzinfo=LOCAL)
        if at > now:  # seeded before the hour: the day before
            at = dt.datetime.combine(_day(today, days_ago + 1), dt.time(hour, 5), tzinfo=LOCAL)
        case = do_open_case(
            agent,
            landsdel,
            device_kind=kind,
            description=text,
            priority=priority,
            caller_kind=caller,
            citizen_ref=citizen.citizen_ref if citizen else "",
            unit=unit,
            at=at,
        )
        later = min(at + dt.timedelta(minutes=9), now)
        forward = {"exchange": "logistics", "service": "service", "health_staff": "health_staff"}.get(outcome, "")
        if outcome != "open" or priority == Priority.CRITICAL:
            walk_to(agent, case, forward)
        if outcome == "exchange" and unit is not None:
            do_forward(agent, case, ForwardTo.LOGISTICS, "Fejlfinding gennemført; enheden byttes.", unit=unit, at=later)
        elif outcome == "service":
            do_forward(agent, case, ForwardTo.SERVICE, "Opdateringen skal skubbes ud via MDM.", at=later)
        elif outcome == "health_staff":
            do_forward(agent, case, ForwardTo.HEALTH_STAFF, "Sundhedsfagligt spørgsmål; ingen teknisk fejl.", at=later)
        elif outcome in ("resolved", "closed"):
            do_resolve(agent, case, "Løst i telefonen.", at=later)
            if outcome == "closed":
                follow = min(at + dt.timedelta(days=2), now)
                do_follow_up(agent, case, "Borgeren bekræfter, at vægten virker med de nye batterier.", at=follow)
                do_close_case(agent, case, at=follow)
                do_record_lesson(
                    agent,
                    landsdel,
                    "Batterityperne står ikke i vejledningen; tilføj et trin i vægtens problemtræ om batterier.",
                    case=case,
                    proposes_tree_change=True,
                )
        made += 1
    tablet = Unit.objects.filter(landsdel=landsdel, model__kind="tablet", status="in_use").order_by("serial").first()
    do_request_service(
        agent, landsdel, "Tabletten har ikke rapporteret til MDM i fem dage; tjek SIM-kortet.", unit=tablet
    )
    return made


def load_demo_telesupport(landsdel: Landsdel, today: dt.date, people: DemoPeople) -> str:
    agent = people.by_username["support-sjaelland"]
    # The number only the first time: the action records every call that passes one (a second run writes nothing).
    numbered = LineNumber.objects.filter(region=landsdel.region_id, line=TELEMEDICINE_LINE).exists()
    do_setup_landsdel_support(
        agent, landsdel, line_number="" if numbered else DEMO_LINE_NUMBER, support_model=SupportModel.TECHNICAL
    )
    made = _cases(landsdel, today, agent)
    cases = SupportCase.objects.filter(landsdel=landsdel)
    return (
        f"Telesupport: den telemedicinske linje på {DEMO_LINE_NUMBER}, {cases.count()} sager ({made} nye; "
        f"{cases.exclude(state='closed').count()} ikke lukket). Se /telesupport/ (support-sjaelland, sekretariat); "
        "simulér trafik med samvirke simulate-telecare --days 7."
    )
