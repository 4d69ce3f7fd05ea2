"""The Danish explanation of a plan: what it cannot meet and by how much (problems), what is worth knowing
(notes), the solver's status in words, and one line per shift."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from samvirke.staffing.lib.rota.common import hours_text, timer
from samvirke.staffing.lib.rota.model import reachable_totals
from samvirke.staffing.lib.rota.problem import RotaProblem
from samvirke.staffing.lib.rota.result import IntervalCoverage, MemberHours, ScheduledShift


def _agents_word(count: int) -> str:
    return "medarbejder" if abs(count) == 1 else "medarbejdere"


STATUS_DA = {
    "OPTIMAL": "optimal plan",
    "FEASIBLE": "gyldig plan (tidsgrænsen nået, ikke bevist optimal)",
    "INFEASIBLE": "ingen plan mulig",
    "UNKNOWN": "ingen plan fundet inden for tidsgrænsen",
    "MODEL_INVALID": "ugyldig model",
}


def explain(
    problem: RotaProblem,
    status: str,
    limit: float,
    coverage: Sequence[IntervalCoverage],
    members: Sequence[MemberHours],
    *,
    shifts_possible: bool,
    reachable_lengths: Sequence[int],
    band_units: tuple[Sequence[int], Sequence[int]],
    agent_capacity: Mapping[int, float],
    totals: tuple[Fraction, Fraction, Fraction, Fraction],
) -> tuple[list[str], list[str]]:
    """The Danish problems (what the plan cannot meet, by how much) and notes."""
    required, obligation, band_low, band_high = totals
    problems: list[str] = []
    notes: list[str] = []
    rules = problem.rules
    unit = problem.interval_minutes
    if status not in ("OPTIMAL", "FEASIBLE"):
        problems.append(f"Løseren fandt ingen plan inden for tidsgrænsen på {hours_text(Fraction(limit))} sekunder.")
        return problems, notes
    if not shifts_possible:
        problems.append(
            f"Ingen vagt på {rules.describe()} timer kan ligge inden for åbningstiden – der kan ikke planlægges vagter."
        )
    unproven = "" if status == "OPTIMAL" else " (planen er ikke bevist optimal; manglen kan muligvis blive mindre)"

    # Coverage.
    short_rows = [row for row in coverage if row.shortfall]
    if short_rows:
        missing = sum(row.shortfall for row in short_rows)
        problems.append(
            f"Behovet er ikke dækket i {len(short_rows)} af {len(coverage)} intervaller: der mangler i alt {missing} "
            f"medarbejder-intervaller ({timer(Fraction(missing * unit, 60))}){unproven}."
        )
        for row in short_rows:
            problems.append(
                f"{row.interval.label}: mangler {row.shortfall} {_agents_word(row.shortfall)} "
                f"(behov {row.required}, planlagt {row.scheduled})."
            )

    # Members outside their band.
    low_units, high_units = band_units
    for m, (member, hours) in enumerate(zip(problem.members, members, strict=True)):
        if hours.within_band:
            continue
        band = f"{hours_text(Fraction(member.band_min))}–{hours_text(Fraction(member.band_max))} timer"
        if hours.below_band_hours:
            gap = f"{timer(Fraction(hours.below_band_hours))} under minimum"
        else:
            gap = f"{timer(Fraction(hours.above_band_hours))} over maksimum"
        reasons = []
        if low_units[m] > high_units[m]:
            reasons.append(f"båndet rummer ikke et helt antal intervaller à {unit} min.")
        elif not member.agents:
            reachable = reachable_totals(reachable_lengths, high_units[m])
            if not any(reachable[low_units[m] : high_units[m] + 1]):
                reasons.append(f"ingen kombination af vagter på {rules.describe()} timer giver et timetal i båndet")
        elif m in agent_capacity and Fraction(agent_capacity[m]) < Fraction(member.band_min):
            names = ", ".join(agent.label for agent in member.agents)
            reasons.append(
                f"de navngivne medarbejderes ({names}) tilgængelighed og timeloft giver højst "
                f"{timer(Fraction(agent_capacity[m]))}"
            )
        reason = f" ({'; '.join(reasons)})" if reasons else ""
        problems.append(
            f"{member.label} kan ikke placeres inden for sit bånd på {band}: planen giver "
            f"{timer(Fraction(hours.scheduled_hours))}, {gap}{reason}."
        )

    # Obligations against the requirement.
    if obligation < required:
        sentence = (
            f"De samlede forpligtelser ({timer(obligation)} om ugen) er "
            f"{timer(required - obligation)} mindre end behovet ({timer(required)})."
        )
        (problems if short_rows else notes).append(sentence)
    elif obligation > required:
        notes.append(
            f"De samlede forpligtelser ({timer(obligation)} om ugen) er "
            f"{timer(obligation - required)} større end behovet ({timer(required)})."
        )
    if band_high < required:
        problems.append(
            f"Selv med alle kommuner på båndets maksimum ({timer(band_high)}) mangler der "
            f"{timer(required - band_high)} for at dække behovet."
        )
    if band_low > required:
        notes.append(
            f"Båndenes minimum ({timer(band_low)}) er {timer(band_low - required)} større end "
            "behovet – overbemanding kan ikke undgås."
        )
    return problems, notes


def describe_shifts(shifts: Iterable[ScheduledShift]) -> list[str]:
    """One Danish line per shift, e.g. "man 08.00–12.00 Aarhus (751) – Mette"."""
    lines = []
    for shift in shifts:
        agent = f" – {shift.agent}" if shift.agent else ""
        lines.append(f"{shift.label} {shift.member} ({shift.kommunekode}){agent}")
    return lines
