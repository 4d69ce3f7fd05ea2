"""Reproducing seed 003's Bilag B municipal payment tables with payments.py (docs/models/telecare.md).

The appendix splits each landsdel's printed municipal total ("Heraf kommuner") between its municipalities at
w = 1, i.e. by population over 40 (D): every municipality's share D_i/ΣD is the same in all six columns. The seed
prints D for only three municipalities (Aarhus, Randers, Ikast-Brande, Tabel 40–42), so each municipality's weight
is inferred from the seed's own table: the sum of its six printed cells (`inferred_weights`; an integer, so it is
passed as the "population" to `payments.municipal_shares`). Each column is then rebuilt from the printed municipal
total with `payments.split_total` (largest remainder, whole thousands of kr.). The seed rounded every cell on its
own, so its rows miss the total by up to 3; the rebuilt rows add up to it exactly and differ from the printed cells
by at most 1 (`reproduction_differences` lists them).

`constant_share_interval` shows that the w = 1 reading is the seed's: for every one of the 98 municipalities there
is a single share that gives all six printed cells by rounding half up. `population_total_interval` checks the
scenario tables against the three printed populations over 40: one ΣD for Midtjylland explains every printed cell of
the three municipalities in all three scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from samvirke.telecare.lib.costs import Landsdel, MunicipalRow, Scenario, SeedCosts
from samvirke.telecare.lib.payments import municipal_shares, split_total

HALF = Fraction(1, 2)


def inferred_weights(landsdel: Landsdel) -> dict[int, int]:
    """Each municipality's weight (kommunekode → Σ of its six printed cells, thousand kr.): the seed's D_i,
    up to a common factor, read from its own table."""
    return {row.kommunekode: sum(row.values) for row in landsdel.municipal.rows}


def inferred_shares(landsdel: Landsdel) -> dict[int, Fraction]:
    """The inferred weights as exact shares D_i/ΣD (payments.municipal_shares at w = 1, no usage)."""
    return municipal_shares(inferred_weights(landsdel), {}, Decimal(1))


@dataclass(frozen=True)
class ReproducedCell:
    table: int
    kommunekode: int
    name: str
    line: int
    column: str
    printed: int
    reproduced: int

    @property
    def difference(self) -> int:
        """reproduced − printed (thousand kr.)."""
        return self.reproduced - self.printed


def _reproduce(
    table: int, rows: Sequence[MunicipalRow], columns: Sequence[str], totals: Sequence[int], shares: dict[int, Fraction]
) -> list[ReproducedCell]:
    cells = []
    for index, column in enumerate(columns):
        amounts = split_total(Decimal(totals[index]), shares, places=0)
        for row in rows:
            cells.append(
                ReproducedCell(
                    table, row.kommunekode, row.name, row.line, column, row.values[index], int(amounts[row.kommunekode])
                )
            )
    return cells


def reproduce_landsdel(landsdel: Landsdel) -> list[ReproducedCell]:
    """Every cell of the landsdel's municipal table rebuilt from its printed municipal total (column by column)."""
    return _reproduce(
        landsdel.municipal.number,
        landsdel.municipal.rows,
        landsdel.municipal.columns,
        landsdel.region_municipal.municipalities.values,
        inferred_shares(landsdel),
    )


def reproduce_scenarios(seed: SeedCosts) -> list[ReproducedCell]:
    """Tabel 40–42's three municipalities rebuilt from each scenario's printed municipal total with the shares
    inferred from Midtjylland's Tabel 32 (the split between municipalities does not depend on the scenario)."""
    shares = inferred_shares(seed.landsdel("midtjylland"))
    cells = []
    for scenario in seed.scenarios:
        totals = scenario.municipalities.values
        cells += _reproduce(scenario.number, scenario.rows, scenario.columns, totals, shares)
    return cells


def reproduction_differences(seed: SeedCosts) -> list[ReproducedCell]:
    """The rebuilt cells that differ from the printed ones, landsdel by landsdel, then the scenarios."""
    cells = [cell for landsdel in seed.landsdele for cell in reproduce_landsdel(landsdel)]
    cells += reproduce_scenarios(seed)
    return [cell for cell in cells if cell.difference]


def constant_share_interval(values: Sequence[int], totals: Sequence[int]) -> tuple[Fraction, Fraction] | None:
    """The shares s (low ≤ s < high) for which round_half_up(totals[y]·s) = values[y] in every column, or None
    when no single share gives all the printed cells."""
    low, high = Fraction(0), Fraction(1)
    for value, total in zip(values, totals, strict=True):
        low = max(low, (value - HALF) / total)
        high = min(high, (value + HALF) / total)
    return (low, high) if low < high else None


def population_total_interval(scenarios: Sequence[Scenario]) -> tuple[Fraction, Fraction] | None:
    """The totals ΣD (low < ΣD ≤ high) of population over 40 for which every printed cell of the scenario
    tables' municipalities is round_half_up(municipal total · D_i/ΣD), with D_i their printed populations."""
    low, high = Fraction(0), Fraction(10**12)
    for scenario in scenarios:
        for row in scenario.rows:
            if row.population_over_40 is None:
                continue
            for value, total in zip(row.values, scenario.municipalities.values, strict=True):
                amount = Fraction(total * row.population_over_40)
                low = max(low, amount / (value + HALF))
                if value > 0:
                    high = min(high, amount / (value - HALF))
    return (low, high) if low < high else None
