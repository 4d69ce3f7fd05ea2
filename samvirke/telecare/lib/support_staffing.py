"""The staffing a landsdel's telecare volumes need: support agents per opening hour, logistics visits per day.

Support (Erlang C, samvirke/core/lib/erlang.py): the month's support calls spread evenly over the support's
opening hours give the calls per opening hour; `agents_required` turns them into agents for the service-level
target. Logistics: the month's trips over its working days.

Defaults, and where they come from:
- average handling time 180 s: seed 003's only figure, Bilag C (l. 10770, Argenti/Medvivo's call centre):
  "Det gennemsnitlige kald er 2,5-3 minutter" — the upper end;
- opening hours 168 per month: weekdays 8–16 on 21 working days. Seed 003 states no opening hours for the
  telecare support (it names a round-the-clock call centre only for Argenti); set them to the landsdel's own;
- service level 80 % within 60 s: Samvirke's default for the hotline's desks (the staffing calculator), not a
  figure from the seed;
- 21 working days per month; the seed gives no duration of a visit, so no hours are derived from visits.

The seed itself calls the support volume "meget beskeden" (chapter 2.2.2): ~1 call per citizen per year makes
well under one Erlang in any landsdel, so one agent on the phone answers it; the figures show by how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from samvirke.core.lib.erlang import agents_required
from samvirke.telecare.lib.volumes import VolumeInputError, YearVolume, half_up

__all__ = [
    "DEFAULT_AHT_SECONDS",
    "DEFAULT_OPENING_HOURS_PER_MONTH",
    "DEFAULT_TARGET_SECONDS",
    "DEFAULT_TARGET_SERVICE_LEVEL",
    "DEFAULT_WORKING_DAYS_PER_MONTH",
    "StaffingParams",
    "SupportStaffing",
    "logistics_visits_per_working_day",
    "support_staffing",
]

DEFAULT_AHT_SECONDS = 180
DEFAULT_OPENING_HOURS_PER_MONTH = Decimal(168)
DEFAULT_TARGET_SERVICE_LEVEL = Decimal("0.8")
DEFAULT_TARGET_SECONDS = 60
DEFAULT_WORKING_DAYS_PER_MONTH = 21
_HOURS_IN_A_MONTH = 744  # 31 days around the clock


@dataclass(frozen=True)
class StaffingParams:
    opening_hours_per_month: Decimal = DEFAULT_OPENING_HOURS_PER_MONTH
    aht_seconds: int = DEFAULT_AHT_SECONDS
    target_service_level: Decimal = DEFAULT_TARGET_SERVICE_LEVEL
    target_seconds: int = DEFAULT_TARGET_SECONDS
    working_days_per_month: int = DEFAULT_WORKING_DAYS_PER_MONTH

    def __post_init__(self) -> None:
        hours = self.opening_hours_per_month
        if isinstance(hours, bool) or not isinstance(hours, Decimal | int) or not Decimal(hours).is_finite():
            raise VolumeInputError(f"Åbningstiden pr. måned skal være et tal, ikke {hours!r}.")
        if not 0 < hours <= _HOURS_IN_A_MONTH:
            raise VolumeInputError(
                f"Åbningstiden pr. måned skal være over 0 og højst {_HOURS_IN_A_MONTH} timer, ikke {hours}."
            )
        _whole(self.aht_seconds, "Behandlingstiden (sekunder)", 1, 3600)
        _whole(self.target_seconds, "Svartidsmålet (sekunder)", 0, 3600)
        _whole(self.working_days_per_month, "Arbejdsdage pr. måned", 1, 31)
        level = self.target_service_level
        if isinstance(level, bool) or not isinstance(level, Decimal) or not level.is_finite() or not 0 < level < 1:
            raise VolumeInputError(f"Servicemålet skal være en andel mellem 0 og 1 (fx 0.8), ikke {level!r}.")


def _whole(value: object, what: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise VolumeInputError(f"{what} skal være et helt tal fra {low} til {high}, ikke {value!r}.")


@dataclass(frozen=True)
class SupportStaffing:
    """One year's support staffing: agents on the phone in an average opening hour (Erlang C, no shrinkage)."""

    year: int
    calls_per_month: int
    calls_per_opening_hour: Decimal  # two decimals, half up (the exact figure goes to Erlang)
    intensity: float  # Erlang
    agents: int
    service_level: float
    occupancy: float


def support_staffing(volume: YearVolume, params: StaffingParams = StaffingParams()) -> SupportStaffing:
    """Agents per opening hour for `volume`'s calls per month spread evenly over the opening hours."""
    per_hour = Fraction(volume.calls_per_month) / Fraction(params.opening_hours_per_month)
    result = agents_required(
        calls=float(per_hour),
        interval_minutes=60,
        aht_seconds=params.aht_seconds,
        target_service_level=float(params.target_service_level),
        target_seconds=params.target_seconds,
    )
    return SupportStaffing(
        year=volume.year,
        calls_per_month=volume.calls_per_month,
        calls_per_opening_hour=Decimal(half_up(per_hour * 100)).scaleb(-2),
        intensity=result.intensity,
        agents=result.raw_agents,
        service_level=result.service_level,
        occupancy=result.occupancy,
    )


def logistics_visits_per_working_day(
    volume: YearVolume, working_days_per_month: int = DEFAULT_WORKING_DAYS_PER_MONTH
) -> Decimal:
    """The month's logistics trips per working day, two decimals, half up (trips / working days)."""
    _whole(working_days_per_month, "Arbejdsdage pr. måned", 1, 31)
    return Decimal(half_up(Fraction(volume.trips_per_month * 100, working_days_per_month))).scaleb(-2)
