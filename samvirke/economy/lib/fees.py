"""The hotline fællesskab's fee and shift-hour model (seed 000, docs/models/hotline-economy.md).

Every member pays an operations fee (drift) by share of population and contributes shift hours
(vagttimer) in proportion to its population. Money is `Decimal` kroner with two decimals; hours are
whole hours. All rounding is half up (ties away from zero), done exactly on fractions, never with
`round()` or floats.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from samvirke.core.lib.validation import finite_decimal

MEMBER_COLUMNS = ("name", "kommunekode", "population")
DEFAULT_HOURS_PER_1000 = Decimal(8)
DEFAULT_WEEKS = 48
DEFAULT_BAND = (Decimal("0.7"), Decimal("1.3"))
DEFAULT_HOURLY_RATE = Decimal(343)
IMPLIED_PRICE_PLACES = 4  # 1/100 øre: the seed's 2025 price 1.7375 kr. needs four decimals


class EconomyInputError(ValueError):
    """Bad input to the fee model. `problems` holds one Danish sentence per problem."""

    def __init__(self, problems: str | Sequence[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


# --- rounding -------------------------------------------------------------------------------------


def _half_up(value: Fraction) -> int:
    # Nearest integer, ties away from zero: the same rule as Decimal's ROUND_HALF_UP.
    if value < 0:
        return -_half_up(-value)
    return math.floor(value + Fraction(1, 2))


def round_half_up(value: Decimal | int | Fraction, places: int = 0) -> Decimal:
    """Round `value` to `places` decimals, ties away from zero, exactly (no float, no `round()`).

    docs/models/hotline-economy.md: the seed's tables are half up; Python's `round()` is half to even.
    """
    scaled = Fraction(value) * Fraction(10) ** places
    return Decimal(_half_up(scaled)).scaleb(-places)


def _money(value: Fraction) -> Decimal:
    return round_half_up(value, 2)


def _whole(value: Fraction) -> int:
    return _half_up(value)


# --- input ----------------------------------------------------------------------------------------


_PLAIN_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def parse_decimal(text: str, what: str) -> Decimal:
    """Parse a number typed by a user ("1.25" or "1,25" kr., hours …) into a Decimal; `what` names it in errors.

    Thousands separators are refused: "1.250" would be ambiguous between Danish and English habits.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _PLAIN_NUMBER.match(cleaned):
        raise EconomyInputError(
            f"{what} skal være et tal som fx 1.25 eller 1,25 (uden tusindtalsseparator), ikke '{text}'."
        )
    return Decimal(cleaned.replace(",", "."))


def _to_decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, float):
        raise EconomyInputError(f"{what} skal angives som et eksakt decimaltal (Decimal), ikke som float.")
    if isinstance(value, str):
        return parse_decimal(value, what)
    return finite_decimal(value, what, error=EconomyInputError)


def _not_negative(value: Decimal, what: str) -> Decimal:
    if value < 0:
        raise EconomyInputError(f"{what} skal være 0 eller derover, ikke {value}.")
    return value


@dataclass(frozen=True)
class Member:
    """A member of the fællesskab: a municipality with its kommunekode and population (inhabitants)."""

    name: str
    kommunekode: int
    population: int

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise EconomyInputError(f"Kommune {self.kommunekode}: navnet mangler.")
        if isinstance(self.kommunekode, bool) or not isinstance(self.kommunekode, int):
            raise EconomyInputError(f"{self.name}: kommunekoden skal være et heltal, ikke {self.kommunekode!r}.")
        if self.kommunekode <= 0:
            raise EconomyInputError(f"{self.name}: kommunekoden skal være et positivt tal, ikke {self.kommunekode}.")
        if isinstance(self.population, bool) or not isinstance(self.population, int):
            raise EconomyInputError(
                f"{self.name}: befolkningstallet skal være et positivt heltal, ikke {self.population!r}."
            )
        if self.population <= 0:
            raise EconomyInputError(
                f"{self.name}: befolkningstallet skal være et positivt heltal, ikke {self.population}."
            )


@dataclass(frozen=True)
class EconomyParams:
    """The model's settings (docs/models/hotline-economy.md; defaults are seed 000's).

    Exactly one of `price_per_citizen` (kr. per inhabitant per year) and `budget` (kr. per year, whole
    øre) must be given. `hours_per_1000` is shift hours per 1,000 inhabitants per year, `weeks` the
    working weeks per year, `band` the weekly band as factors of the weekly hours, `hourly_rate` kr./hour.
    Numbers may be given as Decimal, int or text ("1,25"); floats are refused.
    """

    price_per_citizen: Decimal | None = None
    budget: Decimal | None = None
    hours_per_1000: Decimal = DEFAULT_HOURS_PER_1000
    weeks: int = DEFAULT_WEEKS
    band: tuple[Decimal, Decimal] = DEFAULT_BAND
    hourly_rate: Decimal = DEFAULT_HOURLY_RATE

    def __post_init__(self) -> None:
        if self.price_per_citizen is None and self.budget is None:
            raise EconomyInputError("Angiv enten en pris pr. borger eller et samlet budget.")
        if self.price_per_citizen is not None and self.budget is not None:
            raise EconomyInputError("Angiv enten en pris pr. borger eller et samlet budget, ikke begge.")
        if self.price_per_citizen is not None:
            price = _not_negative(_to_decimal(self.price_per_citizen, "Prisen pr. borger"), "Prisen pr. borger")
            object.__setattr__(self, "price_per_citizen", price)
        if self.budget is not None:
            budget = _not_negative(_to_decimal(self.budget, "Budgettet"), "Budgettet")
            if (Fraction(budget) * 100).denominator != 1:
                raise EconomyInputError(f"Budgettet skal angives i hele øre (højst to decimaler), ikke {budget}.")
            object.__setattr__(self, "budget", budget)
        what = "Timer pr. 1.000 indbyggere"
        object.__setattr__(self, "hours_per_1000", _not_negative(_to_decimal(self.hours_per_1000, what), what))
        object.__setattr__(
            self, "hourly_rate", _not_negative(_to_decimal(self.hourly_rate, "Timeprisen"), "Timeprisen")
        )
        weeks = self.weeks
        if isinstance(weeks, str) and weeks.strip().isdigit():
            weeks = int(weeks.strip())
        if isinstance(weeks, bool) or not isinstance(weeks, int):
            raise EconomyInputError(f"Antal arbejdsuger skal være et helt tal, ikke {self.weeks!r}.")
        if weeks <= 0:
            raise EconomyInputError(f"Antal arbejdsuger skal være mindst 1, ikke {weeks}.")
        object.__setattr__(self, "weeks", weeks)
        try:
            low_raw, high_raw = self.band
        except (TypeError, ValueError):
            raise EconomyInputError("Båndet skal være to tal: en nedre og en øvre faktor, fx 0.7 1.3.") from None
        low = _not_negative(_to_decimal(low_raw, "Båndets nedre faktor"), "Båndets nedre faktor")
        high = _not_negative(_to_decimal(high_raw, "Båndets øvre faktor"), "Båndets øvre faktor")
        if low > high:
            raise EconomyInputError(f"Båndets nedre faktor ({low}) er større end den øvre ({high}).")
        object.__setattr__(self, "band", (low, high))


def validate_members(members: Iterable[Member]) -> list[Member]:
    """Check a member list (docs/models/hotline-economy.md): not empty, Member objects, no kommunekode twice.

    Returns the members as a list.
    """
    members = list(members)
    if not members:
        raise EconomyInputError("Der er ingen medlemskommuner at beregne for.")
    seen: dict[int, str] = {}
    problems: list[str] = []
    for member in members:
        if not isinstance(member, Member):
            raise EconomyInputError(f"Et medlem skal være en Member, ikke {member!r}.")
        if member.kommunekode in seen:
            problems.append(
                f"Kommunekode {member.kommunekode} står to gange ({seen[member.kommunekode]} og {member.name})."
            )
        else:
            seen[member.kommunekode] = member.name
    if problems:
        raise EconomyInputError(problems)
    return members


# --- the model ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EconomyRow:
    """One member's fee (kr.), shift hours per year and week, weekly band and the hours' value (kr.)."""

    name: str
    kommunekode: int
    population: int
    fee: Decimal
    hours_per_year: int
    hours_per_week: int
    band_min: int
    band_max: int
    hours_value: Decimal


@dataclass(frozen=True)
class EconomyTotal:
    """The totals row, computed from the total population as seed 000 prints it (not sums of rounded cells).

    fee = round(Σ population × price, 2), or the budget; hours_per_year = round(Σ population ×
    hours_per_1000 / 1000); hours_per_week = round(hours_per_year / weeks); hours_value = hours_per_year ×
    rate. The `*_sum_of_rows` fields are the plain sums of the rows, which can differ by a few øre or an
    hour (seed: 1,480,120.68 against 1,480,120.65 printed; 6,814 hours against 6,815 printed).
    """

    population: int
    fee: Decimal
    hours_per_year: int
    hours_per_week: int
    hours_value: Decimal
    fee_sum_of_rows: Decimal
    hours_per_year_sum_of_rows: int
    hours_value_sum_of_rows: Decimal


@dataclass(frozen=True)
class EconomyResult:
    """Rows in the members' order, the totals row, the parameters used and the price per citizen.

    `price_per_citizen` is the given price, or the price implied by the budget (4 decimals).
    """

    rows: tuple[EconomyRow, ...]
    total: EconomyTotal
    params: EconomyParams
    price_per_citizen: Decimal


def fees_by_price(members: Sequence[Member], price_per_citizen: Decimal) -> list[Decimal]:
    """Fee per member in kr.: round_half_up(population × price, 2) (seed 000, docs/models/hotline-economy.md)."""
    price = Fraction(price_per_citizen)
    return [_money(member.population * price) for member in members]


def largest_remainder(total_units: int, weights: Sequence[Fraction | int], tie_break: Sequence[Any]) -> list[int]:
    """Split `total_units` whole units (øre) in proportion to `weights`; the parts add up to it exactly.

    Largest remainder (docs/models/hotline-economy.md): every part gets the whole units of its exact share;
    the units left over go one each to the largest remainders, ties to the smaller `tie_break` key. Weights
    are non-negative and not all zero (the caller checks, with its own message); a zero weight gets 0.
    """
    total_weight = sum((Fraction(weight) for weight in weights), Fraction(0))
    exact = [Fraction(total_units) * Fraction(weight) / total_weight for weight in weights]
    parts = [math.floor(value) for value in exact]
    left = total_units - sum(parts)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), tie_break[i]))
    for i in order[:left]:
        parts[i] += 1
    return parts


def fees_by_budget(members: Sequence[Member], budget: Decimal) -> list[Decimal]:
    """Split a yearly budget (kr., whole øre) by share of population; the fees add up to it to the øre.

    Largest remainder at øre level (docs/models/hotline-economy.md): every member gets the whole øre of its
    exact share; the øre left over go one each to the largest remainders, ties to the larger population,
    then the lower kommunekode.
    """
    budget_ore = Fraction(budget) * 100
    if budget_ore.denominator != 1:
        raise EconomyInputError(f"Budgettet skal angives i hele øre (højst to decimaler), ikke {budget}.")
    ore = largest_remainder(
        int(budget_ore),
        [member.population for member in members],
        [(-member.population, member.kommunekode) for member in members],
    )
    return [Decimal(amount).scaleb(-2) for amount in ore]


def price_from_budget(budget: Decimal, members: Sequence[Member]) -> Decimal:
    """The price per citizen (kr.) a budget (kr.) implies: budget / Σ population, 4 decimals half up.

    docs/models/hotline-economy.md: 1,480,120.65 kr. for 851,868 inhabitants is 1.7375 kr. per citizen.
    """
    members = validate_members(members)
    budget = _not_negative(_to_decimal(budget, "Budgettet"), "Budgettet")
    total_population = sum(member.population for member in members)
    return round_half_up(Fraction(budget) / total_population, IMPLIED_PRICE_PLACES)


def hours_for(population: int, params: EconomyParams) -> tuple[int, int, int, int]:
    """Shift hours for one population: (per year, per week, band min, band max), whole hours.

    Seed 000, docs/models/hotline-economy.md: per year = round(population × hours_per_1000 / 1000); per week =
    round(per year / weeks); band = round(factor × per year / weeks), from the unrounded weekly figure.
    """
    per_year = _whole(population * Fraction(params.hours_per_1000) / 1000)
    weekly_exact = Fraction(per_year, params.weeks)
    low, high = params.band
    return (
        per_year,
        _whole(weekly_exact),
        _whole(Fraction(low) * weekly_exact),
        _whole(Fraction(high) * weekly_exact),
    )


def compute_economy(members: Iterable[Member], params: EconomyParams) -> EconomyResult:
    """Fees (kr.), shift hours and their value (kr.) per member, with a totals row.

    Seed 000, docs/models/hotline-economy.md. A member's hours' value is its hours per year × hourly rate,
    rounded to øre. The totals row is computed from the total population, as the seed prints it (see
    EconomyTotal); with a budget the total fee is the budget, which the fees add up to exactly.
    """
    members = validate_members(members)
    if not isinstance(params, EconomyParams):
        raise EconomyInputError("Parametrene skal være et EconomyParams-objekt.")
    if params.budget is not None:
        fees = fees_by_budget(members, params.budget)
        price = price_from_budget(params.budget, members)
    else:
        assert params.price_per_citizen is not None  # EconomyParams guarantees exactly one
        price = params.price_per_citizen
        fees = fees_by_price(members, price)
    rate = Fraction(params.hourly_rate)
    rows = []
    for member, fee in zip(members, fees, strict=True):
        per_year, per_week, band_min, band_max = hours_for(member.population, params)
        rows.append(
            EconomyRow(
                name=member.name,
                kommunekode=member.kommunekode,
                population=member.population,
                fee=fee,
                hours_per_year=per_year,
                hours_per_week=per_week,
                band_min=band_min,
                band_max=band_max,
                hours_value=_money(per_year * rate),
            )
        )
    total_population = sum(row.population for row in rows)
    fee_sum = sum((row.fee for row in rows), Decimal("0.00"))
    total_fee = fee_sum if params.budget is not None else _money(total_population * Fraction(price))
    total_hours = _whole(total_population * Fraction(params.hours_per_1000) / 1000)
    total = EconomyTotal(
        population=total_population,
        fee=total_fee,
        hours_per_year=total_hours,
        hours_per_week=_whole(Fraction(total_hours, params.weeks)),
        hours_value=_money(total_hours * rate),
        fee_sum_of_rows=fee_sum,
        hours_per_year_sum_of_rows=sum(row.hours_per_year for row in rows),
        hours_value_sum_of_rows=sum((row.hours_value for row in rows), Decimal("0.00")),
    )
    return EconomyResult(rows=tuple(rows), total=total, params=params, price_per_citizen=price)


# --- output ---------------------------------------------------------------------------------------


def money_text(amount: Decimal) -> str:
    """Kroner as text with exactly two decimals and a dot: Decimal('65196.25') → '65196.25'."""
    return f"{round_half_up(amount, 2):f}"


def _number_text(value: Decimal) -> str:
    return f"{value:f}"


def to_json_dict(result: EconomyResult) -> dict[str, Any]:
    """The `samvirke hotline-economy --format json` shape of docs/cli.md (money as "0.00" strings, hours ints).

    Extra keys: "total" also has the plain sums of the rows (`*_sum_of_rows`); "params" records the
    settings used, among them the hourly rate (docs/models/hotline-economy.md: a report must show which rate it
    used) and the price per citizen (given or implied by the budget).
    """
    params = result.params
    return {
        "rows": [
            {
                "name": row.name,
                "kommunekode": row.kommunekode,
                "population": row.population,
                "fee": money_text(row.fee),
                "hours_per_year": row.hours_per_year,
                "hours_per_week": row.hours_per_week,
                "band_min": row.band_min,
                "band_max": row.band_max,
                "hours_value": money_text(row.hours_value),
            }
            for row in result.rows
        ],
        "total": {
            "population": result.total.population,
            "fee": money_text(result.total.fee),
            "hours_per_year": result.total.hours_per_year,
            "hours_per_week": result.total.hours_per_week,
            "hours_value": money_text(result.total.hours_value),
            "fee_sum_of_rows": money_text(result.total.fee_sum_of_rows),
            "hours_per_year_sum_of_rows": result.total.hours_per_year_sum_of_rows,
            "hours_value_sum_of_rows": money_text(result.total.hours_value_sum_of_rows),
        },
        "params": {
            "price_per_citizen": _number_text(result.price_per_citizen),
            "price_from_budget": params.budget is not None,
            "budget": None if params.budget is None else money_text(params.budget),
            "hours_per_1000": _number_text(params.hours_per_1000),
            "weeks": params.weeks,
            "band": [_number_text(params.band[0]), _number_text(params.band[1])],
            "hourly_rate": money_text(params.hourly_rate)
            if (Fraction(params.hourly_rate) * 100).denominator == 1
            else _number_text(params.hourly_rate),
        },
    }


# --- scenarios ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioRow:
    """One member in two scenarios: values in a and b (None when not a member there) and b − a.

    The difference counts a missing member as paying 0 kr. and contributing 0 hours.
    """

    name: str
    kommunekode: int | None
    fee_a: Decimal | None
    fee_b: Decimal | None
    fee_difference: Decimal
    hours_per_year_a: int | None
    hours_per_year_b: int | None
    hours_per_year_difference: int
    hours_per_week_a: int | None
    hours_per_week_b: int | None
    hours_per_week_difference: int


@dataclass(frozen=True)
class ScenarioComparison:
    """Two scenarios side by side: rows by kommunekode (a's order, then members only in b) and totals."""

    rows: tuple[ScenarioRow, ...]
    total: ScenarioRow


def _scenario_row(
    name: str,
    kommunekode: int | None,
    a: EconomyRow | EconomyTotal | None,
    b: EconomyRow | EconomyTotal | None,
) -> ScenarioRow:
    zero = Decimal("0.00")
    return ScenarioRow(
        name=name,
        kommunekode=kommunekode,
        fee_a=a.fee if a else None,
        fee_b=b.fee if b else None,
        fee_difference=(b.fee if b else zero) - (a.fee if a else zero),
        hours_per_year_a=a.hours_per_year if a else None,
        hours_per_year_b=b.hours_per_year if b else None,
        hours_per_year_difference=(b.hours_per_year if b else 0) - (a.hours_per_year if a else 0),
        hours_per_week_a=a.hours_per_week if a else None,
        hours_per_week_b=b.hours_per_week if b else None,
        hours_per_week_difference=(b.hours_per_week if b else 0) - (a.hours_per_week if a else 0),
    )


def compare_scenarios(a: EconomyResult, b: EconomyResult) -> ScenarioComparison:
    """Compare two computed scenarios member by member (kr. and hours), e.g. all 17 at 1.25 kr. against
    2025 at 1.7375 kr. (seed 000, docs/models/hotline-economy.md). Differences are b − a."""
    rows_a = {row.kommunekode: row for row in a.rows}
    rows_b = {row.kommunekode: row for row in b.rows}
    codes = list(rows_a) + [code for code in rows_b if code not in rows_a]
    rows = tuple(
        _scenario_row((rows_a.get(code) or rows_b[code]).name, code, rows_a.get(code), rows_b.get(code))
        for code in codes
    )
    return ScenarioComparison(rows=rows, total=_scenario_row("I alt", None, a.total, b.total))


def comparison_to_json_dict(comparison: ScenarioComparison) -> dict[str, Any]:
    """A scenario comparison as JSON-ready data: money as "0.00" strings (or null), hours as ints."""

    def row_dict(row: ScenarioRow) -> dict[str, Any]:
        return {
            "name": row.name,
            "kommunekode": row.kommunekode,
            "fee_a": None if row.fee_a is None else money_text(row.fee_a),
            "fee_b": None if row.fee_b is None else money_text(row.fee_b),
            "fee_difference": money_text(row.fee_difference),
            "hours_per_year_a": row.hours_per_year_a,
            "hours_per_year_b": row.hours_per_year_b,
            "hours_per_year_difference": row.hours_per_year_difference,
            "hours_per_week_a": row.hours_per_week_a,
            "hours_per_week_b": row.hours_per_week_b,
            "hours_per_week_difference": row.hours_per_week_difference,
        }

    return {"rows": [row_dict(row) for row in comparison.rows], "total": row_dict(comparison.total)}


# --- CSV ------------------------------------------------------------------------------------------


_GROUPED_INTEGER = re.compile(r"^\d{1,3}(\.\d{3})+$")


def _positive_integer(text: str) -> int | None:
    # "73767" or with Danish thousands separators "73.767"; None for anything else (decimals, text, sign).
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if _GROUPED_INTEGER.match(cleaned):
        cleaned = cleaned.replace(".", "")
    return int(cleaned) if cleaned.isdigit() else None


def parse_members_csv(text: str) -> list[Member]:
    """Read members from CSV text with the columns name,kommunekode,population (docs/cli.md).

    The header is required; columns may come in any order; comma or semicolon separated (the header line
    decides); a BOM and blank lines are tolerated. Every problem is reported with its line number (the
    header is line 1) in one EconomyInputError; nothing is returned unless the whole file is good.
    """
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    expected = ",".join(MEMBER_COLUMNS)
    header: list[str] | None = None
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = [cell.strip().lower() for cell in cells]
            break
    if header is None:
        raise EconomyInputError(f"Filen er tom. Første linje skal være: {expected}")
    header_line = reader.line_num
    if sorted(header) != sorted(MEMBER_COLUMNS):
        raise EconomyInputError(
            f"Linje {header_line}: kolonnerne skal være {expected} (i vilkårlig rækkefølge), "
            f"men filen har {','.join(header)}."
        )
    position = {name: header.index(name) for name in MEMBER_COLUMNS}

    problems: list[str] = []
    members: list[Member] = []
    first_line_of_code: dict[int, int] = {}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        line = reader.line_num
        if len(cells) != len(header):
            problems.append(f"Linje {line}: der er {len(cells)} felter, men der skal være {len(header)} ({expected}).")
            continue
        name = cells[position["name"]].strip()
        code_text = cells[position["kommunekode"]].strip()
        population_text = cells[position["population"]].strip()
        line_problems: list[str] = []
        if not name:
            line_problems.append("navnet mangler")
        code = int(code_text) if code_text.isdigit() else None
        if code is None or code == 0:
            line_problems.append(f"kommunekoden skal være et positivt heltal, ikke '{code_text}'")
        elif code in first_line_of_code:
            line_problems.append(f"kommunekode {code} står også i linje {first_line_of_code[code]}")
        population = _positive_integer(population_text)
        if population is None or population == 0:
            line_problems.append(f"befolkningstallet skal være et positivt heltal, ikke '{population_text}'")
        if line_problems:
            problems.append(f"Linje {line}: " + "; ".join(line_problems) + ".")
            continue
        assert code is not None and population is not None
        first_line_of_code[code] = line
        members.append(Member(name=name, kommunekode=code, population=population))
    if problems:
        raise EconomyInputError(problems)
    if not members:
        raise EconomyInputError(f"Filen har ingen kommuner, kun overskriften {expected}.")
    return members
