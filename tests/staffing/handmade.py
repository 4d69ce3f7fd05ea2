"""A small rota made by hand (no solver), so page tests of the calendar, swaps and feeds are fast and exact.

Week 49 2026 (Mon 30.11.), Mon–Fri 9–14. Holbæk owes 5–8 hours, Greve 4–7, Køge 1–3:

    H1  Holbæk  Mon 09–12  agent-holbaek (the fixed persona)
    H2  Holbæk  Tue 09–12  agent-holbaek-2
    H3  Holbæk  Mon 12–13  agent-holbaek-2
    G1  Greve   Mon 12–14  agent-greve-1
    G2  Greve   Wed 09–13  agent-greve-1
    K1  Køge    Mon 09–11  nobody (Køge has no agents)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from samvirke.directory.models import Fellesskab, Municipality, Person, Role
from samvirke.staffing.models import Rota, RotaStatus, Shift

LOCAL = ZoneInfo("Europe/Copenhagen")
WEEK = "2026-11-30"
MONDAY = dt.date(2026, 11, 30)
BANDS = {316: ("Holbæk", 6.5, 5, 8), 253: ("Greve", 5.5, 4, 7), 259: ("Køge", 2, 1, 3)}


@dataclass
class HandmadeRota:
    rota: Rota
    shifts: dict[str, Shift]
    agents: dict[str, Person]

    def reload(self) -> dict[str, tuple[int, int | None]]:
        """Each shift's member code and agent id, as they are in the database now."""
        return {
            name: (s.municipality.code, s.agent_id)
            for name, s in (
                (name, Shift.objects.select_related("municipality").get(pk=s.pk)) for name, s in self.shifts.items()
            )
        }


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour), tzinfo=LOCAL)


def agent(username: str, code: int, first: str, last: str) -> Person:
    person = Person(username=username, first_name=first, last_name=last, role=Role.AGENT)
    person.municipality = Municipality.objects.get(code=code)
    person.set_password("test-password-123")
    person.save()
    return person


def make_rota(fellesskab: Fellesskab, holbaek_agent: Person, status: str = RotaStatus.PUBLISHED) -> HandmadeRota:
    intervals = [
        [day, f"{hour:02d}:{minute:02d}", 30] for day in range(5) for hour in range(9, 14) for minute in (0, 30)
    ]
    rota = Rota.objects.create(
        fellesskab=fellesskab,
        week_start=MONDAY,
        status=status,
        forecast_source="håndlavet",
        aht_seconds=270,
        target_service_level=0.8,
        target_seconds=60,
        shrinkage=0.3,
        max_occupancy=0.85,
        intervals=intervals,
        volumes=[1.0] * len(intervals),
        requirement=[1] * len(intervals),
        report={
            "members": [
                {
                    "kommunekode": code,
                    "name": name,
                    "target": target,
                    "band_min": low,
                    "band_max": high,
                    "unpopular_share": 0,
                    "obligation_share": 0,
                }
                for code, (name, target, low, high) in BANDS.items()
            ],
            "problems": [],
            "notes": [],
            "solve_seconds": 0,
            "status": "HANDMADE",
        },
    )
    agents = {
        "holbaek-1": holbaek_agent,
        "holbaek-2": agent("agent-holbaek-2", 316, "Hanne", "Andersen"),
        "greve-1": agent("agent-greve-1", 253, "Peter", "Hansen"),
        "greve-2": agent("agent-greve-2", 253, "Ida", "Madsen"),
    }
    member = {code: Municipality.objects.get(code=code) for code in BANDS}
    plan = {
        "H1": (316, at(0, 9), at(0, 12), "holbaek-1"),
        "H2": (316, at(1, 9), at(1, 12), "holbaek-2"),
        "H3": (316, at(0, 12), at(0, 13), "holbaek-2"),
        "G1": (253, at(0, 12), at(0, 14), "greve-1"),
        "G2": (253, at(2, 9), at(2, 13), "greve-1"),
        "K1": (259, at(0, 9), at(0, 11), None),
    }
    shifts = {
        name: Shift.objects.create(
            rota=rota, municipality=member[code], starts_at=start, ends_at=end, agent=agents[who] if who else None
        )
        for name, (code, start, end, who) in plan.items()
    }
    return HandmadeRota(rota, shifts, agents)
