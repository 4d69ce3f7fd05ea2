"""The fee-and-hours bar chart on the economy page: each bar's length as a share of the longest in its column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from samvirke.economy.lib.fees import EconomyRow


@dataclass(frozen=True)
class Bar:
    name: str
    fee: Decimal
    hours: int
    fee_percent: float  # of the largest fee: the largest is 100, half the fee is 50
    hours_percent: float


def bar_chart(rows: Sequence[EconomyRow]) -> list[Bar]:
    """One bar pair per member, largest population first. Lengths are proportional to the amounts, so the page
    must draw every bar against the same full width (see .bar-area in samvirke.css)."""
    max_fee = max((row.fee for row in rows), default=Decimal(0))
    max_hours = max((row.hours_per_year for row in rows), default=0)
    return [
        Bar(
            name=row.name,
            fee=row.fee,
            hours=row.hours_per_year,
            fee_percent=float(row.fee / max_fee * 100) if max_fee > 0 else 0.0,
            hours_percent=row.hours_per_year / max_hours * 100 if max_hours > 0 else 0.0,
        )
        for row in sorted(rows, key=lambda r: (-r.population, r.name))
    ]
