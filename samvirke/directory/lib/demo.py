"""The Region Sjælland pilot as demo data: which members start when, and plausible demo names and numbers."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

DEMO_PASSWORD = "samvirke-demo"
FELLESSKAB_NAME = "Den Digitale Hotline – Region Sjælland-pilot (demo)"
FELLESSKAB_SLUG = "ddh-sjaelland-demo"
PILOT_YEARS = 2  # seed 002: the region pays the operations fee for pilot members for two years

# Members join in cohorts of at most 5–7 (seed 000), each with its first shift on the date given.
COHORTS: list[tuple[dt.date, list[int]]] = [
    (dt.date(2025, 2, 1), [316, 253, 259, 265, 370]),  # Holbæk, Greve, Køge, Roskilde, Næstved
    (dt.date(2025, 9, 1), [330, 326, 376, 360, 390, 320]),  # Slagelse, Kalundborg, Guldborgsund, Lolland, ...
    (dt.date(2026, 3, 1), [350, 269, 306, 329, 340, 336]),  # Lejre, Solrød, Odsherred, Ringsted, Sorø, Stevns
]

FIRST_NAMES = [
    "Anne", "Mette", "Lars", "Jens", "Hanne", "Peter", "Susanne", "Michael", "Lene", "Søren", "Camilla",
    "Rasmus", "Louise", "Mads", "Birgitte", "Henrik", "Pernille", "Thomas", "Sofie", "Niels", "Ida",
]  # fmt: skip
LAST_NAMES = [
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
    "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen", "Møller",
]  # fmt: skip


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    role: str
    municipality_code: int | None = None
    region_code: int | None = None
    simulated: bool = False


def slug(name: str) -> str:
    """'Holbæk' → 'holbaek', 'Køge' → 'koege', 'Solrød' → 'solroed' (usernames are ASCII)."""
    folded = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() else "-" for ch in ascii_only).strip("-")


def demo_name(seed: int) -> tuple[str, str]:
    """A deterministic, plausible Danish name: the same seed always gives the same person."""
    return FIRST_NAMES[seed % len(FIRST_NAMES)], LAST_NAMES[(seed * 7 + 3) % len(LAST_NAMES)]


def demo_hotline_numbers(code: int) -> dict[str, str]:
    """A member's demo hotline number 70 20 0k kk (k = kommunekode): a plausible 8-digit number, marked demo."""
    return {"citizen_service": f"70200{code:03d}"}


# The health-app line's one number for the whole region (seed 001: "et særligt DDH-telefonnr."), invented.
DEMO_HEALTH_LINE_NUMBER = "70210000"


def pilot_end(start: dt.date) -> dt.date:
    return dt.date(start.year + PILOT_YEARS, start.month, start.day) - dt.timedelta(days=1)


def demo_people(member_codes: dict[int, str], region_code: int) -> list[DemoPerson]:
    """A secretariat, a central guide editor, region staff, and per member a coordinator and three agents."""
    people = [
        DemoPerson("sekretariat", "Karen", "Holm", "secretariat"),
        DemoPerson("redaktoer", "Jonas", "Friis", "guide_editor"),
        DemoPerson("region", "Birthe", "Lund", "region_staff", region_code=region_code),
    ]
    for code, name in sorted(member_codes.items()):
        first, last = demo_name(code)
        people.append(DemoPerson(f"koordinator-{slug(name)}", first, last, "coordinator", municipality_code=code))
        for number in (1, 2, 3):
            first, last = demo_name(code * 3 + number)
            people.append(DemoPerson(f"agent-{slug(name)}-{number}", first, last, "agent", municipality_code=code))
    return people


SIMULATED_AGENTS_PER_MEMBER = 3


def simulated_agent_username(name: str, number: int) -> str:
    return f"sim-{slug(name)}-{number}"


def demo_simulated_agents(member_codes: dict[int, str]) -> list[DemoPerson]:
    """The agents `simulate-traffic` drives: three per member, never a person's login (sim-holbaek-1, …).

    They are named for what they are ("Agent Holbæk 1"), so no one mistakes them for a colleague."""
    return [
        DemoPerson(
            simulated_agent_username(name, number),
            "Agent",
            f"{name} {number}",
            "agent",
            municipality_code=code,
            simulated=True,
        )
        for code, name in sorted(member_codes.items())
        for number in range(1, SIMULATED_AGENTS_PER_MEMBER + 1)
    ]
