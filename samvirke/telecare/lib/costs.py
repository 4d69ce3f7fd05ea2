"""The telemedicine fællesskab's costs (seed 003, docs/models/telecare.md "Cost and payment model").

Pure: the types of seed 003's cost tables (Tabel 18 and 19 in chapter 5; per landsdel in Bilag B the tables
"Fordeling af omkostninger mellem region og kommuner" and "… mellem kommuner i landsdel"; Midtjylland's scenario
tables 40–42), the cost years by line item with their totals and the region/municipal split, and the checks that set
every printed sum beside the sum of its own parts (`check_printed`). `seed_costs.load_seed_costs()` reads the
tables from data/costs.json; nothing here reads a file.

Amounts are exact Decimals (mio. kr. in Tabel 18/19, 1.000 kr. in Bilag B); rounding is half up
(economy's `round_half_up`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from samvirke.core.lib.validation import finite_decimal
from samvirke.economy.lib.fees import round_half_up

YEAR_LABELS = ("År 1", "År 2", "År 3", "År 4", "År 5", "År n")
PERIOD_LABEL = "Samlet (År 1-5)"
ESTABLISHMENT_ITEMS = ("udbud", "projektledelse")
LINE_ITEMS = ("indkøb", "logistik", "service", "support", "styring")
LINE_ITEM_NAMES = {
    "udbud": "Omkostninger til udbud",
    "projektledelse": "Projektledelse til etablering",
    "indkøb": "Indkøb",
    "logistik": "Logistik",
    "service": "Service",
    "support": "Support",
    "styring": "Styring",
}


class CostInputError(ValueError):
    """Bad cost input; the message is Danish, for the user."""


# --- cost years ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostYear:
    """One year's costs by line item: establishment (udbud, projektledelse) and operations (LINE_ITEMS)."""

    label: str
    establishment: dict[str, Decimal] = field(default_factory=dict)
    operations: dict[str, Decimal] = field(default_factory=dict)

    @property
    def establishment_total(self) -> Decimal:
        return sum(self.establishment.values(), Decimal(0))

    @property
    def operations_total(self) -> Decimal:
        return sum(self.operations.values(), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.establishment_total + self.operations_total


def _amounts(values: Mapping[str, object], known: Sequence[str], what: str) -> dict[str, Decimal]:
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise CostInputError(f"Ukendt {what}: {', '.join(unknown)} (kendte: {', '.join(known)}).")
    amounts: dict[str, Decimal] = {}
    for key in known:
        if key not in values:
            continue
        amount = finite_decimal(values[key], f"Beløbet for {key}", error=CostInputError)
        if amount < 0:
            raise CostInputError(f"Beløbet for {key} må ikke være negativt ({amount}).")
        amounts[key] = amount
    return amounts


def cost_year(label: str, establishment: Mapping[str, object], operations: Mapping[str, object]) -> CostYear:
    """A checked CostYear: known line items only, finite, not negative (CostInputError, Danish, otherwise)."""
    if not label.strip():
        raise CostInputError("Året skal have en betegnelse (fx »År 1«).")
    return CostYear(
        label=label,
        establishment=_amounts(establishment, ESTABLISHMENT_ITEMS, "etableringspost"),
        operations=_amounts(operations, LINE_ITEMS, "driftspost"),
    )


def period_total(years: Iterable[CostYear], label: str = PERIOD_LABEL) -> CostYear:
    """The years added line item by line item (Tabel 18's "Samlet (År 1-5)" column)."""
    establishment: dict[str, Decimal] = {}
    operations: dict[str, Decimal] = {}
    for year in years:
        for key, amount in year.establishment.items():
            establishment[key] = establishment.get(key, Decimal(0)) + amount
        for key, amount in year.operations.items():
            operations[key] = operations.get(key, Decimal(0)) + amount
    return CostYear(label, establishment, operations)


def region_municipal_split(amount: Decimal, region_share: Decimal, places: int = 1) -> tuple[Decimal, Decimal]:
    """(region, municipalities): the region's share rounded half up to `places` decimals, the municipalities the rest.

    Tabel 18 (seed 003, l. 4146–4148): 65 % of 43.9 = 28.535 → 28.5 and 15.4; the two always add up to `amount`.
    """
    amount = finite_decimal(amount, "Beløbet", error=CostInputError)
    region_share = finite_decimal(region_share, "Regionens andel", error=CostInputError)
    if not Decimal(0) <= region_share <= Decimal(1):
        raise CostInputError(f"Regionens andel skal ligge mellem 0 og 1, ikke {region_share}.")
    region = round_half_up(amount * region_share, places)
    return region, amount - region


# --- the seed's printed tables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedRow:
    """A row of Tabel 18/19 as printed: values per column (None where the seed prints "-")."""

    key: str
    label: str
    line: int
    values: tuple[Decimal | None, ...]
    parent: str | None = None


@dataclass(frozen=True)
class PrintedSum:
    """A printed row that is the sum of other rows (in every column)."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class PrintedShare:
    """A printed row that is `share` of another row (Tabel 18's "Heraf regioner (65%)")."""

    row: str
    of: str
    share: Decimal


@dataclass(frozen=True)
class NationalTable:
    """Tabel 18 or 19 (mio. kr.)."""

    number: int
    line: int
    title: str
    unit: str
    columns: tuple[str, ...]
    rows: tuple[PrintedRow, ...]
    sums: tuple[PrintedSum, ...] = ()
    shares: tuple[PrintedShare, ...] = ()
    period_column: str | None = None

    def row(self, key: str) -> PrintedRow:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def value(self, key: str, column: str) -> Decimal:
        """The printed value, 0 where the seed prints "-"."""
        value = self.row(key).values[self.columns.index(column)]
        return Decimal(0) if value is None else value


@dataclass(frozen=True)
class PrintedLine:
    """A printed line of whole thousands of kr. per column, with the seed line it is on."""

    line: int
    values: tuple[int, ...]


@dataclass(frozen=True)
class RegionMunicipalTable:
    """Bilag B "Fordeling af omkostninger mellem region og kommuner" (1.000 kr., År 1–5 and År n)."""

    number: int
    line: int
    title: str
    region_share: Decimal
    columns: tuple[str, ...]
    total: PrintedLine
    region: PrintedLine
    municipalities: PrintedLine


@dataclass(frozen=True)
class MunicipalRow:
    kommunekode: int
    name: str
    line: int
    values: tuple[int, ...]
    population_over_40: int | None = None


@dataclass(frozen=True)
class MunicipalTable:
    """Bilag B "Fordeling af omkostninger mellem kommuner i landsdel": every municipality of the region."""

    number: int
    line: int
    title: str
    columns: tuple[str, ...]
    rows: tuple[MunicipalRow, ...]


@dataclass(frozen=True)
class Landsdel:
    key: str
    name: str
    region_code: int
    region_municipal: RegionMunicipalTable
    municipal: MunicipalTable


@dataclass(frozen=True)
class Scenario:
    """Midtjylland's scenario tables 40–42: region/municipalities at 65/35, 80/20, 50/50 and three municipalities."""

    number: int
    line: int
    label: str
    region_share: Decimal
    columns: tuple[str, ...]
    region: PrintedLine
    municipalities: PrintedLine
    rows: tuple[MunicipalRow, ...]


@dataclass(frozen=True)
class SeedCosts:
    table_18: NationalTable
    table_19: NationalTable
    landsdele: tuple[Landsdel, ...]
    scenarios: tuple[Scenario, ...]

    def landsdel(self, key: str) -> Landsdel:
        for landsdel in self.landsdele:
            if landsdel.key == key:
                return landsdel
        raise KeyError(key)


def seed_cost_years(table: NationalTable) -> list[CostYear]:
    """Tabel 18's years (År 1–5, År n) as CostYears, from its line-item rows ("-" counts as 0)."""
    years = []
    for label in YEAR_LABELS:
        column = label if label in table.columns else label.replace("n", "N")
        establishment = {key: table.value(key, column) for key in ESTABLISHMENT_ITEMS}
        operations = {key: table.value(key, column) for key in LINE_ITEMS}
        years.append(CostYear(label, establishment, operations))
    return years


# --- checks: printed sums against the sums of their parts ----------------------------------------------------------


@dataclass(frozen=True)
class Discrepancy:
    """A printed figure that differs from what its own parts give.

    kind: "sum" (a printed sum ≠ the sum of its parts), "period" (the "Samlet (År 1-5)" column ≠ År 1 + … + År 5),
    "share" (a printed share ≠ the nominal share of the total, rounded as printed), "scenario" (a scenario's
    region + municipalities ≠ the landsdel's printed total).
    """

    kind: str
    table: int
    line: int
    row: str
    column: str
    printed: Decimal
    computed: Decimal
    what: str

    @property
    def difference(self) -> Decimal:
        return self.printed - self.computed


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def check_national(table: NationalTable) -> list[Discrepancy]:
    """Tabel 18/19: every printed sum, period total and share against its own parts."""
    found: list[Discrepancy] = []
    for printed_sum in table.sums:
        total_row = table.row(printed_sum.total)
        names = " + ".join(table.row(part).label for part in printed_sum.parts)
        for index, column in enumerate(table.columns):
            printed = total_row.values[index]
            parts = [table.row(part).values[index] for part in printed_sum.parts]
            if printed is None and all(part is None for part in parts):
                continue
            computed = sum((part for part in parts if part is not None), Decimal(0))
            if (printed or Decimal(0)) != computed:
                found.append(
                    Discrepancy(
                        "sum", table.number, total_row.line, total_row.label, column,
                        printed or Decimal(0), computed, f"{total_row.label} = {names}",
                    )
                )  # fmt: skip
    if table.period_column is not None:
        period_index = table.columns.index(table.period_column)
        year_indexes = [index for index, column in enumerate(table.columns) if column in YEAR_LABELS[:5]]
        for row in table.rows:
            printed = row.values[period_index]
            years = [row.values[index] for index in year_indexes]
            computed = sum((value for value in years if value is not None), Decimal(0))
            if (printed or Decimal(0)) != computed:
                found.append(
                    Discrepancy(
                        "period", table.number, row.line, row.label, table.period_column,
                        printed or Decimal(0), computed, f"{table.period_column} = År 1 + … + År 5",
                    )
                )  # fmt: skip
    for share in table.shares:
        row, of = table.row(share.row), table.row(share.of)
        for index, column in enumerate(table.columns):
            printed, base = row.values[index], of.values[index]
            if printed is None or base is None:
                continue
            computed = round_half_up(base * share.share, _places(printed))
            if printed != computed:
                found.append(
                    Discrepancy(
                        "share", table.number, row.line, row.label, column, printed, computed,
                        f"{row.label} = {share.share:%} af {of.label}",
                    )
                )  # fmt: skip
    return found


def check_tables_agree(table_18: NationalTable, table_19: NationalTable) -> list[Discrepancy]:
    """Tabel 19's line items and total against Tabel 18's (the same figures printed twice)."""
    found = []
    pairs = [(key, key) for key in LINE_ITEMS] + [("samlet", "drift")]
    for key_19, key_18 in pairs:
        row_19, row_18 = table_19.row(key_19), table_18.row(key_18)
        for index, column in enumerate(table_19.columns):
            printed = row_19.values[index] or Decimal(0)
            computed = row_18.values[index] or Decimal(0)
            if printed != computed:
                found.append(
                    Discrepancy(
                        "sum", table_19.number, row_19.line, row_19.label, column, printed, computed,
                        f"Tabel 19 {row_19.label} = Tabel 18 {row_18.label}",
                    )
                )  # fmt: skip
    return found


def _share_discrepancies(
    number: int, region: PrintedLine, total: Sequence[int], share: Decimal, columns: Sequence[str], label: str
) -> list[Discrepancy]:
    found = []
    for index, column in enumerate(columns):
        computed = round_half_up(Decimal(total[index]) * share, 0)
        printed = Decimal(region.values[index])
        if printed != computed:
            found.append(
                Discrepancy(
                    "share", number, region.line, label, column, printed, computed,
                    f"{label} = {share:%} af de samlede omkostninger",
                )
            )  # fmt: skip
    return found


def check_landsdel(landsdel: Landsdel) -> list[Discrepancy]:
    """A landsdel's Bilag B tables: region + municipalities = total; Σ municipal rows = municipalities; 65 %."""
    table, municipal = landsdel.region_municipal, landsdel.municipal
    found = []
    for index, column in enumerate(table.columns):
        computed = table.region.values[index] + table.municipalities.values[index]
        if table.total.values[index] != computed:
            found.append(
                Discrepancy(
                    "sum", table.number, table.total.line, "Samlede omkostninger", column,
                    Decimal(table.total.values[index]), Decimal(computed), "Samlede omkostninger = region + kommuner",
                )
            )  # fmt: skip
    for index, column in enumerate(municipal.columns):
        computed = sum(row.values[index] for row in municipal.rows)
        if table.municipalities.values[index] != computed:
            found.append(
                Discrepancy(
                    "sum", municipal.number, municipal.line, "Σ kommunerne", column,
                    Decimal(table.municipalities.values[index]), Decimal(computed),
                    f"Heraf kommuner (Tabel {table.number}, l. {table.municipalities.line}) = Σ kommunerne",
                )
            )  # fmt: skip
    found += _share_discrepancies(
        table.number, table.region, table.total.values, table.region_share, table.columns, "Heraf region"
    )
    return found


def check_scenario(scenario: Scenario, base: Landsdel) -> list[Discrepancy]:
    """A scenario table against the landsdel's printed total (Tabel 31) and its nominal region share."""
    found = []
    total = base.region_municipal.total
    for index, column in enumerate(scenario.columns):
        computed = scenario.region.values[index] + scenario.municipalities.values[index]
        if computed != total.values[index]:
            found.append(
                Discrepancy(
                    "scenario", scenario.number, scenario.region.line, "Region Midt + Kommunerne Midt", column,
                    Decimal(computed), Decimal(total.values[index]),
                    f"Region + kommuner = samlede omkostninger (Tabel {base.region_municipal.number})",
                )
            )  # fmt: skip
    found += _share_discrepancies(
        scenario.number, scenario.region, total.values, scenario.region_share, scenario.columns, "Region Midt"
    )
    return found


def check_printed(seed: SeedCosts) -> list[Discrepancy]:
    """Every printed sum in the seed's cost tables that differs from the sum of its own parts, in table order."""
    found = check_national(seed.table_18) + check_national(seed.table_19)
    found += check_tables_agree(seed.table_18, seed.table_19)
    for landsdel in seed.landsdele:
        found += check_landsdel(landsdel)
    midtjylland = seed.landsdel("midtjylland")
    for scenario in seed.scenarios:
        found += check_scenario(scenario, midtjylland)
    return found
