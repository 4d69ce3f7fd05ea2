"""When calls arrive at a Danish municipal hotline: the weekday factors and the hour-of-day shape, one copy.

Pure data. Both the traffic simulator (`samvirke.contact.lib.traffic`, weekdays and opening hours only) and
the staffing forecast's default profile without history (`samvirke.staffing.lib.forecast.Profile.default`,
all 7 × 24 hours) build on these numbers, so a simulated history has the shape the forecast assumes.

Source: the pattern of Den Digitale Hotline (≈266,000 calls a year, open Monday–Friday 8–20): Monday busiest,
Friday quietest; a morning peak 9–11, a dip at lunch, quiet after 17.

Units: relative weights, no unit. The weekday factors of Monday–Friday average 1.0 (a factor × a mean working
day's calls = that weekday's calls); hour weights are relative calls per local hour (Europe/Copenhagen),
hour 8 = 08:00–09:00.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "OFF_HOUR_WEIGHTS",
    "OPEN_HOUR_WEIGHTS",
    "WEEKEND_FACTORS",
    "WORKDAY_FACTORS",
    "hour_weights",
    "weekday_factors",
]

# Monday–Friday; they average 1.0.
WORKDAY_FACTORS: tuple[float, float, float, float, float] = (1.30, 1.05, 0.95, 0.95, 0.75)
# Saturday and Sunday, for a line that opens at the weekend at all: quiet.
WEEKEND_FACTORS: tuple[float, float] = (0.3, 0.25)

# Relative calls per local hour within the hotline's usual opening hours (8–20), in hour order.
OPEN_HOUR_WEIGHTS: Mapping[int, float] = MappingProxyType(
    {8: 0.9, 9: 1.5, 10: 1.6, 11: 1.35, 12: 1.1, 13: 1.2, 14: 1.0, 15: 0.8, 16: 0.55, 17: 0.3, 18: 0.2, 19: 0.15}
)
# Outside them, a thin tail (for opening hours wider than the usual ones).
OFF_HOUR_WEIGHTS: Mapping[int, float] = MappingProxyType(
    {0: 0.02, 1: 0.01, 2: 0.01, 3: 0.01, 4: 0.01, 5: 0.02, 6: 0.05, 7: 0.3, 20: 0.1, 21: 0.07, 22: 0.05, 23: 0.03}
)


def weekday_factors(*, weekend: bool) -> tuple[float, ...]:
    """The 7 weekday factors, Monday first; the weekend's are 0 unless `weekend` (a line open at weekends)."""
    return WORKDAY_FACTORS + (WEEKEND_FACTORS if weekend else (0.0, 0.0))


def hour_weights() -> tuple[float, ...]:
    """The 24 hour weights, hour 0 first: the opening hours' shape plus the tail around it."""
    return tuple(OPEN_HOUR_WEIGHTS.get(hour, OFF_HOUR_WEIGHTS.get(hour, 0.0)) for hour in range(24))
